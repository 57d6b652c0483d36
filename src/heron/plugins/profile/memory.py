"""Memory over time, and the allocations live at its peak, from torch's ``[memory]`` events.

With ``profile_memory=True`` each allocation or free is an instant event whose
``args`` carry ``Addr``, ``Bytes`` (negative for a free), the allocator's
running ``Total Allocated`` (and ``Total Reserved``) after it, ``Device Type``
(0 = CPU, 1 = CUDA, as in ``c10::DeviceType``) and ``Device Id``.

* The series per device is those totals in time order; the peak is their
  maximum (the allocator's own number, which also counts memory allocated
  before the capture started).
* What is live at the peak needs a replay: allocations (by address) up to
  and including the peak event, minus the frees seen by then. Each live
  allocation is attributed to the innermost op enclosing its event on the
  same thread — the op that asked for the memory. Bytes at the peak that no
  allocation in the capture explains (allocated before it started) are
  reported as ``unattributed_bytes``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Final

from heron.formats.trace_events import Instant
from heron.plugins.profile.model import EPSILON, TraceModel, Track

__all__ = ["memory_series"]

_DEVICE_TYPES: Final = {0: "CPU", 1: "CUDA", 2: "MKLDNN", 9: "XLA", 13: "MPS", 20: "XPU"}
#: At most this many live allocations are listed (largest first); the count says how many exist.
MAX_LIVE: Final = 200


@dataclass(frozen=True, slots=True)
class _Event:
    instant: Instant
    allocated: float
    reserved: float
    change: float
    address: Any


def _device(args: dict[str, Any]) -> str:
    kind = args.get("Device Type", 0)
    label = _DEVICE_TYPES.get(kind, f"device type {kind}") if isinstance(kind, int) else str(kind)
    index = args.get("Device Id", -1)
    return label if label == "CPU" or index in (-1, None) else f"{label}:{index}"


def _events(model: TraceModel) -> dict[str, list[_Event]]:
    by_device: dict[str, list[_Event]] = {}
    for instant in model.trace.instants:
        if instant.name != "[memory]" or "Total Allocated" not in instant.args:
            continue
        try:
            allocated = float(instant.args["Total Allocated"])
            reserved = float(instant.args.get("Total Reserved", 0))
            change = float(instant.args.get("Bytes", 0))
        except (TypeError, ValueError):
            continue
        by_device.setdefault(_device(instant.args), []).append(
            _Event(instant, allocated, reserved, change, instant.args.get("Addr"))
        )
    for events in by_device.values():
        events.sort(key=lambda e: e.instant.time)
    return by_device


def _enclosing_op(track: Track | None, time: float) -> str | None:
    """The innermost span of ``track`` containing ``time``: the latest-starting one that does."""
    if track is None:
        return None
    index = bisect.bisect_right(track.starts, time + EPSILON) - 1
    while index >= 0:
        span = track.spans[index]
        if span.start < time - track.longest - EPSILON:
            break
        if span.end >= time - EPSILON:
            return span.name
        index -= 1
    return None


def _live_at(events: list[_Event], peak: int, model: TraceModel) -> dict[str, Any]:
    live: dict[Any, _Event] = {}
    for event in events[: peak + 1]:
        if event.address is None:
            continue
        if event.change > 0:
            live[event.address] = event
        elif event.change < 0:
            live.pop(event.address, None)
    tracks = {(t.pid, t.tid): t for t in model.tracks}
    rows = sorted(live.values(), key=lambda e: (-e.change, e.instant.time))
    listed = [
        {
            "address": str(e.address),
            "bytes": e.change,
            "time_us": e.instant.time - model.origin,
            "op": _enclosing_op(tracks.get((e.instant.pid, e.instant.tid)), e.instant.time),
        }
        for e in rows[:MAX_LIVE]
    ]
    known = sum(e.change for e in rows)
    return {
        "allocations": listed,
        "count": len(rows),
        "live_bytes": known,
        "unattributed_bytes": max(0.0, events[peak].allocated - known),
    }


def memory_series(model: TraceModel) -> list[dict[str, Any]]:
    """Per device: times (µs from the origin), allocated and reserved bytes, the peak, and the
    allocations live at the peak."""
    result = []
    for device, events in sorted(_events(model).items()):
        peak = max(range(len(events)), key=lambda i: events[i].allocated)
        result.append(
            {
                "device": device,
                "times_us": [e.instant.time - model.origin for e in events],
                "allocated_bytes": [e.allocated for e in events],
                "reserved_bytes": [e.reserved for e in events],
                "peak": {
                    "time_us": events[peak].instant.time - model.origin,
                    "bytes": events[peak].allocated,
                },
                "peak_live": _live_at(events, peak, model),
            }
        )
    return result
