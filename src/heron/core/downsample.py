"""Downsampling that never lies about the data.

Charts show at most a few thousand points, but series hold millions. TensorBoard
samples points at random, so a loss spike is visible or not depending on luck.
Here scalars are reduced with a *min/max envelope*: the step range is cut into
equal-width buckets and each bucket keeps its lowest and highest point, so every
extreme survives at any zoom; the first and last points are always kept, so the
curve starts and ends where the data does. Only real points are returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from heron.errors import InvalidArgumentError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["BucketStats", "bucket_stats", "envelope_indices", "even_indices"]

MIN_POINTS = 2


def envelope_indices(
    steps: npt.NDArray[np.int64], values: npt.NDArray[np.float64], max_points: int
) -> npt.NDArray[np.int64]:
    """Indices (ascending) of at most ``max_points`` points forming the min/max envelope.

    ``steps`` must be sorted ascending. NaN values are neither the minimum nor
    the maximum of a bucket that has numbers, but a bucket of NaNs only keeps
    one of them, so gaps stay visible; ±inf are ordinary extremes.
    """
    import numpy as np

    _check(max_points)
    count = len(steps)
    if count <= max_points:
        return np.arange(count, dtype=np.int64)
    # First and last points take two slots; each bucket may take two more.
    buckets = max((max_points - 2) // 2, 1)
    low, high = int(steps[0]), int(steps[-1])
    span = max(high - low, 1)
    # Float arithmetic: (step - low) * buckets could overflow int64 for huge steps.
    scale = buckets / (span + 1)
    bucket_of = np.minimum(((steps - low) * scale).astype(np.int64), buckets - 1)
    # Bucket boundaries in the sorted index space.
    starts = np.searchsorted(bucket_of, np.arange(buckets), side="left")
    ends = np.searchsorted(bucket_of, np.arange(buckets), side="right")
    nonempty = ends > starts
    starts, ends = starts[nonempty], ends[nonempty]
    missing = np.isnan(values)
    lowest = np.where(missing, np.inf, values)
    highest = np.where(missing, -np.inf, values)
    min_at = np.minimum.reduceat(lowest, starts)
    max_at = np.maximum.reduceat(highest, starts)
    chosen = [np.array([0, count - 1], dtype=np.int64)]
    for reduced, source in ((min_at, lowest), (max_at, highest)):
        # Position of the first point in each bucket equal to its extreme.
        hits = np.flatnonzero(source == np.repeat(reduced, ends - starts))
        bucket_index = np.searchsorted(starts, hits, side="right") - 1
        first_hit = np.unique(bucket_index, return_index=True)[1]
        chosen.append(hits[first_hit].astype(np.int64))
    selected = np.unique(np.concatenate(chosen))
    if len(selected) > max_points:  # only when the bucket count was clamped to 1
        keep = np.linspace(0, len(selected) - 1, max_points).round().astype(np.int64)
        selected = selected[keep]
    return selected


@dataclass(frozen=True, slots=True)
class BucketStats:
    """Per non-empty bucket: its step range and the min / max / mean / count of its values.

    NaN values are left out of min, max and mean (a bucket of NaNs only has
    them NaN) but counted in ``count``, so the number of points stays exact.
    """

    first_steps: npt.NDArray[np.int64]
    last_steps: npt.NDArray[np.int64]
    mins: npt.NDArray[np.float64]
    maxs: npt.NDArray[np.float64]
    means: npt.NDArray[np.float64]
    counts: npt.NDArray[np.int64]


def bucket_stats(
    steps: npt.NDArray[np.int64], values: npt.NDArray[np.float64], buckets: int
) -> BucketStats:
    """Cut the step range into ``buckets`` equal-width buckets (as the envelope does) and reduce.

    For a chart that draws a mean line inside a min–max band: the band keeps
    every spike however far the series is zoomed out. ``steps`` must be sorted.
    """
    import numpy as np

    if buckets < 1:
        raise InvalidArgumentError(f"buckets must be at least 1, got {buckets}")
    if len(steps) == 0:
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
        return BucketStats(empty_i, empty_i, empty_f, empty_f, empty_f, empty_i)
    low, high = int(steps[0]), int(steps[-1])
    scale = buckets / (max(high - low, 1) + 1)
    bucket_of = np.minimum(((steps - low) * scale).astype(np.int64), buckets - 1)
    starts = np.flatnonzero(np.r_[True, bucket_of[1:] != bucket_of[:-1]])
    ends = np.r_[starts[1:], len(steps)]
    missing = np.isnan(values)
    numbers = (~missing).astype(np.int64)
    present = np.add.reduceat(numbers, starts)
    with np.errstate(invalid="ignore"):  # inf - inf in a bucket holding both: NaN mean, as numpy
        sums = np.add.reduceat(np.where(missing, 0.0, values), starts)
        means = np.where(present > 0, sums / np.maximum(present, 1), np.nan)
    mins = np.minimum.reduceat(np.where(missing, np.inf, values), starts)
    maxs = np.maximum.reduceat(np.where(missing, -np.inf, values), starts)
    mins = np.where(present > 0, mins, np.nan)
    maxs = np.where(present > 0, maxs, np.nan)
    return BucketStats(
        first_steps=steps[starts].astype(np.int64),
        last_steps=steps[ends - 1].astype(np.int64),
        mins=mins,
        maxs=maxs,
        means=means,
        counts=(ends - starts).astype(np.int64),
    )


def even_indices(count: int, max_points: int) -> list[int]:
    """Indices of at most ``max_points`` items spread evenly over ``count``, always the last."""
    _check(max_points)
    if count <= max_points:
        return list(range(count))
    stride = (count - 1) / (max_points - 1)
    return [round(i * stride) for i in range(max_points)]


def _check(max_points: int) -> None:
    if max_points < MIN_POINTS:
        raise InvalidArgumentError(f"max_points must be at least {MIN_POINTS}, got {max_points}")
