"""Every run summary of an experiment as columns: what a runs table filters and sorts at scale.

``ReadProvider.run_summaries()`` builds one ``RunSummary`` per run: at 100,000
runs that is seconds of Python per call, too slow for a table that re-queries
on every keystroke. A ``RunTable`` holds the same facts as numpy columns
(``heron.core.run_table_columns``), so that the run query
(``heron.core.run_query``) filters and sorts with a few vectorised operations,
and only the rows of the page shown become ``RunSummary`` values
(``summaries``).

Rows are the runs sorted by name. Each scalar series lives in exactly one
place, its tag's metric column; a ``RowIndex`` says where each row's entries
are, so that a row's summary is found without a search and so that a refresh
which overwrites a few values of one tag (``heron.core.run_table_patch``)
copies that tag's column only. A provider builds a table once per state of
its index and shares it between requests: the table is immutable (its arrays
are read-only).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

from heron.core.run_table_columns import (
    METRIC_FIELDS,
    HParamColumn,
    HParamValues,
    MetricColumn,
    SeriesColumns,
    TextColumn,
    hparam_column,
    hparam_columns,
    hparam_kind,
    readonly,
    series_columns,
    text_column,
)
from heron.core.values import RunSummary, ScalarSummary

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
    "RowIndex",
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
    "row_index",
    "series_columns",
    "text_column",
]

#: (name, start_time, last_wall_time, last_step, hparams JSON, session_status), by name.
RunRow = tuple[str, float | None, float | None, int | None, str | None, str | None]
#: (row of its run, tag, count, first_step, last_step, first, last, min, max, last_wall_time).
SeriesRow = tuple[
    int, str, int, int, int, float | None, float | None, float | None, float | None, float | None
]


@dataclass(frozen=True, slots=True)
class RowIndex:
    """Each row's scalar series: entries ``starts[row]:starts[row + 1]``, in tag order.

    An entry is the code of its tag (into ``tag_names``, the sorted tags of the
    metric columns) and its position in that tag's metric column.
    """

    starts: Ints
    tags: Ints
    at: Ints
    tag_names: tuple[str, ...]

    def entries(self, rows: Ints) -> Ints:
        """Positions in ``tags`` and ``at`` of every entry of ``rows``, row by row."""
        import numpy as np

        starts = self.starts[rows]
        lengths = self.starts[rows + 1] - starts
        offsets = np.cumsum(lengths) - lengths
        found: Ints = np.arange(int(lengths.sum()), dtype=np.int64)
        found += np.repeat(starts - offsets, lengths)
        return found


def row_index(metrics: Mapping[str, MetricColumn], size: int) -> RowIndex:
    """Where each of ``size`` rows has entries in ``metrics`` (whose columns are sorted by row)."""
    import numpy as np

    tag_names = tuple(sorted(metrics))
    columns = [metrics[tag] for tag in tag_names]
    lengths = np.asarray([len(column.rows) for column in columns], dtype=np.int64)
    rows = np.concatenate([column.rows for column in columns] or [np.zeros(0, np.int64)])
    offsets = np.cumsum(lengths) - lengths
    codes = np.repeat(np.arange(len(columns), dtype=np.int64), lengths)
    at = np.arange(len(rows), dtype=np.int64) - np.repeat(offsets, lengths)
    # Stable: a row's entries stay in tag order. The input is one sorted run per tag,
    # which the stable sort (a merge sort) takes at close to linear cost.
    order = np.argsort(rows, kind="stable")
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=size), out=starts[1:])
    index = RowIndex(starts, codes[order], at[order], tag_names)
    readonly(index.starts, index.tags, index.at)
    return index


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
    #: By tag, in tag order.
    metrics: dict[str, MetricColumn]
    _hparams_json: Sequence[str | None] = field(repr=False)
    _index: RowIndex = field(repr=False)

    def __len__(self) -> int:
        return len(self.names)

    def summaries(self, rows: Sequence[int] | Ints) -> list[RunSummary]:
        """The ``RunSummary`` of each row asked for, equal to ``run_summaries()``' values."""
        import numpy as np

        wanted = np.asarray(rows, dtype=np.int64).reshape(-1)
        status = np.full(len(self), -1, dtype=np.int64)
        status[self.session_status.rows] = self.session_status.codes
        result = []
        for row, scalars in zip(wanted.tolist(), self._scalars(wanted), strict=True):
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

    def _scalars(self, rows: Ints) -> list[dict[str, ScalarSummary]]:
        """Each row's ``ScalarSummary`` by tag (in tag order), gathered one tag at a time."""
        import numpy as np

        index = self._index
        lengths = index.starts[rows + 1] - index.starts[rows]
        owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        entries = index.entries(rows)
        codes = index.tags[entries]
        by_tag = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[by_tag], np.arange(len(index.tag_names) + 1))
        found: list[dict[str, ScalarSummary]] = [{} for _ in range(len(rows))]
        for code in np.flatnonzero(np.diff(bounds)).tolist():
            pick = by_tag[bounds[code] : bounds[code + 1]]
            tag = index.tag_names[code]
            column = self.metrics[tag]
            at = index.at[entries[pick]]
            fields = [getattr(column, name)[at].tolist() for name in METRIC_FIELDS]
            for row, values in zip(owner[pick].tolist(), zip(*fields, strict=True), strict=True):
                found[row][tag] = ScalarSummary(*values)
        # Tags were visited in code order, so each row's dict is in tag order.
        return found

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
                *(getattr(column, name)[at].tolist() for name in METRIC_FIELDS), strict=True
            )
            for (run, _), present, values in zip(wanted, hit, fields, strict=True):
                if present:
                    found[run, tag] = ScalarSummary(*values)
        return found


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value


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
    # One field per row of these (transposed): each metric field is then a contiguous
    # slice, which the run query filters and sorts ~2x faster than a strided column.
    steps = np.ascontiguousarray(series.steps[by_tag].T)
    values = np.ascontiguousarray(series.values[by_tag].T)
    start, last_wall = np.ascontiguousarray(times[:, 0]), np.ascontiguousarray(times[:, 1])
    readonly(start, last_wall, last_step, has_last_step, tag_rows, steps, values)
    bounds = np.searchsorted(tags[by_tag], np.arange(len(series.tag_names) + 1))
    metrics = {}
    for code, tag in enumerate(series.tag_names):
        a, b = int(bounds[code]), int(bounds[code + 1])
        if a < b:
            metrics[tag] = MetricColumn(
                tag_rows[a:b],
                steps[0, a:b],
                steps[1, a:b],
                steps[2, a:b],
                *(values[i, a:b] for i in range(5)),
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
        _index=row_index(metrics, len(names)),
    )


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
