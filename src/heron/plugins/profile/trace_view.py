"""Plain functions behind the trace viewer's routes (no HTTP): windows, a span, a range, search.

The trace is read as columns (``columnar``), once per file content (``trace_cache``); no
answer here holds more than a screenful: a window's blocks (``lod``), one span with its
arrows, a range's per-name totals, or one search hit. Times are µs from the trace's origin.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from heron.core.provider import ReadProvider
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.trace_events import TraceFormatError
from heron.formats.xplane import decode_xspace
from heron.plugins.profile.columnar import ColumnarTrace, build_columns, columns_of
from heron.plugins.profile.lod import encode_window, lod_window
from heron.plugins.profile.sessions import PLUGIN_NAME, find_host
from heron.plugins.profile.trace_cache import ColumnarCache
from heron.plugins.profile.trace_counter_range import counter_range

__all__ = [
    "instant_details",
    "load_columns",
    "range_summary",
    "search",
    "span_details",
    "window_bytes",
]

#: Rows a range summary lists (the names with the most time in the range).
SUMMARY_ROWS: Final = 200
_MAX_ARG_CHARS: Final = 200


def load_columns(
    provider: ReadProvider,
    cache: ColumnarCache,
    run: str,
    session: str,
    host: str | None,
    *,
    format: str | None = None,
) -> ColumnarTrace:
    """The columnar trace of (run, session, host), parsed once per file content."""
    file = find_host(provider, run, session, host, format=format)

    def build(data: bytes) -> ColumnarTrace:
        try:
            return (
                columns_of(decode_xspace(data)) if file.format == "xplane" else build_columns(data)
            )
        except TraceFormatError as error:
            raise NotFoundError(
                f"the trace {file.asset!r} of run {run!r} is unreadable: {error}"
            ) from None

    return cache.get(
        (run, file.asset, str(file.size)),
        lambda: provider.read_asset(PLUGIN_NAME, run, file.asset),
        build,
    )


def window_bytes(
    trace: ColumnarTrace, *, start: float | None, end: float | None, width: int
) -> bytes:
    """The binary window (``lod.encode_window``) of ``[start, end]`` at ``width`` pixels."""
    return encode_window(trace, lod_window(trace, start=start, end=end, width=width))


def _brief(trace: ColumnarTrace, span: int) -> dict[str, Any]:
    return {
        "id": span,
        "track": int(trace.track[span]),
        "depth": int(trace.depth[span]),
        "start": float(trace.start[span]),
        "duration": float(trace.duration[span]),
        "name": trace.names[int(trace.name[span])],
    }


def _small_args(args: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in args.items():
        text = value if isinstance(value, str) else repr(value)
        kept[key] = value if len(text) <= _MAX_ARG_CHARS else text[:_MAX_ARG_CHARS] + "…"
    return kept


def span_details(trace: ColumnarTrace, span: int) -> dict[str, Any]:
    """One span: name, category, times, self time, arguments and its flow arrows both ways."""
    if not 0 <= span < trace.size:
        raise NotFoundError(f"no span {span} (the trace has {trace.size})")
    arrows = np.flatnonzero((trace.flow_from == span) | (trace.flow_to == span))
    return {
        **_brief(trace, span),
        "category": trace.categories[int(trace.category[span])],
        "self": float(trace.self_time[span]),
        "args": _small_args(trace.args(span)),
        "flows": [
            {
                "id": str(trace.flow_ids[i]),
                "from": _brief(trace, int(trace.flow_from[i])),
                "to": _brief(trace, int(trace.flow_to[i])),
            }
            for i in arrows.tolist()
        ],
    }


def instant_details(trace: ColumnarTrace, instant: int) -> dict[str, Any]:
    """One instant event: its name, thread (-1: global), time and arguments."""
    marks = trace.marks
    if not 0 <= instant < len(marks.instant_time):
        raise NotFoundError(f"no instant {instant} (the trace has {len(marks.instant_time)})")
    return {
        "id": instant,
        "track": int(marks.instant_track[instant]),
        "time": float(marks.instant_time[instant]),
        "name": trace.names[int(marks.instant_name[instant])],
        "args": _small_args(marks.instant_args_of(instant)),
    }


def range_summary(
    trace: ColumnarTrace,
    *,
    start: float,
    end: float,
    tracks: list[int] | None,
    counters: list[int] | None = None,
) -> dict[str, Any]:
    """Per name: spans overlapping ``[start, end]``, their time inside it, and their self time
    inside it (a span's self time counted in proportion to how much of it is inside); per
    counter track: its min / max / time-weighted mean there (``trace_counter_range``).
    ``tracks`` / ``counters``: which thread / counter tracks (None: all; []: none)."""
    if not end > start:
        raise InvalidArgumentError("end must be greater than start")
    if tracks is not None and any(not 0 <= t < len(trace.tracks) for t in tracks):
        raise InvalidArgumentError(f"tracks must be between 0 and {len(trace.tracks) - 1}")
    known = len(trace.marks.counter_tracks)
    if counters is not None and any(not 0 <= c < known for c in counters):
        raise InvalidArgumentError(
            f"counters must be between 0 and {known - 1}" if known else "the trace has no counters"
        )
    ends = trace.start + trace.duration
    inside = (trace.start <= end) & (ends >= start)
    if tracks is not None:
        inside &= np.isin(trace.track, np.array(tracks, dtype=np.int32))
    ids = np.flatnonzero(inside)
    overlap = np.minimum(ends[ids], end) - np.maximum(trace.start[ids], start)
    duration = trace.duration[ids]
    share = np.divide(overlap, duration, out=np.ones_like(overlap), where=duration > 0)
    names = trace.name[ids]
    size = len(trace.names)
    count = np.bincount(names, minlength=size)
    total = np.bincount(names, weights=overlap, minlength=size)
    self_time = np.bincount(names, weights=trace.self_time[ids] * share, minlength=size)
    order = np.lexsort((-count, -total))
    order = order[count[order] > 0][:SUMMARY_ROWS]
    return {
        "start": start,
        "end": end,
        "spans": len(ids),
        "names": int(np.count_nonzero(count)),
        "ops": [
            {
                "name": trace.names[i],
                "count": int(count[i]),
                "total_us": float(total[i]),
                "self_us": float(self_time[i]),
            }
            for i in order.tolist()
        ],
        "counters": counter_range(
            trace.marks, start=start, end=end, extent=trace.extent, counters=counters
        ),
    }


def search(
    trace: ColumnarTrace, query: str, *, after: float | None, before: float | None
) -> dict[str, Any]:
    """Spans whose name holds ``query`` (case-insensitive): how many, and the first one starting
    after ``after`` (or the last one before ``before``), for next / previous."""
    needle = query.strip().lower()
    if not needle:
        raise InvalidArgumentError("q must not be empty")
    matching = np.array(
        [i for i, name in enumerate(trace.names) if needle in name.lower()], dtype=np.int32
    )
    hits = np.flatnonzero(np.isin(trace.name, matching)) if len(matching) else np.zeros(0, int)
    found: int | None = None
    if len(hits):
        starts = trace.start[hits]
        if before is not None:
            candidates = hits[starts < before]
            if len(candidates):
                found = int(candidates[np.argmax(trace.start[candidates])])
        else:
            lo = -np.inf if after is None else after
            candidates = hits[starts > lo]
            if len(candidates):
                found = int(candidates[np.argmin(trace.start[candidates])])
    return {"total": len(hits), "match": None if found is None else _brief(trace, found)}
