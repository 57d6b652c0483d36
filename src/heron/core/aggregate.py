"""Aggregating several runs' curves into one line with a band, on a common step grid.

Runs of a sweep rarely log at the same steps (one logs every 10 steps, another
every 7; one stopped early). To draw "the mean of these 5 seeds" each run is
first resampled onto one grid of steps shared by every run, then the values at
each grid step are reduced across the runs that cover it:

* **Interpolation**: a run contributes at a grid step only if the step lies
  within the run's own step range ``[first, last]`` (no extrapolation); there
  its value is the linear interpolation between its two neighbouring points
  (exactly the logged value when the grid step is one of its steps).
  Non-finite values (NaN, ±inf) are dropped before interpolating: a diverged
  point says nothing about its neighbours' average.
* **Count**: how many runs contributed at each grid step is returned, so a
  reader sees where a mean of 10 runs becomes a mean of 2.
* **Centre**: the mean, or the median, of the contributing values.
* **Band**: ``minmax`` (lowest and highest contributing value), ``std`` (mean
  ± the sample standard deviation, ddof = 1) or ``ci95`` (the 95 % confidence
  interval of the mean, mean ± t(0.975, n − 1) · s / √n). With one
  contributing run, ``std`` and ``ci95`` collapse onto the mean.

Pure functions over numpy arrays, tested against hand-computed values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from heron.errors import InvalidArgumentError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "BANDS",
    "CENTERS",
    "AggregateLine",
    "Band",
    "Center",
    "aggregate",
    "interpolate_on_grid",
    "step_grid",
    "t_quantile_975",
]

Center = Literal["mean", "median"]
Band = Literal["minmax", "std", "ci95", "none"]
CENTERS: Final[tuple[Center, ...]] = ("mean", "median")
BANDS: Final[tuple[Band, ...]] = ("minmax", "std", "ci95", "none")

# Student's t, 97.5th percentile, for 1..30 degrees of freedom (standard tables).
_T975: Final = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975: Final = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom.

    A table up to 30; beyond, the Cornish–Fisher expansion around the normal
    quantile (error below 1e-4 there), so core needs no scipy.
    """
    if df < 1:
        raise InvalidArgumentError(f"degrees of freedom must be at least 1, not {df}")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def step_grid(first: int, last: int, points: int) -> npt.NDArray[np.int64]:
    """At most ``points`` integer steps spread evenly from ``first`` to ``last``, both included.

    Steps are integers, so a range narrower than ``points`` gives every step in it.
    """
    import numpy as np

    if points < 2:
        raise InvalidArgumentError(f"a grid needs at least 2 points, not {points}")
    if last < first:
        raise InvalidArgumentError(f"grid end {last} is before its start {first}")
    if last - first + 1 <= points:
        return np.arange(first, last + 1, dtype=np.int64)
    grid = np.rint(np.linspace(float(first), float(last), points)).astype(np.int64)
    grid[0], grid[-1] = first, last  # no float rounding at the ends of huge step ranges
    return np.unique(grid)


def interpolate_on_grid(
    steps: npt.NDArray[np.int64], values: npt.NDArray[np.float64], grid: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """One run's values at each grid step; NaN where the run does not cover the step.

    ``steps`` ascending and distinct (a series' visible points). Non-finite
    values are dropped first; the run's range is that of its finite points.
    """
    import numpy as np

    out = np.full(len(grid), np.nan, dtype=np.float64)
    finite = np.isfinite(values)
    xs = steps[finite].astype(np.float64)
    ys = values[finite]
    if len(xs) == 0:
        return out
    inside = (grid >= xs[0]) & (grid <= xs[-1])
    out[inside] = np.interp(grid[inside].astype(np.float64), xs, ys)
    return out


@dataclass(frozen=True, slots=True)
class AggregateLine:
    """Per grid step: contributing runs, the centre line and the band (NaN where count is 0)."""

    count: npt.NDArray[np.int64]
    center: npt.NDArray[np.float64]
    lower: npt.NDArray[np.float64]
    upper: npt.NDArray[np.float64]


def aggregate(matrix: npt.NDArray[np.float64], *, center: Center, band: Band) -> AggregateLine:
    """Reduce a (runs × grid steps) matrix, NaN meaning "this run does not cover this step".

    ``band="none"`` gives ``lower`` and ``upper`` equal to the centre.
    """
    import numpy as np

    if center not in CENTERS:
        raise InvalidArgumentError(f"center must be one of {', '.join(CENTERS)}, not {center!r}")
    if band not in BANDS:
        raise InvalidArgumentError(f"band must be one of {', '.join(BANDS)}, not {band!r}")
    data = np.asarray(matrix, dtype=np.float64).reshape(-1, matrix.shape[-1])
    present = ~np.isnan(data)
    count = present.sum(axis=0).astype(np.int64)
    covered = count > 0
    nan_row = np.full(data.shape[1], np.nan)
    mean, middle, low, high = nan_row.copy(), nan_row.copy(), nan_row.copy(), nan_row.copy()
    std = np.zeros(data.shape[1])
    if covered.any():
        cols = data[:, covered]
        n = count[covered].astype(np.float64)
        filled = np.where(np.isnan(cols), 0.0, cols)
        mean[covered] = filled.sum(axis=0) / n
        deviations = np.where(np.isnan(cols), 0.0, cols - mean[covered])
        # Sample variance (ddof = 1); a single run has no spread.
        denominator = np.maximum(n - 1, 1.0)
        std[covered] = np.sqrt((deviations**2).sum(axis=0) / denominator)
        if center == "median":
            middle[covered] = np.nanmedian(cols, axis=0)
        if band == "minmax":
            low[covered] = np.nanmin(cols, axis=0)
            high[covered] = np.nanmax(cols, axis=0)
    line = mean if center == "mean" else middle
    if band == "minmax":
        lower, upper = low, high
    elif band == "std":
        lower, upper = mean - std, mean + std
    elif band == "ci95":
        t = np.array([t_quantile_975(int(c) - 1) if c > 1 else 0.0 for c in count])
        half = t * std / np.sqrt(np.maximum(count, 1))
        lower, upper = mean - half, mean + half
    else:
        lower, upper = line.copy(), line.copy()
    lower[~covered] = math.nan
    upper[~covered] = math.nan
    return AggregateLine(count=count, center=line, lower=lower, upper=upper)
