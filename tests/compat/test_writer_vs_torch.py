"""Heron's SummaryWriter and PyTorch's, called the same way, give TensorBoard the same data.

Every test makes the same calls on ``heron.SummaryWriter`` and on
``torch.utils.tensorboard.SummaryWriter`` (separate directories), then reads
both with TensorBoard's own loader (``plugin_event_accumulator``, which applies
``data_compat`` and ``dataclass_compat``) and compares what TensorBoard sees:
tags, plugin names, data classes, plugin metadata, steps and values; images
decoded and compared pixel by pixel; hparams through the HParams plugin's own
request handlers; graphs node by node; projector files byte by byte.

Where Heron writes the modern tensor form and PyTorch the legacy one, the
comparison is of what TensorBoard derives from each. Known, intended
differences are spelled out in the tests that meet them.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heron import SummaryWriter

pytestmark = pytest.mark.compat

torch = pytest.importorskip("torch")
torch_tensorboard = pytest.importorskip("torch.utils.tensorboard")
PIL_Image = pytest.importorskip("PIL.Image")
_PROCESSING = "tensorboard.backend.event_processing"
plugin_event_accumulator = pytest.importorskip(f"{_PROCESSING}.plugin_event_accumulator")
plugin_event_multiplexer = pytest.importorskip(f"{_PROCESSING}.plugin_event_multiplexer")
data_provider = pytest.importorskip(f"{_PROCESSING}.data_provider")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")
tb_context = pytest.importorskip("tensorboard.context")
base_plugin = pytest.importorskip("tensorboard.plugins.base_plugin")
hparams_backend = pytest.importorskip("tensorboard.plugins.hparams.backend_context")
list_session_groups = pytest.importorskip("tensorboard.plugins.hparams.list_session_groups")
hparams_api = pytest.importorskip("tensorboard.plugins.hparams.api_pb2")

WALL = 1_700_000_000.25


@dataclass
class Series:
    plugin: str
    content: bytes
    data_class: int
    points: list[tuple[int, np.ndarray]]


def load(run_dir: Path) -> dict[str, Series]:
    """What TensorBoard's loader sees in one run: tag → series."""
    accumulator = plugin_event_accumulator.EventAccumulator(
        str(run_dir), size_guidance={plugin_event_accumulator.TENSORS: 0}
    )
    accumulator.Reload()
    found = {}
    for tag in accumulator.Tags()["tensors"]:
        metadata = accumulator.SummaryMetadata(tag)
        found[tag] = Series(
            metadata.plugin_data.plugin_name,
            metadata.plugin_data.content,
            metadata.data_class,
            [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in accumulator.Tensors(tag)],
        )
    return found


def both(tmp_path: Path, call: Callable[[Any], None]) -> tuple[Path, Path]:
    """Run ``call`` on a Heron writer and on a PyTorch writer; return their log directories."""
    directories = (tmp_path / "heron", tmp_path / "torch")
    for directory, writer_class in zip(
        directories, (SummaryWriter, torch_tensorboard.SummaryWriter), strict=True
    ):
        writer = writer_class(str(directory))
        call(writer)
        writer.close()
    return directories


def assert_same_series(ours: Series, theirs: Series, *, content: bool = True) -> None:
    assert (ours.plugin, ours.data_class) == (theirs.plugin, theirs.data_class)
    if content:
        assert ours.content == theirs.content
    assert [step for step, _ in ours.points] == [step for step, _ in theirs.points]
    for (_, mine), (_, other) in zip(ours.points, theirs.points, strict=True):
        assert mine.shape == other.shape
        if mine.dtype == object:
            assert mine.tolist() == other.tolist()
        else:
            np.testing.assert_array_equal(mine.astype(other.dtype), other)


def assert_same_runs(heron_dir: Path, torch_dir: Path, **options: Any) -> dict[str, Series]:
    ours, theirs = load(heron_dir), load(torch_dir)
    assert sorted(ours) == sorted(theirs)
    for tag in ours:
        assert_same_series(ours[tag], theirs[tag], **options)
    return ours


def pixels(blob: bytes) -> np.ndarray:
    return np.asarray(PIL_Image.open(io.BytesIO(blob)))


def assert_same_images(heron_dir: Path, torch_dir: Path, tag: str, *, sizes: bool = True) -> None:
    ours, theirs = load(heron_dir)[tag], load(torch_dir)[tag]
    assert (ours.plugin, ours.data_class) == (theirs.plugin, theirs.data_class) == ("images", 3)
    assert [s for s, _ in ours.points] == [s for s, _ in theirs.points]
    for (_, mine), (_, other) in zip(ours.points, theirs.points, strict=True):
        if sizes:
            assert mine[:2].tolist() == other[:2].tolist()
        assert len(mine) == len(other)
        for blob, expected in zip(mine[2:], other[2:], strict=True):
            np.testing.assert_array_equal(pixels(blob), pixels(expected))


# ---- scalars ---------------------------------------------------------------------------


def test_add_scalar_in_every_style(tmp_path):
    def call(writer):
        for step in range(5):
            writer.add_scalar("loss", 1.0 / (step + 1), step, walltime=WALL + step)
        writer.add_scalar("tensor_value", torch.tensor(2.5), 1)
        writer.add_scalar("numpy_value", np.float32(0.125), 2)
        writer.add_scalar("new", 0.5, 3, new_style=True)
        writer.add_scalar("double", 0.1, 4, new_style=True, double_precision=True)
        writer.add_scalar("no_step", 7.0)
        writer.add_scalar("nan", float("nan"), 1)

    heron_dir, torch_dir = both(tmp_path, call)
    ours, theirs = load(heron_dir), load(torch_dir)
    assert sorted(ours) == sorted(theirs)
    for tag in ours:
        # PyTorch's new-style metadata has no data class; TensorBoard assigns SCALAR,
        # which Heron writes.
        assert_same_series(ours[tag], theirs[tag], content=tag not in ("new", "double"))


def test_add_scalars_makes_the_same_sub_runs(tmp_path):
    def call(writer):
        for step in range(3):
            writer.add_scalars("loss/all", {"train": step, "val": step * 2.0}, step)

    heron_dir, torch_dir = both(tmp_path, call)
    sub_runs = sorted(p.name for p in heron_dir.iterdir() if p.is_dir())
    assert sub_runs == sorted(p.name for p in torch_dir.iterdir() if p.is_dir())
    assert sub_runs == ["loss_all_train", "loss_all_val"]
    for name in sub_runs:
        assert_same_runs(heron_dir / name, torch_dir / name)


# ---- histograms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{}, {"bins": "auto"}, {"bins": "fd"}, {"bins": 17}, {"bins": "tensorflow", "max_bins": 40}],
    ids=str,
)
def test_add_histogram_gives_tensorboard_the_same_buckets(tmp_path, options):
    rng = np.random.default_rng(0)
    data = [rng.normal(size=2000) * 3, rng.random(500), np.full(10, 4.0), np.arange(-5, 5.0)]

    def call(writer):
        for step, values in enumerate(data):
            writer.add_histogram("weights", values, step, **options)
        writer.add_histogram("tensor", torch.linspace(-1, 1, 101), 0, **options)

    assert_same_runs(*both(tmp_path, call))


def test_add_histogram_raw(tmp_path):
    def call(writer):
        writer.add_histogram_raw("raw", 0.5, 9.5, 10, 50.0, 300.0, [1, 5, 10], [2, 0, 8], 1)

    assert_same_runs(*both(tmp_path, call))


# ---- images ----------------------------------------------------------------------------


def test_add_image_in_every_layout(tmp_path):
    rng = np.random.default_rng(1)
    chw = rng.random((3, 12, 17)).astype(np.float32)

    def call(writer):
        writer.add_image("chw", chw, 1)
        writer.add_image("chw_torch", torch.from_numpy(chw), 1)
        writer.add_image(
            "hwc_uint8", (chw.transpose(1, 2, 0) * 255).astype(np.uint8), 2, dataformats="HWC"
        )
        writer.add_image("hw", chw[0], 3, dataformats="HW")
        writer.add_image("one_channel", chw[:1], 4)
        writer.add_image("clipped", chw * 3 - 1, 5)

    heron_dir, torch_dir = both(tmp_path, call)
    for tag in ("chw", "chw_torch", "hwc_uint8", "hw", "one_channel", "clipped"):
        assert_same_images(heron_dir, torch_dir, tag)


@pytest.mark.parametrize(("count", "channels"), [(1, 3), (10, 1), (16, 3)])
def test_add_images_lays_out_the_same_grid(tmp_path, count, channels):
    batch = np.random.default_rng(count).random((count, channels, 6, 5))

    def call(writer):
        writer.add_images("batch", batch, 0)
        writer.add_images("nhwc", batch.transpose(0, 2, 3, 1), 1, dataformats="NHWC")

    heron_dir, torch_dir = both(tmp_path, call)
    assert_same_images(heron_dir, torch_dir, "batch")
    assert_same_images(heron_dir, torch_dir, "nhwc")


def test_add_image_with_boxes_draws_the_same_boxes_and_labels(tmp_path):
    image = np.random.default_rng(2).random((3, 60, 80))
    boxes = np.array([[5.0, 5.0, 40.0, 30.0], [30, 20, 75, 55]])

    def call(writer):
        writer.add_image_with_boxes("boxes", image, boxes, 1, labels=["cat", "dog"])
        writer.add_image_with_boxes("unlabelled", image, torch.tensor(boxes), 1)

    heron_dir, torch_dir = both(tmp_path, call)
    assert_same_images(heron_dir, torch_dir, "boxes")
    assert_same_images(heron_dir, torch_dir, "unlabelled")


def test_rescaled_boxes_have_the_same_pixels(tmp_path):
    """PyTorch records the size before ``rescale``; Heron the size of the PNG it wrote."""
    image = np.random.default_rng(3).random((3, 20, 30))

    def call(writer):
        writer.add_image_with_boxes("r", image, np.array([[2, 2, 20, 15]]), 1, rescale=2)

    heron_dir, torch_dir = both(tmp_path, call)
    assert_same_images(heron_dir, torch_dir, "r", sizes=False)
    assert load(heron_dir)["r"].points[0][1][:2].tolist() == [b"60", b"40"]


def test_add_figure_renders_the_same_pixels(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def figure(seed):
        fig = plt.figure(figsize=(2, 1.5), dpi=40)
        plt.plot(np.random.default_rng(seed).random(10))
        return fig

    def call(writer):
        writer.add_figure("one", figure(0), 1)
        writer.add_figure("many", [figure(1), figure(2)], 2)

    heron_dir, torch_dir = both(tmp_path, call)
    assert_same_images(heron_dir, torch_dir, "one")
    assert_same_images(heron_dir, torch_dir, "many")


def test_add_video_is_an_animated_gif_of_the_grid():
    """PyTorch's add_video needs moviepy, which is not installed: the GIF is held against the input.

    The grid layout (batch padded to a power of two, 2^floor(log2(N)/2) rows) is
    PyTorch's; see tests/unit/writer/test_media.py for its geometry. Here: what
    TensorBoard's loader sees is an image series whose blob is a GIF of the frames.
    """
    import tempfile

    video = (np.random.default_rng(4).integers(0, 3, (4, 6, 3, 8, 8)) * 100).astype(np.uint8)
    with tempfile.TemporaryDirectory() as directory:
        with SummaryWriter(directory) as writer:
            writer.add_video("video", video, 3, fps=5)
        series = load(Path(directory))["video"]
        assert (series.plugin, series.data_class) == ("images", 3)
        step, tensor = series.points[0]
        assert step == 3
        assert tensor[:2].tolist() == [b"16", b"16"]
        gif = PIL_Image.open(io.BytesIO(tensor[2]))
        assert gif.format == "GIF"
        assert gif.n_frames == 6
        for index in range(6):
            gif.seek(index)
            frame = np.asarray(gif.convert("RGB"))
            grid = video[:, index].transpose(0, 2, 3, 1).reshape(2, 2, 8, 8, 3)
            np.testing.assert_array_equal(frame, grid.transpose(0, 2, 1, 3, 4).reshape(16, 16, 3))


# ---- audio, text, tensors --------------------------------------------------------------


def test_add_audio_decodes_to_the_same_samples(tmp_path):
    samples = np.sin(np.linspace(0, 40, 4000)).astype(np.float32)[None] * 0.8

    def call(writer):
        writer.add_audio("sine", samples, 1, sample_rate=16000)
        writer.add_audio("sine_torch", torch.from_numpy(samples), 2, sample_rate=8000)

    heron_dir, torch_dir = both(tmp_path, call)
    ours, theirs = load(heron_dir), load(torch_dir)
    for tag in ("sine", "sine_torch"):
        assert (ours[tag].plugin, ours[tag].data_class) == (
            theirs[tag].plugin,
            theirs[tag].data_class,
        )
        ((step, mine),) = ours[tag].points
        ((other_step, other),) = theirs[tag].points
        assert step == other_step
        assert mine.shape == other.shape == (1,)
        decoded = []
        for blob in (mine[0], other[0]):
            with wave.open(io.BytesIO(blob)) as stream:
                decoded.append(
                    (stream.getframerate(), stream.getnchannels(), stream.readframes(10**6))
                )
        assert decoded[0] == decoded[1]


def test_add_text_and_add_tensor(tmp_path):
    def call(writer):
        writer.add_text("notes", "# Title\n\n*markdown* and ünïcode", 1)
        writer.add_tensor("tensor", torch.arange(12, dtype=torch.float64).reshape(3, 4), 2)
        writer.add_tensor("ints", torch.tensor([[1, 2], [3, 4]], dtype=torch.int32), 3)

    heron_dir, torch_dir = both(tmp_path, call)
    ours, theirs = load(heron_dir), load(torch_dir)
    assert sorted(ours) == sorted(theirs) == ["ints", "notes/text_summary", "tensor"]
    assert_same_series(ours["notes/text_summary"], theirs["notes/text_summary"])
    # PyTorch leaves add_tensor's data class unset (so TensorBoard's generic APIs skip it);
    # Heron marks it TENSOR so that it can be served. The values are the same.
    for tag in ("tensor", "ints"):
        assert ours[tag].plugin == theirs[tag].plugin == "tensor"
        np.testing.assert_array_equal(ours[tag].points[0][1], theirs[tag].points[0][1])
        assert ours[tag].points[0][1].dtype == theirs[tag].points[0][1].dtype


# ---- PR curves, custom scalars, meshes -------------------------------------------------


def test_pr_curves(tmp_path):
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 2, 300)
    predictions = np.clip(labels * 0.3 + rng.random(300) * 0.7, 0, 1)
    raw = [rng.random(20).astype(np.float32) for _ in range(6)]

    def call(writer):
        writer.add_pr_curve("pr", labels, predictions, 1)
        writer.add_pr_curve(
            "pr_small", torch.tensor(labels), torch.tensor(predictions), 2, num_thresholds=11
        )
        writer.add_pr_curve("weighted", labels, predictions, 3, weights=rng.random(300))
        writer.add_pr_curve_raw("raw", *raw, 4, num_thresholds=20)

    rng_state = rng.bit_generator.state
    heron_dir = tmp_path / "heron"
    with SummaryWriter(str(heron_dir)) as writer:
        call(writer)
    rng.bit_generator.state = rng_state
    torch_dir = tmp_path / "torch"
    torch_writer = torch_tensorboard.SummaryWriter(str(torch_dir))
    call(torch_writer)
    torch_writer.close()
    ours, theirs = load(heron_dir), load(torch_dir)
    for tag in ours:
        assert_same_series(ours[tag], theirs[tag])


def test_custom_scalar_layouts(tmp_path):
    layout_pb2 = pytest.importorskip("tensorboard.plugins.custom_scalar.layout_pb2")
    layout = {
        "Losses": {"all": ["Multiline", ["loss/.*"]], "band": ["Margin", ["m", "lo", "hi"]]},
        "Accuracy": {"acc": ["Multiline", ["acc/train", "acc/val"]]},
    }

    def call(writer):
        writer.add_custom_scalars(layout)

    assert_same_runs(*both(tmp_path / "dict", call))

    def shorthand(writer):
        writer.add_custom_scalars_marginchart(["m", "lo", "hi"], category="c", title="t")

    ours = assert_same_runs(*both(tmp_path / "margin", shorthand))
    parsed = layout_pb2.Layout.FromString(ours["custom_scalars__config__"].points[0][1].item())
    assert parsed.category[0].chart[0].margin.series[0].upper == "hi"


def test_meshes_read_back_the_same_through_tensorboards_dtypes(tmp_path):
    """PyTorch stores every component as float; TensorBoard's mesh plugin casts vertices to
    float32, faces to int32 and colors to uint8 when it serves them, which Heron stores directly."""
    mesh_plugin_data = pytest.importorskip("tensorboard.plugins.mesh.plugin_data_pb2")
    vertices = torch.tensor([[[1.0, 1, 1], [-1, -1, 1], [1, -1, -1], [-1, 1, -1]]])
    colors = torch.tensor([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 0, 255]]], dtype=torch.int)
    faces = torch.tensor([[[0, 2, 3], [0, 3, 1], [0, 1, 2], [1, 3, 2]]], dtype=torch.int)

    def call(writer):
        writer.add_mesh(
            "m",
            vertices,
            colors=colors,
            faces=faces,
            config_dict={"camera": {"cls": "PerspectiveCamera", "fov": 75}},
            global_step=2,
        )
        writer.add_mesh("cloud", vertices, global_step=3)

    heron_dir, torch_dir = both(tmp_path, call)
    ours, theirs = load(heron_dir), load(torch_dir)
    assert sorted(ours) == sorted(theirs)
    serve = {"VERTEX": np.float32, "FACE": np.int32, "COLOR": np.uint8}
    for tag in ours:
        assert (ours[tag].plugin, ours[tag].data_class) == (
            theirs[tag].plugin,
            theirs[tag].data_class,
        )
        mine = mesh_plugin_data.MeshPluginData.FromString(ours[tag].content)
        other = mesh_plugin_data.MeshPluginData.FromString(theirs[tag].content)
        assert mine == other
        kind = serve[tag.rsplit("_", 1)[1]]
        ((step, a),) = ours[tag].points
        ((other_step, b),) = theirs[tag].points
        assert step == other_step
        np.testing.assert_array_equal(np.asarray(a, dtype=kind), np.asarray(b, dtype=kind))


# ---- hparams ---------------------------------------------------------------------------


def session_groups(logdir: Path) -> dict[str, dict[str, Any]]:
    """The HParams dashboard's session groups, computed by TensorBoard's own handler."""
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    context = hparams_backend.Context(
        base_plugin.TBContext(data_provider=provider, multiplexer=multiplexer, logdir=str(logdir))
    )
    request = hparams_api.ListSessionGroupsRequest(
        start_index=0,
        slice_size=100,
        allowed_statuses=[hparams_api.STATUS_SUCCESS, hparams_api.STATUS_UNKNOWN],
    )
    response = list_session_groups.Handler(tb_context.RequestContext(), context, "", request).run()
    groups = {}
    for group in response.session_groups:
        (session,) = group.sessions
        groups[session.name] = {
            "hparams": {
                key: value.WhichOneof("kind") and getattr(value, value.WhichOneof("kind"))
                for key, value in group.hparams.items()
            },
            "metrics": {(m.name.group, m.name.tag): m.value for m in group.metric_values},
            "status": session.status,
        }
    return groups


def test_hparams_sessions_are_the_same_for_tensorboards_hparams_plugin(tmp_path):
    def call(writer):
        writer.add_hparams(
            {"lr": 0.1, "layers": 3, "optimizer": "adam"},
            {"hp/acc": 0.75, "hp/loss": 0.5},
            run_name="trial-a",
        )
        writer.add_hparams(
            {"lr": 0.01, "layers": 4, "optimizer": "sgd"},
            {"hp/acc": 0.875, "hp/loss": 0.25},
            run_name="trial-b",
            global_step=10,
        )

    heron_dir, torch_dir = both(tmp_path, call)
    ours, theirs = session_groups(heron_dir), session_groups(torch_dir)
    assert ours == theirs
    assert ours["trial-a"]["hparams"] == {"lr": 0.1, "layers": 3.0, "optimizer": "adam"}
    assert ours["trial-b"]["metrics"] == {("", "hp/acc"): 0.875, ("", "hp/loss"): 0.25}
    assert_same_runs(heron_dir / "trial-a", torch_dir / "trial-a", content=False)


def test_booleans_stay_booleans_in_heron():
    """PyTorch stores a bool hyperparameter as the number 1.0 / 0.0; Heron as a bool."""
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        with SummaryWriter(directory) as writer:
            writer.add_hparams({"augment": True}, {"acc": 0.5}, run_name="r")
        assert session_groups(Path(directory))["r"]["hparams"] == {"augment": True}


def test_own_run_hparams_take_metrics_from_the_runs_scalars(tmp_path):
    """Heron's fix: the session is the writer's own run, with the curves logged there."""
    with SummaryWriter(str(tmp_path)) as writer:
        for step in range(5):
            writer.add_scalar("val/acc", step / 10, step)
        writer.add_hparams({"lr": 0.3}, {"val/acc": None}, own_run=True)
    groups = session_groups(tmp_path)
    assert list(groups) == ["."]
    assert groups["."]["hparams"] == {"lr": 0.3}
    assert groups["."]["metrics"] == {("", "val/acc"): pytest.approx(0.4)}


# ---- graphs and the projector ----------------------------------------------------------


class ConvNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU()
        )
        self.head = torch.nn.Linear(4, 2)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))


# PyTorch's writer lets the tracer warn about LSTM's shape checks; Heron's silences it.
@pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning")
@pytest.mark.parametrize(
    ("model", "example"),
    [
        (ConvNet(), torch.randn(2, 3, 8, 8)),
        (torch.nn.LSTM(4, 5, batch_first=True), torch.randn(2, 3, 4)),
        (torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh()), torch.randn(1, 3)),
    ],
    ids=["convnet", "lstm", "mlp"],
)
def test_add_graph_gives_tensorboard_the_same_graph(tmp_path, model, example):
    def call(writer):
        writer.add_graph(model, example)

    heron_dir, torch_dir = both(tmp_path, call)
    graphs = []
    for directory in (heron_dir, torch_dir):
        accumulator = plugin_event_accumulator.EventAccumulator(str(directory))
        accumulator.Reload()
        graph = accumulator.Graph()
        graphs.append(
            [
                (n.name, n.op, list(n.input), {k: v.SerializeToString() for k, v in n.attr.items()})
                for n in graph.node
            ]
        )
    assert graphs[0] == graphs[1]
    assert len(graphs[0]) > 3
    # The device note travels as tagged run metadata, which TensorBoard files under "step1".
    ours = assert_same_runs(heron_dir, torch_dir)
    assert ours["step1"].plugin == "graph_tagged_run_metadata"


def test_add_embedding_writes_the_same_projector_files(tmp_path):
    projector_pb2 = pytest.importorskip("tensorboard.plugins.projector.projector_config_pb2")
    from google.protobuf import text_format

    rng = np.random.default_rng(6)
    points = torch.tensor(rng.random((9, 5)), dtype=torch.float32)
    thumbnails = torch.tensor(rng.random((9, 3, 4, 4)), dtype=torch.float32)
    labels = [f"w{i}" for i in range(9)]
    rows = [[f"w{i}", str(i % 2)] for i in range(9)]

    def call(writer):
        writer.add_embedding(points, labels, thumbnails, global_step=1, tag="words")
        writer.add_embedding(
            points * 2, rows, global_step=2, tag="a/b", metadata_header=["word", "parity"]
        )

    heron_dir, torch_dir = both(tmp_path, call)
    files = sorted(
        str(path.relative_to(heron_dir))
        for path in heron_dir.rglob("*")
        if path.is_file() and "tfevents" not in path.name
    )
    assert files == sorted(
        str(path.relative_to(torch_dir))
        for path in torch_dir.rglob("*")
        if path.is_file() and "tfevents" not in path.name
    )
    for name in files:
        ours, theirs = (heron_dir / name).read_bytes(), (torch_dir / name).read_bytes()
        if name.endswith(".png"):
            np.testing.assert_array_equal(pixels(ours), pixels(theirs))
        elif name.endswith(".pbtxt"):
            parsed = [
                text_format.Parse(text.decode(), projector_pb2.ProjectorConfig())
                for text in (ours, theirs)
            ]
            assert parsed[0] == parsed[1]
        else:
            assert ours == theirs, name


# ---- Heron's extras --------------------------------------------------------------------


def test_tensorboard_loads_herons_extras_and_shows_none_of_them(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_html("page", "<b>hi</b>", 1)
        writer.add_table("table", [{"a": 1, "b": "x"}], 1)
        writer.add_scalar("loss", 1.0, 1)
        if pytest.importorskip("av"):
            writer.add_video("clip", np.zeros((1, 2, 3, 8, 8), np.uint8), 1, format="mp4")
    series = load(tmp_path)
    assert {series[tag].plugin for tag in ("page", "table", "clip")} == {
        "heron_html",
        "heron_table",
        "heron_video",
    }
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(tmp_path))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(tmp_path))
    context = tb_context.RequestContext()
    for plugin in ("images", "text", "scalars", "histograms", "audio"):
        listed = provider.list_tensors(context, experiment_id="", plugin_name=plugin)
        listed.update(provider.list_blob_sequences(context, experiment_id="", plugin_name=plugin))
        tags = {tag for run in listed.values() for tag in run}
        assert not tags & {"page", "table", "clip"}
