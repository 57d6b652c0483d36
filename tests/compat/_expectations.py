"""Checks Heron's read of a logdir against the records of what a writer was asked to write.

Records come from ``tools/make_golden_logdirs.py`` (committed as
``expected.json`` next to each golden logdir, or produced live). Each record
names one summary value — run, tag, step, kind, plugin, data class — plus
kind-specific fields; ``check_record`` knows what each kind promises once it
has gone through Heron's normalisation.
"""

from __future__ import annotations

import io
import json
import wave
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heron.formats.proto.custom_scalars_layout_pb2 import Layout
from heron.formats.proto.event_pb2 import SessionLog
from heron.formats.proto.graph_pb2 import GraphDef
from heron.formats.proto.hparams_api_pb2 import Status
from heron.formats.proto.hparams_plugin_pb2 import HParamsPluginData
from heron.formats.proto.mesh_plugin_pb2 import MeshPluginData
from heron.formats.proto.pr_curves_plugin_pb2 import PrCurvePluginData
from heron.formats.proto.run_metadata_pb2 import RunMetadata
from heron.formats.proto.summary_pb2 import DataClass, SummaryMetadata
from heron.formats.tensors import make_ndarray, scalar_value

from ._readers import Point, RunRead

Record = dict[str, Any]


def load_expected(folder: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return expected


def record_id(record: Record) -> str:
    tag = record["tag"] if record["tag"] is not None else record["kind"]
    run = "" if record["run"] == "." else f"{record['run']}:"
    return f"{run}{tag}@{record['step']}"


def _find_point(runs: dict[str, RunRead], record: Record) -> tuple[Point, SummaryMetadata]:
    run = runs.get(record["run"])
    assert run is not None, f"run {record['run']!r} not found; runs: {sorted(runs)}"
    points = [p for p in run.series.get(record["tag"], []) if p.step == record["step"]]
    assert len(points) == 1, (
        f"{record_id(record)}: expected one value, found {len(points)}; "
        f"tags of the run: {sorted(run.series)}"
    )
    return points[0], run.metadata[record["tag"]]


def check_coverage(runs: dict[str, RunRead], records: list[Record]) -> None:
    """Heron read exactly the series and points the records name: nothing lost, nothing extra."""
    wanted = Counter((r["run"], r["tag"]) for r in records if r["tag"] is not None)
    got = Counter(
        {
            (name, tag): len(points)
            for name, run in runs.items()
            for tag, points in run.series.items()
        }
    )
    assert got == wanted
    others = Counter(r["run"] for r in records if r["tag"] is None)
    assert Counter({name: len(run.others) for name, run in runs.items() if run.others}) == others


def check_record(runs: dict[str, RunRead], record: Record) -> None:
    """One record's promise holds in Heron's normalised read."""
    if record["tag"] is None:
        _check_other_event(runs, record)
        return
    point, metadata = _find_point(runs, record)
    assert metadata.plugin_data.plugin_name == record["plugin"]
    assert DataClass.Name(metadata.data_class) == f"DATA_CLASS_{record['data_class']}"
    if "wall_time" in record:
        assert point.wall_time == record["wall_time"]
    if "description" in record:
        assert metadata.summary_description == record["description"]
    _CHECKS[record["kind"]](point, metadata, record)


def _check_other_event(runs: dict[str, RunRead], record: Record) -> None:
    events = [e for e in runs[record["run"]].others if e.step == record["step"]]
    if record["kind"] == "session_log":
        status = SessionLog.SessionStatus.Value(record["status"])
        assert [e.session_log.status for e in events if e.HasField("session_log")] == [status]
    elif record["kind"] == "meta_graph":
        assert [e for e in events if e.HasField("meta_graph_def")]
    else:
        raise AssertionError(f"unknown record kind {record['kind']!r}")


def _array(point: Point) -> np.ndarray:
    assert point.value.HasField("tensor"), "not normalised to a tensor"
    return make_ndarray(point.value.tensor)


def _check_scalar(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    dtype = np.dtype(record.get("dtype", "float32"))
    assert array.shape == ()
    assert array.dtype == dtype
    expected = np.array(record["value"], dtype=dtype)
    assert np.array_equal(array, expected, equal_nan=True), (array, expected)
    # The fast path ingest uses for scalar points agrees with full decoding.
    fast = scalar_value(point.value.tensor)
    assert np.array_equal(np.array(fast, dtype=dtype), expected, equal_nan=True)


def _check_histogram_shape(array: np.ndarray) -> None:
    assert array.ndim == 2
    assert array.shape[1] == 3
    lefts, rights = array[:, 0], array[:, 1]
    assert np.all(lefts <= rights), array
    assert np.array_equal(lefts[1:], rights[:-1]), "buckets are not contiguous"


def _check_histogram(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    _check_histogram_shape(array)
    if "buckets" in record:  # the modern tensor form keeps every bucket
        assert array.shape[0] == record["buckets"]
    assert array[:, 2].sum() == record["count"]
    if record["count"]:
        assert array[0, 0] == np.array(record["min"], dtype=array.dtype)
        assert array[-1, 1] == np.array(record["max"], dtype=array.dtype)


def migrated_histogram(
    minimum: float, maximum: float, limits: list[float], counts: list[float]
) -> np.ndarray:
    """TensorBoard's rule for a legacy histogram, spelled out independently of Heron's code."""
    nonzero = [i for i, count in enumerate(counts) if count > 0]
    if not nonzero:
        return np.zeros((0, 3), dtype=np.float32)
    first, last = nonzero[0], nonzero[-1]
    rows = []
    for i in range(first, last + 1):
        left = minimum if i == first else limits[i - 1]
        right = maximum if i == last else limits[i]
        rows.append((left, right, counts[i]))
    return np.array(rows, dtype=np.float32)


def _check_histogram_raw(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    expected = migrated_histogram(
        record["min"], record["max"], record["bucket_limit"], record["bucket"]
    )
    assert array.dtype == np.float32
    assert np.array_equal(array, expected), (array, expected)


def _check_image(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    image_module = pytest.importorskip("PIL.Image")
    array = _array(point)
    images = record["images"]
    assert array.shape == (2 + len(images),)
    assert array[0] == str(images[0]["width"]).encode()
    assert array[1] == str(images[0]["height"]).encode()
    for blob, expected in zip(array[2:], images, strict=True):
        with image_module.open(io.BytesIO(blob)) as decoded:
            assert decoded.size == (expected["width"], expected["height"])
            pixels = np.asarray(decoded.convert("RGB"))
        if "pixels" in expected:  # absent when the writer rendered them (figures)
            assert np.array_equal(pixels, np.array(expected["pixels"], dtype=np.uint8))


def _check_audio(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    clips = record["clips"]
    assert array.shape == (len(clips),), "audio must be normalised to a rank-1 blob sequence"
    for blob, clip in zip(array, clips, strict=True):
        with wave.open(io.BytesIO(blob), "rb") as decoded:
            assert decoded.getframerate() == record["sample_rate"]
            assert decoded.getnchannels() == clip["channels"]
            assert decoded.getsampwidth() == 2
            assert decoded.getnframes() == len(clip["samples"])
            frames = decoded.readframes(decoded.getnframes())
        samples = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32767.0
        np.testing.assert_allclose(samples, clip["samples"], atol=1e-4)


def _check_text(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    expected = np.array(record["text"], dtype=object)
    assert array.shape == expected.shape
    decoded = np.vectorize(lambda b: b.decode("utf-8"), otypes=[object])(array)
    assert decoded.tolist() == expected.tolist()


def _check_pr_curve(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    count = record["num_thresholds"]
    assert array.shape == (6, count)
    assert PrCurvePluginData.FromString(metadata.plugin_data.content).num_thresholds == count
    # At threshold 0 every example is predicted positive.
    assert array[0, 0] == record["positives"]
    assert array[1, 0] == record["negatives"]
    assert np.all((array[4:] >= 0) & (array[4:] <= 1))


def _hparams_data(point: Point, metadata: SummaryMetadata, field: str) -> Any:
    array = _array(point)
    assert array.dtype == np.float32
    assert array.shape == (0,), "hparams values carry the empty float tensor"
    data = HParamsPluginData.FromString(metadata.plugin_data.content)
    assert data.WhichOneof("data") == field
    return getattr(data, field)


def _check_hparams_experiment(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    experiment = _hparams_data(point, metadata, "experiment")
    assert sorted(info.name for info in experiment.hparam_infos) == record["hparams"]
    assert sorted(info.name.tag for info in experiment.metric_infos) == record["metrics"]


def _check_hparams_session_start(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    start = _hparams_data(point, metadata, "session_start_info")
    got: dict[str, Any] = {}
    for name, value in start.hparams.items():
        kind = value.WhichOneof("kind")
        got[name] = getattr(value, kind)
    expected = {
        k: v if isinstance(v, bool | str) else float(v) for k, v in record["hparams"].items()
    }
    assert got == expected
    if "group_name" in record:
        assert start.group_name == record["group_name"]


def _check_hparams_session_end(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    end = _hparams_data(point, metadata, "session_end_info")
    assert Status.Name(end.status) == record["status"]


def _single_blob(point: Point) -> bytes:
    array = _array(point)
    assert array.shape == (1,), "graph payloads are one-element blob sequences"
    return bytes(array[0])


def _graph_ops(graph: GraphDef) -> set[str]:
    ops = {node.op for node in graph.node}
    for function in graph.library.function:
        ops.update(node.op for node in function.node_def)
    return ops


def _check_graph(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    graph = GraphDef.FromString(_single_blob(point))
    assert set(record["ops"]) <= _graph_ops(graph)


def _check_run_metadata(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    RunMetadata.FromString(_single_blob(point))


def _check_graph_run_metadata(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    run_metadata = RunMetadata.FromString(_single_blob(point))
    ops: set[str] = set()
    for graphs in run_metadata.function_graphs:
        ops |= _graph_ops(graphs.pre_optimization_graph)
    assert set(record["ops"]) <= ops


def _check_custom_scalars(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    assert array.shape == ()
    layout = Layout.FromString(array.item())
    got = {
        category.title: [chart.title for chart in category.chart] for category in layout.category
    }
    assert got == record["categories"]


def _check_mesh(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    expected = np.array(record["values"])
    assert array.shape == expected.shape
    assert np.array_equal(array.astype(np.float64), expected)
    data = MeshPluginData.FromString(metadata.plugin_data.content)
    assert MeshPluginData.ContentType.Name(data.content_type) == record["content_type"]


def _check_tensor(point: Point, metadata: SummaryMetadata, record: Record) -> None:
    array = _array(point)
    assert array.dtype == np.dtype(record["dtype"])
    assert array.tolist() == record["values"]


_CHECKS = {
    "scalar": _check_scalar,
    "histogram": _check_histogram,
    "histogram_raw": _check_histogram_raw,
    "image": _check_image,
    "audio": _check_audio,
    "text": _check_text,
    "pr_curve": _check_pr_curve,
    "hparams_experiment": _check_hparams_experiment,
    "hparams_session_start": _check_hparams_session_start,
    "hparams_session_end": _check_hparams_session_end,
    "graph": _check_graph,
    "run_metadata": _check_run_metadata,
    "graph_run_metadata": _check_graph_run_metadata,
    "custom_scalars": _check_custom_scalars,
    "mesh": _check_mesh,
    "tensor": _check_tensor,
}
