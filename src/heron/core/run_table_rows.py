"""Where a refreshed table's rows go, and the sparse columns merged accordingly.

``replace_rows`` (``heron.core.run_table_merge``) drops the rows of the runs
that changed from the previous table and merges in a table of those runs read
again. ``RowMap`` says where each kept row and each fresh row lands; the
functions here merge one sparse column (text, hparam, metric) under that map
with numpy operations and no Python object per row: sorted columns are merged
without sorting again (``merge_order``: a binary search per fresh entry, where
sorting the 300,000 entries of a large table again cost tens of ms).

Merged columns equal the columns built from scratch over the same runs: codes
index the sorted values actually present, and each hparam's run count and
type are recounted from the kinds of its values (the hparams JSON of the few
dropped rows is parsed to know what they held).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Collection, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from heron.core.run_table import (
    METRIC_FIELDS,
    HParamColumn,
    MetricColumn,
    RunTable,
    TextColumn,
    hparam_kind,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Flags = npt.NDArray[np.bool_]

__all__ = ["RowMap", "merge_hparams", "merge_metric", "merge_order", "merge_text"]

T = TypeVar("T")


class RowMap:
    """Where the old table's kept rows and the fresh table's rows go in the merged table."""

    def __init__(self, old: RunTable, changed: Collection[str], fresh: RunTable) -> None:
        import numpy as np

        names = old.names
        dropped = []
        for name in changed:
            at = bisect_left(names, name)
            if at < len(names) and names[at] == name:
                dropped.append(at)
        #: Old rows of the changed runs, ascending.
        self.dropped = np.asarray(sorted(dropped), dtype=np.int64)
        # Kept names below each fresh name (fresh names are never kept ones: they changed).
        below = np.fromiter(
            (bisect_left(names, name) for name in fresh.names), np.int64, len(fresh)
        )
        below -= np.searchsorted(self.dropped, below)
        self.below = below
        self.size = len(names) - len(self.dropped) + len(fresh)
        self._rows = len(names)

    # The maps over every row are built on first use: a patched table
    # (``heron.core.run_table_patch``) mostly never needs them.

    @cached_property
    def keep(self) -> Flags:
        """Per old row: whether it is kept."""
        import numpy as np

        keep = np.ones(self._rows, dtype=np.bool_)
        keep[self.dropped] = False
        return keep

    @cached_property
    def kept(self) -> Ints:
        import numpy as np

        return np.flatnonzero(self.keep)

    @cached_property
    def fresh(self) -> Ints:
        """Per fresh row: its row in the merged table."""
        import numpy as np

        return self.below + np.arange(len(self.below), dtype=np.int64)

    @cached_property
    def old(self) -> Ints:
        """Per old row: its row in the merged table (-1 if dropped)."""
        import numpy as np

        kept = self.kept
        old = np.full(self._rows, -1, dtype=np.int64)
        old[kept] = np.arange(len(kept)) + np.searchsorted(
            self.below, np.arange(len(kept)), "right"
        )
        return old

    def same_rows(self, old: RunTable, fresh: RunTable) -> bool:
        """Whether the changed runs all stay, and no run comes: every row keeps its number."""
        return len(self.dropped) == len(fresh) and all(
            old.names[row] == name
            for row, name in zip(self.dropped.tolist(), fresh.names, strict=True)
        )

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

    Linear (a binary search per element of ``b``, which holds the few changed runs).
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


def merge_text(rows: RowMap, old: TextColumn, fresh: TextColumn) -> TextColumn:
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


def merge_hparams(old: RunTable, rows: RowMap, fresh: RunTable) -> dict[str, HParamColumn]:
    """Every hparam column of ``old`` and ``fresh`` merged; those no run holds any more go."""
    dropped_kinds = _dropped_kinds(old, rows.dropped)
    hparams = {}
    for name in sorted(set(old.hparams) | set(fresh.hparams)):
        column = _hparam(
            rows, old.hparams.get(name), fresh.hparams.get(name), dropped_kinds.get(name, {})
        )
        if column is not None:
            hparams[name] = column
    return hparams


def _hparam(
    rows: RowMap,
    old: HParamColumn | None,
    fresh: HParamColumn | None,
    dropped_kinds: dict[str, int],
) -> HParamColumn | None:
    import numpy as np

    empty = _empty_hparam()
    a, b = old or empty, fresh or empty
    n_rows, order, kept = rows.sparse(a.numbers[0], b.numbers[0])
    numbers = (n_rows, _take(a.numbers[1], b.numbers[1], kept, order))
    f_rows, order, kept = rows.sparse(a.flags[0], b.flags[0])
    flags = (f_rows, _take(a.flags[1], b.flags[1], kept, order))
    text = merge_text(rows, a.text, b.text)
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


def merge_metric(
    rows: RowMap, old: MetricColumn | None, fresh: MetricColumn | None
) -> MetricColumn | None:
    """One tag's column merged (``None`` if no run has the tag any more)."""
    a = old or fresh
    assert a is not None
    # A side without the tag contributes no entries (empty arrays of the other side's types).
    a, b = old or _no_entries(a), fresh or _no_entries(a)
    merged, order, kept = rows.sparse(a.rows, b.rows)
    if not len(merged):
        return None
    merged.setflags(write=False)
    arrays = [_take(getattr(a, f), getattr(b, f), kept, order) for f in METRIC_FIELDS]
    return MetricColumn(merged, *arrays)


def _no_entries(like: MetricColumn) -> MetricColumn:
    return MetricColumn(like.rows[:0], *(getattr(like, f)[:0] for f in METRIC_FIELDS))
