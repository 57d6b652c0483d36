"""The SQLite index's schema, its version, and what happens to an index of another version.

The index is only a cache of the event files, so the policy is simple and safe:

* same version and same experiment: used as is;
* an older version with a registered migration path: migrated in place, in
  one transaction per step;
* anything else (a newer version, an unknown or foreign file, a corrupt one,
  an index built for another logdir): deleted and rebuilt from the event files.

An index is never read under a schema it was not written with. The version is
SQLite's ``PRAGMA user_version`` (part of the database header, so it changes
atomically with the tables); ``docs/storage.md`` describes every table.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

from heron._version import __version__
from heron.storage.sqlite.connections import connect_writer, transaction

__all__ = [
    "MIGRATIONS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Migration",
    "open_index",
    "remove_index",
]

_log = logging.getLogger("heron.storage")

SCHEMA_VERSION: Final = 3

#: Schema 2 added plugin assets (the projector's files). Kept apart so that the
#: fresh schema and the migration from 1 create the very same table.
_ASSETS_V2: Final = """
CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    plugin_name TEXT NOT NULL,
    run TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    device INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    data BLOB,
    error TEXT,
    UNIQUE (plugin_name, run, name)
);
"""

#: Schema 3 added the run change log: per run, the generation of the last commit that
#: changed it, so that a reader refreshes its run table for those runs only (``listings``).
_RUN_CHANGES_V3: Final = """
CREATE TABLE run_changes (
    run_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    generation INTEGER NOT NULL
);
CREATE INDEX run_changes_by_generation ON run_changes (generation);
"""

SCHEMA: Final = (
    """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    start_time REAL,
    last_wall_time REAL,
    last_step INTEGER,
    hparams TEXT,
    session_status TEXT
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    records INTEGER NOT NULL,
    corrupt_records INTEGER NOT NULL,
    device INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    error TEXT,
    last_record_offset INTEGER,
    last_record_length INTEGER,
    last_record_crc INTEGER
);
CREATE INDEX files_by_run ON files (run_id);
CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    tag TEXT NOT NULL,
    plugin_name TEXT NOT NULL,
    data_class INTEGER NOT NULL,
    plugin_content BLOB NOT NULL,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL,
    ingest_state BLOB NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    first_step INTEGER,
    last_step INTEGER,
    first_value REAL,
    last_value REAL,
    min_value REAL,
    max_value REAL,
    last_wall_time REAL,
    max_wall_time REAL,
    max_length INTEGER NOT NULL DEFAULT 0,
    UNIQUE (run_id, tag)
);
CREATE TABLE scalar_chunks (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    count INTEGER NOT NULL,
    first_value REAL,
    last_value REAL,
    last_wall REAL NOT NULL,
    low REAL,
    high REAL,
    total REAL,
    nan_count INTEGER NOT NULL,
    latest_wall REAL NOT NULL,
    rollup BLOB NOT NULL,
    encoding INTEGER NOT NULL,
    steps BLOB NOT NULL,
    "values" BLOB NOT NULL,
    wall_times BLOB NOT NULL
);
CREATE UNIQUE INDEX scalar_chunks_by_series ON scalar_chunks (series_id, first_step);
CREATE TABLE hidden_scalars (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    encoding INTEGER NOT NULL,
    steps BLOB NOT NULL,
    "values" BLOB NOT NULL,
    wall_times BLOB NOT NULL
);
CREATE INDEX hidden_scalars_by_series ON hidden_scalars (series_id, id);
CREATE TABLE tensor_points (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    step INTEGER NOT NULL,
    wall_time REAL NOT NULL,
    hidden INTEGER NOT NULL,
    dtype TEXT NOT NULL,
    shape TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX tensor_points_by_series ON tensor_points (series_id, hidden, step);
CREATE TABLE blob_points (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    step INTEGER NOT NULL,
    wall_time REAL NOT NULL,
    hidden INTEGER NOT NULL,
    length INTEGER NOT NULL
);
CREATE INDEX blob_points_by_series ON blob_points (series_id, hidden, step);
CREATE TABLE blobs (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    check_value INTEGER NOT NULL,
    size INTEGER NOT NULL,
    data BLOB,
    file_id INTEGER,
    record_offset INTEGER,
    record_length INTEGER,
    record_crc INTEGER,
    start INTEGER,
    stop INTEGER
);
CREATE INDEX blobs_by_point ON blobs (point_id, position);
"""
    + _ASSETS_V2
    + _RUN_CHANGES_V3
)

#: A migration brings an index from version ``v`` to ``v + 1`` inside a transaction.
Migration = Callable[[sqlite3.Connection], None]


#: ``{v: migration from v to v + 1}``. A schema change that can carry data over
#: registers its step here; one that cannot simply omits it (indexes of older
#: versions are then rebuilt from the event files).
def _add_assets(connection: sqlite3.Connection) -> None:
    """1 → 2: plugin assets. Nothing to carry over: the next ingest pass finds them."""
    for statement in _statements(_ASSETS_V2):
        connection.execute(statement)


def _add_run_changes(connection: sqlite3.Connection) -> None:
    """2 → 3: the run change log, empty. A reader builds its first run table in full, and
    commits from now on log the runs they change."""
    for statement in _statements(_RUN_CHANGES_V3):
        connection.execute(statement)


MIGRATIONS: Final[Mapping[int, Migration]] = {1: _add_assets, 2: _add_run_changes}


def open_index(
    path: Path,
    *,
    experiment: str,
    version: int = SCHEMA_VERSION,
    schema: str = SCHEMA,
    migrations: Mapping[int, Migration] = MIGRATIONS,
) -> sqlite3.Connection:
    """The writer connection to the index at ``path``, created, migrated or rebuilt as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = connect_writer(path)
        found = _prepare(connection, experiment, version, schema, migrations)
    except sqlite3.DatabaseError as error:
        reason = f"unreadable ({error})"
    else:
        if found is None:
            return connection
        reason = found
        connection.close()
    _log.warning("rebuilding the index %s: %s", path, reason)
    remove_index(path)
    connection = connect_writer(path)
    if _prepare(connection, experiment, version, schema, migrations) is not None:
        raise RuntimeError(f"{path}: a freshly created index is not usable")  # pragma: no cover
    return connection


def remove_index(path: Path) -> None:
    """Delete an index file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


def _prepare(
    connection: sqlite3.Connection,
    experiment: str,
    version: int,
    schema: str,
    migrations: Mapping[int, Migration],
) -> str | None:
    """Bring the index to ``version``; return why it must be rebuilt instead, or ``None``."""
    found = int(connection.execute("PRAGMA user_version").fetchone()[0])
    tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if found == 0 and tables == 0:
        with transaction(connection):
            for statement in _statements(schema):
                connection.execute(statement)
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("experiment", experiment), ("created_by", f"heron {__version__}")],
            )
            connection.execute(f"PRAGMA user_version = {version}")
        return None
    if found == 0:
        return "not a Heron index"
    if found > version:
        return f"written by a newer Heron (schema {found}; this one reads {version})"
    if found < version:
        steps = range(found, version)
        if any(step not in migrations for step in steps):
            return f"schema {found} has no migration to {version}"
        for step in steps:
            with transaction(connection):
                migrations[step](connection)
                connection.execute(f"PRAGMA user_version = {step + 1}")
            _log.info("migrated the index from schema %d to %d", step, step + 1)
    row = connection.execute("SELECT value FROM meta WHERE key = 'experiment'").fetchone()
    if row is None or row[0] != experiment:
        return f"built for another logdir ({row[0] if row else 'unknown'!r})"
    return None


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
