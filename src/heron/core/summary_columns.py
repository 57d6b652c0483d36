"""Every chosen run's hparams and metric aggregates as columns, ready to become one JSON answer.

A view of *every* run at once (the HParams dashboard's parallel coordinates draw one
line per session) used to page through ``/api/v1/runs`` with summaries: at 100,000
runs that is ten answers of 3.4 MB, each building 10,000 ``RunSummary`` objects and
dictionaries whose keys repeat on every row. The run table already holds the facts as
columns (``heron.core.run_table``), so this module only re-indexes them onto the
chosen rows: a column of values per hparam and per metric aggregate, aligned with one
list of names. Cost grows with rows × columns asked for, with no per-run objects.

A run lacking an hparam or a metric holds ``None``; non-finite floats are kept as
floats here (the server's encoding turns them into TensorBoard's strings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from heron.core.run_table import HParamColumn, MetricColumn, RunTable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Objects = npt.NDArray[np.object_]

__all__ = ["METRIC_AGGREGATES", "SummaryColumns", "summary_columns"]

#: The aggregates a metric contributes per run, as named in the answer.
METRIC_AGGREGATES: Final = ("last", "min", "max", "last_step")


@dataclass(frozen=True, slots=True)
class SummaryColumns:
    """Values aligned with ``names``: ``hparams[name][i]`` is run ``names[i]``'s value."""

    names: list[str]
    hparams: dict[str, list[Any]]
    #: tag → aggregate (``METRIC_AGGREGATES``) → one value per run (``None``: no series).
    metrics: dict[str, dict[str, list[Any]]]
    #: False when some float may be NaN or infinite: an encoder must then replace them
    #: (JSON has no such numbers); True lets it skip walking every value.
    finite: bool


def summary_columns(
    table: RunTable, rows: Ints, *, hparams: bool = True, metrics: Sequence[str] = ()
) -> SummaryColumns:
    """``rows`` of ``table`` (in the order given) with every hparam and the ``metrics`` asked for.

    Tags without any series are answered with columns of ``None``, like runs lacking them.
    """
    import numpy as np

    position = np.full(len(table), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows), dtype=np.int64)
    names = np.asarray(table.names, dtype=object)[rows].tolist() if len(rows) else []
    columns = (
        {
            name: _hparam(table, name, column, rows, position)
            for name, column in table.hparams.items()
        }
        if hparams
        else {}
    )
    finite = all(
        bool(np.isfinite(column.numbers[1]).all()) and column.runs == _covered(column)
        for column in table.hparams.values()
    )
    found: dict[str, dict[str, list[Any]]] = {}
    for tag in dict.fromkeys(metrics):
        metric = table.metrics.get(tag)
        found[tag] = (
            {name: [None] * len(rows) for name in METRIC_AGGREGATES}
            if metric is None
            else _metric(metric, len(rows), position)
        )
        if metric is not None:
            finite = finite and all(
                bool(np.isfinite(values).all()) for values in (metric.last, metric.min, metric.max)
            )
    return SummaryColumns(names=names, hparams=columns, metrics=found, finite=finite)


def _placed(size: int, position: Ints, source_rows: Ints, values: Objects) -> Objects:
    """An object column of ``size`` (``None`` where unset) with ``values`` put at the rows'
    positions."""
    import numpy as np

    out: Objects = np.full(size, None, dtype=object)
    _put(out, position, source_rows, values)
    return out


def _put(out: Objects, position: Ints, source_rows: Ints, values: Objects) -> None:
    """``values`` put at their rows' positions; rows that are not chosen (``-1``) are dropped."""
    at = position[source_rows]
    chosen = at >= 0
    out[at[chosen]] = values[chosen]


def _hparam(
    table: RunTable, name: str, column: HParamColumn, rows: Ints, position: Ints
) -> list[Any]:
    import numpy as np

    number_rows, numbers = column.numbers
    flag_rows, flags = column.flags
    text = column.text
    out = _placed(len(rows), position, number_rows, numbers.astype(object))
    _put(out, position, flag_rows, flags.astype(object))
    _put(out, position, text.rows, np.asarray(text.values, dtype=object)[text.codes])
    if column.runs > _covered(column):
        # NaN values are counted in ``runs`` but kept out of the numeric column (the run
        # query reads NaN as missing): read them from the summaries of the rows left unset.
        unset = np.flatnonzero(out == None)  # noqa: E711 - element-wise comparison with None
        for index, summary in zip(unset.tolist(), table.summaries(rows[unset]), strict=True):
            if name in summary.hparams:
                out[index] = summary.hparams[name]
    answer: list[Any] = out.tolist()
    return answer


def _covered(column: HParamColumn) -> int:
    return len(column.numbers[0]) + len(column.flags[0]) + len(column.text.rows)


def _metric(column: MetricColumn, size: int, position: Ints) -> dict[str, list[Any]]:
    # METRIC_AGGREGATES are the names of the column's fields.
    return {
        name: _placed(size, position, column.rows, getattr(column, name).astype(object)).tolist()
        for name in METRIC_AGGREGATES
    }
