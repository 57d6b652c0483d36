"""The hparams routes keep what they derive from the index until ingest commits again.

At 100,000 sessions, decoding the records and building the groups took ~6 s a
call; they are now kept per state of the index (``heron.core.state_cache``).
These tests pin that the kept values are reused, never served stale after a
commit, and never altered by a request (a page is copied out).
"""

from __future__ import annotations

import json

import pytest

import heron
from heron import SummaryWriter
from heron.formats.proto.hparams_api_pb2 import GetExperimentRequest, ListSessionGroupsRequest
from heron.plugins.hparams import get_experiment, list_session_groups, read_records
from heron.plugins.hparams.wire import parse_request, to_json

ALL_STATUSES = ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]


def _write_session(root, name, lr, acc):
    with SummaryWriter(root / name) as writer:
        for step in range(3):
            writer.add_scalar("acc", acc * (step + 1) / 3, step)
        writer.add_hparams({"lr": lr, "opt": "adam"}, {"acc": None}, run_name=".")


def _request(**fields):
    fields.setdefault("allowedStatuses", ALL_STATUSES)
    fields.setdefault("sliceSize", 100)
    return parse_request(json.dumps(fields), ListSessionGroupsRequest)


@pytest.fixture
def sweep(tmp_path):
    root = tmp_path / "logs"
    for index in range(4):
        _write_session(root, f"run-{index}", 10.0**-index, index / 4)
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        yield root, experiment


def test_records_are_decoded_once_per_state_of_the_index(sweep):
    _, experiment = sweep
    assert read_records(experiment.provider) is read_records(experiment.provider)
    first = get_experiment(experiment.provider, GetExperimentRequest())
    assert get_experiment(experiment.provider, GetExperimentRequest()) == first
    assert get_experiment(experiment.provider, GetExperimentRequest()) is not first


def test_a_commit_shows_new_sessions_at_once(sweep):
    root, experiment = sweep
    provider = experiment.provider
    before = list_session_groups(provider, _request())
    records = read_records(provider)
    assert before.total_size == 4
    _write_session(root, "run-9", 0.5, 0.99)
    experiment.refresh()
    after = list_session_groups(provider, _request())
    assert after.total_size == 5
    assert read_records(provider) is not records
    assert "run-9" in [group.name for group in after.session_groups]


def test_excluding_hparams_from_one_answer_leaves_the_kept_groups_whole(sweep):
    _, experiment = sweep
    provider = experiment.provider
    columns = [
        {"hparam": "lr", "includeInResult": True},
        {"hparam": "opt", "includeInResult": False},
    ]
    cut = to_json(list_session_groups(provider, _request(colParams=columns)))
    assert all(set(group["hparams"]) == {"lr"} for group in cut["sessionGroups"])
    whole = to_json(list_session_groups(provider, _request()))
    assert all(set(group["hparams"]) == {"lr", "opt"} for group in whole["sessionGroups"])


def test_cached_filters_and_sorts_answer_as_the_request_asks(sweep):
    _, experiment = sweep
    provider = experiment.provider
    for _ in range(2):  # the second time from the kept cells
        answer = to_json(
            list_session_groups(
                provider,
                _request(
                    colParams=[
                        {"hparam": "lr", "filterInterval": {"minValue": 0.005, "maxValue": 1}},
                        {"metric": {"tag": "acc"}, "order": "ORDER_DESC"},
                    ]
                ),
            )
        )
        assert [group["name"] for group in answer["sessionGroups"]] == ["run-2", "run-1", "run-0"]
        assert answer["totalSize"] == 3


def test_values_of_a_replaced_index_state_are_dropped_by_the_next_call(sweep):
    from heron.core import state_cache

    root, experiment = sweep
    read_records(experiment.provider)
    _write_session(root, "run-8", 0.2, 0.5)
    experiment.refresh()
    read_records(experiment.provider)  # a new state: the one of the old table is let go
    assert not any(state.matches_nothing() for state in state_cache._states.values())


def _spy_decodes(monkeypatch):
    from heron.plugins.hparams import experiment as experiment_module

    decoded: list[frozenset[str] | None] = []
    decode = experiment_module._decode_records

    def spy(provider, runs):
        decoded.append(runs)
        return decode(provider, runs)

    monkeypatch.setattr(experiment_module, "_decode_records", spy)
    return decoded


def _add_point(root, run, step, value=0.5):
    with SummaryWriter(root / run) as writer:
        writer.add_scalar("acc", value, step)


def test_a_commit_touching_one_run_decodes_the_records_of_that_run_only(sweep, monkeypatch):
    root, experiment = sweep
    before = read_records(experiment.provider)
    decoded = _spy_decodes(monkeypatch)
    _add_point(root, "run-2", 10)
    experiment.refresh()
    after = read_records(experiment.provider)
    assert decoded == [frozenset({"run-2"})]
    assert after is not before
    assert [session.run for session in after.sessions] == [s.run for s in before.sessions]


def test_states_never_asked_for_pass_on_the_runs_they_changed(sweep, monkeypatch):
    root, experiment = sweep
    provider = experiment.provider
    read_records(provider)
    decoded = _spy_decodes(monkeypatch)
    for step, run in enumerate(["run-1", "run-3"], start=10):
        _add_point(root, run, step)
        experiment.refresh()
        provider.run_table()  # a state nobody derives anything from
    read_records(provider)
    assert decoded == [frozenset({"run-1", "run-3"})]


def test_an_updated_group_table_answers_like_the_first_one_after_a_new_best_session(sweep):
    root, experiment = sweep
    provider = experiment.provider
    page = {"colParams": [{"metric": {"tag": "acc"}, "order": "ORDER_DESC"}]}
    assert list_session_groups(provider, _request(**page)).session_groups[0].name == "run-3"
    _add_point(root, "run-0", 99, 0.9)  # run-0's last acc becomes the best
    experiment.refresh()
    answer = list_session_groups(provider, _request(**page))
    assert [group.name for group in answer.session_groups] == ["run-0", "run-3", "run-2", "run-1"]
