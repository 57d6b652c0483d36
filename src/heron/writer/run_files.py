"""The event files one writer appends to, and what is waiting to go into them.

A writer owns its main run's file and, created on first use, one file per
sub-run (``add_scalars``, ``add_hparams``). Encoded records are buffered per
run and written in one ``write`` per file per round. Used by the background
thread only; this is what a ``Task`` sees as its ``Output``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.tfrecord import encode_record
from heron.writer.errors import WriterError
from heron.writer.event_files import EventFile

__all__ = ["RunFiles", "as_writer_error"]


def as_writer_error(error: OSError, path: str = "") -> WriterError:
    if isinstance(error, WriterError):
        return error
    return WriterError(
        error.errno or 0, f"could not write summaries: {error.strerror or error}", path
    )


class RunFiles:
    """The main file (created now: errors raise in the constructor) and sub-run files (lazily).

    ``on_error`` receives each write failure; the bytes stay kept for ``retry``.
    """

    def __init__(
        self,
        log_dir: str,
        *,
        filename_suffix: str,
        leading: Sequence[bytes],
        on_error: Callable[[WriterError], None],
    ) -> None:
        self._suffix = filename_suffix
        self._on_error = on_error
        self._main = EventFile(log_dir, filename_suffix=filename_suffix, leading=leading)
        self._files: dict[str, EventFile] = {}
        self._out: dict[str | None, list[bytes]] = {}
        #: Records of sub-runs whose file could not be created yet; ``retry`` tries again.
        self._unopened: dict[str, list[bytes]] = {}

    @property
    def path(self) -> str:
        """The main run's current event file."""
        return self._main.path

    def _all(self) -> tuple[EventFile, ...]:
        return (self._main, *self._files.values())

    def _file(self, run: str | None) -> EventFile:
        if run is None:
            return self._main
        file = self._files.get(run)
        if file is None:
            file = self._files[run] = EventFile(run, filename_suffix=self._suffix)
        return file

    def write_out(self) -> None:
        """Hand everything buffered to the operating system, one write per file."""
        out, self._out = self._out, {}
        for run, chunks in out.items():
            try:
                self._write(run, b"".join(chunks))
            except WriterError as error:
                self._on_error(error)

    def _write(self, run: str | None, data: bytes) -> None:
        """Write ``data`` to ``run``'s file; whatever fails is kept for ``retry``."""
        if run is not None and (run in self._unopened or run not in self._files):
            try:
                file = self._file(run)
            except OSError as error:
                self._unopened.setdefault(run, []).append(data)
                raise as_writer_error(error, run) from error
            data = b"".join([*self._unopened.pop(run, []), data])
        else:
            file = self._file(run)
        file.write(data)

    def retry(self) -> None:
        """Write what failed writes kept; raise ``WriterError`` if that fails again."""
        try:
            for run in list(self._unopened):
                self._write(run, b"")
            for file in self._all():
                file.retry()
        except OSError as error:
            raise as_writer_error(error) from error

    def close(self) -> None:
        for file in self._all():
            file.close()
        self._files.clear()

    def abandon(self) -> None:
        """Drop buffers and descriptors without writing (a forked child)."""
        for file in self._all():
            file.abandon()
        self._out.clear()

    # ---- Output ------------------------------------------------------------------------

    def summary(
        self, run: str | None, values: Sequence[Summary.Value], step: int, wall_time: float
    ) -> None:
        event = Event(wall_time=wall_time, step=step)
        event.summary.value.extend(values)
        self.event(run, event)

    def event(self, run: str | None, event: Event) -> None:
        self._out.setdefault(run, []).append(encode_record(event.SerializeToString()))

    def records(self, run: str | None, data: bytes) -> None:
        """Append records already framed (the scalar fast path)."""
        self._out.setdefault(run, []).append(data)

    def asset(self, path: str, data: bytes) -> None:
        """Write a whole file atomically: readers never see half of it."""
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)

    def end_run(self, run: str) -> None:
        """Write a sub-run's buffered records now and close its file (``add_hparams``).

        If that fails, the records are kept (and the file stays open) for ``retry``.
        """
        self._write(run, b"".join(self._out.pop(run, [])))
        file = self._files[run]
        if not file.pending_bytes:
            file.close()
            del self._files[run]
