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
package (SSE4.2 / ARMv8 instructions).
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
    "HEADER_SIZE",
    "FOOTER_SIZE",
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
# Large enough that per-read overhead vanishes, small enough to bound memory
# when tailing thousands of files.
_DEFAULT_CHUNK_SIZE: Final = 1 << 22
# One read() call never asks for more than this, so that a valid but huge
# length (or a stream that lies about its size) cannot force a giant allocation.
_MAX_READ: Final = 1 << 26

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


def encode_record(payload: bytes) -> bytes:
    """Frame one payload as a complete TFRecord."""
    length = _LENGTH.pack(len(payload))
    return b"".join(
        (
            length,
            _CRC.pack(masked_crc32c(length)),
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
    after new bytes arrive, or after a restart.

    After (or during) iteration:

    * ``offset`` is the byte just past the last record consumed (yielded or
      skipped as corrupt): the place to resume from;
    * ``status`` says how the pass ended (``None`` while it runs);
    * ``pending_bytes`` counts the bytes of an incomplete last record;
    * ``corruptions`` lists the records skipped for a bad payload CRC.

    Iteration raises ``FramingError`` when a length CRC fails; ``offset`` then
    points at the damaged record, so retrying fails the same way.
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        offset: int = 0,
        chunk_size: int = _DEFAULT_CHUNK_SIZE,
    ) -> None:
        if offset < 0:
            raise ValueError(f"offset must be >= 0, got {offset}")
        if chunk_size < HEADER_SIZE:
            raise ValueError(f"chunk_size must be >= {HEADER_SIZE}, got {chunk_size}")
        self._source = source
        if isinstance(source, str | os.PathLike):
            self.path = os.fspath(source)
        else:
            self.path = str(getattr(source, "name", "<stream>"))
        self.offset = offset
        self.status: ReadStatus | None = None
        self.pending_bytes = 0
        self.corruptions: list[CorruptRecordError] = []
        self._chunk_size = chunk_size

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        if isinstance(self._source, str | os.PathLike):
            with open(self._source, "rb") as stream:
                yield from self._read(stream)
        else:
            yield from self._read(self._source)

    def _read(self, stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
        self.status = None
        self.pending_bytes = 0
        _seek(stream, self.offset)
        # Hot loop: locals only, one bytes buffer, slices instead of copies of the whole.
        unpack_header = _HEADER.unpack_from
        unpack_crc = _CRC.unpack_from
        raw = _raw_crc32c
        delta = _MASK_DELTA
        chunk = self._chunk_size
        buf = stream.read(chunk)
        base = self.offset  # file offset of buf[0]
        pos = 0
        while True:
            available = len(buf) - pos
            if available < HEADER_SIZE:
                buf, base, pos = _refill(stream, buf, base, pos, HEADER_SIZE, chunk)
                if len(buf) - pos < HEADER_SIZE:
                    break
            length, length_crc = unpack_header(buf, pos)
            crc = raw(buf[pos : pos + 8])
            if (((crc >> 15) | (crc << 17)) + delta) & 0xFFFFFFFF != length_crc:
                self.offset = base + pos
                raise FramingError(self.path, base + pos, "length checksum mismatch")
            end = pos + HEADER_SIZE + length + FOOTER_SIZE
            if end > len(buf):
                buf, base, pos = _refill(stream, buf, base, pos, end - pos, chunk)
                end = pos + HEADER_SIZE + length + FOOTER_SIZE
                if end > len(buf):
                    break
            start = pos + HEADER_SIZE
            payload = buf[start : start + length]
            crc = raw(payload)
            if (((crc >> 15) | (crc << 17)) + delta) & 0xFFFFFFFF == unpack_crc(
                buf, start + length
            )[0]:
                self.offset = base + end
                yield base + pos, payload
            else:
                self.offset = base + end
                self.corruptions.append(
                    CorruptRecordError(self.path, base + pos, length, "payload checksum mismatch")
                )
            pos = end
        self.pending_bytes = len(buf) - pos
        self.status = ReadStatus.TRUNCATED if self.pending_bytes else ReadStatus.END


def _seek(stream: BinaryIO, offset: int) -> None:
    """Position ``stream`` at ``offset``, reading and dropping bytes if it cannot seek."""
    if stream.seekable():
        stream.seek(offset)
        return
    remaining = offset
    while remaining > 0:
        skipped = stream.read(min(remaining, _MAX_READ))
        if not skipped:
            break
        remaining -= len(skipped)


def _refill(
    stream: BinaryIO, buf: bytes, base: int, pos: int, need: int, chunk: int
) -> tuple[bytes, int, int]:
    """Drop consumed bytes and read until ``need`` bytes follow ``pos`` or the stream ends.

    Returns the new ``(buf, base, pos)`` with ``pos == 0``.
    """
    parts = [buf[pos:]]
    have = len(parts[0])
    while have < need:
        more = stream.read(min(max(need - have, chunk), _MAX_READ))
        if not more:
            break
        parts.append(more)
        have += len(more)
    return b"".join(parts), base + pos, 0
