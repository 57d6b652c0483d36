"""The range summary's counters: per series the samples inside a range and the min / max /
time-weighted mean of the value the viewer draws there (a step function), through the plain
function and the HTTP route, with its parameter errors."""

from __future__ import annotations

import json

import pytest

import heron
from heron.errors import InvalidArgumentError
from heron.plugins import default_plugins
from heron.plugins.profile.columnar import build_columns
from heron.plugins.profile.trace_view import range_summary
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

_EVENTS = [
    {"ph": "X", "name": "step", "cat": "op", "pid": 1, "tid": 1, "ts": 0, "dur": 100},
    {"ph": "C", "name": "memory", "pid": 1, "ts": 10, "args": {"used": 4, "cached": 1}},
    {"ph": "C", "name": "memory", "pid": 1, "ts": 20, "args": {"used": 10, "cached": 1}},
    {"ph": "C", "name": "memory", "pid": 1, "ts": 30, "args": {"used": 2, "cached": 1}},
    {"ph": "C", "name": "queue", "pid": 2, "ts": 60, "args": {"depth": 7}},
]


def _trace():
    """A span on pid 1 over [0, 100]; ``memory`` (pid 1, two series) and ``queue`` (pid 2)."""
    return build_columns(json.dumps({"traceEvents": _EVENTS}).encode())


def _by_series(summary):
    return {(c["name"], c["series"]): c for c in summary["counters"]}


def test_counter_values_are_weighted_by_how_long_they_hold_inside_the_range():
    # used: 4 on [10, 20), 10 on [20, 30), 2 from 30 to the trace's end (100).
    found = _by_series(range_summary(_trace(), start=15, end=35, tracks=None))
    used = found[("memory", "used")]
    assert used["samples"] == 2  # at 20 and 30; the 4 holding at 15 came before
    assert (used["min"], used["max"]) == (2, 10)
    assert used["mean"] == pytest.approx((4 * 5 + 10 * 10 + 2 * 5) / 20)
    assert found[("memory", "cached")]["mean"] == pytest.approx(1)
    # The queue's first sample is at 60: it has no value in [15, 35].
    assert ("queue", "depth") not in found
    assert used["process"] == "1"
    assert used["pid"] == "1"


def test_a_range_between_samples_shows_the_value_held_and_the_last_holds_to_the_end():
    trace = _trace()
    quiet = _by_series(range_summary(trace, start=21, end=29, tracks=None))[("memory", "used")]
    assert (quiet["samples"], quiet["min"], quiet["max"], quiet["mean"]) == (0, 10, 10, 10)
    late = _by_series(range_summary(trace, start=50, end=90, tracks=None))
    assert late[("memory", "used")]["mean"] == 2
    # The queue holds 7 from 60 on: only the part of the range after its first sample counts.
    assert late[("queue", "depth")]["mean"] == 7
    assert late[("queue", "depth")]["samples"] == 1
    assert range_summary(trace, start=200, end=300, tracks=None)["counters"] == []


def test_the_counters_chosen_are_summarised_and_unknown_ones_refused():
    trace = _trace()
    assert [(c["track"], c["series"]) for c in trace_counters(trace)] == [
        (0, "cached"), (1, "used"), (2, "depth")
    ]  # fmt: skip
    only = range_summary(trace, start=0, end=100, tracks=[], counters=[2])
    assert [c["series"] for c in only["counters"]] == ["depth"]
    assert only["spans"] == 0  # tracks=[]: no thread chosen
    none = range_summary(trace, start=0, end=100, tracks=None, counters=[])
    assert none["counters"] == []
    assert none["spans"] == 1
    with pytest.raises(InvalidArgumentError):
        range_summary(trace, start=0, end=100, tracks=None, counters=[3])


def trace_counters(trace):
    return range_summary(trace, start=0, end=100, tracks=None)["counters"]


def test_the_summary_route_reads_counters_and_refuses_bad_ones(tmp_path):
    run = tmp_path / "logs" / "mem"
    run.mkdir(parents=True)
    (run / "worker0.1.pt.trace.json").write_text(json.dumps({"traceEvents": _EVENTS}))
    with heron.open(tmp_path / "logs", db=tmp_path / "index.sqlite") as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )
        base = {"run": "mem", "session": "worker0.1", "start": 0, "end": 100}

        def get(**params):
            return client.get("/data/plugin/profile/trace/summary", params={**base, **params})

        every = get().json()
        assert [c["series"] for c in every["counters"]] == ["cached", "used", "depth"]
        assert every["spans"] == 1
        chosen = get(counters="1,2", tracks="").json()
        assert [c["series"] for c in chosen["counters"]] == ["used", "depth"]
        assert chosen["spans"] == 0
        assert get(counters="").json()["counters"] == []
        assert get(counters="x").status_code == 400
        assert get(counters="3").status_code == 400
        assert get(counters="-1").status_code == 400
