"""Every run summary of an experiment as columns: what a runs table filters and sorts at scale.

``ReadProvider.run_summaries()`` builds one ``RunSummary`` per run: at 100,000
runs that is seconds of Python per call, too slow for a table that re-queries
on every keystroke. A ``RunTable`` holds the same facts as numpy columns, so
that the run query (``heron.core.run_query``) filters and sorts with a few
vectorised operations, and only the rows of the page shown become
``RunSummary`` values (``summaries``).

Rows are the runs sorted by name. Columns are *sparse* where most runs may
lack a value: an hparam or a metric column holds the row numbers of the runs
having it and their values, so a thousand tags over 100,000 runs cost memory in
proportion to the series, not to tags × runs. A provider builds a table once
per state of its index and shares it between requests: the table is
immutable (its arrays are read-only).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any, Final

from heron.core.values import HParamValue, RunSummary, ScalarSummary

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.int64]
    Flags = npt.NDArray[np.bool_]

__all__ = [
    "METRIC_FIELDS",
    "HParamColumn",
    "HParamValues",
    "MetricColumn",
    "RunRow",
    "RunTable",
    "SeriesColumns",
    "SeriesRow",
    "TextColumn",
    "build_run_table",
    "hparam_column",
    "hparam_columns",
    "hparam_kind",
    "make_run_table",
    "series_columns",
    "text_column",
]

#: The per-series aggregates a metric column holds, in ``SeriesRow`` order after the tag.
METRIC_FIELDS: Final = (
    "count",
    "first_step",
    "last_step",
    "first",
    "last",
    "min",
    "max",
    "last_wall_time",
)

#: (name, start_time, last_wall_time, last_step, hparams JSON, session_status), by name.
RunRow = tuple[str, float | None, float | None, int | None, str | None, str | None]
#: (row of its run, tag, count, first_step, last_step, first, last, min, max, last_wall_time).
SeriesRow = tuple[
    int, str, int, int, int, float | None, float | None, float | None, float | None, float | None
]


@dataclass(frozen=True, slots=True)
class TextColumn:
    """Strings as codes into their sorted distinct values (so code order is string order)."""

    rows: Ints
    codes: Ints
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HParamColumn:
    """One hparam over the runs having it, split by the kind of value each run holds.

    ``numbers`` excludes NaN (the run query treats a NaN as a missing value);
    booleans are kept apart from numbers, as the query never compares them.
    """

    numbers: tuple[Ints, Floats]
    flags: tuple[Ints, Flags]
    text: TextColumn
    #: Runs having the hparam (NaN included), and ``number`` / ``string`` / ``boolean`` / ``mixed``.
    runs: int
    type: str


@dataclass(frozen=True, slots=True)
class MetricColumn:
    """One scalar tag over the runs having a non-empty series of it: rows and aggregates."""

    rows: Ints
    count: Ints
    first_step: Ints
    last_step: Ints
    first: Floats
    last: Floats
    min: Floats
    max: Floats
    last_wall_time: Floats


@dataclass(frozen=True, slots=True)
class SeriesColumns:
    """The non-empty scalar series of a table's runs, one entry per (run, tag), in any order."""

    rows: Ints
    #: Codes into ``tag_names`` (sorted, so code order is tag order).
    tags: Ints
    tag_names: tuple[str, ...]
    #: Per entry: count, first_step, last_step.
    steps: Ints
    #: Per entry: first, last, min, max value and last wall time (NaN where unknown).
    values: Floats


@dataclass(frozen=True, slots=True, weakref_slot=True, eq=False)
class RunTable:
    """Run summaries as columns, rows sorted by run name (see the module docstring).

    Compared by identity (``eq=False``: comparing numpy columns has no single truth
    value) and weakly referenceable, so that values derived from a table can be kept
    for as long as it lives (``heron.core.state_cache``).
    """

    names: tuple[str, ...]
    #: NaN where unknown.
    start_time: Floats
    last_wall_time: Floats
    #: ``last_step`` where ``has_last_step``.
    last_step: Ints
    has_last_step: Flags
    session_status: TextColumn
    hparams: dict[str, HParamColumn]
    metrics: dict[str, MetricColumn]
    _hparams_json: Sequence[str | None] = field(repr=False)
    _series: SeriesColumns = field(repr=False)
    #: Series entries ordered by (row, tag), and where each row's entries start.
    _by_row: Ints = field(repr=False)
    _row_starts: Ints = field(repr=False)

    def __len__(self) -> int:
        return len(self.names)

    def summaries(self, rows: Sequence[int] | Ints) -> list[RunSummary]:
        """The ``RunSummary`` of each row asked for, equal to ``run_summaries()``' values."""
        import numpy as np

        series = self._series
        status = np.full(len(self), -1, dtype=np.int64)
        status[self.session_status.rows] = self.session_status.codes
        result = []
        for row in (int(r) for r in rows):
            scalars: dict[str, ScalarSummary] = {}
            for at in self._by_row[self._row_starts[row] : self._row_starts[row + 1]].tolist():
                count, first_step, last_step = series.steps[at].tolist()
                first, last, low, high, wall = series.values[at].tolist()
                scalars[series.tag_names[series.tags[at]]] = ScalarSummary(
                    count, first_step, last_step, first, last, low, high, wall
                )
            hparams_json = self._hparams_json[row]
            code = int(status[row])
            result.append(
                RunSummary(
                    run=self.names[row],
                    start_time=_optional(float(self.start_time[row])),
                    last_wall_time=_optional(float(self.last_wall_time[row])),
                    last_step=int(self.last_step[row]) if self.has_last_step[row] else None,
                    hparams=json.loads(hparams_json) if hparams_json else {},
                    session_status=None if code < 0 else self.session_status.values[code],
                    scalars=scalars,
                )
            )
        return result

    def scalar_summaries(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], ScalarSummary]:
        """The ``ScalarSummary`` of each (run, tag) asked for that has one (others are left out).

        What a reader of a few metrics of many runs needs (the hparams plugin's
        sessions), without building each run's whole ``RunSummary``.
        """
        import numpy as np

        rows = {name: row for row, name in enumerate(self.names)}
        by_tag: dict[str, list[tuple[str, int]]] = {}
        for run, tag in keys:
            row = rows.get(run)
            if row is not None and tag in self.metrics:
                by_tag.setdefault(tag, []).append((run, row))
        found: dict[tuple[str, str], ScalarSummary] = {}
        for tag, wanted in by_tag.items():
            column = self.metrics[tag]
            at = np.searchsorted(
                column.rows, np.asarray([row for _, row in wanted], dtype=np.int64)
            )
            at = np.minimum(at, len(column.rows) - 1)
            hit = (column.rows[at] == [row for _, row in wanted]).tolist()
            fields = zip(
                column.count[at].tolist(),
                column.first_step[at].tolist(),
                column.last_step[at].tolist(),
                column.first[at].tolist(),
                column.last[at].tolist(),
                column.min[at].tolist(),
                column.max[at].tolist(),
                column.last_wall_time[at].tolist(),
                strict=True,
            )
            for (run, _), present, values in zip(wanted, hit, fields, strict=True):
                if present:
                    found[run, tag] = ScalarSummary(*values)
        return found


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value


def _readonly(*arrays: npt.NDArray[Any]) -> None:
    for array in arrays:
        array.setflags(write=False)


def text_column(rows: Sequence[int] | Ints, texts: Sequence[str]) -> TextColumn:
    """Strings of some rows as a ``TextColumn``, sorted by row."""
    import numpy as np

    values = tuple(sorted(set(texts)))
    index = {value: code for code, value in enumerate(values)}
    at = np.asarray(rows, dtype=np.int64)
    codes = np.fromiter((index[text] for text in texts), dtype=np.int64, count=len(texts))
    order = np.argsort(at, kind="stable")
    column = TextColumn(at[order], codes[order], values)
    _readonly(column.rows, column.codes)
    return column


#: One hparam's values by kind: numbers (rows, values), booleans (rows, values), text (rows, texts).
HParamValues = tuple[
    tuple["Ints | Sequence[int]", "Floats | Sequence[float]"],
    tuple["Ints | Sequence[int]", "Flags | Sequence[bool]"],
    tuple["Ints | Sequence[int]", Sequence[str]],
]


def hparam_column(values: HParamValues, *, runs: int, kind: str) -> HParamColumn:
    """A column from one hparam's values by kind, in any row order; NaN numbers are dropped."""
    import numpy as np

    (n_rows, n_values), (b_rows, b_values), (t_rows, t_texts) = values
    numbers = np.asarray(n_values, dtype=np.float64)
    number_rows = np.asarray(n_rows, dtype=np.int64)
    keep = ~np.isnan(numbers)
    numbers, number_rows = numbers[keep], number_rows[keep]
    order = np.argsort(number_rows, kind="stable")
    flag_rows = np.asarray(b_rows, dtype=np.int64)
    flags = np.asarray(b_values, dtype=np.bool_)
    flag_order = np.argsort(flag_rows, kind="stable")
    column = HParamColumn(
        (number_rows[order], numbers[order]),
        (flag_rows[flag_order], flags[flag_order]),
        text_column(t_rows, t_texts),
        runs,
        kind,
    )
    _readonly(*column.numbers, *column.flags)
    return column


def hparam_kind(value: object) -> str:
    # As ``/api/v1/runs/columns`` names them: anything not a bool or a string is a number.
    if isinstance(value, bool):
        return "boolean"
    return "string" if isinstance(value, str) else "number"


def hparam_columns(hparams: Sequence[dict[str, HParamValue]]) -> dict[str, HParamColumn]:
    """The columns of parsed hparams, one dict per row (the row-by-row path)."""
    found: dict[str, tuple[tuple[list[int], list[float]], ...]] = {}
    texts: dict[str, tuple[list[int], list[str]]] = {}
    kinds: dict[str, tuple[str, int]] = {}
    for row, values in enumerate(hparams):
        for name, value in values.items():
            kind = hparam_kind(value)
            known, count = kinds.get(name, (kind, 0))
            kinds[name] = (known if known == kind else "mixed", count + 1)
            if isinstance(value, str):
                entry_t = texts.setdefault(name, ([], []))
                entry_t[0].append(row)
                entry_t[1].append(value)
            elif isinstance(value, int | float):  # booleans included
                numbers, flags = found.setdefault(name, (([], []), ([], [])))
                entry = flags if isinstance(value, bool) else numbers
                entry[0].append(row)
                entry[1].append(_as_float(value))
    columns = {}
    for name, (kind, count) in kinds.items():
        numbers, flags = found.get(name, (([], []), ([], [])))
        by_kind: HParamValues = (
            numbers,
            (flags[0], [bool(f) for f in flags[1]]),
            texts.get(name, ([], [])),
        )
        columns[name] = hparam_column(by_kind, runs=count, kind=kind)
    return columns


def _as_float(value: float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond float64: as large as a float gets
        return math.inf if value > 0 else -math.inf


def make_run_table(
    *,
    names: tuple[str, ...],
    times: Floats,
    last_step: Ints,
    has_last_step: Flags,
    hparams_json: Sequence[str | None],
    session_status: TextColumn,
    hparams: dict[str, HParamColumn],
    series: SeriesColumns,
) -> RunTable:
    """The table of runs given as columns (``times``: start and last wall time per row)."""
    import numpy as np

    rows, tags = series.rows, series.tags
    by_tag = np.lexsort((rows, tags))
    tag_rows = rows[by_tag]
    steps = series.steps[by_tag]
    values = series.values[by_tag]
    by_row = np.lexsort((tags, rows))
    row_starts = np.searchsorted(rows[by_row], np.arange(len(names) + 1))
    start, last_wall = np.ascontiguousarray(times[:, 0]), np.ascontiguousarray(times[:, 1])
    # Before any view is taken: a view of a read-only array is read-only.
    _readonly(
        start, last_wall, last_step, has_last_step, tag_rows, steps, values, by_row, row_starts
    )
    _readonly(series.rows, series.tags, series.steps, series.values)
    bounds = np.searchsorted(tags[by_tag], np.arange(len(series.tag_names) + 1))
    metrics = {}
    for code, tag in enumerate(series.tag_names):
        a, b = int(bounds[code]), int(bounds[code + 1])
        if a < b:
            metrics[tag] = MetricColumn(
                tag_rows[a:b],
                steps[a:b, 0],
                steps[a:b, 1],
                steps[a:b, 2],
                *(values[a:b, i] for i in range(5)),
            )
    return RunTable(
        names=names,
        start_time=start,
        last_wall_time=last_wall,
        last_step=last_step,
        has_last_step=has_last_step,
        session_status=session_status,
        hparams=hparams,
        metrics=metrics,
        _hparams_json=hparams_json,
        _series=series,
        _by_row=by_row,
        _row_starts=row_starts,
    )


def series_columns(rows: Ints, tags: Sequence[str], steps: Ints, values: Floats) -> SeriesColumns:
    """Series entries from their run rows, tag names, (count, first, last step) and values."""
    import numpy as np

    tag_names = tuple(sorted(set(tags)))
    index = {tag: code for code, tag in enumerate(tag_names)}
    codes = np.fromiter((index[tag] for tag in tags), dtype=np.int64, count=len(tags))
    return SeriesColumns(rows, codes, tag_names, steps.reshape(-1, 3), values.reshape(-1, 5))


def build_run_table(runs: Sequence[RunRow], series: Sequence[SeriesRow]) -> RunTable:
    """A table from rows: ``runs`` sorted by name, ``series`` (non-empty scalars) of those rows.

    A ``None`` float is NaN (SQLite stores NaN as NULL). The straightforward
    builder, for tests and small experiments; the SQLite index reads columns
    directly (``heron.storage.sqlite.run_snapshot``).
    """
    import numpy as np

    parsed = [json.loads(run[4]) if run[4] else {} for run in runs]
    statuses = [(row, run[5]) for row, run in enumerate(runs) if run[5] is not None]
    times = np.asarray([(run[1], run[2]) for run in runs], dtype=np.float64).reshape(-1, 2)
    return make_run_table(
        names=tuple(run[0] for run in runs),
        times=times,
        last_step=np.asarray([run[3] or 0 for run in runs], dtype=np.int64),
        has_last_step=np.asarray([run[3] is not None for run in runs], dtype=np.bool_),
        hparams_json=tuple(run[4] for run in runs),
        session_status=text_column([r for r, _ in statuses], [s for _, s in statuses]),
        hparams=hparam_columns(parsed),
        series=series_columns(
            np.asarray([entry[0] for entry in series], dtype=np.int64),
            [entry[1] for entry in series],
            np.asarray([entry[2:5] for entry in series], dtype=np.int64),
            np.fromiter(
                (np.nan if v is None else v for v in chain.from_iterable(e[5:] for e in series)),
                dtype=np.float64,
                count=5 * len(series),
            ),
        ),
    )
