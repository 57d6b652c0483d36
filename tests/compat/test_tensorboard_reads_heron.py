"""Real TensorBoard reads event files written by Heron's EventFileWriter exactly as written.

One run holds a hand-built event of every kind (legacy ``simple_value`` /
``histo`` / ``image`` / ``audio``; modern tensors with plugin metadata for
scalars, histograms, text, images, audio, PR curves, hparams, custom scalars
and graph sub-plugins; ``graph_def``; ``tagged_run_metadata``; ``session_log``),
over several steps and wall times. TensorBoard must yield the same events as
Heron's normalised read (its loader), keep the values (both accumulators) and
serve them (its data provider, which backs every HTTP route).
"""

from __future__ import annotations

import functools
import io
import struct
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heron.formats.events import FILE_VERSION, EventFileWriter
from heron.formats.proto.audio_plugin_pb2 import AudioPluginData
from heron.formats.proto.custom_scalars_layout_pb2 import (
    Category,
    Chart,
    Layout,
    MultilineChartContent,
)
from heron.formats.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from heron.formats.proto.graph_pb2 import GraphDef, NodeDef
from heron.formats.proto.histogram_pb2 import HistogramProto
from heron.formats.proto.hparams_api_pb2 import (
    DataType,
    Experiment,
    HParamInfo,
    Interval,
    MetricInfo,
    MetricName,
    Status,
)
from heron.formats.proto.hparams_plugin_pb2 import (
    HParamsPluginData,
    SessionEndInfo,
    SessionStartInfo,
)
from heron.formats.proto.images_plugin_pb2 import ImagePluginData
from heron.formats.proto.pr_curves_plugin_pb2 import PrCurvePluginData
from heron.formats.proto.run_metadata_pb2 import RunMetadata, StepStats
from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DT_FLOAT
from heron.formats.tensors import make_tensor_proto, string_tensor

from ._expectations import migrated_histogram
from ._readers import assert_same_as_tensorboard, read_run

pytestmark = pytest.mark.compat

_PROCESSING = "tensorboard.backend.event_processing"
context = pytest.importorskip("tensorboard.context")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")
data_provider = pytest.importorskip(f"{_PROCESSING}.data_provider")
event_accumulator = pytest.importorskip(f"{_PROCESSING}.event_accumulator")
event_file_loader = pytest.importorskip(f"{_PROCESSING}.event_file_loader")
io_wrapper = pytest.importorskip(f"{_PROCESSING}.io_wrapper")
plugin_event_accumulator = pytest.importorskip(f"{_PROCESSING}.plugin_event_accumulator")
plugin_event_multiplexer = pytest.importorskip(f"{_PROCESSING}.plugin_event_multiplexer")

RUN = "train"
WALL = 1_600_000_000.5
LOSSES = [2.0, 1.5, 0.1, -3.25, 1e-8]
MODERN = [0.5, 0.25, 0.125]
HISTOS = [
    # (min, max, bucket_limit, bucket): empty buckets at both ends are dropped on read
    (-1.5, 2.5, [-1.0, 0.0, 1.0, 2.0, 3.0, 1e308], [0.0, 2.0, 0.0, 4.0, 1.0, 0.0]),
    (0.25, 0.75, [0.5, 1.0], [3.0, 2.0]),
    (0.0, 0.0, [1.0, 2.0], [0.0, 0.0]),  # all empty → shape [0, 3]
]
HPARAMS: dict[str, Any] = {"lr": 0.01, "optimizer": "adam", "batch_norm": True}
PR = np.arange(30, dtype=np.float32).reshape(6, 5) / 30
KERAS_JSON = b'{"class_name": "Sequential"}'


@functools.cache
def png(seed: int) -> bytes:
    """A real 3x2 RGB PNG, built with zlib only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = np.random.default_rng(seed).integers(0, 256, (2, 3, 3), dtype=np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in pixels)
    header = struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(raw))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


@functools.cache
def wav(frames: int, seed: int) -> bytes:
    """A mono 16-bit 8 kHz WAV clip."""
    samples = np.random.default_rng(seed).integers(-3000, 3000, frames, dtype=np.int16)
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def _metadata(plugin: str, content: bytes = b"", **fields: Any) -> SummaryMetadata:
    metadata = SummaryMetadata(**fields)
    metadata.plugin_data.plugin_name = plugin
    metadata.plugin_data.content = content
    return metadata


def _value(
    tag: str, tensor: TensorProto | None, metadata: SummaryMetadata | None = None
) -> Summary.Value:
    """A modern value; writers put metadata on the first value of a tag only."""
    value = Summary.Value(tag=tag)
    if tensor is not None:
        value.tensor.CopyFrom(tensor)
    if metadata is not None:
        value.metadata.CopyFrom(metadata)
    return value


def _summary_event(step: int, wall_time: float, *values: Summary.Value) -> Event:
    event = Event(step=step, wall_time=wall_time)
    event.summary.value.extend(values)
    return event


GRAPH = GraphDef(
    node=[
        NodeDef(name="x", op="Placeholder"),
        NodeDef(name="y", op="Relu", input=["x"], device="/cpu:0"),
    ]
)
RUN_METADATA = RunMetadata(step_stats=StepStats())
RUN_METADATA.step_stats.dev_stats.add(device="/cpu:0").node_stats.add(node_name="y")
TRACE = RunMetadata()
TRACE.function_graphs.add().pre_optimization_graph.CopyFrom(GRAPH)
LAYOUT = Layout(category=[Category(title="losses", chart=[Chart(title="all")])])
LAYOUT.category[0].chart[0].multiline.CopyFrom(MultilineChartContent(tag=["legacy/.*"]))


def _scalar_and_histogram_events() -> list[Event]:
    events = []
    scalar_metadata = _metadata("scalars", display_name="Modern", summary_description="a *scalar*")
    for step, loss in enumerate(LOSSES):
        values = [Summary.Value(tag="legacy/loss", simple_value=loss)]
        if step < len(MODERN):
            tensor = make_tensor_proto(np.float32(MODERN[step]))
            values.append(_value("modern/scalar", tensor, scalar_metadata if step == 0 else None))
        if step < len(HISTOS):
            minimum, maximum, limits, counts = HISTOS[step]
            histo = HistogramProto(min=minimum, max=maximum, num=sum(counts), sum=1.0)
            histo.bucket_limit.extend(limits)
            histo.bucket.extend(counts)
            values.append(Summary.Value(tag="legacy/histo", histo=histo))
            rows = migrated_histogram(minimum, maximum, limits, counts).astype(np.float64)
            metadata = _metadata("histograms") if step == 0 else None
            values.append(_value("modern/histogram", make_tensor_proto(rows), metadata))
        events.append(_summary_event(step, WALL + 10 * step + 1, *values))
    return events


def _media_events() -> list[Event]:
    wav_content = AudioPluginData(encoding=AudioPluginData.Encoding.WAV).SerializeToString()
    metadata = {
        "modern/images": _metadata("images", ImagePluginData().SerializeToString()),
        "modern/audio": _metadata("audio", wav_content),
        "modern/text": _metadata("text"),
        "modern/pr": _metadata(
            "pr_curves", PrCurvePluginData(num_thresholds=5).SerializeToString()
        ),
    }
    events = []
    for step in range(2):
        table = np.array([["a", "b"], [f"step {step}", "ü"]], dtype=object)
        tensors = {
            "modern/images": string_tensor([b"3", b"2", png(10 + step), png(20 + step)]),
            "modern/audio": string_tensor(
                [wav(8, 30 + step), b"*a*", wav(8, 40 + step), b""], shape=[2, 2]
            ),
            "modern/text": make_tensor_proto(table),
            "modern/pr": make_tensor_proto(PR + step),
        }
        image = Summary.Image(height=2, width=3, colorspace=3, encoded_image_string=png(step))
        audio = Summary.Audio(
            sample_rate=8000,
            num_channels=1,
            length_frames=16,
            encoded_audio_string=wav(16, step),
            content_type="audio/wav",
        )
        values = [
            Summary.Value(tag="legacy/image", image=image),
            Summary.Value(tag="legacy/audio", audio=audio),
            *(_value(tag, t, metadata[tag] if step == 0 else None) for tag, t in tensors.items()),
        ]
        events.append(_summary_event(step, WALL + 100 + step, *values))
    return events


def _graph_events() -> list[Event]:
    trm = TaggedRunMetadata(tag="step1", run_metadata=RUN_METADATA.SerializeToString())
    # Rank-0 strings: TensorBoard gives graph sub-plugin tensors without a shape the shape [1].
    layout = string_tensor([LAYOUT.SerializeToString()], shape=[])
    trace = string_tensor([TRACE.SerializeToString()], shape=[])
    keras = string_tensor([KERAS_JSON], shape=[])
    return [
        Event(step=0, wall_time=WALL + 0.1, graph_def=GRAPH.SerializeToString()),
        Event(step=1, wall_time=WALL + 0.2, tagged_run_metadata=trm),
        _summary_event(
            0,
            WALL + 200,
            _value("custom_scalars__config__", layout, _metadata("custom_scalars")),
            _value("trace", trace, _metadata("graph_run_metadata_graph", b"1")),
            _value("keras", keras, _metadata("graph_keras_model", b"1")),
        ),
    ]


def _hparams_events() -> list[Event]:
    lr_domain = Interval(min_value=1e-3, max_value=0.1)
    experiment = Experiment(
        hparam_infos=[
            HParamInfo(name="lr", type=DataType.DATA_TYPE_FLOAT64, domain_interval=lr_domain),
            HParamInfo(name="optimizer", type=DataType.DATA_TYPE_STRING),
            HParamInfo(name="batch_norm", type=DataType.DATA_TYPE_BOOL),
        ],
        metric_infos=[MetricInfo(name=MetricName(tag="modern/scalar"))],
    )
    start = SessionStartInfo(group_name="group", start_time_secs=WALL)
    start.hparams["lr"].number_value = HPARAMS["lr"]
    start.hparams["optimizer"].string_value = HPARAMS["optimizer"]
    start.hparams["batch_norm"].bool_value = HPARAMS["batch_norm"]
    end = SessionEndInfo(status=Status.STATUS_SUCCESS, end_time_secs=WALL + 300)
    # TF2 writes the empty float tensor; tensorboardX and torch write no tensor at all.
    empty = TensorProto(dtype=DT_FLOAT)
    empty.tensor_shape.dim.add(size=0)
    parts = [
        ("_hparams_/experiment", HParamsPluginData(experiment=experiment), None),
        ("_hparams_/session_start_info", HParamsPluginData(session_start_info=start), empty),
        ("_hparams_/session_end_info", HParamsPluginData(session_end_info=end), None),
    ]
    values = [
        _value(tag, tensor, _metadata("hparams", data.SerializeToString()))
        for tag, data, tensor in parts
    ]
    return [_summary_event(0, WALL + 300, *values)]


def heron_events() -> list[Event]:
    """Every kind of event a writer emits, in a plausible order."""
    start = Event(step=0, wall_time=WALL, session_log=SessionLog(status=SessionLog.START))
    return [
        start,
        *_graph_events(),
        *_scalar_and_histogram_events(),
        *_media_events(),
        *_hparams_events(),
    ]


@dataclass(frozen=True)
class Written:
    logdir: Path
    path: Path
    first_wall_time: float


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    logdir = tmp_path_factory.mktemp("heron_logdir")
    with EventFileWriter(logdir / RUN) as writer:
        for event in heron_events():
            writer.write_event(event)
    path = Path(writer.path)
    loader = event_file_loader.LegacyEventFileLoader(str(path))
    first_event = next(iter(loader.Load()))
    return Written(logdir=logdir, path=path, first_wall_time=first_event.wall_time)


@pytest.fixture(scope="module")
def accumulator(written: Written) -> Any:
    acc = plugin_event_accumulator.EventAccumulator(
        str(written.path), size_guidance={plugin_event_accumulator.TENSORS: 0}
    )
    acc.Reload()
    return acc


@pytest.fixture(scope="module")
def legacy_accumulator(written: Written) -> Any:
    acc = event_accumulator.EventAccumulator(
        str(written.path), size_guidance=dict.fromkeys(event_accumulator.DEFAULT_SIZE_GUIDANCE, 0)
    )
    acc.Reload()
    return acc


@pytest.fixture(scope="module")
def provider(written: Written) -> Any:
    size_guidance = {plugin_event_accumulator.TENSORS: 0}  # keep every point
    multiplexer = plugin_event_multiplexer.EventMultiplexer(size_guidance=size_guidance)
    multiplexer.AddRunsFromDirectory(str(written.logdir))
    multiplexer.Reload()
    return data_provider.MultiplexerDataProvider(multiplexer, str(written.logdir))


def _values(acc: Any, tag: str) -> list[Any]:
    """The decoded tensors TensorBoard holds for ``tag``, as nested lists."""
    return [tensor_util.make_ndarray(e.tensor_proto).tolist() for e in acc.Tensors(tag)]


# --- the file itself ------------------------------------------------------------------------


def test_file_name_is_a_tensorboard_events_file(written: Written) -> None:
    assert io_wrapper.IsTensorFlowEventsFile(str(written.path))
    assert io_wrapper.IsSummaryEventsFile(str(written.path))


def test_first_record_is_file_version_brain_event_2(written: Written) -> None:
    loader = event_file_loader.LegacyEventFileLoader(str(written.path))
    first = next(iter(loader.Load()))
    assert first.file_version == FILE_VERSION == "brain.Event:2"
    assert first.source_metadata.writer == "heron"


def test_tensorboard_parses_file_version_and_first_timestamp(
    accumulator: Any, written: Written
) -> None:
    assert accumulator.file_version == 2.0
    assert accumulator.FirstEventTimestamp() == written.first_wall_time


def test_tensorboard_reads_every_record_byte_for_byte(written: Written) -> None:
    raw = list(event_file_loader.LegacyEventFileLoader(str(written.path)).Load())
    expected = heron_events()
    assert len(raw) == 1 + len(expected)
    for theirs, ours in zip(raw[1:], expected, strict=True):
        assert theirs.SerializeToString() == ours.SerializeToString()


# --- (a) TensorBoard's loader yields what Heron's normalised read yields --------------------------


def test_tensorboard_loader_yields_the_events_heron_normalises_to(written: Written) -> None:
    assert assert_same_as_tensorboard(read_run([written.path])) == 1 + len(heron_events())


# --- (b) the accumulators keep the values -------------------------------------------------------


def test_tensorboard_lists_every_tag(accumulator: Any) -> None:
    tags = accumulator.Tags()
    assert set(tags["tensors"]) == {
        "legacy/loss",
        "modern/scalar",
        "legacy/histo",
        "modern/histogram",
        "legacy/image",
        "legacy/audio",
        "modern/images",
        "modern/audio",
        "modern/text",
        "modern/pr",
        "custom_scalars__config__",
        "trace",
        "keras",
        "_hparams_/experiment",
        "_hparams_/session_start_info",
        "_hparams_/session_end_info",
        "__run_graph__",
        "step1",
    }
    assert tags["graph"] is True
    # The loader turned Event.tagged_run_metadata into the "step1" tensor series above.
    assert tags["run_metadata"] == []


def test_tensorboard_reads_legacy_scalars(accumulator: Any, legacy_accumulator: Any) -> None:
    rounded = [float(np.float32(x)) for x in LOSSES]
    wall_times = [WALL + 10 * step + 1 for step in range(len(LOSSES))]
    events = accumulator.Tensors("legacy/loss")
    assert [(e.wall_time, e.step) for e in events] == list(zip(wall_times, range(5), strict=True))
    assert _values(accumulator, "legacy/loss") == rounded
    scalars = legacy_accumulator.Scalars("legacy/loss")
    assert [(s.wall_time, s.step, s.value) for s in scalars] == list(
        zip(wall_times, range(len(LOSSES)), rounded, strict=True)
    )


def test_tensorboard_reads_modern_scalars_with_their_metadata(accumulator: Any) -> None:
    assert _values(accumulator, "modern/scalar") == MODERN
    metadata = accumulator.SummaryMetadata("modern/scalar")
    assert metadata.display_name == "Modern"
    assert metadata.summary_description == "a *scalar*"


def test_tensorboard_reads_legacy_histograms(accumulator: Any, legacy_accumulator: Any) -> None:
    migrated = [migrated_histogram(*h).tolist() for h in HISTOS]
    assert _values(accumulator, "legacy/histo") == migrated
    raw = [e.histogram_value for e in legacy_accumulator.Histograms("legacy/histo")]
    assert [(h.min, h.max, list(h.bucket_limit), list(h.bucket)) for h in raw] == HISTOS


def test_tensorboard_reads_modern_histograms(accumulator: Any) -> None:
    assert _values(accumulator, "modern/histogram") == [
        migrated_histogram(*h).astype(np.float64).tolist() for h in HISTOS
    ]


def test_tensorboard_reads_legacy_images_and_audio(
    legacy_accumulator: Any, accumulator: Any
) -> None:
    images = legacy_accumulator.Images("legacy/image")
    assert [(i.width, i.height, i.encoded_image_string) for i in images] == [
        (3, 2, png(step)) for step in range(2)
    ]
    audio = legacy_accumulator.Audio("legacy/audio")
    assert [(a.sample_rate, a.length_frames, a.encoded_audio_string) for a in audio] == [
        (8000, 16, wav(16, step)) for step in range(2)
    ]
    assert _values(accumulator, "legacy/image") == [[b"3", b"2", png(s)] for s in range(2)]
    assert _values(accumulator, "legacy/audio") == [[wav(16, s)] for s in range(2)]


def test_tensorboard_reads_modern_images_and_audio_without_labels(accumulator: Any) -> None:
    assert _values(accumulator, "modern/images") == [
        [b"3", b"2", png(10 + step), png(20 + step)] for step in range(2)
    ]
    assert _values(accumulator, "modern/audio") == [
        [wav(8, 30 + step), wav(8, 40 + step)] for step in range(2)
    ]


def test_tensorboard_reads_text_pr_curves_and_layout(accumulator: Any) -> None:
    from tensorboard.plugins.pr_curve import metadata as pr_metadata

    assert _values(accumulator, "modern/text") == [
        [[b"a", b"b"], [f"step {step}".encode(), "ü".encode()]] for step in range(2)
    ]
    assert _values(accumulator, "modern/pr") == [(PR + step).tolist() for step in range(2)]
    content = accumulator.PluginTagToContent("pr_curves")["modern/pr"]
    assert pr_metadata.parse_plugin_metadata(content).num_thresholds == 5
    (layout,) = _values(accumulator, "custom_scalars__config__")  # a rank-0 string
    assert Layout.FromString(layout) == LAYOUT


def test_tensorboard_reads_hparams(accumulator: Any) -> None:
    from tensorboard.plugins.hparams import metadata as hparams

    contents = accumulator.PluginTagToContent("hparams")
    experiment = hparams.parse_experiment_plugin_data(contents["_hparams_/experiment"])
    assert [info.name for info in experiment.hparam_infos] == list(HPARAMS)
    assert experiment.hparam_infos[0].domain_interval.max_value == 0.1
    start = hparams.parse_session_start_info_plugin_data(contents["_hparams_/session_start_info"])
    assert start.group_name == "group"
    assert {k: getattr(v, v.WhichOneof("kind")) for k, v in start.hparams.items()} == HPARAMS
    end = hparams.parse_session_end_info_plugin_data(contents["_hparams_/session_end_info"])
    assert end.status == Status.STATUS_SUCCESS
    for tag in contents:  # the empty float tensor, whether written or not
        assert _values(accumulator, tag) == [[]]


def test_tensorboard_reads_graphs_and_run_metadata(
    accumulator: Any, legacy_accumulator: Any
) -> None:
    for acc in (accumulator, legacy_accumulator):
        assert GraphDef.FromString(acc.Graph().SerializeToString()) == GRAPH
    assert legacy_accumulator.Tags()["run_metadata"] == ["step1"]
    run_metadata = legacy_accumulator.RunMetadata("step1").SerializeToString()
    assert RunMetadata.FromString(run_metadata) == RUN_METADATA
    ((tagged,),) = _values(accumulator, "step1")
    assert RunMetadata.FromString(tagged) == RUN_METADATA
    ((run_graph,),) = _values(accumulator, "__run_graph__")
    assert GraphDef.FromString(run_graph) == GRAPH
    ((trace,),) = _values(accumulator, "trace")  # rank 0 on disk, [1] once read
    assert RunMetadata.FromString(trace) == TRACE
    assert _values(accumulator, "keras") == [[KERAS_JSON]]


def test_tensorboard_assigns_the_data_classes_heron_assigns(
    accumulator: Any, written: Written
) -> None:
    ours = read_run([written.path]).metadata
    for tag in accumulator.Tags()["tensors"]:
        assert accumulator.SummaryMetadata(tag).data_class == ours[tag].data_class, tag


# --- the data provider behind TensorBoard's HTTP routes ---------------------------------------


def _read(provider: Any, kind: str, plugin: str) -> dict[str, Any]:
    """One run's data from ``provider.read_<kind>`` for ``plugin``."""
    read = getattr(provider, f"read_{kind}")
    data = read(context.RequestContext(), experiment_id="", plugin_name=plugin, downsample=1000)
    run: dict[str, Any] = data[RUN]
    return run


def _blob(provider: Any, datum: Any, index: int) -> bytes:
    blob: bytes = provider.read_blob(
        context.RequestContext(), blob_key=datum.values[index].blob_key
    )
    return blob


def test_tensorboard_serves_scalars(provider: Any) -> None:
    runs = provider.list_runs(context.RequestContext(), experiment_id="")
    assert [run.run_name for run in runs] == [RUN]
    scalars = _read(provider, "scalars", "scalars")
    assert [d.value for d in scalars["legacy/loss"]] == [float(np.float32(x)) for x in LOSSES]
    assert [d.value for d in scalars["modern/scalar"]] == MODERN


def test_tensorboard_serves_histograms_and_text_as_tensors(provider: Any) -> None:
    histograms = _read(provider, "tensors", "histograms")
    assert set(histograms) == {"legacy/histo", "modern/histogram"}
    assert [d.numpy.shape for d in histograms["legacy/histo"]] == [(4, 3), (2, 3), (0, 3)]
    assert [d.step for d in _read(provider, "tensors", "text")["modern/text"]] == [0, 1]


def test_tensorboard_serves_image_and_audio_blobs(provider: Any) -> None:
    images = _read(provider, "blob_sequences", "images")
    assert [len(d.values) for d in images["legacy/image"]] == [3, 3]
    assert _blob(provider, images["legacy/image"][1], 2) == png(1)
    assert _blob(provider, images["modern/images"][0], 3) == png(20)
    audio = _read(provider, "blob_sequences", "audio")
    assert [len(d.values) for d in audio["modern/audio"]] == [2, 2]
    assert _blob(provider, audio["legacy/audio"][0], 0) == wav(16, 0)


def test_tensorboard_serves_the_run_graph(provider: Any) -> None:
    (datum,) = _read(provider, "blob_sequences", "graphs")["__run_graph__"]
    assert GraphDef.FromString(_blob(provider, datum, 0)) == GRAPH


def test_tensorboard_reads_every_file_of_a_heron_run(tmp_path: Path) -> None:
    for step in range(2):
        with EventFileWriter(tmp_path / "run", filename_suffix=f".part{step}") as writer:
            value = Summary.Value(tag="x", simple_value=step)
            writer.write_event(_summary_event(step, WALL + step, value))
    acc = plugin_event_accumulator.EventAccumulator(str(tmp_path / "run"))
    acc.Reload()
    assert [e.step for e in acc.Tensors("x")] == [0, 1]
