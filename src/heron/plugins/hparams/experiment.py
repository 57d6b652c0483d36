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
strings; strings and bools get a discrete domain, numbers an interval; see
``inference.py``), and one metric per scalar tag of a session run or its
sub-runs. One deliberate difference: a session in the logdir's root run
(``"."``) owns the runs below it; TensorBoard attributes nothing to it (its
path rules treat ``"."`` as a literal name), so its metrics never show there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from google.protobuf.message import DecodeError

from heron.core.provider import ReadProvider
from heron.core.state_cache import index_state
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    Experiment,
    GetExperimentRequest,
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
from heron.plugins.hparams.inference import HParamStats
from heron.plugins.hparams.wire import printable

__all__ = [
    "PLUGIN_NAME",
    "HParamsRecords",
    "Session",
    "enclosing_runs",
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
    #: The same sessions by run.
    by_run: Mapping[str, Session]
    #: The run whose experiment is shown (``_recorded``), if any run has one.
    recorded_in: str | None


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


def _field(
    tags: Mapping[str, bytes],
    tag: str,
    field: _Kind,
    decoded: dict[bytes, HParamsPluginData | None],
) -> Any:
    """The ``field`` member of the oneof in ``tag``'s plugin data, or ``None``.

    ``decoded`` holds the data of contents already decoded: ``add_hparams``
    writes the same experiment record into every run, so at 100,000 runs one
    decode in three is saved (~0.3 s). Sharing one message between runs is safe
    because records are never mutated (``read_records``).
    """
    content = tags.get(tag)
    if content is None:
        return None
    if content in decoded:
        data = decoded[content]
    else:
        data = decoded[content] = _decode(content)
    return getattr(data, field) if data is not None and data.HasField(field) else None


def read_records(provider: ReadProvider) -> HParamsRecords:
    """The experiments and sessions recorded in the experiment (metadata only: one listing).

    Kept until the index changes (``heron.core.state_cache``): decoding 100,000
    sessions takes seconds, so after a commit only the runs it changed are read
    again. The value is shared: never mutate it.
    """
    return index_state(provider).evolve(
        "records",
        lambda: _decode_records(provider, None),
        lambda older, changed: _updated_records(provider, older, changed),
    )


#: Past this many changed runs, every record is decoded again rather than updated.
UPDATE_LIMIT = 5_000


def _updated_records(
    provider: ReadProvider, older: HParamsRecords, changed: frozenset[str]
) -> HParamsRecords | None:
    """``older`` with the records of the ``changed`` runs read again (gone if removed)."""
    if len(changed) > UPDATE_LIMIT:
        return None
    if not changed:
        return older
    fresh = _decode_records(provider, changed)
    experiments = dict(older.experiments)
    by_run = dict(older.by_run)
    for run in changed:
        experiments.pop(run, None)
        by_run.pop(run, None)
    experiments.update(fresh.experiments)
    by_run.update(fresh.by_run)
    # The root-most run ranks by its name only: unchanged runs never outrank the older one.
    kept = older.recorded_in
    if kept is None or kept in experiments:
        recorded = _root_most([*fresh.experiments, *([kept] if kept is not None else [])])
    else:
        recorded = _root_most(experiments)
    sessions = [session for session in older.sessions if session.run not in changed]
    for session in fresh.sessions:  # in name order, as a full listing yields them
        sessions.insert(bisect_left(sessions, session.run, key=_run_of), session)
    return HParamsRecords(experiments, sessions, by_run, recorded)


def _root_most(runs: Iterable[str]) -> str | None:
    """The run whose experiment is shown: the shallowest, then the first by name."""
    return min(runs, key=lambda name: (name != _ROOT, name.count("/"), name), default=None)


def _run_of(session: Session) -> str:
    return session.run


def _decode_records(provider: ReadProvider, runs: frozenset[str] | None) -> HParamsRecords:
    contents: dict[str, dict[str, bytes]] = {}
    for series in provider.list_series(
        runs=runs, plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR
    ):
        contents.setdefault(series.run, {})[series.tag] = series.plugin_content
    experiments: dict[str, Experiment] = {}
    sessions: list[Session] = []
    decoded: dict[bytes, HParamsPluginData | None] = {}
    for run, tags in contents.items():
        experiment: Experiment | None = _field(tags, EXPERIMENT_TAG, "experiment", decoded)
        if experiment is not None:
            experiments[run] = experiment
        start: SessionStartInfo | None = _field(
            tags, SESSION_START_INFO_TAG, "session_start_info", decoded
        )
        if start is not None:
            end: SessionEndInfo | None = _field(
                tags, SESSION_END_INFO_TAG, "session_end_info", decoded
            )
            sessions.append(Session(run, start, end))
    by_run = {session.run: session for session in sessions}
    return HParamsRecords(experiments, sessions, by_run, _root_most(experiments))


# --- where a session's metrics live -------------------------------------------------------------


def metric_run(session: str, group: str) -> str:
    """The run holding metric ``group`` of ``session`` (TensorBoard: ``join(session, group)``)."""
    if not group:
        return session
    if session == _ROOT:
        return group
    return f"{session.rstrip('/')}/{group}"


def enclosing_runs(run: str) -> list[str]:
    """``run`` and every run above it: the sessions whose metrics ``run`` may hold."""
    found: list[str] = []
    current: str | None = run
    while current is not None:
        found.append(current)
        current = _parent(current)
    return found


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
    owned = {  # every run's name, from the kept run table rather than a new listing
        run: owner
        for run in provider.run_table().names
        if (owner := _owning_session(run, sessions)) is not None
    }
    if not owned:
        return []
    names: set[tuple[str, str]] = set()
    # Many runs: the provider's kept listing of every scalar series, filtered here, beats
    # a query naming each run (~1 s at 100,000 runs, after every commit).
    many = len(owned) > _FEW_RUNS
    for series in provider.list_series(
        runs=None if many else owned, plugin_name=_SCALARS, data_class=DataClass.SCALAR
    ):
        owner = owned.get(series.run)
        if owner is not None:
            names.add((series.tag, _group(owner, series.run)))
    return sorted(names)


_FEW_RUNS = 1_000


# --- inference ---------------------------------------------------------------------------------


def _infer(
    provider: ReadProvider, records: HParamsRecords, stats: HParamStats, include_metrics: bool
) -> Experiment:
    infos = stats.infos()
    if not infos:
        return Experiment()
    experiment = Experiment(hparam_infos=infos)
    if include_metrics:
        runs = frozenset(records.by_run)
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
    if records.recorded_in is None:
        return None
    experiment = Experiment()
    experiment.CopyFrom(records.experiments[records.recorded_in])
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

    # Inferring it reads every session's hparams: kept with the records it came from, and
    # after a commit inferred again from the older counts of values (``inference.py``).
    def build() -> _Kept:
        return _experiment(provider, records, None, frozenset(), include_metrics)

    def update(older: _Kept, changed: frozenset[str]) -> _Kept | None:
        return _experiment(provider, records, older, changed, include_metrics)

    kept_records, _, kept = index_state(provider).evolve(
        ("experiment", include_metrics), build, update
    )
    if kept_records is not records:  # records not of this state: not kept
        kept = build()[2]
    experiment = Experiment()
    experiment.CopyFrom(kept)
    _sort_and_limit(experiment, hparams_limit)
    return experiment


#: The records an experiment was derived from, their hparams' values (when inferred), it.
_Kept = tuple[HParamsRecords, HParamStats | None, Experiment]


def _experiment(
    provider: ReadProvider,
    records: HParamsRecords,
    older: _Kept | None,
    changed: frozenset[str],
    include_metrics: bool,
) -> _Kept:
    experiment = _recorded(records)
    if experiment is not None:
        if not include_metrics:
            experiment.ClearField("metric_infos")
        return records, None, experiment
    if older is None or older[1] is None or len(changed) > UPDATE_LIMIT:
        stats = HParamStats.of(session.start for session in records.sessions)
    else:
        before, after = older[0].by_run, records.by_run
        stats = older[1].changed(
            (before[run].start for run in changed if run in before),
            (after[run].start for run in changed if run in after),
        )
    return records, stats, _infer(provider, records, stats, include_metrics)


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
