"""Plain functions over ``ReadProvider`` behind the images routes (no HTTP here).

An image series is a blob-sequence series of plugin ``images``: at each step
``[width, height, image, image, ...]`` (width and height as ASCII decimals).
Difference from TensorBoard by design: every step is returned unless
``max_points`` asks for fewer (TensorBoard keeps 10 steps at random).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError

__all__ = ["PLUGIN_NAME", "image_bytes", "image_tags", "images", "sniff_image_type"]

PLUGIN_NAME = "images"
#: Blobs before the first image at each step: width and height.
_HEADER_BLOBS = 2
#: Magic numbers of the formats TensorBoard serves with their own MIME type.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)


def image_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, Any]]]:
    """``{run: {tag: {"displayName", "description", "samples"}}}``; runs without images left out.

    ``samples`` is the most images any step of the series holds.
    """
    tags: dict[str, dict[str, dict[str, Any]]] = {}
    for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.BLOB_SEQUENCE):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
            "samples": max(series.max_length - _HEADER_BLOBS, 0),
        }
    return tags


def images(
    provider: ReadProvider, run: str, tag: str, *, sample: int = 0, max_points: int | None = None
) -> list[dict[str, Any]]:
    """``[{"wall_time", "step", "query": "blob_key=<key>"}]`` of the ``sample``-th image per step.

    Steps with ``sample`` images or fewer are left out. ``NotFoundError`` if
    the run has no image series of that tag.
    """
    found = provider.list_series(
        runs=[run], plugin_name=PLUGIN_NAME, data_class=DataClass.BLOB_SEQUENCE
    )
    if not any(series.tag == tag for series in found):
        raise NotFoundError(f"no image series for run {run!r}, tag {tag!r}")
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


def sniff_image_type(data: bytes) -> str:
    """The MIME type of an encoded image, from its first bytes (``application/octet-stream``)."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    return "application/octet-stream"


def image_bytes(provider: ReadProvider, blob_key: str) -> tuple[bytes, str]:
    """The bytes of one image blob and their sniffed MIME type."""
    if not blob_key:
        raise InvalidArgumentError("blob_key must not be empty")
    data = provider.read_blob(blob_key)
    return data, sniff_image_type(data)
