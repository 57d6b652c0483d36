"""Instant events and counters of a trace: their columns, level of detail and binary sections.

Spans are not all a trace holds. Instants (``ph`` ``i`` / ``I``: torch's ``[memory]``
allocations, markers) are points on a thread; counters (``ph`` ``C``: memory, queue depth)
are step functions drawn, as Chrome's trace viewer draws them, as filled area tracks — one per
(process, counter name, series). Both are kept apart from the span columns (``columnar``):
they have no duration or depth, and a window reduces them differently:

- instants on one thread closer than a pixel merge into one marker (how many, their name when
  they share one), so a thread sends at most ``width`` markers;
- a counter's samples closer than a pixel merge into the pixel's largest value (the envelope a
  filled area shows), plus the last sample before the window so the area starts at its left
  edge.

``encode_sections`` appends both to an ``HTW1`` window after its span columns; each section is
padded to 8 bytes so the browser can view its float64 columns in place (docs/http-api.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from heron.plugins.profile.trace_mark_builder import MarkColumns

__all__ = ["CounterTrack", "MarkWindow", "TraceMarks", "build_marks", "encode_sections"]

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CounterTrack:
    """One series of one counter of one process, with its range over the whole trace (so the
    area's scale does not jump while panning)."""

    pid: str
    process: str
    name: str
    series: str
    low: float
    high: float


@dataclass(slots=True)
class TraceMarks:
    """Instants sorted by (track, time) and counter samples by (counter track, time); times
    in µs from the trace's origin."""

    instant_time: F64
    instant_track: I32
    instant_name: I32
    #: Track -1 holds the global instants; track ``t``'s instants are
    #: ``instant_offsets[t + 1]:instant_offsets[t + 2]``.
    instant_offsets: I64
    #: Instant arguments as in the file: chunk ``c`` (an orjson list) holds those of the
    #: instants from ``instant_args_firsts[c]`` on, in file order; ``instant_args_ref`` is
    #: each (sorted) instant's place in file order. Decoded only when one is clicked.
    instant_args_chunks: list[bytes]
    instant_args_firsts: I64
    instant_args_ref: I64
    counter_tracks: list[CounterTrack]
    counter_time: F64
    counter_value: F64
    #: Per counter track ``c``: its samples are ``counter_offsets[c]:counter_offsets[c + 1]``.
    counter_offsets: I64

    @property
    def nbytes(self) -> int:
        arrays = (
            self.instant_time,
            self.instant_track,
            self.instant_name,
            self.instant_args_ref,
            self.counter_time,
            self.counter_value,
        )
        blobs = sum(len(a) + 40 for a in self.instant_args_chunks)
        return sum(a.nbytes for a in arrays) + blobs

    def instant_args_of(self, instant: int) -> dict[str, Any]:
        """The arguments of (sorted) instant ``instant``: its chunk's list is decoded."""
        ref = int(self.instant_args_ref[instant])
        chunk = int(np.searchsorted(self.instant_args_firsts, ref, side="right")) - 1
        if chunk < 0:
            return {}
        found = orjson.loads(self.instant_args_chunks[chunk])[
            ref - int(self.instant_args_firsts[chunk])
        ]
        return found if isinstance(found, dict) else {}


def earliest_and_latest(columns: MarkColumns) -> tuple[float, float] | None:
    """The time range the instants and counters cover (raw µs), None without any."""
    times = [
        np.frombuffer(c, dtype=np.float64) for c in (columns.instant_time, columns.counter_time)
    ]
    found = [(float(t.min()), float(t.max())) for t in times if len(t)]
    return (min(f[0] for f in found), max(f[1] for f in found)) if found else None


def _counter_order(
    keys: list[tuple[str, str, str]], process_names: dict[str, str], process_sort: dict[str, int]
) -> list[int]:
    """Counter keys in display order: by process (sort index, name, pid), counter, series."""
    return sorted(
        range(len(keys)),
        key=lambda k: (
            process_sort.get(keys[k][0], 1 << 40),
            process_names.get(keys[k][0], keys[k][0]),
            keys[k][0],
            keys[k][1],
            keys[k][2],
        ),
    )


def build_marks(
    columns: MarkColumns,
    *,
    origin: float,
    rank: I32,
    tracks: int,
    process_names: dict[str, str],
    process_sort: dict[str, int],
) -> TraceMarks:
    """Columns of the builder's instants (tracks renumbered by ``rank``, the span tracks'
    display order) and counters (ordered by process, then counter name, then series)."""
    time = np.frombuffer(columns.instant_time, dtype=np.float64) - origin
    raw = np.frombuffer(columns.instant_track, dtype=np.int32).astype(np.int64)
    track = np.where(raw < 0, -1, rank[np.maximum(raw, 0)]) if len(rank) else np.full_like(raw, -1)
    name = np.frombuffer(columns.instant_name, dtype=np.int32)
    order = np.lexsort((time, track))
    offsets = np.searchsorted(track[order], np.arange(-1, tracks + 1)).astype(np.int64)
    keys = list(columns.counter_keys)
    by_display = _counter_order(keys, process_names, process_sort)
    counter_rank = np.empty(len(keys), dtype=np.int64)
    counter_rank[by_display] = np.arange(len(keys))
    c_time = np.frombuffer(columns.counter_time, dtype=np.float64) - origin
    c_raw = np.frombuffer(columns.counter_track, dtype=np.int32)
    c_track = counter_rank[c_raw] if len(c_raw) else np.zeros(0, np.int64)
    c_value = np.frombuffer(columns.counter_value, dtype=np.float64)
    c_order = np.lexsort((c_time, c_track))
    c_time, c_track, c_value = c_time[c_order], c_track[c_order], c_value[c_order]
    c_offsets = np.searchsorted(c_track, np.arange(len(keys) + 1)).astype(np.int64)
    counter_tracks = []
    for rank_index, k in enumerate(by_display):
        pid, counter, series = keys[k]
        values = c_value[c_offsets[rank_index] : c_offsets[rank_index + 1]]
        counter_tracks.append(
            CounterTrack(
                pid,
                process_names.get(pid, pid),
                counter,
                series,
                float(min(0.0, values.min())) if len(values) else 0.0,
                float(values.max()) if len(values) else 0.0,
            )
        )
    return TraceMarks(
        instant_time=time[order],
        instant_track=track[order].astype(np.int32),
        instant_name=name[order].astype(np.int32),
        instant_offsets=offsets,
        instant_args_chunks=columns.instant_args_chunks,
        instant_args_firsts=np.array(columns.instant_args_firsts, dtype=np.int64),
        instant_args_ref=order.astype(np.int64),
        counter_tracks=counter_tracks,
        counter_time=c_time,
        counter_value=c_value,
        counter_offsets=c_offsets,
    )


@dataclass(slots=True)
class MarkWindow:
    """A window's instant markers (``instant`` ≥ 0: one instant's id; -1: merged) and counter
    points (the pixel's largest value)."""

    instant_time: F64
    instant_track: I32
    instant_name: I32
    instant_count: I32
    instant_id: I32
    counter_time: F64
    counter_value: F64
    counter_track: I32


def _instants(
    marks: TraceMarks, lo: float, hi: float, pixel: float
) -> tuple[list[npt.NDArray[Any]], ...]:
    out: tuple[list[npt.NDArray[Any]], ...] = ([], [], [], [], [])
    for k in range(len(marks.instant_offsets) - 1):
        t = k - 1
        a, b = int(marks.instant_offsets[k]), int(marks.instant_offsets[k + 1])
        times = marks.instant_time[a:b]
        first = a + int(np.searchsorted(times, lo, side="left"))
        last = a + int(np.searchsorted(times, hi, side="right"))
        if last <= first:
            continue
        st = marks.instant_time[first:last]
        breaks = np.flatnonzero(np.r_[True, np.diff(st) >= pixel])
        counts = np.diff(np.r_[breaks, len(st)]).astype(np.int32)
        names = marks.instant_name[first:last]
        same = np.minimum.reduceat(names, breaks) == np.maximum.reduceat(names, breaks)
        out[0].append(st[breaks])
        out[1].append(np.full(len(breaks), t, np.int32))
        out[2].append(np.where(same, names[breaks], -1).astype(np.int32))
        out[3].append(counts)
        out[4].append(np.where(counts == 1, first + breaks, -1).astype(np.int32))
    return out


def _counters(
    marks: TraceMarks, lo: float, hi: float, pixel: float
) -> tuple[list[npt.NDArray[Any]], ...]:
    out: tuple[list[npt.NDArray[Any]], ...] = ([], [], [])
    for c in range(len(marks.counter_tracks)):
        a, b = int(marks.counter_offsets[c]), int(marks.counter_offsets[c + 1])
        times = marks.counter_time[a:b]
        # The last sample before the window holds the value at its left edge.
        first = a + max(0, int(np.searchsorted(times, lo, side="right")) - 1)
        last = a + int(np.searchsorted(times, hi, side="right"))
        if last <= first:
            continue
        st, values = marks.counter_time[first:last], marks.counter_value[first:last]
        bucket = np.floor((np.maximum(st, lo) - lo) / pixel).astype(np.int64)
        breaks = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        out[0].append(st[breaks])
        out[1].append(np.maximum.reduceat(values, breaks))
        out[2].append(np.full(len(breaks), c, np.int32))
    return out


def mark_window(marks: TraceMarks, lo: float, hi: float, pixel: float) -> MarkWindow:
    """The markers and counter points of ``[lo, hi]`` at ``pixel`` µs per pixel."""

    def joined(parts: list[npt.NDArray[Any]], dtype: Any) -> npt.NDArray[Any]:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    i_time, i_track, i_name, i_count, i_id = _instants(marks, lo, hi, pixel)
    c_time, c_value, c_track = _counters(marks, lo, hi, pixel)
    return MarkWindow(
        instant_time=joined(i_time, np.float64),
        instant_track=joined(i_track, np.int32),
        instant_name=joined(i_name, np.int32),
        instant_count=joined(i_count, np.int32),
        instant_id=joined(i_id, np.int32),
        counter_time=joined(c_time, np.float64),
        counter_value=joined(c_value, np.float64),
        counter_track=joined(c_track, np.int32),
    )


def _padded(columns: list[npt.NDArray[Any]]) -> bytes:
    body = b"".join(c.tobytes() for c in columns)
    return body + b"\0" * (-len(body) % 8)


def encode_sections(window: MarkWindow, names: I32) -> bytes:
    """The instant section (time f64; track, name, count, id i32) and the counter section
    (time, value f64; counter track i32), each padded to 8 bytes. ``names``: the instants'
    names renumbered into the window header's ``names``."""
    instants = [
        window.instant_time.astype("<f8"),
        window.instant_track.astype("<i4"),
        names.astype("<i4"),
        window.instant_count.astype("<i4"),
        window.instant_id.astype("<i4"),
    ]
    counters = [
        window.counter_time.astype("<f8"),
        window.counter_value.astype("<f8"),
        window.counter_track.astype("<i4"),
    ]
    return _padded(instants) + _padded(counters)


def counter_header(marks: TraceMarks) -> list[dict[str, Any]]:
    return [
        {
            "pid": c.pid,
            "process": c.process,
            "name": c.name,
            "series": c.series,
            "min": c.low,
            "max": c.high,
        }
        for c in marks.counter_tracks
    ]
