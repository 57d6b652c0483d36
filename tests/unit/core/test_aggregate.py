"""Aggregating runs onto a step grid: hand-computed values for every rule of core.aggregate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heron.core.aggregate import aggregate, interpolate_on_grid, step_grid, t_quantile_975
from heron.errors import InvalidArgumentError

NAN = math.nan


def _same(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), expected, rtol=1e-9, atol=1e-12)


def test_grid_spreads_points_evenly_and_keeps_both_ends():
    assert step_grid(0, 10, 3).tolist() == [0, 5, 10]
    assert step_grid(0, 999, 4).tolist() == [0, 333, 666, 999]
    assert step_grid(7, 7, 5).tolist() == [7]


def test_grid_narrower_than_points_holds_every_step():
    assert step_grid(0, 3, 10).tolist() == [0, 1, 2, 3]


def test_grid_of_huge_steps_ends_exactly_at_the_last_step():
    grid = step_grid(0, 2**62 + 1, 3)
    assert grid[0] == 0
    assert grid[-1] == 2**62 + 1


@pytest.mark.parametrize(("first", "last", "points"), [(0, 10, 1), (5, 4, 10)])
def test_bad_grid_is_an_invalid_argument(first, last, points):
    with pytest.raises(InvalidArgumentError):
        step_grid(first, last, points)


def test_interpolation_is_linear_inside_the_run_and_absent_outside():
    steps = np.array([0, 10, 20], dtype=np.int64)
    values = np.array([0.0, 10.0, 40.0])
    grid = np.array([-5, 0, 5, 10, 15, 20, 25], dtype=np.int64)
    _same(interpolate_on_grid(steps, values, grid), [NAN, 0, 5, 10, 25, 40, NAN])


def test_interpolation_skips_non_finite_points():
    steps = np.array([0, 10, 20, 30], dtype=np.int64)
    values = np.array([0.0, NAN, 20.0, math.inf])
    grid = np.array([10, 25, 30], dtype=np.int64)
    # Step 10 is read between 0 and 20; the run's finite range ends at 20.
    _same(interpolate_on_grid(steps, values, grid), [10, NAN, NAN])


def test_a_run_of_only_nan_covers_nothing():
    steps = np.array([0, 1], dtype=np.int64)
    out = interpolate_on_grid(steps, np.array([NAN, NAN]), np.array([0, 1], dtype=np.int64))
    assert np.isnan(out).all()


MATRIX = np.array(
    [
        [1.0, 2.0, NAN],
        [3.0, 6.0, NAN],
        [5.0, NAN, NAN],
    ]
)


def test_mean_with_min_max_band_and_counts():
    line = aggregate(MATRIX, center="mean", band="minmax")
    assert line.count.tolist() == [3, 2, 0]
    _same(line.center, [3, 4, NAN])
    _same(line.lower, [1, 2, NAN])
    _same(line.upper, [5, 6, NAN])


def test_median_line():
    line = aggregate(np.array([[1.0, 0.0], [2.0, 10.0], [9.0, NAN]]), center="median", band="none")
    _same(line.center, [2, 5])
    _same(line.lower, [2, 5])
    _same(line.upper, [2, 5])


def test_std_band_is_the_sample_standard_deviation():
    line = aggregate(MATRIX, center="mean", band="std")
    # Column 0: 1, 3, 5 → mean 3, variance (4 + 0 + 4) / 2 = 4. Column 1: 2, 6 → variance 8.
    _same(line.lower, [1, 4 - math.sqrt(8), NAN])
    _same(line.upper, [5, 4 + math.sqrt(8), NAN])


def test_ci95_band_uses_students_t():
    line = aggregate(MATRIX, center="mean", band="ci95")
    half0 = 4.303 * 2 / math.sqrt(3)
    half1 = 12.706 * math.sqrt(8) / math.sqrt(2)
    _same(line.lower, [3 - half0, 4 - half1, NAN])
    _same(line.upper, [3 + half0, 4 + half1, NAN])


@pytest.mark.parametrize("band", ["std", "ci95"])
def test_one_run_has_no_spread(band):
    line = aggregate(np.array([[1.0, 2.0]]), center="mean", band=band)
    _same(line.lower, [1, 2])
    _same(line.upper, [1, 2])


def test_t_quantiles_match_the_tables():
    assert t_quantile_975(1) == 12.706
    assert t_quantile_975(30) == 2.042
    assert t_quantile_975(60) == pytest.approx(2.000, abs=1e-3)
    assert t_quantile_975(120) == pytest.approx(1.980, abs=1e-3)
    with pytest.raises(InvalidArgumentError):
        t_quantile_975(0)


def test_unknown_center_or_band_is_an_invalid_argument():
    with pytest.raises(InvalidArgumentError):
        aggregate(MATRIX, center="mode", band="minmax")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        aggregate(MATRIX, center="mean", band="iqr")  # type: ignore[arg-type]
