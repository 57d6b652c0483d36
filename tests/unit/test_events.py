"""Event files: names, the first record, and reading Events with their offsets."""

from __future__ import annotations

import os
import re
import socket
import time

import pytest

from heron.errors import CorruptRecordError
from heron.formats import events
from heron.formats.events import (
    FILE_VERSION,
    EventFileWriter,
    EventReader,
    event_file_name,
    is_event_file,
    is_summary_event_file,
)
from heron.formats.proto.event_pb2 import Event
from heron.formats.tfrecord import HEADER_SIZE, ReadStatus, RecordReader, encode_record

NAME = re.compile(r"events\.out\.tfevents\.(\d{10})\.(.+)\.(\d+)\.(\d+)(.*)")


def scalar_event(step: int, value: float) -> Event:
    event = Event(wall_time=1000.0 + step, step=step)
    event.summary.value.add(tag="loss", simple_value=value)
    return event


def event_bytes(events_: list[Event]) -> bytes:
    return b"".join(encode_record(e.SerializeToString()) for e in events_)


# --- names -----------------------------------------------------------------------------------


def test_event_file_name_is_tensorboards_pattern_with_a_zero_padded_timestamp():
    name = event_file_name(timestamp=12345.9, hostname="host.example", pid=42, uid=7, suffix=".v2")
    assert name == "events.out.tfevents.0000012345.host.example.42.7.v2"


def test_event_file_name_defaults_come_from_this_process():
    before = int(time.time())
    match = NAME.fullmatch(event_file_name())
    assert match is not None
    assert before <= int(match[1]) <= time.time()
    assert match[2] == socket.gethostname()
    assert int(match[3]) == os.getpid()
    assert match[5] == ""


def test_event_file_name_counter_makes_each_call_unique():
    names = {event_file_name(timestamp=0, hostname="h", pid=1) for _ in range(50)}
    assert len(names) == 50


@pytest.mark.parametrize(
    ("name", "is_event", "is_summary"),
    [
        ("events.out.tfevents.1700000000.host.1.0", True, True),
        ("/logs/run/events.out.tfevents.1700000000.host", True, True),
        ("run/events.out.tfevents.1700000000.host.profile-empty", True, False),
        ("my.tfevents.backup", True, True),
        ("events.out.tfevent", False, False),
        ("logs/tfevents/checkpoint", False, False),
        ("events.out.tfevents.1.h.1.0.profile-empty.txt", True, True),
        # rsync's temporary copy: renamed to the real name once complete.
        ("run/.events.out.tfevents.1700000000.host.1.0.Xa3bQz", True, False),
    ],
)
def test_event_file_recognition_follows_tensorboards_name_rules(name, is_event, is_summary):
    assert is_event_file(name) is is_event
    assert is_summary_event_file(name) is is_summary


# --- the writer ------------------------------------------------------------------------------


def test_writer_creates_the_logdir_and_a_tensorboard_named_file(tmp_path):
    logdir = tmp_path / "a" / "b"
    with EventFileWriter(logdir, filename_suffix=".v2") as writer:
        path = writer.path
    assert os.path.dirname(path) == str(logdir)
    match = NAME.fullmatch(os.path.basename(path))
    assert match is not None
    assert (match[2], int(match[3]), match[5]) == (socket.gethostname(), os.getpid(), ".v2")


def test_writers_opened_in_the_same_second_get_distinct_files(tmp_path):
    writers = [EventFileWriter(tmp_path) for _ in range(5)]
    for writer in writers:
        writer.close()
    assert len({w.path for w in writers}) == 5
    assert sorted(os.listdir(tmp_path)) == sorted(os.path.basename(w.path) for w in writers)


def test_first_record_is_file_version_2_from_the_heron_writer(tmp_path):
    before = time.time()
    with EventFileWriter(tmp_path) as writer:
        pass
    [(offset, first)] = list(EventReader(writer.path))
    assert offset == 0
    assert first.WhichOneof("what") == "file_version"
    assert first.file_version == FILE_VERSION == "brain.Event:2"
    assert first.source_metadata.writer == "heron"
    assert before <= first.wall_time <= time.time()


def test_writer_name_can_be_set(tmp_path):
    with EventFileWriter(tmp_path, writer_name="my-tool") as writer:
        pass
    [(_, first)] = list(EventReader(writer.path))
    assert first.source_metadata.writer == "my-tool"


def test_the_first_record_is_on_disk_before_anything_else_is_written(tmp_path):
    writer = EventFileWriter(tmp_path)
    try:
        assert [e.file_version for _, e in EventReader(writer.path)] == [FILE_VERSION]
    finally:
        writer.close()


def test_written_events_are_visible_after_flush_and_read_back_in_order(tmp_path):
    writer = EventFileWriter(tmp_path)
    written = [scalar_event(step, step / 2) for step in range(3)]
    for event in written:
        writer.write_event(event)
    writer.flush()
    read = [e for _, e in EventReader(writer.path)][1:]
    assert read == written
    writer.close()
    assert writer.closed


def test_close_is_idempotent(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.close()
    writer.close()
    assert writer.closed


def test_writer_never_appends_to_an_existing_file(tmp_path, monkeypatch):
    taken = tmp_path / "events.out.tfevents.0000000001.h.1.0"
    taken.write_bytes(b"someone else's")
    names = iter([taken.name, "events.out.tfevents.0000000001.h.1.1"])
    monkeypatch.setattr(events, "event_file_name", lambda **_: next(names))
    with EventFileWriter(tmp_path) as writer:
        pass
    assert writer.path == str(tmp_path / "events.out.tfevents.0000000001.h.1.1")
    assert taken.read_bytes() == b"someone else's"


# --- the reader ------------------------------------------------------------------------------


def test_reader_yields_events_with_their_record_offsets(tmp_path):
    written = [scalar_event(step, 0.5 * step) for step in range(4)]
    path = tmp_path / "events.out.tfevents.1.h"
    path.write_bytes(event_bytes(written))
    reader = EventReader(path)
    offsets_and_events = list(reader)
    assert [e for _, e in offsets_and_events] == written
    assert [o for o, _ in offsets_and_events] == [o for o, _ in RecordReader(path)]
    assert reader.status is ReadStatus.END
    assert reader.path == str(path)
    assert reader.offset == path.stat().st_size
    assert reader.pending_bytes == 0


def test_crc_valid_payload_that_is_not_an_event_is_reported_and_skipped(tmp_path):
    good = scalar_event(1, 1.0)
    data = encode_record(good.SerializeToString())
    bad_offset = len(data)
    garbage = b"\xff\xff\xff\xff"  # an invalid field key: not parseable as any message
    data += encode_record(garbage) + encode_record(scalar_event(2, 2.0).SerializeToString())
    path = tmp_path / "events.out.tfevents.1.h"
    path.write_bytes(data)
    reader = EventReader(path)
    assert [e.step for _, e in reader] == [1, 2]
    [corruption] = reader.corruptions
    assert isinstance(corruption, CorruptRecordError)
    assert (corruption.path, corruption.offset, corruption.length) == (
        str(path),
        bad_offset,
        len(garbage),
    )
    assert corruption.reason.startswith("not an Event")
    assert reader.offset == len(data)


def test_reader_reports_payload_crc_failures_as_corruptions_too(tmp_path):
    data = bytearray(event_bytes([scalar_event(1, 1.0), scalar_event(2, 2.0)]))
    data[HEADER_SIZE + 2] ^= 0x40
    path = tmp_path / "f"
    path.write_bytes(bytes(data))
    reader = EventReader(path)
    assert [e.step for _, e in reader] == [2]
    assert [c.offset for c in reader.corruptions] == [0]


def test_reader_resumes_a_growing_file_from_its_offset(tmp_path):
    written = [scalar_event(step, step) for step in range(3)]
    data = event_bytes(written)
    cut = len(data) - 5
    path = tmp_path / "f"
    path.write_bytes(data[:cut])
    reader = EventReader(path, chunk_size=HEADER_SIZE)
    assert [e for _, e in reader] == written[:2]
    assert reader.status is ReadStatus.TRUNCATED
    assert reader.pending_bytes == cut - reader.offset
    with path.open("ab") as stream:
        stream.write(data[cut:])
    assert [e for _, e in EventReader(path, offset=reader.offset)] == written[2:]
    assert [e for _, e in reader] == written[2:]
    assert reader.status is ReadStatus.END
