"""GPU kernel statistics: per kernel name, how often it ran, for how long, and its launch shape.

Why a table of its own: on a GPU capture the op table says which *host* ops
launched work, but time on the device is spent in kernels, whose names
(``volta_sgemm_128x64_nn``, ``elementwise_kernel<...>``) and launch shapes
(grid, block, registers, occupancy) are what one tunes.

Where kernels come from:

* torch (Kineto) traces: complete events of category ``kernel`` on a GPU
  process; their ``args`` carry ``grid`` / ``block`` (``[x, y, z]``),
  ``registers per thread`` and ``est. achieved occupancy %``;
* XSpace (TensorFlow / JAX): events on the ``Stream ...`` lines of a
  ``/device:GPU:N`` plane; their ``kernel_details`` stat is a string
  ``"regs:32 static_shared:0 dynamic_shared:0 grid:1,1,1 block:128,1,1
  occ_pct:50"``, parsed here.

A kernel launched with different shapes keeps the most frequent one (ties:
the first seen); occupancy is the mean over the calls that report it.

**Launched by**: the host op that launched the kernel, which is what one can
change in the model. A kernel and its launch (``cudaLaunchKernel`` ...) share a
``correlation`` argument (XSpace: ``correlation_id``); the op is the launch's
parent span on its thread. A kernel name launched from several ops shows the
most frequent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from heron.formats.trace_events import Span
from heron.plugins.profile.model import TraceModel

__all__ = ["KernelStat", "is_kernel", "kernel_stats", "launch_details"]

_DEVICE_PLANE: Final = "/device:GPU:"


@dataclass(slots=True)
class KernelStat:
    name: str
    calls: int = 0
    total: float = 0.0
    minimum: float = float("inf")
    maximum: float = 0.0
    grids: Counter[str] = field(default_factory=Counter)
    blocks: Counter[str] = field(default_factory=Counter)
    registers: Counter[int] = field(default_factory=Counter)
    occupancies: list[float] = field(default_factory=list)
    launchers: Counter[str] = field(default_factory=Counter)

    @property
    def mean(self) -> float:
        return self.total / self.calls if self.calls else 0.0


def is_kernel(span: Span, thread: str) -> bool:
    """A device kernel: torch's ``kernel`` category, or an event on an XSpace GPU stream line."""
    if span.category == "kernel":
        return True
    return (
        span.category == ""
        and isinstance(span.pid, str)
        and span.pid.startswith(_DEVICE_PLANE)
        and thread.startswith("Stream")
    )


def _shape(value: Any) -> str | None:
    if isinstance(value, list | tuple) and value:
        return "×".join(str(v) for v in value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def launch_details(args: dict[str, Any]) -> dict[str, Any]:
    """Grid, block, registers per thread and occupancy (%) of one kernel event, when present."""
    found: dict[str, Any] = {}
    details = args.get("kernel_details")
    if isinstance(details, str):
        fields = dict(part.partition(":")[::2] for part in details.split())
        if "grid" in fields:
            found["grid"] = fields["grid"].replace(",", "×")
        if "block" in fields:
            found["block"] = fields["block"].replace(",", "×")
        if "regs" in fields and fields["regs"].isdigit():
            found["registers"] = int(fields["regs"])
        occupancy = _number(fields.get("occ_pct", ""))
        if occupancy is not None:
            found["occupancy"] = occupancy
    grid, block = _shape(args.get("grid")), _shape(args.get("block"))
    if grid is not None:
        found["grid"] = grid
    if block is not None:
        found["block"] = block
    registers = args.get("registers per thread")
    if isinstance(registers, int) and not isinstance(registers, bool):
        found["registers"] = registers
    occupancy = _number(args.get("est. achieved occupancy %"))
    if occupancy is not None:
        found["occupancy"] = occupancy
    return found


def _correlation(args: dict[str, Any]) -> Any:
    return args.get("correlation", args.get("correlation_id"))


def _launchers(model: TraceModel) -> dict[Any, str]:
    """Correlation id → name of the op enclosing the host-side launch with that id."""
    found: dict[Any, str] = {}
    for track in model.tracks:
        for index, span in enumerate(track.spans):
            if not span.args or is_kernel(span, track.thread):
                continue
            correlation = _correlation(span.args)
            if correlation is None or span.category in ("gpu_memcpy", "gpu_memset"):
                continue
            depth = track.depths[index]
            parent = index - 1
            while parent >= 0 and track.depths[parent] >= depth:
                parent -= 1
            found[correlation] = track.spans[parent].name if parent >= 0 else span.name
    return found


def _most_common(counter: Counter[Any]) -> Any:
    return counter.most_common(1)[0][0] if counter else None


def kernel_stats(model: TraceModel) -> dict[str, Any]:
    """Every kernel name with calls, total / mean / min / max µs, % of device time, launch shape."""
    stats: dict[str, KernelStat] = {}
    launchers = _launchers(model)
    for track in model.tracks:
        for span in track.spans:
            if not is_kernel(span, track.thread):
                continue
            stat = stats.get(span.name)
            if stat is None:
                stat = stats[span.name] = KernelStat(span.name)
            stat.calls += 1
            stat.total += span.duration
            stat.minimum = min(stat.minimum, span.duration)
            stat.maximum = max(stat.maximum, span.duration)
            details = launch_details(span.args)
            if "grid" in details:
                stat.grids[details["grid"]] += 1
            if "block" in details:
                stat.blocks[details["block"]] += 1
            if "registers" in details:
                stat.registers[details["registers"]] += 1
            if "occupancy" in details:
                stat.occupancies.append(details["occupancy"])
            launcher = launchers.get(_correlation(span.args))
            if launcher is not None:
                stat.launchers[launcher] += 1
    device_total = sum(s.total for s in stats.values())
    rows = [
        {
            "name": s.name,
            "calls": s.calls,
            "total_us": s.total,
            "mean_us": s.mean,
            "min_us": s.minimum,
            "max_us": s.maximum,
            "device_percent": 100.0 * s.total / device_total if device_total > 0 else 0.0,
            "grid": _most_common(s.grids),
            "block": _most_common(s.blocks),
            "registers": _most_common(s.registers),
            "occupancy": sum(s.occupancies) / len(s.occupancies) if s.occupancies else None,
            "launched_by": _most_common(s.launchers),
        }
        for s in stats.values()
    ]
    rows.sort(key=lambda r: (-r["total_us"], r["name"]))
    return {"kernels": rows, "device_total_us": device_total}
