"""The binary form of /api/v1/scalars: layout, alignment and non-finite floats survive."""

from __future__ import annotations

import gzip
import math
import struct

import numpy as np
import pytest

from heron.core.values import ScalarPoints, SeriesKey
from heron.errors import InvalidArgumentError
from heron.server.binary_columns import MAGIC, decode_columns, encode_columns, gzip_fast


def _points(steps, walls, values):
    return ScalarPoints(
        steps=np.asarray(steps, dtype=np.int64),
        wall_times=np.asarray(walls, dtype=np.float64),
        values=np.asarray(values, dtype=np.float64),
    )


SERIES = [
    (SeriesKey("run a", "loss"), _points([0, 5, 9], [1.5, 2.5, 3.5], [1.0, math.nan, math.inf])),
    (SeriesKey("ünïcode/ß", "x/y"), _points([], [], [])),
    (SeriesKey("b", "loss"), _points([-3, 2**53], [0.0, 1e9], [-math.inf, -0.0])),
]


def test_round_trip_keeps_order_counts_and_non_finite_values():
    decoded = decode_columns(encode_columns(SERIES))
    assert [(s.run, s.tag, len(s.steps)) for s in decoded] == [
        ("run a", "loss", 3),
        ("ünïcode/ß", "x/y", 0),
        ("b", "loss", 2),
    ]
    for (_, points), got in zip(SERIES, decoded, strict=True):
        np.testing.assert_array_equal(got.steps, points.steps.astype(np.float64))
        np.testing.assert_array_equal(got.wall_times, points.wall_times)
        np.testing.assert_array_equal(got.values, points.values)  # NaN equals NaN here
    assert math.copysign(1.0, decoded[2].values[1]) == -1.0  # -0.0 stays negative


def test_layout_is_magic_length_header_then_aligned_float64_columns():
    data = encode_columns(SERIES)
    magic, length = struct.unpack_from("<4sI", data)
    assert magic == MAGIC == b"HSC1"
    start = 8 + length
    assert start % 8 == 0
    assert data[8:start].decode().rstrip(" ").endswith("}")
    columns = np.frombuffer(data, dtype="<f8", offset=start).reshape(3, 5)
    assert columns[0].tolist() == [0, 5, 9, -3, 2**53]  # steps, every series one after another
    assert columns[1].tolist() == [1.5, 2.5, 3.5, 0.0, 1e9]


def test_no_series_is_a_header_alone():
    data = encode_columns([])
    assert decode_columns(data) == []
    assert len(data) % 8 == 0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"HSC",
        b"JSON\x02\x00\x00\x00{}",
        encode_columns(SERIES)[:-8],
        encode_columns(SERIES) + b"x",
    ],
)
def test_malformed_answers_are_refused(data):
    with pytest.raises(InvalidArgumentError):
        decode_columns(data)


def test_gzip_fast_is_plain_gzip():
    data = encode_columns(SERIES) * 50
    assert gzip.decompress(gzip_fast(data)) == data
