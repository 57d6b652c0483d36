"""Scalar points in chunks: the numpy side of storing millions of points per series.

Backend-neutral on purpose (any backend can keep chunks as blobs). A series'
*visible* points are kept as consecutive chunks of at most ``CHUNK_POINTS``
points, each with a *rollup*: count, first / last point, the envelope's min
and max point (value, step, wall time), NaN-ignoring min / max, sum, NaN count
and latest wall time. Rollups make two things cheap:

* a downsampled read only decodes chunks that straddle a bucket boundary
  (see ``heron.storage.envelope``);
* the series summary (count, first, last, min, max) is recomputed from a few
  hundred rollups, never from points, when a restart hides a tail.

The envelope's min point of a chunk is chosen exactly as
``heron.core.downsample.envelope_indices`` chooses it within a bucket: NaN
counts as +inf for the minimum (-inf for the maximum), and among equal keys
the earliest point wins. That is what lets rollups stand in for their points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "CHUNK_POINTS",
    "ROLLUP_DTYPE",
    "STEPS_REGULAR",
    "VALUES_FLOAT32",
    "Rollups",
    "chunk_starts",
    "decode_many",
    "decode_points",
    "encode_pieces",
    "first_extreme_indices",
    "hidden_by_later",
    "pack_rollups",
    "rollups",
    "unpack_rollups",
]

#: Points per chunk. A downsampled read decodes the chunks that straddle a
#: bucket boundary (at most one per boundary), so small chunks make it cheap;
#: rollups are packed (``pack_rollups``) so that thousands of them load in one
#: vectorised step. 256 points: a 1M-point series is ~3,900 chunks, and a
#: 1,000-bucket read decodes at most ~128K points.
CHUNK_POINTS: Final = 256

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Rollups:
    """Rollups of consecutive pieces of a point array, one array element per piece."""

    count: Int64Array
    first_step: Int64Array
    last_step: Int64Array
    first_value: Float64Array
    first_wall: Float64Array
    last_value: Float64Array
    last_wall: Float64Array
    min_value: Float64Array
    min_step: Int64Array
    min_wall: Float64Array
    max_value: Float64Array
    max_step: Int64Array
    max_wall: Float64Array
    #: NaN-ignoring min / max (NaN only if the piece is all NaN).
    low: Float64Array
    high: Float64Array
    total: Float64Array
    nan_count: Int64Array
    latest_wall: Float64Array

    def __len__(self) -> int:
        return len(self.count)


#: Encoding flags of a chunk's arrays (both are common and halve the bytes per point):
#: steps ``first, first + stride, ...`` are not stored at all...
STEPS_REGULAR: Final = 1
#: ...and float32 values (what scalar summaries hold) are stored as float32.
VALUES_FLOAT32: Final = 2

#: Rollups of one chunk as packed bytes (little-endian; field order = ``Rollups``).
ROLLUP_DTYPE: Final = np.dtype(
    [
        ("count", "<i8"),
        ("first_step", "<i8"),
        ("last_step", "<i8"),
        ("first_value", "<f8"),
        ("first_wall", "<f8"),
        ("last_value", "<f8"),
        ("last_wall", "<f8"),
        ("min_value", "<f8"),
        ("min_step", "<i8"),
        ("min_wall", "<f8"),
        ("max_value", "<f8"),
        ("max_step", "<i8"),
        ("max_wall", "<f8"),
        ("low", "<f8"),
        ("high", "<f8"),
        ("total", "<f8"),
        ("nan_count", "<i8"),
        ("latest_wall", "<f8"),
    ]
)


def pack_rollups(r: Rollups) -> list[bytes]:
    """One ``ROLLUP_DTYPE`` record per chunk (NaN kept, unlike SQL columns)."""
    packed = np.empty(len(r), dtype=ROLLUP_DTYPE)
    for name in ROLLUP_DTYPE.names or ():
        packed[name] = getattr(r, name)
    raw = packed.tobytes()
    size = ROLLUP_DTYPE.itemsize
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def unpack_rollups(packed: bytes) -> Rollups:
    """The ``Rollups`` of consecutive chunks from their concatenated packed records."""
    records = np.frombuffer(packed, dtype=ROLLUP_DTYPE)
    return Rollups(**{name: records[name] for name in ROLLUP_DTYPE.names or ()})


def chunk_starts(count: int, first_size: int, size: int = CHUNK_POINTS) -> Int64Array:
    """Start indices of pieces of ``count`` points: one of ``first_size``, then ``size`` each."""
    first_size = min(max(first_size, 0), count)
    rest = np.arange(first_size, count, size, dtype=np.int64)
    if first_size:
        return np.concatenate([np.zeros(1, dtype=np.int64), rest])
    return rest


def first_extreme_indices(keys: Float64Array, starts: Int64Array) -> Int64Array:
    """Per piece (pieces start at ``starts``), the index of the first minimum of ``keys``.

    ``keys`` holds no NaN (callers map NaN to ±inf first). Use ``-keys`` for maxima.
    """
    lengths = np.diff(np.append(starts, len(keys)))
    lowest = np.minimum.reduceat(keys, starts)
    hits = np.flatnonzero(keys == np.repeat(lowest, lengths))
    piece = np.searchsorted(starts, hits, side="right") - 1
    # Hits are ascending, so each piece's first hit is where the piece number changes.
    return hits[np.flatnonzero(np.diff(piece, prepend=-1))].astype(np.int64)


def rollups(
    steps: Int64Array, wall_times: Float64Array, values: Float64Array, starts: Int64Array
) -> Rollups:
    """Rollups of each piece ``[starts[i], starts[i+1])`` of the (step-sorted) points."""
    ends = np.append(starts[1:], len(steps)).astype(np.int64)
    last = ends - 1
    nan = np.isnan(values)
    lowest = np.where(nan, np.inf, values)
    highest = np.where(nan, -np.inf, values)
    at_min = first_extreme_indices(lowest, starts)
    at_max = first_extreme_indices(-highest, starts)
    nan_count = np.add.reduceat(nan.astype(np.int64), starts)
    count = ends - starts
    all_nan = nan_count == count
    with np.errstate(invalid="ignore", over="ignore"):  # inf + -inf is NaN; huge sums are inf
        total = np.add.reduceat(np.where(nan, 0.0, values), starts)
    return Rollups(
        count=count,
        first_step=steps[starts],
        last_step=steps[last],
        first_value=values[starts],
        first_wall=wall_times[starts],
        last_value=values[last],
        last_wall=wall_times[last],
        min_value=values[at_min],
        min_step=steps[at_min],
        min_wall=wall_times[at_min],
        max_value=values[at_max],
        max_step=steps[at_max],
        max_wall=wall_times[at_max],
        low=np.where(all_nan, np.nan, lowest[at_min]),
        high=np.where(all_nan, np.nan, highest[at_max]),
        total=total,
        nan_count=nan_count,
        latest_wall=np.maximum.reduceat(wall_times, starts),
    )


def hidden_by_later(steps: Int64Array) -> npt.NDArray[np.bool_]:
    """Which points (in write order) a later point of the same series hides.

    Point ``i`` is hidden when some later point has a step ``<= steps[i]``; the
    points left visible have strictly increasing steps.
    """
    if len(steps) < 2:
        return np.zeros(len(steps), dtype=np.bool_)
    later_min = np.minimum.accumulate(steps[::-1])[::-1]
    hidden = np.zeros(len(steps), dtype=np.bool_)
    hidden[:-1] = steps[:-1] >= later_min[1:]
    return hidden


def encode_pieces(
    steps: Int64Array, wall_times: Float64Array, values: Float64Array, starts: Int64Array
) -> tuple[list[int], list[bytes], list[bytes], list[bytes]]:
    """Per piece: encoding flags and the steps / values / wall-time bytes to store.

    Regular steps are stored as nothing (``decode_points`` rebuilds them from
    the first and last step); values that float32 holds exactly are stored as
    float32. Both tests are vectorised over all pieces.
    """
    count = len(steps)
    ends = np.append(starts[1:], count)
    sizes = ends - starts
    piece = np.repeat(np.arange(len(starts)), sizes)
    first, last = steps[starts], steps[ends - 1]
    stride = np.where(sizes > 1, (last - first) // np.maximum(sizes - 1, 1), 0)
    with np.errstate(over="ignore"):  # only irregular pieces can overflow; they fail the test
        expected = first[piece] + stride[piece] * (np.arange(count) - starts[piece])
        narrow = values.astype(np.float32)
    regular = np.logical_and.reduceat(steps == expected, starts)
    exact = np.logical_and.reduceat(
        (narrow.astype(np.float64) == values) | np.isnan(values), starts
    )
    encodings = (np.where(regular, STEPS_REGULAR, 0) | np.where(exact, VALUES_FLOAT32, 0)).tolist()
    bounds = list(zip(starts.tolist(), ends.tolist(), strict=True))
    step_bytes = [
        b"" if flags & STEPS_REGULAR else steps[a:b].tobytes()
        for flags, (a, b) in zip(encodings, bounds, strict=True)
    ]
    value_bytes = [
        (narrow if flags & VALUES_FLOAT32 else values)[a:b].tobytes()
        for flags, (a, b) in zip(encodings, bounds, strict=True)
    ]
    wall_bytes = [wall_times[a:b].tobytes() for a, b in bounds]
    return encodings, step_bytes, value_bytes, wall_bytes


def decode_points(
    count: int,
    first_step: int,
    last_step: int,
    encoding: int,
    steps: bytes,
    values: bytes,
    wall_times: bytes,
) -> tuple[Int64Array, Float64Array, Float64Array]:
    """``(steps, wall_times, values)`` of a piece stored by ``encode_pieces``."""
    if encoding & STEPS_REGULAR:
        stride = (last_step - first_step) // (count - 1) if count > 1 else 0
        step_array = first_step + stride * np.arange(count, dtype=np.int64)
    else:
        step_array = np.frombuffer(steps, dtype="<i8", count=count)
    if encoding & VALUES_FLOAT32:
        value_array = np.frombuffer(values, dtype="<f4", count=count).astype(np.float64)
    else:
        value_array = np.frombuffer(values, dtype="<f8", count=count)
    return step_array, np.frombuffer(wall_times, dtype="<f8", count=count), value_array


def decode_many(
    counts: Int64Array,
    first_steps: Int64Array,
    last_steps: Int64Array,
    encodings: Int64Array,
    steps: list[bytes],
    values: list[bytes],
    wall_times: list[bytes],
) -> tuple[Int64Array, Float64Array, Float64Array]:
    """``decode_points`` of many pieces at once, concatenated (a few numpy calls in all)."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    regular = (encodings & STEPS_REGULAR) != 0
    stride = np.where(counts > 1, (last_steps - first_steps) // np.maximum(counts - 1, 1), 0)
    # Point i of piece p: first_steps[p] + stride[p] * (i - starts[p]); ``np.repeat`` of
    # per-piece terms is much cheaper than gathering them through a piece index. Products
    # may wrap around int64; the sum wraps back to the exact step (arithmetic is modulo 2**64).
    step_array = np.repeat(stride, counts) * np.arange(total, dtype=np.int64)
    step_array += np.repeat(first_steps - stride * starts, counts)
    if not regular.all():
        irregular = np.flatnonzero(~regular)
        positions = np.concatenate([np.arange(starts[i], starts[i] + counts[i]) for i in irregular])
        step_array[positions] = np.frombuffer(
            b"".join(steps[i] for i in irregular.tolist()), dtype="<i8"
        )
    narrow = (encodings & VALUES_FLOAT32) != 0
    if narrow.all():
        value_array = np.frombuffer(b"".join(values), dtype="<f4").astype(np.float64)
    elif not narrow.any():
        value_array = np.frombuffer(b"".join(values), dtype="<f8").copy()
    else:
        value_array = np.concatenate(
            [
                np.frombuffer(blob, dtype="<f4" if flag else "<f8").astype(np.float64)
                for blob, flag in zip(values, narrow.tolist(), strict=True)
            ]
        )
    wall_array = np.frombuffer(b"".join(wall_times), dtype="<f8")
    return step_array, wall_array, value_array
