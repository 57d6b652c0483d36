"""Kernel stats, op shares, memory at the peak and input waits, pinned against the raw JSON.

Every expectation is recomputed here from the trace events with plain loops, not with the
plugin's code: the real CPU capture (tests/fixtures/profile/torch_cpu) and the synthetic GPU
trace in torch's format (tests/fixtures/profile_synthetic, tools/make_profile_fixtures.py).
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import heron
from heron.plugins.profile import data
from heron.plugins.profile.kernels import launch_details
from heron.plugins.profile.model import TraceCache

FIXTURES = Path(__file__).parents[2] / "fixtures"
TORCH_FILE = next((FIXTURES / "profile" / "torch_cpu").glob("*.pt.trace.json.gz"))
GPU_FILE = FIXTURES / "profile_synthetic" / "gpu_synthetic" / "worker0.1.pt.trace.json.gz"


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("analysis")
    shutil.copytree(FIXTURES / "profile" / "torch_cpu", base / "logs" / "torch_cpu")
    shutil.copytree(FIXTURES / "profile_synthetic" / "gpu_synthetic", base / "logs" / "gpu")
    shutil.copytree(FIXTURES / "profile" / "jax_cpu", base / "logs" / "jax_cpu")
    with heron.open(base / "logs", db=base / "index.sqlite") as experiment:
        cache = TraceCache()
        session = TORCH_FILE.name.removesuffix(".pt.trace.json.gz")
        (jax_run,) = [r for r in data.runs(experiment.provider) if r["run"] == "jax_cpu"]
        jax_session = jax_run["sessions"][0]["session"]
        yield {
            "cpu": data.load(experiment.provider, cache, "torch_cpu", session, None),
            "gpu": data.load(experiment.provider, cache, "gpu", "worker0.1", None),
            "jax": data.load(experiment.provider, cache, "jax_cpu", jax_session, None),
        }


def _raw(path: Path) -> list[dict[str, Any]]:
    return json.loads(gzip.decompress(path.read_bytes()))["traceEvents"]


def _steps(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        (e for e in raw if e.get("ph") == "X" and e["name"].startswith("ProfilerStep#")),
        key=lambda e: e["ts"],
    )


def test_kernel_table_sums_the_kernel_events_per_name(models: Any) -> None:
    raw = _raw(GPU_FILE)
    kernels = [e for e in raw if e.get("cat") == "kernel"]
    by_name: dict[str, list[float]] = defaultdict(list)
    for event in kernels:
        by_name[event["name"]].append(event["dur"])
    device_total = sum(e["dur"] for e in kernels)
    rows = {r["name"]: r for r in data.ops(models["gpu"])["kernels"]}
    assert set(rows) == set(by_name)
    for name, durations in by_name.items():
        row = rows[name]
        assert row["calls"] == len(durations)
        assert row["total_us"] == pytest.approx(sum(durations))
        assert row["mean_us"] == pytest.approx(sum(durations) / len(durations))
        assert (row["min_us"], row["max_us"]) == pytest.approx((min(durations), max(durations)))
        assert row["device_percent"] == pytest.approx(100 * sum(durations) / device_total)
    sgemm = next(e for e in kernels if e["name"] == "volta_sgemm_128x64_nn")
    row = rows["volta_sgemm_128x64_nn"]
    assert row["grid"] == "×".join(map(str, sgemm["args"]["grid"]))
    assert row["block"] == "×".join(map(str, sgemm["args"]["block"]))
    assert row["registers"] == sgemm["args"]["registers per thread"]
    occupancies = [
        e["args"]["est. achieved occupancy %"] for e in kernels if e["name"] == sgemm["name"]
    ]
    assert row["occupancy"] == pytest.approx(sum(occupancies) / len(occupancies))


def test_kernel_rows_come_most_device_time_first(models: Any) -> None:
    totals = [r["total_us"] for r in data.ops(models["gpu"])["kernels"]]
    assert totals == sorted(totals, reverse=True)


def test_a_cpu_capture_has_no_kernels(models: Any) -> None:
    answer = data.ops(models["cpu"])
    assert answer["kernels"] == []
    assert answer["host_device"]["device_us"] == 0


def test_xplane_kernel_details_are_parsed() -> None:
    details = "regs:32 static_shared:0 dynamic_shared:0 grid:80,1,1 block:256,1,1 occ_pct:62.5"
    assert launch_details({"kernel_details": details}) == {
        "grid": "80×1×1",
        "block": "256×1×1",
        "registers": 32,
        "occupancy": 62.5,
    }


def test_host_and_device_split_is_self_time_by_category(models: Any) -> None:
    answer = data.ops(models["gpu"])
    device = {"kernel", "gpu_memcpy", "gpu_memset"}
    raw_device = sum(e["dur"] for e in _raw(GPU_FILE) if e.get("cat") in device)
    # Device events do not nest on the stream, so their self time is their duration.
    assert answer["host_device"]["device_us"] == pytest.approx(raw_device)
    device_pie = answer["op_types"]["device"]
    assert sum(s["self_us"] for s in device_pie) == pytest.approx(raw_device)
    assert sum(s["percent"] for s in device_pie) == pytest.approx(100)


def test_step_percent_is_self_time_inside_steps_over_step_time(models: Any) -> None:
    raw = _raw(TORCH_FILE)
    steps = _steps(raw)
    step_total = sum(s["dur"] for s in steps)
    ops = [e for e in raw if e.get("ph") == "X" and e.get("cat") == "cpu_op"]
    same_thread = [e for e in ops if e["name"] == "aten::mm"]

    def self_time(event: dict[str, Any]) -> float:
        children = [
            c
            for c in ops
            if c is not event
            and c["tid"] == event["tid"]
            and event["ts"] <= c["ts"] <= event["ts"] + event["dur"]
            and c["ts"] + c["dur"] <= event["ts"] + event["dur"] + 1e-3
        ]
        direct = [
            c
            for c in children
            if not any(
                o is not c and o["ts"] <= c["ts"] and c["ts"] + c["dur"] <= o["ts"] + o["dur"]
                for o in children
            )
        ]
        return event["dur"] - sum(c["dur"] for c in direct)

    inside = sum(
        self_time(e)
        for e in same_thread
        if any(s["ts"] <= e["ts"] < s["ts"] + s["dur"] for s in steps)
    )
    row = next(r for r in data.ops(models["cpu"])["ops"] if r["name"] == "aten::mm")
    assert row["step_percent"] == pytest.approx(100 * inside / step_total, rel=1e-4)


def _replay(raw: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    events = sorted((e for e in raw if e.get("name") == "[memory]"), key=lambda e: e["ts"])
    peak = max(events, key=lambda e: e["args"]["Total Allocated"])
    live: dict[int, dict[str, Any]] = {}
    for event in events[: events.index(peak) + 1]:
        if event["args"]["Bytes"] > 0:
            live[event["args"]["Addr"]] = event
        else:
            live.pop(event["args"]["Addr"], None)
    return peak, live


def _innermost(raw: list[dict[str, Any]], event: dict[str, Any]) -> str:
    enclosing = [
        e
        for e in raw
        if e.get("ph") == "X"
        and e["tid"] == event["tid"]
        and e["ts"] <= event["ts"] <= e["ts"] + e["dur"]
    ]
    return max(enclosing, key=lambda e: (e["ts"], -e["dur"]))["name"]


@pytest.mark.parametrize("which", ["cpu", "gpu"])
def test_allocations_live_at_the_peak_are_replayed_from_addr_and_bytes(
    models: Any, which: str
) -> None:
    raw = _raw(TORCH_FILE if which == "cpu" else GPU_FILE)
    peak, live = _replay(raw)
    (device,) = data.memory(models[which])["devices"]
    assert device["peak"]["bytes"] == peak["args"]["Total Allocated"]
    answer = device["peak_live"]
    assert answer["count"] == len(live)
    assert answer["live_bytes"] == sum(e["args"]["Bytes"] for e in live.values())
    expected = sorted(
        ((str(a), e["args"]["Bytes"], _innermost(raw, e)) for a, e in live.items()),
        key=lambda t: (-t[1], t[0]),
    )
    shown = sorted(
        ((r["address"], r["bytes"], r["op"]) for r in answer["allocations"]),
        key=lambda t: (-t[1], t[0]),
    )
    assert shown == expected


def test_bytes_allocated_before_the_capture_are_unattributed(models: Any) -> None:
    (device,) = data.memory(models["gpu"])["devices"]
    assert device["device"] == "CUDA:0"
    assert device["peak_live"]["unattributed_bytes"] == 1 << 20
    assert {r["op"] for r in device["peak_live"]["allocations"]} == {"aten::linear", "aten::copy_"}


def test_input_wait_per_step_is_the_dataloader_time_inside_the_step(models: Any) -> None:
    raw = _raw(TORCH_FILE)
    loads = [e for e in raw if e.get("ph") == "X" and e["name"].startswith("enumerate(DataLoader)")]
    pipeline = data.overview(models["cpu"])["input_pipeline"]
    steps = _steps(raw)
    assert [s["step"] for s in pipeline["steps"]] == [int(s["name"][13:]) for s in steps]
    total_wait = 0.0
    for row, step in zip(pipeline["steps"], steps, strict=True):
        wait = sum(e["dur"] for e in loads if step["ts"] <= e["ts"] < step["ts"] + step["dur"])
        total_wait += wait
        assert row["wait_us"] == pytest.approx(wait, rel=1e-6)
        assert row["percent"] == pytest.approx(100 * wait / step["dur"], rel=1e-6)
    percent = 100 * total_wait / sum(s["dur"] for s in steps)
    assert pipeline["percent"] == pytest.approx(percent, rel=1e-6)
    assert pipeline["verdict"] == f"input-bound: {percent:.0f} % of step time waiting for data"


def test_the_overview_recommendation_uses_the_same_input_share(models: Any) -> None:
    overview = data.overview(models["cpu"])
    first = overview["recommendations"][0]
    assert first["kind"] == "input_bound"
    assert first["text"].startswith(overview["input_pipeline"]["verdict"])


def test_a_trace_without_loader_spans_says_input_is_not_measured(models: Any) -> None:
    pipeline = data.overview(models["jax"])["input_pipeline"]
    assert pipeline["steps"]
    assert pipeline["kind"] == "no_input_events"
    assert all(row["wait_us"] == 0 for row in pipeline["steps"])


def test_a_kernel_is_launched_by_the_op_around_its_launch_with_the_same_correlation(
    models: Any,
) -> None:
    raw = _raw(GPU_FILE)
    spans = [e for e in raw if e.get("ph") == "X"]
    launches = {e["args"]["correlation"]: e for e in spans if e.get("cat") == "cuda_runtime"}

    def parent(event: dict[str, Any]) -> str:
        around = [
            e
            for e in spans
            if e is not event
            and e["tid"] == event["tid"]
            and e["ts"] <= event["ts"]
            and event["ts"] + event["dur"] <= e["ts"] + e["dur"]
        ]
        return min(around, key=lambda e: e["dur"])["name"]

    expected: dict[str, set[str]] = defaultdict(set)
    for kernel in (e for e in spans if e.get("cat") == "kernel"):
        expected[kernel["name"]].add(parent(launches[kernel["args"]["correlation"]]))
    rows = data.ops(models["gpu"])["kernels"]
    assert {r["name"]: {r["launched_by"]} for r in rows} == expected
