"""HTTP wrappers of the trace viewer (``trace_view``): ``/trace/window``, ``/trace/event`` (a
span, or an instant with ``instant=``),
``/trace/summary`` and ``/trace/search`` under ``/data/plugin/profile``.

Kept apart from ``routes.py`` (the dashboard's other views) so the viewer's parameter checks
live beside the functions they guard: a bad window or span is a 400 / 404, never a 500.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.errors import InvalidArgumentError
from heron.plugins.profile.columnar import ColumnarTrace
from heron.plugins.profile.lod import MEDIA_TYPE
from heron.plugins.profile.trace_cache import ColumnarCache
from heron.plugins.profile.trace_view import (
    instant_details,
    load_columns,
    range_summary,
    search,
    span_details,
    window_bytes,
)
from heron.server.plugin import provider_of
from heron.server.responses import NO_CACHE, json_response, optional_int, required

__all__ = ["trace_routes"]

#: The widest window the viewer may ask for, in pixels.
MAX_WIDTH: Final = 16384
#: Smaller bodies are sent as they are.
_GZIP_MINIMUM: Final = 4096


def _number(request: Request, name: str, *, needed: bool = False) -> float | None:
    text = request.query_params.get(name)
    if text is None:
        if needed:
            raise InvalidArgumentError(f"missing required parameter: {name}")
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidArgumentError(f"{name} must be a number, not {text!r}") from None
    if not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be finite, not {text!r}")
    return value


def _indices(request: Request, name: str) -> list[int] | None:
    """Comma-separated indices; None when absent (all), [] when empty (none)."""
    text = request.query_params.get(name)
    if text is None:
        return None
    if text.strip() == "":
        return []
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise InvalidArgumentError(
            f"{name} must be comma-separated integers, not {text!r}"
        ) from None


def _gzip(request: Request, body: bytes) -> tuple[bytes, dict[str, str]]:
    if len(body) < _GZIP_MINIMUM or "gzip" not in request.headers.get("accept-encoding", ""):
        return body, dict(NO_CACHE)
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return compressor.compress(body) + compressor.flush(), {**NO_CACHE, "Content-Encoding": "gzip"}


def trace_routes(cache: ColumnarCache) -> Sequence[BaseRoute]:
    """The viewer's routes, sharing ``cache``."""

    def columns(request: Request) -> ColumnarTrace:
        params = request.query_params
        run, session = required(params, "run"), required(params, "session")
        file_format = params.get("format")
        if file_format not in (None, "trace_json", "xplane"):
            raise InvalidArgumentError(f"format must be trace_json or xplane, not {file_format!r}")
        return load_columns(
            provider_of(request), cache, run, session, params.get("host"), format=file_format
        )

    def window(request: Request) -> Response:
        start, end = _number(request, "start"), _number(request, "end")
        width = optional_int(request.query_params, "width", minimum=1, maximum=MAX_WIDTH)
        if start is not None and end is not None and not end > start:
            raise InvalidArgumentError("end must be greater than start")
        trace = columns(request)
        body, headers = _gzip(
            request, window_bytes(trace, start=start, end=end, width=width or 1000)
        )
        return Response(body, media_type=MEDIA_TYPE, headers=headers)

    def event(request: Request) -> Response:
        instant = optional_int(request.query_params, "instant", minimum=0)
        span = optional_int(request.query_params, "id", minimum=0)
        if instant is not None and span is not None:
            raise InvalidArgumentError("give id or instant, not both")
        if instant is not None:
            return json_response(instant_details(columns(request), instant))
        if span is None:
            raise InvalidArgumentError("missing required parameter: id (or instant)")
        return json_response(span_details(columns(request), span))

    def summary(request: Request) -> Response:
        start = _number(request, "start", needed=True) or 0.0
        end = _number(request, "end", needed=True) or 0.0
        if not end > start:
            raise InvalidArgumentError("end must be greater than start")
        tracks, counters = _indices(request, "tracks"), _indices(request, "counters")
        return json_response(
            range_summary(columns(request), start=start, end=end, tracks=tracks, counters=counters)
        )

    def find(request: Request) -> Response:
        query = required(request.query_params, "q")
        after, before = _number(request, "after"), _number(request, "before")
        if after is not None and before is not None:
            raise InvalidArgumentError("give after or before, not both")
        return json_response(search(columns(request), query, after=after, before=before))

    return [
        Route("/trace/window", window),
        Route("/trace/event", event),
        Route("/trace/summary", summary),
        Route("/trace/search", find),
    ]
