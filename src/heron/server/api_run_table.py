"""``/api/v1/runs/table``: every matching run's hparams and metric aggregates in one answer.

``/api/v1/runs`` pages summaries row by row, which suits a table showing 200 rows.
A view that draws every run at once (the HParams dashboard: one polyline per session)
needs all of them, and at 100,000 runs ten pages of row objects cost seconds to build,
send and parse. This route answers with columns instead (``heron.core.summary_columns``):
one list of names and one list of values per hparam and per metric aggregate, built from
the run table without a per-run object, so the keys are not repeated 100,000 times.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.run_query import compile_filter
from heron.core.summary_columns import summary_columns
from heron.server.api_v1 import compile_regex, matching_rows
from heron.server.openapi_parts import query, repeated
from heron.server.responses import json_response, optional_bool

__all__ = ["RUN_TABLE_PATHS", "run_table", "run_table_routes"]


def run_table(
    provider: ReadProvider,
    *,
    regex: str | None = None,
    where: str | None = None,
    hparams: bool = True,
    metrics: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """Every run matching ``regex`` (on the name) and ``where`` (a run query), sorted by name."""
    pattern = compile_regex(regex) if regex else None
    table = provider.run_table()
    rows = matching_rows(table, compile_filter(where or "").mask(table), pattern)
    columns = summary_columns(table, rows, hparams=hparams, metrics=metrics)
    return {
        "total": len(columns.names),
        "names": columns.names,
        "hparams": columns.hparams,
        "metrics": columns.metrics,
        "_finite": columns.finite,
    }


def run_table_routes(provider: ReadProvider) -> list[BaseRoute]:
    def table_route(request: Request) -> Response:
        params = request.query_params
        answer = run_table(
            provider,
            regex=params.get("regex"),
            where=params.get("where"),
            hparams=optional_bool({"hparams": params.get("hparams", "true")}, "hparams"),
            metrics=params.getlist("metric"),
        )
        finite = answer.pop("_finite")
        return json_response(answer, safe=finite)

    return [Route("/api/v1/runs/table", table_route)]


_FLOAT_OR_NULL: Final[dict[str, Any]] = {
    "oneOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}, {"type": "null"}]
}
_VALUE_OR_NULL: Final[dict[str, Any]] = {
    "oneOf": [{"type": "number"}, {"type": "string"}, {"type": "boolean"}, {"type": "null"}]
}


RUN_TABLE_PATHS: Final[dict[str, Any]] = {
    "/api/v1/runs/table": {
        "get": {
            "operationId": "runTable",
            "summary": "Every matching run's hparams and metric aggregates, as columns.",
            "parameters": [
                query("regex", {"type": "string"}, "Python regex searched in the run name."),
                query("where", {"type": "string"}, "A run query, e.g. `lr < 0.01`."),
                query("hparams", {"type": "boolean"}, "Include the hparam columns (default true)."),
                repeated(
                    "metric", "Scalar tags whose last / min / max / last_step to add (repeatable)."
                ),
            ],
            "responses": {
                "200": {
                    "description": "Columns aligned with `names` (sorted); null where a run "
                    "lacks the hparam or the tag.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["total", "names", "hparams", "metrics"],
                                "properties": {
                                    "total": {"type": "integer"},
                                    "names": {"type": "array", "items": {"type": "string"}},
                                    "hparams": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "type": "array",
                                            "items": _VALUE_OR_NULL,
                                        },
                                    },
                                    "metrics": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "type": "object",
                                            "required": ["last", "min", "max", "last_step"],
                                            "properties": {
                                                "last": {"type": "array", "items": _FLOAT_OR_NULL},
                                                "min": {"type": "array", "items": _FLOAT_OR_NULL},
                                                "max": {"type": "array", "items": _FLOAT_OR_NULL},
                                                "last_step": {
                                                    "type": "array",
                                                    "items": {
                                                        "oneOf": [
                                                            {"type": "integer"},
                                                            {"type": "null"},
                                                        ]
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "What is wrong with the request, in plain text.",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
            },
        }
    }
}
