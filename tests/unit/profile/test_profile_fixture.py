"""The profile plugin on real captures: its numbers against what the raw trace JSON says.

Expectations are computed here from the raw events with plain loops (containment by
brute force), not with the plugin's code, so a bug in its nesting or grouping shows.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

import heron
from heron.plugins.profile import data
from heron.plugins.profile.model import TraceCache

FIXTURES = Path(__file__).parents[2] / "fixtures" / "profile"
TORCH_FILE = next((FIXTURES / "torch_cpu").glob("*.pt.trace.json.gz"))
TORCH_SESSION = TORCH_FILE.name.removesuffix(".pt.trace.json.gz")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    base = tmp_path_factory.mktemp("profile")
    shutil.copytree(FIXTURES, base / "logs")
    with heron.open(base / "logs", db=base / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def model(provider):
    return data.load(provider, TraceCache(), "torch_cpu", TORCH_SESSION, None)


@pytest.fixture(scope="module")
def raw():
    return json.loads(gzip.decompress(TORCH_FILE.read_bytes()))["traceEvents"]


def _complete(raw):
    return [e for e in raw if e.get("ph") == "X"]


def test_runs_and_sessions_are_discovered(provider):
    listing = {r["run"]: r["sessions"] for r in data.runs(provider)}
    assert [s["session"] for s in listing["torch_cpu"]] == [TORCH_SESSION]
    (jax_session,) = listing["jax_cpu"]
    assert {(h["format"], h["readable"]) for h in jax_session["hosts"]} == {
        ("trace_json", True),
        ("xplane", True),
    }


def test_step_times_are_the_profiler_step_spans(model, raw):
    expected = sorted(
        (int(e["name"].split("#")[1]), e["dur"])
        for e in _complete(raw)
        if e["name"].startswith("ProfilerStep#")
    )
    steps = data.overview(model)["steps"]
    assert [s["step"] for s in steps] == [step for step, _ in expected]
    assert [s["duration_us"] for s in steps] == pytest.approx([dur for _, dur in expected])
    assert len(steps) == 4


def test_input_time_is_the_dataloader_spans_inside_each_step(model, raw):
    events = _complete(raw)
    for step in data.overview(model)["steps"]:
        (span,) = [e for e in events if e["name"] == step["name"]]
        waits = [
            e["dur"]
            for e in events
            if e["name"].startswith("enumerate(DataLoader)")
            and span["ts"] <= e["ts"] <= span["ts"] + span["dur"]
        ]
        assert step["parts_us"]["input"] == pytest.approx(sum(waits))
        assert sum(step["parts_us"].values()) == pytest.approx(step["duration_us"])


def test_the_slow_dataloader_makes_an_input_bound_recommendation(model):
    overview = data.overview(model)
    kinds = [r["kind"] for r in overview["recommendations"]]
    assert kinds[0] == "input_bound"
    percent = overview["breakdown"]["input"]["percent"]
    assert (
        f"{percent:.0f} % of step time waiting for data" in overview["recommendations"][0]["text"]
    )


def _self_times(raw):
    """Per cpu_op name: (calls, self µs), by brute-force containment on each thread."""
    spans = list(_complete(raw))
    result: dict[str, list[float]] = {}
    for op in spans:
        if op.get("cat") != "cpu_op":
            continue
        start, end = op["ts"], op["ts"] + op["dur"]
        inside = [
            e
            for e in spans
            if e is not op
            and (e["pid"], e["tid"]) == (op["pid"], op["tid"])
            and start <= e["ts"]
            and e["ts"] + e["dur"] <= end + 1e-3
            and not (e["ts"] == start and e["dur"] > op["dur"])
        ]
        direct = [
            e
            for e in inside
            if not any(
                o is not e
                and o["ts"] <= e["ts"]
                and e["ts"] + e["dur"] <= o["ts"] + o["dur"] + 1e-3
                and o["dur"] > e["dur"]
                for o in inside
            )
        ]
        entry = result.setdefault(op["name"], [0, 0.0])
        entry[0] += 1
        entry[1] += max(0.0, op["dur"] - sum(e["dur"] for e in direct))
    return result


def test_top_ops_match_self_times_computed_from_the_raw_trace(model, raw):
    expected = _self_times(raw)
    rows = data.ops(model)["ops"]
    assert {r["name"] for r in rows} == set(expected)
    top = sorted(expected.items(), key=lambda item: -item[1][1])[:5]
    assert [r["name"] for r in rows[:5]] == [name for name, _ in top]
    for row in rows:
        calls, self_time = expected[row["name"]]
        assert row["calls"] == calls
        assert row["self_us"] == pytest.approx(self_time, abs=0.01)
    assert sum(r["self_percent"] for r in rows) == pytest.approx(100.0)


def test_memory_peak_is_the_largest_total_allocated(model, raw):
    allocations = [e for e in raw if e.get("name") == "[memory]"]
    (cpu,) = data.memory(model)["devices"]
    assert cpu["device"] == "CPU"
    assert len(cpu["allocated_bytes"]) == len(allocations)
    assert cpu["peak"]["bytes"] == max(e["args"]["Total Allocated"] for e in allocations)


def test_jax_steps_come_from_step_trace_annotations(provider):
    (listing,) = [r for r in data.runs(provider) if r["run"] == "jax_cpu"]
    session = listing["sessions"][0]["session"]
    model = data.load(provider, TraceCache(), "jax_cpu", session, None)
    steps = data.overview(model)["steps"]
    assert [s["step"] for s in steps] == [0, 1, 2]
    assert {s["name"] for s in steps} == {"train"}


def test_the_xspace_holds_the_spans_jax_exported_as_json(provider):
    """JAX writes one capture twice (XSpace and its JSON export): both decode to the same spans."""
    (session_dir,) = (FIXTURES / "jax_cpu" / "plugins" / "profile").iterdir()
    exported = json.loads(gzip.decompress((session_dir / "vm.trace.json.gz").read_bytes()))
    expected = Counter(
        (e["name"], round(e["dur"], 3)) for e in exported["traceEvents"] if e.get("ph") == "X"
    )
    model = data.load(provider, TraceCache(), "jax_cpu", session_dir.name, None, format="xplane")
    decoded = Counter(
        (span.name, round(span.duration, 3)) for track in model.tracks for span in track.spans
    )
    assert decoded == expected
    steps = data.overview(model)["steps"]
    assert [s["step"] for s in steps] == [0, 1, 2]
