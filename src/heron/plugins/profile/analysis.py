"""What the overview and op tables say: step time breakdown, op statistics, recommendations.

**Steps** are torch's ``ProfilerStep#N`` spans, or spans carrying a
``step_num`` argument (TensorFlow's and JAX's ``StepTraceAnnotation``). Each
step's time is split by its *top-level children* on the step's thread (spans
inside the step not inside another child):

* ``input`` — data loading (``enumerate(DataLoader)...``, ``DataLoader`` spans;
  TensorFlow's ``IteratorGetNext`` and ``Iterator::...`` tf.data spans): the
  training loop waiting for the next batch;
* ``optimizer`` — ``Optimizer.step`` / ``Optimizer.zero_grad``;
* ``compute`` — every other child (forward and backward ops);
* ``other`` — step time no child covers (Python, framework overhead).

**Ops** are spans of operator categories (torch's ``cpu_op``, device
``kernel`` / ``gpu_memcpy`` / ``gpu_memset``, runtime calls); traces without
them (JAX's) count every span that is not a step. *Self* time excludes the
time of spans nested inside on the same thread; *device* ops are the kernel
and memcpy/memset categories, and in an XSpace the events on the stream lines
of ``/device:...`` planes (its other device lines repeat that time).

**% of step** is an op's self time inside steps (spans starting within a
step's interval) as a share of all step time, so the column sums to at most
100 % over host ops of the step's thread. **Op types** for the pie charts
are op names, host and device separately, the largest few and "other".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Final

from heron.formats.trace_events import Span
from heron.plugins.profile.model import EPSILON, TraceModel, Track

__all__ = [
    "CATEGORIES",
    "OpStat",
    "StepBreakdown",
    "is_input",
    "op_stats",
    "op_type_shares",
    "recommendations",
    "step_breakdown",
]

CATEGORIES: Final = ("input", "compute", "optimizer", "other")
_STEP_NAME: Final = re.compile(r"^ProfilerStep#(\d+)$")
#: Slices of an op-type pie before the rest is merged into "other".
PIE_SLICES: Final = 8
_DEVICE_PLANE: Final = "/device:"
_DEVICE_CATEGORIES: Final = frozenset({"kernel", "gpu_memcpy", "gpu_memset"})
_OP_CATEGORIES: Final = _DEVICE_CATEGORIES | {"cpu_op", "cuda_runtime", "cuda_driver"}
_DATALOADER_ADVICE: Final = (
    "Load batches in parallel (DataLoader num_workers > 0, persistent_workers, "
    "prefetch_factor; pin_memory for GPU training) or move preprocessing off the training loop."
)
_TF_DATA_ADVICE: Final = (
    "Overlap input with training: end the tf.data pipeline with .prefetch(tf.data.AUTOTUNE), "
    "map with num_parallel_calls=tf.data.AUTOTUNE, and .cache() what does not change per epoch."
)
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
    #: Self time of the calls that start inside a step (µs).
    step_self_time: float = 0.0


def _step_number(span: Span) -> int | None:
    if span.name.startswith("ProfilerStep#"):  # cheap test first: this runs on every span
        match = _STEP_NAME.match(span.name)
        if match:
            return int(match.group(1))
    if not span.args:
        return None
    value = span.args.get("step_num")
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_input(span: Span) -> bool:
    """Data loading: the training loop waiting for its next batch (torch, TensorFlow)."""
    name = span.name
    # Plain tests, no loop: this runs on every span nested in a step.
    return "DataLoader" in name or "IteratorGetNext" in name or name.startswith("Iterator::")


def _classify(span: Span) -> str:
    name = span.name
    if is_input(span):
        return "input"
    if name.startswith("Optimizer."):
        return "optimizer"
    return "compute"


def _breakdown(track: Track, index: int, origin: float, number: int) -> StepBreakdown:
    """Split a step by its top-level children; input spans nested deeper in a child (TensorFlow's
    ``EagerLocalExecute: IteratorGetNext`` sits under ``TFE_Py_FastPathExecute_C``) move their
    time from that child's category to ``input``."""
    step = track.spans[index]
    parts = dict.fromkeys(CATEGORIES, 0.0)
    covered_until = step.start
    depth = track.depths[index]
    current: str | None = None
    input_until = step.start
    for child_index in range(index + 1, len(track.spans)):
        child = track.spans[child_index]
        if child.start >= step.end - EPSILON:
            break
        child_depth = track.depths[child_index]
        if child_depth == depth + 1 and child.start >= covered_until - EPSILON:
            end = min(child.end, step.end)
            current = _classify(child)
            parts[current] += max(0.0, end - child.start)
            covered_until = end
            input_until = end if current == "input" else child.start
        elif (
            child_depth > depth + 1
            and current not in (None, "input")
            and child.start >= input_until - EPSILON
            and child.start < covered_until
            and is_input(child)
        ):
            end = min(child.end, covered_until)
            moved = max(0.0, end - child.start)
            parts[current] -= moved
            parts["input"] += moved
            input_until = end
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


def _step_intervals(model: TraceModel) -> list[tuple[float, float]]:
    return sorted(
        (span.start, span.end)
        for track in model.tracks
        for span in track.spans
        if _step_number(span) is not None
    )


def _in_step(intervals: list[tuple[float, float]], starts: list[float], time: float) -> bool:
    index = bisect.bisect_right(starts, time + EPSILON) - 1
    return index >= 0 and time < intervals[index][1] - EPSILON


def op_stats(model: TraceModel) -> list[OpStat]:
    """Per (op name, category, host or device): calls, self and total time (µs), most self
    time first."""
    intervals = _step_intervals(model)
    starts = [start for start, _ in intervals]
    use_categories = any(
        span.category in _OP_CATEGORIES for track in model.tracks for span in track.spans
    )
    stats: dict[tuple[str, str, bool], list[float]] = {}
    for track in model.tracks:
        # XSpace has no categories: a device plane's stream lines are device time; its other
        # lines ("XLA Ops", "XLA Modules", "Steps") repeat that time and are left out.
        on_device = isinstance(track.pid, str) and track.pid.startswith(_DEVICE_PLANE)
        if on_device and not track.thread.startswith("Stream"):
            continue
        for span, self_time in zip(track.spans, track.self_times, strict=True):
            if use_categories and span.category not in _OP_CATEGORIES:
                continue
            if not use_categories and _step_number(span) is not None:
                continue
            device = on_device or span.category in _DEVICE_CATEGORIES
            entry = stats.setdefault((span.name, span.category, device), [0, 0.0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += self_time
            entry[2] += span.duration
            if _in_step(intervals, starts, span.start):
                entry[3] += self_time
    result = [
        OpStat(name, category, device, int(e[0]), e[1], e[2], e[3])
        for (name, category, device), e in stats.items()
    ]
    return sorted(result, key=lambda s: (-s.self_time, s.name))


def op_type_shares(ops: list[OpStat], *, device: bool) -> list[dict[str, Any]]:
    """Self time per op type (name) on the host or the device: the largest few, then "other"."""
    chosen = sorted((op for op in ops if op.device == device), key=lambda o: -o.self_time)
    by_name: dict[str, float] = {}
    for op in chosen:
        by_name[op.name] = by_name.get(op.name, 0.0) + op.self_time
    ranked = sorted(by_name.items(), key=lambda item: (-item[1], item[0]))
    total = sum(by_name.values())
    shown = ranked[:PIE_SLICES]
    rest = sum(time for _, time in ranked[PIE_SLICES:])
    if rest > 0:
        shown.append(("other", rest))
    return [
        {"name": name, "self_us": time, "percent": _percent(time, total)} for name, time in shown
    ]


def _percent(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else 0.0


def recommendations(
    steps: list[StepBreakdown], *, has_device: bool, tf_data: bool = False
) -> list[dict[str, Any]]:
    """Plain-language findings from the breakdown, most important first; ``tf_data`` (the
    waits are TensorFlow iterator spans) picks tf.data advice over DataLoader advice."""
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
                "data. " + (_TF_DATA_ADVICE if tf_data else _DATALOADER_ADVICE),
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
