"""Every session group of one kind of ``/session_groups`` request, built or updated after a commit.

A ``GroupTable`` holds the groups (sorted by name) of one combination of
allowed statuses and aggregation, before filters and sorting. Building it
reads every session (~3 s at 100,000 sessions, 15 s on a loaded machine), so
after a commit that changed a few runs the older state's table is *updated*
instead (``updated_table``): only the sessions enclosing a changed run (a
metric of session ``s`` lives in ``s`` or a run below it) are built again,
and only the groups they left or joined are aggregated again; every other
group, with its kept values (cells, filter results, sort keys), is reused as
it was. The result equals a full build (a randomised test compares them field
by field); anything an update cannot follow cheaply (the experiment's metrics
changed, many runs changed) builds from scratch.

Tables are shared between requests and threads: never mutated once built,
except for per-group values computed the first time a request needs them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from heron.core.provider import ReadProvider
from heron.core.run_table import RunTable
from heron.core.values import ScalarSummary, SeriesKey
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    AGGREGATION_AVG,
    AGGREGATION_MEDIAN,
    AGGREGATION_MIN,
    AGGREGATION_UNSET,
    ColParams,
    ListSessionGroupsRequest,
    MetricName,
    MetricValue,
    SessionGroup,
)
from heron.formats.proto.hparams_api_pb2 import Session as SessionProto
from heron.plugins.hparams.columns import Cell, Extractor, find_metric
from heron.plugins.hparams.experiment import HParamsRecords, Session, enclosing_runs, metric_run
from heron.plugins.hparams.wire import printable

__all__ = ["UPDATE_LIMIT", "GroupTable", "PerGroup", "build_table", "column_key", "updated_table"]

_INT32 = (-(2**31), 2**31 - 1)
#: Past this many changed runs, the groups are built again rather than updated.
UPDATE_LIMIT = 2_000


# --- sessions and their metric values ----------------------------------------------------------


def _last_points(
    provider: ReadProvider, sessions: Iterable[Session], metrics: Sequence[MetricName]
) -> dict[SeriesKey, ScalarSummary]:
    """The last point of every metric series of every session, from the run summaries."""
    wanted = {
        SeriesKey(metric_run(session.run, metric.group), metric.tag)
        for session in sessions
        for metric in metrics
    }
    if not wanted:
        return {}
    table = provider.run_table()
    if len(wanted) <= _FEW:
        return _few_points(table, wanted)
    # From the provider's columnar run table: building every RunSummary took seconds at 100k runs.
    summaries = table.scalar_summaries((key.run, key.tag) for key in wanted)
    return {SeriesKey(run, tag): scalar for (run, tag), scalar in summaries.items()}


#: Up to this many series, ``_few_points`` finds each by binary search.
_FEW = 256


def _few_points(table: RunTable, wanted: Iterable[SeriesKey]) -> dict[SeriesKey, ScalarSummary]:
    """The summaries of a few series, without indexing every run (~0.1 s at 100,000 runs).

    What an update after a commit asks for: the table's rows are sorted by name.
    """
    found: dict[SeriesKey, ScalarSummary] = {}
    for key in wanted:
        row = bisect_left(table.names, key.run)
        column = table.metrics.get(key.tag)
        if column is None or row == len(table.names) or table.names[row] != key.run:
            continue
        at = int(column.rows.searchsorted(row))
        if at < len(column.rows) and int(column.rows[at]) == row:
            found[key] = ScalarSummary(
                int(column.count[at]),
                int(column.first_step[at]),
                int(column.last_step[at]),
                float(column.first[at]),
                float(column.last[at]),
                float(column.min[at]),
                float(column.max[at]),
                float(column.last_wall_time[at]),
            )
    return found


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


def _group(
    name: str, first: Session, members: list[SessionProto], request: ListSessionGroupsRequest
) -> SessionGroup:
    """A group of ``members`` (in name order); the first session's hparams stand for the group's."""
    group = SessionGroup(name=name, monitor_url=first.start.monitor_url)
    for key, value in first.start.hparams.items():
        if printable(value):
            group.hparams[key].CopyFrom(value)
    group.sessions.extend(members)
    _aggregate(group, request)
    return group


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


# --- the table ---------------------------------------------------------------------------------


def _metric_key(metrics: Sequence[MetricName]) -> tuple[tuple[str, str], ...]:
    return tuple((metric.group, metric.tag) for metric in metrics)


#: A value computed from each group: a cell, whether it passes a filter, its sort key.
PerGroup = Callable[[SessionGroup], Any]


class GroupTable:
    """The groups of one kind of request, sorted by name, with per-group values computed so far.

    ``group_of`` names the group of every session in one (sessions of a
    status not allowed are in none): what an update needs to find the groups
    a changed session leaves. ``column`` keeps, per key, one value per group
    (a column's cells, whether each passes a filter, sort keys), computed the
    first time a request needs it and carried over by updates.
    """

    __slots__ = ("_columns", "group_of", "groups", "metrics", "names", "position")

    def __init__(
        self,
        groups: list[SessionGroup],
        names: list[str],
        group_of: dict[str, str],
        metrics: tuple[tuple[str, str], ...],
        columns: dict[bytes, tuple[PerGroup, list[Any]]] | None = None,
        position: dict[str, int] | None = None,
    ) -> None:
        self.groups = groups
        self.names = names
        self.position = (
            position if position is not None else {name: row for row, name in enumerate(names)}
        )
        self.group_of = group_of
        self.metrics = metrics
        self._columns = columns or {}

    @property
    def by_name(self) -> range:
        """Rows in name order: every row, as they are kept sorted."""
        return range(len(self.groups))

    def column(self, key: bytes, compute: PerGroup) -> list[Any]:
        """``compute(group)`` of every group, computed the first time ``key`` is asked for."""
        found = self._columns.get(key)
        if found is None:
            found = self._columns[key] = (compute, [compute(group) for group in self.groups])
        return found[1]

    def cells(self, column: ColParams, extract: Extractor) -> list[Cell]:
        """Each group's value in ``column``."""
        return self.column(b"cell:" + column_key(column), extract)


def column_key(column: ColParams) -> bytes:
    """What a column's cells depend on: the metric or hparam it names."""
    name = ColParams(metric=column.metric) if column.HasField("metric") else None
    return (name or ColParams(hparam=column.hparam)).SerializeToString(deterministic=True)


def build_table(
    provider: ReadProvider,
    records: HParamsRecords,
    metrics: Sequence[MetricName],
    request: ListSessionGroupsRequest,
) -> GroupTable:
    """Every group of the request's kind, from every session (TensorBoard's rules)."""
    points = _last_points(provider, records.sessions, metrics)
    allowed = set(request.allowed_statuses)
    members: dict[str, list[SessionProto]] = {}
    firsts: dict[str, Session] = {}
    group_of: dict[str, str] = {}
    for session in records.sessions:  # in name order: the first member is the group's first
        built = _session(session, metrics, points)
        if built.status not in allowed:
            continue
        name = group_of[session.run] = session.start.group_name or session.run
        firsts.setdefault(name, session)
        members.setdefault(name, []).append(built)
    names = sorted(members)
    groups = [_group(name, firsts[name], members[name], request) for name in names]
    return GroupTable(groups, names, group_of, _metric_key(metrics))


def updated_table(
    provider: ReadProvider,
    older: GroupTable,
    changed: frozenset[str],
    records: HParamsRecords,
    metrics: Sequence[MetricName],
    request: ListSessionGroupsRequest,
) -> GroupTable | None:
    """``older`` with the sessions enclosing the ``changed`` runs built again; ``None``: rebuild."""
    if len(changed) > UPDATE_LIMIT or _metric_key(metrics) != older.metrics:
        return None
    touched = {run for name in changed for run in enclosing_runs(name)}
    sessions = [records.by_run[run] for run in sorted(touched) if run in records.by_run]
    points = _last_points(provider, sessions, metrics)
    allowed = set(request.allowed_statuses)
    group_of = dict(older.group_of)
    affected = {group_of.pop(run) for run in touched if run in group_of}
    fresh: dict[str, list[SessionProto]] = {}
    for session in sessions:
        built = _session(session, metrics, points)
        if built.status in allowed:
            name = group_of[session.run] = session.start.group_name or session.run
            affected.add(name)
            fresh.setdefault(name, []).append(built)
    replaced: dict[str, SessionGroup | None] = {}
    for name in affected:
        kept = [
            member
            for member in (
                older.groups[older.position[name]].sessions if name in older.position else ()
            )
            if member.name not in touched
        ]
        members = sorted([*kept, *fresh.get(name, ())], key=lambda member: member.name)
        replaced[name] = (
            _group(name, records.by_run[members[0].name], members, request) if members else None
        )
    return _spliced(older, replaced, group_of)


def _spliced(
    older: GroupTable, replaced: dict[str, SessionGroup | None], group_of: dict[str, str]
) -> GroupTable:
    """``older`` with the groups named in ``replaced`` replaced, added, or (``None``) removed."""
    groups = list(older.groups)
    names = list(older.names)
    kept = dict(older._columns)  # one C-level copy: another request may be adding a column
    cells = {key: (compute, list(column)) for key, (compute, column) in kept.items()}
    columns = [column for _, column in cells.values()]
    same_names = all(replaced[name] is not None for name in replaced if name in older.position)
    same_names = same_names and all(name in older.position for name in replaced)
    for row in sorted(
        (older.position[name] for name in replaced if name in older.position), reverse=True
    ):
        group = replaced[names[row]]
        if group is None:
            del groups[row], names[row]
            for column in columns:
                del column[row]
        else:
            groups[row] = group
            for key, (compute, column) in list(cells.items()):
                _put(cells, key, column, row, compute, group, insert=False)
    for name in sorted(name for name in replaced if name not in older.position):
        group = replaced[name]
        if group is None:
            continue
        row = bisect_left(names, name)
        groups.insert(row, group)
        names.insert(row, name)
        for key, (compute, column) in list(cells.items()):
            _put(cells, key, column, row, compute, group, insert=True)
    position = older.position if same_names else None
    return GroupTable(groups, names, group_of, older.metrics, cells, position)


def _put(
    kept: dict[bytes, tuple[PerGroup, list[Any]]],
    key: bytes,
    column: list[Any],
    row: int,
    compute: PerGroup,
    group: SessionGroup,
    *,
    insert: bool,
) -> None:
    """Set (or insert) a group's value in a kept column; a value that fails drops the column.

    (A filter that rejects a new group's value, say a regexp on a number, fails
    the request asking for it, not the update.)
    """
    if key not in kept:
        return
    try:
        value = compute(group)
    except InvalidArgumentError:
        del kept[key]
        return
    if insert:
        column.insert(row, value)
    else:
        column[row] = value
