"""Tensor encoding round-trips every dtype; blob keys are opaque and reject anything else."""

from __future__ import annotations

import numpy as np
import pytest

from heron.errors import NotFoundError
from heron.storage.blob_keys import decode_blob_key, encode_blob_key
from heron.storage.scalar_chunks import chunk_starts, decode_many, decode_points, encode_pieces
from heron.storage.tensor_codec import decode_tensor, encode_tensor


@pytest.mark.parametrize(
    "value",
    [
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.array(2.5),
        np.zeros((0, 3), dtype=np.float64),
        np.array([True, False]),
        np.arange(5, dtype=np.int64).astype(">i8"),
        np.array([1 + 2j], dtype=np.complex64),
        np.array([b"", b"a\x00b", "é".encode()], dtype=object),
        np.array([[b"x", b"yy"], [b"zzz", b""]], dtype=object),
        np.array(b"scalar string", dtype=object),
    ],
)
def test_tensors_round_trip(value):
    decoded = decode_tensor(*encode_tensor(value))
    assert decoded.shape == value.shape
    assert decoded.tolist() == value.tolist()
    assert not decoded.flags.writeable


def test_blob_keys_round_trip_and_are_url_safe():
    key = encode_blob_key(123456789, 0xDEADBEEF)
    assert decode_blob_key(key) == (123456789, 0xDEADBEEF)
    assert all(c.isalnum() or c in "-_=" for c in key)


@pytest.mark.parametrize("key", ["", "x", "../etc/passwd", "é", "AAAA"])
def test_anything_else_is_not_a_blob_key(key):
    with pytest.raises(NotFoundError):
        decode_blob_key(key)


def test_regular_steps_and_float32_values_are_stored_compactly_and_exactly():
    steps = np.concatenate([np.arange(0, 300, 3), [301, 500, 502]]).astype(np.int64)
    walls = np.linspace(1.7e9, 1.7e9 + 100, len(steps))
    values = np.float32(np.random.default_rng(0).random(len(steps))).astype(np.float64)
    values[-1] = 0.1  # not a float32
    starts = chunk_starts(len(steps), 100, 100)
    encodings, step_bytes, value_bytes, wall_bytes = encode_pieces(steps, walls, values, starts)
    assert encodings == [3, 0]  # regular steps + float32 values; then irregular + float64
    assert step_bytes[0] == b""
    assert len(value_bytes[0]) == 400
    stops = [*starts[1:].tolist(), len(steps)]
    for i, (a, b) in enumerate(zip(starts.tolist(), stops, strict=True)):
        got = decode_points(
            b - a,
            int(steps[a]),
            int(steps[b - 1]),
            encodings[i],
            step_bytes[i],
            value_bytes[i],
            wall_bytes[i],
        )
        np.testing.assert_array_equal(got[0], steps[a:b])
        np.testing.assert_array_equal(got[1], walls[a:b])
        np.testing.assert_array_equal(got[2], values[a:b])


def test_many_pieces_decode_at_once_whatever_their_encodings():
    rng = np.random.default_rng(1)
    pieces = [
        (np.arange(0, 50, 5), np.float32(rng.random(10)).astype(np.float64)),  # regular, f32
        (np.array([3, 7, 8, 20]), rng.random(4)),  # irregular, f64
        (np.array([42]), np.array([np.nan])),  # one point
        (np.array([1, 2, 3]), np.array([0.5, 0.25, 1e300])),  # regular, f64
    ]
    encoded = []
    for steps, values in pieces:
        steps = steps.astype(np.int64)
        walls = steps * 1.5
        start = np.zeros(1, dtype=np.int64)
        flags, s, v, w = encode_pieces(steps, walls, values, start)
        encoded.append((len(steps), int(steps[0]), int(steps[-1]), flags[0], s[0], v[0], w[0]))
    columns = list(zip(*encoded, strict=True))
    steps, walls, values = decode_many(
        np.array(columns[0]),
        np.array(columns[1]),
        np.array(columns[2]),
        np.array(columns[3]),
        list(columns[4]),
        list(columns[5]),
        list(columns[6]),
    )
    np.testing.assert_array_equal(steps, np.concatenate([p[0] for p in pieces]))
    np.testing.assert_array_equal(values, np.concatenate([p[1] for p in pieces]))
    np.testing.assert_array_equal(walls, steps * 1.5)


def test_many_regular_pieces_with_huge_steps_decode_exactly():
    # stride * position overflows int64 here; the decoded steps must still be exact.
    big = 1 << 60
    pieces = [
        np.array([-(1 << 62), -(1 << 62) + big, -(1 << 62) + 2 * big], dtype=np.int64),
        np.array([5, 6, 7, 8], dtype=np.int64),
        np.array([(1 << 62), (1 << 62) + big, (1 << 62) + 2 * big], dtype=np.int64),
    ]
    encoded = []
    for steps in pieces:
        walls = np.zeros(len(steps))
        flags, s, v, w = encode_pieces(steps, walls, walls, np.zeros(1, dtype=np.int64))
        encoded.append((len(steps), int(steps[0]), int(steps[-1]), flags[0], s[0], v[0], w[0]))
    columns = list(zip(*encoded, strict=True))
    steps, _, _ = decode_many(
        np.array(columns[0], dtype=np.int64),
        np.array(columns[1], dtype=np.int64),
        np.array(columns[2], dtype=np.int64),
        np.array(columns[3], dtype=np.int64),
        list(columns[4]),
        list(columns[5]),
        list(columns[6]),
    )
    np.testing.assert_array_equal(steps, np.concatenate(pieces))
