"""The run table (``heron.core.run_table``) of an index snapshot, read as columns.

What every runs-table request starts from, so the reader keeps it per index
generation (``listings.ListingCache``). Building it is the cost of a new
generation, so it avoids a Python object per value: numeric columns stream from
the cursor into ``numpy.fromiter`` (a NULL travels as a flag beside a 0), and
hparams are taken apart by SQLite's ``json_each``, grouped by name in SQL.
Hparams that SQLite's JSON parser refuses (``NaN`` and ``Infinity``, which
Python's ``json`` writes) are parsed in Python instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, Final

from heron.core.run_table import (
    HParamColumn,
    HParamValues,
    RunTable,
    hparam_column,
    hparam_columns,
    make_run_table,
    series_columns,
    text_column,
)
from heron.core.run_table_merge import replace_rows

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Floats = npt.NDArray[np.float64]
    Flags = npt.NDArray[np.bool_]

__all__ = ["REFRESH_SHARE", "changed_runs", "newer", "query_run_table", "refreshed_run_table"]

_SERIES: Final = "FROM series WHERE data_class = 1 AND count > 0{runs} ORDER BY id"
_HPARAMS: Final = (
    "FROM runs r, json_each(r.hparams) j "
    "WHERE r.hparams IS NOT NULL AND json_valid(r.hparams){runs}"
)
#: Restricts a query to some runs: the ids travel as one JSON array parameter.
_SOME: Final = " AND {column} IN (SELECT value FROM json_each(?))"
#: SQLite's JSON types → the kinds ``/api/v1/runs/columns`` reports (anything else is a number).
_KINDS: Final = {"true": "boolean", "false": "boolean", "text": "string"}


def _numbers(rows: Iterable[tuple[Any, ...]], width: int, dtype: Any) -> npt.NDArray[Any]:
    import numpy as np

    return np.fromiter(chain.from_iterable(rows), dtype=dtype).reshape(-1, width)


def _rows_of(ids: npt.NDArray[np.int64], run_ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Table rows of ``run_ids``, given ``ids`` (the run id of each row)."""
    import numpy as np

    order = np.argsort(ids)
    return order[np.searchsorted(ids, run_ids, sorter=order)]


def _exact(integers: npt.NDArray[np.float64]) -> bool:
    """Whether integers read as float64 are exact (all below 2**53 in magnitude)."""
    import numpy as np

    return not len(integers) or bool(np.abs(integers).max() < 2.0**53)


def query_run_table(db: sqlite3.Connection, run_ids: Sequence[int] | None = None) -> RunTable:
    """Every run of ``db``'s snapshot, by name, with its non-empty scalar series' summaries.

    With ``run_ids``, only those runs (the rows a reader refreshes after a commit).
    """
    import numpy as np

    some = _Restriction(run_ids)
    runs = db.execute(
        f"SELECT id, name, hparams, session_status FROM runs{some.where('id')} ORDER BY name",
        some.params,
    ).fetchall()
    ids = np.fromiter((run[0] for run in runs), dtype=np.int64, count=len(runs))
    numbers = _numbers(
        db.execute(
            "SELECT ifnull(start_time, 0), start_time IS NULL, ifnull(last_wall_time, 0), "
            "last_wall_time IS NULL, ifnull(last_step, 0), last_step IS NULL "
            f"FROM runs{some.where('id')} ORDER BY name",
            some.params,
        ),
        6,
        np.float64,
    )
    times = np.ascontiguousarray(numbers[:, [0, 2]])
    times[:, 0][numbers[:, 1] == 1] = np.nan
    times[:, 1][numbers[:, 3] == 1] = np.nan
    steps = numbers[:, 4].astype(np.int64)
    if not _exact(numbers[:, 4]):
        steps = _numbers(
            db.execute(
                f"SELECT ifnull(last_step, 0) FROM runs{some.where('id')} ORDER BY name",
                some.params,
            ),
            1,
            np.int64,
        )[:, 0]
    statuses = [(row, run[3]) for row, run in enumerate(runs) if run[3] is not None]

    of_runs = _SERIES.format(runs=some.also("run_id"))
    tags = [tag for (tag,) in db.execute(f"SELECT tag {of_runs}", some.params)]
    # One pass for every number of a series: integers travel as float64, exact below 2**53
    # (steps beyond that are read again as integers).
    series = _numbers(
        db.execute(
            "SELECT run_id, count, ifnull(first_step, 0), ifnull(last_step, 0), "
            "(first_value IS NULL) + 2 * (last_value IS NULL) + 4 * (min_value IS NULL) "
            "+ 8 * (max_value IS NULL) + 16 * (last_wall_time IS NULL), "
            "ifnull(first_value, 0), ifnull(last_value, 0), ifnull(min_value, 0), "
            f"ifnull(max_value, 0), ifnull(last_wall_time, 0) {of_runs}",
            some.params,
        ),
        10,
        np.float64,
    )
    counts = series[:, :5].astype(np.int64)
    if not _exact(series[:, :4]):
        counts = _numbers(
            db.execute(
                f"SELECT run_id, count, ifnull(first_step, 0), ifnull(last_step, 0), 0 {of_runs}",
                some.params,
            ),
            5,
            np.int64,
        )
    values = np.ascontiguousarray(series[:, 5:])
    nulls = series[:, 4].astype(np.int64)
    for column in range(5):
        values[:, column][(nulls >> column) & 1 == 1] = np.nan
    return make_run_table(
        names=tuple(run[1] for run in runs),
        times=times,
        last_step=steps,
        has_last_step=numbers[:, 5] == 0,
        hparams_json=[run[2] for run in runs],
        session_status=text_column([r for r, _ in statuses], [s for _, s in statuses]),
        hparams=_hparams(db, ids, runs, some),
        series=series_columns(
            _rows_of(ids, counts[:, 0]), tags, np.ascontiguousarray(counts[:, 1:4]), values
        ),
    )


#: Past this share of the runs changed, a table is read again in full rather than merged.
REFRESH_SHARE: Final = 0.25


def refreshed_run_table(
    db: sqlite3.Connection, previous: RunTable | None, since: str | None, current: str | None
) -> RunTable:
    """The table of generation ``current``, from ``previous`` (of ``since``) when there is one.

    The runs logged in ``run_changes`` after ``since`` are read again and merged
    into ``previous`` (``heron.core.run_table_merge``); anything else (no previous
    table, a counter that went back, most runs changed) reads every run.
    """
    if previous is None or not newer(current, since):
        return query_run_table(db)
    changed = changed_runs(db, since)
    if len(changed) > max(64, REFRESH_SHARE * len(previous)):
        return query_run_table(db)
    fresh = query_run_table(db, [run_id for run_id, _ in changed])
    return replace_rows(previous, {name for _, name in changed}, fresh)


def changed_runs(db: sqlite3.Connection, since: str | None) -> list[tuple[int, str]]:
    """(id, name) of the runs changed after generation ``since`` (``run_changes``)."""
    return db.execute(
        "SELECT run_id, name FROM run_changes WHERE generation > ?", (int(since or 0),)
    ).fetchall()


def newer(current: str | None, since: str | None) -> bool:
    """Whether generation ``current`` comes after ``since`` (unreadable counters: no)."""
    try:
        return int(current or 0) > int(since or 0)
    except ValueError:
        return False


class _Restriction:
    """All runs, or the runs of ``run_ids``: SQL fragments and their parameters."""

    def __init__(self, run_ids: Sequence[int] | None) -> None:
        self._all = run_ids is None
        self.params: tuple[str, ...] = () if run_ids is None else (json.dumps(list(run_ids)),)

    def also(self, column: str) -> str:
        return "" if self._all else _SOME.format(column=column)

    def where(self, column: str) -> str:
        return "" if self._all else " WHERE" + self.also(column).removeprefix(" AND")


def _hparams(
    db: sqlite3.Connection, ids: npt.NDArray[np.int64], runs: list[Any], some: _Restriction
) -> dict[str, HParamColumn]:
    import numpy as np

    of_runs = _HPARAMS.format(runs=some.also("r.id"))

    kinds: dict[str, tuple[str, int]] = {}
    sizes: dict[tuple[str, bool], int] = {}
    for name, json_type, count in db.execute(
        f"SELECT j.key, j.type, count(*) {of_runs} GROUP BY j.key, j.type ORDER BY j.key",
        some.params,
    ):
        kind = _KINDS.get(json_type, "number")
        known, total = kinds.get(name, (kind, 0))
        kinds[name] = (known if known == kind else "mixed", total + count)
        if json_type in ("integer", "real", "true", "false"):
            flag = json_type in ("true", "false")
            sizes[name, flag] = sizes.get((name, flag), 0) + count
    numeric: dict[str, tuple[Ints, Floats]] = {}
    flags: dict[str, tuple[Ints, Flags]] = {}
    for flag in (False, True):
        types = "('true', 'false')" if flag else "('integer', 'real')"
        found = _numbers(
            db.execute(
                f"SELECT r.id, j.value {of_runs} AND j.type IN {types} ORDER BY j.key",
                some.params,
            ),
            2,
            np.float64,
        )
        start = 0
        for name in sorted(name for name, f in sizes if f == flag):
            part = found[start : start + sizes[name, flag]]
            start += sizes[name, flag]
            rows = _rows_of(ids, part[:, 0].astype(np.int64))
            if flag:
                flags[name] = (rows, part[:, 1] != 0)
            else:
                numeric[name] = (rows, part[:, 1])
    texts: dict[str, tuple[list[int], list[str]]] = {}
    for name, run_id, text in db.execute(
        f"SELECT j.key, r.id, j.value {of_runs} AND j.type = 'text'", some.params
    ):
        entry_t = texts.setdefault(name, ([], []))
        entry_t[0].append(run_id)
        entry_t[1].append(text)
    columns = {}
    for name, (kind, count) in kinds.items():
        run_ids, strings = texts.get(name, ([], []))
        by_kind: HParamValues = (
            numeric.get(name, ([], [])),
            flags.get(name, ([], [])),
            (_rows_of(ids, np.asarray(run_ids, dtype=np.int64)), strings),
        )
        columns[name] = hparam_column(by_kind, runs=count, kind=kind)
    invalid = db.execute(
        "SELECT id, hparams FROM runs WHERE hparams IS NOT NULL AND NOT json_valid(hparams)"
        + some.also("id"),
        some.params,
    ).fetchall()
    if invalid:
        return _merge_python_parsed(columns, ids, invalid, runs)
    return columns


def _merge_python_parsed(
    columns: dict[str, HParamColumn],
    ids: npt.NDArray[np.int64],
    invalid: list[Any],
    runs: list[Any],
) -> dict[str, HParamColumn]:
    """Add the hparams SQLite could not parse (NaN, Infinity), parsed by Python's ``json``."""
    import numpy as np

    rows = _rows_of(ids, np.asarray([run_id for run_id, _ in invalid], dtype=np.int64))
    parsed: list[dict[str, Any]] = [{} for _ in runs]
    for row, (_, text) in zip(rows.tolist(), invalid, strict=True):
        parsed[row] = json.loads(text)
    extra = hparam_columns(parsed)
    merged = dict(columns)
    for name, more in extra.items():
        have = columns.get(name)
        if have is None:
            merged[name] = more
            continue
        kind = have.type if have.type == more.type else "mixed"
        numbers = tuple(
            np.concatenate(pair) for pair in zip(have.numbers, more.numbers, strict=True)
        )
        flags = tuple(np.concatenate(pair) for pair in zip(have.flags, more.flags, strict=True))
        text_rows = np.concatenate([have.text.rows, more.text.rows])
        strings = [have.text.values[c] for c in have.text.codes.tolist()] + [
            more.text.values[c] for c in more.text.codes.tolist()
        ]
        merged[name] = hparam_column(
            ((numbers[0], numbers[1]), (flags[0], flags[1]), (text_rows, strings)),
            runs=have.runs + more.runs,
            kind=kind,
        )
    return merged
