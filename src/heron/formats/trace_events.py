"""Chrome's trace-event format: what ``torch.profiler`` and JAX write as ``*.trace.json[.gz]``.

A trace is JSON — ``{"traceEvents": [...], ...}`` or a bare list of events —
optionally gzipped. Each event has a phase ``ph``; the ones profilers write:

* ``X`` complete events: ``ts`` and ``dur`` in microseconds;
* ``B`` / ``E`` begin/end pairs, matched per (pid, tid) as a stack;
* ``i`` / ``I`` instant events (torch's ``[memory]`` allocations are these);
* ``C`` counter events (``args`` holds the series values);
* ``s`` / ``t`` / ``f`` flow events (an arrow between events, joined by ``id``);
* ``M`` metadata: ``process_name``, ``thread_name`` (and sort indices).

``pid`` and ``tid`` are integers or strings (torch writes ``"Spans"``).
Decoding keeps every span, instant, counter and flow point; the top-level
keys other than ``traceEvents`` (torch's ``deviceProperties``,
``distributedInfo``, ``host_name``...) are kept as ``metadata``. Malformed
input raises ``TraceFormatError``; events that lack a field are skipped and
counted, so one bad event does not hide a trace.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "Counter",
    "Flow",
    "Instant",
    "Span",
    "Trace",
    "TraceFormatError",
    "TrackId",
    "decode_trace",
    "decompress_trace",
]

#: A decompressed trace larger than this is refused (a JSON bomb, or not a trace).
MAX_TRACE_BYTES: Final = 2 << 30
_GZIP_MAGIC: Final = b"\x1f\x8b"

#: A process or thread id as the trace writes it.
TrackId = int | str


class TraceFormatError(ValueError):
    """The bytes are not a trace-event document."""


@dataclass(frozen=True, slots=True)
class Span:
    """An interval on a thread: an ``X`` event, or a matched ``B``/``E`` pair (µs)."""

    name: str
    category: str
    pid: TrackId
    tid: TrackId
    start: float
    duration: float
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True, slots=True)
class Instant:
    """A moment on a thread, process or globally (``scope`` ``t``, ``p`` or ``g``)."""

    name: str
    category: str
    pid: TrackId
    tid: TrackId
    time: float
    scope: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Counter:
    """A ``C`` event: values of a named counter of a process at a time."""

    name: str
    pid: TrackId
    time: float
    values: dict[str, float]


@dataclass(frozen=True, slots=True)
class Flow:
    """One point of a flow arrow: ``phase`` ``s`` (start), ``t`` (step) or ``f`` (finish)."""

    id: str
    name: str
    category: str
    phase: str
    pid: TrackId
    tid: TrackId
    time: float


@dataclass(slots=True)
class Trace:
    """A decoded trace; spans are sorted by (start, longest first) so parents precede children."""

    spans: list[Span] = field(default_factory=list)
    instants: list[Instant] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    process_names: dict[TrackId, str] = field(default_factory=dict)
    thread_names: dict[tuple[TrackId, TrackId], str] = field(default_factory=dict)
    process_sort: dict[TrackId, int] = field(default_factory=dict)
    thread_sort: dict[tuple[TrackId, TrackId], int] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    #: Events dropped: an unknown phase, a missing field, an ``E`` without its ``B``.
    skipped: int = 0


def decompress_trace(data: bytes) -> bytes:
    """``data`` itself, or its gunzipped bytes when it starts with gzip's magic."""
    if data[:2] == _GZIP_MAGIC:
        try:
            return _gunzip(data)
        except (OSError, EOFError, zlib.error) as error:
            raise TraceFormatError(f"not a readable gzip stream: {error}") from None
    return data


def decode_trace(data: bytes) -> Trace:
    """The trace in ``data`` (JSON, gzipped or not)."""
    data = decompress_trace(data)
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise TraceFormatError(f"not JSON: {error}") from None
    if isinstance(document, list):
        events, metadata = document, {}
    elif isinstance(document, dict) and isinstance(document.get("traceEvents", []), list):
        events = document.get("traceEvents", [])
        metadata = {k: v for k, v in document.items() if k != "traceEvents"}
    else:
        raise TraceFormatError("a trace is a JSON object with a traceEvents list, or a list")
    trace = Trace(metadata=metadata)
    open_spans: dict[tuple[TrackId, TrackId], list[dict[str, Any]]] = {}
    for event in events:
        if not isinstance(event, dict):
            trace.skipped += 1
            continue
        try:
            _add(trace, event, open_spans)
        except (KeyError, TypeError, ValueError):
            trace.skipped += 1
    trace.skipped += sum(len(stack) for stack in open_spans.values())
    trace.spans.sort(key=lambda s: (s.start, -s.duration))
    trace.instants.sort(key=lambda i: i.time)
    trace.counters.sort(key=lambda c: c.time)
    return trace


def _gunzip(data: bytes) -> bytes:
    # BytesIO over immutable bytes shares them until written (no copy).
    with gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as stream:
        out: bytes = stream.read(MAX_TRACE_BYTES + 1)
    if len(out) > MAX_TRACE_BYTES:
        raise TraceFormatError("the decompressed trace is larger than 2 GiB")
    return out


def _track(event: dict[str, Any], key: str) -> TrackId:
    value = event.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return str(value)
    return value


def _args(event: dict[str, Any]) -> dict[str, Any]:
    args = event.get("args")
    return args if isinstance(args, dict) else {}


def _add(
    trace: Trace,
    event: dict[str, Any],
    open_spans: dict[tuple[TrackId, TrackId], list[dict[str, Any]]],
) -> None:
    phase = event["ph"]
    pid, tid = _track(event, "pid"), _track(event, "tid")
    if phase == "X":
        trace.spans.append(
            Span(
                name=str(event["name"]),
                category=str(event.get("cat", "")),
                pid=pid,
                tid=tid,
                start=float(event["ts"]),
                duration=max(0.0, float(event.get("dur", 0.0))),
                args=_args(event),
            )
        )
    elif phase == "B":
        float(event["ts"])  # validated now, used at the matching E
        open_spans.setdefault((pid, tid), []).append(event)
    elif phase == "E":
        stack = open_spans.get((pid, tid))
        if not stack:
            raise KeyError("E without B")
        begin = stack.pop()
        start = float(begin["ts"])
        trace.spans.append(
            Span(
                name=str(begin.get("name", event.get("name", ""))),
                category=str(begin.get("cat", event.get("cat", ""))),
                pid=pid,
                tid=tid,
                start=start,
                duration=max(0.0, float(event["ts"]) - start),
                args={**_args(begin), **_args(event)},
            )
        )
    elif phase in ("i", "I", "n"):
        trace.instants.append(
            Instant(
                name=str(event.get("name", "")),
                category=str(event.get("cat", "")),
                pid=pid,
                tid=tid,
                time=float(event["ts"]),
                scope=str(event.get("s", "t")),
                args=_args(event),
            )
        )
    elif phase == "C":
        values = {k: float(v) for k, v in _args(event).items() if isinstance(v, int | float)}
        trace.counters.append(Counter(str(event.get("name", "")), pid, float(event["ts"]), values))
    elif phase in ("s", "t", "f"):
        trace.flows.append(
            Flow(
                id=str(event["id"]),
                name=str(event.get("name", "")),
                category=str(event.get("cat", "")),
                phase=phase,
                pid=pid,
                tid=tid,
                time=float(event["ts"]),
            )
        )
    elif phase == "M":
        _metadata_event(trace, event, pid, tid)
    else:
        raise ValueError(f"phase {phase!r} is not read")


def _metadata_event(trace: Trace, event: dict[str, Any], pid: TrackId, tid: TrackId) -> None:
    args = _args(event)
    name = event.get("name")
    if name == "process_name":
        trace.process_names[pid] = str(args["name"])
    elif name == "thread_name":
        trace.thread_names[(pid, tid)] = str(args["name"])
    elif name == "process_sort_index":
        trace.process_sort[pid] = int(args["sort_index"])
    elif name == "thread_sort_index":
        trace.thread_sort[(pid, tid)] = int(args["sort_index"])
