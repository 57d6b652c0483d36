"""Tensors as (dtype, shape, bytes): how tensor points are kept in a store.

Numeric arrays are stored as their raw little-endian bytes with a numpy dtype
string (``"<f4"``). String tensors (object arrays of ``bytes``, as
``TensorPoint`` holds them) use dtype ``"bytes"`` and a simple length-prefixed
layout: ``count`` little-endian uint32 lengths, then the elements back to
back. Shapes are stored as a comma-separated list (``""`` for a scalar), so
the encoding is readable with any SQL client.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from heron.errors import FormatError

__all__ = ["STRING_DTYPE", "decode_tensor", "encode_tensor"]

STRING_DTYPE: Final = "bytes"
_LENGTH = np.dtype("<u4")


def encode_tensor(value: npt.NDArray[Any]) -> tuple[str, str, bytes]:
    """``(dtype, shape, data)`` of ``value``."""
    shape = ",".join(str(size) for size in value.shape)
    if value.dtype == object or value.dtype.kind in "SU":
        items = [_as_bytes(item) for item in value.reshape(-1).tolist()]
        lengths = np.array([len(item) for item in items], dtype=_LENGTH)
        return STRING_DTYPE, shape, lengths.tobytes() + b"".join(items)
    little = value.astype(value.dtype.newbyteorder("<"), copy=False)
    return little.dtype.str, shape, np.ascontiguousarray(little).tobytes()


def decode_tensor(dtype: str, shape: str, data: bytes) -> npt.NDArray[Any]:
    """The read-only array ``encode_tensor`` encoded."""
    dims = tuple(int(size) for size in shape.split(",")) if shape else ()
    count = int(np.prod(dims, dtype=np.int64))
    if dtype == STRING_DTYPE:
        lengths = np.frombuffer(data, dtype=_LENGTH, count=count)
        ends = np.cumsum(lengths, dtype=np.int64) + lengths.nbytes
        starts = ends - lengths
        if count and int(ends[-1]) != len(data):
            raise FormatError("string tensor lengths do not match its data")
        array = np.empty(count, dtype=object)
        array[:] = [data[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
        array = array.reshape(dims)
    else:
        array = np.frombuffer(data, dtype=np.dtype(dtype), count=count).reshape(dims)
    array.flags.writeable = False
    return array


def _as_bytes(item: object) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode()
    raise FormatError(f"a string tensor holds a {type(item).__name__}, not bytes")
