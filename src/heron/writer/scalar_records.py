"""Scalar events as framed TFRecord bytes, built without protobuf: the writer's hot path.

Most of what a training loop logs is ``add_scalar``: one legacy Event per call,

    Event { wall_time (1): double, step (2): int64,
            summary (5): Summary { value (1): Value { tag (1): string, simple_value (2): float } } }

Protobuf writes fields in number order, and everything but the wall time, the
step and the value is fixed per tag, so a record is a few byte strings glued
together: ``09 <wall f64>``, ``10 <step varint>`` (absent for step 0, as
protobuf omits defaults), a per-tag *head* (``2a <len> 0a <len> 0a <len> <tag> 15``)
and ``<value f32>``. ``tests/unit/writer/test_scalar_records.py`` checks the
result byte for byte against protobuf plus ``heron.formats.tfrecord.encode_record``.

Two encoders give the same bytes. Small batches use plain Python, so a script
that logs a few scalars never imports numpy. Large batches use numpy, which
releases the GIL on big arrays so encoding overlaps the training thread; the
payload CRC is computed with the linearity of CRC-32C: for a payload ``M`` of
length ``L``, ``crc(M) = crc(0^L) xor (xor over bytes p of Z[L-1-p][M[p]])``,
where ``Z[d][b]`` is the CRC register after byte ``b`` followed by ``d`` zero
bytes, starting from zero. Only the bytes that vary per event need a lookup;
each tag's head contributes a constant.
"""

from __future__ import annotations

import math
import os
import struct
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from heron.formats.tfrecord import crc32c

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["ITEM", "encode_scalar_records", "scalar_head"]

#: What ``add_scalar`` queues: ``(head index, value, step, wall_time)`` packed in 32 bytes,
#: so that a batch is one ``bytes`` join away from a numpy record array.
ITEM: Final = struct.Struct("<qdqd")

#: From this many events on, numpy encodes the batch.
NUMPY_BATCH: Final = 256

_MASK_DELTA: Final = 0xA282EAD8
_WALL: Final = struct.Struct("<Bd").pack  # the wall_time key (0x09) and the double
_FLOAT: Final = struct.Struct("<f").pack
_U32: Final = struct.Struct("<I").pack
_U64: Final = struct.Struct("<Q").pack


def _varint(value: int) -> bytes:
    """Protobuf base-128 varint; negative int64 values use their 64-bit two's complement."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _mask(crc: int) -> int:
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def scalar_head(tag: str) -> bytes:
    """The bytes of an event from the ``summary`` key up to (and with) the ``simple_value`` key.

    Raises ``TypeError`` for a tag that is not a ``str`` and ``ValueError`` for
    one that is not valid Unicode (lone surrogates), as protobuf would.
    """
    if not isinstance(tag, str):
        raise TypeError(f"tag must be a str, got {type(tag).__name__}")
    try:
        name = tag.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"tag is not valid Unicode: {tag!r}") from error
    # proto3 omits an empty string, so an empty tag leaves only the value's key.
    value = (b"\x0a" + _varint(len(name)) + name if name else b"") + b"\x15"
    value_length = len(value) + 4
    summary = b"\x0a" + _varint(value_length) + value
    return b"\x2a" + _varint(len(summary) + 4) + summary


def _step_bytes(step: int) -> bytes:
    if step == 0:
        return b""
    if 0 < step < 0x80:
        return bytes((0x10, step))
    if 0 < step < 0x4000:
        return bytes((0x10, (step & 0x7F) | 0x80, step >> 7))
    return b"\x10" + _varint(step)


def _float32(value: float) -> bytes:
    try:
        return _FLOAT(value)
    except OverflowError:
        # Beyond float32's range: protobuf stores what a C cast gives, an infinity.
        return _FLOAT(math.copysign(math.inf, value))


def encode_scalar_records(heads: Sequence[bytes], items: bytes) -> bytes:
    """The framed records of ``ITEM``-packed ``items``, in order; ``heads[i]`` is tag i's head."""
    if len(items) >= NUMPY_BATCH * ITEM.size:
        return _NumpyEncoder.instance().encode(heads, items)
    return _encode_python(heads, items)


def _encode_python(heads: Sequence[bytes], items: bytes) -> bytes:
    out: list[bytes] = []
    append = out.append
    join = b"".join
    raw_crc = crc32c
    headers: dict[int, bytes] = {}
    for head_index, value, step, wall in ITEM.iter_unpack(items):
        payload = join((_WALL(9, wall), _step_bytes(step), heads[head_index], _float32(value)))
        length = len(payload)
        header = headers.get(length)
        if header is None:
            packed = _U64(length)
            header = headers[length] = packed + _U32(_mask(raw_crc(packed)))
        append(header)
        append(payload)
        append(_U32(_mask(raw_crc(payload))))
    return join(out)


class _NumpyEncoder:
    """The vectorised encoder; its CRC tables grow as longer payloads appear."""

    _instance: _NumpyEncoder | None = None
    _instance_lock = threading.Lock()

    @classmethod
    def instance(cls) -> _NumpyEncoder:
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        byte_table = np.arange(256, dtype=np.uint32)
        for _ in range(8):
            byte_table = np.where(
                byte_table & 1, (byte_table >> 1) ^ np.uint32(0x82F63B78), byte_table >> 1
            ).astype(np.uint32)
        self._byte_table = byte_table
        # _zeros[d, b]: register after byte b then d zero bytes, from a zero register.
        self._zeros = byte_table[None, :].copy()
        self._lock = threading.Lock()
        self._head_cache: dict[bytes, int] = {}
        self._item_dtype = np.dtype(
            [("index", "<i8"), ("value", "<f8"), ("step", "<i8"), ("wall", "<f8")]
        )

    def _zero_table(self, depth: int) -> npt.NDArray[np.uint32]:
        np = self._np
        with self._lock:
            table = self._zeros
            if table.shape[0] < depth:
                rows = [table]
                last = table[-1]
                for _ in range(depth - table.shape[0]):
                    last = self._byte_table[last & 0xFF] ^ (last >> 8)
                    rows.append(last[None, :])
                table = self._zeros = np.concatenate(rows)
            return table

    def _head_crc(self, head: bytes, zeros: npt.NDArray[np.uint32]) -> int:
        """The CRC contribution of a head that ends 4 bytes before the end of the payload."""
        cached = self._head_cache.get(head)
        if cached is None:
            np = self._np
            distances = 4 + len(head) - 1 - np.arange(len(head))
            contributions = zeros[distances, np.frombuffer(head, dtype=np.uint8)]
            cached = int(np.bitwise_xor.reduce(contributions)) if len(head) else 0
            self._head_cache[head] = cached
        return cached

    def encode(self, heads: Sequence[bytes], items: bytes) -> bytes:
        np = self._np
        records = np.frombuffer(items, dtype=self._item_dtype)
        count = len(records)
        ids = records["index"]
        used = np.unique(ids).tolist()
        head_lengths = np.zeros(len(heads), dtype=np.int64)
        for index in used:
            head_lengths[index] = len(heads[index])
        with np.errstate(over="ignore"):
            value_bytes = records["value"].astype("<f4").view(np.uint8).reshape(count, 4)
        steps = records["step"].view(np.uint64)
        wall_bytes = np.ascontiguousarray(records["wall"]).view(np.uint8).reshape(count, 8)

        # Varint of each step, k bytes (none for step 0, which protobuf omits); only as many
        # byte columns as the largest step needs.
        widest = len(_varint(int(steps.max()))) if steps.any() else 0
        shifts = np.arange(widest, dtype=np.uint64) * np.uint64(7)
        shifted = steps[:, None] >> shifts[None, :]
        more = shifted > np.uint64(0x7F)
        varint = ((shifted & np.uint64(0x7F)) | (more.astype(np.uint64) << np.uint64(7))).astype(
            np.uint8
        )
        varint_length = np.where(steps == 0, 0, 1 + more.sum(axis=1))
        step_part = np.where(varint_length > 0, varint_length + 1, 0)
        item_head_length = head_lengths[ids]
        payload_length = 9 + step_part + item_head_length + 4
        zeros = self._zero_table(int(payload_length.max()))
        flat_zeros = zeros.reshape(-1)

        # Payload CRC, by linearity: a constant per length and per tag, plus the varying bytes.
        lengths, length_index = np.unique(payload_length, return_inverse=True)
        base = np.array(
            [crc32c(bytes(int(n))) ^ int(zeros[int(n) - 1, 9]) for n in lengths], dtype=np.uint32
        )
        head_crc = np.zeros(len(heads), dtype=np.uint32)
        for index in used:
            head_crc[index] = self._head_crc(heads[index], zeros)
        crc = base[length_index] ^ head_crc[ids]
        wall_depth = payload_length[:, None] - 2 - np.arange(8)[None, :]
        crc ^= np.bitwise_xor.reduce(flat_zeros[wall_depth * 256 + wall_bytes], axis=1)
        has_step = step_part > 0
        crc ^= np.where(has_step, flat_zeros[np.maximum(payload_length - 10, 0) * 256 + 0x10], 0)
        if widest:
            varint_valid = np.arange(widest)[None, :] < varint_length[:, None]
            varint_depth = np.maximum(payload_length[:, None] - 11 - np.arange(widest), 0)
            varint_crc = np.where(varint_valid, flat_zeros[varint_depth * 256 + varint], 0)
            crc ^= np.bitwise_xor.reduce(varint_crc, axis=1).astype(np.uint32)
        for column in range(4):  # the value: its last byte is at depth 0
            crc ^= zeros[3 - column][value_bytes[:, column]]
        masked = ((crc >> np.uint32(15)) | (crc << np.uint32(17))) + np.uint32(_MASK_DELTA)
        crc_bytes = masked.astype("<u4").view(np.uint8).reshape(count, 4)

        # Length headers: few distinct lengths, so checksum each once.
        length_header = np.array([_header(int(n)) for n in lengths], dtype=np.uint8).reshape(
            len(lengths), 12
        )

        # One row per record, with every optional byte present; a mask drops the absent
        # ones unless every record has the same layout (one tag, one step width).
        max_head = int(item_head_length.max())
        head_matrix = np.zeros((len(heads), max_head), dtype=np.uint8)
        for index in used:
            head = heads[index]
            head_matrix[index, : len(head)] = np.frombuffer(head, dtype=np.uint8)
        key = 21
        head_at = key + 1 + widest
        value_at = head_at + max_head
        width = value_at + 8
        rows = np.empty((count, width), dtype=np.uint8)
        rows[:, 0:12] = length_header[length_index]
        rows[:, 12] = 9
        rows[:, 13:21] = wall_bytes
        rows[:, key] = 0x10
        rows[:, key + 1 : head_at] = varint
        rows[:, head_at:value_at] = head_matrix[ids] if len(used) > 1 else head_matrix[used[0]]
        rows[:, value_at : value_at + 4] = value_bytes
        rows[:, value_at + 4 :] = crc_bytes
        if len(used) == 1 and (varint_length == widest).all():
            if widest == 0:  # every step is 0: no step key either
                rows = np.delete(rows, key, axis=1)
            return bytes(rows.tobytes())
        keep = np.ones((count, width), dtype=bool)
        keep[:, key] = has_step
        keep[:, key + 1 : head_at] = varint_valid if widest else True
        keep[:, head_at:value_at] = np.arange(max_head)[None, :] < item_head_length[:, None]
        return bytes(rows[keep].tobytes())


def _reset_after_fork() -> None:
    """A fork() may have copied a held lock: the child starts with fresh ones."""
    _NumpyEncoder._instance_lock = threading.Lock()
    if _NumpyEncoder._instance is not None:
        _NumpyEncoder._instance._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _header(length: int) -> list[int]:
    packed = _U64(length)
    return list(packed + _U32(_mask(crc32c(packed))))
