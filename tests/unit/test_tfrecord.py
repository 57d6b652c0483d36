"""TFRecord framing: checksums, resumable reads, truncated tails and corruption."""

from __future__ import annotations

import io
import struct
import tracemalloc
from pathlib import Path

import pytest

from heron.errors import CorruptRecordError, FormatError, FramingError, HeronError
from heron.formats.tfrecord import (
    FOOTER_SIZE,
    HEADER_SIZE,
    ReadStatus,
    RecordReader,
    RecordWriter,
    crc32c,
    encode_record,
    masked_crc32c,
)

PAYLOADS = [b"first", b"", b"x" * 300, b"\x00\xff" * 7, b"last one"]


def frame(payloads: list[bytes]) -> bytes:
    return b"".join(encode_record(payload) for payload in payloads)


def starts(payloads: list[bytes]) -> list[int]:
    """The offset of each record in ``frame(payloads)``."""
    offsets, at = [], 0
    for payload in payloads:
        offsets.append(at)
        at += HEADER_SIZE + len(payload) + FOOTER_SIZE
    return offsets


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


class Pipe(io.RawIOBase):
    """A non-seekable stream that hands out at most ``max_read`` bytes per read.

    ``feed`` appends bytes, as a writer on the other end of a pipe would.
    """

    def __init__(self, data: bytes = b"", *, max_read: int = 1 << 30) -> None:
        self._data = bytearray(data)
        self._pos = 0
        self._max_read = max_read
        self.name = "<pipe>"

    def feed(self, more: bytes) -> None:
        self._data += more

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        n = min(len(buffer), len(self._data) - self._pos, self._max_read)
        buffer[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


class NonBlocking(Pipe):
    """A non-blocking stream: ``read`` gives ``None`` while no data is available."""

    def read(self, size: int = -1) -> bytes | None:
        data = super().read(size)
        return data or None


# --- checksums -------------------------------------------------------------------------------


def test_crc32c_of_32_zero_bytes_is_the_rfc3720_vector():
    assert crc32c(bytes(32)) == 0x8A9136AA


def test_masked_crc_of_a_file_version_event_is_tensorflows_vector():
    assert masked_crc32c(b"\x1a\x11CRC test, one two") == 0x5794D08A


def test_crc32c_accepts_any_bytes_like_object():
    data = b"\x1a\x11CRC test, one two"
    assert crc32c(bytearray(data)) == crc32c(memoryview(data)) == crc32c(data)


def test_masked_crc_is_the_crc_rotated_right_15_bits_plus_the_delta():
    crc = crc32c(b"abc")
    rotated = ((crc >> 15) | (crc << 17)) & 0xFFFFFFFF
    assert masked_crc32c(b"abc") == (rotated + 0xA282EAD8) & 0xFFFFFFFF


# --- encoding --------------------------------------------------------------------------------


def test_encode_record_lays_out_length_length_crc_payload_payload_crc():
    record = encode_record(b"hello")
    assert len(record) == HEADER_SIZE + 5 + FOOTER_SIZE
    assert struct.unpack("<Q", record[:8]) == (5,)
    assert struct.unpack("<I", record[8:12]) == (masked_crc32c(record[:8]),)
    assert record[12:17] == b"hello"
    assert struct.unpack("<I", record[17:]) == (masked_crc32c(b"hello"),)


def test_record_writer_frames_payloads_and_returns_bytes_written():
    stream = io.BytesIO()
    writer = RecordWriter(stream)
    sizes = [writer.write(payload) for payload in PAYLOADS]
    writer.flush()
    assert stream.getvalue() == frame(PAYLOADS)
    assert sizes == [HEADER_SIZE + len(p) + FOOTER_SIZE for p in PAYLOADS]
    assert not stream.closed


def test_encoded_records_read_back_with_their_offsets(tmp_path):
    reader = RecordReader(write(tmp_path / "f", frame(PAYLOADS)))
    assert list(reader) == list(zip(starts(PAYLOADS), PAYLOADS, strict=True))
    assert reader.status is ReadStatus.END
    assert reader.offset == len(frame(PAYLOADS))
    assert reader.pending_bytes == 0
    assert reader.corruptions == []


def test_reader_accepts_a_str_path_and_reports_it(tmp_path):
    path = write(tmp_path / "f", frame(PAYLOADS))
    reader = RecordReader(str(path))
    assert [p for _, p in reader] == PAYLOADS
    assert reader.path == str(path)


def test_payloads_are_bytes(tmp_path):
    reader = RecordReader(write(tmp_path / "f", frame(PAYLOADS)))
    assert all(type(payload) is bytes for _, payload in reader)


# --- clean ends and offsets ------------------------------------------------------------------


def test_empty_file_ends_cleanly_with_nothing_pending(tmp_path):
    reader = RecordReader(write(tmp_path / "f", b""))
    assert list(reader) == []
    assert reader.status is ReadStatus.END
    assert reader.pending_bytes == 0
    assert reader.offset == 0


def test_status_is_none_while_a_pass_runs(tmp_path):
    reader = RecordReader(write(tmp_path / "f", frame(PAYLOADS)))
    records = iter(reader)
    next(records)
    assert reader.status is None
    list(records)
    assert reader.status is ReadStatus.END


def test_reading_from_a_record_boundary_skips_the_records_before_it(tmp_path):
    path = write(tmp_path / "f", frame(PAYLOADS))
    offset = starts(PAYLOADS)[2]
    reader = RecordReader(path, offset=offset)
    assert list(reader) == list(zip(starts(PAYLOADS)[2:], PAYLOADS[2:], strict=True))


def test_offset_at_or_past_the_end_yields_nothing_and_keeps_the_offset(tmp_path):
    data = frame(PAYLOADS)
    path = write(tmp_path / "f", data)
    for offset in (len(data), len(data) + 100):
        reader = RecordReader(path, offset=offset)
        assert list(reader) == []
        assert reader.status is ReadStatus.END
        assert reader.offset == offset


def test_offset_advances_past_each_record_as_it_is_yielded(tmp_path):
    reader = RecordReader(write(tmp_path / "f", frame(PAYLOADS)))
    ends = [
        start + HEADER_SIZE + len(p) + FOOTER_SIZE
        for start, p in zip(starts(PAYLOADS), PAYLOADS, strict=True)
    ]
    seen = [reader.offset for _ in reader]
    assert seen == ends


def test_abandoned_pass_resumes_after_the_last_record_yielded(tmp_path):
    reader = RecordReader(write(tmp_path / "f", frame(PAYLOADS)))
    for _ in reader:
        break
    assert reader.offset == starts(PAYLOADS)[1]
    assert [p for _, p in reader] == PAYLOADS[1:]


@pytest.mark.parametrize(("offset", "chunk_size"), [(-1, 1 << 20), (0, HEADER_SIZE - 1)])
def test_negative_offset_or_chunk_smaller_than_a_header_is_rejected(tmp_path, offset, chunk_size):
    with pytest.raises(ValueError, match=r"must be >="):
        RecordReader(tmp_path / "f", offset=offset, chunk_size=chunk_size)


# --- truncated tails and growing files -------------------------------------------------------


@pytest.mark.parametrize(
    "into",
    [1, HEADER_SIZE - 1, HEADER_SIZE, HEADER_SIZE + 150, HEADER_SIZE + 300 + FOOTER_SIZE - 1],
)
def test_partial_last_record_is_truncated_not_an_error(tmp_path, into):
    """Cut ``into`` bytes into record 2 (300-byte payload): in its header, payload or footer."""
    partial_start = starts(PAYLOADS)[2]
    cut = partial_start + into
    reader = RecordReader(write(tmp_path / "f", frame(PAYLOADS)[:cut]))
    assert [p for _, p in reader] == PAYLOADS[:2]
    assert reader.status is ReadStatus.TRUNCATED
    assert reader.pending_bytes == into
    assert reader.offset == partial_start
    assert reader.corruptions == []


def test_growing_file_is_read_in_two_passes_without_loss_or_duplicates(tmp_path):
    """A writer flushes half a record; the reader waits at it, then gets exactly the rest."""
    data = frame(PAYLOADS)
    partial_start = starts(PAYLOADS)[3]
    half = partial_start + (HEADER_SIZE + len(PAYLOADS[3]) + FOOTER_SIZE) // 2
    path = write(tmp_path / "f", data[:half])

    reader = RecordReader(path)
    first = list(reader)
    assert [p for _, p in first] == PAYLOADS[:3]
    assert reader.status is ReadStatus.TRUNCATED
    assert reader.pending_bytes == half - partial_start
    assert reader.offset == partial_start

    with path.open("ab") as stream:
        stream.write(data[half:])

    again = list(reader)  # the same reader continues from reader.offset
    assert again == list(zip(starts(PAYLOADS)[3:], PAYLOADS[3:], strict=True))
    assert reader.status is ReadStatus.END
    assert reader.pending_bytes == 0

    fresh = RecordReader(path, offset=partial_start)  # as a restarted tailer would
    assert list(fresh) == again


def test_a_truncated_pass_reads_nothing_new_until_the_record_completes(tmp_path):
    data = frame(PAYLOADS)
    path = write(tmp_path / "f", data[: starts(PAYLOADS)[1] + 3])
    reader = RecordReader(path)
    assert len(list(reader)) == 1
    for _ in range(3):
        assert list(reader) == []
        assert reader.status is ReadStatus.TRUNCATED
        assert reader.offset == starts(PAYLOADS)[1]


def test_huge_valid_length_at_the_end_is_truncated_without_allocating_it(tmp_path):
    huge = 1 << 60
    header = struct.pack("<Q", huge)
    tail = header + struct.pack("<I", masked_crc32c(header)) + b"some bytes of it"
    path = write(tmp_path / "f", frame(PAYLOADS) + tail)
    reader = RecordReader(path, chunk_size=4096)
    tracemalloc.start()
    try:
        records = list(reader)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p for _, p in records] == PAYLOADS
    assert reader.status is ReadStatus.TRUNCATED
    assert reader.pending_bytes == len(tail)
    assert peak < 1 << 20


# --- chunk boundaries ------------------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [HEADER_SIZE, 13, 17, 31, 64, 1000])
def test_every_chunk_size_reads_the_same_records(tmp_path, chunk_size):
    path = write(tmp_path / "f", frame(PAYLOADS))
    reader = RecordReader(path, chunk_size=chunk_size)
    assert list(reader) == list(zip(starts(PAYLOADS), PAYLOADS, strict=True))
    assert reader.status is ReadStatus.END


def test_record_much_larger_than_a_chunk_is_read_whole(tmp_path):
    big = bytes(range(256)) * 4000  # ~1 MB
    payloads = [b"a", big, b"b"]
    reader = RecordReader(write(tmp_path / "f", frame(payloads)), chunk_size=100)
    assert [p for _, p in reader] == payloads


@pytest.mark.parametrize("chunk_size", [HEADER_SIZE, 20, 64])
def test_truncation_inside_a_record_larger_than_a_chunk_resumes(tmp_path, chunk_size):
    payloads = [b"a", b"z" * 500, b"b"]
    data = frame(payloads)
    cut = starts(payloads)[1] + 200
    path = write(tmp_path / "f", data[:cut])
    reader = RecordReader(path, chunk_size=chunk_size)
    assert [p for _, p in reader] == payloads[:1]
    assert (reader.status, reader.pending_bytes) == (
        ReadStatus.TRUNCATED,
        cut - starts(payloads)[1],
    )
    with path.open("ab") as stream:
        stream.write(data[cut:])
    assert [p for _, p in reader] == payloads[1:]


# --- streams ---------------------------------------------------------------------------------


def test_seekable_stream_is_read_from_the_offset_whatever_its_position():
    stream = io.BytesIO(frame(PAYLOADS))
    stream.seek(7)
    reader = RecordReader(stream, offset=starts(PAYLOADS)[1])
    assert [p for _, p in reader] == PAYLOADS[1:]
    assert reader.path == "<stream>"
    assert not stream.closed


def test_non_seekable_stream_reads_every_record():
    reader = RecordReader(Pipe(frame(PAYLOADS)))
    assert list(reader) == list(zip(starts(PAYLOADS), PAYLOADS, strict=True))
    assert reader.status is ReadStatus.END
    assert reader.path == "<pipe>"


def test_non_seekable_stream_drops_the_bytes_before_the_offset():
    reader = RecordReader(Pipe(frame(PAYLOADS)), offset=starts(PAYLOADS)[2])
    assert list(reader) == list(zip(starts(PAYLOADS)[2:], PAYLOADS[2:], strict=True))


def test_non_seekable_stream_shorter_than_the_offset_ends_and_later_catches_up():
    data = frame(PAYLOADS)
    pipe = Pipe(data[:5])
    reader = RecordReader(pipe, offset=starts(PAYLOADS)[1])
    assert list(reader) == []
    assert reader.status is ReadStatus.END
    pipe.feed(data[5:])
    assert [p for _, p in reader] == PAYLOADS[1:]


def test_non_seekable_stream_giving_one_byte_per_read_reads_every_record():
    reader = RecordReader(Pipe(frame(PAYLOADS), max_read=1), chunk_size=HEADER_SIZE)
    assert [p for _, p in reader] == PAYLOADS


def test_non_seekable_stream_resumes_a_partial_record_after_more_bytes_arrive():
    data = frame(PAYLOADS)
    cut = starts(PAYLOADS)[2] + 20
    pipe = Pipe(data[:cut])
    reader = RecordReader(pipe)
    assert [p for _, p in reader] == PAYLOADS[:2]
    assert (reader.status, reader.offset) == (ReadStatus.TRUNCATED, starts(PAYLOADS)[2])
    pipe.feed(data[cut:])
    assert list(reader) == list(zip(starts(PAYLOADS)[2:], PAYLOADS[2:], strict=True))
    assert reader.status is ReadStatus.END


def test_non_seekable_stream_resumes_after_an_abandoned_pass():
    reader = RecordReader(Pipe(frame(PAYLOADS)))
    for _ in reader:
        break
    assert [p for _, p in reader] == PAYLOADS[1:]


def test_non_seekable_stream_cannot_go_back_before_bytes_already_consumed():
    reader = RecordReader(Pipe(frame(PAYLOADS)))
    list(reader)
    reader.offset = 0
    with pytest.raises(ValueError, match="non-seekable"):
        list(reader)


def test_non_blocking_stream_without_data_reads_as_the_end_for_now():
    data = frame(PAYLOADS)
    stream = NonBlocking(data[:3])
    reader = RecordReader(stream)
    assert list(reader) == []
    assert (reader.status, reader.pending_bytes) == (ReadStatus.TRUNCATED, 3)
    stream.feed(data[3:])
    assert [p for _, p in reader] == PAYLOADS


# --- corruption ------------------------------------------------------------------------------


def read_until_framing_error(reader: RecordReader) -> tuple[list[tuple[int, bytes]], FramingError]:
    """The records a pass yields before it raises ``FramingError``, and the error."""
    seen = []
    try:
        for record in reader:
            seen.append(record)
    except FramingError as error:
        return seen, error
    raise AssertionError("the pass ended without a FramingError")


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@pytest.mark.parametrize("where", ["payload", "payload crc"])
def test_bad_payload_crc_skips_the_record_reports_it_and_reads_on(tmp_path, where):
    data = frame(PAYLOADS)
    start = starts(PAYLOADS)[2]
    index = start + HEADER_SIZE + 10 if where == "payload" else starts(PAYLOADS)[3] - 1
    path = write(tmp_path / "f", flip(data, index))
    reader = RecordReader(path)
    records = list(reader)
    assert [p for _, p in records] == PAYLOADS[:2] + PAYLOADS[3:]
    assert [o for o, _ in records] == starts(PAYLOADS)[:2] + starts(PAYLOADS)[3:]
    assert reader.status is ReadStatus.END
    assert reader.offset == len(data)
    [corruption] = reader.corruptions
    assert isinstance(corruption, CorruptRecordError)
    assert isinstance(corruption, FormatError)
    assert (corruption.path, corruption.offset, corruption.length) == (
        str(path),
        start,
        len(PAYLOADS[2]),
    )
    assert "payload checksum" in corruption.reason
    assert str(path) in str(corruption)


def test_offset_moves_past_a_skipped_record(tmp_path):
    payloads = [b"one", b"two"]
    data = frame(payloads)
    reader = RecordReader(write(tmp_path / "f", flip(data, starts(payloads)[1] + HEADER_SIZE)))
    assert [p for _, p in reader] == [b"one"]
    assert reader.offset == len(data)
    assert len(reader.corruptions) == 1


@pytest.mark.parametrize("byte", [0, 3, 7, 8, 11])
def test_bad_length_crc_raises_framing_error_after_the_records_before_it(tmp_path, byte):
    data = frame(PAYLOADS)
    start = starts(PAYLOADS)[3]
    path = write(tmp_path / "f", flip(data, start + byte))
    reader = RecordReader(path)
    seen, error = read_until_framing_error(reader)
    assert seen == list(zip(starts(PAYLOADS)[:3], PAYLOADS[:3], strict=True))
    assert (error.path, error.offset) == (str(path), start)
    assert f"{path}: cannot frame the record at byte {start}" in str(error)
    assert isinstance(error, HeronError)
    assert reader.offset == start
    with pytest.raises(FramingError):  # retrying fails the same way
        list(reader)


def test_length_crc_is_checked_against_the_length_even_when_that_length_was_seen_before(tmp_path):
    # Record 2 claims record 1's length but keeps its own length CRC.
    payloads = [b"short", b"a longer payload"]
    data = bytearray(frame(payloads))
    data[starts(payloads)[1] : starts(payloads)[1] + 8] = struct.pack("<Q", len(payloads[0]))
    with pytest.raises(FramingError):
        list(RecordReader(write(tmp_path / "f", bytes(data))))


def test_corruptions_accumulate_over_passes(tmp_path):
    data = flip(frame(PAYLOADS), starts(PAYLOADS)[0] + HEADER_SIZE)
    path = write(tmp_path / "f", data)
    reader = RecordReader(path)
    list(reader)
    with path.open("ab") as stream:
        stream.write(flip(encode_record(b"later"), HEADER_SIZE))
    list(reader)
    assert [c.offset for c in reader.corruptions] == [0, len(data)]


def test_more_distinct_lengths_than_the_length_crc_memo_holds_are_all_verified(tmp_path):
    from heron.formats.tfrecord import _LENGTH_CRCS_MAX

    payloads = [b"\x07" * length for length in range(_LENGTH_CRCS_MAX + 50)]
    data = frame(payloads)
    path = write(tmp_path / "f", data)
    assert [p for _, p in RecordReader(path)] == payloads
    last = starts(payloads)[-1]
    write(path, flip(data, last + 9))  # the last record's length CRC
    seen, error = read_until_framing_error(RecordReader(path))
    assert len(seen) == len(payloads) - 1
    assert error.offset == last
