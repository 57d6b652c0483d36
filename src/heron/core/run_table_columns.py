"""The column types of a run table, and their builders from values of any row order.

Kept apart from ``heron.core.run_table`` (the table itself) because three
parties build columns without needing the table: the row-by-row builder
(``build_run_table``), the SQLite reader that streams columns from its index
(``heron.storage.sqlite.run_snapshot``) and the merge of a refreshed table
(``heron.core.run_table_merge``). Every column is immutable: its arrays are
made read-only as it is built, so a table can be shared between requests.

Columns are *sparse* where most runs may lack a value: an hparam or a metric
column holds the row numbers of the runs having it and their values, so a
thousand tags over 100,000 runs cost memory in proportion to the series, not
to tags × runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from heron.core.values import HParamValue

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
    "SeriesColumns",
    "TextColumn",
    "hparam_column",
    "hparam_columns",
    "hparam_kind",
    "readonly",
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
    """The non-empty scalar series of a table's runs, one entry per (run, tag), in any order.

    What a builder hands to ``make_run_table``, which sorts them into metric columns.
    """

    rows: Ints
    #: Codes into ``tag_names`` (sorted, so code order is tag order).
    tags: Ints
    tag_names: tuple[str, ...]
    #: Per entry: count, first_step, last_step.
    steps: Ints
    #: Per entry: first, last, min, max value and last wall time (NaN where unknown).
    values: Floats


def readonly(*arrays: npt.NDArray[Any]) -> None:
    """Make arrays read-only (before any view is taken: a view of a read-only array is too)."""
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
    readonly(column.rows, column.codes)
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
    readonly(*column.numbers, *column.flags)
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


def series_columns(rows: Ints, tags: Sequence[str], steps: Ints, values: Floats) -> SeriesColumns:
    """Series entries from their run rows, tag names, (count, first, last step) and values."""
    import numpy as np

    tag_names = tuple(sorted(set(tags)))
    index = {tag: code for code, tag in enumerate(tag_names)}
    codes = np.fromiter((index[tag] for tag in tags), dtype=np.int64, count=len(tags))
    return SeriesColumns(rows, codes, tag_names, steps.reshape(-1, 3), values.reshape(-1, 5))
