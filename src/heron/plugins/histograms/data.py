"""Plain functions over ``ReadProvider`` behind the histograms routes (no HTTP here).

A histogram series is a tensor series of plugin ``histograms`` whose value at
each step is a ``[k, 3]`` array of ``(left, right, count)`` buckets. Difference
from TensorBoard by design: every step is returned unless ``max_points`` asks
for fewer (TensorBoard keeps a random 500).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey, TensorPoint
from heron.errors import NotFoundError
from heron.server.encoding import json_safe

__all__ = ["PLUGIN_NAME", "histogram_points", "histogram_tags", "histograms"]

PLUGIN_NAME = "histograms"


def histogram_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, str]]]:
    """``{run: {tag: {"displayName", "description"}}}``; runs without histograms are left out."""
    tags: dict[str, dict[str, dict[str, str]]] = {}
    for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
        }
    return tags


def buckets(point: TensorPoint) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The step's buckets as a float ``[k, 3]`` array (empty histograms as ``[0, 3]``)."""
    value = np.asarray(point.value, dtype=np.float64)
    return value.reshape(-1, 3) if value.size else np.zeros((0, 3))


def histogram_points(
    provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None
) -> list[TensorPoint]:
    """The visible steps of one histogram series (``NotFoundError`` if there is none)."""
    key = SeriesKey(run, tag)
    found = provider.list_series(runs=[run], plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)
    if not any(series.tag == tag for series in found):
        raise NotFoundError(f"no histogram series for run {run!r}, tag {tag!r}")
    return provider.read_tensors([key], max_points=max_points)[key]


def histograms(
    provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None
) -> list[list[Any]]:
    """``[[wall_time, step, [[left, right, count], ...]], ...]`` sorted by step."""
    result: list[list[Any]] = [
        [point.wall_time, point.step, buckets(point).tolist()]
        for point in histogram_points(provider, run, tag, max_points=max_points)
    ]
    return list(json_safe(result))
