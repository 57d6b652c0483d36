"""The OpenAPI paths of ``api_compare`` (run columns, grouped scalars), merged into openapi.py.

Kept beside that module's routes rather than in the shared document so the
comparison feature can grow without touching everyone's file.
"""

from __future__ import annotations

from typing import Any, Final

from heron.core.aggregate import BANDS, CENTERS
from heron.server.api_compare import DEFAULT_GRID, MAX_GRID, MAX_GROUP_TAGS
from heron.server.openapi_parts import ERROR, STRINGS, json_response_spec, query, repeated

__all__ = ["COMPARE_PATHS"]

_FLOATS: Final[dict[str, Any]] = {
    "type": "array",
    "items": {"oneOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]},
}


_GROUP_SERIES: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["tag", "steps", "center", "lower", "upper", "count"],
    "properties": {
        "tag": {"type": "string"},
        "steps": {"type": "array", "items": {"type": "integer"}},
        "center": _FLOATS,
        "lower": _FLOATS,
        "upper": _FLOATS,
        "count": {"type": "array", "items": {"type": "integer"}},
    },
}
_GROUP: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["key", "label", "runs", "series"],
    "properties": {
        "key": {
            "type": "array",
            "items": {
                "oneOf": [
                    {"type": "number"},
                    {"type": "string"},
                    {"type": "boolean"},
                    {"type": "null"},
                ]
            },
        },
        "label": {"type": "string"},
        "runs": STRINGS,
        "series": {"type": "array", "items": _GROUP_SERIES},
    },
}

COMPARE_PATHS: Final[dict[str, Any]] = {
    "/api/v1/runs/columns": {
        "get": {
            "operationId": "runColumns",
            "summary": "Every hparam (with its type) and scalar tag a runs table can show.",
            "responses": {
                "200": json_response_spec(
                    {
                        "type": "object",
                        "required": ["hparams", "metrics"],
                        "properties": {
                            "hparams": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["name", "type", "runs"],
                                    "properties": {
                                        "name": {"type": "string"},
                                        "type": {"enum": ["number", "string", "boolean", "mixed"]},
                                        "runs": {"type": "integer"},
                                    },
                                },
                            },
                            "metrics": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["tag", "runs"],
                                    "properties": {
                                        "tag": {"type": "string"},
                                        "runs": {"type": "integer"},
                                    },
                                },
                            },
                        },
                    },
                    "Columns sorted by name, with how many runs have each.",
                )
            },
        }
    },
    "/api/v1/scalars/groups": {
        "get": {
            "operationId": "groupScalars",
            "summary": "Runs grouped by hparams or a name regex; per group a line and band.",
            "parameters": [
                query(
                    "tag",
                    {**STRINGS, "minItems": 1, "maxItems": MAX_GROUP_TAGS},
                    "Scalar tags to aggregate (repeatable).",
                    style="form",
                    explode=True,
                    required=True,
                ),
                repeated("group_by", "Hparams whose values form the group key (repeatable)."),
                query(
                    "name_regex",
                    {"type": "string"},
                    "Instead of group_by: a Python regex on the run name; its capture groups "
                    "(else the whole match) are the key.",
                ),
                query("where", {"type": "string"}, "A run query choosing the runs."),
                query("regex", {"type": "string"}, "Python regex the run name must match."),
                repeated("run", "Only these runs (repeatable; default all)."),
                repeated("exclude", "Leave out these runs (repeatable)."),
                query("center", {"enum": list(CENTERS)}, "The line: mean (default) or median."),
                query(
                    "band",
                    {"enum": list(BANDS)},
                    "The band: minmax (default), std (mean ± sample std), ci95 (of the mean), "
                    "none.",
                ),
                query(
                    "points",
                    {"type": "integer", "minimum": 2, "maximum": MAX_GRID},
                    f"Grid steps per tag (default {DEFAULT_GRID}).",
                ),
            ],
            "responses": {
                "200": json_response_spec(
                    {
                        "type": "object",
                        "required": ["center", "band", "groups", "ungrouped"],
                        "properties": {
                            "center": {"enum": list(CENTERS)},
                            "band": {"enum": list(BANDS)},
                            "groups": {"type": "array", "items": _GROUP},
                            "ungrouped": {"type": "integer"},
                        },
                    },
                    "Groups sorted by key; per group one series per tag, in the order asked.",
                ),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
}
