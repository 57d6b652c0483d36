"""Histogram summaries: a float64 ``[k, 3]`` tensor of ``[left, right, count]`` rows.

Bucketing follows TensorBoard's writer so that the same data gives the same
picture in both tools: ``k`` equal-width buckets over ``[min, max]``, a value's
index ``floor((x - min) / width)`` clamped to ``k - 1``; all-equal data puts
every count in the last bucket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import make_tensor_proto

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PLUGIN_NAME: Final = "histograms"
DEFAULT_BUCKET_COUNT: Final = 30


def histogram_buckets(
    values: npt.ArrayLike, bucket_count: int = DEFAULT_BUCKET_COUNT
) -> np.ndarray:
    """The ``[k, 3]`` bucket table of ``values`` (finite values only are counted)."""
    import numpy as np

    data = np.asarray(values, dtype=np.float64).reshape(-1)
    data = data[np.isfinite(data)]
    if bucket_count == 0:
        return np.zeros((0, 3), dtype=np.float64)
    if data.size == 0:
        return np.zeros((bucket_count, 3), dtype=np.float64)
    low, high = float(data.min()), float(data.max())
    if low == high:
        table = np.zeros((bucket_count, 3), dtype=np.float64)
        table[:, 0] = low
        table[:, 1] = high
        table[-1, 2] = data.size
        return table
    width = (high - low) / bucket_count
    indices = np.minimum(np.floor((data - low) / width).astype(np.int64), bucket_count - 1)
    counts = np.bincount(indices, minlength=bucket_count).astype(np.float64)
    edges = np.linspace(low, high, bucket_count + 1)
    edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram(
    tag: str,
    values: npt.ArrayLike,
    *,
    bucket_count: int = DEFAULT_BUCKET_COUNT,
    description: str = "",
) -> Summary.Value:
    return Summary.Value(
        tag=tag,
        tensor=make_tensor_proto(histogram_buckets(values, bucket_count)),
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_TENSOR, description=description),
    )
