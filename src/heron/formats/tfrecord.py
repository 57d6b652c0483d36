"""TFRecord framing: the container format of TensorBoard event files.

A record is ``length`` (u64 LE), the masked CRC32C of those 8 bytes (u32 LE),
``length`` payload bytes, and the masked CRC32C of the payload (u32 LE).

Event files are read while training processes are still appending to them, so
the reader must tell three endings apart:

* a clean end of file (``ReadStatus.END``);
* a partial last record that a writer is still writing (``ReadStatus.TRUNCATED``):
  not an error; the caller retries later from ``RecordReader.offset``;
* corruption. A bad *payload* CRC damages one record: it is skipped, reported
  in ``RecordReader.corruptions``, and reading goes on. A bad *length* CRC means
  no later record boundary can be trusted: the reader raises ``FramingError``.

Both CRCs are always verified, with the hardware CRC32C of the ``crc32c``
package (SSE4.2 / ARMv8 instructions). The masked CRC of a length depends on
the length alone, so verified lengths are memoised: a scalar-heavy file, whose
records have a handful of distinct lengths, then pays for one CRC call per
record instead of two, and a header is still accepted only if its stored CRC
equals the one computed for its length.
"""

from __future__ import annotations

import enum
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO, Final

import crc32c as _crc32c

from heron.errors import CorruptRecordError, FramingError

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FOOTER_SIZE",
    "HEADER_SIZE",
    "ReadStatus",
    "RecordReader",
    "RecordWriter",
    "crc32c",
    "encode_record",
    "masked_crc32c",
]

HEADER_SIZE: Final = 12
FOOTER_SIZE: Final = 4
_MASK_DELTA: Final = 0xA282EAD8
_LENGTH = struct.Struct("<Q")
_HEADER = struct.Struct("<QI")
_CRC = struct.Struct("<I")
# A record's footer and the next record's header, unpacked in one call.
_FOOTER_HEADER = struct.Struct("<IQI")
# Large enough that per-read overhead vanishes (one read serves ~20,000 scalar
# records); small enough to bound memory when tailing thousands of files, and
# for the allocator to recycle buffers instead of mapping fresh pages for each
# read, which made 1 MiB faster than 4 or 16 MiB on media-heavy files.
DEFAULT_CHUNK_SIZE: Final = 1 << 20
# One read() call never asks for more than this. Reads for a long record start
# at the chunk size and double while the stream keeps delivering, so a valid but
# huge length at the end of a short file costs a few chunk-sized reads, never an
# allocation of the length.
_MAX_READ: Final = 1 << 26
# Memo of verified length CRCs: length -> masked CRC32C of its 8 LE bytes.
# Bounded because a media-heavy file has a distinct length per record.
_LENGTH_CRCS: dict[int, int] = {}
_LENGTH_CRCS_MAX: Final = 4096

_raw_crc32c = _crc32c.crc32c


def crc32c(data: bytes | bytearray | memoryview) -> int:
    """CRC-32C (Castagnoli) of ``data``."""
    return int(_raw_crc32c(data))


def masked_crc32c(data: bytes | bytearray | memoryview) -> int:
    """The CRC-32C of ``data``, masked as TFRecord (and LevelDB) store it.

    Masking keeps a CRC computed over bytes that embed CRCs from being trivially
    zero: rotate right by 15 bits, then add a constant, modulo 2**32.
    """
    crc = _raw_crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def _length_crc(length: int) -> int:
    """The masked CRC of a length field, computed once per distinct length."""
    known = _LENGTH_CRCS.get(length)
    if known is None:
        known = masked_crc32c(_LENGTH.pack(length))
        if len(_LENGTH_CRCS) >= _LENGTH_CRCS_MAX:
            _LENGTH_CRCS.clear()
        _LENGTH_CRCS[length] = known
    return known


def encode_record(payload: bytes) -> bytes:
    """Frame one payload as a complete TFRecord."""
    length = len(payload)
    return b"".join(
        (
            _HEADER.pack(length, _length_crc(length)),
            payload,
            _CRC.pack(masked_crc32c(payload)),
        )
    )


class RecordWriter:
    """Appends framed records to a binary stream it does not own."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, payload: bytes) -> int:
        """Write one record; return the number of bytes written."""
        record = encode_record(payload)
        self._stream.write(record)
        return len(record)

    def flush(self) -> None:
        self._stream.flush()


class ReadStatus(enum.Enum):
    """How the last pass of a ``RecordReader`` ended."""

    #: Every byte of the file was consumed; more may be appended later.
    END = "end"
    #: The file ends inside a record, probably one that is still being written.
    #: Nothing is lost: reading again from ``RecordReader.offset`` resumes it.
    TRUNCATED = "truncated"


class RecordReader:
    """Iterates over the records of one file as ``(offset, payload)`` pairs.

    ``source`` is a path or a binary stream (seekable or not). Reading starts
    at ``offset`` — which must be a record boundary, typically the ``offset``
    a previous reader stopped at — so a tailer can resume where it left off
    after new bytes arrive, or after a restart. Each iteration is one *pass*
    from the current ``offset``; iterating the same reader again continues
    where the last pass stopped.

    A path is opened afresh for every pass. A seekable stream is positioned at
    ``offset``. A non-seekable stream (a pipe, a network body) must be at byte
    0 of the file when first read: the bytes before ``offset`` are read and
    dropped. The reader keeps the bytes of an incomplete last record it has
    taken from such a stream, so a later pass over the same stream, after more
    data has arrived, resumes correctly.

    ``chunk_size`` is how much one read asks for; a record longer than that is
    still read whole (with larger reads), so it only trades memory for calls.

    After (or during) iteration:

    * ``offset`` is the byte just past the last record consumed (yielded or
      skipped as corrupt): the place to resume from;
    * ``status`` says how the pass ended (``None`` while it runs, or if it was
      abandoned or raised);
    * ``pending_bytes`` counts the bytes of an incomplete last record;
    * ``corruptions`` lists the records skipped for a bad payload CRC,
      accumulated over passes.

    Iteration raises ``FramingError`` when a length CRC fails, after yielding
    every record before the damaged one; ``offset`` then points at the damaged
    record, so retrying fails the same way.
    """

    __slots__ = (
        "_carry",
        "_chunk_size",
        "_source",
        "_stream_position",
        "corruptions",
        "offset",
        "path",
        "pending_bytes",
        "status",
    )

    def __init__(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        offset: int = 0,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        if offset < 0:
            raise ValueError(f"offset must be >= 0, got {offset}")
        if chunk_size < HEADER_SIZE:
            raise ValueError(f"chunk_size must be >= {HEADER_SIZE}, got {chunk_size}")
        self._source = source
        self.path: str
        if isinstance(source, str | os.PathLike):
            self.path = os.fspath(source)
        else:
            self.path = str(getattr(source, "name", "<stream>"))
        self.offset = offset
        self.status: ReadStatus | None = None
        self.pending_bytes = 0
        self.corruptions: list[CorruptRecordError] = []
        self._chunk_size = chunk_size
        # Non-seekable streams only: how far the stream has been read, and the
        # bytes read from it past ``offset`` that no record has consumed yet.
        self._stream_position = 0
        self._carry = b""

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        if isinstance(self._source, str | os.PathLike):
            # Unbuffered: reads are chunk-sized, so a BufferedReader would only
            # add a layer of copying.
            with open(self._source, "rb", buffering=0) as stream:
                yield from self._read(stream, seekable=True)
        else:
            yield from self._read(self._source, seekable=_is_seekable(self._source))

    def _start(self, stream: BinaryIO, seekable: bool) -> bytes | None:
        """Position ``stream`` at ``offset``; return bytes already read past it.

        ``None`` means a non-seekable stream ended before ``offset``.
        """
        if seekable:
            stream.seek(self.offset)
            return b""
        carry_start = self._stream_position - len(self._carry)
        if self.offset < carry_start:
            raise ValueError(
                f"{self.path}: cannot go back to byte {self.offset} of a non-seekable stream "
                f"already read to byte {self._stream_position}"
            )
        if self.offset <= self._stream_position:
            return self._carry[self.offset - carry_start :]
        remaining = self.offset - self._stream_position
        while remaining > 0:
            skipped = stream.read(min(remaining, self._chunk_size))
            if not skipped:
                break
            remaining -= len(skipped)
            self._stream_position += len(skipped)
        self._carry = b""
        return None if remaining else b""

    def _read(self, stream: BinaryIO, *, seekable: bool) -> Iterator[tuple[int, bytes]]:
        self.status = None
        self.pending_bytes = 0
        start_bytes = self._start(stream, seekable)
        if start_bytes is None:
            self.status = ReadStatus.END
            return
        # Hot loop (a scalar-heavy file has millions of ~50-byte records): locals
        # only, no copy but the payload slice (chunks are never spliced whole,
        # see ``_gather``), a memoised length CRC, and one unpack for a record's
        # footer together with the next record's header.
        unpack_header = _HEADER.unpack_from
        unpack_crc = _CRC.unpack_from
        unpack_footer_header = _FOOTER_HEADER.unpack_from
        raw = _raw_crc32c
        delta = _MASK_DELTA
        length_crcs = _LENGTH_CRCS
        chunk = self._chunk_size
        header_size = HEADER_SIZE
        footer_size = FOOTER_SIZE
        path = self.path
        corruptions = self.corruptions
        # The file's bytes from ``base`` on are buf, then ahead[ahead_pos:], then the
        # unread stream. base + pos == self.offset at the loop head.
        base = self.offset
        buf = start_bytes
        pos = 0
        ahead = b""
        ahead_pos = 0
        try:
            size = len(buf)
            last_footer = size - footer_size  # a record fits if its payload stops by here
            last_header = size - header_size
            length = -1  # the header at ``pos`` is not unpacked yet
            length_crc = 0
            while True:
                if length < 0:
                    if pos > last_header:
                        at = base + pos
                        buf, pos, ahead, ahead_pos = _gather(
                            stream, buf, pos, ahead, ahead_pos, header_size, chunk
                        )
                        base = at - pos
                        size = len(buf)
                        last_footer = size - footer_size
                        last_header = size - header_size
                        if pos > last_header:
                            break
                    length, length_crc = unpack_header(buf, pos)
                if length_crcs.get(length) != length_crc and _length_crc(length) != length_crc:
                    raise FramingError(path, base + pos, "length checksum mismatch")
                start = pos + header_size
                stop = start + length
                if stop > last_footer:
                    at = base + pos
                    record_size = header_size + length + footer_size
                    buf, pos, ahead, ahead_pos = _gather(
                        stream, buf, pos, ahead, ahead_pos, record_size, chunk
                    )
                    base = at - pos
                    size = len(buf)
                    last_footer = size - footer_size
                    last_header = size - header_size
                    start = pos + header_size
                    stop = start + length
                    if stop > last_footer:
                        break
                payload = buf[start:stop]
                crc = raw(payload)
                end = stop + footer_size
                self.offset = base + end
                if end <= last_header:
                    stored, next_length, length_crc = unpack_footer_header(buf, stop)
                else:
                    stored = unpack_crc(buf, stop)[0]
                    next_length = -1
                if (((crc >> 15) | (crc << 17)) + delta) & 0xFFFFFFFF == stored:
                    yield base + pos, payload
                else:
                    corruptions.append(
                        CorruptRecordError(path, base + pos, length, "payload checksum mismatch")
                    )
                pos = end
                length = next_length
            self.pending_bytes = size - pos
            self.status = ReadStatus.TRUNCATED if self.pending_bytes else ReadStatus.END
        finally:
            if not seekable:
                # Remember what was taken from the stream but not consumed, so
                # the next pass resumes at ``offset`` however this one ended.
                unread = memoryview(ahead)[ahead_pos:]
                self._stream_position = base + len(buf) + len(unread)
                self._carry = b"".join((memoryview(buf)[self.offset - base :], unread))


def _is_seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _gather(
    stream: BinaryIO, buf: bytes, pos: int, ahead: bytes, ahead_pos: int, need: int, chunk: int
) -> tuple[bytes, int, bytes, int]:
    """Make ``need`` bytes follow ``pos``, copying as little as possible.

    Returns ``(buf, pos, ahead, ahead_pos)`` where the new ``buf[pos]`` is the byte
    the old ``buf[pos]`` was. When ``buf`` is used up, the read-ahead chunk
    becomes the buffer as it is. Otherwise only the bytes that straddle the
    two (one header, or one record) are copied into a new buffer, and the
    rest of the chunk stays in ``ahead``: copying whole multi-megabyte chunks
    to splice them would cost more than reading them. Fewer than ``need``
    bytes follow ``pos`` only when the stream has no more for now; ``ahead``
    is then empty.

    Reads ask for at least one chunk, so that short records are read in
    bulk, and grow geometrically while the stream keeps delivering, so that
    a long record takes few reads but a huge length in a short file never
    allocates more than a few chunks.
    """
    have = len(buf) - pos
    if have == 0 and ahead_pos < len(ahead):
        buf, pos, ahead, ahead_pos = ahead, ahead_pos, b"", 0
        have = len(buf) - pos
        if have >= need:
            return buf, pos, ahead, ahead_pos
    parts: list[bytes | memoryview] = [memoryview(buf)[pos:]] if have else []
    if ahead_pos < len(ahead):
        take = min(len(ahead) - ahead_pos, need - have)
        parts.append(memoryview(ahead)[ahead_pos : ahead_pos + take])
        have += take
        ahead_pos += take
    if ahead_pos >= len(ahead):
        ahead, ahead_pos = b"", 0
    step = chunk
    while have < need:
        wanted = min(max(need - have, chunk), step)
        more = stream.read(wanted)
        if not more:  # b"" at the end; None from a non-blocking stream with no data yet
            break
        take = min(len(more), need - have)
        if take < len(more):
            parts.append(memoryview(more)[:take])
            ahead, ahead_pos = more, take
        else:
            parts.append(more)
        have += take
        if len(more) == wanted and step < _MAX_READ:
            step = min(step * 2, _MAX_READ)
    return b"".join(parts), 0, ahead, ahead_pos
