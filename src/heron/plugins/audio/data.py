"""Plain functions over ``ReadProvider`` behind the audio routes (no HTTP here).

An audio series is a blob-sequence series of plugin ``audio``: at each step
one blob per clip. The clips' encoding comes from the series' metadata (an
``AudioPluginData``, read here without protobuf): WAV is served as
``audio/wav``, anything else as ``application/octet-stream``. Every step is
returned unless ``max_points`` asks for fewer (TensorBoard keeps 10).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError

__all__ = [
    "CONTENT_TYPES",
    "PLUGIN_NAME",
    "audio_bytes",
    "audio_clips",
    "audio_tags",
    "content_type",
]

PLUGIN_NAME = "audio"
#: The content types ``/individualAudio`` serves (TensorBoard's rule).
CONTENT_TYPES = ("audio/wav", "application/octet-stream")
#: ``AudioPluginData.encoding`` is field 2; its ``WAV`` value is 11.
_ENCODING_FIELD = 2
_WAV = 11


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _encoding(plugin_content: bytes) -> int:
    """The ``encoding`` field of serialized ``AudioPluginData`` (0, unknown, if unreadable)."""
    pos, encoding = 0, 0
    try:
        while pos < len(plugin_content):
            key, pos = _varint(plugin_content, pos)
            field, wire = key >> 3, key & 7
            if wire == 0:
                value, pos = _varint(plugin_content, pos)
                if field == _ENCODING_FIELD:
                    encoding = value
            elif wire == 2:
                length, pos = _varint(plugin_content, pos)
                pos += length
            elif wire in (1, 5):
                pos += 8 if wire == 1 else 4
            else:
                return 0
    except ValueError:
        return 0
    return encoding


def content_type(plugin_content: bytes) -> str:
    """``audio/wav`` for WAV-encoded series, else ``application/octet-stream``."""
    return CONTENT_TYPES[0] if _encoding(plugin_content) == _WAV else CONTENT_TYPES[1]


def audio_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, Any]]]:
    """``{run: {tag: {"displayName", "description", "samples"}}}``; runs without audio left out."""
    tags: dict[str, dict[str, dict[str, Any]]] = {}
    for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.BLOB_SEQUENCE):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
            "samples": series.max_length,
        }
    return tags


def audio_clips(
    provider: ReadProvider, run: str, tag: str, *, sample: int = 0, max_points: int | None = None
) -> list[dict[str, Any]]:
    """``[{"wall_time", "label", "step", "contentType", "query"}]``: each step's ``sample``-th clip.

    Steps with ``sample`` clips or fewer are left out; ``NotFoundError`` if the
    run has no audio series of that tag.
    """
    found = provider.list_series(
        runs=[run], plugin_name=PLUGIN_NAME, data_class=DataClass.BLOB_SEQUENCE
    )
    series = next((series for series in found if series.tag == tag), None)
    if series is None:
        raise NotFoundError(f"no audio series for run {run!r}, tag {tag!r}")
    mime = content_type(series.plugin_content)
    key = SeriesKey(run, tag)
    return [
        {
            "wall_time": point.wall_time,
            "label": "",
            "step": point.step,
            "contentType": mime,
            "query": urlencode({"blob_key": point.blobs[sample].key, "content_type": mime}),
        }
        for point in provider.read_blob_sequences([key], max_points=max_points)[key]
        if len(point.blobs) > sample
    ]


def audio_bytes(provider: ReadProvider, blob_key: str, mime: str) -> bytes:
    """The bytes of one clip; ``mime`` must be one of ``CONTENT_TYPES``."""
    if mime not in CONTENT_TYPES:
        raise InvalidArgumentError(f"content_type must be one of {', '.join(CONTENT_TYPES)}")
    if not blob_key:
        raise InvalidArgumentError("blob_key must not be empty")
    return provider.read_blob(blob_key)
