"""Histogram summaries: a ``[k, 3]`` tensor of ``[left, right, count]`` rows.

Two ways to bucket:

* ``histogram_buckets`` follows TensorBoard's own writer: ``k`` equal-width
  buckets over ``[min, max]``, a value's index ``floor((x - min) / width)``
  clamped to ``k - 1``; all-equal data puts every count in the last bucket.
* ``histogram_table`` follows PyTorch's ``add_histogram``: ``numpy.histogram``
  with the given ``bins`` (``TENSORFLOW_BINS`` by default, optionally merged
  down to ``max_bins``), then the table TensorBoard derives when it reads
  PyTorch's legacy ``HistogramProto``: the buckets from the first to the last
  non-empty one, the outer edges moved to the data's min and max.

``legacy_histogram`` writes a ``HistogramProto`` as given (``add_histogram_raw``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from heron.formats.proto.histogram_pb2 import HistogramProto
from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import make_tensor_proto

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT_BUCKET_COUNT",
    "PLUGIN_NAME",
    "histogram",
    "histogram_buckets",
    "histogram_table",
    "histogram_value",
    "legacy_histogram",
    "tensorflow_bins",
]

PLUGIN_NAME: Final = "histograms"
DEFAULT_BUCKET_COUNT: Final = 30

_tensorflow_bins: list[float] = []


def tensorflow_bins() -> list[float]:
    """TensorFlow's default bucket edges: ±1e-12·1.1^k up to 1e20, and 0 (1,549 edges).

    Built by repeated multiplication, exactly as TensorFlow and PyTorch build
    them, so that the same data lands in the same buckets.
    """
    if not _tensorflow_bins:
        edge = 1e-12
        positive: list[float] = []
        while edge < 1e20:
            positive.append(edge)
            edge *= 1.1
        _tensorflow_bins.extend([-value for value in reversed(positive)] + [0.0] + positive)
    return _tensorflow_bins


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


def histogram_table(
    values: npt.ArrayLike,
    bins: str | int | Sequence[float] | npt.NDArray[Any] = "tensorflow",
    *,
    max_bins: int | None = None,
) -> np.ndarray:
    """The ``[k, 3]`` table of ``values`` bucketed by ``numpy.histogram`` (see the module doc).

    ``bins`` is ``"tensorflow"`` (``tensorflow_bins()``), any ``numpy.histogram``
    rule name (``"auto"``, ``"fd"``...), a bucket count, or the bucket edges.
    Raises ``ValueError`` for empty or non-finite data: there is nothing sound
    to draw.
    """
    import numpy as np

    data = np.asarray(values, dtype=np.float64).reshape(-1)
    if data.size == 0:
        raise ValueError("cannot make a histogram of no values")
    finite = np.isfinite(data)
    if not finite.all():
        bad = data[~finite]
        raise ValueError(
            f"cannot make a histogram of non-finite values ({int(np.isnan(bad).sum())} NaN, "
            f"{int(np.isinf(bad).sum())} infinite of {data.size})"
        )
    edges: Any = tensorflow_bins() if isinstance(bins, str) and bins == "tensorflow" else bins
    counts, limits = np.histogram(data, bins=edges)
    if max_bins is not None and len(counts) > max_bins:
        counts, limits = _merge_bins(counts, limits, max_bins)
    nonzero = np.flatnonzero(counts)
    if nonzero.size == 0:
        raise ValueError("no value falls inside the histogram's bins")
    first, last = int(nonzero[0]), int(nonzero[-1])
    table = np.empty((last - first + 1, 3), dtype=np.float64)
    table[:, 0] = limits[first : last + 1]
    table[:, 1] = limits[first + 1 : last + 2]
    table[:, 2] = counts[first : last + 1]
    table[0, 0] = data.min()
    table[-1, 1] = data.max()
    return table


def _merge_bins(
    counts: npt.NDArray[Any], limits: npt.NDArray[Any], max_bins: int
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Sum groups of ``len(counts) // max_bins`` adjacent buckets (PyTorch's ``max_bins``)."""
    import numpy as np

    if max_bins < 1:
        raise ValueError(f"max_bins must be at least 1, got {max_bins}")
    group = len(counts) // max_bins
    remainder = len(counts) % group
    if remainder:
        counts = np.concatenate([counts, np.zeros(group - remainder, dtype=counts.dtype)])
    merged = counts.reshape(-1, group).sum(axis=-1)
    new_limits = np.empty(merged.size + 1, dtype=limits.dtype)
    new_limits[:-1] = limits[:-1:group]
    new_limits[-1] = limits[-1]
    return merged, new_limits


def histogram(
    tag: str,
    values: npt.ArrayLike,
    *,
    bucket_count: int = DEFAULT_BUCKET_COUNT,
    description: str = "",
) -> Summary.Value:
    """A histogram of ``values``, bucketed as TensorBoard's writer does."""
    return histogram_value(tag, histogram_buckets(values, bucket_count), description=description)


def histogram_value(tag: str, table: npt.ArrayLike, *, description: str = "") -> Summary.Value:
    """A histogram value holding a ready ``[k, 3]`` table."""
    return Summary.Value(
        tag=tag,
        tensor=make_tensor_proto(table),
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_TENSOR, description=description),
    )


def legacy_histogram(
    tag: str,
    *,
    min: float,
    max: float,
    num: float,
    sum: float,
    sum_squares: float,
    bucket_limits: Sequence[float],
    bucket_counts: Sequence[float],
) -> Summary.Value:
    """A ``HistogramProto`` exactly as given; readers migrate it to the table form."""
    return Summary.Value(
        tag=tag,
        histo=HistogramProto(
            min=min,
            max=max,
            num=num,
            sum=sum,
            sum_squares=sum_squares,
            bucket_limit=bucket_limits,
            bucket=bucket_counts,
        ),
    )
