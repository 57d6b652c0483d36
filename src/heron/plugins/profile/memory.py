"""Memory over time, from torch's ``[memory]`` instant events (``profile_memory=True``).

Each allocation or free is an instant event whose ``args`` carry the
allocator's running ``Total Allocated`` (and ``Total Reserved``) after it,
with ``Device Type`` (0 = CPU, 1 = CUDA, as in ``c10::DeviceType``) and
``Device Id``. So the series per device is those totals in time order, and
the peak is their maximum — no replay of allocations is needed.
"""

from __future__ import annotations

from typing import Any, Final

from heron.plugins.profile.model import TraceModel

__all__ = ["memory_series"]

_DEVICE_TYPES: Final = {0: "CPU", 1: "CUDA", 2: "MKLDNN", 9: "XLA", 13: "MPS", 20: "XPU"}


def _device(args: dict[str, Any]) -> str:
    kind = args.get("Device Type", 0)
    label = _DEVICE_TYPES.get(kind, f"device type {kind}") if isinstance(kind, int) else str(kind)
    index = args.get("Device Id", -1)
    return label if label == "CPU" or index in (-1, None) else f"{label}:{index}"


def memory_series(model: TraceModel) -> list[dict[str, Any]]:
    """Per device: times (µs from the origin), allocated and reserved bytes, and the peak."""
    series: dict[str, dict[str, list[float]]] = {}
    for instant in model.trace.instants:
        if instant.name != "[memory]" or "Total Allocated" not in instant.args:
            continue
        try:
            allocated = float(instant.args["Total Allocated"])
            reserved = float(instant.args.get("Total Reserved", 0))
        except (TypeError, ValueError):
            continue
        points = series.setdefault(
            _device(instant.args), {"times": [], "allocated": [], "reserved": []}
        )
        points["times"].append(instant.time - model.origin)
        points["allocated"].append(allocated)
        points["reserved"].append(reserved)
    result = []
    for device, points in sorted(series.items()):
        peak = max(range(len(points["allocated"])), key=points["allocated"].__getitem__)
        result.append(
            {
                "device": device,
                "times_us": points["times"],
                "allocated_bytes": points["allocated"],
                "reserved_bytes": points["reserved"],
                "peak": {"time_us": points["times"][peak], "bytes": points["allocated"][peak]},
            }
        )
    return result
