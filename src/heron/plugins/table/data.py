"""Plain functions over ``ReadProvider`` behind the table routes (no HTTP here).

A table series is a blob-sequence series of plugin ``heron_table`` (Heron's
``add_table``): at each step blob 0 is the table as UTF-8 JSON
(``{"columns", "rows"}``) and blobs 1.. are PNG images that cells name as
``{"image": i}``. The steps are listed cheaply (blob handles only); one
step's table is read when the UI shows it, with each image cell turned into
the query of its blob so that the browser fetches (and caches) the image itself.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from heron.core.provider import ReadProvider
from heron.core.values import BlobSequencePoint, DataClass, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.summaries.table import PLUGIN_NAME as SERIES_PLUGIN
from heron.plugins.images.data import sniff_image_type

__all__ = [
    "PLUGIN_NAME",
    "SERIES_PLUGIN",
    "table_at",
    "table_image",
    "table_steps",
    "table_tags",
]

#: The URL segment and tab of the dashboard (the series' plugin is ``heron_table``).
PLUGIN_NAME = "table"


def table_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, str]]]:
    """``{run: {tag: {"displayName", "description"}}}``; runs without tables are left out."""
    tags: dict[str, dict[str, dict[str, str]]] = {}
    for series in provider.list_series(
        plugin_name=SERIES_PLUGIN, data_class=DataClass.BLOB_SEQUENCE
    ):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
        }
    return tags


def _points(
    provider: ReadProvider, run: str, tag: str, max_points: int | None = None
) -> list[BlobSequencePoint]:
    found = provider.list_series(
        runs=[run], plugin_name=SERIES_PLUGIN, data_class=DataClass.BLOB_SEQUENCE
    )
    if not any(series.tag == tag for series in found):
        raise NotFoundError(f"no table series for run {run!r}, tag {tag!r}")
    key = SeriesKey(run, tag)
    return [p for p in provider.read_blob_sequences([key], max_points=max_points)[key] if p.blobs]


def table_steps(
    provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None
) -> list[dict[str, Any]]:
    """``[{"wall_time", "step"}]`` of the steps holding a table, sorted by step."""
    return [
        {"wall_time": point.wall_time, "step": point.step}
        for point in _points(provider, run, tag, max_points)
    ]


def _cell(value: Any, point: BlobSequencePoint) -> Any:
    """A cell as sent: image references become the query of their blob (null if dangling)."""
    if isinstance(value, dict):
        index = value.get("image")
        if isinstance(index, int) and not isinstance(index, bool) and 0 < index < len(point.blobs):
            return {"image": urlencode({"blob_key": point.blobs[index].key})}
        return {"image": None}
    if isinstance(value, list):
        return json.dumps(value)  # not written by Heron; shown as its JSON text
    return value


def table_at(provider: ReadProvider, run: str, tag: str, step: int) -> dict[str, Any]:
    """``{"wall_time", "step", "columns", "rows"}`` of the table at ``step``.

    ``NotFoundError`` if the series has no table at that step, or its JSON is
    not a table (a damaged or foreign record).
    """
    point = next((p for p in _points(provider, run, tag) if p.step == step), None)
    if point is None:
        raise NotFoundError(f"table {tag!r} of run {run!r} has no step {step}")
    try:
        document = json.loads(provider.read_blob(point.blobs[0].key).decode("utf-8"))
        columns = [str(name) for name in document["columns"]]
        rows = [[_cell(cell, point) for cell in row] for row in document["rows"]]
    except (ValueError, KeyError, TypeError) as error:
        raise NotFoundError(f"table {tag!r} of run {run!r} at step {step} is unreadable") from error
    width = len(columns)
    rows = [row[:width] + [None] * (width - len(row)) for row in rows]
    return {"wall_time": point.wall_time, "step": point.step, "columns": columns, "rows": rows}


def table_image(provider: ReadProvider, blob_key: str) -> tuple[bytes, str]:
    """The bytes of one image cell and their sniffed MIME type."""
    if not blob_key:
        raise InvalidArgumentError("blob_key must not be empty")
    data = provider.read_blob(blob_key)
    return data, sniff_image_type(data)
