"""A trace as compact columns: what the trace viewer reads, built in one streaming pass.

The object model (``model.TraceModel``: a ``Span`` object per event) holds ~500 MB for a
1,000,000-event trace and takes seconds to build. The viewer needs far less: per span its
start, duration, thread, nesting depth, name and self time — numpy columns of ~45 bytes a
span — plus its arguments only when it is clicked (one orjson list per chunk, decoded on
demand). Events are read a chunk at a time (``heron.formats.trace_stream``) and appended to
columns by ``trace_builder``, so the dicts of the whole document never exist at once.

Spans are stored in *row order*: by (track, depth, start), so that each row of the timeline
is one contiguous slice whose starts are sorted — what the level-of-detail windows
(``heron.plugins.profile.lod``) binary-search. Flow events (``ph`` ``s`` / ``t`` / ``f``,
torch's ``ac2g`` CPU→GPU arrows) are bound to spans as Chrome binds them: to the innermost
span on their thread enclosing their time, else the next span starting after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from heron.formats.trace_events import Trace
from heron.formats.trace_stream import iter_trace_chunks
from heron.plugins.profile.trace_builder import TraceBuilder
from heron.plugins.profile.trace_marks import TraceMarks, build_marks, earliest_and_latest

__all__ = ["ColumnarTrace", "TrackInfo", "build_columns", "columns_of"]

#: Nesting tolerance (µs): profilers round ``ts`` and ``dur`` independently.
EPSILON = 1e-3
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TrackInfo:
    """A thread (or GPU stream) of the timeline and how many nesting levels it has."""

    pid: str
    tid: str
    process: str
    thread: str
    depths: int


@dataclass(slots=True)
class ColumnarTrace:
    """Spans in row order; times in µs from ``origin`` (the earliest span)."""

    origin: float
    extent: float
    tracks: list[TrackInfo]
    names: list[str]
    categories: list[str]
    start: F64
    duration: F64
    self_time: F64
    track: I32
    depth: I32
    name: I32
    category: I32
    #: Row ``r`` (tracks in display order, depths within) owns spans
    #: ``row_offsets[r]:row_offsets[r + 1]``; ``row_track`` / ``row_depth`` say which row it is.
    row_offsets: I64
    row_track: I32
    row_depth: I32
    #: The longest span of each row: how far before a window's start a visible span may begin.
    row_longest: F64
    #: Arrows between spans (span ids), in time order of their source.
    flow_from: I32
    flow_to: I32
    #: The flow's id (as text) of each arrow: one numpy string array, not 100,000 small
    #: strings that would keep the parse's freed memory from going back to the allocator.
    flow_ids: npt.NDArray[np.str_]
    #: A span's arguments: ``args_ref`` is its place in the file's order of spans; chunk ``c``
    #: (orjson bytes of a list) holds those from ``args_firsts[c]`` on.
    args_chunks: list[bytes]
    args_firsts: I64
    args_ref: I64
    skipped: int
    #: Instant events and counters (``trace_marks``).
    marks: TraceMarks
    #: Every process with a thread or a counter, as (pid, name), in display order (sort
    #: index, name, pid): the viewer draws a block per process, its counters then its threads.
    processes: list[tuple[str, str]]

    @property
    def size(self) -> int:
        return len(self.start)

    @property
    def nbytes(self) -> int:
        """Memory held, for the cache's bound."""
        arrays = (
            self.start,
            self.duration,
            self.self_time,
            self.track,
            self.depth,
            self.name,
            self.category,
            self.row_offsets,
            self.args_ref,
            self.flow_from,
            self.flow_to,
        )
        names = sum(len(n) + 50 for n in self.names) + self.flow_ids.nbytes
        blobs = sum(len(c) + 40 for c in self.args_chunks)
        return sum(a.nbytes for a in arrays) + blobs + names + self.marks.nbytes

    def args(self, span: int) -> dict[str, Any]:
        """The span's arguments (its chunk's list is decoded: a few hundred KB at most)."""
        ref = int(self.args_ref[span])
        chunk = int(np.searchsorted(self.args_firsts, ref, side="right")) - 1
        if chunk < 0:
            return {}
        listed = orjson.loads(self.args_chunks[chunk])
        found = listed[ref - int(self.args_firsts[chunk])]
        return found if isinstance(found, dict) else {}


def _depths(start: F64, end: F64) -> I64:
    """Nesting depth of one track's spans (sorted by start, longest first), without a loop.

    A span's ancestors are the earlier spans still open when it starts: its index minus the
    spans that ended by then (``EPSILON`` forgives rounding). Spans of (almost) no length at
    the very same start are the only later ones that count as ended; they are corrected one
    by one.
    """
    count = len(start)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    limit = start + EPSILON
    ended = np.searchsorted(np.sort(end), limit, side="right")
    depth = np.arange(count, dtype=np.int64) - ended
    ties = np.searchsorted(start, limit, side="right")
    for i in np.flatnonzero((ties - np.arange(count) > 1) | (end <= limit)).tolist():
        later = end[i : ties[i]] <= limit[i]
        depth[i] += int(np.count_nonzero(later))
    result: I64 = np.maximum(depth, 0)
    return result


def _self_times(start: F64, duration: F64, row_offsets: I64, row_track: I32, row_depth: I32) -> F64:
    """Duration minus the children's: children of a span at depth d are the spans of the row
    below (same track, depth d + 1) that start inside it."""
    self_time = duration.copy()
    end = start + duration
    for r in range(len(row_offsets) - 2):
        if row_track[r + 1] != row_track[r] or row_depth[r + 1] != row_depth[r] + 1:
            continue
        lo, hi = row_offsets[r], row_offsets[r + 1]
        clo, chi = row_offsets[r + 1], row_offsets[r + 2]
        child_start = start[clo:chi]
        cumulative = np.r_[0.0, np.cumsum(duration[clo:chi])]
        first = np.searchsorted(child_start, start[lo:hi] - EPSILON, side="left")
        last = np.searchsorted(child_start, end[lo:hi] - EPSILON, side="left")
        self_time[lo:hi] -= cumulative[last] - cumulative[first]
    return np.maximum(self_time, 0.0)


def build_columns(data: bytes) -> ColumnarTrace:
    """Decode a trace-event document (JSON, gzipped or not) into a ``ColumnarTrace``."""
    builder = TraceBuilder()
    stream = iter_trace_chunks(data)
    for chunk in stream.chunks():
        builder.chunk(chunk)
    builder.skipped += sum(len(s) for s in builder.open.values())
    return _finish(builder)


def _finish(b: TraceBuilder) -> ColumnarTrace:
    start = np.frombuffer(b.start, dtype=np.float64)
    duration = np.maximum(np.frombuffer(b.duration, dtype=np.float64), 0.0)
    track = np.frombuffer(b.track, dtype=np.int32)
    # The origin and extent cover instants and counters too (a counter may start first).
    first = float(start.min()) if len(start) else None
    last = float((start + duration).max()) if len(start) else None
    marked = earliest_and_latest(b.marks)
    if marked is not None:
        first = marked[0] if first is None else min(first, marked[0])
        last = marked[1] if last is None else max(last, marked[1])
    origin = 0.0 if first is None else first
    extent = 0.0 if last is None else last - origin
    # Display order of tracks: by process (sort index, name, pid), so that a process's
    # threads are contiguous, then by thread (sort index, name).
    keys = list(b.tracks)
    labels = [(b.process_names.get(p, p), b.thread_names.get((p, t), t)) for p, t in keys]

    def process_key(pid: str) -> tuple[int, str, str]:
        return (b.process_sort.get(pid, 1 << 40), b.process_names.get(pid, pid), pid)

    order = sorted(
        range(len(keys)),
        key=lambda i: (
            *process_key(keys[i][0]),
            b.thread_sort.get(keys[i], 1 << 40),
            labels[i][1],
        ),
    )
    pids = {p for p, _ in keys} | {p for p, _, _ in b.marks.counter_keys}
    processes = [(p, b.process_names.get(p, p)) for p in sorted(pids, key=process_key)]
    rank = np.empty(len(keys), dtype=np.int32)
    rank[order] = np.arange(len(keys), dtype=np.int32)
    track = rank[track] if len(keys) else track
    by_start = np.lexsort((-duration, start, track))
    depth = np.zeros(len(start), dtype=np.int32)
    bounds = np.searchsorted(track[by_start], np.arange(len(keys) + 1))
    for t in range(len(keys)):
        part = by_start[bounds[t] : bounds[t + 1]]
        depth[part] = _depths(start[part], start[part] + duration[part])
    row_of = track.astype(np.int64) * (1 << 20) + depth
    rows = by_start[np.argsort(row_of[by_start], kind="stable")]
    start, duration, track, depth = start[rows], duration[rows], track[rows], depth[rows]
    name = np.frombuffer(b.name, dtype=np.int32)[rows]
    category = np.frombuffer(b.category, dtype=np.int32)[rows]
    args_ref = rows.astype(np.int64)
    row_key = track.astype(np.int64) * (1 << 20) + depth
    if len(row_key):
        row_starts = np.flatnonzero(np.r_[True, row_key[1:] != row_key[:-1]])
    else:
        row_starts = np.zeros(0, dtype=np.int64)
    row_offsets = np.r_[row_starts, len(row_key)].astype(np.int64)
    row_track = track[row_starts] if len(row_starts) else np.zeros(0, np.int32)
    row_depth = depth[row_starts] if len(row_starts) else np.zeros(0, np.int32)
    row_longest = (
        np.maximum.reduceat(duration, row_starts) if len(row_starts) else np.zeros(0, np.float64)
    )
    self_time = _self_times(start, duration, row_offsets, row_track, row_depth)
    depths_per_track = np.zeros(len(keys), dtype=np.int64)
    np.maximum.at(depths_per_track, row_track, row_depth + 1)
    tracks = [
        TrackInfo(
            keys[i][0], keys[i][1], labels[i][0], labels[i][1], int(depths_per_track[rank[i]])
        )
        for i in order
    ]
    trace = ColumnarTrace(
        origin=origin,
        extent=extent,
        tracks=tracks,
        names=list(b.names),
        categories=list(b.categories),
        start=start - origin,
        duration=duration,
        self_time=self_time,
        track=track.astype(np.int32),
        depth=depth,
        name=name.astype(np.int32),
        category=category.astype(np.int32),
        row_offsets=row_offsets,
        row_track=row_track.astype(np.int32),
        row_depth=row_depth.astype(np.int32),
        row_longest=row_longest,
        flow_from=np.zeros(0, np.int32),
        flow_to=np.zeros(0, np.int32),
        flow_ids=np.zeros(0, dtype=np.str_),
        args_chunks=b.args_chunks,
        args_firsts=np.array(b.args_firsts, dtype=np.int64),
        args_ref=args_ref,
        skipped=b.skipped,
        marks=build_marks(
            b.marks,
            origin=origin,
            rank=rank,
            tracks=len(keys),
            process_names=b.process_names,
            process_sort=b.process_sort,
        ),
        processes=processes,
    )
    _bind_flows(trace, b.flows, rank)
    return trace


def _bind_flows(
    trace: ColumnarTrace, points: list[tuple[str, str, int, float, bool]], rank: I32
) -> None:
    """Arrows between consecutive points of each flow id, each point bound to a span."""
    if not points or trace.size == 0:
        return
    # Per track, spans by start (ids in row order) to find the span at a time.
    by_start = np.lexsort((-trace.duration, trace.start, trace.track))
    tracks_sorted = trace.track[by_start]
    bounds = np.searchsorted(tracks_sorted, np.arange(len(trace.tracks) + 1))
    ends = trace.start + trace.duration
    codes: dict[str, int] = {}
    flow_code = np.array([codes.setdefault(p[0], len(codes)) for p in points], dtype=np.int64)
    flow_track = rank[np.array([p[2] for p in points], dtype=np.int64)]
    flow_time = np.array([p[3] for p in points], dtype=np.float64) - trace.origin
    flow_enclosing = np.array([p[4] for p in points], dtype=bool)
    flow_span = np.full(len(points), -1, dtype=np.int64)
    for t in np.unique(flow_track).tolist():
        ids = by_start[bounds[t] : bounds[t + 1]]
        which = np.flatnonzero(flow_track == t)
        if len(ids) == 0:
            continue
        starts, track_ends, times = trace.start[ids], ends[ids], flow_time[which]
        inside = np.searchsorted(starts, times + EPSILON, side="right") - 1
        after = np.searchsorted(starts, times - EPSILON, side="left")
        found = np.full(len(which), -1, dtype=np.int64)
        ok = flow_enclosing[which] & (inside >= 0)
        ok[ok] = track_ends[inside[ok]] >= times[ok] - EPSILON
        found[ok] = ids[inside[ok]]
        # The innermost span that encloses the time may start before later, shorter siblings.
        for k in np.flatnonzero(flow_enclosing[which] & ~ok & (inside >= 0)).tolist():
            for j in range(int(inside[k]) - 1, max(-1, int(inside[k]) - 256), -1):
                if track_ends[j] >= times[k] - EPSILON:
                    found[k] = ids[j]
                    break
        rest = (found < 0) & (after < len(ids))
        found[rest] = ids[after[rest]]
        flow_span[which] = found
    keep = flow_span >= 0
    code, time, span = flow_code[keep], flow_time[keep], flow_span[keep]
    order = np.lexsort((time, code))
    code, span = code[order], span[order]
    pair = (code[1:] == code[:-1]) & (span[1:] != span[:-1])
    sources, targets, pair_codes = span[:-1][pair], span[1:][pair], code[:-1][pair]
    by_time = np.argsort(trace.start[sources], kind="stable")
    names = list(codes)
    trace.flow_from = sources[by_time].astype(np.int32)
    trace.flow_to = targets[by_time].astype(np.int32)
    trace.flow_ids = np.array(names, dtype=np.str_)[pair_codes[by_time]]


def columns_of(trace: Trace) -> ColumnarTrace:
    """The columns of an already decoded trace (XSpace captures: small, decoded as objects)."""
    builder = TraceBuilder()
    events: list[dict[str, Any]] = []
    for pid, name in trace.process_names.items():
        events.append({"ph": "M", "name": "process_name", "pid": pid, "args": {"name": name}})
    for (pid, tid), name in trace.thread_names.items():
        events.append(
            {"ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": {"name": name}}
        )
    for pid, index in trace.process_sort.items():
        events.append(
            {"ph": "M", "name": "process_sort_index", "pid": pid, "args": {"sort_index": index}}
        )
    for (pid, tid), index in trace.thread_sort.items():
        events.append(
            {
                "ph": "M",
                "name": "thread_sort_index",
                "pid": pid,
                "tid": tid,
                "args": {"sort_index": index},
            }
        )
    for s in trace.spans:
        events.append(
            {
                "ph": "X",
                "name": s.name,
                "cat": s.category,
                "pid": s.pid,
                "tid": s.tid,
                "ts": s.start,
                "dur": s.duration,
                "args": s.args,
            }
        )
    for i in trace.instants:
        events.append(
            {"ph": "i", "s": i.scope, "name": i.name, "cat": i.category, "pid": i.pid,
             "tid": i.tid, "ts": i.time, "args": i.args}
        )  # fmt: skip
    for c in trace.counters:
        events.append({"ph": "C", "name": c.name, "pid": c.pid, "ts": c.time, "args": c.values})
    for f in trace.flows:
        events.append(
            {"ph": f.phase, "id": f.id, "pid": f.pid, "tid": f.tid, "ts": f.time, "bp": "e"}
        )
    builder.chunk(events)
    builder.skipped += trace.skipped
    return _finish(builder)
