"""Custom-scalars layouts: a DT_STRING scalar holding a serialized ``Layout``.

The tag is ``custom_scalars__config__``.

A layout groups charts into categories. A *multiline* chart draws every scalar
tag that one of its regular expressions matches (from the start of the tag);
a *margin* chart draws a value with a lower and an upper bound, each an exact tag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from heron.formats.proto.custom_scalars_layout_pb2 import (
    Category,
    Chart,
    Layout,
    MarginChartContent,
    MultilineChartContent,
)
from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

__all__ = ["CONFIG_TAG", "PLUGIN_NAME", "layout_from_dict", "layout_value", "merge_layouts"]

PLUGIN_NAME: Final = "custom_scalars"
CONFIG_TAG: Final = "custom_scalars__config__"


def layout_from_dict(
    layout: Mapping[str, Mapping[str, Any]],
) -> Layout:
    """PyTorch's layout dict: ``{category: {chart title: ["Multiline" | "Margin", tags]}}``.

    A margin chart takes three tags: value, lower bound, upper bound. Raises
    ``ValueError`` for a malformed entry.
    """
    categories = []
    for category_title, charts in layout.items():
        built = []
        for chart_title, spec in charts.items():
            if len(spec) != 2:
                raise ValueError(
                    f"chart {chart_title!r}: expected [chart type, tags], got {list(spec)!r}"
                )
            kind, tags = spec[0], [str(tag) for tag in spec[1]]
            if kind == "Margin":
                if len(tags) != 3:
                    raise ValueError(
                        f"margin chart {chart_title!r} needs 3 tags (value, lower, upper), "
                        f"got {len(tags)}"
                    )
                series = MarginChartContent.Series(value=tags[0], lower=tags[1], upper=tags[2])
                built.append(Chart(title=chart_title, margin=MarginChartContent(series=[series])))
            elif kind == "Multiline":
                built.append(Chart(title=chart_title, multiline=MultilineChartContent(tag=tags)))
            else:
                raise ValueError(
                    f"chart {chart_title!r}: type must be 'Multiline' or 'Margin', got {kind!r}"
                )
        categories.append(Category(title=category_title, chart=built))
    return Layout(category=categories)


def merge_layouts(base: Layout, addition: Layout) -> Layout:
    """``base`` plus ``addition``: same-titled categories merge, same-titled charts are replaced."""
    merged = Layout()
    merged.CopyFrom(base)
    for category in addition.category:
        target = next((c for c in merged.category if c.title == category.title), None)
        if target is None:
            merged.category.add().CopyFrom(category)
            continue
        for chart in category.chart:
            existing = next((c for c in target.chart if c.title == chart.title), None)
            if existing is None:
                target.chart.add().CopyFrom(chart)
            else:
                existing.CopyFrom(chart)
    return merged


def layout_value(layout: Layout) -> Summary.Value:
    return Summary.Value(
        tag=CONFIG_TAG,
        tensor=string_tensor([layout.SerializeToString()], shape=()),
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_TENSOR),
    )
