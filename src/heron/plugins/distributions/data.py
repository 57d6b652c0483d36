"""Plain functions over ``ReadProvider`` behind the distributions routes (no HTTP here).

A distribution is a histogram series compressed, step by step, to the values
at nine basis points (TensorBoard's ``compressor.compress_histogram``). Every
step is returned unless ``max_points`` asks for fewer (TensorBoard keeps 501).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from heron.core.provider import ReadProvider
from heron.plugins.histograms.data import buckets, histogram_points
from heron.server.encoding import json_safe

__all__ = ["BASIS_POINTS", "compress_histogram", "distributions"]

#: TensorBoard's ``NORMAL_HISTOGRAM_BPS``: min, ±1.5σ, ±1σ, ±0.5σ of a normal, median, max.
BASIS_POINTS = (0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000)


def _lerp(x: float, x0: float, x1: float, y0: float, y1: float) -> float:
    return y0 + (x - x0) * float(y1 - y0) / (x1 - x0)


def compress_histogram(
    buckets: npt.ArrayLike, bps: Sequence[int] = BASIS_POINTS
) -> list[tuple[int, float]]:
    """``[(bp, value), ...]``: the value below which ``bp``/10000 of the weight lies.

    ``buckets`` is ``[[left, right, count], ...]``. Cumulative weights are
    scaled to ``bps[-1]``; each basis point takes the first bucket whose
    cumulative weight exceeds it (skipping empty buckets) and interpolates
    linearly between that bucket's edges, clamped to the overall range; basis
    points past the last bucket take the overall maximum. No buckets → zeros.
    """
    array = np.asarray(buckets, dtype=np.float64).reshape(-1, 3)
    if not array.size:
        return [(bp, 0.0) for bp in bps]
    minmin, maxmax = float(array[0][0]), float(array[-1][1])
    counts = array[:, 2]
    right_edges = array[:, 1].tolist()
    weights = (counts * bps[-1] / (counts.sum() or 1.0)).cumsum()
    result: list[tuple[int, float]] = []
    index = 0
    while index < len(bps):
        i = int(np.searchsorted(weights, bps[index], side="right"))
        while i < len(weights):
            cumsum = float(weights[i])
            cumsum_prev = float(weights[i - 1]) if i > 0 else 0.0
            if cumsum == cumsum_prev:
                i += 1
                continue
            lhs = minmin if not i or not cumsum_prev else max(right_edges[i - 1], minmin)
            rhs = min(right_edges[i], maxmax)
            result.append((bps[index], _lerp(bps[index], cumsum_prev, cumsum, lhs, rhs)))
            index += 1
            break
        else:
            break
    result.extend((bp, maxmax) for bp in bps[index:])
    return result


def distributions(
    provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None
) -> list[list[Any]]:
    """``[[wall_time, step, [[bp, value] × 9]], ...]`` sorted by step."""
    result: list[list[Any]] = [
        [
            point.wall_time,
            point.step,
            [[bp, value] for bp, value in compress_histogram(buckets(point))],
        ]
        for point in histogram_points(provider, run, tag, max_points=max_points)
    ]
    return list(json_safe(result))
