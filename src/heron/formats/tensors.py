"""TensorProto ⇄ numpy, with TensorBoard's decoding rules.

A non-empty ``tensor_content`` is a raw little-endian, row-major buffer;
otherwise the typed repeated field of the dtype holds the values, and a field
shorter than the shape is padded with its last value (one value broadcasts).
DT_STRING always uses ``string_val``. numpy is imported on first use only, so
that ``import heron`` stays light; scalar and string helpers need no numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from heron.errors import FormatError
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DataType

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "float_scalar_tensor",
    "make_ndarray",
    "make_tensor_proto",
    "scalar_value",
    "string_tensor",
    "tensor_shape",
]

# dtype -> (numpy dtype name for tensor_content, typed repeated field)
_LAYOUT: dict[int, tuple[str, str]] = {
    DataType.DT_FLOAT: ("<f4", "float_val"),
    DataType.DT_DOUBLE: ("<f8", "double_val"),
    DataType.DT_INT32: ("<i4", "int_val"),
    DataType.DT_UINT8: ("u1", "int_val"),
    DataType.DT_INT16: ("<i2", "int_val"),
    DataType.DT_INT8: ("i1", "int_val"),
    DataType.DT_UINT16: ("<u2", "int_val"),
    DataType.DT_INT64: ("<i8", "int64_val"),
    DataType.DT_UINT32: ("<u4", "uint32_val"),
    DataType.DT_UINT64: ("<u8", "uint64_val"),
    DataType.DT_BOOL: ("?", "bool_val"),
    DataType.DT_HALF: ("<f2", "half_val"),
    DataType.DT_BFLOAT16: ("<u2", "half_val"),
    DataType.DT_COMPLEX64: ("<c8", "scomplex_val"),
    DataType.DT_COMPLEX128: ("<c16", "dcomplex_val"),
}

_FROM_NUMPY: dict[str, int] = {
    "float32": DataType.DT_FLOAT,
    "float64": DataType.DT_DOUBLE,
    "float16": DataType.DT_HALF,
    "int32": DataType.DT_INT32,
    "int64": DataType.DT_INT64,
    "int16": DataType.DT_INT16,
    "int8": DataType.DT_INT8,
    "uint8": DataType.DT_UINT8,
    "uint16": DataType.DT_UINT16,
    "uint32": DataType.DT_UINT32,
    "uint64": DataType.DT_UINT64,
    "bool": DataType.DT_BOOL,
    "complex64": DataType.DT_COMPLEX64,
    "complex128": DataType.DT_COMPLEX128,
}


def tensor_shape(tensor: TensorProto) -> tuple[int, ...]:
    """The shape of ``tensor`` (``()`` for a scalar)."""
    return tuple(dim.size for dim in tensor.tensor_shape.dim)


def float_scalar_tensor(value: float) -> TensorProto:
    """A rank-0 DT_FLOAT tensor: what a scalar summary holds."""
    tensor = TensorProto(dtype=DataType.DT_FLOAT)
    tensor.float_val.append(value)
    return tensor


def string_tensor(values: Sequence[bytes], shape: Sequence[int] | None = None) -> TensorProto:
    """A DT_STRING tensor (rank 1 unless ``shape`` says otherwise)."""
    tensor = TensorProto(dtype=DataType.DT_STRING)
    tensor.string_val.extend(values)
    for size in (len(values),) if shape is None else shape:
        tensor.tensor_shape.dim.add(size=size)
    return tensor


def scalar_value(tensor: TensorProto) -> float:
    """The single number in a one-element numeric tensor, without numpy when possible.

    Raises ``FormatError`` for strings or tensors with more than one element.
    """
    if math.prod(tensor_shape(tensor)) != 1:
        raise FormatError(f"not a scalar tensor: shape {list(tensor_shape(tensor))}")
    if not tensor.tensor_content:
        if tensor.dtype == DataType.DT_FLOAT and tensor.float_val:
            return float(tensor.float_val[0])
        if tensor.dtype == DataType.DT_DOUBLE and tensor.double_val:
            return float(tensor.double_val[0])
    if tensor.dtype == DataType.DT_STRING:
        raise FormatError("not a numeric tensor: DT_STRING")
    return float(make_ndarray(tensor).reshape(()).item())


def make_ndarray(tensor: TensorProto) -> npt.NDArray[Any]:
    """Decode ``tensor`` into a numpy array of its shape.

    DT_STRING becomes an object array of ``bytes``; DT_BFLOAT16 is widened to
    float32 (numpy has no bfloat16). Raises ``FormatError`` for dtypes Heron
    cannot decode and for buffers whose size does not match the shape.
    """
    import numpy as np

    shape = tensor_shape(tensor)
    count = math.prod(shape)
    if any(size < 0 for size in shape):
        raise FormatError(f"tensor has an unknown dimension: {list(shape)}")
    if tensor.dtype == DataType.DT_STRING:
        return _fill(np.array(list(tensor.string_val), dtype=object), count, shape, np)
    layout = _LAYOUT.get(tensor.dtype)
    if layout is None:
        raise FormatError(f"cannot decode tensors of dtype {_dtype_name(tensor.dtype)}")
    np_dtype, field = layout
    if tensor.tensor_content:
        raw = np.frombuffer(tensor.tensor_content, dtype=np_dtype)
        if raw.size != count:
            raise FormatError(
                f"tensor_content holds {raw.size} values of {_dtype_name(tensor.dtype)}, "
                f"shape {list(shape)} needs {count}"
            )
        array = raw.reshape(shape).copy()
    elif tensor.dtype in (DataType.DT_COMPLEX64, DataType.DT_COMPLEX128):
        pairs = np.array(getattr(tensor, field), dtype=np.float64).reshape(-1, 2)
        values = pairs[:, 0] + 1j * pairs[:, 1]
        array = _fill(values.astype(np_dtype), count, shape, np)
    elif tensor.dtype == DataType.DT_HALF:
        bits = np.array(tensor.half_val, dtype=np.uint16)
        array = _fill(bits.view(np.float16), count, shape, np)
    else:
        array = _fill(np.array(getattr(tensor, field), dtype=np_dtype), count, shape, np)
    if tensor.dtype == DataType.DT_BFLOAT16:
        array = (array.astype(np.uint32) << 16).view(np.float32)
    return array


def make_tensor_proto(values: Any, dtype: str | None = None) -> TensorProto:
    """Encode an array-like (numbers, bools, or ``bytes``/``str`` for DT_STRING) as a TensorProto.

    Numeric arrays go into ``tensor_content`` (compact and fast to decode).
    """
    import numpy as np

    array = np.asarray(values, dtype=dtype)
    tensor = TensorProto()
    for size in array.shape:
        tensor.tensor_shape.dim.add(size=size)
    if array.dtype.kind in "SUO":
        tensor.dtype = DataType.DT_STRING
        tensor.string_val.extend(
            item.encode("utf-8") if isinstance(item, str) else bytes(item)
            for item in array.reshape(-1).tolist()
        )
        return tensor
    code = _FROM_NUMPY.get(array.dtype.name)
    if code is None:
        raise FormatError(f"cannot encode numpy dtype {array.dtype} as a tensor")
    tensor.dtype = code  # type: ignore[assignment]
    tensor.tensor_content = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return tensor


def _fill(values: Any, count: int, shape: tuple[int, ...], np: Any) -> npt.NDArray[Any]:
    """Reshape typed-field values to ``shape``, padding with the last value as TF does."""
    if values.size == count:
        return values.reshape(shape)  # type: ignore[no-any-return]
    if values.size == 0:
        if count == 0:
            return values.reshape(shape)  # type: ignore[no-any-return]
        raise FormatError(f"tensor has no values for shape {list(shape)}")
    if values.size > count:
        raise FormatError(f"tensor has {values.size} values, shape {list(shape)} holds {count}")
    padded = np.concatenate([values, np.repeat(values[-1:], count - values.size)])
    return padded.reshape(shape)  # type: ignore[no-any-return]


def _dtype_name(code: int) -> str:
    try:
        return DataType.Name(code)  # type: ignore[arg-type]
    except ValueError:
        return f"DataType({code})"
