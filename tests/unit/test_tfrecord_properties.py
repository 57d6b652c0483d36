"""Properties of the record reader on random files: truncated, damaged, and growing."""

from __future__ import annotations

import io
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from heron.errors import FramingError
from heron.formats.tfrecord import (
    DEFAULT_CHUNK_SIZE,
    FOOTER_SIZE,
    HEADER_SIZE,
    ReadStatus,
    RecordReader,
    encode_record,
)

payload_lists = st.lists(st.binary(max_size=200), max_size=12)
# Small chunks put chunk boundaries everywhere inside headers, payloads and footers.
chunk_sizes = st.one_of(st.integers(HEADER_SIZE, 64), st.just(DEFAULT_CHUNK_SIZE))
FAST = settings(max_examples=200, deadline=None)


class Pipe(io.RawIOBase):
    """A non-seekable stream that a writer can append to."""

    def __init__(self, data: bytes) -> None:
        self._data = bytearray(data)
        self._pos = 0

    def feed(self, more: bytes) -> None:
        self._data += more

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), len(self._data) - self._pos)
        buffer[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


class Growing:
    """A file being appended to, seen through a seekable or a non-seekable stream."""

    def __init__(self, data: bytes, *, seekable: bool) -> None:
        self.stream: io.BytesIO | Pipe = io.BytesIO(data) if seekable else Pipe(data)

    def append(self, more: bytes) -> None:
        if isinstance(self.stream, Pipe):
            self.stream.feed(more)
        else:
            self.stream.seek(0, io.SEEK_END)
            self.stream.write(more)


def layout(payloads: list[bytes]) -> tuple[bytes, list[int]]:
    """The framed file and the offset of each record in it."""
    starts = list(
        itertools.accumulate((HEADER_SIZE + len(p) + FOOTER_SIZE for p in payloads), initial=0)
    )
    return b"".join(encode_record(p) for p in payloads), starts[:-1]


@FAST
@given(payloads=payload_lists, data=st.data(), chunk_size=chunk_sizes, seekable=st.booleans())
def test_truncation_anywhere_yields_a_prefix_and_tells_end_from_truncated(
    payloads, data, chunk_size, seekable
):
    framed, starts = layout(payloads)
    cut = data.draw(st.integers(0, len(framed)), label="cut")
    reader = RecordReader(Growing(framed[:cut], seekable=seekable).stream, chunk_size=chunk_size)
    records = list(reader)

    complete = [
        i for i, p in enumerate(payloads) if starts[i] + HEADER_SIZE + len(p) + FOOTER_SIZE <= cut
    ]
    assert records == [(starts[i], payloads[i]) for i in complete]
    boundaries = {*starts, len(framed)}
    assert reader.status is (ReadStatus.END if cut in boundaries else ReadStatus.TRUNCATED)
    assert reader.offset == max(b for b in boundaries if b <= cut)
    assert reader.pending_bytes == cut - reader.offset
    assert reader.corruptions == []


@FAST
@given(payloads=payload_lists.filter(bool), data=st.data(), chunk_size=chunk_sizes)
def test_bit_flips_never_yield_a_damaged_record_and_keep_every_intact_one_before_them(
    payloads, data, chunk_size
):
    framed, starts = layout(payloads)
    bits = data.draw(
        st.lists(st.integers(0, 8 * len(framed) - 1), min_size=1, max_size=8), label="bits"
    )
    damaged = bytearray(framed)
    for bit in bits:
        damaged[bit // 8] ^= 1 << (bit % 8)
    diff = [i for i in range(len(framed)) if damaged[i] != framed[i]]
    first_damaged = diff[0] if diff else len(framed)

    reader = RecordReader(io.BytesIO(bytes(damaged)), chunk_size=chunk_size)
    records: list[tuple[int, bytes]] = []
    framing_error = None
    try:
        for record in reader:
            records.append(record)
    except FramingError as error:  # the only exception damage may cause
        framing_error = error

    original = dict(zip(starts, payloads, strict=True))
    for offset, payload in records:
        assert original.get(offset) == payload, "a record that failed its CRC was yielded"
    intact_before = [
        (start, payload)
        for start, payload in zip(starts, payloads, strict=True)
        if start + HEADER_SIZE + len(payload) + FOOTER_SIZE <= first_damaged
    ]
    assert records[: len(intact_before)] == intact_before
    # Skipping by a verified length lands on true boundaries only.
    assert {c.offset for c in reader.corruptions} <= set(starts)
    if framing_error is not None:
        assert framing_error.offset in starts
        assert framing_error.offset + HEADER_SIZE > first_damaged
    if not diff:
        assert records == list(original.items())


@FAST
@given(
    payloads=payload_lists,
    data=st.data(),
    chunk_size=chunk_sizes,
    seekable=st.booleans(),
    fresh_reader=st.booleans(),
)
def test_resuming_from_the_offset_as_the_file_grows_yields_exactly_the_rest(
    payloads, data, chunk_size, seekable, fresh_reader
):
    framed, starts = layout(payloads)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(framed)), max_size=4), label="cuts"))
    growing = Growing(b"", seekable=seekable)
    reader = RecordReader(growing.stream, chunk_size=chunk_size)
    seen: list[tuple[int, bytes]] = []
    written = 0
    for cut in [*cuts, len(framed)]:
        growing.append(framed[written:cut])
        written = cut
        if fresh_reader and seekable:  # a restarted tailer with a persisted offset
            reader = RecordReader(growing.stream, offset=reader.offset, chunk_size=chunk_size)
        # A consumer may also stop early; the next pass picks up after its last record.
        stop_after = data.draw(st.one_of(st.none(), st.integers(1, 3)), label="stop_after")
        for count, record in enumerate(reader):
            seen.append(record)
            if count + 1 == stop_after:
                break
        else:
            assert reader.pending_bytes == written - reader.offset
    seen.extend(reader)  # finish any pass that was cut short
    assert seen == list(zip(starts, payloads, strict=True))
    assert reader.status is ReadStatus.END
    assert reader.offset == len(framed)
