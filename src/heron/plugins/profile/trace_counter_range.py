"""What a counter track did inside a time range: for the trace viewer's range summary.

A counter is a step function, as the viewer draws it: a sample's value holds from its time
until the next sample of its track, and the last one until the trace's end. Inside a range
``[start, end]`` the values seen are the one holding at ``start`` and those of the samples
after it up to ``end``; the mean weighs each by how long it holds inside the range, so a
spike that lasts a microsecond does not count as much as a plateau that lasts the range
(a plain mean of the samples would, and would say nothing where no sample falls inside).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from heron.plugins.profile.trace_marks import TraceMarks

__all__ = ["counter_range"]


def counter_range(
    marks: TraceMarks, *, start: float, end: float, extent: float, counters: list[int] | None
) -> list[dict[str, Any]]:
    """Per counter track (all, or those of ``counters``, in display order) that has a value
    inside ``[start, end]``: its samples inside, and the min / max / time-weighted mean of the
    value over the range. ``extent``: the trace's end, where the last sample stops holding."""
    chosen = range(len(marks.counter_tracks)) if counters is None else sorted(set(counters))
    out = []
    for c in chosen:
        a, b = int(marks.counter_offsets[c]), int(marks.counter_offsets[c + 1])
        times, values = marks.counter_time[a:b], marks.counter_value[a:b]
        # The sample holding at ``start`` (if one came before it), then those up to ``end``.
        lo = max(0, int(np.searchsorted(times, start, side="right")) - 1)
        hi = int(np.searchsorted(times, end, side="right"))
        if hi <= lo:
            continue  # the counter starts after the range
        held_until = np.r_[times[lo + 1 : hi], times[hi] if hi < len(times) else extent]
        begin = np.maximum(times[lo:hi], start)
        weight = np.maximum(np.minimum(held_until, end) - begin, 0.0)
        inside = hi - int(np.searchsorted(times, start, side="left"))
        total = float(weight.sum())
        if total <= 0.0 and inside == 0:
            continue  # the range lies after the trace's end
        shown = values[lo:hi]
        mean = float((shown * weight).sum() / total) if total > 0.0 else float(shown.mean())
        info = marks.counter_tracks[c]
        out.append(
            {
                "track": c,
                "pid": info.pid,
                "process": info.process,
                "name": info.name,
                "series": info.series,
                "samples": inside,
                "min": float(shown.min()),
                "max": float(shown.max()),
                "mean": mean,
            }
        )
    return out
