"""Grouping runs by hparams or a name regex, and the inferred run status."""

from __future__ import annotations

import math

import pytest

from heron.core.run_groups import compile_grouping, group_runs
from heron.core.run_status import run_status
from heron.core.values import RunSummary
from heron.errors import InvalidArgumentError


def _run(name, **hparams):
    return RunSummary(run=name, start_time=0.0, last_wall_time=1.0, last_step=1, hparams=hparams)


RUNS = [
    _run("sgd/seed-1", lr=0.1, opt="sgd"),
    _run("adam/seed-1", lr=0.01, opt="adam"),
    _run("adam/seed-2", lr=0.01, opt="adam"),
    _run("sgd/seed-2", lr=0.1, opt="sgd"),
    _run("plain"),
    _run("nan", lr=math.nan),
    _run("int", lr=1),
    _run("float", lr=1.0),
]


def _groups(**how):
    groups, ungrouped = group_runs(RUNS, *compile_grouping(**how))
    return [(g.label, list(g.runs)) for g in groups], ungrouped


def test_by_one_hparam_sorts_numbers_and_puts_missing_last():
    groups, ungrouped = _groups(hparams=["lr"])
    assert groups == [
        ("lr=0.01", ["adam/seed-1", "adam/seed-2"]),
        ("lr=0.1", ["sgd/seed-1", "sgd/seed-2"]),
        ("lr=1", ["int", "float"]),  # 1 and 1.0 are one value
        ("lr=–", ["plain", "nan"]),  # NaN counts as missing
    ]
    assert ungrouped == []


def test_by_two_hparams():
    groups, _ = _groups(hparams=["opt", "lr"])
    assert groups[0] == ("opt=adam, lr=0.01", ["adam/seed-1", "adam/seed-2"])
    assert groups[1] == ("opt=sgd, lr=0.1", ["sgd/seed-1", "sgd/seed-2"])


def test_by_name_regex_capture_groups_form_the_key():
    groups, ungrouped = _groups(name_regex=r"^(\w+)/seed-\d+$")
    assert groups == [
        ("adam", ["adam/seed-1", "adam/seed-2"]),
        ("sgd", ["sgd/seed-1", "sgd/seed-2"]),
    ]
    assert ungrouped == ["plain", "nan", "int", "float"]


def test_by_name_regex_without_groups_uses_the_whole_match():
    groups, _ = _groups(name_regex=r"seed-\d")
    assert [label for label, _ in groups] == ["seed-1", "seed-2"]


@pytest.mark.parametrize(
    "how",
    [{}, {"hparams": ["lr"], "name_regex": "x"}, {"name_regex": "("}, {"hparams": [""]}],
)
def test_bad_grouping_is_an_invalid_argument(how):
    with pytest.raises(InvalidArgumentError):
        compile_grouping(**how)


def _summary(status=None, last=None, start=None):
    return RunSummary(
        run="r", start_time=start, last_wall_time=last, last_step=None, session_status=status
    )


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (_summary("success", last=999.0), "finished"),  # session info wins over activity
        (_summary("failure", last=999.0), "failed"),
        (_summary("running", last=100.0), "finished"),  # a crashed job never ends its session
        (_summary("unknown", last=900.0), "running"),
        (_summary(None, last=700.0), "running"),  # exactly IDLE_SECONDS ago
        (_summary(None, last=699.0), "finished"),
        (_summary(None, start=950.0), "running"),  # only a first event so far
        (_summary(None), "running"),  # discovered, nothing read yet
    ],
)
def test_status_from_session_info_else_inactivity(summary, expected):
    assert run_status(summary, now=1000.0) == expected
