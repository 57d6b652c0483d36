"""One run's share of an ingest pass: compare its files, read what is new, emit batches.

Files are read in name order (their names start with a zero-padded
timestamp, so that is the order they were written in), which is what the
restart rule needs. A run whose earlier bytes changed (a file rewritten, or
deleted) is read again from scratch: its first batch carries ``reset_runs``,
so the old data disappears in the same transaction that starts the new.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from heron.ingest.discovery import RunListing
from heron.ingest.records import EventFileRecords
from heron.ingest.stage import IdSource, RunStage
from heron.ingest.tail import Change, FileCursor, compare
from heron.storage.batch import CommitBatch
from heron.storage.protocol import FileState, SeriesState

__all__ = ["BatchLimits", "Ids", "RunIngest"]


@dataclass(frozen=True, slots=True)
class Ids:
    runs: IdSource
    series: IdSource
    files: IdSource


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """A run emits a batch when its staged data reaches either limit (and at the end of a pass)."""

    points: int = 250_000
    bytes: int = 64 << 20


class RunIngest:
    """The ingest state of one run: its file cursors and (lazily) its stage."""

    def __init__(
        self,
        run_id: int,
        name: str,
        *,
        ids: Ids,
        records: EventFileRecords,
        series: Mapping[str, SeriesState] | None = None,
        files: Mapping[str, FileState] | None = None,
        new: bool = False,
    ) -> None:
        """``series=None`` for a run already indexed: its series are loaded only before it
        is first read (``needs_series`` / ``set_series``)."""
        self.run_id = run_id
        self.name = name
        self._ids = ids
        self._records = records
        self._known_series = dict(series or {})
        #: Whether ``_known_series`` still has to come from the store.
        self.needs_series = series is None and not new
        self._cursors = {path: FileCursor.from_state(f) for path, f in (files or {}).items()}
        self._new = new
        self._stage: RunStage | None = None

    def set_series(self, series: Mapping[str, SeriesState]) -> None:
        """The run's indexed series, loaded by the ingester before the run is read."""
        self._known_series = dict(series)
        self.needs_series = False

    def offset(self, path: str) -> int:
        """How far ``path`` has been read (0 if never)."""
        cursor = self._cursors.get(path)
        return cursor.offset if cursor is not None else 0

    def has_work(self, listing: RunListing) -> bool:
        """Whether anything changed since the last pass (cheap: compares stat results only)."""
        if self._new or len(self._cursors) != len(listing.files):
            return True
        for found in listing.files:
            cursor = self._cursors.get(found.path)
            if (
                cursor is None
                or cursor.size != found.size
                or (cursor.device, cursor.inode) != (found.device, found.inode)
            ):
                return True
        return False

    def advance(
        self,
        listing: RunListing,
        emit: Callable[[CommitBatch], None],
        *,
        limits: BatchLimits,
        on_bytes: Callable[[int], None],
    ) -> None:
        """Read every new record of the run, emitting batches as staged data reaches ``limits``."""
        listed = {found.path for found in listing.files}
        changes = {
            found.path: compare(self._cursors.get(found.path), found, self._records)
            for found in listing.files
        }
        reset = any(c is Change.REWRITTEN for c in changes.values()) or bool(
            set(self._cursors) - listed
        )
        if reset:
            self._cursors = {}
            self._known_series = {}
            self.needs_series = False
            self._stage = None
            changes = dict.fromkeys(listed, Change.NEW)
        stage = self._stage_for_pass()
        touched: dict[str, FileCursor] = {}
        pending_reset = reset
        for found in listing.files:
            if changes[found.path] is Change.UNCHANGED:
                continue
            cursor = self._cursors.get(found.path)
            if cursor is None:
                cursor = self._cursors[found.path] = FileCursor(
                    self._ids.files(), self.run_id, found.path
                )
            touched[found.path] = cursor
            start = cursor.offset
            for batch in cursor.scan(found, stage.scalar_tags):
                stage.add_scan(cursor, batch)
                if stage.pending_points >= limits.points or stage.pending_bytes >= limits.bytes:
                    emit(self._batch(stage, touched, pending_reset))
                    pending_reset = False
                    touched = {found.path: cursor}
                    on_bytes(cursor.offset - start)
                    start = cursor.offset
            on_bytes(cursor.offset - start)
        if touched or pending_reset or self._new or stage.pending_points:
            emit(self._batch(stage, touched, pending_reset))
        self._new = False

    def _stage_for_pass(self) -> RunStage:
        if self._stage is None:
            if self.needs_series:
                raise RuntimeError(f"run {self.name!r} is read before its series were loaded")
            self._stage = RunStage(
                self.run_id,
                self.name,
                series_ids=self._ids.series,
                known=self._known_series,
                new=self._new,
            )
            self._known_series = {}
        return self._stage

    def _batch(self, stage: RunStage, touched: dict[str, FileCursor], reset: bool) -> CommitBatch:
        staged = stage.take()
        return CommitBatch(
            reset_runs=(self.run_id,) if reset else (),
            runs=(staged.run,) if staged.run is not None else (),
            series=tuple(staged.series),
            scalars=tuple(staged.scalars),
            tensors=tuple(staged.tensors),
            blob_sequences=tuple(staged.blobs),
            run_info=(staged.run_info,) if staged.run_info is not None else (),
            files=tuple(cursor.progress() for cursor in touched.values()),
        )
