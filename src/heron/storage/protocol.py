"""The write side of storage: what the ingester (the only writer) needs from a backend.

Readers never see this protocol: they get a ``ReadProvider`` from
``Store.reader()``. Keeping the write side this narrow is what lets a
PostgreSQL backend slot in beside SQLite without touching the ingester.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.storage.batch import AssetRow, CommitBatch, RecordCheck

__all__ = ["FileState", "RecordSource", "SeriesState", "Store", "StoreState"]


@dataclass(frozen=True, slots=True)
class SeriesState:
    series_id: int
    tag: str
    data_class: DataClass | None
    ingest_state: bytes


@dataclass(frozen=True, slots=True)
class FileState:
    """A file as last committed: where to resume reading it, and how to recognise it."""

    file_id: int
    run_id: int
    path: str
    size: int
    offset: int
    records: int
    corrupt_records: int
    device: int
    inode: int
    error: str | None
    last_record: RecordCheck | None


@dataclass(frozen=True, slots=True)
class StoreState:
    """Everything the ingester needs to resume where the last committed batch left off.

    Series are not in it: a restart that finds nothing new needs none of them
    (20,000 at 5,000 runs), so the ingester asks ``Store.load_series`` for the
    runs it is about to read.
    """

    #: Run name -> run id.
    runs: Mapping[str, int] = field(default_factory=dict)
    #: Run id -> its files by path.
    files: Mapping[int, Mapping[str, FileState]] = field(default_factory=dict)
    #: (plugin name, run) -> its assets as last committed.
    assets: Mapping[tuple[str, str], tuple[AssetRow, ...]] = field(default_factory=dict)
    next_run_id: int = 1
    next_series_id: int = 1
    next_file_id: int = 1


@runtime_checkable
class RecordSource(Protocol):
    """Fetches one record of an event file, for blobs stored by reference.

    Storage never parses event files itself (it sits beside, not above, the
    formats layer); the composition root passes an implementation in.
    """

    def read_record(self, path: str, check: RecordCheck) -> bytes:
        """The payload of the record ``check`` describes, verified.

        Raises ``heron.errors.NotFoundError`` when the file is gone or no longer
        holds that exact record (different length or checksum).
        """
        ...


@runtime_checkable
class Store(Protocol):
    """A persistent index of one experiment, written by exactly one ingester.

    **Atomicity.** ``commit`` applies a whole ``CommitBatch`` or nothing. File
    offsets travel in the same batch as the points read up to them, so after a
    crash ``load_state`` describes exactly the data that is stored: re-reading
    from the returned offsets neither loses nor duplicates a point.

    **Restart rule.** ``commit`` applies the ``ReadProvider`` rule: per series,
    a point at step ``s`` hides every earlier-written point with step ``>= s``,
    whether the earlier point is already stored or earlier in the same batch.
    Hidden points stay stored and readable with ``include_hidden=True``.

    **Assets.** Each ``AssetSet`` of a batch replaces every asset of its
    (plugin, run), in the same transaction; assets are keyed by run *name*
    (the logdir itself may have assets without being a run). An asset kept
    by reference is read from its file by ``reader().read_asset`` and
    verified to be the file indexed; the store never decides what is safe to
    reference, the ingester does.

    **Threads.** ``load_state``, ``load_series`` and ``commit`` are called from one thread at a
    time (the ingester's commit thread). ``reader()`` may be called from any
    thread, and its provider is safe to use from many threads at once; reads
    never wait for a commit to finish.
    """

    def load_state(self) -> StoreState: ...

    def load_series(self, run_ids: Collection[int]) -> Mapping[int, Mapping[str, SeriesState]]:
        """The series of ``run_ids`` (including unclassifiable ones) by tag; runs without
        series are left out."""
        ...

    def commit(self, batch: CommitBatch) -> None: ...

    def reader(self) -> ReadProvider: ...

    def close(self) -> None: ...
