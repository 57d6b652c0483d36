"""Decode a trace-event document's ``traceEvents`` a chunk at a time, not as one document.

``json.loads`` of a 1,000,000-event trace builds a million dicts at once (about 1 GB for a
135 MB file) before the first is looked at. Here the array is cut into pieces of about
``chunk_bytes`` at event boundaries and each piece is parsed with orjson alone, so only one
piece's dicts are alive at a time and a reader turns them into compact columns as it goes.

Finding a boundary needs no JSON scanner of our own: a candidate cut is a ``}`` followed by
``,`` ``{`` (or by the array's closing ``]``), and a piece ``[...]`` that parses proves the cut
was between two top-level events — a cut inside an event leaves a brace or a string open, so
orjson refuses it and the next candidate is tried. Anything unusual (a missing
``traceEvents``, a document that is not an object or a list) falls back to parsing the whole
document, which gives the same events.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import orjson

from heron.formats.trace_events import TraceFormatError, decompress_trace

__all__ = ["TraceChunks", "iter_trace_chunks"]

#: Bytes per parsed piece: large enough that orjson's call overhead vanishes, small enough
#: that a piece's dicts stay a few MB.
CHUNK_BYTES: Final = 1 << 20
_CUT: Final = re.compile(rb"\}\s*(?:,\s*\{|\])")
_KEY: Final = re.compile(rb'"traceEvents"\s*:\s*\[')
_SPACE: Final = b" \t\r\n"


class TraceChunks:
    """The events of a trace as lists of decoded events, and its other top-level keys.

    ``metadata`` is complete only once ``chunks`` is exhausted (the keys after the array are
    read last).
    """

    def __init__(self, data: bytes, chunk_bytes: int = CHUNK_BYTES) -> None:
        self._data = decompress_trace(data)
        self._chunk_bytes = max(64, chunk_bytes)
        self.metadata: dict[str, Any] = {}

    def chunks(self) -> Iterator[list[Any]]:
        data = self._data
        start = _array_start(data)
        if start is None:
            yield from self._whole()
            return
        pos = start
        while pos < len(data) and data[pos] in _SPACE:
            pos += 1
        if data[pos : pos + 1] == b"]":
            self._set_metadata(start, pos)
            return
        while True:
            found = self._next_piece(pos)
            if found is None:
                # Not the layout the cutter expects: the whole document is the reference.
                yield from self._whole()
                return
            events, cut_end, last = found
            yield events
            if last:
                self._set_metadata(start, cut_end - 1)
                return
            pos = cut_end - 1  # the "{" that starts the next event

    def _next_piece(self, pos: int) -> tuple[list[Any], int, bool] | None:
        data = self._data
        if pos + self._chunk_bytes >= len(data):
            found = self._last_piece(pos)
            if found is not None:
                return found
        for origin in (min(pos + self._chunk_bytes, len(data)), pos):
            for match in _CUT.finditer(data, origin):
                piece = data[pos : match.start() + 1]
                try:
                    events = orjson.loads(b"[" + piece + b"]")
                except orjson.JSONDecodeError:
                    continue
                return events, match.end(), data[match.end() - 1 : match.end()] == b"]"
        return None

    def _last_piece(self, pos: int) -> tuple[list[Any], int, bool] | None:
        """The rest of the array at once: its closing ``]`` is one of the last few in the file
        (keys after the array may hold lists too)."""
        data = self._data
        end = len(data)
        for _ in range(8):
            close = data.rfind(b"]", pos, end)
            if close < 0:
                return None
            try:
                events = orjson.loads(b"[" + data[pos:close] + b"]")
            except orjson.JSONDecodeError:
                end = close
                continue
            return events, close + 1, True
        return None

    def _set_metadata(self, start: int, end: int) -> None:
        """The document without its events: ``prefix [] suffix`` (``end`` is the array's ``]``)."""
        if self._data[:1] == b"[" and start == 1:
            return
        try:
            document = orjson.loads(self._data[: start - 1] + b"[]" + self._data[end + 1 :])
        except orjson.JSONDecodeError:
            return
        if isinstance(document, dict):
            self.metadata = {k: v for k, v in document.items() if k != "traceEvents"}

    def _whole(self) -> Iterator[list[Any]]:
        try:
            document = orjson.loads(self._data)
        except orjson.JSONDecodeError as error:
            raise TraceFormatError(f"not JSON: {error}") from None
        if isinstance(document, list):
            events: Any = document
        elif isinstance(document, dict) and isinstance(document.get("traceEvents", []), list):
            events = document.get("traceEvents", [])
            self.metadata = {k: v for k, v in document.items() if k != "traceEvents"}
        else:
            raise TraceFormatError("a trace is a JSON object with a traceEvents list, or a list")
        yield events


def _array_start(data: bytes) -> int | None:
    """Index just after the ``[`` that opens the events, or ``None`` when it is not plain to see."""
    head = data.lstrip(_SPACE)[:1] if len(data) < 64 else data[:64].lstrip(_SPACE)[:1]
    if head == b"[":
        return data.index(b"[") + 1
    if head != b"{":
        return None
    match = _KEY.search(data)
    return None if match is None else match.end()


def iter_trace_chunks(data: bytes, chunk_bytes: int = CHUNK_BYTES) -> TraceChunks:
    """A ``TraceChunks`` over ``data`` (JSON, gzipped or not)."""
    return TraceChunks(data, chunk_bytes)
