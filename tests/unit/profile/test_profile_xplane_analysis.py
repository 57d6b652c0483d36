"""Input waits and kernel stats on XSpace captures, pinned against the raw protobuf.

The TensorFlow capture is real (tests/fixtures/profile_tf, ``tools/make_profile_fixtures.py``):
a ``tf.data`` pipeline slow enough that each step waits in ``IteratorGetNext``. No GPU here, so
the device plane test builds a small XSpace by hand in the shape TensorFlow and JAX write
(``/device:GPU:0`` plane, ``Stream #N`` lines, a ``kernel_details`` stat).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from heron.formats.proto.xplane_pb2 import XSpace
from heron.formats.xplane import decode_xspace
from heron.plugins.profile import data
from heron.plugins.profile.model import prepare

TF_FILE = next((Path(__file__).parents[2] / "fixtures" / "profile_tf").rglob("*.xplane.pb"))


def _events(plane: Any, line: Any) -> list[tuple[str, int, int, dict[str, Any]]]:
    """(name, start ps, duration ps, stats) of a line's events, straight from the protobuf."""
    out = []
    for event in line.events:
        meta = plane.event_metadata[event.metadata_id]
        stats = {}
        for stat in event.stats:
            kind = stat.WhichOneof("value")
            stats[plane.stat_metadata[stat.metadata_id].name] = getattr(stat, kind)
        start = line.timestamp_ns * 1000 + event.offset_ps
        out.append((meta.display_name or meta.name, start, event.duration_ps, stats))
    return out


def test_tensorflow_steps_wait_for_iterator_get_next() -> None:
    space = XSpace.FromString(TF_FILE.read_bytes())
    (host,) = [p for p in space.planes if p.name == "/host:CPU"]
    (python,) = [line for line in host.lines if line.name == "python"]
    events = _events(host, python)
    steps = sorted((e for e in events if e[0] == "train"), key=lambda e: e[1])
    expected = []
    for _, start, duration, stats in steps:
        waits = [
            d
            for name, s, d, _ in events
            if name == "EagerLocalExecute: IteratorGetNext" and start <= s < start + duration
        ]
        expected.append((stats["step_num"], sum(waits) / 1e6, duration / 1e6))
    pipeline = data.overview(prepare(decode_xspace(TF_FILE.read_bytes())))["input_pipeline"]
    assert len(expected) == 4
    assert [(s["step"], s["wait_us"], s["duration_us"]) for s in pipeline["steps"]] == [
        (step, pytest.approx(wait, abs=1e-3), pytest.approx(dur, abs=1e-3))
        for step, wait, dur in expected
    ]
    share = 100 * sum(w for _, w, _ in expected) / sum(d for _, _, d in expected)
    assert pipeline["percent"] == pytest.approx(share, abs=1e-3)
    assert pipeline["kind"] == "input_bound"


def _gpu_space() -> XSpace:
    space = XSpace()
    plane = space.planes.add(id=1, name="/device:GPU:0")
    plane.stat_metadata[1].name = "kernel_details"
    kernels = {
        1: (
            "sgemm_32x32x32_NN",
            "regs:64 static_shared:0 dynamic_shared:0 grid:4,2,1 block:128,1,1 occ_pct:50",
        ),
        2: (
            "fusion_3",
            "regs:16 static_shared:0 dynamic_shared:0 grid:40,1,1 block:256,1,1 occ_pct:100",
        ),
    }
    for key, (name, _) in kernels.items():
        plane.event_metadata[key].id = key
        plane.event_metadata[key].name = name
    plane.event_metadata[3].name = "fusion_3"  # the same kernel on the "XLA Ops" line: not a kernel
    stream = plane.lines.add(id=7, name="Stream #7(Compute)", timestamp_ns=1000)
    ops = plane.lines.add(id=100, name="XLA Ops", timestamp_ns=1000)
    for offset, key, duration in (
        (0, 1, 9_000_000),
        (20_000_000, 2, 3_000_000),
        (40_000_000, 1, 11_000_000),
    ):
        event = stream.events.add(metadata_id=key, offset_ps=offset, duration_ps=duration)
        event.stats.add(metadata_id=1, str_value=kernels[key][1])
        ops.events.add(metadata_id=3, offset_ps=offset, duration_ps=duration)
    return space


def test_xspace_gpu_stream_events_are_kernels_with_their_launch_shape() -> None:
    model = prepare(decode_xspace(_gpu_space().SerializeToString()))
    answer = data.ops(model)
    rows = {r["name"]: r for r in answer["kernels"]}
    assert set(rows) == {"sgemm_32x32x32_NN", "fusion_3"}
    sgemm = rows["sgemm_32x32x32_NN"]
    assert (sgemm["calls"], sgemm["total_us"], sgemm["min_us"], sgemm["max_us"]) == pytest.approx(
        (2, 20, 9, 11)
    )
    assert sgemm["device_percent"] == pytest.approx(100 * 20 / 23)
    assert (sgemm["grid"], sgemm["block"], sgemm["registers"], sgemm["occupancy"]) == (
        "4×2×1",
        "128×1×1",
        64,
        50.0,
    )
    assert rows["fusion_3"]["calls"] == 1


def test_xspace_device_plane_time_counts_as_device_time() -> None:
    model = prepare(decode_xspace(_gpu_space().SerializeToString()))
    answer = data.ops(model)
    # The stream line's 23 µs of kernels; the XLA Ops line repeats them and is not added.
    assert answer["host_device"] == {"host_us": 0.0, "device_us": pytest.approx(23)}
    assert {op["device"] for op in answer["ops"]} == {"device"}


def test_a_tf_data_bound_capture_gets_tf_data_advice_not_dataloader_advice() -> None:
    overview = data.overview(prepare(decode_xspace(TF_FILE.read_bytes())))
    first = overview["recommendations"][0]
    assert first["kind"] == "input_bound"
    assert first["text"].startswith(overview["input_pipeline"]["verdict"])
    assert "prefetch(tf.data.AUTOTUNE)" in first["text"]
    assert "DataLoader" not in first["text"]
