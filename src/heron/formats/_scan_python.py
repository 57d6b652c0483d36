"""The pure-Python twin of ``_scan.c``: the record scanner when the extension is not built.

It takes the same decisions in the same order as the C code (read that file's comments for the
wire-format details) and returns the same raw tuple, which ``heron.formats.scan`` wraps. Keep the
two in step: ``tests/unit/test_scan_properties.py`` checks that they agree on random and damaged
bytes. A failed check anywhere in a record raises ``_NotFastError``: the record is then a residual.
"""

from __future__ import annotations

import mmap
import struct
from array import array
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, TypeAlias

import crc32c as _crc32c

if TYPE_CHECKING:
    from typing_extensions import Buffer as ColumnBuffer

__all__ = ["MIN_POINT_BYTES", "Buffer", "RawScan", "scan"]

Buffer: TypeAlias = bytes | bytearray | memoryview | mmap.mmap
#: (series, steps, wall_times, values, offsets, value_index) columns of raw native-endian
#: int32 / int64 / float64 / float64 / int64 / int32 items (bytearrays here, pooled Column
#: buffers from the C scanner), then resume, reason code, residual offset, residual payload,
#: [(offset, length)] of bad payload CRCs, records consumed, offset of a bad length CRC.
RawScan: TypeAlias = """tuple[
    ColumnBuffer,
    ColumnBuffer,
    ColumnBuffer,
    ColumnBuffer,
    ColumnBuffer,
    ColumnBuffer,
    int,
    int,
    int | None,
    bytes | None,
    list[tuple[int, int]],
    int,
    int | None,
]"""

REASON_END: Final = 0
REASON_INCOMPLETE: Final = 1
REASON_RESIDUAL: Final = 2
REASON_FRAMING: Final = 3
REASON_LIMIT: Final = 4

HEADER_SIZE: Final = 12
FOOTER_SIZE: Final = 4
MIN_POINT_BYTES: Final = 7
_MASK_DELTA: Final = 0xA282EAD8
_WT_VARINT: Final = 0
_WT_I64: Final = 1
_WT_LEN: Final = 2
_WT_I32: Final = 5
_DT_FLOAT: Final = 1
_DT_DOUBLE: Final = 2
_KIND_NONE: Final = 0
_KIND_SIMPLE: Final = 1
_KIND_TENSOR: Final = 2

_HEADER = struct.Struct("<QI")
_U32 = struct.Struct("<I")
_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_raw_crc32c = _crc32c.crc32c


class _NotFastError(Exception):
    """The record is not an ordinary encoding of plain scalars of known tags."""


def _masked_crc32c(data: bytes | memoryview) -> int:
    crc = _raw_crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


# ----------------------------------------------------------------------------- wire primitives
# Each returns the new position; `end` is the end of the enclosing message.


def _varint(data: bytes, pos: int, end: int) -> tuple[int, int]:
    if pos < end:
        byte = data[pos]
        if byte < 0x80:
            return byte, pos + 1
    result = 0
    for i in range(10):
        if pos >= end:
            raise _NotFastError
        byte = data[pos]
        pos += 1
        if i == 9 and byte > 1:
            raise _NotFastError
        result |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            return result, pos
    raise _NotFastError  # pragma: no cover - the 10th byte always ends the loop above


def _key(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    if pos < end:
        byte = data[pos]
        if 8 <= byte < 0x80:  # a one-byte key of a field other than 0: the common case
            return byte >> 3, byte & 7, pos + 1
    key, pos = _varint(data, pos, end)
    if key > 0xFFFFFFFF or key >> 3 == 0:
        raise _NotFastError
    return key >> 3, key & 7, pos


def _length(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """Start of a length-delimited body and the position just past it."""
    if pos < end and data[pos] < 0x80:
        size = data[pos]
        pos += 1
    else:
        size, pos = _varint(data, pos, end)
    if size > end - pos:
        raise _NotFastError
    return pos, pos + size


def _string(data: bytes, pos: int, end: int, wire: int) -> tuple[int, int]:
    if wire != _WT_LEN:
        raise _NotFastError
    body, pos = _length(data, pos, end)
    try:
        data[body:pos].decode("utf-8")
    except UnicodeDecodeError:
        raise _NotFastError from None
    return body, pos


def _skip(data: bytes, pos: int, end: int, wire: int) -> int:
    if wire == _WT_VARINT:
        return _varint(data, pos, end)[1]
    if wire == _WT_I64:
        if end - pos < 8:
            raise _NotFastError
        return pos + 8
    if wire == _WT_LEN:
        return _length(data, pos, end)[1]
    if wire == _WT_I32:
        if end - pos < 4:
            raise _NotFastError
        return pos + 4
    raise _NotFastError


# -------------------------------------------------------------- messages read but not used


def _check_plugin_data(data: bytes, pos: int, end: int) -> None:
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            pos = _string(data, pos, end, wire)[1]
        elif field == 2:
            if wire != _WT_LEN:
                raise _NotFastError
            pos = _length(data, pos, end)[1]
        else:
            pos = _skip(data, pos, end, wire)


def _check_summary_metadata(data: bytes, pos: int, end: int) -> None:
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _check_plugin_data(data, body, pos)
        elif field in (2, 3):
            pos = _string(data, pos, end, wire)[1]
        elif field == 4:
            if wire != _WT_VARINT:
                raise _NotFastError
            pos = _varint(data, pos, end)[1]
        else:
            pos = _skip(data, pos, end, wire)


def _check_source_metadata(data: bytes, pos: int, end: int) -> None:
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        pos = _string(data, pos, end, wire)[1] if field == 1 else _skip(data, pos, end, wire)


# -------------------------------------------------------------------------------- TensorProto


class _Tensor:
    """TensorProto fields as protobuf holds them after merging every ``Value.tensor``."""

    __slots__ = (
        "bad_dim",
        "content",
        "dtype",
        "last_double",
        "last_float",
        "n_double",
        "n_float",
        "unknown_rank",
    )

    def __init__(self) -> None:
        self.dtype = 0
        self.content = (0, 0)  # (start, end) in the payload; empty = none
        self.n_float = 0
        self.n_double = 0
        self.last_float = 0.0
        self.last_double = 0.0
        self.bad_dim = False
        self.unknown_rank = False


def _parse_dim(tensor: _Tensor, data: bytes, pos: int, end: int) -> None:
    size = 0
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            if wire != _WT_VARINT:
                raise _NotFastError
            size, pos = _varint(data, pos, end)
        elif field == 2:
            pos = _string(data, pos, end, wire)[1]
        else:
            pos = _skip(data, pos, end, wire)
    if size != 1:
        tensor.bad_dim = True


def _parse_shape(tensor: _Tensor, data: bytes, pos: int, end: int) -> None:
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 2:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _parse_dim(tensor, data, body, pos)
        elif field == 3:
            if wire != _WT_VARINT:
                raise _NotFastError
            flag, pos = _varint(data, pos, end)
            tensor.unknown_rank = flag != 0
        else:
            pos = _skip(data, pos, end, wire)


def _parse_tensor(tensor: _Tensor, data: bytes, pos: int, end: int) -> None:
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            if wire != _WT_VARINT:
                raise _NotFastError
            tensor.dtype, pos = _varint(data, pos, end)
        elif field == 2:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _parse_shape(tensor, data, body, pos)
        elif field == 3:
            if wire != _WT_VARINT:
                raise _NotFastError
            pos = _varint(data, pos, end)[1]
        elif field == 4:
            if wire != _WT_LEN:
                raise _NotFastError
            tensor.content = _length(data, pos, end)
            pos = tensor.content[1]
        elif field == 5:
            if wire == _WT_LEN:
                body, pos = _length(data, pos, end)
                if (pos - body) % 4:
                    raise _NotFastError
                if pos > body:
                    tensor.n_float += (pos - body) // 4
                    tensor.last_float = _F32.unpack_from(data, pos - 4)[0]
            elif wire == _WT_I32 and end - pos >= 4:
                tensor.n_float += 1
                tensor.last_float = _F32.unpack_from(data, pos)[0]
                pos += 4
            else:
                raise _NotFastError
        elif field == 6:
            if wire == _WT_LEN:
                body, pos = _length(data, pos, end)
                if (pos - body) % 8:
                    raise _NotFastError
                if pos > body:
                    tensor.n_double += (pos - body) // 8
                    tensor.last_double = _F64.unpack_from(data, pos - 8)[0]
            elif wire == _WT_I64 and end - pos >= 8:
                tensor.n_double += 1
                tensor.last_double = _F64.unpack_from(data, pos)[0]
                pos += 8
            else:
                raise _NotFastError
        elif field <= 18:
            raise _NotFastError
        else:
            pos = _skip(data, pos, end, wire)


def _tensor_value(tensor: _Tensor, data: bytes) -> float:
    if tensor.bad_dim or tensor.unknown_rank:
        raise _NotFastError
    dtype = tensor.dtype & 0xFFFFFFFF
    start, stop = tensor.content
    if dtype == _DT_FLOAT:
        if stop > start:
            if stop - start != 4 or tensor.n_float or tensor.n_double:
                raise _NotFastError
            return float(_F32.unpack_from(data, start)[0])
        if tensor.n_float != 1 or tensor.n_double:
            raise _NotFastError
        return tensor.last_float
    if dtype == _DT_DOUBLE:
        if stop > start:
            if stop - start != 8 or tensor.n_float or tensor.n_double:
                raise _NotFastError
            return float(_F64.unpack_from(data, start)[0])
        if tensor.n_double != 1 or tensor.n_float:
            raise _NotFastError
        return tensor.last_double
    raise _NotFastError


# ---------------------------------------------------------------------------- Event / Summary


def _parse_value(
    data: bytes, pos: int, end: int, tags: dict[bytes, int], points: list[tuple[int, float]]
) -> None:
    tag = (0, 0)
    node_name = (0, 0)
    kind = _KIND_NONE
    simple = 0.0
    tensor = _Tensor()
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            tag = _string(data, pos, end, wire)
            pos = tag[1]
        elif field == 7:
            node_name = _string(data, pos, end, wire)
            pos = node_name[1]
        elif field == 2:
            if wire != _WT_I32 or end - pos < 4 or kind == _KIND_TENSOR:
                raise _NotFastError
            simple = _F32.unpack_from(data, pos)[0]
            pos += 4
            kind = _KIND_SIMPLE
        elif field == 8:
            if wire != _WT_LEN or kind == _KIND_SIMPLE:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _parse_tensor(tensor, data, body, pos)
            kind = _KIND_TENSOR
        elif field == 9:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _check_summary_metadata(data, body, pos)
        elif 3 <= field <= 6:
            raise _NotFastError
        else:
            pos = _skip(data, pos, end, wire)
    if kind == _KIND_SIMPLE:
        value = simple
    elif kind == _KIND_TENSOR:
        value = _tensor_value(tensor, data)
    else:
        raise _NotFastError
    if tag[1] == tag[0]:
        tag = node_name
    series = tags.get(data[tag[0] : tag[1]])
    if series is None:
        raise _NotFastError
    points.append((series, value))


def _parse_summary(
    data: bytes, pos: int, end: int, tags: dict[bytes, int], points: list[tuple[int, float]]
) -> None:
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _parse_value(data, body, pos, tags, points)
        else:
            pos = _skip(data, pos, end, wire)


def _parse_event(data: bytes, tags: dict[bytes, int]) -> tuple[int, float, list[tuple[int, float]]]:
    """(step, wall_time, [(series, value)]) of an Event of plain scalars of known tags."""
    pos = 0
    end = len(data)
    step = 0
    wall_time = 0.0
    has_summary = False
    points: list[tuple[int, float]] = []
    while pos < end:
        field, wire, pos = _key(data, pos, end)
        if field == 1:
            if wire != _WT_I64 or end - pos < 8:
                raise _NotFastError
            wall_time = _F64.unpack_from(data, pos)[0]
            pos += 8
        elif field == 2:
            if wire != _WT_VARINT:
                raise _NotFastError
            step, pos = _varint(data, pos, end)
            if step >= 1 << 63:
                step -= 1 << 64
        elif field == 5:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _parse_summary(data, body, pos, tags, points)
            has_summary = True
        elif field == 10:
            if wire != _WT_LEN:
                raise _NotFastError
            body, pos = _length(data, pos, end)
            _check_source_metadata(data, body, pos)
        elif 3 <= field <= 9:
            raise _NotFastError
        else:
            pos = _skip(data, pos, end, wire)
    if not has_summary or not points:
        raise _NotFastError
    return step, wall_time, points


# ------------------------------------------------------------------------------- record loop


def _snapshot(scalar_tags: Mapping[bytes, int]) -> dict[bytes, int]:
    """Copy and check ``scalar_tags`` as the C code does before it releases the GIL."""
    table: dict[bytes, int] = {}
    for key, value in scalar_tags.items():
        if not isinstance(key, bytes):
            raise TypeError(f"scalar_tags keys must be bytes, not {type(key).__name__}")
        if not isinstance(value, int):
            raise TypeError(f"scalar_tags values must be int, not {type(value).__name__}")
        if not -(1 << 31) <= value < 1 << 31:
            raise OverflowError("series ids must fit in int32")
        table[key] = int(value)
    return table


def scan(
    buffer: Buffer,
    start: int,
    end: int,
    base_offset: int,
    scalar_tags: Mapping[bytes, int],
    max_points: int,
) -> RawScan:
    """Scan the records of ``buffer[start:end]``; see ``_scan.c``'s ``scan``."""
    with memoryview(buffer) as raw, raw.cast("B") as view:
        if not 0 <= start <= end <= view.nbytes:
            raise ValueError(
                f"need 0 <= start <= end <= {view.nbytes}, got start={start} end={end}"
            )
        if base_offset < 0:
            raise ValueError("base_offset must be >= 0")
        if max_points < 1:
            raise ValueError("max_points must be >= 1")
        return _scan_view(view, start, end, base_offset, _snapshot(scalar_tags), max_points)


def _scan_view(
    view: memoryview,
    start: int,
    end: int,
    base_offset: int,
    tags: dict[bytes, int],
    max_points: int,
) -> RawScan:
    capacity = min((end - start) // MIN_POINT_BYTES + 1, max_points)
    series, value_index = array("i"), array("i")
    steps, offsets = array("q"), array("q")
    wall_times, values = array("d"), array("d")
    corruptions: list[tuple[int, int]] = []
    residual_offset: int | None = None
    residual_payload: bytes | None = None
    framing_offset: int | None = None
    records = 0
    rows = 0
    pos = start
    while True:
        available = end - pos
        if available == 0:
            reason = REASON_END
            break
        if available < HEADER_SIZE:
            reason = REASON_INCOMPLETE
            break
        length, length_crc = _HEADER.unpack_from(view, pos)
        if _masked_crc32c(view[pos : pos + 8]) != length_crc:
            framing_offset = base_offset + pos
            reason = REASON_FRAMING
            break
        if available < HEADER_SIZE + FOOTER_SIZE or length > available - HEADER_SIZE - FOOTER_SIZE:
            reason = REASON_INCOMPLETE
            break
        body = pos + HEADER_SIZE
        following = body + length + FOOTER_SIZE
        payload = view[body : body + length].tobytes()
        if _masked_crc32c(payload) != _U32.unpack_from(view, body + length)[0]:
            corruptions.append((base_offset + pos, length))
            records += 1
            pos = following
            continue
        try:
            step, wall_time, points = _parse_event(payload, tags)
        except _NotFastError:
            pass
        else:
            total = rows + len(points)
            if total <= max_points and total <= capacity:
                offset = base_offset + pos
                for index, (tag_series, value) in enumerate(points):
                    series.append(tag_series)
                    values.append(value)
                    value_index.append(index)
                    steps.append(step)
                    wall_times.append(wall_time)
                    offsets.append(offset)
                rows = total
                records += 1
                pos = following
                continue
            if rows > 0:
                reason = REASON_LIMIT
                break
        residual_offset = base_offset + pos
        residual_payload = payload
        records += 1
        reason = REASON_RESIDUAL
        pos = following
        break
    return (
        bytearray(series),
        bytearray(steps),
        bytearray(wall_times),
        bytearray(values),
        bytearray(offsets),
        bytearray(value_index),
        pos,
        reason,
        residual_offset,
        residual_payload,
        corruptions,
        records,
        framing_offset,
    )
