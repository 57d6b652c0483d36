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

from collections.abc import Sequence
from typing import Any

from heron.core.provider import ReadProvider
from heron.core.state_cache import index_state
from heron.core.values import ScalarSummary, SeriesKey
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    AGGREGATION_AVG,
    AGGREGATION_MAX,
    AGGREGATION_MEDIAN,
    AGGREGATION_MIN,
    AGGREGATION_UNSET,
    ColParams,
    Experiment,
    ListMetricEvalsRequest,
    ListSessionGroupsRequest,
    ListSessionGroupsResponse,
    MetricName,
    MetricValue,
    SessionGroup,
)
from heron.formats.proto.hparams_api_pb2 import Session as SessionProto
from heron.plugins.hparams.columns import (
    Cell,
    Extractor,
    cell_filter,
    extractor,
    find_metric,
    keep_included_hparams,
    sort_rows,
)
from heron.plugins.hparams.experiment import (
    HParamsRecords,
    Session,
    experiment_for,
    metric_run,
    read_records,
    wants_metrics,
)
from heron.plugins.hparams.wire import printable
from heron.server.encoding import float_list

__all__ = ["list_session_groups", "metric_evals", "session_groups"]

_INT32 = (-(2**31), 2**31 - 1)


# --- sessions and their metric values ----------------------------------------------------------


def _last_points(
    provider: ReadProvider, sessions: Sequence[Session], metrics: Sequence[MetricName]
) -> dict[SeriesKey, ScalarSummary]:
    """The last point of every metric series of every session, from the run summaries."""
    wanted = {
        SeriesKey(metric_run(session.run, metric.group), metric.tag)
        for session in sessions
        for metric in metrics
    }
    if not wanted:
        return {}
    # From the provider's columnar run table: building every RunSummary took seconds at 100k runs.
    summaries = provider.run_table().scalar_summaries((key.run, key.tag) for key in wanted)
    return {SeriesKey(run, tag): scalar for (run, tag), scalar in summaries.items()}


def _metric_value(name: MetricName, point: ScalarSummary) -> MetricValue:
    step = min(max(point.last_step, _INT32[0]), _INT32[1])  # the proto field is an int32
    return MetricValue(
        name=name, value=point.last_value, training_step=step, wall_time_secs=point.last_wall_time
    )


def _session(
    session: Session, metrics: Sequence[MetricName], points: dict[SeriesKey, ScalarSummary]
) -> SessionProto:
    result = SessionProto(
        name=session.run,
        start_time_secs=session.start.start_time_secs,
        model_uri=session.start.model_uri,
        monitor_url=session.start.monitor_url,
    )
    for metric in metrics:
        point = points.get(SeriesKey(metric_run(session.run, metric.group), metric.tag))
        if point is not None:
            result.metric_values.append(_metric_value(metric, point))
    if session.end is not None:
        result.status = session.end.status
        result.end_time_secs = session.end.end_time_secs
    return result


def _groups(
    provider: ReadProvider,
    records: HParamsRecords,
    experiment: Experiment,
    request: ListSessionGroupsRequest,
) -> list[SessionGroup]:
    metrics = [info.name for info in experiment.metric_infos]
    points = _last_points(provider, records.sessions, metrics)
    allowed = set(request.allowed_statuses)
    groups: dict[str, SessionGroup] = {}
    for session in records.sessions:
        built = _session(session, metrics, points)
        if built.status not in allowed:
            continue
        name = session.start.group_name or session.run
        group = groups.get(name)
        if group is None:
            # The first session's hparams stand for the group's (they should all be equal).
            group = groups[name] = SessionGroup(name=name, monitor_url=session.start.monitor_url)
            for key, value in session.start.hparams.items():
                if printable(value):
                    group.hparams[key].CopyFrom(value)
        group.sessions.append(built)
    for group in groups.values():
        group.sessions.sort(key=lambda s: s.name)
        _aggregate(group, request)
    return list(groups.values())


# --- aggregation -------------------------------------------------------------------------------


class _Totals:
    """Running sums of one metric over a group's sessions."""

    __slots__ = ("count", "steps", "value", "walls")

    def __init__(self) -> None:
        self.value = 0.0
        self.count = 0
        self.steps = 0
        self.walls = 0.0


def _average(group: SessionGroup) -> None:
    """Each metric any session measured: mean value, mean wall time, mean step rounded down."""
    totals: dict[tuple[str, str], _Totals] = {}
    for session in group.sessions:
        for value in session.metric_values:
            total = totals.setdefault((value.name.group, value.name.tag), _Totals())
            total.value += value.value
            total.count += 1
            total.steps += value.training_step
            total.walls += value.wall_time_secs
    del group.metric_values[:]
    for (metric_group, tag), total in totals.items():
        group.metric_values.append(
            MetricValue(
                name=MetricName(group=metric_group, tag=tag),
                value=total.value / total.count,
                training_step=total.steps // total.count,
                wall_time_secs=total.walls / total.count,
            )
        )


def _pick(group: SessionGroup, request: ListSessionGroupsRequest) -> None:
    """The group takes every metric value of one session, chosen by the aggregation metric."""
    measured = [
        (found.value, index)
        for index, session in enumerate(group.sessions)
        if (found := find_metric(session.metric_values, request.aggregation_metric)) is not None
    ]
    del group.metric_values[:]
    if not measured:
        return
    kind = request.aggregation_type
    if kind == AGGREGATION_MEDIAN:
        ordered = sorted(measured, key=lambda item: item[0])
        chosen = ordered[(len(ordered) - 1) // 2]
    elif kind == AGGREGATION_MIN:
        chosen = min(measured, key=lambda item: item[0])
    else:
        chosen = max(measured, key=lambda item: item[0])
    group.metric_values.extend(group.sessions[chosen[1]].metric_values)


def _aggregate(group: SessionGroup, request: ListSessionGroupsRequest) -> None:
    if request.aggregation_type in (AGGREGATION_AVG, AGGREGATION_UNSET):
        _average(group)
    else:
        _pick(group, request)


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


# --- the routes' functions ---------------------------------------------------------------------


class _GroupTable:
    """Every group of one kind of request (statuses, aggregation), before filters and sorting.

    Built once per state of the index (``heron.core.state_cache``) and shared:
    groups are never mutated; a page is copied out. A column's cells (each
    group's value in it) are extracted the first time a request filters or sorts by it.
    """

    __slots__ = ("_cells", "by_name", "groups")

    def __init__(self, groups: list[SessionGroup]) -> None:
        self.groups = groups
        self.by_name = sorted(range(len(groups)), key=lambda row: groups[row].name)
        self._cells: dict[bytes, list[Cell]] = {}

    def cells(self, column: ColParams, extract: Extractor) -> list[Cell]:
        name = ColParams(metric=column.metric) if column.HasField("metric") else None
        key = (name or ColParams(hparam=column.hparam)).SerializeToString(deterministic=True)
        found = self._cells.get(key)
        if found is None:
            found = self._cells[key] = [extract(group) for group in self.groups]
        return found


def _group_table(
    provider: ReadProvider, request: ListSessionGroupsRequest, records: HParamsRecords
) -> _GroupTable:
    include_metrics = wants_metrics(request)
    key = (
        "groups",
        include_metrics,
        frozenset(request.allowed_statuses),
        request.aggregation_type,
        request.aggregation_metric.SerializeToString(deterministic=True),
    )

    def build() -> _GroupTable:
        experiment = experiment_for(provider, records, include_metrics=include_metrics)
        return _GroupTable(_groups(provider, records, experiment, request))

    return index_state(provider).derived(key, records, build)


def _ordered(
    provider: ReadProvider, request: ListSessionGroupsRequest, records: HParamsRecords
) -> list[SessionGroup]:
    """The groups passing the request's filters, sorted: shared values, not to be mutated."""
    _check_aggregation(request)
    extractors = [extractor(column) for column in request.col_params]
    table = _group_table(provider, request, records)
    rows = table.by_name
    for column, extract in zip(request.col_params, extractors, strict=True):
        test = cell_filter(column)
        if test is not None:
            cells = table.cells(column, extract)
            rows = [row for row in rows if test(cells[row])]
    rows = list(rows)
    sort_rows(
        rows,
        request.col_params,
        [
            table.cells(column, extract) if column.order else []
            for column, extract in zip(request.col_params, extractors, strict=True)
        ],
    )
    return [table.groups[row] for row in rows]


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

    Groups are built once per state of the index; a call filters and sorts
    their cached cells and copies out only the page (~0.1 s at 100,000 sessions).
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
