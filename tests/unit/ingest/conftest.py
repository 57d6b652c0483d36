"""Event files written record by record, and an ingest into a real SQLite index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.scalars import legacy_scalar, scalar
from heron.formats.tfrecord import encode_record
from heron.ingest import EventFileRecords, Ingester, IngestOptions, LogdirRoot
from heron.storage import open_store


def event_file(directory: Path, timestamp: int = 1_700_000_000, suffix: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"events.out.tfevents.{timestamp}.host.1.0{suffix}"
    path.write_bytes(
        encode_record(Event(wall_time=timestamp, file_version="brain.Event:2").SerializeToString())
    )
    return path


def record(*values: Summary.Value, step: int = 0, wall: float = 1_700_000_000.0) -> bytes:
    return encode_record(
        Event(wall_time=wall, step=step, summary=Summary(value=list(values))).SerializeToString()
    )


def append(path: Path, *records: bytes) -> None:
    with open(path, "ab") as stream:
        stream.write(b"".join(records))


def scalars(path: Path, tag: str, steps, *, offset: float = 0.0, legacy: bool = True) -> None:
    make = legacy_scalar if legacy else scalar
    wall = 1_700_000_000.0
    append(path, *(record(make(tag, s + offset), step=s, wall=wall + s) for s in steps))


class Index:
    """A store plus the ingester writing it, reopened as a new process would."""

    def __init__(self, logdir: Path, db: Path) -> None:
        self.logdir = logdir
        self.db = db
        self.store = None
        self.ingester = None
        self.notified: list[frozenset[str]] = []
        self.reopen()

    def reopen(self) -> None:
        self.close()
        self.store = open_store(
            f"sqlite:{self.db}", experiment=str(self.logdir), records=EventFileRecords()
        )
        self.ingester = Ingester(
            self.store,
            [LogdirRoot(str(self.logdir))],
            options=IngestOptions(reload_interval=0, progress=False, workers=1),
            on_data=self.notified.append,
        )

    def ingest(self):
        return self.ingester.run_once()

    @property
    def reader(self):
        return self.store.reader()

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


@pytest.fixture
def logdir(tmp_path):
    path = tmp_path / "logs"
    path.mkdir()
    return path


@pytest.fixture
def index(logdir, tmp_path):
    opened = Index(logdir, tmp_path / "index.sqlite")
    yield opened
    opened.close()


def flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as stream:
        stream.seek(offset)
        byte = stream.read(1)
        stream.seek(offset)
        stream.write(bytes([byte[0] ^ 0xFF]))


def replace_atomically(path: Path, content: bytes) -> None:
    """What rsync does: write a temporary file, then rename it over the old one."""
    temporary = path.with_name(path.name + ".tmp-sync")
    temporary.write_bytes(content)
    os.replace(temporary, path)
