"""Connections to the SQLite index: one writer, many readers, explicit transactions.

WAL mode is what lets readers run while the ingester commits: a reader sees
the last commit made before its transaction began, and never waits.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

__all__ = ["ReaderPool", "connect_writer", "transaction"]

_PAGE_SIZE: Final = 16384  # fewer overflow pages for chunk blobs (~24 KB each)
_MMAP_SIZE: Final = 1 << 30


def connect_writer(path: Path) -> sqlite3.Connection:
    """The writer connection: WAL, autocommit mode (transactions are explicit).

    ``check_same_thread=False`` because the store is opened on one thread and
    committed to from the ingester's commit thread; it is never used by two
    threads at once.
    """
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
    if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
        raise sqlite3.DatabaseError("cannot switch the index to WAL mode")
    # NORMAL in WAL mode: a crashed process loses nothing committed; power loss
    # may lose the last transactions, never consistency (offsets go with data).
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -65536")
    connection.execute("PRAGMA temp_store = MEMORY")
    # Checkpoint (copy the WAL into the database) every ~128 MB rather than every 16 MB:
    # a bulk ingest then spends far less time copying pages twice.
    connection.execute("PRAGMA wal_autocheckpoint = 8192")
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    """``BEGIN <mode>`` ... ``COMMIT``, or ``ROLLBACK`` when the block raises."""
    connection.execute(f"BEGIN {mode}")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


class ReaderPool:
    """Read-only connections, one per thread, closed together.

    A connection per thread (rather than a shared one behind a lock) lets two
    requests read at once; sqlite3 releases the GIL while it works.
    """

    def __init__(self, path: Path) -> None:
        self._uri = f"{path.resolve().as_uri()}?mode=ro"
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def get(self) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("the index is closed")
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the index is closed")
                connection = sqlite3.connect(
                    self._uri, uri=True, isolation_level=None, check_same_thread=False
                )
                connection.execute(f"PRAGMA mmap_size = {_MMAP_SIZE}")
                connection.execute("PRAGMA cache_size = -32768")
                connection.execute("PRAGMA query_only = ON")
                self._all.append(connection)
            self._local.connection = connection
        return connection

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a read transaction: every query sees the same commit."""
        connection = self.get()
        connection.execute("BEGIN DEFERRED")
        try:
            yield connection
        finally:
            connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for connection in self._all:
                connection.close()
            self._all.clear()
