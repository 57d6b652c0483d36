"""A run table refreshed for a few runs: the old table's other rows, merged with new rows.

Building the table of 100,000 runs from the index takes ~1.5 s, and ingest
commits every few seconds while runs are training, each commit touching a
handful of runs. ``replace_rows`` takes the previous table, drops the rows of
the runs that changed (``changed``: their names) and merges in a table of
those runs read again (``fresh``), with numpy operations over the columns and
no Python object per row. When the changed runs all stay and keep their tags
(the common case while they train), rows keep their numbers and the columns
are copied with the changed values overwritten (~20 ms of CPU at 100,000 runs
and 300,000 series); otherwise sorted columns are merged without sorting again
(``merge_order``: a binary search per new entry), ~90 ms.

The result equals the table built from scratch over the same runs (a property
test compares them field by field): rows stay sorted by name, codes index the
sorted values actually present, hparams and metrics absent from every
remaining run disappear, and each hparam's run count and type are recounted
from the kinds of its values (the hparams JSON of the few dropped rows is
parsed to know what they held).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from heron.core.run_table import (
    HParamColumn,
    MetricColumn,
    RunTable,
    SeriesColumns,
    TextColumn,
    hparam_kind,
)
from heron.core.run_table_lineage import record_refresh

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]

__all__ = ["merge_order", "replace_rows"]

T = TypeVar("T")


class _Rows:
    """Where the old table's kept rows and the fresh table's rows go in the merged table."""

    def __init__(self, old: RunTable, changed: Collection[str], fresh: RunTable) -> None:
        import numpy as np

        names = old.names
        dropped = []
        for name in changed:
            at = bisect_left(names, name)
            if at < len(names) and names[at] == name:
                dropped.append(at)
        self.dropped = np.asarray(sorted(dropped), dtype=np.int64)
        self.keep = np.ones(len(names), dtype=np.bool_)
        self.keep[self.dropped] = False
        kept = np.flatnonzero(self.keep)
        # Kept names below each fresh name (fresh names are never kept ones: they changed).
        below = np.fromiter(
            (bisect_left(names, name) for name in fresh.names), np.int64, len(fresh)
        )
        below -= np.searchsorted(self.dropped, below)
        self.fresh = below + np.arange(len(fresh), dtype=np.int64)
        self.old = np.full(len(names), -1, dtype=np.int64)
        self.old[kept] = np.arange(len(kept)) + np.searchsorted(
            below, np.arange(len(kept)), "right"
        )
        self.size = len(kept) + len(fresh)
        self.kept = kept
        self.below = below

    def listed(self, old: Sequence[T], fresh: Sequence[T]) -> list[T]:
        """A per-row Python sequence merged by slices: no loop over the rows."""
        kept: list[T] = []
        done = 0
        for row in self.dropped.tolist():
            kept += old[done:row]
            done = row + 1
        kept += old[done:]
        merged: list[T] = []
        done = 0
        for item, at in zip(fresh, self.below.tolist(), strict=True):
            merged += kept[done:at]
            merged.append(item)
            done = at
        merged += kept[done:]
        return merged

    def dense(self, old: npt.NDArray[Any], fresh: npt.NDArray[Any]) -> npt.NDArray[Any]:
        import numpy as np

        merged = np.empty((self.size, *old.shape[1:]), dtype=old.dtype)
        merged[self.old[self.kept]] = old[self.kept]
        merged[self.fresh] = fresh
        merged.setflags(write=False)
        return merged

    def sparse(self, old_rows: Ints, fresh_rows: Ints) -> tuple[Ints, Ints, Ints]:
        """Merged rows (sorted) and, for each, its index into ``old[kept] + fresh`` values."""
        import numpy as np

        kept = np.flatnonzero(self.keep[old_rows])
        a, b = self.old[old_rows[kept]], self.fresh[fresh_rows]
        order = merge_order(a, b)
        return np.concatenate([a, b])[order], order, kept


def merge_order(a: Ints, b: Ints) -> Ints:
    """The order sorting ``a + b`` (each sorted), as a stable sort would: ``a`` first among equals.

    Linear (a binary search per element of ``b``, which holds the few changed runs),
    where sorting the 300,000 entries of a large table again cost tens of ms.
    """
    import numpy as np

    at = np.searchsorted(a, b, side="right") + np.arange(len(b), dtype=np.int64)
    order = np.empty(len(a) + len(b), dtype=np.int64)
    from_b = np.zeros(len(order), dtype=np.bool_)
    from_b[at] = True
    order[~from_b] = np.arange(len(a), dtype=np.int64)
    order[at] = len(a) + np.arange(len(b), dtype=np.int64)
    return order


def _take(
    old: npt.NDArray[Any], fresh: npt.NDArray[Any], kept: Ints, order: Ints
) -> npt.NDArray[Any]:
    import numpy as np

    merged = np.concatenate([old[kept], fresh])[order]
    merged.setflags(write=False)
    return merged


def _text(rows: _Rows, old: TextColumn, fresh: TextColumn) -> TextColumn:
    import numpy as np

    values = sorted(set(old.values) | set(fresh.values))
    index = {value: code for code, value in enumerate(values)}
    old_codes = np.asarray([index[v] for v in old.values], dtype=np.int64)
    fresh_codes = np.asarray([index[v] for v in fresh.values], dtype=np.int64)
    merged, order, kept = rows.sparse(old.rows, fresh.rows)
    codes = np.concatenate([old_codes[old.codes[kept]], fresh_codes[fresh.codes]])[order]
    used = np.flatnonzero(np.bincount(codes, minlength=len(values)))
    if len(used) < len(values):  # a value only dropped rows held
        recode = np.full(len(values), -1, dtype=np.int64)
        recode[used] = np.arange(len(used))
        codes = recode[codes]
        values = [values[code] for code in used.tolist()]
    merged.setflags(write=False)
    codes.setflags(write=False)
    return TextColumn(merged, codes, tuple(values))


def _hparam(
    rows: _Rows, old: HParamColumn | None, fresh: HParamColumn | None, dropped_kinds: dict[str, int]
) -> HParamColumn | None:
    import numpy as np

    empty = _empty_hparam()
    a, b = old or empty, fresh or empty
    n_rows, order, kept = rows.sparse(a.numbers[0], b.numbers[0])
    numbers = (n_rows, _take(a.numbers[1], b.numbers[1], kept, order))
    f_rows, order, kept = rows.sparse(a.flags[0], b.flags[0])
    flags = (f_rows, _take(a.flags[1], b.flags[1], kept, order))
    text = _text(rows, a.text, b.text)
    # Values of the "number" kind include NaN and null, which no array holds: count them.
    counts = {
        "number": _numeric_kind(a) - dropped_kinds.get("number", 0) + _numeric_kind(b),
        "boolean": len(flags[0]),
        "string": len(text.rows),
    }
    present = [kind for kind, count in counts.items() if count > 0]
    if not present:
        return None
    runs = sum(counts.values())
    column = HParamColumn(numbers, flags, text, runs, present[0] if len(present) == 1 else "mixed")
    for array in (*numbers, *flags):
        np.asarray(array).setflags(write=False)
    return column


def _numeric_kind(column: HParamColumn) -> int:
    return column.runs - len(column.flags[0]) - len(column.text.rows)


def _empty_hparam() -> HParamColumn:
    import numpy as np

    no_rows = np.zeros(0, dtype=np.int64)
    return HParamColumn(
        (no_rows, np.zeros(0, dtype=np.float64)),
        (no_rows, np.zeros(0, dtype=np.bool_)),
        TextColumn(no_rows, no_rows, ()),
        0,
        "number",
    )


def _dropped_kinds(old: RunTable, dropped: Ints) -> dict[str, dict[str, int]]:
    """Per hparam, how many dropped rows held a value of each kind."""
    kinds: dict[str, dict[str, int]] = {}
    for row in dropped.tolist():
        text = old._hparams_json[row]
        for name, value in (json.loads(text) if text else {}).items():
            by_kind = kinds.setdefault(name, {})
            kind = hparam_kind(value)
            by_kind[kind] = by_kind.get(kind, 0) + 1
    return kinds


_METRIC_FIELDS = (
    "count",
    "first_step",
    "last_step",
    "first",
    "last",
    "min",
    "max",
    "last_wall_time",
)


def _metric(
    rows: _Rows, old: MetricColumn | None, fresh: MetricColumn | None
) -> MetricColumn | None:
    a = old or fresh
    assert a is not None
    # A side without the tag contributes no entries (empty arrays of the other side's types).
    a, b = old or _no_entries(a), fresh or _no_entries(a)
    merged, order, kept = rows.sparse(a.rows, b.rows)
    if not len(merged):
        return None
    merged.setflags(write=False)
    arrays = [_take(getattr(a, f), getattr(b, f), kept, order) for f in _METRIC_FIELDS]
    return MetricColumn(merged, *arrays)


def _no_entries(like: MetricColumn) -> MetricColumn:
    return MetricColumn(like.rows[:0], *(getattr(like, f)[:0] for f in _METRIC_FIELDS))


def _series(rows: _Rows, old: RunTable, fresh: RunTable) -> tuple[SeriesColumns, Ints, Ints]:
    """The merged series entries, their (row, tag) order and where each row's entries start."""
    import numpy as np

    a, b = old._series, fresh._series
    names = sorted(set(a.tag_names) | set(b.tag_names))
    index = {tag: code for code, tag in enumerate(names)}
    a_codes = np.asarray([index[t] for t in a.tag_names], dtype=np.int64)[a.tags]
    b_codes = np.asarray([index[t] for t in b.tag_names], dtype=np.int64)[b.tags]
    keep = rows.keep[a.rows]
    position = np.cumsum(keep) - 1  # old entry -> its index among kept entries
    n_kept = int(keep.sum())
    entry_rows = np.concatenate([rows.old[a.rows[keep]], rows.fresh[b.rows]])
    codes = np.concatenate([a_codes[keep], b_codes])
    used = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    if len(used) < len(names):  # a tag only dropped rows had
        recode = np.full(len(names), -1, dtype=np.int64)
        recode[used] = np.arange(len(used))
        codes = recode[codes]
        names = [names[code] for code in used.tolist()]
    series = SeriesColumns(
        entry_rows,
        codes,
        tuple(names),
        np.concatenate([a.steps[keep], b.steps]),
        np.concatenate([a.values[keep], b.values]),
    )
    # Both by-row orders stay sorted under the monotone maps of rows and tag codes.
    old_order = position[old._by_row[keep[old._by_row]]]
    fresh_order = fresh._by_row + n_kept
    width = max(len(names), 1)
    by_row = np.concatenate([old_order, fresh_order])[
        merge_order(
            entry_rows[old_order] * width + codes[old_order],
            entry_rows[fresh_order] * width + codes[fresh_order],
        )
    ]
    starts = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_rows, minlength=rows.size), out=starts[1:])
    for array in (series.rows, series.tags, series.steps, series.values, by_row, starts):
        array.setflags(write=False)
    return series, by_row, starts


def _same_rows(old: RunTable, rows: _Rows, fresh: RunTable) -> bool:
    """Whether the changed runs all stay, and no run comes: every row keeps its number."""
    return len(rows.dropped) == len(fresh) and all(
        old.names[row] == name for row, name in zip(rows.dropped.tolist(), fresh.names, strict=True)
    )


def _overwrite(old: npt.NDArray[Any], at: Ints, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    merged = old.copy()
    merged[at] = values
    merged.setflags(write=False)
    return merged


def _metric_in_place(
    rows: _Rows, old: MetricColumn | None, fresh: MetricColumn | None
) -> MetricColumn | None:
    """The column with the changed rows' entries overwritten, if they hold the same rows."""
    import numpy as np

    if old is None:
        return None  # a tag new to the table: merged
    at = np.searchsorted(old.rows, rows.dropped)
    present = at < len(old.rows)
    present[present] = old.rows[at[present]] == rows.dropped[present]
    if fresh is None:
        return None if present.any() else old  # no changed run has it: unchanged
    if not np.array_equal(rows.dropped[present], rows.dropped[fresh.rows]):
        return None
    at = at[present]
    return MetricColumn(
        old.rows, *(_overwrite(getattr(old, f), at, getattr(fresh, f)) for f in _METRIC_FIELDS)
    )


def _series_in_place(old: RunTable, rows: _Rows, fresh: RunTable) -> SeriesColumns | None:
    """The entries with the changed rows' overwritten, if each row keeps the same tags."""
    import numpy as np

    a, b = old._series, fresh._series
    old_at: list[int] = []
    for row, fresh_row in zip(rows.dropped.tolist(), range(len(fresh)), strict=True):
        mine = old._by_row[old._row_starts[row] : old._row_starts[row + 1]]
        theirs = fresh._by_row[fresh._row_starts[fresh_row] : fresh._row_starts[fresh_row + 1]]
        if [a.tag_names[t] for t in a.tags[mine].tolist()] != [
            b.tag_names[t] for t in b.tags[theirs].tolist()
        ]:
            return None
        old_at += mine.tolist()
    at = np.asarray(old_at, dtype=np.int64)
    fresh_at = fresh._by_row  # row by row, tag by tag: the order ``old_at`` was built in
    return SeriesColumns(
        a.rows,
        a.tags,
        a.tag_names,
        _overwrite(a.steps, at, b.steps[fresh_at]),
        _overwrite(a.values, at, b.values[fresh_at]),
    )


def _replace_in_place(old: RunTable, rows: _Rows, fresh: RunTable) -> RunTable | None:
    """The common case while runs train: the changed runs existed and keep their tags.

    Rows keep their numbers, so most columns are copied with a few values
    overwritten (no merge of 300,000 series entries); ``None`` when it does not apply.
    """
    series = _series_in_place(old, rows, fresh)
    if series is None:
        return None
    metrics = {}
    for tag in sorted(set(old.metrics) | set(fresh.metrics)):
        metric = _metric_in_place(rows, old.metrics.get(tag), fresh.metrics.get(tag))
        if metric is None:
            return None
        metrics[tag] = metric
    changed = rows.dropped
    hparams_json = list(old._hparams_json)
    for row, text in zip(changed.tolist(), fresh._hparams_json, strict=True):
        hparams_json[row] = text
    return RunTable(
        names=old.names,
        start_time=_overwrite(old.start_time, changed, fresh.start_time),
        last_wall_time=_overwrite(old.last_wall_time, changed, fresh.last_wall_time),
        last_step=_overwrite(old.last_step, changed, fresh.last_step),
        has_last_step=_overwrite(old.has_last_step, changed, fresh.has_last_step),
        session_status=_text(rows, old.session_status, fresh.session_status),
        hparams=_hparams(old, rows, fresh),
        metrics=metrics,
        _hparams_json=hparams_json,
        _series=series,
        _by_row=old._by_row,
        _row_starts=old._row_starts,
    )


def _hparams(old: RunTable, rows: _Rows, fresh: RunTable) -> dict[str, HParamColumn]:
    dropped_kinds = _dropped_kinds(old, rows.dropped)
    hparams = {}
    for name in sorted(set(old.hparams) | set(fresh.hparams)):
        column = _hparam(
            rows, old.hparams.get(name), fresh.hparams.get(name), dropped_kinds.get(name, {})
        )
        if column is not None:
            hparams[name] = column
    return hparams


def replace_rows(old: RunTable, changed: Collection[str], fresh: RunTable) -> RunTable:
    """``old`` without the runs named in ``changed``, plus every row of ``fresh``.

    ``fresh`` holds the changed runs that still exist, read again; a name in
    ``changed`` that ``fresh`` lacks is a removed run. The new table remembers
    which runs changed (``heron.core.run_table_lineage``), so that what derives
    from ``old`` can be updated rather than rebuilt.
    """
    new = _replaced(old, changed, fresh)
    record_refresh(old, changed, new)
    return new


def _replaced(old: RunTable, changed: Collection[str], fresh: RunTable) -> RunTable:
    rows = _Rows(old, changed, fresh)
    if _same_rows(old, rows, fresh):
        in_place = _replace_in_place(old, rows, fresh)
        if in_place is not None:
            return in_place
    hparams = _hparams(old, rows, fresh)
    metrics = {}
    for tag in sorted(set(old.metrics) | set(fresh.metrics)):
        metric = _metric(rows, old.metrics.get(tag), fresh.metrics.get(tag))
        if metric is not None:
            metrics[tag] = metric
    series, by_row, starts = _series(rows, old, fresh)
    return RunTable(
        names=tuple(rows.listed(old.names, fresh.names)),
        start_time=rows.dense(old.start_time, fresh.start_time),
        last_wall_time=rows.dense(old.last_wall_time, fresh.last_wall_time),
        last_step=rows.dense(old.last_step, fresh.last_step),
        has_last_step=rows.dense(old.has_last_step, fresh.has_last_step),
        session_status=_text(rows, old.session_status, fresh.session_status),
        hparams=hparams,
        metrics=metrics,
        _hparams_json=rows.listed(old._hparams_json, fresh._hparams_json),
        _series=series,
        _by_row=by_row,
        _row_starts=starts,
    )
