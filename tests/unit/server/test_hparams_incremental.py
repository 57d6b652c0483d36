"""After a commit, the hparams records and session groups are updated for the changed runs only.

The updated values must equal, field by field, the ones built from scratch in
the same state of the index, whatever the commits did: new sessions (alone or
joining a named group), new metric points (in the session's run or a sub-run),
sessions ended, runs removed, hparams that change type, a new metric tag.
"""

from __future__ import annotations

import json
import math
import random
import shutil

import pytest

import heron
from heron import SummaryWriter
from heron.formats.proto.hparams_api_pb2 import Experiment, ListSessionGroupsRequest
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries import hparams as records_of
from heron.plugins.hparams import experiment as experiment_module
from heron.plugins.hparams import groups as groups_module
from heron.plugins.hparams import list_session_groups, read_records
from heron.plugins.hparams import session_groups as session_groups_module
from heron.plugins.hparams.columns import cell_filter, sort_rows
from heron.plugins.hparams.experiment import experiment_for, wants_metrics
from heron.plugins.hparams.wire import parse_request, to_json

ALL_STATUSES = ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]
_VALUES = [0.1, 1, -2.5, math.nan, math.inf, "adam", "sgd", True, False]
REQUESTS = [
    {"allowedStatuses": ALL_STATUSES, "sliceSize": 1000},
    {
        "allowedStatuses": ["STATUS_SUCCESS", "STATUS_UNKNOWN"],
        "aggregationType": "AGGREGATION_MEDIAN",
        "aggregationMetric": {"tag": "loss"},
        "colParams": [
            {"hparam": "lr", "order": "ORDER_DESC"},
            {"metric": {"tag": "loss"}, "order": "ORDER_ASC"},
        ],
        "sliceSize": 1000,
    },
    {
        "allowedStatuses": ALL_STATUSES,
        "aggregationType": "AGGREGATION_MAX",
        "aggregationMetric": {"group": "eval", "tag": "acc"},
        "colParams": [
            {"metric": {"group": "eval", "tag": "acc"}, "order": "ORDER_DESC"},
            {"hparam": "opt", "filterDiscrete": ["adam", 1, True]},
            {"hparam": "lr", "excludeMissingValues": True, "order": "ORDER_ASC"},
        ],
        "sliceSize": 1000,
    },
]


#: As read from scratch, whatever a test patches.
_DECODE = experiment_module._decode_records


def _summary(writer, *values):
    writer.file_writer.add_summary(Summary(value=list(values)), global_step=0)


class _Sweep:
    """Writes sessions into a logdir at random, one commit at a time."""

    def __init__(self, root, rng: random.Random) -> None:
        self.root, self.rng, self.step, self.runs = root, rng, 0, set[str]()

    def _tick(self) -> int:
        self.step += 1
        return self.step

    def new_session(self, run: str) -> None:
        rng = self.rng
        hparams = {name: rng.choice(_VALUES) for name in rng.sample(["lr", "opt", "bn"], 2)}
        group = rng.choice(["", "", "g1", "g2"])
        with SummaryWriter(self.root / run) as writer:
            _summary(writer, records_of.session_start(hparams, group_name=group))
            writer.add_scalar("loss", rng.random(), self._tick(), walltime=float(self.step))
            if rng.random() < 0.5:
                _summary(writer, records_of.session_end(rng.choice(["success", "failure"])))
        self.runs.add(run)

    def commit_change(self) -> None:
        rng = self.rng
        run = rng.choice(sorted(self.runs)) if self.runs else "s-0"
        action = rng.random()
        if action < 0.3 or run not in self.runs:
            self.new_session(f"s-{len(self.runs) + rng.randrange(3)}")
        elif action < 0.6:
            sub = rng.choice(["", "", "eval"])
            tag = rng.choice(["loss", "loss", "acc"]) if sub else "loss"
            with SummaryWriter(self.root / run / sub if sub else self.root / run) as writer:
                writer.add_scalar(tag, rng.random(), self._tick(), walltime=float(self.step))
        elif action < 0.7 and len(self.runs) > 3:
            shutil.rmtree(self.root / run)
            self.runs.discard(run)
        elif action < 0.85:  # written again, with hparams of other types
            shutil.rmtree(self.root / run)
            self.new_session(run)
        elif action < 0.92:
            with SummaryWriter(self.root / run) as writer:
                _summary(writer, records_of.session_end(rng.choice(["success", "failure"])))
        elif action < 0.97:  # an experiment summary, which then decides the metrics shown
            where = rng.choice([self.root, self.root / run, self.root / "x" / run])
            tags = rng.sample(["loss", "acc", "other"], 2)
            with SummaryWriter(where) as writer:
                hparams = [records_of.hparam_info("lr", 0.1), records_of.hparam_info("opt", "a")]
                _summary(writer, records_of.experiment(hparams, tags))
        else:
            with SummaryWriter(self.root / run) as writer:
                writer.add_scalar(f"rare-{self.step}", 1.0, self._tick())


def _scratch(provider, request: ListSessionGroupsRequest):
    records = _DECODE(provider, None)
    experiment = experiment_for(provider, records, include_metrics=wants_metrics(request))
    metrics = [info.name for info in experiment.metric_infos]
    return records, groups_module.build_table(provider, records, metrics, request)


def _assert_same_records(got, want) -> None:
    assert [session.run for session in got.sessions] == [session.run for session in want.sessions]
    assert list(got.sessions) == list(want.sessions)
    assert dict(got.by_run) == dict(want.by_run)
    assert dict(got.experiments) == dict(want.experiments)
    assert got.recorded_in == want.recorded_in


def _assert_same_experiments(provider, records) -> None:
    """The experiment (inferred, or recorded), kept and updated, equals one from scratch."""
    for include_metrics in (True, False):
        got = experiment_for(provider, records, include_metrics=include_metrics)
        built = experiment_module._experiment(
            provider, _DECODE(provider, None), None, frozenset(), include_metrics
        )
        want = Experiment()
        want.CopyFrom(built[2])
        experiment_module._sort_and_limit(want, None)
        assert got.SerializeToString(deterministic=True) == want.SerializeToString(
            deterministic=True
        )


def _assert_same_groups(got, want) -> None:
    assert got.names == want.names
    assert got.group_of == want.group_of
    assert got.position == want.position
    for mine, theirs in zip(got.groups, want.groups, strict=True):
        assert mine.SerializeToString(deterministic=True) == theirs.SerializeToString(
            deterministic=True
        ), mine.name


@pytest.mark.parametrize("seed", range(4))
def test_groups_updated_after_each_commit_equal_groups_built_from_scratch(
    tmp_path, seed, monkeypatch
):
    built = {"groups": 0, "records": 0}
    build_table, decode = groups_module.build_table, experiment_module._decode_records

    def counted_build(*args):
        built["groups"] += 1
        return build_table(*args)

    def counted_decode(provider, runs):
        built["records"] += runs is None
        return decode(provider, runs)

    monkeypatch.setattr(session_groups_module, "build_table", counted_build)
    monkeypatch.setattr(experiment_module, "_decode_records", counted_decode)
    rng = random.Random(seed)
    root = tmp_path / "logs"
    sweep = _Sweep(root, rng)
    for index in range(12):
        sweep.new_session(f"s-{index}")
    requests = [parse_request(json.dumps(fields), ListSessionGroupsRequest) for fields in REQUESTS]
    commits = 40
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        provider = experiment.provider
        for _ in range(commits):
            answers = [to_json(list_session_groups(provider, request)) for request in requests]
            records = read_records(provider)
            _assert_same_experiments(provider, records)
            for request, answer in zip(requests, answers, strict=True):
                table = session_groups_module._group_table(provider, request, records)
                want_records, want_table = _scratch(provider, request)
                _assert_same_records(records, want_records)
                _assert_same_groups(table, want_table)
                for column in request.col_params:  # the cells kept across updates too
                    extract = session_groups_module.extractor(column)
                    assert table.cells(column, extract) == [extract(g) for g in want_table.groups]
                assert answer == to_json(_page(want_table, request)), request
            sweep.commit_change()
            experiment.refresh()
    # Updated, not rebuilt: a new metric tag (or a refresh reading every run) rebuilds.
    assert built["records"] < commits / 2
    assert built["groups"] < len(requests) * commits / 2


def _page(table, request: ListSessionGroupsRequest):
    """The answer from a table built from scratch, ordered as the routes order it."""
    from heron.formats.proto.hparams_api_pb2 import ListSessionGroupsResponse

    extractors = [session_groups_module.extractor(column) for column in request.col_params]
    rows = list(range(len(table.groups)))
    for column, extract in zip(request.col_params, extractors, strict=True):
        test = cell_filter(column)
        if test is not None:
            rows = [row for row in rows if test(extract(table.groups[row]))]
    sort_rows(
        rows,
        request.col_params,
        [
            [extract(group) for group in table.groups] if column.order else []
            for column, extract in zip(request.col_params, extractors, strict=True)
        ],
    )
    page = [table.groups[row] for row in rows][: request.slice_size]
    return ListSessionGroupsResponse(session_groups=page, total_size=len(rows))
