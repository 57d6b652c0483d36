"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written out by hand next to the handlers rather than generated from type
annotations: the handlers are plain Starlette functions, and a literal document
is easy to review against docs/http-api.md. The test suite fuzzes the live app
against it with schemathesis, so it cannot drift from what the routes answer,
and the web UI generates its wire types from it.
"""

from __future__ import annotations

from typing import Any

from heron.server.api_run_table import RUN_TABLE_PATHS
from heron.server.api_v1 import DEFAULT_PAGE, MAX_BUCKETS, MAX_PAGE, SCALAR_FORMATS
from heron.server.binary_columns import MEDIA_TYPE as BINARY_MEDIA_TYPE
from heron.server.openapi_compare import COMPARE_PATHS
from heron.server.openapi_parts import ERROR, json_response_spec, query
from heron.server.responses import MAX_INT

__all__ = ["openapi_document"]

_FLOAT: dict[str, Any] = {
    "description": "A float; non-finite values as the strings TensorBoard uses.",
    "oneOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}],
}
_NULLABLE_NUMBER: dict[str, Any] = {"oneOf": [{"type": "number"}, {"type": "null"}]}
_HPARAM: dict[str, Any] = {"oneOf": [{"type": "number"}, {"type": "string"}, {"type": "boolean"}]}


_METRIC_SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": ["count", "first_step", "last_step", "first", "last", "min", "max"],
    "properties": {
        "count": {"type": "integer"},
        "first_step": {"type": "integer"},
        "last_step": {"type": "integer"},
        "first": _FLOAT,
        "last": _FLOAT,
        "min": _FLOAT,
        "max": _FLOAT,
    },
}
_RUN: dict[str, Any] = {
    "type": "object",
    "required": ["name", "start_time"],
    "properties": {
        "name": {"type": "string"},
        "start_time": _NULLABLE_NUMBER,
        "last_wall_time": _NULLABLE_NUMBER,
        "last_step": {"oneOf": [{"type": "integer"}, {"type": "null"}]},
        "status": {"enum": ["running", "finished", "failed"]},
        "session_status": {"oneOf": [{"type": "string"}, {"type": "null"}]},
        "hparams": {"type": "object", "additionalProperties": _HPARAM},
        "metrics": {"type": "object", "additionalProperties": _METRIC_SUMMARY},
    },
}
_FLOATS: dict[str, Any] = {"type": "array", "items": _FLOAT}
_INTEGERS: dict[str, Any] = {"type": "array", "items": {"type": "integer"}}
_POINTS: dict[str, Any] = {
    "type": "object",
    "required": ["run", "tag", "steps", "wall_times", "values"],
    "properties": {
        "run": {"type": "string"},
        "tag": {"type": "string"},
        "steps": _INTEGERS,
        "wall_times": _FLOATS,
        "values": _FLOATS,
    },
}
_BUCKETED: dict[str, Any] = {
    "type": "object",
    "required": ["run", "tag", "buckets", "last"],
    "properties": {
        "run": {"type": "string"},
        "tag": {"type": "string"},
        "buckets": {
            "type": "object",
            "required": ["first_step", "last_step", "min", "max", "mean", "count"],
            "properties": {
                "first_step": _INTEGERS,
                "last_step": _INTEGERS,
                "min": _FLOATS,
                "max": _FLOATS,
                "mean": _FLOATS,
                "count": _INTEGERS,
            },
        },
        "last": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["step", "wall_time", "value"],
                    "properties": {
                        "step": {"type": "integer"},
                        "wall_time": _FLOAT,
                        "value": _FLOAT,
                    },
                },
            ]
        },
    },
}
_SERIES: dict[str, Any] = {"oneOf": [_POINTS, _BUCKETED]}
_FILE_HEALTH: dict[str, Any] = {
    "type": "object",
    "required": ["run", "path", "size", "offset", "records", "corrupt_records", "error"],
    "properties": {
        "run": {"type": "string"},
        "path": {"type": "string"},
        "size": {"type": "integer"},
        "offset": {"type": "integer"},
        "records": {"type": "integer"},
        "corrupt_records": {"type": "integer"},
        "error": {"oneOf": [{"type": "string"}, {"type": "null"}]},
    },
}

_PATHS: dict[str, Any] = {
    **COMPARE_PATHS,
    **RUN_TABLE_PATHS,
    "/api/v1/runs": {
        "get": {
            "operationId": "listRuns",
            "summary": "One page of runs, filtered and sorted by their summaries.",
            "parameters": [
                query(
                    "offset", {"type": "integer", "minimum": 0, "maximum": MAX_INT}, "Runs to skip."
                ),
                query(
                    "limit",
                    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                    f"Page size (default {DEFAULT_PAGE}).",
                ),
                query("regex", {"type": "string"}, "Python regex searched in the run name."),
                query("where", {"type": "string"}, "A run query, e.g. `lr < 0.01`."),
                query("sort", {"type": "string"}, "Sort keys, e.g. `-max(val/acc),name`."),
                query("summary", {"type": "boolean"}, "Add hparams, status, last step."),
                query(
                    "metric",
                    {"type": "array", "items": {"type": "string"}},
                    "Scalar tags whose summaries to add (repeatable).",
                    style="form",
                    explode=True,
                ),
            ],
            "responses": {
                "200": json_response_spec(
                    {
                        "type": "object",
                        "required": ["total", "offset", "limit", "runs"],
                        "properties": {
                            "total": {"type": "integer"},
                            "offset": {"type": "integer"},
                            "limit": {"type": "integer"},
                            "runs": {"type": "array", "items": _RUN},
                        },
                    },
                    "The page of runs.",
                ),
                "400": ERROR,
            },
        }
    },
    "/api/v1/scalars": {
        "get": {
            "operationId": "readScalars",
            "summary": "Several scalar series at once, as columns, optionally downsampled.",
            "parameters": [
                query(
                    "run",
                    {"type": "array", "items": {"type": "string"}},
                    "Run of each series, paired in order with `tag`.",
                    style="form",
                    explode=True,
                    required=True,
                ),
                query(
                    "tag",
                    {"type": "array", "items": {"type": "string"}},
                    "Tag of each series, paired in order with `run`.",
                    style="form",
                    explode=True,
                    required=True,
                ),
                query(
                    "max_points",
                    {"type": "integer", "minimum": 2, "maximum": MAX_INT},
                    "Downsample each series to its min/max envelope in this many points.",
                ),
                query(
                    "start_step",
                    {"type": "integer", "minimum": -MAX_INT - 1, "maximum": MAX_INT},
                    "Only points at this step or later (zooming); before downsampling.",
                ),
                query(
                    "end_step",
                    {"type": "integer", "minimum": -MAX_INT - 1, "maximum": MAX_INT},
                    "Only points at this step or earlier (zooming); before downsampling.",
                ),
                query(
                    "buckets",
                    {"type": "integer", "minimum": 1, "maximum": MAX_BUCKETS},
                    "Instead of points: min/max/mean/count in this many step buckets.",
                ),
                query(
                    "format",
                    {"type": "string", "enum": list(SCALAR_FORMATS)},
                    "`json` (default) or `binary`: float64 columns a browser views without "
                    'parsing (docs/http-api.md, "Binary form"); not with `buckets`.',
                ),
            ],
            "responses": {
                "200": {
                    "description": "The series in the order asked.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["series"],
                                "properties": {"series": {"type": "array", "items": _SERIES}},
                            }
                        },
                        BINARY_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    },
                },
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/api/v1/health": {
        "get": {
            "operationId": "ingestHealth",
            "summary": "Ingest progress and problems, per event file.",
            "responses": {
                "200": json_response_spec(
                    {
                        "type": "object",
                        "required": [
                            "seconds_since_last_pass",
                            "corrupt_records",
                            "backlog_bytes",
                            "files",
                        ],
                        "properties": {
                            "seconds_since_last_pass": _NULLABLE_NUMBER,
                            "corrupt_records": {"type": "integer"},
                            "backlog_bytes": {"type": "integer"},
                            "files": {"type": "array", "items": _FILE_HEALTH},
                        },
                    },
                    "Totals, then one entry per event file.",
                )
            },
        }
    },
    "/api/v1/events": {
        "get": {
            "operationId": "liveEvents",
            "summary": "Server-Sent Events naming the runs and tags that got new data.",
            "description": "Events `hello`, `data` and `resync`; see docs/http-api.md.",
            "responses": {
                "200": {
                    "description": "An endless event stream.",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                }
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "responses": {"200": json_response_spec({"type": "object"}, "The OpenAPI document.")},
        }
    },
}


def openapi_document(version: str) -> dict[str, Any]:
    """The document, with ``version`` as the API's version (Heron's)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Heron API",
            "version": version,
            "description": "Heron's own API. The TensorBoard-compatible `/data` routes are "
            "described in docs/http-api.md.",
        },
        "paths": _PATHS,
    }
