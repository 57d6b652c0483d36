"""``/session_groups`` and ``/metric_evals``: sessions grouped, aggregated, filtered, sorted, paged.

TensorBoard's rules, in its order: every session whose status is in
``allowed_statuses`` (no status recorded counts as ``STATUS_UNKNOWN``; an empty
list therefore allows nothing) joins the group named by its start info's
``group_name``, or a group of its own named after its run. A session's metric
value is the last point of the metric's scalar series; a group's metrics are
aggregated over its sessions (the mean of each metric, or the metrics of the
session with the median / least / greatest ``aggregation_metric``). Groups are
then filtered and sorted by the request's columns, and ``total_size`` counts
them before ``start_index`` / ``slice_size`` cut the page.

Two differences from TensorBoard, both where it answers with a server error:
a MIN / MAX / MEDIAN group in which no session measured the aggregation
metric gets no metric values, and columns compared across value types (a
string hparam against a number) sort numbers before strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress
from typing import Any

from heron.core.provider import ReadProvider
from heron.core.state_cache import index_state
from heron.core.values import SeriesKey
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    AGGREGATION_AVG,
    AGGREGATION_MAX,
    AGGREGATION_MEDIAN,
    AGGREGATION_MIN,
    AGGREGATION_UNSET,
    ORDER_ASC,
    ORDER_DESC,
    ColParams,
    ListMetricEvalsRequest,
    ListSessionGroupsRequest,
    ListSessionGroupsResponse,
    MetricName,
    SessionGroup,
)
from heron.plugins.hparams.columns import (
    Cell,
    Extractor,
    cell_filter,
    cell_sort_key,
    check_orders,
    extractor,
    keep_included_hparams,
)
from heron.plugins.hparams.experiment import (
    HParamsRecords,
    experiment_for,
    metric_run,
    read_records,
    wants_metrics,
)
from heron.plugins.hparams.groups import GroupTable, build_table, column_key, updated_table
from heron.server.encoding import float_list

__all__ = ["list_session_groups", "metric_evals", "session_groups"]

# --- the routes' functions ---------------------------------------------------------------------


def _check_aggregation(request: ListSessionGroupsRequest) -> None:
    kind = request.aggregation_type
    if kind not in (
        AGGREGATION_UNSET,
        AGGREGATION_AVG,
        AGGREGATION_MEDIAN,
        AGGREGATION_MIN,
        AGGREGATION_MAX,
    ):
        raise InvalidArgumentError(f"unknown aggregationType: {kind}")
    if kind not in (AGGREGATION_UNSET, AGGREGATION_AVG) and not request.aggregation_metric.tag:
        raise InvalidArgumentError("aggregationMetric is required with MEDIAN, MIN and MAX")


def _group_table(
    provider: ReadProvider, request: ListSessionGroupsRequest, records: HParamsRecords
) -> GroupTable:
    """The request kind's groups of this state of the index, built or updated from an older one."""
    include_metrics = wants_metrics(request)
    key = (
        "groups",
        include_metrics,
        frozenset(request.allowed_statuses),
        request.aggregation_type,
        request.aggregation_metric.SerializeToString(deterministic=True),
    )

    def metrics() -> list[MetricName]:
        experiment = experiment_for(provider, records, include_metrics=include_metrics)
        return [info.name for info in experiment.metric_infos]

    def build() -> tuple[object, GroupTable]:
        return records, build_table(provider, records, metrics(), request)

    def update(
        older: tuple[object, GroupTable], changed: frozenset[str]
    ) -> tuple[object, GroupTable] | None:
        table = updated_table(provider, older[1], changed, records, metrics(), request)
        return None if table is None else (records, table)

    kept_source, table = index_state(provider).evolve(key, build, update)
    return table if kept_source is records else build()[1]


def _ordered(
    provider: ReadProvider, request: ListSessionGroupsRequest, records: HParamsRecords
) -> list[SessionGroup]:
    """The groups passing the request's filters, sorted: shared values, not to be mutated.

    Whether each group passes a column's filter, and its sort key in a column,
    are kept with the table (and carried over by updates): a call at 100,000
    groups then walks lists instead of calling a filter and a key per group.
    """
    _check_aggregation(request)
    extractors = [extractor(column) for column in request.col_params]
    table = _group_table(provider, request, records)
    rows: Iterable[int] = table.by_name
    for column, extract in zip(request.col_params, extractors, strict=True):
        test = cell_filter(column)
        if test is None:
            continue
        try:
            mask = table.column(b"pass:" + _filter_key(column), partial(_passes, test, extract))
        except InvalidArgumentError:
            # A value the filter refuses (a regexp on a number): a 400 only if a group that
            # passed the filters before this one holds it, as TensorBoard decides.
            cells = table.cells(column, extract)
            rows = [row for row in rows if test(cells[row])]
            continue
        rows = compress(rows, mask) if isinstance(rows, range) else [r for r in rows if mask[r]]
    ordered = list(rows)
    check_orders(request.col_params)
    for column, extract in reversed(list(zip(request.col_params, extractors, strict=True))):
        if column.order in (ORDER_ASC, ORDER_DESC):
            descending = column.order == ORDER_DESC
            missing_last = column.missing_values_first == descending
            sort_key = cell_sort_key(missing_last=missing_last)
            keys = table.column(
                b"sort:%d:" % missing_last + column_key(column),
                partial(_sort_key, sort_key, extract),
            )
            ordered.sort(key=keys.__getitem__, reverse=descending)
    return [table.groups[row] for row in ordered]


def _passes(test: Callable[[Cell], bool], extract: Extractor, group: SessionGroup) -> bool:
    return test(extract(group))


def _sort_key(key: Callable[[Cell], Any], extract: Extractor, group: SessionGroup) -> Any:
    return key(extract(group))


def _filter_key(column: ColParams) -> bytes:
    """What a column's filter results depend on: its name, filter and missing-values rule."""
    kept = ColParams()
    kept.CopyFrom(column)
    kept.ClearField("order")
    kept.ClearField("missing_values_first")
    kept.ClearField("include_in_result")
    return kept.SerializeToString(deterministic=True)


def _copies(
    groups: Sequence[SessionGroup], request: ListSessionGroupsRequest
) -> list[SessionGroup]:
    copies = []
    for group in groups:
        copy = SessionGroup()
        copy.CopyFrom(group)
        copies.append(copy)
    keep_included_hparams(copies, request.col_params)
    return copies


def session_groups(
    provider: ReadProvider, request: ListSessionGroupsRequest, records: HParamsRecords
) -> list[SessionGroup]:
    """Every group that passes the request's filters, sorted; not paged."""
    return _copies(_ordered(provider, request, records), request)


def list_session_groups(
    provider: ReadProvider,
    request: ListSessionGroupsRequest,
    records: HParamsRecords | None = None,
) -> ListSessionGroupsResponse:
    """``/session_groups``: one page of groups and how many passed the filters.

    Groups are kept per state of the index and updated after a commit for the
    runs it changed (``groups.py``); a call filters and sorts them by kept
    filter results and sort keys and copies out only the page (~50 ms at
    100,000 sessions, ~0.1 s the first call after a one-run commit).
    """
    if request.start_index < 0 or request.slice_size < 0:
        raise InvalidArgumentError("startIndex and sliceSize must not be negative")
    if records is None:
        records = read_records(provider)
    groups = _ordered(provider, request, records)
    page = _copies(groups[request.start_index : request.start_index + request.slice_size], request)
    return ListSessionGroupsResponse(session_groups=page, total_size=len(groups))


def metric_evals(
    provider: ReadProvider, request: ListMetricEvalsRequest, *, max_points: int | None = None
) -> list[list[Any]]:
    """``/metric_evals``: ``[[wall_time, step, value], ...]`` of a session's metric series.

    Every point, unless ``max_points`` asks for the min/max envelope (TensorBoard
    samples 1,000). ``NotFoundError`` if the session has no such scalar series.
    """
    key = SeriesKey(
        metric_run(request.session_name, request.metric_name.group), request.metric_name.tag
    )
    points = provider.read_scalars([key], max_points=max_points)[key]
    return [
        list(row)
        for row in zip(
            float_list(points.wall_times),
            points.steps.tolist(),
            float_list(points.values),
            strict=True,
        )
    ]
