"""The envelope keeps every extreme and the ends; even sampling keeps the latest."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heron.core.downsample import bucket_stats, envelope_indices, even_indices
from heron.errors import InvalidArgumentError


def _series(values):
    values = np.asarray(values, dtype=np.float64)
    return np.arange(len(values), dtype=np.int64), values


def test_short_series_are_returned_whole():
    steps, values = _series([3.0, 1.0, 2.0])
    assert envelope_indices(steps, values, 10).tolist() == [0, 1, 2]


def test_a_single_spike_survives_heavy_downsampling():
    values = np.zeros(1_000_000)
    values[654_321] = 1e6
    values[123_456] = -5.0
    steps = np.arange(len(values), dtype=np.int64)
    chosen = envelope_indices(steps, values, 100)
    assert len(chosen) <= 100
    assert 654_321 in chosen
    assert 123_456 in chosen


def test_first_and_last_points_are_always_kept():
    steps, values = _series(np.sin(np.arange(10_000) / 50.0))
    chosen = envelope_indices(steps, values, 50)
    assert chosen[0] == 0
    assert chosen[-1] == 9_999


def test_buckets_follow_steps_not_indices():
    # Dense early steps and sparse late ones: the late spike has its own bucket.
    steps = np.concatenate([np.arange(10_000), np.arange(10_000, 1_000_000, 10_000)]).astype(
        np.int64
    )
    values = np.zeros(len(steps))
    values[-5] = 7.0
    chosen = envelope_indices(steps, values, 20)
    assert len(steps) - 5 in chosen


def test_nan_never_hides_a_real_extreme_and_nan_only_buckets_keep_one_point():
    values = np.full(1000, np.nan)
    values[:500] = np.linspace(0, 1, 500)
    steps = np.arange(1000, dtype=np.int64)
    chosen = envelope_indices(steps, values, 10)
    assert 499 in chosen  # the maximum
    assert any(np.isnan(values[i]) for i in chosen)


def test_huge_steps_do_not_overflow():
    steps = np.array([0, 2**62, 2**63 - 1000], dtype=np.int64)
    values = np.array([1.0, 2.0, 3.0])
    steps = np.concatenate([steps[:1], np.arange(1, 100, dtype=np.int64), steps[1:]])
    values = np.concatenate([values[:1], np.zeros(99), values[1:]])
    chosen = envelope_indices(steps, values, 6)
    assert chosen[-1] == len(steps) - 1


@pytest.mark.parametrize("max_points", [0, 1, -3])
def test_max_points_below_two_is_invalid(max_points):
    steps, values = _series([1.0, 2.0, 3.0])
    with pytest.raises(InvalidArgumentError):
        envelope_indices(steps, values, max_points)
    with pytest.raises(InvalidArgumentError):
        even_indices(3, max_points)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=400),
    st.integers(min_value=2, max_value=60),
)
def test_envelope_properties(raw, max_points):
    steps, values = _series(raw)
    chosen = envelope_indices(steps, values, max_points)
    assert len(chosen) <= max(max_points, 0) or len(values) <= max_points
    assert list(chosen) == sorted(set(chosen.tolist()))
    assert chosen[0] == 0
    assert chosen[-1] == len(values) - 1
    finite = values[~np.isnan(values)]
    if len(values) > max_points >= 4 and len(finite):
        picked = values[chosen]
        assert np.nanmax(picked) == finite.max()
        assert np.nanmin(picked) == finite.min()


def test_even_indices_spread_and_keep_the_latest():
    assert even_indices(5, 10) == [0, 1, 2, 3, 4]
    assert even_indices(101, 5) == [0, 25, 50, 75, 100]
    chosen = even_indices(1000, 7)
    assert len(chosen) == 7
    assert chosen[-1] == 999


def test_bucket_stats_reduce_each_bucket_exactly():
    steps = np.arange(10, dtype=np.int64)
    values = np.array([1.0, 5.0, 2.0, np.nan, 4.0, 4.0, np.nan, np.nan, -1.0, np.inf])
    stats = bucket_stats(steps, values, 5)  # buckets of two steps each
    assert stats.first_steps.tolist() == [0, 2, 4, 6, 8]
    assert stats.last_steps.tolist() == [1, 3, 5, 7, 9]
    assert stats.counts.tolist() == [2, 2, 2, 2, 2]
    assert stats.mins.tolist()[:3] == [1.0, 2.0, 4.0]
    assert stats.maxs.tolist()[:3] == [5.0, 2.0, 4.0]
    assert stats.means.tolist()[:3] == [3.0, 2.0, 4.0]
    # A bucket of NaNs stays a gap; infinities are extremes.
    assert np.isnan([stats.mins[3], stats.maxs[3], stats.means[3]]).all()
    assert (stats.mins[4], stats.maxs[4], stats.means[4]) == (-1.0, np.inf, np.inf)


def test_bucket_stats_keep_a_single_spike_among_a_million_points():
    steps = np.arange(1_000_000, dtype=np.int64)
    values = np.zeros(1_000_000)
    values[654_321] = 100.0
    stats = bucket_stats(steps, values, 1000)
    assert len(stats.counts) == 1000
    assert stats.counts.sum() == 1_000_000
    assert stats.maxs.max() == 100.0
    assert stats.means.max() == pytest.approx(0.1)  # diluted in the mean, kept in the band


def test_bucket_stats_of_nothing_and_of_bad_counts():
    empty = bucket_stats(np.zeros(0, np.int64), np.zeros(0), 10)
    assert len(empty.counts) == 0
    with pytest.raises(InvalidArgumentError):
        bucket_stats(np.arange(3, dtype=np.int64), np.zeros(3), 0)
