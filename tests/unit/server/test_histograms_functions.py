"""The histograms and distributions plugins' plain functions, over a real index."""

from __future__ import annotations

import pytest

from heron.errors import NotFoundError
from heron.plugins.distributions import BASIS_POINTS, compress_histogram, distributions
from heron.plugins.histograms import histogram_tags, histograms


def test_tags_leave_out_runs_without_histograms(media_provider):
    assert histogram_tags(media_provider) == {"hist": {"w": {"displayName": "", "description": ""}}}


def test_histograms_are_wall_time_step_buckets_with_every_step(media_provider):
    points = histograms(media_provider, "hist", "w")
    assert [step for _, step, _ in points] == [0, 1, 2, 3, 4]
    wall, _, buckets = points[0]
    assert wall > 1e9
    # The writer clamps the outer edges to the data's range, as TensorBoard's does.
    assert buckets == [[0.5, 1.0, 1.0], [1.0, 2.0, 1.0], [2.0, 3.5, 2.0]]


def test_histograms_downsample_only_when_asked(media_provider):
    points = histograms(media_provider, "hist", "w", max_points=2)
    assert len(points) <= 2
    assert points[-1][1] == 4


@pytest.mark.parametrize(("run", "tag"), [("hist", "nope"), ("ghost", "w"), ("hist", "loss")])
def test_unknown_or_non_histogram_tag_is_not_found(media_provider, run, tag):
    with pytest.raises(NotFoundError):
        histograms(media_provider, run, tag)
    with pytest.raises(NotFoundError):
        distributions(media_provider, run, tag)


def test_distributions_compress_every_step(media_provider):
    points = distributions(media_provider, "hist", "w")
    assert [step for _, step, _ in points] == [0, 1, 2, 3, 4]
    compressed = points[0][2]
    assert [bp for bp, _ in compressed] == list(BASIS_POINTS)
    # Weights 2500, 5000, 10000: the median is the right edge of the second bucket.
    assert dict(compressed)[5000] == pytest.approx(2.0)
    assert dict(compressed)[0] == 0.5
    assert dict(compressed)[10000] == 3.5


def _values(buckets):
    return [value for _, value in compress_histogram(buckets)]


def test_compression_two_equal_buckets():
    # Cumulative weights 5000, 10000; bps below 5000 interpolate over [0, 1], the rest over [1, 2].
    assert _values([[0, 1, 1], [1, 2, 1]]) == pytest.approx(
        [0.0, 0.1336, 0.3174, 0.617, 1.0, 1.383, 1.6826, 1.8664, 2.0]
    )


def test_compression_one_bucket_interpolates_across_it():
    assert _values([[-1, 3, 4]]) == pytest.approx([-1 + bp * 4 / 10000 for bp in BASIS_POINTS])


def test_compression_skips_empty_buckets():
    # Weights 5000, 5000, 10000: bp 5000 lands past the empty bucket, starting at its right edge 2.
    values = dict(compress_histogram([[0, 1, 2], [1, 2, 0], [2, 4, 2]]))
    assert values[3085] == pytest.approx(0.617)
    assert values[5000] == pytest.approx(2.0)
    assert values[6915] == pytest.approx(2.766)
    assert values[10000] == 4.0


def test_compression_of_no_buckets_is_zeros():
    assert compress_histogram([]) == [(bp, 0.0) for bp in BASIS_POINTS]


def test_compression_of_zero_counts_is_the_maximum():
    assert _values([[0, 1, 0]]) == [1.0] * len(BASIS_POINTS)
