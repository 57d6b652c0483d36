"""Responses and the error mapping every route shares.

Errors are text/plain, like TensorBoard's: ``InvalidArgumentError`` → 400,
``NotFoundError`` → 404. A route never turns bad input into a 500: parameter
parsing raises ``InvalidArgumentError`` through the helpers here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from heron.errors import InvalidArgumentError, NotFoundError
from heron.server.encoding import dumps, json_safe

__all__ = [
    "IMMUTABLE",
    "MAX_INT",
    "NO_CACHE",
    "blob_response",
    "error_response",
    "json_response",
    "optional_bool",
    "optional_int",
    "required",
    "text_response",
]

#: TensorBoard's default: data changes as ingest runs, so browsers must revalidate.
NO_CACHE = {"Cache-Control": "no-cache, must-revalidate", "Expires": "0"}
#: Blobs never change under their key, so browsers may keep them.
IMMUTABLE = "private, max-age=31536000, immutable"


def blob_response(request: Request, data: bytes, media_type: str) -> Response:
    """Raw blob bytes with a content ETag and a long cache (304 on a matching If-None-Match)."""
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}  # the app adds nosniff
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


def json_response(value: Any, *, safe: bool = False, status: int = 200) -> Response:
    """``safe=True`` when ``value`` holds no raw floats: it went through ``json_safe`` /
    ``float_list``, or it is names and counts only (tag listings). Skipping the walk
    matters for listings of tens of thousands of series."""
    body = dumps(value if safe else json_safe(value))
    return Response(body, status_code=status, media_type="application/json", headers=NO_CACHE)


def text_response(text: str, *, media_type: str = "text/plain", status: int = 200) -> Response:
    return Response(text, status_code=status, media_type=media_type, headers=NO_CACHE)


def error_response(request: Request, error: Exception) -> Response:
    status = 404 if isinstance(error, NotFoundError) else 400
    return PlainTextResponse(str(error) or type(error).__name__, status_code=status)


def required(params: QueryParams | Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if value is None:
        raise InvalidArgumentError(f"missing required parameter: {name}")
    return value


#: The largest integer a parameter may carry: what JSON encoders and SQLite can hold.
MAX_INT = (1 << 63) - 1


def optional_int(
    params: QueryParams | Mapping[str, str],
    name: str,
    *,
    minimum: int = 0,
    maximum: int = MAX_INT,
) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        raise InvalidArgumentError(f"{name} must be an integer, not {text!r}") from None
    if value < minimum:
        raise InvalidArgumentError(f"{name} must be at least {minimum}, not {value}")
    if value > maximum:
        raise InvalidArgumentError(f"{name} must be at most {maximum}, not {text}")
    return value


def optional_bool(params: QueryParams | Mapping[str, str], name: str) -> bool:
    """``true``/``1``/``yes`` or ``false``/``0``/``no`` (absent: false); anything else is a 400."""
    text = params.get(name, "false").lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise InvalidArgumentError(f"{name} must be true or false, not {text!r}")
