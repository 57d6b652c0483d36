"""Downsampling over chunk rollups picks exactly what envelope_indices picks from all points."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heron.core.downsample import envelope_indices
from heron.errors import InvalidArgumentError
from heron.storage.envelope import downsample_chunks, envelope_many
from heron.storage.scalar_chunks import chunk_starts, rollups


def _chunked(steps, values, size):
    walls = steps * 2.0 + 0.5
    starts = chunk_starts(len(steps), size, size)
    stops = [*starts[1:].tolist(), len(steps)]
    pieces = [
        (steps[a:b], walls[a:b], values[a:b]) for a, b in zip(starts.tolist(), stops, strict=True)
    ]
    loaded: list[int] = []

    def load(positions):
        loaded.extend(positions)
        return [pieces[p] for p in positions]

    return rollups(steps, walls, values, starts), load, loaded, walls


def _expected(steps, values, walls, max_points, step_range=None):
    if step_range is not None:
        inside = (steps >= step_range[0]) & (steps <= step_range[1])
        steps, values, walls = steps[inside], values[inside], walls[inside]
    keep = envelope_indices(steps, values, max_points) if max_points else np.arange(len(steps))
    return steps[keep], walls[keep], values[keep]


values_strategy = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=80, deadline=None)
@given(
    data=st.data(),
    count=st.integers(1, 400),
    size=st.integers(1, 64),
    max_points=st.integers(2, 60),
)
def test_chunked_envelope_equals_envelope_of_all_points(data, count, size, max_points):
    gaps = data.draw(st.lists(st.integers(1, 50), min_size=count, max_size=count))
    steps = np.cumsum(np.asarray(gaps, dtype=np.int64)) - gaps[0]
    values = np.asarray(
        data.draw(
            st.lists(
                st.one_of(values_strategy, st.sampled_from([0.0, 1.0, np.nan])),
                min_size=count,
                max_size=count,
            )
        ),
        dtype=np.float64,
    )
    step_range = None
    if data.draw(st.booleans()):
        low = data.draw(st.integers(-5, int(steps[-1]) + 5))
        step_range = (low, data.draw(st.integers(low, int(steps[-1]) + 10)))
    chunks, load, _, walls = _chunked(steps, values, size)
    got = downsample_chunks(chunks, load, max_points=max_points, step_range=step_range)
    want = _expected(steps, values, walls, max_points, step_range)
    np.testing.assert_array_equal(got.steps, want[0])
    np.testing.assert_array_equal(got.wall_times, want[1])
    np.testing.assert_array_equal(got.values, want[2])


def test_a_million_points_decode_only_chunks_at_bucket_boundaries():
    steps = np.arange(1_000_000, dtype=np.int64)
    values = np.sin(steps / 1000.0)
    values[777_777] = 50.0
    chunks, load, loaded, _ = _chunked(steps, values, 1024)
    got = downsample_chunks(chunks, load, max_points=1000)
    assert 777_777 in got.steps.tolist()
    assert got.steps[0] == 0
    assert got.steps[-1] == 999_999
    # ~499 bucket boundaries: at most one chunk decoded per boundary, of 977 chunks.
    assert len(loaded) <= 500


def test_everything_is_returned_without_max_points():
    steps = np.arange(5000, dtype=np.int64)
    chunks, load, _, _ = _chunked(steps, steps * 1.0, 100)
    got = downsample_chunks(chunks, load, max_points=None, step_range=(10, 4010))
    assert got.steps.tolist() == list(range(10, 4011))
    assert not got.steps.flags.writeable


def test_max_points_below_two_is_invalid():
    steps = np.arange(10, dtype=np.int64)
    chunks, load, _, _ = _chunked(steps, steps * 1.0, 4)
    with pytest.raises(InvalidArgumentError):
        downsample_chunks(chunks, load, max_points=1)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    sizes=st.lists(st.integers(1, 120), min_size=1, max_size=8),
    max_points=st.integers(2, 40),
)
def test_many_series_at_once_equal_each_series_alone(data, sizes, max_points):
    parts = []
    for size in sizes:
        gaps = data.draw(st.lists(st.integers(1, 9), min_size=size, max_size=size))
        steps = np.cumsum(np.asarray(gaps, dtype=np.int64)) + data.draw(st.integers(-50, 50))
        values = np.asarray(
            data.draw(st.lists(values_strategy, min_size=size, max_size=size)), dtype=np.float64
        )
        parts.append((steps, values))
    starts = np.cumsum([0, *sizes[:-1]]).astype(np.int64)
    steps = np.concatenate([p[0] for p in parts])
    values = np.concatenate([p[1] for p in parts])
    expected = np.concatenate(
        [
            start + envelope_indices(s, v, max_points)
            for start, (s, v) in zip(starts, parts, strict=True)
        ]
    )
    np.testing.assert_array_equal(envelope_many(starts, steps, values, max_points), expected)
