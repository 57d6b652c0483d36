"""The columns of a ``/session_groups`` request: a group's value in each, filters, sort order.

A column (``ColParams``) names an hparam or a metric. A group's value in it is
the hparam's value (bool, float or str) or the group's aggregated metric value;
``None`` when the group lacks it. Filters and sorting follow TensorBoard's
Python semantics (``re.search``, closed intervals, ``in`` for discrete sets,
stable sorts with missing values last unless asked first), with 400s where
TensorBoard would fail on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf.struct_pb2 import Value

from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    ORDER_ASC,
    ORDER_DESC,
    ORDER_UNSPECIFIED,
    ColParams,
    MetricName,
    MetricValue,
    SessionGroup,
)

__all__ = [
    "Cell",
    "Extractor",
    "cell_filter",
    "cell_sort_key",
    "check_orders",
    "extractor",
    "find_metric",
    "keep_included_hparams",
    "python_value",
    "sort_rows",
]

#: A column's value in a group: an hparam (bool, float, str) or a metric (float); None if missing.
Cell = bool | float | str | None
Extractor = Callable[[SessionGroup], Cell]


def find_metric(metric_values: Sequence[MetricValue], name: MetricName) -> MetricValue | None:
    """The value of metric ``name`` among a session's or a group's, if it has one."""
    for value in metric_values:
        if value.name.group == name.group and value.name.tag == name.tag:
            return value
    return None


def python_value(value: Value) -> Cell:
    """A ``google.protobuf.Value`` as Python compares it; ``None`` for null, list and struct."""
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        return value.number_value
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    return None


def extractor(column: ColParams) -> Extractor:
    """The function giving a group's value in ``column`` (400 if it names nothing)."""
    which = column.WhichOneof("name")
    if which == "metric":
        metric = column.metric

        def metric_cell(group: SessionGroup) -> Cell:
            found = find_metric(group.metric_values, metric)
            return None if found is None else found.value

        return metric_cell
    if which == "hparam":
        name = column.hparam

        def hparam_cell(group: SessionGroup) -> Cell:
            return python_value(group.hparams[name]) if name in group.hparams else None

        return hparam_cell
    raise InvalidArgumentError("each colParams entry needs a metric or an hparam")


def _value_test(column: ColParams) -> Callable[[Cell], bool] | None:
    which = column.WhichOneof("filter")
    if which == "filter_regexp":
        try:
            pattern = re.compile(column.filter_regexp)
        except re.error as error:
            raise InvalidArgumentError(
                f"bad filterRegexp {column.filter_regexp!r}: {error}"
            ) from None

        def matches(cell: Cell) -> bool:
            if not isinstance(cell, str):
                raise InvalidArgumentError(f"filterRegexp applies to strings, not to {cell!r}")
            return pattern.search(cell) is not None

        return matches
    if which == "filter_interval":
        low, high = column.filter_interval.min_value, column.filter_interval.max_value

        def inside(cell: Cell) -> bool:
            if not isinstance(cell, bool | float):
                raise InvalidArgumentError(f"filterInterval applies to numbers, not to {cell!r}")
            return low <= cell <= high

        return inside
    if which == "filter_discrete":
        allowed = [python_value(value) for value in column.filter_discrete.values]
        return lambda cell: cell in allowed
    return None


def cell_filter(column: ColParams) -> Callable[[Cell], bool] | None:
    """The column's filter of a group's cell, or ``None`` when it lets every group pass."""
    test = _value_test(column)
    keep_missing = not column.exclude_missing_values
    if test is None:
        return None if keep_missing else (lambda cell: cell is not None)

    def passes(cell: Cell) -> bool:
        return keep_missing if cell is None else test(cell)

    return passes


def cell_sort_key(*, missing_last: bool) -> Callable[[Cell], Any]:
    """TensorBoard's key ``(missing, value)``, with a type rank so mixed columns still sort."""

    def key(cell: Cell) -> tuple[bool, int, Any]:
        if cell is None:
            return (missing_last, 0, 0.0)
        return (not missing_last, 1 if isinstance(cell, str) else 0, cell)

    return key


def check_orders(columns: Sequence[ColParams]) -> None:
    """400 for an order that is neither ascending, descending nor unspecified."""
    for column in columns:
        if column.order not in (ORDER_ASC, ORDER_DESC, ORDER_UNSPECIFIED):
            raise InvalidArgumentError(f"unknown order in colParams: {column.order}")


def sort_rows(
    rows: list[int], columns: Sequence[ColParams], cells: Sequence[Sequence[Cell]]
) -> None:
    """Sort ``rows`` (already by name) by each ordered column, the first the primary key.

    ``cells[k][row]`` is the cell of group ``row`` in ``columns[k]``; the sorts are stable.
    """
    for column, column_cells in reversed(list(zip(columns, cells, strict=True))):
        if column.order not in (ORDER_ASC, ORDER_DESC):
            if column.order != ORDER_UNSPECIFIED:
                raise InvalidArgumentError(f"unknown order in colParams: {column.order}")
            continue
        descending = column.order == ORDER_DESC
        key = cell_sort_key(missing_last=column.missing_values_first == descending)
        rows.sort(key=_row_key(key, column_cells), reverse=descending)


def _row_key(key: Callable[[Cell], Any], cells: Sequence[Cell]) -> Callable[[int], Any]:
    return lambda row: key(cells[row])


def keep_included_hparams(groups: list[SessionGroup], columns: Sequence[ColParams]) -> None:
    """With any ``includeInResult`` given, a group keeps only the hparams of included columns."""
    if not any(column.HasField("include_in_result") for column in columns):
        return
    included = {
        column.hparam
        for column in columns
        if column.WhichOneof("name") == "hparam"
        and not (column.HasField("include_in_result") and not column.include_in_result)
    }
    for group in groups:
        for name in [name for name in group.hparams if name not in included]:
            del group.hparams[name]
