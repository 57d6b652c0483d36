"""Plugin assets in the SQLite index: listing, reading, and their problems for ``health()``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from typing import Final

from heron.core.values import Asset, FileHealth
from heron.errors import NotFoundError
from heron.storage.asset_files import read_asset_file
from heron.storage.batch import AssetRow

__all__ = ["asset_bytes", "asset_problems", "find_asset", "list_assets"]

_COLUMNS: Final = "name, media_type, path, size, mtime_ns, device, inode, data, error"


def list_assets(
    db: sqlite3.Connection, plugin_name: str, runs: Collection[str] | None
) -> list[Asset]:
    where, params = "plugin_name = ?", [plugin_name]
    if runs is not None:
        where += " AND run IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(runs)))
    return [
        Asset(
            plugin_name=plugin_name,
            run=run,
            name=name,
            media_type=media_type,
            size=-1 if error is not None else size if length is None else length,
            error=error,
        )
        for run, name, media_type, size, length, error in db.execute(
            "SELECT run, name, media_type, size, length(data), error FROM assets "
            f"WHERE {where} ORDER BY run, name",
            params,
        )
    ]


def find_asset(db: sqlite3.Connection, plugin_name: str, run: str, name: str) -> AssetRow:
    """The stored row of one asset; ``NotFoundError`` if there is none."""
    found = db.execute(
        f"SELECT {_COLUMNS} FROM assets WHERE plugin_name = ? AND run = ? AND name = ?",
        (plugin_name, run, name),
    ).fetchone()
    if found is None:
        raise NotFoundError(f"no {plugin_name} asset {name!r} in run {run!r}")
    return AssetRow(*found)


def asset_bytes(row: AssetRow, run: str) -> bytes:
    """The stored copy, or the referenced file read and verified (see ``asset_files``).

    Called after the snapshot is released: reading a large file must not hold
    a pooled connection.
    """
    label = f"asset {row.name!r} of run {run!r}"
    if row.error is not None:
        raise NotFoundError(f"{label} is not served: {row.error}")
    if row.data is not None:
        return bytes(row.data)
    return read_asset_file(row, label)


def asset_problems(db: sqlite3.Connection) -> list[FileHealth]:
    """Assets ingest refused, as ``FileHealth`` entries naming the file that named them."""
    return [
        FileHealth(run, path, 0, 0, 0, 0, f"{plugin_name} asset {name!r}: {error}")
        for plugin_name, run, name, path, error in db.execute(
            "SELECT plugin_name, run, name, path, error FROM assets "
            "WHERE error IS NOT NULL ORDER BY run, path, plugin_name, name"
        )
    ]
