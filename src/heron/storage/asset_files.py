"""Reading a plugin asset kept by reference: the very file ingest checked, or an error.

Ingest stores where an asset lives (its resolved real path, already checked
to lie inside the logdir) and how to recognise it: device, inode, size and
mtime. A reader opens that path and compares the *opened* file's identity,
so a file replaced or rewritten since (or a path component swapped for a
symlink to somewhere else) gives a clear error instead of other bytes. The
next ingest pass indexes the new version.
"""

from __future__ import annotations

import os
from typing import Final

from heron.errors import NotFoundError
from heron.storage.batch import AssetRow

__all__ = ["read_asset_file"]

_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_BINARY: Final = getattr(os, "O_BINARY", 0)


def read_asset_file(row: AssetRow, label: str) -> bytes:
    """The bytes of ``row``'s file, if it is still exactly the file indexed.

    ``label`` names the asset in error messages (which reach HTTP clients, so
    they name the asset, not the absolute path).
    """
    changed = NotFoundError(
        f"{label} changed on disk since it was indexed; it is indexed again on the next pass"
    )
    if os.path.realpath(row.path) != row.path:  # a directory on the way became a link
        raise changed
    try:
        descriptor = os.open(row.path, os.O_RDONLY | _NOFOLLOW | _BINARY)
    except OSError:
        raise changed from None
    try:
        with os.fdopen(descriptor, "rb") as stream:
            before = os.fstat(stream.fileno())
            if not _same(before, row):
                raise changed
            data = stream.read(row.size + 1)
            after = os.fstat(stream.fileno())
    except OSError:
        raise changed from None
    if len(data) != row.size or not _same(after, row):
        raise changed
    return data


def _same(status: os.stat_result, row: AssetRow) -> bool:
    return (
        status.st_dev == row.device
        and status.st_ino == row.inode
        and status.st_size == row.size
        and status.st_mtime_ns == row.mtime_ns
    )
