"""The record scanner: event-file bytes to columns of scalar points, in bulk.

Reading records one by one through protobuf tops out near 400,000 records/s in Python, while a
scalar-heavy logdir holds millions. Nearly all of its records look alike: an Event whose summary
holds float scalars of tags already seen. The scanner decodes exactly those records in bulk — in
C when the ``_scan`` extension is built (``NATIVE``), else in a pure-Python twin that returns
identical results — and hands every other record back to its caller, which decodes it the usual
way (``Event.FromString``, then ``RunNormalizer``).

For each record of ``buffer[start:end]`` both CRCs are verified (as ``RecordReader`` does), then:

* **fast path** — the payload is an Event (``wall_time``, ``step``, ``summary``; unknown fields
  skipped) whose summary values are *all* plain scalars of a key of ``scalar_tags``: the tag
  (``node_name`` if the tag is empty) is a key, and the value is a ``simple_value`` or a
  one-element (rank 0, or every dim 1) DT_FLOAT / DT_DOUBLE tensor, from ``float_val`` /
  ``double_val`` or a 4- / 8-byte ``tensor_content``. A value's ``metadata`` is ignored: a tag
  keeps its first metadata. Each value becomes one point; float32 values are widened exactly.
* **residual** — any other record with good CRCs (``file_version``, graphs, images, histograms,
  a scalar of a tag not in ``scalar_tags``, a payload protobuf would not parse, an unusual but
  valid encoding, ...): the scan stops and returns it as ``residual = (offset, payload)``, with
  ``resume`` just past it. The fast path is conservative by design: a record is decoded here
  only if the slow path would make exactly these points of it.
* **a bad payload CRC** — the record is skipped and reported in ``corruptions``; scanning goes on.
* **a bad length CRC** — nothing after it can be framed: the scan stops (``CORRUPT_FRAMING``).
* **the end** — no bytes left (``END``), or an incomplete record (``INCOMPLETE``: ``resume`` is
  its start, for the caller to retry once more bytes are there). A length is only trusted after
  its CRC passed and never drives an allocation; nothing past ``end`` is read.

The caller's loop, per run (``scalar_tags`` maps a tag's UTF-8 bytes to the caller's series id,
for every tag whose data class — decided by its first metadata — is SCALAR)::

    for batch in scan_file(path, scalar_tags, offset=resume_offset):
        stage(batch.series, batch.steps, batch.wall_times, batch.values, batch.offsets)
        count(batch.corruptions)
        if batch.residual is not None:
            offset, payload = batch.residual
            ...  # Event.FromString (a DecodeError is a corrupt record), RunNormalizer,
            ...  # stage its points, and add the tags it made SCALAR to scalar_tags
        commit(resume_offset := batch.resume)
    # the last batch's reason: END, INCOMPLETE (retry later) or CORRUPT_FRAMING

The round trip happens once per new tag and once per non-scalar record, so it is rare in
scalar-heavy logs. Points come in file order, so staging them in order keeps "a record at step s
hides earlier records of its series with step >= s" exact. Set ``HERON_PURE_PYTHON=1`` to use
the pure-Python scanner even when the extension is built.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import os
import struct
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Protocol

from heron.errors import CorruptRecordError, FramingError
from heron.formats import _scan_python
from heron.formats._scan_python import Buffer, RawScan

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from typing_extensions import Buffer as ColumnBuffer

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_POINTS",
    "NATIVE",
    "ScanBatch",
    "ScanReason",
    "scan_buffer",
    "scan_file",
]

#: Points per batch at most by default (40 bytes each: 10 MiB of columns).
DEFAULT_MAX_POINTS: Final = 1 << 18
#: How much of a file ``scan_file`` reads at a time (a larger record grows the buffer).
DEFAULT_CHUNK_SIZE: Final = 1 << 22
_MIN_CHUNK_SIZE: Final = 16
# Room beyond the current end of a file, for bytes appended while it is read.
_SLACK: Final = 1 << 16
_LENGTH = struct.Struct("<Q")


class _Scanner(Protocol):
    def __call__(
        self,
        buffer: Buffer,
        start: int,
        end: int,
        base_offset: int,
        scalar_tags: Mapping[bytes, int],
        max_points: int,
    ) -> RawScan: ...


def _native_scanner() -> _Scanner | None:
    if os.environ.get("HERON_PURE_PYTHON") == "1":
        return None
    try:
        from heron.formats import _scan
    except ImportError:
        return None
    return _scan.scan


_SCANNER: Final[_Scanner] = _native_scanner() or _scan_python.scan
#: Whether ``scan_buffer`` runs the compiled scanner.
NATIVE: Final = _SCANNER is not _scan_python.scan


class ScanReason(enum.Enum):
    """Why a scan stopped."""

    #: Every byte up to ``end`` was consumed.
    END = "end"
    #: An incomplete record starts at ``resume`` (a writer is mid-flush, or the buffer ends).
    INCOMPLETE = "incomplete"
    #: ``residual`` holds a record for the caller's slow path; continue from ``resume``.
    RESIDUAL = "residual"
    #: The length CRC of the record at ``resume`` failed: nothing after it can be framed.
    CORRUPT_FRAMING = "corrupt_framing"
    #: A bound was reached (``max_points``, or a chunk's end in ``scan_file``); continue from
    #: ``resume``.
    LIMIT = "limit"


_REASONS: Final = (
    ScanReason.END,
    ScanReason.INCOMPLETE,
    ScanReason.RESIDUAL,
    ScanReason.CORRUPT_FRAMING,
    ScanReason.LIMIT,
)


@dataclasses.dataclass(frozen=True, slots=True)
class ScanBatch:
    """The points of one scan, as read-only columns of equal length in file order.

    Row i is one scalar point: series id ``series[i]`` (the value ``scalar_tags`` maps its tag
    to), ``steps[i]``, ``wall_times[i]``, ``values[i]``; ``offsets[i]`` is the file offset of
    its record and ``value_index[i]`` its index among the record's summary values.

    ``resume`` is where to continue: a position in the buffer for ``scan_buffer``, a file
    offset for ``scan_file``. ``records`` counts the records consumed (decoded, skipped as
    corrupt, or returned as residual). ``residual`` is ``(file offset, payload)`` of the record
    that stopped the scan (reason ``RESIDUAL``); ``framing_error`` is set with reason
    ``CORRUPT_FRAMING``; ``corruptions`` lists the records skipped for a bad payload CRC.
    ``last_record`` is ``(file offset, payload length, masked payload CRC)`` of the last record
    that made points or is the residual (``None`` if none did): read from the buffer while it
    is at hand, so that a tailer can remember the record without opening the file again.
    """

    series: npt.NDArray[np.int32]
    steps: npt.NDArray[np.int64]
    wall_times: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]
    offsets: npt.NDArray[np.int64]
    value_index: npt.NDArray[np.int32]
    resume: int
    reason: ScanReason
    residual: tuple[int, bytes] | None
    corruptions: list[CorruptRecordError]
    records: int
    framing_error: FramingError | None
    last_record: tuple[int, int, int] | None = None

    def __len__(self) -> int:
        return len(self.series)


def scan_buffer(
    buffer: Buffer,
    start: int,
    end: int,
    base_offset: int,
    scalar_tags: Mapping[bytes, int],
    *,
    max_points: int = DEFAULT_MAX_POINTS,
    path: str = "<buffer>",
) -> ScanBatch:
    """Scan the records of ``buffer[start:end]`` (see the module docstring).

    ``start`` must be a record boundary. ``base_offset`` is the file offset of ``buffer[0]``:
    offsets in the result are ``base_offset`` + positions in ``buffer``. A record's points are
    never split across batches: the scan stops with ``LIMIT`` before a record whose points
    would exceed ``max_points`` (a record holding more on its own is returned as a residual).
    ``path`` only names the file in error messages. The GIL is released while the compiled
    scanner runs, so threads can scan several files at once; ``scalar_tags`` is copied first
    (keys ``bytes``, values int32 ids), which costs O(len(scalar_tags)) per call.
    """
    return _scan_with(
        _SCANNER, buffer, start, end, base_offset, scalar_tags, max_points=max_points, path=path
    )


def _scan_with(
    scanner: _Scanner,
    buffer: Buffer,
    start: int,
    end: int,
    base_offset: int,
    scalar_tags: Mapping[bytes, int],
    *,
    max_points: int,
    path: str,
    resume_base: int = 0,
) -> ScanBatch:
    """Scan and wrap the result; ``resume_base`` is added to ``resume`` (``scan_file``'s
    file offsets), which saves copying the batch afterwards."""
    raw = scanner(buffer, start, end, base_offset, scalar_tags, max_points)
    return _batch(raw, path, buffer, base_offset, resume_base)


_RECORD_CRC = struct.Struct("<I")


def _last_record(
    buffer: Buffer, base_offset: int, offsets: Any, residual_offset: int | None
) -> tuple[int, int, int] | None:
    last = int(offsets[-1]) if len(offsets) else None
    if residual_offset is not None and (last is None or residual_offset > last):
        last = residual_offset
    if last is None:
        return None
    # The scanner verified this record's framing and CRCs: its header and footer are in place.
    position = last - base_offset
    (length,) = _LENGTH.unpack_from(buffer, position)
    (crc,) = _RECORD_CRC.unpack_from(buffer, position + 12 + length)
    return (last, length, crc)


#: Read-only empty columns by dtype, shared: most batches of a small run's first records
#: (its ``file_version``, each new tag) have no points.
_EMPTY_COLUMNS: dict[Any, Any] = {}


def _column(data: ColumnBuffer, dtype: type[Any]) -> Any:
    import numpy as np

    view = memoryview(data)
    if not view.nbytes:
        array = _EMPTY_COLUMNS.get(dtype)
        if array is None:
            array = np.empty(0, dtype=dtype)
            array.flags.writeable = False
            _EMPTY_COLUMNS[dtype] = array
        return array
    array = np.frombuffer(view, dtype=dtype)
    array.flags.writeable = False
    return array


@functools.cache
def _empty_columns() -> tuple[Any, Any, Any, Any, Any, Any]:
    import numpy as np

    e = _column
    return (
        e(b"", np.int32),
        e(b"", np.int64),
        e(b"", np.float64),
        e(b"", np.float64),
        e(b"", np.int64),
        e(b"", np.int32),
    )


def _batch(
    raw: RawScan, path: str, buffer: Buffer, base_offset: int, resume_base: int = 0
) -> ScanBatch:
    import numpy as np

    column = _column
    (
        series,
        steps,
        wall_times,
        values,
        offsets,
        value_index,
        resume,
        reason,
        residual_offset,
        residual_payload,
        corruptions,
        records,
        framing_offset,
    ) = raw
    offset_column = column(offsets, np.int64)
    if not len(offset_column):  # no points: every column is empty (a residual's batch, often)
        columns = _empty_columns()
    else:
        columns = (
            column(series, np.int32),
            column(steps, np.int64),
            column(wall_times, np.float64),
            column(values, np.float64),
            offset_column,
            column(value_index, np.int32),
        )
    return ScanBatch(
        *columns,
        resume=resume + resume_base,
        reason=_REASONS[reason],
        residual=(
            None
            if residual_offset is None or residual_payload is None
            else (residual_offset, residual_payload)
        ),
        corruptions=[
            CorruptRecordError(path, offset, length, "payload checksum mismatch")
            for offset, length in corruptions
        ],
        records=records,
        framing_error=(
            None
            if framing_offset is None
            else FramingError(path, framing_offset, "length checksum mismatch")
        ),
        last_record=_last_record(
            buffer,
            base_offset,
            offset_column,
            residual_offset if residual_payload is not None else None,
        ),
    )


def scan_file(
    path: str | os.PathLike[str],
    scalar_tags: Mapping[bytes, int],
    *,
    offset: int = 0,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_points: int = DEFAULT_MAX_POINTS,
    opener: Callable[[str], BinaryIO] | None = None,
) -> Iterator[ScanBatch]:
    """Scan a file from ``offset`` (a record boundary) to its current end, in batches.

    ``opener`` opens ``path`` for files that are not local (an fsspec URL): it
    must return a seekable binary stream with ``readinto`` and a ``size``
    attribute (fsspec's files have both).

    The file is read ``chunk_size`` bytes at a time (less for a smaller file) into one reused
    buffer; a record larger than that grows the buffer, but only as far as the file extends.
    Each batch's ``resume`` is a *file offset*: the place to continue from, to commit with its
    points.

    Every batch but the last has reason ``RESIDUAL`` or ``LIMIT`` (a ``max_points`` bound or a
    chunk's end); the last has ``END``, ``INCOMPLETE`` (a partial record at the end of the
    file: scan again from ``resume`` later) or ``CORRUPT_FRAMING``. ``scalar_tags`` is read
    again at every step, so tags the caller adds while handling a residual count from the next
    record on. Closing the generator closes the file.
    """
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    if chunk_size < _MIN_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be >= {_MIN_CHUNK_SIZE}, got {chunk_size}")
    if max_points < 1:
        raise ValueError(f"max_points must be >= 1, got {max_points}")
    return _scan_file(
        _SCANNER, os.fspath(path), scalar_tags, offset, chunk_size, max_points, opener
    )


def _scan_file(
    scanner: _Scanner,
    name: str,
    scalar_tags: Mapping[bytes, int],
    offset: int,
    chunk_size: int,
    max_points: int,
    opener: Callable[[str], BinaryIO] | None = None,
) -> Iterator[ScanBatch]:
    with opener(name) if opener is not None else open(name, "rb", buffering=0) as stream:
        stream.seek(offset)
        base = offset  # file offset of buffer[0]
        buffer = bytearray(_buffer_size(stream, base, 0, 0, chunk_size))
        filled = _read_into(stream, buffer, 0)
        start = 0
        while True:
            batch = _scan_with(
                scanner,
                buffer,
                start,
                filled,
                base,
                scalar_tags,
                max_points=max_points,
                path=name,
                resume_base=base,
            )
            if batch.reason in (ScanReason.RESIDUAL, ScanReason.LIMIT):
                yield batch
                start = batch.resume - base
                continue
            if batch.reason is ScanReason.CORRUPT_FRAMING:
                yield batch
                return
            # END or INCOMPLETE: the buffer is used up. Keep a partial record, read on.
            consumed = batch.resume - base
            tail = filled - consumed
            buffer[:tail] = buffer[consumed:filled]
            base, start, filled = batch.resume, 0, tail
            # A partial record with its header here passed its length CRC: make room for it.
            need = _LENGTH.unpack_from(buffer)[0] + 16 if tail >= 12 else 0
            size = _buffer_size(stream, base, tail, need, chunk_size)
            if size > len(buffer) or (len(buffer) > chunk_size >= size):
                resized = bytearray(size)
                resized[:tail] = buffer[:tail]
                buffer = resized
            got = _read_into(stream, buffer, filled)
            if got == 0:  # the end of the file, for now
                yield batch
                return
            filled += got
            if batch.records:
                yield dataclasses.replace(batch, reason=ScanReason.LIMIT)


def _buffer_size(stream: Any, base: int, tail: int, need: int, chunk_size: int) -> int:
    """Bytes of buffer worth having from file offset ``base``, ``tail`` of them already read.

    ``chunk_size`` at most (small files get small buffers), except for one record of ``need``
    bytes that is larger — and never more than the file holds, so that a corrupt length that
    passed its CRC by chance cannot force a giant allocation.
    """
    available = max(_size(stream) - base, tail)
    size = max(tail, min(chunk_size, available + _SLACK), min(need, available))
    return max(size, _MIN_CHUNK_SIZE)


def _size(stream: Any) -> int:
    """The stream's current size: ``fstat`` for a local file, ``size`` for an fsspec one."""
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    return os.fstat(stream.fileno()).st_size


def _read_into(stream: Any, buffer: bytearray, filled: int) -> int:
    """Read into ``buffer[filled:]`` once; the number of bytes read (0 at the end of the file)."""
    with memoryview(buffer) as view, view[filled:] as free:
        return int(stream.readinto(free) or 0)
