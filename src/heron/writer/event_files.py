"""Event files as the background thread writes them: raw file descriptors, no user-space buffer.

Writing with ``os.write`` on a plain descriptor (no ``BufferedWriter``) means a
``fork()`` can never duplicate half-written data: bytes are either in the
kernel already or in the parent's pending list, which the child drops.

A write that fails (a full disk, a file-size limit) keeps the bytes that were
not written, so ``retry`` can write them later. A file deleted under the
writer (``rm -rf`` of the log directory) is noticed before each write through
its link count, because writing into an unlinked file would succeed and lose
everything silently; ``retry`` then starts a new file in a re-created directory.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import time
from collections.abc import Sequence
from typing import Final

from heron.formats.events import FILE_VERSION, WRITER_NAME, event_file_name
from heron.formats.proto.event_pb2 import Event, SourceMetadata
from heron.formats.tfrecord import encode_record
from heron.writer.errors import WriterError

__all__ = ["EventFile", "first_record"]

_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
# The last part of a file name. ``next()`` on a count is atomic: no lock that a fork()
# could copy while held.
_uids = itertools.count()


def first_record() -> bytes:
    """The record every event file starts with: ``file_version`` and the writer's name."""
    event = Event(wall_time=time.time(), file_version=FILE_VERSION)
    event.source_metadata.CopyFrom(SourceMetadata(writer=WRITER_NAME))
    return encode_record(event.SerializeToString())


class EventFile:
    """One event file in ``directory``; created (with its first records) on construction.

    Used by one thread at a time. ``leading`` records follow the ``file_version``
    record, e.g. the purge marker of ``purge_step``.
    """

    def __init__(
        self, directory: str, *, filename_suffix: str = "", leading: Sequence[bytes] = ()
    ) -> None:
        self.directory = directory
        self._suffix = filename_suffix
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._fd = -1
        self.path = ""
        self._open(leading)

    def _open(self, leading: Sequence[bytes]) -> None:
        os.makedirs(self.directory, exist_ok=True)
        while True:  # a name another writer of this process took this second: take the next
            name = event_file_name(uid=next(_uids), suffix=self._suffix)
            path = os.path.join(self.directory, name)
            try:
                self._fd = os.open(path, _FLAGS, 0o666)
                break
            except FileExistsError:
                continue
        self.path = path
        # On failure the bytes are kept: the next write (or retry) writes them first, or raises.
        with contextlib.suppress(WriterError):
            self._write_all(b"".join((first_record(), *leading)))

    @property
    def pending_bytes(self) -> int:
        """Bytes accepted but not yet in the kernel because a write failed."""
        return self._pending_size

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def write(self, data: bytes) -> None:
        """Append ``data``; raise ``WriterError`` if it (or earlier kept data) cannot be written.

        On failure nothing is lost: the unwritten bytes are kept for ``retry``.
        A deleted file is reported, not silently written into.
        """
        if data:
            self._pending.append(data)
            self._pending_size += len(data)
        self._drain(reopen=False)

    def retry(self) -> None:
        """Write what a failed write kept; start a new file if this one was deleted."""
        self._drain(reopen=True)

    def close(self) -> None:
        """Close the descriptor; kept bytes (if any) are dropped, so ``retry`` first."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def abandon(self) -> None:
        """Forget the file without writing (a forked child: the parent owns the data)."""
        self._pending.clear()
        self._pending_size = 0
        self.close()

    def _drain(self, *, reopen: bool) -> None:
        if not self._pending:
            return
        if self._fd >= 0 and _link_count(self._fd) == 0:
            if not reopen:
                raise WriterError(
                    errno.ENOENT,
                    "the event file was deleted while the writer was running (was the log "
                    f"directory removed?); {self._pending_size} bytes of summaries are kept in "
                    "memory and written to a new file by flush()",
                    self.path,
                )
            self.close()
        if self._fd < 0:
            try:
                self._open(())
            except WriterError:
                raise
            except OSError as error:
                raise self._error(error, "could not start a new event file in") from error
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        self._write_all(data)

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        written = 0
        try:
            while written < len(view):
                written += os.write(self._fd, view[written:])
        except OSError as error:
            self._keep(bytes(view[written:]))
            raise self._error(error, "could not write summaries to") from error

    def _keep(self, data: bytes) -> None:
        """Put unwritten bytes back in front of anything still kept."""
        if data:
            self._pending.insert(0, data)
            self._pending_size += len(data)

    def _error(self, error: OSError, what: str) -> WriterError:
        code = error.errno if error.errno is not None else errno.EIO
        kept = (
            f"; {self._pending_size} bytes are kept in memory and retried by flush() and close()"
            if self._pending_size
            else ""
        )
        return WriterError(
            code,
            f"{what} {self.path or self.directory}: {error.strerror or error}{kept}",
            self.path,
        )


def _link_count(fd: int) -> int:
    return os.fstat(fd).st_nlink
