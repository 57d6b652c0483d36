"""The run query language: filters and sort keys over run summaries, errors at the right column."""

from __future__ import annotations

import math
import re

import pytest

from heron.core.run_query import compile_filter, compile_sort, sort_runs
from heron.core.values import RunSummary, ScalarSummary
from heron.errors import InvalidArgumentError


def _metric(low: float, high: float, last: float) -> ScalarSummary:
    return ScalarSummary(
        count=10,
        first_step=0,
        last_step=9,
        first_value=low,
        last_value=last,
        min_value=low,
        max_value=high,
        last_wall_time=1.0,
    )


RUNS = [
    RunSummary(
        run="adam-seed-1",
        start_time=1.0,
        last_wall_time=5.0,
        last_step=99,
        hparams={"lr": 0.001, "optimizer": "adam", "layers": 2, "bn": True},
        session_status="success",
        scalars={"val/accuracy": _metric(0.5, 0.95, 0.93), "loss": _metric(0.1, 2.0, 0.1)},
    ),
    RunSummary(
        run="sgd-seed-1",
        start_time=2.0,
        last_wall_time=6.0,
        last_step=49,
        hparams={"lr": 0.1, "optimizer": "sgd", "layers": 4, "bn": False},
        scalars={"val/accuracy": _metric(0.4, 0.85, 0.8)},
    ),
    RunSummary(
        run="adam-seed-2",
        start_time=3.0,
        last_wall_time=None,
        last_step=None,
        hparams={"lr": "auto", "optimizer": "adam"},
        scalars={"loss": _metric(math.nan, math.nan, math.nan)},
    ),
]


def _names(query: str) -> list[str]:
    predicate = compile_filter(query)
    return [run.run for run in RUNS if predicate(run)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["adam-seed-1", "sgd-seed-1", "adam-seed-2"]),
        ('lr < 0.01 and optimizer == "adam"', ["adam-seed-1"]),
        ("max(val/accuracy) > 0.9", ["adam-seed-1"]),
        ('name ~ "seed-1$"', ["adam-seed-1", "sgd-seed-1"]),
        ("name !~ '^adam'", ["sgd-seed-1"]),
        ('optimizer == "adam" or layers >= 4', ["adam-seed-1", "sgd-seed-1", "adam-seed-2"]),
        ("layers != 2", ["sgd-seed-1"]),  # a run without "layers" matches no comparison...
        ("not (layers == 2)", ["sgd-seed-1", "adam-seed-2"]),  # ... so its negation holds
        ("has(loss)", ["adam-seed-1", "adam-seed-2"]),
        ("not has(loss)", ["sgd-seed-1"]),
        ("bn == true", ["adam-seed-1"]),
        ("lr == 'auto'", ["adam-seed-2"]),
        ("lr > 0", ["adam-seed-1", "sgd-seed-1"]),  # the string "auto" is not compared to a number
        ("min(loss) < 1", ["adam-seed-1"]),  # NaN summaries match nothing
        ("last_step >= 50 and status == 'finished'", ["adam-seed-1"]),
        ("count(val/accuracy) == 10 and start_time > 1.5", ["sgd-seed-1"]),
        ("hparam(`lr`) != 0.1", ["adam-seed-1"]),
        ("lr < 1e-2", ["adam-seed-1"]),
        ("lr > -inf", ["adam-seed-1", "sgd-seed-1"]),
    ],
)
def test_filters_select_the_runs_a_reader_expects(query, expected):
    assert _names(query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("lr <", "at column 5: expected a number, a quoted string, true or false, found the end"),
        ("lr 0.1", "at column 4: expected a comparison"),
        ("lr < 0.1 and", "at column 13: expected a field"),
        ("(lr < 1", "at column 8: expected ')'"),
        ("lr < 1 lr", "at column 8: expected 'and', 'or' or the end"),
        ("name ~ 3", "'~' needs a string regex"),
        ("name ~ '('", "invalid regex '('"),
        ("lr < 1 $", "at column 8: unexpected '$'"),
        ("max(", "at column 5: expected a name"),
    ],
)
def test_mistakes_are_reported_at_the_offending_token(query, message):
    with pytest.raises(InvalidArgumentError, match=re.escape(message)):
        compile_filter(query)


def test_sort_keys_order_runs_and_put_runs_lacking_the_key_last():
    by_accuracy = sort_runs(RUNS, compile_sort("-max(val/accuracy)"))
    assert [run.run for run in by_accuracy] == ["adam-seed-1", "sgd-seed-1", "adam-seed-2"]
    ascending = sort_runs(RUNS, compile_sort("max(val/accuracy)"))
    assert [run.run for run in ascending] == ["sgd-seed-1", "adam-seed-1", "adam-seed-2"]
    # Mixed types (a number and a string lr) sort without error: numbers first.
    by_lr = sort_runs(RUNS, compile_sort("lr"))
    assert [run.run for run in by_lr] == ["adam-seed-1", "sgd-seed-1", "adam-seed-2"]
    by_two = sort_runs(RUNS, compile_sort("optimizer, -start_time"))
    assert [run.run for run in by_two] == ["adam-seed-2", "adam-seed-1", "sgd-seed-1"]


def test_a_bad_sort_key_is_a_clear_error():
    with pytest.raises(InvalidArgumentError, match="empty sort key"):
        compile_sort("name,,lr")
    with pytest.raises(InvalidArgumentError, match="expected 'and', 'or' or the end"):
        compile_sort("max(loss) x")


def test_duration_and_the_inferred_status_are_fields():
    # adam-seed-1 ended its session with success; sgd-seed-1 wrote last at 6.0 with no session.
    recent = compile_filter('status == "running"', now=6.0 + 60)
    assert [run.run for run in RUNS if recent(run)] == ["sgd-seed-1", "adam-seed-2"]
    later = compile_filter('status == "finished"', now=6.0 + 3600)
    assert [run.run for run in RUNS if later(run)] == ["adam-seed-1", "sgd-seed-1", "adam-seed-2"]
    long = compile_filter("duration >= 4")
    assert [run.run for run in RUNS if long(run)] == ["adam-seed-1", "sgd-seed-1"]
    by_duration = sort_runs(RUNS, compile_sort("-duration, name"))
    assert [run.run for run in by_duration] == ["adam-seed-1", "sgd-seed-1", "adam-seed-2"]


@pytest.mark.parametrize("query", ["(" * 5000 + "lr < 1" + ")" * 5000, "not " * 5000 + "lr < 1"])
def test_absurd_nesting_is_a_clear_error_not_a_crash(query):
    with pytest.raises(InvalidArgumentError, match="nests deeper than 100 levels"):
        compile_filter(query)
