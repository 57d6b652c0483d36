"""Appending scalar columns to chunked series, applying the restart rule on the way.

Per series, points arrive in write order. Those that a later point of the
same batch hides go straight to ``hidden_scalars``; the rest have strictly
increasing steps. If the smallest step of the batch is at or below the last
visible step, the visible tail from that step on is moved to
``hidden_scalars`` first (it was written earlier, so it is hidden). Then the
visible points fill the partial tail chunk and new chunks. The series summary
is recomputed from the chunk rollups of that series only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from heron.storage.batch import ScalarColumns
from heron.storage.scalar_chunks import (
    CHUNK_POINTS,
    Rollups,
    chunk_starts,
    decode_points,
    encode_pieces,
    hidden_by_later,
    pack_rollups,
    rollups,
)

__all__ = ["POINT_COLUMNS", "append_scalars"]

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]
_Points = tuple[Int64Array, Float64Array, Float64Array]

#: Hidden points are stored in rows of at most this many points.
_HIDDEN_ROW_POINTS: Final = 1 << 16

_INSERT_CHUNK: Final = """
INSERT INTO scalar_chunks (
    series_id, first_step, last_step, count, first_value, last_value, last_wall, low, high,
    total, nan_count, latest_wall, rollup, encoding, steps, "values", wall_times
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
#: The columns ``decode_points`` takes, in its order.
POINT_COLUMNS: Final = 'count, first_step, last_step, encoding, steps, "values", wall_times'
_TAIL: Final = (
    f"SELECT id, {POINT_COLUMNS} FROM scalar_chunks "
    "WHERE series_id = ? ORDER BY first_step DESC LIMIT 1"
)


def append_scalars(
    connection: sqlite3.Connection,
    blocks: Sequence[ScalarColumns],
    new_series: Collection[int] = frozenset(),
) -> set[int]:
    """Apply every block (in order) inside the caller's transaction; return the series touched.

    Series whose new points only extend them (the common case) are written
    together: one vectorised rollup pass and one ``executemany`` for all of
    them. A series where the restart rule hides something takes the
    per-series path. ``new_series`` were created in this transaction: they
    hold no chunk yet, so their tails and old summaries are not looked up
    (a cold ingest of a sweep creates thousands per transaction).
    """
    blocks = [b for b in blocks if len(b)]
    if not blocks:
        return set()
    series_ids = np.concatenate([b.series_ids for b in blocks]).astype(np.int64, copy=False)
    steps = np.concatenate([b.steps for b in blocks]).astype(np.int64, copy=False)
    walls = np.concatenate([b.wall_times for b in blocks]).astype(np.float64, copy=False)
    values = np.concatenate([b.values for b in blocks]).astype(np.float64, copy=False)
    if len(series_ids) > 1 and bool(np.any(series_ids[1:] < series_ids[:-1])):
        order = np.argsort(series_ids, kind="stable")  # groups by series, keeps write order
        series_ids, steps, walls, values = (
            series_ids[order],
            steps[order],
            walls[order],
            values[order],
        )
    starts = np.flatnonzero(np.diff(series_ids, prepend=series_ids[0] - 1))
    stops = np.append(starts[1:], len(series_ids))
    ids = series_ids[starts].tolist()
    tails = _tails(connection, [i for i in ids if i not in new_series])
    # A group is a pure append when its steps increase and start after the stored tail.
    rising = np.ones(len(steps), dtype=np.bool_)
    rising[1:] = steps[1:] > steps[:-1]
    rising[starts] = True
    monotonic = np.logical_and.reduceat(rising, starts)
    lowest = np.minimum.reduceat(steps, starts)
    appends: list[tuple[int, int, int]] = []
    for index, series_id in enumerate(ids):
        start, stop = int(starts[index]), int(stops[index])
        tail = tails.get(series_id)
        if monotonic[index] and (tail is None or lowest[index] > tail[3]):
            appends.append((series_id, start, stop))
        else:
            _apply_series(
                connection, series_id, (steps[start:stop], walls[start:stop], values[start:stop])
            )
    if appends:
        _append_all(connection, appends, tails, (steps, walls, values), new_series)
    return set(ids)


def _tails(connection: sqlite3.Connection, series_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The last chunk of each series: ``(id, *POINT_COLUMNS)``."""
    if not series_ids:
        return {}
    rows = connection.execute(
        f"SELECT series_id, id, {POINT_COLUMNS} FROM scalar_chunks WHERE id IN ("
        "  SELECT c.id FROM scalar_chunks AS c JOIN ("
        "    SELECT series_id, max(first_step) AS first_step FROM scalar_chunks"
        "    WHERE series_id IN (SELECT value FROM json_each(?)) GROUP BY series_id"
        "  ) AS t ON c.series_id = t.series_id AND c.first_step = t.first_step)",
        (json.dumps(series_ids),),
    )
    return {row[0]: row[1:] for row in rows}


def _append_all(
    connection: sqlite3.Connection,
    appends: list[tuple[int, int, int]],
    tails: dict[int, tuple[Any, ...]],
    points: _Points,
    new_series: Collection[int],
) -> None:
    """Append to many series at once: partial tail chunks are rewritten, full ones kept.

    Vectorised over series: a cold ingest of a sweep appends to thousands of
    new series per transaction, and per-series numpy calls cost more than the
    points.
    """
    steps, walls, values = points
    pieces: list[_Points] = []
    old_counts: list[int] = []
    replaced: list[tuple[int]] = []
    contiguous = True
    previous_stop = appends[0][1]
    for series_id, start, stop in appends:
        tail = tails.get(series_id)
        merged = 0
        if tail is not None and tail[1] < CHUNK_POINTS:
            merged = tail[1]
            pieces.append(decode_points(*tail[1:]))
            replaced.append((tail[0],))
            contiguous = False
        contiguous = contiguous and start == previous_stop
        previous_stop = stop
        pieces.append((steps[start:stop], walls[start:stop], values[start:stop]))
        old_counts.append(merged)
    if contiguous:  # new series only, side by side in the batch: no copy
        first, last = appends[0][1], appends[-1][2]
        all_points = (steps[first:last], walls[first:last], values[first:last])
    else:
        all_points = (
            np.concatenate([p[0] for p in pieces]),
            np.concatenate([p[1] for p in pieces]),
            np.concatenate([p[2] for p in pieces]),
        )
    # Each series' points (old tail + new) are cut into chunks of CHUNK_POINTS.
    counts = np.asarray(
        [
            merged + stop - start
            for (_, start, stop), merged in zip(appends, old_counts, strict=True)
        ],
        dtype=np.int64,
    )
    chunks = (counts + CHUNK_POINTS - 1) // CHUNK_POINTS
    offsets = np.cumsum(counts) - counts
    first_chunk = np.cumsum(chunks) - chunks
    index_in_series = np.arange(int(chunks.sum()), dtype=np.int64) - np.repeat(first_chunk, chunks)
    starts = np.repeat(offsets, chunks) + index_in_series * CHUNK_POINTS
    owners = np.repeat(np.asarray([a[0] for a in appends], dtype=np.int64), chunks).tolist()
    connection.executemany("DELETE FROM scalar_chunks WHERE id = ?", replaced)
    r = _write_chunks(connection, owners, all_points, starts)
    _extend_summaries(connection, appends, owners, r, old_counts, new_series)


def _apply_series(connection: sqlite3.Connection, series_id: int, points: _Points) -> None:
    steps, walls, values = points
    hidden = hidden_by_later(steps)
    first_step = int(steps.min())
    tail = connection.execute(_TAIL, (series_id,)).fetchone()
    if tail is not None and first_step <= tail[3]:
        _truncate(connection, series_id, first_step)
        tail = connection.execute(_TAIL, (series_id,)).fetchone()
    if hidden.any():
        _insert_hidden(connection, series_id, (steps[hidden], walls[hidden], values[hidden]))
        visible = ~hidden
        steps, walls, values = steps[visible], walls[visible], values[visible]
    if tail is not None and tail[1] < CHUNK_POINTS:
        old = decode_points(*tail[1:])
        steps = np.concatenate([old[0], steps])
        walls = np.concatenate([old[1], walls])
        values = np.concatenate([old[2], values])
        connection.execute("DELETE FROM scalar_chunks WHERE id = ?", (tail[0],))
    _insert_chunks(connection, series_id, (steps, walls, values))
    _refresh_summary(connection, series_id)


def _truncate(connection: sqlite3.Connection, series_id: int, from_step: int) -> None:
    """Move the visible points with step >= ``from_step`` to the hidden store."""
    rows = connection.execute(
        f"SELECT id, {POINT_COLUMNS} FROM scalar_chunks "
        "WHERE series_id = ? AND last_step >= ? ORDER BY first_step",
        (series_id, from_step),
    ).fetchall()
    moved: list[_Points] = []
    for chunk_id, *stored in rows:
        steps, walls, values = decode_points(*stored)
        cut = int(np.searchsorted(steps, from_step, side="left"))
        moved.append((steps[cut:], walls[cut:], values[cut:]))
        connection.execute("DELETE FROM scalar_chunks WHERE id = ?", (chunk_id,))
        if cut:
            _insert_chunks(connection, series_id, (steps[:cut], walls[:cut], values[:cut]))
    _insert_hidden(
        connection,
        series_id,
        (
            np.concatenate([m[0] for m in moved]),
            np.concatenate([m[1] for m in moved]),
            np.concatenate([m[2] for m in moved]),
        ),
    )


def _insert_hidden(connection: sqlite3.Connection, series_id: int, points: _Points) -> None:
    steps, walls, values = points
    if not len(steps):
        return
    starts = chunk_starts(len(steps), _HIDDEN_ROW_POINTS, _HIDDEN_ROW_POINTS)
    stops = np.append(starts[1:], len(steps))
    encodings, step_bytes, value_bytes, wall_bytes = encode_pieces(steps, walls, values, starts)
    connection.executemany(
        "INSERT INTO hidden_scalars (series_id, count, first_step, last_step, encoding, steps, "
        '"values", wall_times) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        zip(
            [series_id] * len(starts),
            (stops - starts).tolist(),
            steps[starts].tolist(),
            steps[stops - 1].tolist(),
            encodings,
            step_bytes,
            value_bytes,
            wall_bytes,
            strict=True,
        ),
    )


def _insert_chunks(connection: sqlite3.Connection, series_id: int, points: _Points) -> None:
    if not len(points[0]):
        return
    starts = chunk_starts(len(points[0]), CHUNK_POINTS)
    _write_chunks(connection, [series_id] * len(starts), points, starts)


def _write_chunks(
    connection: sqlite3.Connection, owners: list[int], points: _Points, starts: Int64Array
) -> Rollups:
    """Insert chunks ``[starts[i], starts[i+1])`` of ``points``; chunk i belongs to owners[i]."""
    steps, walls, values = points
    r = rollups(steps, walls, values, starts)
    encodings, step_bytes, value_bytes, wall_bytes = encode_pieces(steps, walls, values, starts)
    columns: list[Iterable[Any]] = [
        owners,
        r.first_step.tolist(),
        r.last_step.tolist(),
        r.count.tolist(),
        r.first_value.tolist(),
        r.last_value.tolist(),
        r.last_wall.tolist(),
        r.low.tolist(),
        r.high.tolist(),
        r.total.tolist(),
        r.nan_count.tolist(),
        r.latest_wall.tolist(),
        pack_rollups(r),
        encodings,
        step_bytes,
        value_bytes,
        wall_bytes,
    ]
    connection.executemany(_INSERT_CHUNK, zip(*columns, strict=True))
    return r


def _extend_summaries(
    connection: sqlite3.Connection,
    appends: list[tuple[int, int, int]],
    owners: list[int],
    r: Rollups,
    merged: list[int],
    new_series: Collection[int],
) -> None:
    """Fold the rollups of appended chunks into each series' summary (no chunk is re-read).

    A rewritten tail's old points are in the new rollups again: harmless for
    min / max / last, and subtracted from the count via ``merged``.
    """
    owner = np.asarray(owners, dtype=np.int64)
    group = np.flatnonzero(np.diff(owner, prepend=owner[0] - 1))
    last = np.append(group[1:], len(owner)) - 1
    with np.errstate(invalid="ignore"):
        low = np.fmin.reduceat(r.low, group)
        high = np.fmax.reduceat(r.high, group)
    count = np.add.reduceat(r.count, group) - np.asarray(merged, dtype=np.int64)
    latest = np.maximum.reduceat(r.latest_wall, group)
    ids = [series_id for series_id, _, _ in appends]
    stored = [series_id for series_id in ids if series_id not in new_series]
    old: dict[int, tuple[Any, ...]] = dict.fromkeys(ids, _EMPTY_SUMMARY)
    if stored:
        old.update(
            (row[0], row[1:])
            for row in connection.execute(
                "SELECT id, count, min_value, max_value, max_wall_time FROM series "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(stored),),
            )
        )
    # Plain Python numbers once per column, not per element (``float(array[i])`` is slow).
    group_first, group_last = group.tolist(), last.tolist()
    counts, lows, highs, latests = count.tolist(), low.tolist(), high.tolist(), latest.tolist()
    first_steps, last_steps = r.first_step.tolist(), r.last_step.tolist()
    first_values, last_values = r.first_value.tolist(), r.last_value.tolist()
    last_walls = r.last_wall.tolist()
    updates = []
    for index, series_id in enumerate(ids):
        old_count, old_low, old_high, old_latest = old[series_id]
        first, final = group_first[index], group_last[index]
        fresh = not old_count
        updates.append(
            (
                old_count + counts[index],
                _fold(min, old_low, lows[index]),
                _fold(max, old_high, highs[index]),
                _fold(max, old_latest, latests[index]),
                first_steps[first] if fresh else None,
                last_steps[final],
                first_values[first] if fresh else None,
                last_values[final],
                last_walls[final],
                int(fresh),
                series_id,
            )
        )
    connection.executemany(
        "UPDATE series SET count = ?1, min_value = ?2, max_value = ?3, max_wall_time = ?4, "
        "first_step = CASE WHEN ?10 THEN ?5 ELSE first_step END, last_step = ?6, "
        "first_value = CASE WHEN ?10 THEN ?7 ELSE first_value END, last_value = ?8, "
        "last_wall_time = ?9 WHERE id = ?11",
        updates,
    )


#: (count, min, max, max wall time) of a series with no point yet.
_EMPTY_SUMMARY: Final[tuple[Any, ...]] = (0, None, None, None)


def _fold(pick: Any, old: float | None, new: float) -> float | None:
    """Combine an old aggregate (NULL = none / NaN) with a new one (NaN = none)."""
    if new != new:  # NaN
        return old
    return new if old is None else float(pick(old, new))


def _refresh_summary(connection: sqlite3.Connection, series_id: int) -> None:
    """Recompute a series' visible-point summary from its chunk rollups (NULL means NaN)."""
    count, low, high, latest, first_step, last_step = connection.execute(
        "SELECT coalesce(sum(count), 0), min(low), max(high), max(latest_wall), "
        "min(first_step), max(last_step) FROM scalar_chunks WHERE series_id = ?",
        (series_id,),
    ).fetchone()
    first = connection.execute(
        "SELECT first_value FROM scalar_chunks WHERE series_id = ? ORDER BY first_step LIMIT 1",
        (series_id,),
    ).fetchone()
    last = connection.execute(
        "SELECT last_value, last_wall FROM scalar_chunks WHERE series_id = ? "
        "ORDER BY first_step DESC LIMIT 1",
        (series_id,),
    ).fetchone()
    connection.execute(
        "UPDATE series SET count = ?, min_value = ?, max_value = ?, max_wall_time = ?, "
        "first_step = ?, last_step = ?, first_value = ?, last_value = ?, last_wall_time = ? "
        "WHERE id = ?",
        (
            count,
            low,
            high,
            latest,
            first_step,
            last_step,
            first[0] if first else None,
            last[0] if last else None,
            last[1] if last else None,
            series_id,
        ),
    )
