"""Blob keys: opaque, URL-safe handles resolved through the index, never paths.

A key encodes a blob's row id and a random 32-bit check drawn when the row was
written. A client cannot turn a key into a file path (the index maps ids to
files), and a key from before a rebuild, whose id now names another blob, is
rejected by the check instead of returning the wrong bytes.
"""

from __future__ import annotations

import base64
import binascii
import struct
from typing import Final

from heron.errors import NotFoundError

__all__ = ["decode_blob_key", "encode_blob_key"]

_LAYOUT: Final = struct.Struct("<QI")


def encode_blob_key(blob_id: int, check: int) -> str:
    return base64.urlsafe_b64encode(_LAYOUT.pack(blob_id, check)).decode("ascii")


def decode_blob_key(key: str) -> tuple[int, int]:
    """``(blob_id, check)`` of a key; ``NotFoundError`` for anything that is not one."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
        blob_id, check = _LAYOUT.unpack(raw)
    except (UnicodeEncodeError, binascii.Error, struct.error, ValueError):
        raise NotFoundError(f"no blob with key {key!r}") from None
    return int(blob_id), int(check)
