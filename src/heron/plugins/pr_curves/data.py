"""Plain functions over ``ReadProvider`` behind the PR-curves routes (no HTTP here).

A PR-curve series is a tensor series of plugin ``pr_curves`` whose value at
each step is a float ``[6, num_thresholds]`` table: true positives, false
positives, true negatives, false negatives, precision and recall at the
evenly spaced thresholds ``i / (num_thresholds - 1)``. Difference from
TensorBoard by design: every step is returned unless ``max_points`` asks for
fewer (TensorBoard keeps a random 100).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from google.protobuf.message import DecodeError

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, Series, SeriesKey, TensorPoint
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.pr_curves_plugin_pb2 import PrCurvePluginData
from heron.server.encoding import float_list, json_safe

__all__ = ["PLUGIN_NAME", "pr_curve_entry", "pr_curve_tags", "pr_curves"]

PLUGIN_NAME = "pr_curves"
#: The only PrCurvePluginData version defined; TensorBoard skips series of a newer one.
_KNOWN_VERSION = 0
#: Rows of the table, in TensorBoard's order.
_COUNT_ROWS = ("true_positives", "false_positives", "true_negatives", "false_negatives")
_PRECISION, _RECALL = 4, 5
_ROWS = 6


def _readable(series: Series) -> bool:
    """Whether the series' metadata is a version this reader understands, as TB's checker."""
    try:
        return PrCurvePluginData.FromString(series.plugin_content).version <= _KNOWN_VERSION
    except DecodeError:
        return False


def pr_curve_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, str]]]:
    """``{run: {tag: {"displayName", "description"}}}``; runs without PR curves are left out."""
    tags: dict[str, dict[str, dict[str, str]]] = {}
    for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR):
        run_tags = tags.setdefault(series.run, {})
        if _readable(series):
            run_tags[series.tag] = {
                "displayName": series.display_name,
                "description": series.description,
            }
    return tags


def _counts(row: np.ndarray[Any, np.dtype[np.float64]]) -> list[Any]:
    """Counts as integers, truncated as TensorBoard sends them; non-finite ones as its strings."""
    return [int(value) if math.isfinite(value) else json_safe(value) for value in row.tolist()]


def _kept_thresholds(table: np.ndarray[Any, np.dtype[np.float64]]) -> int:
    """How many thresholds to send: trailing ones where TP + FP == 0 are cut (at least one kept).

    Precision is undefined there. Counts are truncated to integers before
    summing, as TensorBoard does; a NaN count is not zero, so it is kept.
    """
    positives = np.trunc(table[0]) + np.trunc(table[1])
    nonzero = np.flatnonzero(positives != 0)
    if nonzero.size:
        return int(nonzero[-1]) + 1
    return 1 if table.shape[1] else 0


def pr_curve_entry(point: TensorPoint) -> dict[str, Any] | None:
    """One step as TensorBoard's ``/pr_curves`` sends it; ``None`` if the table is malformed."""
    table = np.asarray(point.value, dtype=np.float64)
    if table.ndim != 2 or table.shape[0] != _ROWS:
        return None
    end = _kept_thresholds(table)
    kept = table[:, :end]
    entry: dict[str, Any] = {
        "wall_time": point.wall_time,
        "step": point.step,
        "precision": float_list(kept[_PRECISION]),
        "recall": float_list(kept[_RECALL]),
    }
    for index, name in enumerate(_COUNT_ROWS):
        entry[name] = _counts(kept[index])
    entry["thresholds"] = np.linspace(0.0, 1.0, table.shape[1])[:end].tolist()
    return entry


def pr_curves(
    provider: ReadProvider, runs: Sequence[str], tag: str, *, max_points: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """``{run: [entry, ...]}`` for one tag over several runs, each sorted by step.

    Every run asked for must have the tag (``NotFoundError`` otherwise):
    the dashboard asks only for runs that ``/tags`` listed.
    """
    if not runs:
        raise InvalidArgumentError("give at least one run")
    wanted = list(dict.fromkeys(runs))
    found = provider.list_series(runs=wanted, plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)
    present = {series.run for series in found if series.tag == tag}
    missing = [run for run in wanted if run not in present]
    if missing:
        raise NotFoundError(f"no PR curve series of tag {tag!r} in run(s) {missing!r}")
    keys = [SeriesKey(run, tag) for run in wanted]
    points = provider.read_tensors(keys, max_points=max_points)
    result: dict[str, list[dict[str, Any]]] = {}
    for key in keys:
        entries = (pr_curve_entry(point) for point in points[key])
        result[key.run] = [entry for entry in entries if entry is not None]
    return result
