"""Plain functions over ``ReadProvider`` behind the custom-scalars routes (no HTTP here).

A run may hold a *layout* (tag ``custom_scalars__config__``, a serialized
``Layout`` proto) that arranges scalar charts into categories; a multiline
chart names its tags by regular expressions matched from the start of the tag
name. The charts' data are ordinary scalar series, read as the scalars plugin
reads them: TensorBoard's custom-scalars plugin also delegates to its scalars
plugin. Difference from TensorBoard by design: every point is returned unless
``max_points`` asks for the min/max envelope.
"""

from __future__ import annotations

import re
from typing import Any

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import DecodeError

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, ScalarPoints, SeriesKey, TensorPoint
from heron.errors import NotFoundError
from heron.formats.proto.custom_scalars_layout_pb2 import Category, Layout
from heron.formats.summaries.custom_scalars import CONFIG_TAG
from heron.plugins.scalars.data import PLUGIN_NAME as SCALARS_PLUGIN
from heron.server.encoding import float_list

__all__ = ["PLUGIN_NAME", "layout", "merge_run_layouts", "scalars_matching"]

PLUGIN_NAME = "custom_scalars"


def _parse_layout(point: TensorPoint) -> Layout | None:
    """The layout a config step holds; ``None`` if it holds no parseable one."""
    cells = point.value.reshape(-1)
    if cells.size != 1 or not isinstance(cells[0], bytes):
        return None
    try:
        return Layout.FromString(cells[0])
    except DecodeError:
        return None


def merge_run_layouts(layouts: list[Layout]) -> Layout:
    """Layouts of several runs (in sorted run order) as one, by TensorBoard's rule.

    The first layout is taken whole. A later category whose title was seen
    before adds the charts that category lacks (charts equal in every field
    are skipped); a category with a new title is appended. TensorBoard loses
    the charts a third run adds to a category that only a second run
    introduced; here they are merged like any other.
    """
    merged = Layout()
    by_title: dict[str, Category] = {}
    for index, run_layout in enumerate(layouts):
        if index == 0:
            merged.CopyFrom(run_layout)
            by_title = {category.title: category for category in merged.category}
            continue
        for category in run_layout.category:
            target = by_title.get(category.title)
            if target is None:
                added = merged.category.add()
                added.CopyFrom(category)
                by_title[category.title] = added
            else:
                new_charts = [chart for chart in category.chart if chart not in target.chart]
                target.chart.extend(new_charts)
    return merged


def layout(provider: ReadProvider) -> dict[str, Any]:
    """The merged layout of every run as proto JSON (default fields included), or ``{}``.

    Each run contributes the layout of its latest config step.
    """
    configs = [
        series.key
        for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)
        if series.tag == CONFIG_TAG
    ]
    if not configs:
        return {}
    points = provider.read_tensors(configs, max_points=2)
    layouts = []
    for key in sorted(configs):
        latest = points[key][-1] if points[key] else None
        parsed = None if latest is None else _parse_layout(latest)
        if parsed is not None:
            layouts.append(parsed)
    if not layouts:
        return {}
    return MessageToDict(merge_run_layouts(layouts), always_print_fields_with_no_presence=True)


def _triples(points: ScalarPoints) -> list[list[Any]]:
    columns = (float_list(points.wall_times), points.steps.tolist(), float_list(points.values))
    return [list(row) for row in zip(*columns, strict=True)]


def scalars_matching(
    provider: ReadProvider, run: str, tag_regex: str, *, max_points: int | None = None
) -> dict[str, Any]:
    """``{"regex_valid", "tag_to_events": {tag: [[wall_time, step, value], ...]}}`` of one run.

    Tags are selected with ``re.match`` (anchored at the start, as
    TensorBoard). An empty or invalid regex is not an error: the chart shows
    it as invalid. A run without scalars gives no tags; a run that does not
    exist raises ``NotFoundError``.
    """
    try:
        regex = re.compile(tag_regex) if tag_regex else None
    except re.error:
        regex = None
    if regex is None:
        return {"regex_valid": False, "tag_to_events": {}}
    series = provider.list_series(
        runs=[run], plugin_name=SCALARS_PLUGIN, data_class=DataClass.SCALAR
    )
    if not series and run not in {known.name for known in provider.list_runs()}:
        raise NotFoundError(f"no run named {run!r}")
    keys = [SeriesKey(run, found.tag) for found in series if regex.match(found.tag)]
    points = provider.read_scalars(keys, max_points=max_points) if keys else {}
    return {
        "regex_valid": True,
        "tag_to_events": {key.tag: _triples(points[key]) for key in keys},
    }
