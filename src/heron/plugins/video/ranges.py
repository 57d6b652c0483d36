"""Byte ranges for blobs that a ``<video>`` element streams.

Browsers ask media for ``Range: bytes=N-`` so that they can seek without
downloading everything first; answering ranges (206) lets a long MP4 start
and seek at once. Only one range per request is served (what media elements
ask for); anything else is answered with the whole blob (200), which is
always allowed. Blobs never change under their key, so the ETag and
immutable caching of ``blob_response`` apply to every answer.
"""

from __future__ import annotations

import re
from typing import Literal

from starlette.requests import Request
from starlette.responses import Response

from heron.server.responses import blob_response

__all__ = ["byte_range", "ranged_blob_response"]

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | Literal["whole", "unsatisfiable"]:
    """``(first, last)`` (inclusive) for a satisfiable single range; ``"whole"`` when the header
    asks for something else (send everything); ``"unsatisfiable"`` for a 416."""
    match = _RANGE.match(header.strip())
    if match is None:
        return "whole"  # several ranges or another unit: the whole blob is a valid answer
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return "whole"
    if not first_text:  # a suffix: the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        return "unsatisfiable"
    return first, min(last, size - 1)


def ranged_blob_response(request: Request, data: bytes, media_type: str) -> Response:
    """``blob_response`` plus ``Accept-Ranges`` and 206 / 416 answers to a ``Range`` header."""
    whole = blob_response(request, data, media_type)
    whole.headers["Accept-Ranges"] = "bytes"
    header = request.headers.get("range")
    if header is None or whole.status_code != 200:
        return whole
    wanted = byte_range(header, len(data))
    if wanted == "whole":
        return whole
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": whole.headers["ETag"],
        "Cache-Control": whole.headers["Cache-Control"],
    }
    if not isinstance(wanted, tuple):
        headers["Content-Range"] = f"bytes */{len(data)}"
        return Response(status_code=416, headers=headers)
    first, last = wanted
    headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
    return Response(data[first : last + 1], status_code=206, media_type=media_type, headers=headers)
