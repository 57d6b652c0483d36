"""Tailing event files: one cursor per file, resumable at a committed offset.

A cursor remembers where reading stopped (just past the last whole record),
how many records were read or skipped as corrupt, the file's identity
(device, inode) and the last record consumed. Each pass compares that with
what discovery found:

* same file, same size: nothing to do;
* same file, larger: read from the offset (a partial last record stays
  unread until it is complete);
* a different inode under the same name (rsync and many sync tools write a
  temporary file and rename it over the old one): if the last record we
  consumed is still at its offset, byte for byte, the file was only extended
  and reading continues from the offset; otherwise its earlier content
  changed and the whole run is read again from scratch;
* smaller than the offset: rewritten; the run is read again.

Files rewritten in place to the same or a larger size, with the same inode,
are not detected (that would mean re-reading every byte each pass); writers
and sync tools do not do that to event files.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from heron.formats.scan import DEFAULT_CHUNK_SIZE, ScanBatch, scan_file
from heron.ingest.discovery import EventFile
from heron.ingest.records import EventFileRecords
from heron.ingest.remote import is_remote, open_remote
from heron.storage.batch import FileProgress, RecordCheck
from heron.storage.protocol import FileState

__all__ = ["Change", "FileCursor", "compare"]

_MIN_CHUNK = 1 << 16
_SLACK = 1 << 12  # room for what is appended between discovery's stat and the read
# Points per scanner batch: its columns are allocated for this many (40 bytes each).
_MAX_POINTS = 1 << 16


class Change(enum.Enum):
    UNCHANGED = "unchanged"
    NEW = "new"
    GREW = "grew"
    #: Bytes before the offset changed: the run must be read again from scratch.
    REWRITTEN = "rewritten"


@dataclass(slots=True)
class FileCursor:
    """Where one file's reading stands (owned by one run's ingest, used by one thread)."""

    file_id: int
    run_id: int
    path: str
    size: int = 0
    offset: int = 0
    records: int = 0
    corrupt_records: int = 0
    device: int = 0
    inode: int = 0
    error: str | None = None
    last_record: RecordCheck | None = None

    @classmethod
    def from_state(cls, state: FileState) -> FileCursor:
        return cls(
            state.file_id,
            state.run_id,
            state.path,
            state.size,
            state.offset,
            state.records,
            state.corrupt_records,
            state.device,
            state.inode,
            state.error,
            state.last_record,
        )

    def scan(self, found: EventFile, scalar_tags: Mapping[bytes, int]) -> Iterator[ScanBatch]:
        """Batches of records from the offset on, through the compiled scanner.

        Plain scalars of tags in ``scalar_tags`` arrive as columns; any other
        record stops a batch as its ``residual`` for the caller to decode.
        When a batch is yielded the cursor already counts it (``resume`` is
        past its residual), so the caller may snapshot ``progress()`` once it
        has staged the batch. A partial last record stays unread.
        """
        self.device, self.inode = found.device, found.inode
        try:
            # A buffer sized to what is there: small files are the common case in
            # logdirs of many runs, and a full-size buffer costs a fresh 8 MiB each.
            backlog = max(found.size - self.offset, 0) + _SLACK
            chunk = min(max(backlog, _MIN_CHUNK), DEFAULT_CHUNK_SIZE)
            opener = open_remote if is_remote(self.path) else None
            for batch in scan_file(
                self.path,
                scalar_tags,
                offset=self.offset,
                chunk_size=chunk,
                max_points=_MAX_POINTS,
                opener=opener,
            ):
                self._account(batch)
                # Mid-file, ``size`` claims no more than was read: if this
                # snapshot is the last one committed, the next pass sees
                # the rest of the file as new.
                self.size = self.offset
                yield batch
        except OSError as error:
            self.error = f"cannot read: {error.strerror or error}"
        # The file may have grown between discovery's stat and this read.
        self.size = max(found.size, self.offset)

    def _account(self, batch: ScanBatch) -> None:
        corrupt = len(batch.corruptions)
        self.records += batch.records - corrupt
        self.corrupt_records += corrupt
        self.offset = batch.resume
        if corrupt:
            last = batch.corruptions[-1]
            self.error = f"skipped a corrupt record at byte {last.offset}: {last.reason}"
        if batch.framing_error is not None:
            error = batch.framing_error
            self.error = f"cannot read past byte {error.offset}: {error.reason}"
        if batch.last_record is not None:
            # Taken from the scanner's buffer: no second open of the file to remember it.
            self.last_record = RecordCheck(*batch.last_record)

    def reject(self, reason: str) -> None:
        """The record just staged passed its checksums but is not usable: count it as corrupt."""
        self.records -= 1
        self.corrupt_records += 1
        self.error = reason

    def progress(self) -> FileProgress:
        return FileProgress(
            file_id=self.file_id,
            run_id=self.run_id,
            path=self.path,
            size=self.size,
            offset=self.offset,
            records=self.records,
            corrupt_records=self.corrupt_records,
            device=self.device,
            inode=self.inode,
            error=self.error,
            last_record=self.last_record,
        )


def compare(cursor: FileCursor | None, found: EventFile, records: EventFileRecords) -> Change:
    """What happened to a file since the cursor last saw it."""
    if cursor is None:
        return Change.NEW
    if found.size < cursor.offset:
        return Change.REWRITTEN
    if (found.device, found.inode) != (cursor.device, cursor.inode):
        if cursor.last_record is not None and not records.matches(cursor.path, cursor.last_record):
            return Change.REWRITTEN
        return Change.GREW
    if found.size == cursor.size:
        return Change.UNCHANGED
    return Change.GREW
