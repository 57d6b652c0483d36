"""Precision–recall curves: a float32 ``[6, num_thresholds]`` tensor, plugin ``pr_curves``.

Rows are true positives, false positives, true negatives, false negatives,
precision and recall at thresholds ``i / (num_thresholds - 1)``. A prediction
counts as positive at a threshold when its bucket ``floor(p * (n - 1))`` is at
or above the threshold's, so the counts are reverse cumulative sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from heron.formats.proto.pr_curves_plugin_pb2 import PrCurvePluginData
from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import make_tensor_proto

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PLUGIN_NAME", "pr_curve", "pr_curve_table"]

PLUGIN_NAME: Final = "pr_curves"
_MINIMUM_COUNT: Final = 1e-7


def pr_curve_table(
    labels: npt.NDArray[Any],
    predictions: npt.NDArray[Any],
    num_thresholds: int,
    weights: npt.NDArray[Any] | float | None = None,
) -> np.ndarray:
    """The ``[6, num_thresholds]`` table for boolean ``labels`` and ``predictions`` in [0, 1]."""
    import numpy as np

    if num_thresholds < 2:
        raise ValueError(f"num_thresholds must be at least 2, got {num_thresholds}")
    weight = np.float64(1.0) if weights is None else np.asarray(weights, dtype=np.float64)
    positive = np.asarray(labels, dtype=np.float64).reshape(-1)
    scores = np.asarray(predictions, dtype=np.float64).reshape(-1)
    buckets = np.floor(scores * (num_thresholds - 1)).astype(np.int64)
    weight = np.broadcast_to(weight.reshape(-1) if weight.size > 1 else weight, scores.shape)
    true_buckets = np.bincount(buckets, weights=positive * weight, minlength=num_thresholds)
    false_buckets = np.bincount(
        buckets, weights=(1.0 - positive) * weight, minlength=num_thresholds
    )
    tp = np.cumsum(true_buckets[::-1])[::-1]
    fp = np.cumsum(false_buckets[::-1])[::-1]
    tn = fp[0] - fp
    fn = tp[0] - tp
    precision = tp / np.maximum(_MINIMUM_COUNT, tp + fp)
    recall = tp / np.maximum(_MINIMUM_COUNT, tp + fn)
    return np.stack((tp, fp, tn, fn, precision, recall)).astype(np.float32)


def pr_curve(
    tag: str, table: npt.ArrayLike, *, num_thresholds: int, description: str = ""
) -> Summary.Value:
    """A PR-curve value holding a ready ``[6, num_thresholds]`` table."""
    import numpy as np

    rows = np.asarray(table, dtype=np.float32)
    if rows.ndim != 2 or rows.shape[0] != 6:
        raise ValueError(f"a PR-curve table has shape [6, num_thresholds], got {list(rows.shape)}")
    content = PrCurvePluginData(version=0, num_thresholds=num_thresholds).SerializeToString()
    return Summary.Value(
        tag=tag,
        tensor=make_tensor_proto(rows),
        metadata=plugin_metadata(
            PLUGIN_NAME, DATA_CLASS_TENSOR, content=content, description=description
        ),
    )
