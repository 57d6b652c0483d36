"""Blob keys: opaque, URL-safe handles resolved through the index, never paths.

A key encodes a blob's row id and a random 32-bit check drawn when the row was
written. A client cannot turn a key into a file path (the index maps ids to
files), and a key from before a rebuild, whose id now names another blob, is
rejected by the check instead of returning the wrong bytes.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from typing import Final

from heron.errors import NotFoundError

__all__ = ["decode_blob_key", "encode_blob_key"]

_LAYOUT: Final = struct.Struct("<QI")
#: 12 bytes in URL-safe base64: 16 characters, no padding needed.
_KEY_LENGTH: Final = 16
_KEY_ALPHABET: Final = re.compile(r"[A-Za-z0-9_-]+")
#: How much of a bad key an error message repeats.
_SHOWN: Final = 40


def encode_blob_key(blob_id: int, check: int) -> str:
    return base64.urlsafe_b64encode(_LAYOUT.pack(blob_id, check)).decode("ascii")


def decode_blob_key(key: str) -> tuple[int, int]:
    """``(blob_id, check)`` of a key; ``NotFoundError`` for anything that is not one.

    Decoding is strict (a key is exactly what ``encode_blob_key`` makes), and
    an id beyond SQLite's signed 64-bit range is refused here rather than
    overflowing in the query.
    """
    shown = key if len(key) <= _SHOWN else key[:_SHOWN] + "..."
    if len(key) != _KEY_LENGTH or not _KEY_ALPHABET.fullmatch(key):
        raise NotFoundError(f"no blob with key {shown!r}")
    try:
        blob_id, check = _LAYOUT.unpack(base64.urlsafe_b64decode(key.encode("ascii")))
    except (binascii.Error, struct.error, ValueError):
        raise NotFoundError(f"no blob with key {shown!r}") from None
    if blob_id >= 1 << 63:
        raise NotFoundError(f"no blob with key {shown!r}")
    return int(blob_id), int(check)
