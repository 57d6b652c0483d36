"""Building blocks of the OpenAPI document shared by the modules that describe routes.

``openapi.py``, ``openapi_compare.py`` and ``api_run_table.py`` each describe some
routes; the shapes of a query parameter, a JSON response and the plain-text error
are the same everywhere, so they are written once here.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["ERROR", "STRINGS", "json_response_spec", "query", "repeated"]

STRINGS: Final[dict[str, Any]] = {"type": "array", "items": {"type": "string"}}
#: Every 400 / 404 answer: the message says what is wrong.
ERROR: Final[dict[str, Any]] = {
    "description": "What is wrong with the request, in plain text.",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}


def query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    """A query parameter."""
    return {"name": name, "in": "query", "schema": schema, "description": description, **extra}


def repeated(name: str, description: str, **extra: Any) -> dict[str, Any]:
    """A query parameter of strings given once per value (``?metric=a&metric=b``)."""
    return query(name, STRINGS, description, style="form", explode=True, **extra)


def json_response_spec(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A response whose body is JSON of ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}
