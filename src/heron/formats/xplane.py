"""XSpace (``*.xplane.pb``, TensorFlow's and JAX's profiler output) as a trace-event ``Trace``.

So that the profile plugin analyses one shape whichever profiler wrote the
file: each plane (a host, a device) becomes a process named by the plane,
each line (a thread, a stream) a thread named by the line's display name, each
event a span named by its metadata's display name, with the event's stats
(keys from the plane's stat metadata; reference values resolved to names)
as ``args``. Aggregated events (``num_occurrences`` instead of an offset)
have no time and are counted as skipped.

Times: a line's ``timestamp_ns`` plus an event's ``offset_ps``. They are
taken relative to the earliest line timestamp in the space, in integers,
before becoming float microseconds — absolute epoch microseconds as floats
would lose the sub-microsecond part. The base is kept as
``metadata["base_time_ns"]``.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.message import DecodeError

from heron.formats.proto.xplane_pb2 import XPlane, XSpace, XStat
from heron.formats.trace_events import Span, Trace, TraceFormatError

__all__ = ["decode_xspace"]


def _stat_value(stat: XStat, plane: XPlane) -> Any:
    kind = stat.WhichOneof("value")
    if kind is None:
        return None
    if kind == "ref_value":
        ref = plane.stat_metadata.get(stat.ref_value)
        return ref.name if ref is not None else stat.ref_value
    if kind == "bytes_value":
        return f"<{len(stat.bytes_value)} bytes>"
    return getattr(stat, kind)


def _stats(stats: Any, plane: XPlane) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for stat in stats:
        meta = plane.stat_metadata.get(stat.metadata_id)
        args[meta.name if meta is not None else str(stat.metadata_id)] = _stat_value(stat, plane)
    return args


def decode_xspace(data: bytes) -> Trace:
    """The spans of every plane and line of the XSpace in ``data``."""
    space = XSpace()
    try:
        space.ParseFromString(data)
    except DecodeError as error:
        raise TraceFormatError(f"not an XSpace: {error}") from None
    stamps = [line.timestamp_ns for plane in space.planes for line in plane.lines]
    base = min(stamps, default=0)
    trace = Trace(metadata={"base_time_ns": base, "format": "xplane"})
    if space.hostnames:
        trace.metadata["host_name"] = space.hostnames[0]
    if space.errors:
        trace.metadata["errors"] = list(space.errors)
    for plane in space.planes:
        pid = plane.name or str(plane.id)
        trace.process_names[pid] = pid
        for line in plane.lines:
            tid = line.display_id or line.id
            trace.thread_names[(pid, tid)] = line.display_name or line.name or str(tid)
            origin_ps = (line.timestamp_ns - base) * 1000
            for event in line.events:
                if event.WhichOneof("data") == "num_occurrences":
                    trace.skipped += 1
                    continue
                meta = plane.event_metadata.get(event.metadata_id)
                name = (meta.display_name or meta.name) if meta is not None else ""
                trace.spans.append(
                    Span(
                        name=name or str(event.metadata_id),
                        category="",
                        pid=pid,
                        tid=tid,
                        start=(origin_ps + event.offset_ps) / 1e6,
                        duration=max(0, event.duration_ps) / 1e6,
                        args=_stats(event.stats, plane),
                    )
                )
    trace.spans.sort(key=lambda s: (s.start, -s.duration))
    return trace
