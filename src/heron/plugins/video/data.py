"""Plain functions over ``ReadProvider`` behind the video routes (no HTTP here).

A video series is a blob-sequence series of plugin ``heron_video`` (Heron's
``add_video(format="mp4" | "webm")``): at each step ``[width, height, video]``,
laid out like images so that a step could one day hold several videos. GIFs
from ``add_video`` are images and stay on the images dashboard, where they
play inline. TensorBoard has no such plugin; the routes follow the images
plugin's shapes so that one client handles both.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.summaries.video import PLUGIN_NAME as SERIES_PLUGIN

__all__ = [
    "PLUGIN_NAME",
    "SERIES_PLUGIN",
    "sniff_video_type",
    "video_bytes",
    "video_tags",
    "videos",
]

#: The URL segment and tab of the dashboard (the series' plugin is ``heron_video``).
PLUGIN_NAME = "video"
#: Blobs before the first video at each step: width and height.
_HEADER_BLOBS = 2
_OCTET = "application/octet-stream"


def sniff_video_type(data: bytes) -> str:
    """The MIME type of an encoded video from its first bytes, never from what a client says.

    MP4 (ISO BMFF) has an ``ftyp`` box at offset 4; WebM is Matroska (EBML magic);
    animated GIFs may be logged here by other writers.
    """
    if data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return _OCTET


def video_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, Any]]]:
    """``{run: {tag: {"displayName", "description", "samples"}}}``; runs without videos left out."""
    tags: dict[str, dict[str, dict[str, Any]]] = {}
    for series in provider.list_series(
        plugin_name=SERIES_PLUGIN, data_class=DataClass.BLOB_SEQUENCE
    ):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
            "samples": max(series.max_length - _HEADER_BLOBS, 0),
        }
    return tags


def videos(
    provider: ReadProvider, run: str, tag: str, *, sample: int = 0, max_points: int | None = None
) -> list[dict[str, Any]]:
    """``[{"wall_time", "step", "query": "blob_key=<key>"}]``: each step's ``sample``-th video.

    Steps with ``sample`` videos or fewer are left out; ``NotFoundError`` if
    the run has no video series of that tag.
    """
    found = provider.list_series(
        runs=[run], plugin_name=SERIES_PLUGIN, data_class=DataClass.BLOB_SEQUENCE
    )
    if not any(series.tag == tag for series in found):
        raise NotFoundError(f"no video series for run {run!r}, tag {tag!r}")
    key = SeriesKey(run, tag)
    index = _HEADER_BLOBS + sample
    return [
        {
            "wall_time": point.wall_time,
            "step": point.step,
            "query": urlencode({"blob_key": point.blobs[index].key}),
        }
        for point in provider.read_blob_sequences([key], max_points=max_points)[key]
        if len(point.blobs) > index
    ]


def video_bytes(provider: ReadProvider, blob_key: str) -> tuple[bytes, str]:
    """The bytes of one video blob and their sniffed MIME type."""
    if not blob_key:
        raise InvalidArgumentError("blob_key must not be empty")
    data = provider.read_blob(blob_key)
    return data, sniff_video_type(data)
