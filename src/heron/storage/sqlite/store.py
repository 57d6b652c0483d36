"""``SqliteStore``: the embedded index, one SQLite file per experiment."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Collection
from pathlib import Path
from typing import IO

from heron.core.provider import ReadProvider
from heron.errors import HeronError
from heron.storage.batch import CommitBatch
from heron.storage.protocol import RecordSource, SeriesState, StoreState
from heron.storage.sqlite.connections import ReaderPool
from heron.storage.sqlite.reader import SqliteReader
from heron.storage.sqlite.schema import open_index
from heron.storage.sqlite.writer import apply_batch, load_series, load_state

__all__ = ["IndexBusyError", "SqliteStore"]


class IndexBusyError(HeronError):
    """Another process is writing this index (two ingesters would duplicate points)."""


class SqliteStore:
    """Implements ``heron.storage.Store`` on one SQLite file in WAL mode.

    The writer connection is used under a lock by whichever thread commits
    (the ingester's commit thread); readers get per-thread read-only
    connections from a pool, so reads never wait for ingest. A lock file beside
    the index keeps a second process from ingesting into it at the same time.
    """

    def __init__(self, path: Path, *, experiment: str, records: RecordSource | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_file = _lock(Path(f"{path}.lock"))
        try:
            self._writer: sqlite3.Connection = open_index(path, experiment=experiment)
        except BaseException:
            self._lock_file.close()
            raise
        self._write_lock = threading.Lock()
        self._pool = ReaderPool(path)
        self._reader = SqliteReader(self._pool, records)
        self._closed = False

    def load_state(self) -> StoreState:
        with self._write_lock:
            return load_state(self._writer)

    def load_series(self, run_ids: Collection[int]) -> dict[int, dict[str, SeriesState]]:
        with self._write_lock:
            return load_series(self._writer, run_ids)

    def commit(self, batch: CommitBatch) -> None:
        if batch.is_empty():
            return
        with self._write_lock:
            apply_batch(self._writer, batch)

    def reader(self) -> ReadProvider:
        return self._reader

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.close()
        with self._write_lock:
            self._writer.close()
        self._lock_file.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _lock(path: Path) -> IO[str]:
    """An exclusive advisory lock held for the store's lifetime (released by the OS on exit)."""
    handle = open(path, "a+")  # noqa: SIM115 - closed by SqliteStore.close
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, best effort
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise IndexBusyError(
            f"the index {path.with_suffix('')} is being written by {holder}; "
            "stop it, or pass a different index location"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle
