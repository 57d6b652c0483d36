"""TensorProto decoding follows TensorBoard's and TensorFlow's rules; encoding round-trips."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from heron.errors import FormatError
from heron.formats.proto import types_pb2
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.tensors import (
    float_scalar_tensor,
    make_ndarray,
    make_tensor_proto,
    scalar_value,
    string_tensor,
    tensor_shape,
)


def proto(dtype: int, shape: tuple[int, ...] = (), **fields) -> TensorProto:
    tensor = TensorProto(dtype=dtype, **fields)
    for size in shape:
        tensor.tensor_shape.dim.add(size=size)
    return tensor


# --- shapes and small builders ---------------------------------------------------------------


def test_tensor_shape_is_a_tuple_and_empty_for_a_scalar():
    assert tensor_shape(proto(types_pb2.DT_FLOAT, (2, 3))) == (2, 3)
    assert tensor_shape(proto(types_pb2.DT_FLOAT)) == ()


def test_float_scalar_tensor_is_a_rank_0_float_with_one_float_val():
    tensor = float_scalar_tensor(1.5)
    assert tensor.dtype == types_pb2.DT_FLOAT
    assert list(tensor.float_val) == [1.5]
    assert tensor_shape(tensor) == ()


def test_string_tensor_is_rank_1_unless_given_a_shape():
    assert tensor_shape(string_tensor([b"a", b"b", b"c"])) == (3,)
    tensor = string_tensor([b"a", b"b", b"c", b"d"], shape=[2, 2])
    assert tensor_shape(tensor) == (2, 2)
    assert make_ndarray(tensor).tolist() == [[b"a", b"b"], [b"c", b"d"]]


# --- tensor_content versus typed fields ------------------------------------------------------


def test_tensor_content_is_a_little_endian_row_major_buffer():
    content = struct.pack("<6f", 0, 1, 2, 3, 4, 5)
    array = make_ndarray(proto(types_pb2.DT_FLOAT, (2, 3), tensor_content=content))
    assert array.dtype == np.float32
    assert array.tolist() == [[0, 1, 2], [3, 4, 5]]


def test_tensor_content_wins_over_a_typed_field():
    tensor = proto(types_pb2.DT_INT32, (2,), tensor_content=struct.pack("<2i", 7, 8))
    tensor.int_val.extend([1, 2])
    assert make_ndarray(tensor).tolist() == [7, 8]


def test_decoded_arrays_are_writable_copies():
    tensor = proto(types_pb2.DT_DOUBLE, (2,), tensor_content=struct.pack("<2d", 1, 2))
    array = make_ndarray(tensor)
    array[0] = 5
    assert make_ndarray(tensor).tolist() == [1, 2]


@pytest.mark.parametrize(
    ("dtype", "field", "values", "np_dtype"),
    [
        (types_pb2.DT_FLOAT, "float_val", [1.5, -2.0], np.float32),
        (types_pb2.DT_DOUBLE, "double_val", [1e300, -2.5], np.float64),
        (types_pb2.DT_INT32, "int_val", [-(2**31), 2**31 - 1], np.int32),
        (types_pb2.DT_INT16, "int_val", [-5, 300], np.int16),
        (types_pb2.DT_INT8, "int_val", [-128, 127], np.int8),
        (types_pb2.DT_UINT8, "int_val", [0, 255], np.uint8),
        (types_pb2.DT_UINT16, "int_val", [0, 65535], np.uint16),
        (types_pb2.DT_INT64, "int64_val", [-(2**63), 2**63 - 1], np.int64),
        (types_pb2.DT_UINT32, "uint32_val", [0, 2**32 - 1], np.uint32),
        (types_pb2.DT_UINT64, "uint64_val", [0, 2**64 - 1], np.uint64),
        (types_pb2.DT_BOOL, "bool_val", [True, False], np.bool_),
        (types_pb2.DT_QINT8, "int_val", [-3, 4], np.int8),
    ],
)
def test_typed_field_of_each_dtype_decodes_to_the_matching_numpy_dtype(
    dtype, field, values, np_dtype
):
    tensor = proto(dtype, (2,))
    getattr(tensor, field).extend(values)
    array = make_ndarray(tensor)
    assert array.dtype == np_dtype
    assert array.tolist() == values


def test_narrow_integers_outside_their_range_keep_their_low_bits_like_a_c_cast():
    tensor = proto(types_pb2.DT_UINT8, (2,))
    tensor.int_val.extend([256 + 7, -1])
    assert make_ndarray(tensor).tolist() == [7, 255]


# --- broadcast, padding, zeros ---------------------------------------------------------------


def test_a_single_typed_value_broadcasts_to_the_whole_shape():
    tensor = proto(types_pb2.DT_FLOAT, (2, 3))
    tensor.float_val.append(4.0)
    assert make_ndarray(tensor).tolist() == [[4.0] * 3] * 2


def test_a_short_typed_field_is_padded_with_its_last_value():
    tensor = proto(types_pb2.DT_INT64, (5,))
    tensor.int64_val.extend([1, 2, 3])
    assert make_ndarray(tensor).tolist() == [1, 2, 3, 3, 3]


def test_an_empty_typed_field_means_zeros_as_tensorflow_compresses_them():
    array = make_ndarray(proto(types_pb2.DT_DOUBLE, (2, 2)))
    assert array.dtype == np.float64
    assert array.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_an_empty_shape_with_no_values_is_an_empty_array():
    array = make_ndarray(proto(types_pb2.DT_FLOAT, (0, 3)))
    assert array.shape == (0, 3)
    assert array.dtype == np.float32


def test_more_typed_values_than_the_shape_holds_is_a_format_error():
    tensor = proto(types_pb2.DT_FLOAT, (2,))
    tensor.float_val.extend([1, 2, 3])
    with pytest.raises(FormatError, match="3 values"):
        make_ndarray(tensor)


def test_tensor_content_of_the_wrong_size_is_a_format_error():
    tensor = proto(types_pb2.DT_FLOAT, (3,), tensor_content=struct.pack("<2f", 1, 2))
    with pytest.raises(FormatError, match="tensor_content"):
        make_ndarray(tensor)


def test_tensor_content_not_a_whole_number_of_elements_is_a_format_error():
    tensor = proto(types_pb2.DT_DOUBLE, (1,), tensor_content=b"\x00" * 7)
    with pytest.raises(FormatError):
        make_ndarray(tensor)


def test_an_unknown_dimension_is_a_format_error():
    with pytest.raises(FormatError, match="unknown dimension"):
        make_ndarray(proto(types_pb2.DT_FLOAT, (-1, 2)))


@pytest.mark.parametrize(
    "dtype", [types_pb2.DT_RESOURCE, types_pb2.DT_VARIANT, types_pb2.DT_INVALID, 999]
)
def test_a_dtype_heron_cannot_decode_is_a_format_error(dtype):
    with pytest.raises(FormatError, match="cannot decode"):
        make_ndarray(proto(dtype, (1,), tensor_content=b"\x00" * 4))


# --- strings, 16-bit floats, complex ---------------------------------------------------------


def test_dt_string_uses_string_val_as_an_object_array_of_bytes():
    tensor = string_tensor([b"a", b"", b"\x00\xff"])
    array = make_ndarray(tensor)
    assert array.dtype == object
    assert array.tolist() == [b"a", b"", b"\x00\xff"]


def test_dt_string_ignores_tensor_content():
    tensor = string_tensor([b"kept"])
    tensor.tensor_content = b"ignored"
    assert make_ndarray(tensor).tolist() == [b"kept"]


def test_dt_string_follows_the_same_broadcast_and_empty_rules():
    one = proto(types_pb2.DT_STRING, (3,))
    one.string_val.append(b"x")
    assert make_ndarray(one).tolist() == [b"x"] * 3
    assert make_ndarray(proto(types_pb2.DT_STRING, (2,))).tolist() == [b"", b""]


def test_dt_half_reads_bit_patterns_from_half_val():
    tensor = proto(types_pb2.DT_HALF, (3,))
    tensor.half_val.extend([0x3C00, 0xC000, 0x3555])  # 1.0, -2.0, ~0.3333
    array = make_ndarray(tensor)
    assert array.dtype == np.float16
    assert array.tolist() == np.array([1.0, -2.0, 1 / 3], dtype=np.float16).tolist()


def test_dt_half_tensor_content_is_little_endian_float16():
    tensor = proto(types_pb2.DT_HALF, (2,), tensor_content=struct.pack("<2e", 0.5, 8.0))
    assert make_ndarray(tensor).tolist() == [0.5, 8.0]


def test_dt_bfloat16_is_widened_to_float32_from_half_val_and_from_content():
    # bfloat16 bit patterns are the high 16 bits of the float32.
    patterns = [0x3F80, 0xC040, 0x4049]  # 1.0, -3.0, 3.140625
    expected = [1.0, -3.0, 3.140625]
    typed = proto(types_pb2.DT_BFLOAT16, (3,))
    typed.half_val.extend(patterns)
    packed = proto(types_pb2.DT_BFLOAT16, (3,), tensor_content=struct.pack("<3H", *patterns))
    for tensor in (typed, packed):
        array = make_ndarray(tensor)
        assert array.dtype == np.float32
        assert array.tolist() == expected


def test_complex_typed_fields_hold_real_imaginary_pairs():
    c64 = proto(types_pb2.DT_COMPLEX64, (2,))
    c64.scomplex_val.extend([1, 2, 3, -4])
    c128 = proto(types_pb2.DT_COMPLEX128, (2,))
    c128.dcomplex_val.extend([0.5, 0, 0, 1])
    assert make_ndarray(c64).dtype == np.complex64
    assert make_ndarray(c64).tolist() == [1 + 2j, 3 - 4j]
    assert make_ndarray(c128).tolist() == [0.5, 1j]


def test_a_single_complex_pair_broadcasts():
    tensor = proto(types_pb2.DT_COMPLEX64, (3,))
    tensor.scomplex_val.extend([1, 1])
    assert make_ndarray(tensor).tolist() == [1 + 1j] * 3


def test_an_odd_number_of_complex_parts_is_a_format_error():
    tensor = proto(types_pb2.DT_COMPLEX128, (1,))
    tensor.dcomplex_val.extend([1, 2, 3])
    with pytest.raises(FormatError, match="pairs"):
        make_ndarray(tensor)


def test_bool_tensor_content_decodes_to_bool():
    tensor = proto(types_pb2.DT_BOOL, (3,), tensor_content=b"\x01\x00\x01")
    assert make_ndarray(tensor).tolist() == [True, False, True]


# --- make_tensor_proto -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.array([1.5, -2.25]),
        np.array(7, dtype=np.int64),
        np.array([[1, 2]], dtype=np.int32),
        np.array([-1, 2], dtype=np.int16),
        np.array([-1, 2], dtype=np.int8),
        np.array([0, 255], dtype=np.uint8),
        np.array([0, 65535], dtype=np.uint16),
        np.array([0, 2**32 - 1], dtype=np.uint32),
        np.array([0, 2**64 - 1], dtype=np.uint64),
        np.array([True, False]),
        np.array([0.5, 1.0], dtype=np.float16),
        np.array([1 + 2j], dtype=np.complex64),
        np.array([[1 - 2j]], dtype=np.complex128),
        np.array([1.0, 2.0], dtype=">f8"),  # big-endian input is stored little-endian
        np.zeros((0, 3), dtype=np.float32),
    ],
)
def test_numeric_arrays_round_trip_through_make_tensor_proto(values):
    tensor = make_tensor_proto(values)
    assert tensor.tensor_content or values.size == 0
    decoded = make_ndarray(tensor)
    assert decoded.dtype == values.dtype.newbyteorder("=")
    assert decoded.shape == values.shape
    assert np.array_equal(decoded, values)


def test_make_tensor_proto_converts_python_values_with_an_optional_dtype():
    tensor = make_tensor_proto([[1, 2], [3, 4]], dtype="float32")
    assert tensor.dtype == types_pb2.DT_FLOAT
    assert tensor_shape(tensor) == (2, 2)
    assert make_ndarray(tensor).tolist() == [[1, 2], [3, 4]]


def test_strings_round_trip_as_utf8_and_bytes_keep_trailing_nuls():
    tensor = make_tensor_proto([["héllo", "b"], ["c", "d"]])
    assert tensor.dtype == types_pb2.DT_STRING
    assert make_ndarray(tensor).tolist() == [["héllo".encode(), b"b"], [b"c", b"d"]]
    blobs = make_tensor_proto([b"wav\x00\x00", b"\x00"])
    assert list(blobs.string_val) == [b"wav\x00\x00", b"\x00"]


def test_a_scalar_string_is_a_rank_0_string_tensor():
    tensor = make_tensor_proto("text")
    assert tensor_shape(tensor) == ()
    assert list(tensor.string_val) == [b"text"]


def test_object_arrays_of_non_strings_are_a_format_error():
    with pytest.raises(FormatError, match="bytes or str"):
        make_tensor_proto(np.array([1, 2], dtype=object))


def test_numpy_dtypes_without_a_tensorflow_equivalent_are_a_format_error():
    with pytest.raises(FormatError, match="cannot encode"):
        make_tensor_proto(np.array(["2024-01-01"], dtype="datetime64[D]"))


# --- scalar_value ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tensor", "expected"),
    [
        (float_scalar_tensor(0.25), 0.25),
        (proto(types_pb2.DT_DOUBLE, double_val=[1e300]), 1e300),
        (proto(types_pb2.DT_INT32, int_val=[-7]), -7.0),
        (proto(types_pb2.DT_INT64, int64_val=[2**53]), float(2**53)),
        (proto(types_pb2.DT_FLOAT, tensor_content=struct.pack("<f", 1.5)), 1.5),
        (proto(types_pb2.DT_DOUBLE, tensor_content=struct.pack("<d", -0.1)), -0.1),
        (proto(types_pb2.DT_INT64, tensor_content=struct.pack("<q", -3)), -3.0),
        (proto(types_pb2.DT_FLOAT, (1, 1), float_val=[3.0]), 3.0),
        (proto(types_pb2.DT_HALF, half_val=[0x3C00]), 1.0),
        (proto(types_pb2.DT_BFLOAT16, half_val=[0xC040]), -3.0),
        (proto(types_pb2.DT_BOOL, bool_val=[True]), 1.0),
        (proto(types_pb2.DT_UINT8, int_val=[200]), 200.0),
        (proto(types_pb2.DT_FLOAT), 0.0),  # no values: zero, as TensorFlow decodes it
    ],
)
def test_scalar_value_reads_every_one_element_numeric_encoding(tensor, expected):
    value = scalar_value(tensor)
    assert type(value) is float
    assert value == expected


def test_scalar_value_agrees_with_make_ndarray_on_float32_rounding():
    tensor = float_scalar_tensor(0.1)
    assert scalar_value(tensor) == float(make_ndarray(tensor)) == float(np.float32(0.1))


def test_scalar_value_does_not_import_numpy_for_plain_scalars():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from heron.formats.tensors import float_scalar_tensor, scalar_value, make_tensor_proto\n"
        "from heron.formats.proto.tensor_pb2 import TensorProto\n"
        "import struct\n"
        "assert scalar_value(float_scalar_tensor(2.0)) == 2.0\n"
        "assert scalar_value(TensorProto(dtype=2, tensor_content=struct.pack('<d', 3))) == 3\n"
        "print('numpy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("tensor", "message"),
    [
        (proto(types_pb2.DT_FLOAT, (2,), float_val=[1, 2]), "not a scalar"),
        (proto(types_pb2.DT_FLOAT, (0,)), "not a scalar"),
        (proto(types_pb2.DT_FLOAT, (1, 2), float_val=[1]), "not a scalar"),
        (string_tensor([b"1.0"], shape=[]), "DT_STRING"),
        (proto(types_pb2.DT_COMPLEX64, scomplex_val=[1, 0]), "not a real number"),
        (proto(types_pb2.DT_VARIANT), "cannot decode"),
        (proto(types_pb2.DT_FLOAT, float_val=[1, 2]), "2 values"),
        (proto(types_pb2.DT_FLOAT, tensor_content=b"\x00" * 8), "tensor_content"),
    ],
)
def test_scalar_value_rejects_what_is_not_one_real_number(tensor, message):
    with pytest.raises(FormatError, match=message):
        scalar_value(tensor)
