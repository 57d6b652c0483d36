"""Event files: reading ``Event`` protos with offsets; writing files as TensorBoard names them.

A run's event files are named ``events.out.tfevents.<10-digit secs>.<host>.<pid>.<n><suffix>``
so that sorting names sorts them chronologically; the first record of each file
is an Event with ``file_version = "brain.Event:2"``.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import BinaryIO, Final

from google.protobuf.message import DecodeError

from heron.errors import CorruptRecordError
from heron.formats.proto.event_pb2 import Event
from heron.formats.tfrecord import DEFAULT_CHUNK_SIZE, ReadStatus, RecordReader, RecordWriter

__all__ = [
    "FILE_VERSION",
    "EventFileWriter",
    "EventReader",
    "event_file_name",
    "is_event_file",
    "is_summary_event_file",
]

FILE_VERSION: Final = "brain.Event:2"
WRITER_NAME: Final = "heron"
_EVENT_FILE_INFIX: Final = "tfevents"
_PROFILE_EMPTY_SUFFIX: Final = ".profile-empty"
_MAX_NAME_ATTEMPTS: Final = 1000

# Distinguishes files one process opens within the same second, as TensorBoard's
# writer does with its global uid.
_file_counter = itertools.count()
_file_counter_lock = threading.Lock()


def is_event_file(name: str) -> bool:
    """Whether a file makes its directory a run: its base name contains ``tfevents``."""
    return _EVENT_FILE_INFIX in os.path.basename(name)


def is_summary_event_file(name: str) -> bool:
    """Whether an event file holds summaries worth reading.

    Not the profiler's ``.profile-empty`` markers, and not hidden names: rsync
    (and other sync tools) write ``.events.out.tfevents...XXXXXX`` beside the
    target and rename it when complete, so reading the temporary copy would
    only index the same records twice.
    """
    base = os.path.basename(name)
    return (
        is_event_file(base)
        and not base.endswith(_PROFILE_EMPTY_SUFFIX)
        and not base.startswith(".")
    )


def event_file_name(
    *,
    timestamp: float | None = None,
    hostname: str | None = None,
    pid: int | None = None,
    uid: int | None = None,
    suffix: str = "",
) -> str:
    """A file name as TensorBoard's writers choose it; unset parts come from this process."""
    if uid is None:
        with _file_counter_lock:
            uid = next(_file_counter)
    seconds = int(time.time() if timestamp is None else timestamp)
    host = socket.gethostname() if hostname is None else hostname
    process = os.getpid() if pid is None else pid
    return f"events.out.tfevents.{seconds:010d}.{host}.{process}.{uid}{suffix}"


class EventReader:
    """Iterates over the Events of one file as ``(offset, event)`` pairs, resumably.

    A thin layer over ``RecordReader`` (read its docstring for offsets, passes,
    the truncated tail and corruption): a record whose checksums pass but whose
    payload is not an Event is skipped and reported in ``corruptions`` too.
    """

    __slots__ = ("_records",)

    def __init__(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        offset: int = 0,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        self._records = RecordReader(source, offset=offset, chunk_size=chunk_size)

    @property
    def path(self) -> str:
        return self._records.path

    @property
    def offset(self) -> int:
        """Where to resume: just past the last record consumed."""
        return self._records.offset

    @property
    def status(self) -> ReadStatus | None:
        """How the last pass ended (see ``RecordReader.status``)."""
        return self._records.status

    @property
    def pending_bytes(self) -> int:
        """Bytes of an incomplete last record."""
        return self._records.pending_bytes

    @property
    def corruptions(self) -> list[CorruptRecordError]:
        """Records skipped for a bad payload CRC or a payload that is not an Event."""
        return self._records.corruptions

    def __iter__(self) -> Iterator[tuple[int, Event]]:
        parse = Event.FromString
        for offset, payload in self._records:
            try:
                event = parse(payload)
            except DecodeError as error:
                self._records.corruptions.append(
                    CorruptRecordError(self.path, offset, len(payload), f"not an Event: {error}")
                )
                continue
            yield offset, event


class EventFileWriter:
    """Writes one event file in ``logdir``, named and started as TensorBoard expects.

    Not thread-safe: the user-facing ``SummaryWriter`` owns one of these from a
    single flush thread. The file is created (with its ``file_version`` record)
    on construction, so even an empty run is discoverable. It is created
    exclusively: should a name already exist (two writers sharing a host name
    and pid, in containers), the next counter value is tried, so a writer never
    appends to another writer's file.
    """

    def __init__(
        self,
        logdir: str | os.PathLike[str],
        *,
        filename_suffix: str = "",
        writer_name: str = WRITER_NAME,
    ) -> None:
        os.makedirs(logdir, exist_ok=True)
        for _ in range(_MAX_NAME_ATTEMPTS):
            self.path = os.path.join(os.fspath(logdir), event_file_name(suffix=filename_suffix))
            try:
                self._stream: BinaryIO = open(self.path, "xb")  # noqa: SIM115 - closed by close()
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(f"no free event file name in {os.fspath(logdir)!r}")
        self._records = RecordWriter(self._stream)
        try:
            first = Event(wall_time=time.time(), file_version=FILE_VERSION)
            first.source_metadata.writer = writer_name
            self.write_event(first)
            self.flush()
        except BaseException:
            self._stream.close()
            raise

    def write_event(self, event: Event) -> None:
        self._records.write(event.SerializeToString())

    def flush(self) -> None:
        """Push written records to the operating system, where readers see them."""
        self._records.flush()

    def close(self) -> None:
        if not self._stream.closed:
            self.flush()
            self._stream.close()

    @property
    def closed(self) -> bool:
        return self._stream.closed

    def __enter__(self) -> EventFileWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
