"""Level of detail: the spans of a time window as a screen of ``width`` pixels shows them.

Per row (track, depth) the window's spans are found by binary search (rows are contiguous and
sorted by start in ``ColumnarTrace``). A span a pixel long or longer is sent as itself. Spans
shorter than a pixel are merged into *busy blocks*: a run of short spans where each starts
less than a pixel after the previous ones ended becomes one block ``[first start, last end]``
with how many spans it holds (its name when they all share one). Spans of one row do not
overlap, so a row sends at most about ``width`` blocks whatever the trace size, and zooming
in splits blocks until every span is itself.

``encode_window`` writes the answer as the viewer reads it without parsing: ``HTW1``, a JSON
header, then little-endian columns (docs/http-api.md, "Binary trace windows").
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from heron.errors import InvalidArgumentError
from heron.plugins.profile.columnar import ColumnarTrace
from heron.plugins.profile.trace_marks import (
    MarkWindow,
    counter_header,
    encode_sections,
    mark_window,
)

__all__ = ["MAGIC", "MEDIA_TYPE", "TraceWindow", "decode_window", "encode_window", "lod_window"]

MAGIC: Final = b"HTW1"
MEDIA_TYPE: Final = "application/vnd.heron.trace-window"
_PREFIX: Final = struct.Struct("<4sI")


@dataclass(slots=True)
class TraceWindow:
    """Blocks of a window, row by row: real spans (``span`` ≥ 0) and merged ones (-1)."""

    start: float
    end: float
    pixel: float
    blocks_start: npt.NDArray[np.float64]
    blocks_duration: npt.NDArray[np.float64]
    track: npt.NDArray[np.int32]
    depth: npt.NDArray[np.int32]
    #: Into the trace's name table; -1 for a merged block of several names.
    name: npt.NDArray[np.int32]
    count: npt.NDArray[np.int32]
    span: npt.NDArray[np.int32]
    #: Instant markers and counter points (``trace_marks``).
    marks: MarkWindow


def _row(
    trace: ColumnarTrace, r: int, lo: float, hi: float, pixel: float
) -> tuple[npt.NDArray[Any], ...] | None:
    a, b = int(trace.row_offsets[r]), int(trace.row_offsets[r + 1])
    starts = trace.start[a:b]
    first = int(np.searchsorted(starts, lo - trace.row_longest[r], side="left"))
    last = int(np.searchsorted(starts, hi, side="right"))
    if last <= first:
        return None
    ids = np.arange(a + first, a + last, dtype=np.int64)
    st, du = trace.start[ids], trace.duration[ids]
    visible = st + du >= lo
    ids, st, du = ids[visible], st[visible], du[visible]
    if len(ids) == 0:
        return None
    long = du >= pixel
    out_start, out_dur = [st[long]], [du[long]]
    out_name, out_count, out_span = (
        [trace.name[ids[long]]],
        [np.ones(int(long.sum()), np.int32)],
        [ids[long]],
    )
    short = ~long
    if short.any():
        ss, se, si = st[short], st[short] + du[short], ids[short]
        reach = np.maximum.accumulate(se)
        breaks = np.flatnonzero(np.r_[True, ss[1:] - reach[:-1] >= pixel])
        counts = np.diff(np.r_[breaks, len(ss)]).astype(np.int32)
        ends = np.maximum.reduceat(se, breaks)
        names = trace.name[si]
        same = np.minimum.reduceat(names, breaks) == np.maximum.reduceat(names, breaks)
        out_start.append(ss[breaks])
        out_dur.append(ends - ss[breaks])
        out_name.append(np.where(same, names[breaks], -1).astype(np.int32))
        out_count.append(counts)
        out_span.append(np.where(counts == 1, si[breaks], -1))
    start = np.concatenate(out_start)
    order = np.argsort(start, kind="stable")
    return (
        start[order],
        np.concatenate(out_dur)[order],
        np.concatenate(out_name)[order],
        np.concatenate(out_count)[order],
        np.concatenate(out_span)[order],
    )


def lod_window(
    trace: ColumnarTrace, *, start: float | None, end: float | None, width: int
) -> TraceWindow:
    """The blocks of ``[start, end]`` (µs from the trace's origin; the whole trace by default)."""
    lo = 0.0 if start is None else start
    hi = (trace.extent if trace.extent > 0 else 1.0) if end is None else end
    if not hi > lo:
        raise InvalidArgumentError("end must be greater than start")
    if width < 1:
        raise InvalidArgumentError("width must be at least 1")
    pixel = (hi - lo) / width
    parts: list[tuple[npt.NDArray[Any], ...]] = []
    tracks: list[npt.NDArray[np.int32]] = []
    depths: list[npt.NDArray[np.int32]] = []
    for r in range(len(trace.row_track)):
        found = _row(trace, r, lo, hi, pixel)
        if found is None:
            continue
        parts.append(found)
        n = len(found[0])
        tracks.append(np.full(n, trace.row_track[r], np.int32))
        depths.append(np.full(n, trace.row_depth[r], np.int32))

    def column(i: int, dtype: Any) -> npt.NDArray[Any]:
        return np.concatenate([p[i] for p in parts]).astype(dtype) if parts else np.zeros(0, dtype)

    return TraceWindow(
        start=lo,
        end=hi,
        pixel=pixel,
        blocks_start=column(0, np.float64),
        blocks_duration=column(1, np.float64),
        track=np.concatenate(tracks) if tracks else np.zeros(0, np.int32),
        depth=np.concatenate(depths) if depths else np.zeros(0, np.int32),
        name=column(2, np.int32),
        count=column(3, np.int32),
        span=column(4, np.int32),
        marks=mark_window(trace.marks, lo, hi, pixel),
    )


def encode_window(trace: ColumnarTrace, window: TraceWindow) -> bytes:
    """``HTW1`` + header length + JSON header (padded to 8) + seven columns of ``count`` each,
    padded to 8, then the instant and counter sections (``trace_marks.encode_sections``).

    Columns: start, duration (float64, µs from the origin); track, depth, name (into the
    header's ``names``, -1: several), count (spans merged), span (id for ``/trace/event``, -1
    when merged) as int32. Names are renumbered to those the window uses. Readers of the
    span columns alone (the format before instants and counters) ignore what follows them.
    """
    marks = window.marks
    every = np.concatenate([window.name, marks.instant_name])
    used, local = np.unique(every[every >= 0], return_inverse=True)
    renumbered = np.full(len(every), -1, dtype=np.int32)
    renumbered[every >= 0] = local.astype(np.int32)
    names, instant_names = renumbered[: len(window.name)], renumbered[len(window.name) :]
    header = {
        "start": window.start,
        "end": window.end,
        "extent": trace.extent,
        "pixel_us": window.pixel,
        "count": len(window.blocks_start),
        "spans": trace.size,
        "tracks": [
            {
                "pid": t.pid,
                "tid": t.tid,
                "process": t.process,
                "thread": t.thread,
                "depths": t.depths,
            }
            for t in trace.tracks
        ],
        "names": [trace.names[i] for i in used.tolist()],
        "instants": len(marks.instant_time),
        "instants_total": len(trace.marks.instant_time),
        "counter_points": len(marks.counter_time),
        "counter_tracks": counter_header(trace.marks),
        "processes": [{"pid": pid, "name": name} for pid, name in trace.processes],
    }
    text = json.dumps(header, ensure_ascii=False, allow_nan=False).encode()
    text += b" " * (-(len(text) + _PREFIX.size) % 8)
    columns = [
        window.blocks_start.astype("<f8"),
        window.blocks_duration.astype("<f8"),
        window.track.astype("<i4"),
        window.depth.astype("<i4"),
        names.astype("<i4"),
        window.count.astype("<i4"),
        window.span.astype("<i4"),
    ]
    spans = b"".join(c.tobytes() for c in columns)
    spans += b"\0" * (-len(spans) % 8)
    sections = encode_sections(marks, instant_names)
    return b"".join([_PREFIX.pack(MAGIC, len(text)), text, spans, sections])


def decode_window(body: bytes) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    """The header and columns of an ``encode_window`` body (for Python clients and tests)."""
    magic, length = _PREFIX.unpack_from(body)
    if magic != MAGIC:
        raise ValueError(f"not a trace window (magic {magic!r})")
    header: dict[str, Any] = json.loads(body[8 : 8 + length])
    n, offset = int(header["count"]), 8 + length
    columns: dict[str, npt.NDArray[Any]] = {}
    for name, dtype in (
        ("start", "<f8"),
        ("duration", "<f8"),
        ("track", "<i4"),
        ("depth", "<i4"),
        ("name", "<i4"),
        ("count", "<i4"),
        ("span", "<i4"),
    ):
        columns[name] = np.frombuffer(body, dtype=dtype, count=n, offset=offset)
        offset += n * np.dtype(dtype).itemsize
    sections = (
        ("instant_", int(header.get("instants", 0)), _INSTANT_COLUMNS),
        ("counter_", int(header.get("counter_points", 0)), _COUNTER_COLUMNS),
    )
    for prefix, size, layout in sections:
        offset += -offset % 8
        for name, dtype in layout:
            columns[prefix + name] = np.frombuffer(body, dtype=dtype, count=size, offset=offset)
            offset += size * np.dtype(dtype).itemsize
    return header, columns


_INSTANT_COLUMNS: Final = (
    ("time", "<f8"),
    ("track", "<i4"),
    ("name", "<i4"),
    ("count", "<i4"),
    ("id", "<i4"),
)
_COUNTER_COLUMNS: Final = (("time", "<f8"), ("value", "<f8"), ("track", "<i4"))
