"""A decoded trace prepared for questions: spans nested per thread, times from zero.

Decoding a large trace costs seconds, so the plugin keeps a few prepared
traces (``TraceCache``) keyed by the file's content (``trace_cache``): a
trace rewritten with the same size is prepared again; every analysis works on
this ``TraceModel``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heron.formats.trace_events import Span, Trace, TrackId
from heron.plugins.profile.trace_cache import ContentCache

__all__ = ["TraceCache", "TraceModel", "Track", "prepare"]

#: Nesting tolerance (µs): profilers round ``ts`` and ``dur`` independently.
EPSILON = 1e-3
#: What a prepared span costs in memory (the span, its args, its place in a track), roughly.
SPAN_BYTES = 500


@dataclass(slots=True)
class Track:
    """One thread's spans in start order, with their nesting depth and self time."""

    pid: TrackId
    tid: TrackId
    process: str
    thread: str
    sort_key: tuple[int, int, str]
    spans: list[Span] = field(default_factory=list)
    depths: list[int] = field(default_factory=list)
    self_times: list[float] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    longest: float = 0.0


@dataclass(slots=True)
class TraceModel:
    trace: Trace
    #: The earliest timestamp (µs), the zero of every time the plugin returns.
    origin: float
    #: Latest end minus ``origin`` (µs).
    extent: float
    tracks: list[Track]


def _nest(track: Track) -> None:
    """Depth and self time of each span: a span's parent is the innermost one enclosing it."""
    stack: list[int] = []
    for index, span in enumerate(track.spans):
        while stack and track.spans[stack[-1]].end <= span.start + EPSILON:
            stack.pop()
        track.depths.append(len(stack))
        track.self_times.append(span.duration)
        if stack:
            track.self_times[stack[-1]] -= span.duration
        stack.append(index)
        track.starts.append(span.start)
        track.longest = max(track.longest, span.duration)
    track.self_times = [max(0.0, t) for t in track.self_times]


def prepare(trace: Trace) -> TraceModel:
    """Group spans by thread and nest them (``trace.spans`` is sorted by start, longest first)."""
    by_thread: dict[tuple[TrackId, TrackId], Track] = {}
    for span in trace.spans:
        key = (span.pid, span.tid)
        track = by_thread.get(key)
        if track is None:
            process = trace.process_names.get(span.pid, str(span.pid))
            thread = trace.thread_names.get(key, str(span.tid))
            sort_key = (
                trace.process_sort.get(span.pid, 1 << 40),
                trace.thread_sort.get(key, 1 << 40),
                f"{process}/{thread}",
            )
            track = by_thread[key] = Track(span.pid, span.tid, process, thread, sort_key)
        track.spans.append(span)
    tracks = sorted(by_thread.values(), key=lambda t: t.sort_key)
    for track in tracks:
        _nest(track)
    times = [s.start for s in trace.spans] + [i.time for i in trace.instants]
    origin = min(times) if times else 0.0
    end = max((s.end for s in trace.spans), default=origin)
    end = max([end] + [i.time for i in trace.instants])
    return TraceModel(trace, origin, end - origin, tracks)


class TraceCache(ContentCache[TraceModel]):
    """The prepared traces shared by the routes, per file content (``trace_cache``).

    A prepared trace holds about 500 bytes per span (one object each), so the 1 GiB bound
    keeps two traces of a million spans; the trace viewer's columnar form holds a sixth of it.
    """

    def __init__(self, *, max_bytes: int = 1 << 30, revalidate_seconds: float = 2.0) -> None:
        super().__init__(
            lambda model: SPAN_BYTES * (len(model.trace.spans) + len(model.trace.instants)),
            max_bytes=max_bytes,
            revalidate_seconds=revalidate_seconds,
        )
