"""Min/max envelope downsampling over chunk rollups: O(buckets) chunks decoded, not O(points).

``downsample_chunks`` returns exactly the points
``heron.core.downsample.envelope_indices`` would pick from the full series
(a property test holds it to that), but decodes only:

* the chunks cut by the requested step range (at most two), and
* the chunks that straddle a bucket boundary.

A chunk wholly inside one bucket is represented by its rollup: its envelope
min and max points are the only candidates it can contribute to that bucket.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from heron.core.downsample import MIN_POINTS
from heron.core.values import ScalarPoints
from heron.errors import InvalidArgumentError
from heron.storage.scalar_chunks import Rollups, first_extreme_indices

__all__ = ["ChunkLoader", "Points", "downsample_chunks", "empty_points", "envelope_many"]

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]
#: (steps, wall_times, values) of one chunk.
Points = tuple[Int64Array, Float64Array, Float64Array]
#: Loads the points of the chunks at the given positions (indices into the rollups), in order.
ChunkLoader = Callable[[Sequence[int]], list[Points]]


def empty_points() -> ScalarPoints:
    return _frozen(np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.float64))


def downsample_chunks(
    chunks: Rollups,
    load: ChunkLoader,
    *,
    max_points: int | None,
    step_range: tuple[int, int] | None = None,
) -> ScalarPoints:
    """Points of a series (chunks in step order) in ``step_range``, envelope-downsampled."""
    if max_points is not None and max_points < MIN_POINTS:
        raise InvalidArgumentError(f"max_points must be at least {MIN_POINTS}, got {max_points}")
    n = len(chunks)
    if n == 0:
        return empty_points()
    low_bound, high_bound = step_range if step_range is not None else (None, None)
    cut = np.zeros(n, dtype=np.bool_)
    if low_bound is not None:
        cut |= chunks.first_step < low_bound
    if high_bound is not None:
        cut |= chunks.last_step > high_bound
    cut_positions = np.flatnonzero(cut).tolist()
    pieces: dict[int, Points] = {}
    for position, points in zip(cut_positions, load(cut_positions), strict=True):
        pieces[position] = _clip(points, low_bound, high_bound)
    counts = chunks.count.copy()
    for position, points in pieces.items():
        counts[position] = len(points[0])
    total = int(counts.sum())
    if max_points is None or total <= max_points:
        rest = [p for p in range(n) if p not in pieces]
        pieces.update(zip(rest, load(rest), strict=True))
        return _frozen(*_concat([pieces[p] for p in range(n)]))
    return _envelope(chunks, counts, pieces, load, max_points)


def _envelope(
    chunks: Rollups,
    counts: Int64Array,
    pieces: dict[int, Points],
    load: ChunkLoader,
    max_points: int,
) -> ScalarPoints:
    nonempty = np.flatnonzero(counts > 0)
    first_chunk, last_chunk = int(nonempty[0]), int(nonempty[-1])
    first = (
        _point(pieces[first_chunk], 0)
        if first_chunk in pieces
        else (
            int(chunks.first_step[first_chunk]),
            float(chunks.first_wall[first_chunk]),
            float(chunks.first_value[first_chunk]),
        )
    )
    last = (
        _point(pieces[last_chunk], -1)
        if last_chunk in pieces
        else (
            int(chunks.last_step[last_chunk]),
            float(chunks.last_wall[last_chunk]),
            float(chunks.last_value[last_chunk]),
        )
    )
    # The same bucketing as envelope_indices, to the last float rounding.
    buckets = max((max_points - 2) // 2, 1)
    low, high = first[0], last[0]
    scale = buckets / (max(high - low, 1) + 1)

    def bucket_of(steps: Int64Array) -> Int64Array:
        return np.minimum(((steps - low) * scale).astype(np.int64), buckets - 1)

    whole = (bucket_of(chunks.first_step) == bucket_of(chunks.last_step)) & (counts > 0)
    whole[list(pieces)] = False
    straddling = [p for p in nonempty.tolist() if not whole[p] and p not in pieces]
    pieces.update(zip(straddling, load(straddling), strict=True))
    decoded = _concat([pieces[p] for p in sorted(pieces) if counts[p] > 0])
    whole_at = np.flatnonzero(whole)
    chosen: list[Points] = [_as_points([first, last])]
    for sign, value_of, step_of, wall_of in (
        (1.0, chunks.min_value, chunks.min_step, chunks.min_wall),
        (-1.0, chunks.max_value, chunks.max_step, chunks.max_wall),
    ):
        chosen.append(
            _bucket_extremes(
                decoded,
                (step_of[whole_at], wall_of[whole_at], value_of[whole_at]),
                bucket_of,
                sign,
            )
        )
    steps, walls, values = _concat(chosen)
    steps, unique_at = np.unique(steps, return_index=True)
    walls, values = walls[unique_at], values[unique_at]
    if len(steps) > max_points:  # only when the bucket count was clamped to 1
        keep = np.linspace(0, len(steps) - 1, max_points).round().astype(np.int64)
        steps, walls, values = steps[keep], walls[keep], values[keep]
    return _frozen(steps, walls, values)


def _bucket_extremes(
    decoded: Points,
    rolled: Points,
    bucket_of: Callable[[Int64Array], Int64Array],
    sign: float,
) -> Points:
    """Per bucket, the first point with the least ``sign * value`` (NaN last) among both sets."""
    candidates: list[tuple[Int64Array, Float64Array, Points]] = []
    for steps, walls, values in (decoded, rolled):
        if not len(steps):
            continue
        keys = np.where(np.isnan(values), np.inf, sign * values)
        bucket = bucket_of(steps)
        starts = np.flatnonzero(np.diff(bucket, prepend=bucket[0] - 1))
        at = first_extreme_indices(keys, starts)
        candidates.append((bucket[at], keys[at], (steps[at], walls[at], values[at])))
    bucket = np.concatenate([c[0] for c in candidates])
    keys = np.concatenate([c[1] for c in candidates])
    steps, walls, values = _concat([c[2] for c in candidates])
    order = np.lexsort((steps, keys, bucket))
    ordered = bucket[order]
    firsts = order[np.flatnonzero(np.diff(ordered, prepend=ordered[0] - 1))]
    return steps[firsts], walls[firsts], values[firsts]


def _clip(points: Points, low: int | None, high: int | None) -> Points:
    steps, walls, values = points
    start = 0 if low is None else int(np.searchsorted(steps, low, side="left"))
    stop = len(steps) if high is None else int(np.searchsorted(steps, high, side="right"))
    return steps[start:stop], walls[start:stop], values[start:stop]


def _point(points: Points, index: int) -> tuple[int, float, float]:
    return int(points[0][index]), float(points[1][index]), float(points[2][index])


def _as_points(rows: list[tuple[int, float, float]]) -> Points:
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.float64),
        np.array([r[2] for r in rows], dtype=np.float64),
    )


def _concat(parts: Sequence[Points]) -> Points:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.float64)
    if len(parts) == 1:
        return parts[0]
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def _frozen(steps: Int64Array, walls: Float64Array, values: Float64Array) -> ScalarPoints:
    # Arrays are either decoded from immutable bytes (already read-only) or
    # fresh results nobody else holds: freezing them is enough, no copy needed.
    for array in (steps, walls, values):
        array.flags.writeable = False
    return ScalarPoints(steps=steps, wall_times=walls, values=values)


def envelope_many(
    starts: Int64Array, steps: Int64Array, values: Float64Array, max_points: int
) -> Int64Array:
    """``envelope_indices`` of many series at once (series ``i`` is ``[starts[i], starts[i+1])``).

    Returns the ascending global indices of the points kept, exactly the union
    of what ``envelope_indices`` keeps of each series, in a fixed number of
    numpy calls: a chart of 1,000 runs costs little more than one of a run.
    """
    from heron.core.downsample import envelope_indices

    count = len(steps)
    ends = np.append(starts[1:], count)
    sizes = ends - starts
    buckets = max((max_points - 2) // 2, 1)
    kept = np.zeros(count, dtype=np.bool_)
    kept[np.repeat(sizes <= max_points, sizes)] = True  # short series: every point
    big = np.flatnonzero(sizes > max_points)
    if buckets == 1:  # the clamped case (max_points < 4): rare, per series
        for i in big.tolist():
            a, b = int(starts[i]), int(ends[i])
            kept[a + envelope_indices(steps[a:b], values[a:b], max_points)] = True
        return np.flatnonzero(kept)
    if len(big):
        lengths = sizes[big]
        if len(big) == len(sizes):  # every series is long: no gather needed
            index = None
            big_steps, chosen = steps, values
        else:
            offsets = np.cumsum(lengths) - lengths
            index = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(
                starts[big] - offsets, lengths
            )
            big_steps, chosen = steps[index], values[index]
        low, high = steps[starts[big]], steps[ends[big] - 1]
        scale = buckets / (np.maximum(high - low, 1) + 1).astype(np.float64)
        # ``np.repeat`` of per-series values is much cheaper than gathering them by index.
        local = ((big_steps - np.repeat(low, lengths)) * np.repeat(scale, lengths)).astype(np.int64)
        np.minimum(local, buckets - 1, out=local)
        local += np.repeat(np.arange(len(big), dtype=np.int64) * buckets, lengths)
        change = np.empty(len(local), dtype=np.bool_)
        change[0] = True
        np.not_equal(local[1:], local[:-1], out=change[1:])
        groups = np.flatnonzero(change)
        group_of = np.cumsum(change) - 1  # each point's group, for the extremes below
        lengths = np.diff(np.append(groups, len(local)))
        missing = np.isnan(chosen)
        if missing.any():
            extremes = (np.where(missing, np.inf, chosen), np.where(missing, np.inf, -chosen))
        else:
            extremes = (chosen, -chosen)
        for keys in extremes:
            at = _first_extremes(keys, groups, lengths, group_of)
            kept[at if index is None else index[at]] = True
        kept[starts[big]] = True
        kept[ends[big] - 1] = True
    return np.flatnonzero(kept)


def _first_extremes(
    keys: Float64Array, groups: Int64Array, lengths: Int64Array, group_of: Int64Array
) -> Int64Array:
    """``first_extreme_indices`` given each point's group (shared by the min and max passes)."""
    lowest = np.minimum.reduceat(keys, groups)
    hits = np.flatnonzero(keys == np.repeat(lowest, lengths))
    owner = group_of[hits]
    first = np.empty(len(hits), dtype=np.bool_)
    first[:1] = True
    np.not_equal(owner[1:], owner[:-1], out=first[1:])
    return hits[first].astype(np.int64)
