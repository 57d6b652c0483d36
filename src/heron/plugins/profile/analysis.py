"""What the overview and op tables say: step time breakdown, op statistics, recommendations.

**Steps** are torch's ``ProfilerStep#N`` spans, or spans carrying a
``step_num`` argument (TensorFlow's and JAX's ``StepTraceAnnotation``). Each
step's time is split by its *top-level children* on the step's thread (spans
inside the step not inside another child):

* ``input`` — data loading (``enumerate(DataLoader)...``, ``DataLoader`` spans):
  the training loop waiting for the next batch;
* ``optimizer`` — ``Optimizer.step`` / ``Optimizer.zero_grad``;
* ``compute`` — every other child (forward and backward ops);
* ``other`` — step time no child covers (Python, framework overhead).

**Ops** are spans of operator categories (torch's ``cpu_op``, device
``kernel`` / ``gpu_memcpy`` / ``gpu_memset``, runtime calls); traces without
them (JAX's) count every span that is not a step. *Self* time excludes the
time of spans nested inside on the same thread; *device* ops are the kernel
and memcpy/memset categories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from heron.formats.trace_events import Span
from heron.plugins.profile.model import EPSILON, TraceModel, Track

__all__ = [
    "CATEGORIES",
    "OpStat",
    "StepBreakdown",
    "op_stats",
    "recommendations",
    "step_breakdown",
]

CATEGORIES: Final = ("input", "compute", "optimizer", "other")
_STEP_NAME: Final = re.compile(r"^ProfilerStep#(\d+)$")
_DEVICE_CATEGORIES: Final = frozenset({"kernel", "gpu_memcpy", "gpu_memset"})
_OP_CATEGORIES: Final = _DEVICE_CATEGORIES | {"cpu_op", "cuda_runtime", "cuda_driver"}
#: A category worth a recommendation at this share of step time.
INPUT_BOUND: Final = 0.10
HOST_BOUND: Final = 0.30


@dataclass(frozen=True, slots=True)
class StepBreakdown:
    step: int
    name: str
    #: Start relative to the trace origin, and duration (µs).
    start: float
    duration: float
    #: µs per category of ``CATEGORIES``.
    parts: dict[str, float]


@dataclass(frozen=True, slots=True)
class OpStat:
    name: str
    category: str
    device: bool
    calls: int
    self_time: float
    total_time: float


def _step_number(span: Span) -> int | None:
    match = _STEP_NAME.match(span.name)
    if match:
        return int(match.group(1))
    value = span.args.get("step_num")
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _classify(span: Span) -> str:
    name = span.name
    if "DataLoader" in name or name.startswith("enumerate(DataLoader)"):
        return "input"
    if name.startswith("Optimizer."):
        return "optimizer"
    return "compute"


def _breakdown(track: Track, index: int, origin: float, number: int) -> StepBreakdown:
    step = track.spans[index]
    parts = dict.fromkeys(CATEGORIES, 0.0)
    covered_until = step.start
    depth = track.depths[index]
    for child_index in range(index + 1, len(track.spans)):
        child = track.spans[child_index]
        if child.start >= step.end - EPSILON:
            break
        if track.depths[child_index] != depth + 1 or child.start < covered_until - EPSILON:
            continue
        end = min(child.end, step.end)
        parts[_classify(child)] += max(0.0, end - child.start)
        covered_until = end
    parts["other"] = max(0.0, step.duration - sum(parts.values()))
    return StepBreakdown(number, step.name, step.start - origin, step.duration, parts)


def step_breakdown(model: TraceModel) -> list[StepBreakdown]:
    """Every step span of the trace, sorted by start, with its time split by category."""
    steps: list[StepBreakdown] = []
    for track in model.tracks:
        for index, span in enumerate(track.spans):
            number = _step_number(span)
            if number is not None:
                steps.append(_breakdown(track, index, model.origin, number))
    return sorted(steps, key=lambda s: s.start)


def op_stats(model: TraceModel) -> list[OpStat]:
    """Per (op name, category): calls, self and total time (µs), most self time first."""
    use_categories = any(
        span.category in _OP_CATEGORIES for track in model.tracks for span in track.spans
    )
    stats: dict[tuple[str, str], list[float]] = {}
    for track in model.tracks:
        for span, self_time in zip(track.spans, track.self_times, strict=True):
            if use_categories and span.category not in _OP_CATEGORIES:
                continue
            if not use_categories and _step_number(span) is not None:
                continue
            entry = stats.setdefault((span.name, span.category), [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += self_time
            entry[2] += span.duration
    result = [
        OpStat(name, category, category in _DEVICE_CATEGORIES, int(e[0]), e[1], e[2])
        for (name, category), e in stats.items()
    ]
    return sorted(result, key=lambda s: (-s.self_time, s.name))


def _percent(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else 0.0


def recommendations(steps: list[StepBreakdown], *, has_device: bool) -> list[dict[str, Any]]:
    """Plain-language findings from the breakdown, most important first."""
    if not steps:
        return [
            {
                "kind": "no_steps",
                "text": "No training steps were found in this trace (torch: call "
                "prof.step() once per step; TensorFlow/JAX: use StepTraceAnnotation), "
                "so time is not broken down per step.",
            }
        ]
    total = sum(s.duration for s in steps)
    share = {c: sum(s.parts[c] for s in steps) / total if total else 0.0 for c in CATEGORIES}
    found: list[dict[str, Any]] = []
    if share["input"] >= INPUT_BOUND:
        found.append(
            {
                "kind": "input_bound",
                "percent": round(100 * share["input"], 1),
                "text": f"input-bound: {100 * share['input']:.0f} % of step time waiting for "
                "data. Load batches in parallel (DataLoader num_workers > 0, "
                "persistent_workers, prefetch_factor; pin_memory for GPU training) or "
                "move preprocessing off the training loop.",
            }
        )
    if share["other"] >= HOST_BOUND:
        found.append(
            {
                "kind": "host_overhead",
                "percent": round(100 * share["other"], 1),
                "text": f"{100 * share['other']:.0f} % of step time is outside any op "
                "(Python and framework overhead): larger batches, fewer small ops, or "
                "torch.compile can reduce it.",
            }
        )
    if not found:
        found.append(
            {
                "kind": "compute_bound",
                "percent": round(100 * share["compute"], 1),
                "text": f"compute-bound: {100 * share['compute']:.0f} % of step time is in "
                "forward and backward ops; see the op table for the most expensive ones.",
            }
        )
    if not has_device:
        found.append(
            {
                "kind": "cpu_only",
                "text": "No device (GPU) activity was recorded: this capture is CPU-only.",
            }
        )
    return found


def summary_percent(steps: list[StepBreakdown]) -> dict[str, dict[str, float]]:
    """Per category: total µs over all steps and its percent of total step time."""
    total = sum(s.duration for s in steps)
    return {
        category: {
            "time_us": sum(s.parts[category] for s in steps),
            "percent": _percent(sum(s.parts[category] for s in steps), total),
        }
        for category in CATEGORIES
    }
