"""Input pipeline analysis: per step, how long the training loop waited for its next batch.

The wait is the step breakdown's ``input`` part (``analysis.step_breakdown``):
the top-level spans of the step that are data loading — torch's
``enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__`` (or
``_MultiProcessingDataLoaderIter``), TensorFlow's ``IteratorGetNext`` and
``Iterator::...`` tf.data spans. Using the very same numbers as the overview
keeps the verdict here and the overview's recommendation from disagreeing.

The verdict follows the overview's threshold (``analysis.INPUT_BOUND``).
"""

from __future__ import annotations

from typing import Any

from heron.plugins.profile.analysis import INPUT_BOUND, StepBreakdown

__all__ = ["input_pipeline"]


def _verdict(percent: float, has_input: bool, has_steps: bool) -> tuple[str, str]:
    if not has_steps:
        return "no_steps", "No training steps in this trace, so waits cannot be given per step."
    if not has_input:
        return (
            "no_input_events",
            "No data-loading spans inside the steps (torch: iterate a DataLoader inside the "
            "profiled loop; TensorFlow: IteratorGetNext), so input waits are not measured.",
        )
    if percent >= 100 * INPUT_BOUND:
        return "input_bound", f"input-bound: {percent:.0f} % of step time waiting for data"
    return "not_input_bound", f"not input-bound: {percent:.0f} % of step time waiting for data"


def input_pipeline(steps: list[StepBreakdown], *, has_input_events: bool) -> dict[str, Any]:
    """Per step: wait (µs) and its share of the step; overall share and a one-line verdict."""
    total = sum(s.duration for s in steps)
    waited = sum(s.parts["input"] for s in steps)
    percent = 100.0 * waited / total if total > 0 else 0.0
    kind, text = _verdict(percent, has_input_events, bool(steps))
    return {
        "steps": [
            {
                "step": s.step,
                "duration_us": s.duration,
                "wait_us": s.parts["input"],
                "percent": 100.0 * s.parts["input"] / s.duration if s.duration > 0 else 0.0,
            }
            for s in steps
        ],
        "wait_us": waited,
        "step_us": total,
        "percent": percent,
        "kind": kind,
        "verdict": text,
    }
