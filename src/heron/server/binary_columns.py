"""``/api/v1/scalars?format=binary``: scalar columns as little-endian float64 arrays.

Why a second encoding: a dashboard asks for ~10^5 points per chart, and as JSON
each one costs Python objects, digits and gzip work on the server (level-9 gzip
of 2 MB of digits takes longer than reading the points) and a parse on the
browser. Here the server writes three numpy columns with ``tobytes`` and the
browser views them as ``Float64Array`` without parsing. The layout
(docs/http-api.md, "Binary form") is:

* ``b"HSC1"`` (magic and version), then the header's length in bytes as a
  little-endian uint32;
* the header: UTF-8 JSON ``{"series": [{"run", "tag", "count"}, ...]}`` in
  the order asked, padded with spaces so the columns start at a multiple of 8
  (typed arrays need aligned offsets);
* three float64 columns of ``sum(count)`` values each: steps, wall times,
  values; series ``i`` holds the ``count`` entries after those of series
  ``0..i-1`` in each column.

Floats keep NaN and ±inf as IEEE 754 does; steps are exact up to 2^53, which
is also all a browser's numbers hold (the JSON form gives exact int64 steps).
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from heron.core.values import ScalarPoints, SeriesKey
from heron.errors import InvalidArgumentError

__all__ = [
    "MAGIC",
    "MEDIA_TYPE",
    "DecodedSeries",
    "decode_columns",
    "encode_columns",
    "gzip_fast",
]

MAGIC: Final = b"HSC1"
MEDIA_TYPE: Final = "application/vnd.heron.scalar-columns"
_PREFIX: Final = struct.Struct("<4sI")
_ALIGN: Final = 8
_F64: Final = np.dtype("<f8")


@dataclass(frozen=True, slots=True)
class DecodedSeries:
    """One series of a binary answer, as the JSON form's columns would give it."""

    run: str
    tag: str
    steps: npt.NDArray[np.float64]
    wall_times: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]


def encode_columns(series: Sequence[tuple[SeriesKey, ScalarPoints]]) -> bytes:
    """The binary answer for ``series`` (in order): header, then the three columns."""
    header = {
        "series": [
            {"run": key.run, "tag": key.tag, "count": len(points.steps)} for key, points in series
        ]
    }
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    text += b" " * (-(len(text) + _PREFIX.size) % _ALIGN)
    parts = [_PREFIX.pack(MAGIC, len(text)), text]
    for column in ("steps", "wall_times", "values"):
        arrays = [getattr(points, column) for _, points in series]
        joined = np.concatenate(arrays) if arrays else np.zeros(0)
        parts.append(joined.astype(_F64, copy=False).tobytes())
    return b"".join(parts)


def decode_columns(data: bytes) -> list[DecodedSeries]:
    """``encode_columns`` reversed: for Python clients and for tests that hold the format."""
    if len(data) < _PREFIX.size:
        raise InvalidArgumentError("binary scalar columns: shorter than their prefix")
    magic, length = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise InvalidArgumentError(f"binary scalar columns: unknown magic {magic!r}")
    start = _PREFIX.size + length
    entries = json.loads(data[_PREFIX.size : start])["series"]
    total = sum(int(entry["count"]) for entry in entries)
    if len(data) != start + 3 * 8 * total:
        raise InvalidArgumentError("binary scalar columns: length does not match the header")
    columns = np.frombuffer(data, dtype=_F64, offset=start).reshape(3, total)
    result: list[DecodedSeries] = []
    offset = 0
    for entry in entries:
        stop = offset + int(entry["count"])
        steps, walls, values = columns[:, offset:stop]
        result.append(DecodedSeries(entry["run"], entry["tag"], steps, walls, values))
        offset = stop
    return result


def gzip_fast(data: bytes) -> bytes:
    """gzip at level 1: floats barely compress further at 9, which costs ~5x the time."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()
