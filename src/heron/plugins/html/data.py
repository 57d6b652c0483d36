"""Plain functions over ``ReadProvider`` behind the HTML routes (no HTTP here).

An HTML series is a tensor series of plugin ``heron_html`` (Heron's
``add_html``): at each step a rank-0 string tensor holding the fragment as
written. The fragment is returned **unchanged**: it is the UI's job to show it
in a sandboxed ``<iframe srcdoc>`` (an opaque origin, no scripts unless the
user allows them for that tag), which is what keeps it from touching the
page; sanitising here would also break the fragments users opt in to run.
"""

from __future__ import annotations

from typing import Any

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey
from heron.errors import NotFoundError
from heron.formats.summaries.html import PLUGIN_NAME as SERIES_PLUGIN

__all__ = ["PLUGIN_NAME", "SERIES_PLUGIN", "fragment_text", "html_fragments", "html_tags"]

#: The URL segment and tab of the dashboard (the series' plugin is ``heron_html``).
PLUGIN_NAME = "html"


def html_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, str]]]:
    """``{run: {tag: {"displayName", "description"}}}``; runs without HTML are left out."""
    tags: dict[str, dict[str, dict[str, str]]] = {}
    for series in provider.list_series(plugin_name=SERIES_PLUGIN, data_class=DataClass.TENSOR):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
        }
    return tags


def fragment_text(value: Any) -> str:
    """One step's tensor as text: the first string of it (UTF-8, bad bytes replaced)."""
    import numpy as np

    array = np.asarray(value, dtype=object)
    if array.size == 0:
        return ""
    first = array.reshape(-1)[0]
    return first.decode("utf-8", errors="replace") if isinstance(first, bytes) else str(first)


def html_fragments(
    provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None
) -> list[dict[str, Any]]:
    """``[{"wall_time", "step", "html"}]`` sorted by step; ``NotFoundError`` if no such series."""
    found = provider.list_series(runs=[run], plugin_name=SERIES_PLUGIN, data_class=DataClass.TENSOR)
    if not any(series.tag == tag for series in found):
        raise NotFoundError(f"no HTML series for run {run!r}, tag {tag!r}")
    key = SeriesKey(run, tag)
    return [
        {"wall_time": point.wall_time, "step": point.step, "html": fragment_text(point.value)}
        for point in provider.read_tensors([key], max_points=max_points)[key]
    ]
