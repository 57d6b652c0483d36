"""Embedding tensors as float32 bytes: fast TSV decoding, and a small cache of decoded TSVs.

A TSV tensor must be decoded to float32 before it is served; for a large one
that is seconds of work, which TensorBoard repeats on every request. Here it
is decoded by numpy's C parser (per-line Python only to explain an error) and
the result kept in a byte-bounded LRU keyed by the asset and a digest of its
raw bytes — so a file rewritten in place is never served stale, and a repeat
request costs one read and one hash instead of a parse. Binary tensors are
already float32 and are never copied.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Final

import numpy as np

from heron.errors import InvalidArgumentError

__all__ = ["TensorCache", "tsv_to_float32"]

_FLOAT32: Final = np.dtype("<f4")


def tsv_to_float32(data: bytes, num_rows: int | None, *, run: str, name: str) -> bytes:
    """One point per non-empty line, tab-separated numbers (TensorBoard's reading), as float32."""
    lines = [line for line in data.split(b"\n") if line.strip(b"\r")]
    if num_rows is not None:
        lines = lines[:num_rows]
    if not lines:
        return b""
    width = len(lines[0].rstrip(b"\r").split(b"\t"))
    try:
        values = np.fromstring(b"\n".join(lines), dtype=_FLOAT32, sep=" ")
    except ValueError:
        values = None
    if values is None or values.size != width * len(lines):
        _explain(lines, run=run, name=name)
    assert values is not None
    return bytes(values.astype(_FLOAT32, copy=False).tobytes())


def _explain(lines: list[bytes], *, run: str, name: str) -> None:
    """Raise the error the fast path could not describe: a bad cell, or ragged rows."""
    where = f"the tensor file of embedding {name!r} in run {run!r}"
    widths = set()
    for number, line in enumerate(lines, start=1):
        cells = line.rstrip(b"\r").split(b"\t")
        widths.add(len(cells))
        for cell in cells:
            try:
                float(cell)
            except ValueError:
                raise InvalidArgumentError(
                    f"{where} is not a TSV of numbers: line {number} holds {cell[:40]!r}"
                ) from None
    if len(widths) > 1:
        raise InvalidArgumentError(f"{where} has rows of different lengths")
    raise InvalidArgumentError(f"{where} is not a TSV of numbers")


class TensorCache:
    """Decoded TSV tensors, least recently used first out, at most ``max_bytes`` in total."""

    def __init__(self, max_bytes: int = 512 << 20) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, str, int | None, bytes], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def decoded(self, raw: bytes, num_rows: int | None, *, run: str, name: str) -> bytes:
        """``tsv_to_float32(raw, ...)``, from the cache if these exact bytes were decoded before."""
        key = (run, name, num_rows, hashlib.blake2b(raw, digest_size=16).digest())
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        value = tsv_to_float32(raw, num_rows, run=run, name=name)
        if len(value) <= self._max_bytes:
            with self._lock:
                if key not in self._entries:
                    self._entries[key] = value
                    self._size += len(value)
                while self._size > self._max_bytes:
                    _, evicted = self._entries.popitem(last=False)
                    self._size -= len(evicted)
        return value
