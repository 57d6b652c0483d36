"""The trace viewer's data: the spans of a time window, at the level of detail of its width.

A window ``[start, end]`` (µs from the trace origin) drawn ``width`` pixels
wide gives each pixel ``(end - start) / width`` µs. Per track and nesting
depth, spans shorter than a pixel that follow each other within a pixel are
merged into one block (``count`` > 1, named by how many it holds) of at most
``MERGE_PIXELS`` pixels, so the answer has at most about ``width`` blocks per
(track, depth) row whatever the trace size: a 1,000,000-event trace costs the
viewer what a screenful costs. Spans a pixel or longer are always sent as
themselves.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from heron.errors import InvalidArgumentError
from heron.plugins.profile.model import TraceModel

__all__ = ["window"]

#: A merged block spans at most this many pixels, so zooming in reveals structure gradually.
MERGE_PIXELS = 4
#: Arguments of a span worth sending (small values only; torch's shapes can be long lists).
_MAX_ARG_CHARS = 200


def _small_args(args: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in args.items():
        text = value if isinstance(value, str) else repr(value)
        kept[key] = value if len(text) <= _MAX_ARG_CHARS else text[:_MAX_ARG_CHARS] + "…"
    return kept


def window(
    model: TraceModel, *, start: float | None, end: float | None, width: int
) -> dict[str, Any]:
    """Tracks and the (possibly merged) spans of ``[start, end]`` for ``width`` pixels."""
    lo = 0.0 if start is None else start
    hi = model.extent if end is None else end
    if not hi > lo:
        raise InvalidArgumentError("end must be greater than start")
    if width < 1:
        raise InvalidArgumentError("width must be at least 1")
    pixel = (hi - lo) / width
    names: dict[str, int] = {}
    #: [track, depth, start, duration, name index, count, span index]
    blocks: list[list[Any]] = []
    tracks = []
    for track_index, track in enumerate(model.tracks):
        tracks.append(
            {
                "pid": str(track.pid),
                "tid": str(track.tid),
                "process": track.process,
                "thread": track.thread,
            }
        )
        first = bisect_left(track.starts, lo + model.origin - track.longest)
        last = bisect_right(track.starts, hi + model.origin)
        pending: dict[int, list[Any]] = {}
        for index in range(first, last):
            span = track.spans[index]
            at, length = span.start - model.origin, span.duration
            if at + length < lo:
                continue
            depth = track.depths[index]
            block = pending.pop(depth, None)
            if (
                length < pixel
                and block is not None
                and at <= block[2] + block[3] + pixel
                and at + length - block[2] <= MERGE_PIXELS * pixel
            ):
                block[3] = max(block[3], at + length - block[2])
                block[5] += 1
                pending[depth] = block
                continue
            if block is not None:
                blocks.append(block)
            name = names.setdefault(span.name, len(names))
            new = [track_index, depth, at, length, name, 1, index]
            if length < pixel:
                pending[depth] = new
            else:
                blocks.append(new)
        blocks.extend(pending.values())
    events = []
    for track_index, depth, at, length, name, count, index in blocks:
        item: dict[str, Any] = {
            "track": track_index,
            "depth": depth,
            "start": at,
            "duration": length,
            "name": name,
            "count": count,
        }
        if count == 1:
            span = model.tracks[track_index].spans[index]
            item["category"] = span.category
            item["args"] = _small_args(span.args)
        events.append(item)
    return {
        "start": lo,
        "end": hi,
        "extent": model.extent,
        "pixel_us": pixel,
        "tracks": tracks,
        "names": list(names),
        "events": events,
    }
