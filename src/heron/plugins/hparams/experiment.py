"""The HParams experiment: which hyperparameters and metrics the dashboard shows (reference §3.8).

Writers record three kinds of hparams summaries, each as the metadata of a
series of plugin ``hparams``: the *experiment* (``_hparams_/experiment``,
usually in the logdir's root run), and per *session* a start
(``_hparams_/session_start_info``) and an end (``_hparams_/session_end_info``).
Like TensorBoard, Heron reads them from the series' plugin content (the
metadata of the series' first record) and never reads their points.

A run holding a session start is a *session*. A metric of a session lives in
the session's run or in a sub-run of it: metric ``(group, tag)`` is the scalar
``tag`` of run ``session/group`` (``group`` empty for the session's own run).

When no run holds an experiment, it is inferred as TensorBoard does: one
hparam per name found in the sessions, typed by its values (mixed types become
strings; strings and bools get a discrete domain, numbers an interval), and
one metric per scalar tag of a session run or its sub-runs. One deliberate
difference: a session in the logdir's root run (``"."``) owns the runs below
it; TensorBoard attributes nothing to it (its path rules treat ``"."`` as a
literal name), so its metrics never show there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from google.protobuf.struct_pb2 import Value

from heron.core.provider import ReadProvider
from heron.core.state_cache import index_state
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    DATA_TYPE_BOOL,
    DATA_TYPE_FLOAT64,
    DATA_TYPE_STRING,
    DATA_TYPE_UNSET,
    DataType,
    Experiment,
    GetExperimentRequest,
    HParamInfo,
    ListSessionGroupsRequest,
    MetricInfo,
    MetricName,
)
from heron.formats.proto.hparams_plugin_pb2 import (
    HParamsPluginData,
    SessionEndInfo,
    SessionStartInfo,
)
from heron.formats.summaries.hparams import (
    EXPERIMENT_TAG,
    PLUGIN_NAME,
    SESSION_END_INFO_TAG,
    SESSION_START_INFO_TAG,
)
from heron.plugins.hparams.wire import printable

__all__ = [
    "PLUGIN_NAME",
    "HParamsRecords",
    "Session",
    "experiment_for",
    "get_experiment",
    "metric_run",
    "read_records",
    "wants_metrics",
]

#: The only plugin-data version TensorBoard defines; records of other versions are skipped.
_VERSION = 0
#: Where metric scalars come from (TensorBoard lists plugin ``scalars`` only).
_SCALARS = "scalars"
_ROOT = "."
_Kind = Literal["experiment", "session_start_info", "session_end_info"]


@dataclass(frozen=True, slots=True)
class Session:
    """A run holding a session start, with its end if one was recorded."""

    run: str
    start: SessionStartInfo
    end: SessionEndInfo | None


@dataclass(frozen=True, slots=True)
class HParamsRecords:
    """Every hparams record of the experiment, decoded; runs in name order."""

    #: Runs holding an experiment summary, each with its experiment.
    experiments: Mapping[str, Experiment]
    sessions: Sequence[Session]


def _decode(content: bytes) -> HParamsPluginData | None:
    """The plugin data, or ``None`` for undecodable bytes or an unknown version.

    TensorBoard turns such a record into an error for the whole request; one
    foreign or damaged record should not hide every other session, so it is
    skipped instead.
    """
    try:
        data = HParamsPluginData.FromString(content)
    except DecodeError:
        return None
    return data if data.version == _VERSION else None


def _field(tags: Mapping[str, bytes], tag: str, field: _Kind) -> Any:
    """The ``field`` member of the oneof in ``tag``'s plugin data, or ``None``."""
    data = _decode(tags[tag]) if tag in tags else None
    return getattr(data, field) if data is not None and data.HasField(field) else None


def read_records(provider: ReadProvider) -> HParamsRecords:
    """The experiments and sessions recorded in the experiment (metadata only: one listing).

    Kept until the index changes (``heron.core.state_cache``): decoding 100,000
    sessions takes seconds. The value is shared: never mutate it.
    """
    return index_state(provider).get("records", lambda: _decode_records(provider))


def _decode_records(provider: ReadProvider) -> HParamsRecords:
    contents: dict[str, dict[str, bytes]] = {}
    for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR):
        contents.setdefault(series.run, {})[series.tag] = series.plugin_content
    experiments: dict[str, Experiment] = {}
    sessions: list[Session] = []
    for run, tags in contents.items():
        experiment: Experiment | None = _field(tags, EXPERIMENT_TAG, "experiment")
        if experiment is not None:
            experiments[run] = experiment
        start: SessionStartInfo | None = _field(tags, SESSION_START_INFO_TAG, "session_start_info")
        if start is not None:
            end: SessionEndInfo | None = _field(tags, SESSION_END_INFO_TAG, "session_end_info")
            sessions.append(Session(run, start, end))
    return HParamsRecords(experiments, sessions)


# --- where a session's metrics live -------------------------------------------------------------


def metric_run(session: str, group: str) -> str:
    """The run holding metric ``group`` of ``session`` (TensorBoard: ``join(session, group)``)."""
    if not group:
        return session
    if session == _ROOT:
        return group
    return f"{session.rstrip('/')}/{group}"


def _parent(run: str) -> str | None:
    if run == _ROOT:
        return None
    head, _, _ = run.rpartition("/")
    return head or _ROOT


def _owning_session(run: str, sessions: frozenset[str]) -> str | None:
    """The deepest session whose run is ``run`` or one of its parents."""
    current: str | None = run
    while current is not None and current not in sessions:
        current = _parent(current)
    return current


def _group(session: str, run: str) -> str:
    if run == session:
        return ""
    return run if session == _ROOT else run[len(session) + 1 :]


def _metric_names(provider: ReadProvider, sessions: frozenset[str]) -> list[tuple[str, str]]:
    """``(tag, group)`` of each scalar in a session run or below one, sorted as TensorBoard does."""
    owned = {
        run.name: owner
        for run in provider.list_runs()
        if (owner := _owning_session(run.name, sessions)) is not None
    }
    if not owned:
        return []
    names: set[tuple[str, str]] = set()
    for series in provider.list_series(
        runs=owned, plugin_name=_SCALARS, data_class=DataClass.SCALAR
    ):
        names.add((series.tag, _group(owned[series.run], series.run)))
    return sorted(names)


# --- inference ---------------------------------------------------------------------------------


def _value_type(value: Value) -> DataType.ValueType:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        return DATA_TYPE_FLOAT64
    if kind == "string_value":
        return DATA_TYPE_STRING
    if kind == "bool_value":
        return DATA_TYPE_BOOL
    return DATA_TYPE_UNSET


def _as_text(value: Value) -> str:
    """A value as a string-typed hparam shows it: strings bare, others in their JSON form."""
    if value.WhichOneof("kind") == "string_value":
        return value.string_value
    return json_format.MessageToJson(value)


def _infer_hparam(name: str, values: Sequence[Value]) -> HParamInfo | None:
    types = {_value_type(value) for value in values} - {DATA_TYPE_UNSET}
    if not types:
        return None
    data_type = types.pop() if len(types) == 1 else DATA_TYPE_STRING
    info = HParamInfo(name=name, type=data_type)
    if data_type == DATA_TYPE_STRING:
        texts = {_as_text(v) for v in values if _value_type(v) != DATA_TYPE_UNSET and printable(v)}
        info.domain_discrete.extend(sorted(texts))
        info.differs = len(texts) > 1
    elif data_type == DATA_TYPE_BOOL:
        flags = {value.bool_value for value in values}
        info.domain_discrete.extend(sorted(flags))
        info.differs = len(flags) > 1
    else:
        numbers = sorted(value.number_value for value in values)
        info.domain_interval.min_value = numbers[0]
        info.domain_interval.max_value = numbers[-1]
        info.differs = len(set(numbers)) > 1
    return info


def _infer(
    provider: ReadProvider, sessions: Sequence[Session], include_metrics: bool
) -> Experiment:
    values: dict[str, list[Value]] = {}
    for session in sessions:
        for name, value in session.start.hparams.items():
            values.setdefault(name, []).append(value)
    infos = [info for name, vals in values.items() if (info := _infer_hparam(name, vals))]
    if not infos:
        return Experiment()
    experiment = Experiment(hparam_infos=infos)
    if include_metrics:
        runs = frozenset(session.run for session in sessions)
        for tag, group in _metric_names(provider, runs):
            experiment.metric_infos.append(MetricInfo(name=MetricName(group=group, tag=tag)))
    return experiment


# --- the experiment ----------------------------------------------------------------------------


def _recorded(records: HParamsRecords) -> Experiment | None:
    """The recorded experiment; with several (one per ``add_hparams`` call), the root-most run's.

    TensorBoard takes whichever its run listing yields first; preferring the
    shallowest run (then the first by name) picks ``hparams_config``'s record
    in the logdir's root and is deterministic.
    """
    if not records.experiments:
        return None
    run = min(records.experiments, key=lambda name: (name != _ROOT, name.count("/"), name))
    experiment = Experiment()
    experiment.CopyFrom(records.experiments[run])
    for info in experiment.hparam_infos:
        if info.HasField("domain_discrete"):
            kept = [value for value in info.domain_discrete.values if printable(value)]
            if len(kept) != len(info.domain_discrete.values):
                del info.domain_discrete.values[:]
                info.domain_discrete.values.extend(kept)
    return experiment


def _sort_and_limit(experiment: Experiment, limit: int | None) -> None:
    """Hparams that differ between sessions first, then by name; at most ``limit`` (0 = all)."""
    infos = sorted(experiment.hparam_infos, key=lambda info: (not info.differs, info.name))
    del experiment.hparam_infos[:]
    experiment.hparam_infos.extend(infos[:limit] if limit else infos)


def experiment_for(
    provider: ReadProvider,
    records: HParamsRecords,
    *,
    include_metrics: bool = True,
    hparams_limit: int | None = None,
) -> Experiment:
    """The recorded experiment if any run has one, else the one inferred from the sessions.

    An experiment with nothing to show is the empty ``Experiment``.
    ``include_metrics=False`` leaves ``metric_infos`` empty.
    """
    if hparams_limit is not None and hparams_limit < 0:
        raise InvalidArgumentError(f"hparamsLimit must not be negative, not {hparams_limit}")
    # Inferring it reads every session's hparams: kept with the records it came from.
    kept = index_state(provider).derived(
        ("experiment", include_metrics),
        records,
        lambda: _experiment(provider, records, include_metrics),
    )
    experiment = Experiment()
    experiment.CopyFrom(kept)
    _sort_and_limit(experiment, hparams_limit)
    return experiment


def _experiment(
    provider: ReadProvider, records: HParamsRecords, include_metrics: bool
) -> Experiment:
    experiment = _recorded(records)
    if experiment is not None:
        if not include_metrics:
            experiment.ClearField("metric_infos")
        return experiment
    return _infer(provider, records.sessions, include_metrics)


def wants_metrics(request: GetExperimentRequest | ListSessionGroupsRequest) -> bool:
    """TensorBoard's default: metrics are included unless the request says otherwise."""
    return not request.HasField("include_metrics") or request.include_metrics


def get_experiment(provider: ReadProvider, request: GetExperimentRequest) -> Experiment:
    """``/experiment``: the experiment, hparams sorted (differing first) and cut to the limit."""
    limit = request.hparams_limit if request.HasField("hparams_limit") else None
    return experiment_for(
        provider,
        read_records(provider),
        include_metrics=wants_metrics(request),
        hparams_limit=limit,
    )
