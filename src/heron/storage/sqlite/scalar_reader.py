"""Reading scalar series from chunks: rollups first, points only where they are needed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from heron.core.downsample import envelope_indices
from heron.core.values import ScalarPoints
from heron.storage.envelope import Points, downsample_chunks, empty_points, envelope_many
from heron.storage.scalar_chunks import decode_many, decode_points, unpack_rollups
from heron.storage.sqlite.scalar_writer import POINT_COLUMNS

__all__ = ["READ_WHOLE_LIMIT", "read_series", "read_whole"]

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]

#: Series up to this many points are read whole and downsampled in one pass:
#: cheaper than going through rollups when there are few chunks.
READ_WHOLE_LIMIT: Final = 1 << 16
_ALL_CHUNKS: Final = (
    f"SELECT {POINT_COLUMNS} FROM scalar_chunks WHERE series_id = ? ORDER BY first_step"
)
_ROLLUPS: Final = (
    "SELECT id, rollup FROM scalar_chunks "
    "WHERE series_id = ? AND last_step >= ? AND first_step <= ? ORDER BY first_step"
)
_LOAD: Final = (
    f"SELECT id, {POINT_COLUMNS} FROM scalar_chunks WHERE id IN (SELECT value FROM json_each(?))"
)


def read_series(
    connection: sqlite3.Connection,
    series_id: int,
    count: int,
    *,
    max_points: int | None,
    step_range: tuple[int, int] | None,
    include_hidden: bool,
) -> ScalarPoints:
    """One series' points (inside the caller's read transaction); ``count`` = visible points."""
    if include_hidden:
        return _read_with_hidden(connection, series_id, max_points, step_range)
    if step_range is None and (max_points is None or count <= READ_WHOLE_LIMIT):
        parts = [decode_points(*row) for row in connection.execute(_ALL_CHUNKS, (series_id,))]
        if not parts:
            return empty_points()
        return _finish(*_concat(parts), max_points)
    low, high = step_range if step_range is not None else (-(2**63), 2**63 - 1)
    rows = connection.execute(_ROLLUPS, (series_id, low, high)).fetchall()
    if not rows:
        return empty_points()
    chunk_ids = [row[0] for row in rows]
    rollups = unpack_rollups(b"".join(row[1] for row in rows))

    def load(positions: Sequence[int]) -> list[Points]:
        if not positions:
            return []
        wanted = [chunk_ids[p] for p in positions]
        loaded = {
            row[0]: decode_points(*row[1:])
            for row in connection.execute(_LOAD, (json.dumps(wanted),))
        }
        return [loaded[chunk_id] for chunk_id in wanted]

    return downsample_chunks(rollups, load, max_points=max_points, step_range=step_range)


def read_whole(
    connection: sqlite3.Connection, series_ids: Sequence[int], max_points: int | None
) -> dict[int, ScalarPoints]:
    """Every visible point of many series, envelope-downsampled together.

    One query and a fixed number of numpy calls for all of them: what a chart
    of 1,000 runs needs. Meant for series of at most ``READ_WHOLE_LIMIT`` points.
    """
    wanted = sorted(set(series_ids))
    rows = connection.execute(
        f"SELECT series_id, {POINT_COLUMNS} FROM scalar_chunks "
        "WHERE series_id IN (SELECT value FROM json_each(?)) ORDER BY series_id, first_step",
        (json.dumps(wanted),),
    ).fetchall()
    result = dict.fromkeys(wanted, empty_points())
    if not rows:
        return result
    columns = list(zip(*rows, strict=True))
    owners = np.array(columns[0], dtype=np.int64)
    counts = np.array(columns[1], dtype=np.int64)
    steps, walls, values = decode_many(
        counts,
        np.array(columns[2], dtype=np.int64),
        np.array(columns[3], dtype=np.int64),
        np.array(columns[4], dtype=np.int64),
        list(columns[5]),
        list(columns[6]),
        list(columns[7]),
    )
    first_chunk = np.flatnonzero(np.diff(owners, prepend=owners[0] - 1))
    chunk_starts = np.cumsum(counts) - counts
    starts = chunk_starts[first_chunk]
    present = owners[first_chunk].tolist()
    if max_points is not None:
        keep = envelope_many(starts, steps, values, max_points)
        bounds = np.searchsorted(keep, starts)
        steps, walls, values = steps[keep], walls[keep], values[keep]
    else:
        bounds = starts
    for array in (steps, walls, values):
        array.flags.writeable = False
    stops = [*bounds[1:].tolist(), len(steps)]
    for series_id, start, stop in zip(present, bounds.tolist(), stops, strict=True):
        result[series_id] = ScalarPoints(
            steps=steps[start:stop], wall_times=walls[start:stop], values=values[start:stop]
        )
    return result


def _read_with_hidden(
    connection: sqlite3.Connection,
    series_id: int,
    max_points: int | None,
    step_range: tuple[int, int] | None,
) -> ScalarPoints:
    """Hidden and visible points, by step; among equal steps, in the order they were written.

    Hidden rows are in write order and every hidden point was written before
    the visible point of the same step, so a stable sort of (hidden, then
    visible) by step gives that order.
    """
    parts = [
        decode_points(*row)
        for row in connection.execute(
            f"SELECT {POINT_COLUMNS} FROM hidden_scalars WHERE series_id = ? ORDER BY id",
            (series_id,),
        )
    ]
    parts += [
        decode_points(*row)
        for row in connection.execute(
            f"SELECT {POINT_COLUMNS} FROM scalar_chunks WHERE series_id = ? ORDER BY first_step",
            (series_id,),
        )
    ]
    if not parts:
        return empty_points()
    steps, walls, values = _concat(parts)
    order = np.argsort(steps, kind="stable")
    steps, walls, values = steps[order], walls[order], values[order]
    if step_range is not None:
        inside = (steps >= step_range[0]) & (steps <= step_range[1])
        steps, walls, values = steps[inside], walls[inside], values[inside]
    return _finish(steps, walls, values, max_points)


def _concat(parts: list[Points]) -> Points:
    if len(parts) == 1:
        return parts[0]
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def _finish(
    steps: Int64Array, walls: Float64Array, values: Float64Array, max_points: int | None
) -> ScalarPoints:
    if max_points is not None and len(steps) > max_points:
        keep = envelope_indices(steps, values, max_points)
        steps, walls, values = steps[keep], walls[keep], values[keep]
    for array in (steps, walls, values):
        array.flags.writeable = False
    return ScalarPoints(steps=steps, wall_times=walls, values=values)
