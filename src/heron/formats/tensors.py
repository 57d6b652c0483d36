"""TensorProto ⇄ numpy, with TensorBoard's (and TensorFlow's) decoding rules.

A non-empty ``tensor_content`` is a raw little-endian, row-major buffer;
otherwise the typed repeated field of the dtype holds the values. A typed field
shorter than the shape is padded with its last value (so one value
broadcasts), and an empty one means all zeros: TensorFlow compresses constant
tensors that way. DT_STRING always uses ``string_val``; DT_HALF and DT_BFLOAT16
keep 16-bit patterns in ``half_val``.

numpy is imported on first use only, so that ``import heron`` stays light;
``scalar_value`` decodes the common scalar encodings without it, because ingest
calls it once per scalar point.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from heron.errors import FormatError
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import (
    DT_BFLOAT16,
    DT_BOOL,
    DT_COMPLEX64,
    DT_COMPLEX128,
    DT_DOUBLE,
    DT_FLOAT,
    DT_HALF,
    DT_INT8,
    DT_INT16,
    DT_INT32,
    DT_INT64,
    DT_QINT8,
    DT_QINT16,
    DT_QINT32,
    DT_QUINT8,
    DT_QUINT16,
    DT_STRING,
    DT_UINT8,
    DT_UINT16,
    DT_UINT32,
    DT_UINT64,
    DataType,
)

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "float_scalar_tensor",
    "make_ndarray",
    "make_tensor_proto",
    "scalar_value",
    "string_tensor",
    "tensor_shape",
]

# The hot helpers compare against these module-level ints: attribute access on
# the ``DataType`` enum wrapper costs about a microsecond per lookup.

# dtype -> (numpy dtype of one element in tensor_content, typed repeated field).
# Integer types narrower than 32 bits travel widened in ``int_val``.
_LAYOUT: Final[dict[int, tuple[str, str]]] = {
    DT_FLOAT: ("<f4", "float_val"),
    DT_DOUBLE: ("<f8", "double_val"),
    DT_INT32: ("<i4", "int_val"),
    DT_UINT8: ("u1", "int_val"),
    DT_INT16: ("<i2", "int_val"),
    DT_INT8: ("i1", "int_val"),
    DT_UINT16: ("<u2", "int_val"),
    DT_QINT8: ("i1", "int_val"),
    DT_QUINT8: ("u1", "int_val"),
    DT_QINT16: ("<i2", "int_val"),
    DT_QUINT16: ("<u2", "int_val"),
    DT_QINT32: ("<i4", "int_val"),
    DT_INT64: ("<i8", "int64_val"),
    DT_UINT32: ("<u4", "uint32_val"),
    DT_UINT64: ("<u8", "uint64_val"),
    DT_BOOL: ("?", "bool_val"),
    DT_HALF: ("<f2", "half_val"),
    DT_BFLOAT16: ("<u2", "half_val"),
    DT_COMPLEX64: ("<c8", "scomplex_val"),
    DT_COMPLEX128: ("<c16", "dcomplex_val"),
}
_COMPLEX: Final = frozenset({DT_COMPLEX64, DT_COMPLEX128})

# Scalars ``scalar_value`` decodes without numpy: dtype -> (typed field, struct of
# one element in tensor_content).
_SCALAR_FAST: Final[dict[int, tuple[str, struct.Struct]]] = {
    DT_FLOAT: ("float_val", struct.Struct("<f")),
    DT_DOUBLE: ("double_val", struct.Struct("<d")),
    DT_INT32: ("int_val", struct.Struct("<i")),
    DT_INT64: ("int64_val", struct.Struct("<q")),
}

_FROM_NUMPY: Final[dict[str, int]] = {
    "float32": DT_FLOAT,
    "float64": DT_DOUBLE,
    "float16": DT_HALF,
    "int32": DT_INT32,
    "int64": DT_INT64,
    "int16": DT_INT16,
    "int8": DT_INT8,
    "uint8": DT_UINT8,
    "uint16": DT_UINT16,
    "uint32": DT_UINT32,
    "uint64": DT_UINT64,
    "bool": DT_BOOL,
    "complex64": DT_COMPLEX64,
    "complex128": DT_COMPLEX128,
}


def tensor_shape(tensor: TensorProto) -> tuple[int, ...]:
    """The shape of ``tensor`` (``()`` for a scalar)."""
    return tuple(dim.size for dim in tensor.tensor_shape.dim)


def float_scalar_tensor(value: float) -> TensorProto:
    """A rank-0 DT_FLOAT tensor: what a scalar summary holds."""
    tensor = TensorProto(dtype=DT_FLOAT)
    tensor.float_val.append(value)
    return tensor


def string_tensor(values: Sequence[bytes], shape: Sequence[int] | None = None) -> TensorProto:
    """A DT_STRING tensor (rank 1 unless ``shape`` says otherwise)."""
    tensor = TensorProto(dtype=DT_STRING)
    tensor.string_val.extend(values)
    for size in (len(values),) if shape is None else shape:
        tensor.tensor_shape.dim.add(size=size)
    return tensor


def scalar_value(tensor: TensorProto) -> float:
    """The single number in a one-element numeric tensor, as a Python float.

    Rank-0 DT_FLOAT / DT_DOUBLE / DT_INT32 / DT_INT64 tensors (what scalar
    summaries hold) are decoded without numpy. Raises ``FormatError`` for
    tensors with other than one element, strings, complex numbers and dtypes
    ``make_ndarray`` cannot decode.
    """
    dims = tensor.tensor_shape.dim
    if dims and any(dim.size != 1 for dim in dims):
        raise FormatError(f"not a scalar tensor: shape {list(tensor_shape(tensor))}")
    dtype = tensor.dtype
    fast = _SCALAR_FAST.get(dtype)
    if fast is not None:
        field, element = fast
        content = tensor.tensor_content
        if not content:
            values = getattr(tensor, field)
            if len(values) == 1:
                return float(values[0])
        elif len(content) == element.size:
            return float(element.unpack(content)[0])
    elif dtype == DT_STRING:
        raise FormatError("not a numeric tensor: DT_STRING")
    elif dtype in _COMPLEX:
        raise FormatError(f"not a real number: {_dtype_name(dtype)}")
    # Rare encodings (other dtypes, padding rules, malformed sizes) take the full path.
    return float(make_ndarray(tensor).reshape(()).item())


def make_ndarray(tensor: TensorProto) -> npt.NDArray[Any]:
    """Decode ``tensor`` into a new, writable numpy array of its shape.

    DT_STRING becomes an object array of ``bytes``; DT_BFLOAT16 is widened to
    float32 (numpy has no bfloat16). Typed-field integers outside the dtype's
    range keep their low bits, as TensorFlow's C++ decoder does. Raises
    ``FormatError`` for dtypes Heron cannot decode, for an unknown dimension,
    and for more values (or a ``tensor_content`` of another size) than the
    shape holds.
    """
    import numpy as np

    shape = tensor_shape(tensor)
    if any(size < 0 for size in shape):
        raise FormatError(f"tensor has an unknown dimension: {list(shape)}")
    count = math.prod(shape)
    dtype = tensor.dtype
    if dtype == DT_STRING:
        strings = np.empty(len(tensor.string_val), dtype=object)
        strings[:] = list(tensor.string_val)
        return _fill(strings, count, shape, b"")
    layout = _LAYOUT.get(dtype)
    if layout is None:
        raise FormatError(f"cannot decode tensors of dtype {_dtype_name(dtype)}")
    np_dtype, field = layout
    if tensor.tensor_content:
        content = tensor.tensor_content
        itemsize = np.dtype(np_dtype).itemsize
        if len(content) != count * itemsize:
            raise FormatError(
                f"tensor_content holds {len(content)} bytes of {_dtype_name(dtype)}, "
                f"shape {list(shape)} needs {count * itemsize}"
            )
        array = np.frombuffer(content, dtype=np_dtype).reshape(shape).copy()
    elif dtype in _COMPLEX:
        parts = np.array(getattr(tensor, field), dtype=np.float64)
        if parts.size % 2:
            raise FormatError(f"{field} holds {parts.size} numbers, not (real, imaginary) pairs")
        values = (parts[0::2] + 1j * parts[1::2]).astype(np_dtype)
        array = _fill(values, count, shape, 0)
    elif field in ("int_val", "half_val"):
        # int32 on the wire: keep the low bits of each, like a C cast.
        wide = np.array(getattr(tensor, field), dtype=np.int64)
        narrow = wide.astype("<u2" if field == "half_val" else np_dtype)
        if dtype == DT_HALF:
            narrow = narrow.view(np.float16)
        array = _fill(narrow, count, shape, 0)
    else:
        array = _fill(np.array(getattr(tensor, field), dtype=np_dtype), count, shape, 0)
    if dtype == DT_BFLOAT16:
        # bfloat16 is the high half of a float32.
        array = (array.astype(np.uint32) << 16).view(np.float32)
    return array


def make_tensor_proto(values: Any, dtype: str | None = None) -> TensorProto:
    """Encode an array-like (numbers, bools, or ``bytes``/``str`` for DT_STRING) as a TensorProto.

    Numeric arrays go into ``tensor_content`` (compact and fast to decode).
    ``str`` items are encoded as UTF-8. ``bytes`` items are kept exactly, even
    trailing NUL bytes, which numpy's fixed-width ``S`` dtype would strip.
    Raises ``FormatError`` for numpy dtypes with no TensorFlow equivalent and
    for object arrays holding anything but ``bytes`` and ``str``.
    """
    import numpy as np

    array = np.asarray(values, dtype=dtype)
    if array.dtype.kind in "SU" and not isinstance(values, np.ndarray):
        # Fixed-width string dtypes drop trailing NULs: rebuild from the originals.
        array = np.array(values, dtype=object)
    tensor = TensorProto()
    for size in array.shape:
        tensor.tensor_shape.dim.add(size=size)
    if array.dtype.kind in "SUO":
        tensor.dtype = DT_STRING
        tensor.string_val.extend(_as_bytes(item) for item in array.reshape(-1).tolist())
        return tensor
    code = _FROM_NUMPY.get(array.dtype.name)
    if code is None:
        raise FormatError(f"cannot encode numpy dtype {array.dtype} as a tensor")
    tensor.dtype = code  # type: ignore[assignment]
    little_endian = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    tensor.tensor_content = little_endian.tobytes()
    return tensor


def _as_bytes(item: object) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode("utf-8")
    if isinstance(item, bytearray | memoryview):
        return bytes(item)
    raise FormatError(f"a string tensor holds bytes or str, not {type(item).__name__}")


def _fill(values: Any, count: int, shape: tuple[int, ...], zero: object) -> npt.NDArray[Any]:
    """Reshape typed-field values to ``shape`` as TensorFlow does.

    Fewer values than the shape holds are padded with the last one (so a
    single value broadcasts); no values at all mean ``zero`` everywhere.
    """
    import numpy as np

    size = values.size
    if size == count:
        return values.reshape(shape)  # type: ignore[no-any-return]
    if size == 0:
        return np.full(shape, zero, dtype=values.dtype)
    if size == 1:
        return np.full(shape, values[0], dtype=values.dtype)
    if size > count:
        raise FormatError(f"tensor has {size} values, shape {list(shape)} holds {count}")
    padded = np.concatenate([values, np.full(count - size, values[-1], dtype=values.dtype)])
    return padded.reshape(shape)


def _dtype_name(code: int) -> str:
    try:
        return DataType.Name(code)  # type: ignore[arg-type]
    except ValueError:
        return f"DataType({code})"
