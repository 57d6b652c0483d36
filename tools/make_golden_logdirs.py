"""Write the golden logdirs of tests/compat with the REAL writers, and what each was asked to write.

Heron promises to read every logdir TensorBoard reads. The golden logdirs pin
that promise without needing the writers installed: each one is written by a
real third-party writer, committed, and read back by
``tests/compat/test_golden_logdirs.py``, both by Heron and by TensorBoard's own
loader. Next to each logdir, ``expected.json`` records what this script *asked*
the writer to write (tags, steps, wall times, scalar values, histogram inputs,
image pixels, audio samples, text, hparams, graph ops...), so the tests check
values against the intent, not against another reader.

Layout (``<tool>`` is one of ``tensorboardx``, ``torch``, ``tf2``, ``tf1``)::

    tests/compat/golden/<tool>/logdir/...       event files, as the writer named them
    tests/compat/golden/<tool>/expected.json    {"tool", "package", "version",
                                                 "skipped_kinds", "records"}

Each record is one summary value the writer should have produced::

    {"run": ".", "tag": "loss", "step": 3, "kind": "scalar",
     "plugin": "scalars", "data_class": "SCALAR", "value": 0.125, "wall_time": ...}

``kind`` says which other fields a record has, and (``KIND_CLASSES``) which
plugin and data class TensorBoard gives the series on read;
``tests/compat/_expectations.py`` is the one place that interprets records.
Non-summary events (``session_log``, ``meta_graph_def``) are records too, with
``"tag": null``. ``skipped_kinds`` lists recipes whose optional dependency was
missing (tensorboardX's audio needs ``soundfile``).

Inputs are deterministic (fixed seeds, fixed wall times where the writer
accepts one); file names still carry the writer's timestamp, host and pid, and
TF writers stamp real wall times, so the tests find files by name pattern and
never compare bytes. Images are 4x3 pixels and audio clips 64 frames, which
keeps the whole folder well under 300 KB.

The recipes are importable: ``tests/compat/test_live_writers.py`` runs them one
kind at a time against the installed writers, and fails when a committed
expected.json no longer matches its recipe (then run ``make golden``).

    python tools/make_golden_logdirs.py                 # rewrite every golden logdir
    python tools/make_golden_logdirs.py torch tf2       # only some tools
    python tools/make_golden_logdirs.py --out /tmp/g    # somewhere else
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "compat" / "golden"

#: Wall times handed to writers that accept one: far from "now", exact in a double.
BASE_WALL_TIME = 1_700_000_000.25
#: Every scalar recipe writes these (float32 rounding, sign, huge, tiny, non-finite).
SCALAR_VALUES = (1.0, 0.1, -2.5, 1e30, 1e-30, float("nan"), float("inf"))
IMAGE_HEIGHT, IMAGE_WIDTH = 3, 4
AUDIO_RATE, AUDIO_FRAMES = 8000, 64
TEXT = "Hello, **world** — ünïcode ✓"
PR_THRESHOLDS = 11


#: What TensorBoard makes of each kind of record on read: (plugin, data class).
KIND_CLASSES: dict[str, tuple[str | None, str | None]] = {
    "scalar": ("scalars", "SCALAR"),
    "histogram": ("histograms", "TENSOR"),
    "histogram_raw": ("histograms", "TENSOR"),
    "image": ("images", "BLOB_SEQUENCE"),
    "audio": ("audio", "BLOB_SEQUENCE"),
    "text": ("text", "TENSOR"),
    "pr_curve": ("pr_curves", "TENSOR"),
    "hparams_experiment": ("hparams", "TENSOR"),
    "hparams_session_start": ("hparams", "TENSOR"),
    "hparams_session_end": ("hparams", "TENSOR"),
    "custom_scalars": ("custom_scalars", "TENSOR"),
    "mesh": ("mesh", "TENSOR"),
    "graph": ("graphs", "BLOB_SEQUENCE"),
    "run_metadata": ("graph_tagged_run_metadata", "BLOB_SEQUENCE"),
    "graph_run_metadata": ("graph_run_metadata_graph", "BLOB_SEQUENCE"),
    # torch's add_tensor: a plugin TensorBoard does not know, so no data class.
    "tensor": ("tensor", "UNKNOWN"),
    # Events without a summary.
    "session_log": (None, None),
    "meta_graph": (None, None),
}


@dataclass
class Recorder:
    """Collects what a recipe asked a writer to write, as JSON-ready records."""

    records: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, tag: str | None, step: int, *, run: str = ".", **fields: Any) -> None:
        plugin, data_class = KIND_CLASSES[kind]
        self.records.append(
            {
                "run": run,
                "tag": tag,
                "step": step,
                "kind": kind,
                "plugin": plugin,
                "data_class": data_class,
                **fields,
            }
        )


Recipe = Callable[[Any, Path, Recorder], None]
"""``recipe(writer, logdir, recorder)``: write one kind of summary, record what was asked."""


@dataclass(frozen=True)
class Tool:
    """A real writer: how to open it on a logdir, and what it can write."""

    name: str
    package: str  # distribution name, for the version in expected.json
    modules: tuple[str, ...]  # what must import for the tool to run at all
    open: Callable[[Path], contextlib.AbstractContextManager[Any]]
    recipes: dict[str, Recipe]
    #: Per recipe, extra modules it needs (skipped when they are missing).
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Deterministic inputs


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(sum(name.encode()))


def image_batch(count: int, seed: str) -> np.ndarray:
    """``[count, H, W, 3]`` uint8: exact through every writer's PNG encoder."""
    return _rng(seed).integers(0, 256, size=(count, IMAGE_HEIGHT, IMAGE_WIDTH, 3), dtype=np.uint8)


def audio_clips(count: int, seed: str) -> np.ndarray:
    """``[count, frames]`` float32 in [-0.9, 0.9]."""
    rng = _rng(seed)
    return rng.uniform(-0.9, 0.9, size=(count, AUDIO_FRAMES)).astype(np.float32)


def histogram_data(seed: str, size: int = 200) -> np.ndarray:
    return _rng(seed).normal(loc=1.0, scale=2.0, size=size).astype(np.float32)


def pr_data(seed: str) -> tuple[np.ndarray, np.ndarray]:
    rng = _rng(seed)
    labels = rng.integers(0, 2, size=40).astype(bool)
    predictions = np.clip(labels * 0.4 + rng.uniform(0, 0.6, size=40), 0, 1).astype(np.float32)
    return labels, predictions


def _hist_fields(data: np.ndarray) -> dict[str, Any]:
    return {
        "count": int(data.size),
        "min": float(data.min()) if data.size else 0.0,
        "max": float(data.max()) if data.size else 0.0,
        "sum": float(data.astype(np.float64).sum()),
    }


def _image_fields(batch: np.ndarray) -> dict[str, Any]:
    return {
        "images": [
            {"width": int(img.shape[1]), "height": int(img.shape[0]), "pixels": img.tolist()}
            for img in batch
        ]
    }


def _wall(step: int) -> float:
    return BASE_WALL_TIME + step


# A tiny network for graph recipes: two ops a graph viewer must show.
_TORCH_MODEL_OPS = ("aten::linear", "aten::relu")


def _torch_model() -> tuple[Any, Any]:
    import torch

    torch.manual_seed(0)

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = torch.nn.Linear(3, 2)

        def forward(self, x: Any) -> Any:
            return torch.relu(self.fc(x))

    return Tiny().eval(), torch.zeros(1, 3)


# ---------------------------------------------------------------------------------------------
# tensorboardX and torch.utils.tensorboard: the same API, legacy protos for most kinds


def _is_tensorboardx(writer: Any) -> bool:
    """The two writers share an API; a few tags and run names differ."""
    return type(writer).__module__.startswith("tensorboardX")


def _pt_scalar(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step, value in enumerate(SCALAR_VALUES):
        writer.add_scalar("loss", value, step, walltime=_wall(step))
        rec.add("scalar", tag="loss", step=step, value=value, wall_time=_wall(step))


def _pt_scalars(writer: Any, logdir: Path, rec: Recorder) -> None:
    # One run per key: <logdir>/<main_tag>/<key> (tensorboardX) or <main_tag>_<key> (torch).
    separator = "/" if _is_tensorboardx(writer) else "_"
    for step in range(3):
        values = {"train": 1.0 / (step + 1), "val": 2.0 / (step + 1)}
        writer.add_scalars("losses", values, step, walltime=_wall(step))
        for key, value in values.items():
            rec.add(
                "scalar",
                run=f"losses{separator}{key}",
                tag="losses",
                step=step,
                value=value,
                wall_time=_wall(step),
            )


def _pt_histogram(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step in range(2):
        data = histogram_data(f"weights{step}")
        writer.add_histogram("weights", data, step, walltime=_wall(step))
        rec.add("histogram", tag="weights", step=step, wall_time=_wall(step), **_hist_fields(data))


def _pt_histogram_raw(writer: Any, logdir: Path, rec: Recorder) -> None:
    # Empty buckets at both ends: the migration drops them and puts min/max at the edges.
    limits = [-1.0, 0.0, 1.0, 2.0, 3.0, 1e308]
    counts = [0.0, 3.0, 0.0, 5.0, 2.0, 0.0]
    writer.add_histogram_raw(
        "raw",
        min=-0.5,
        max=2.75,
        num=10,
        sum=12.0,
        sum_squares=30.0,
        bucket_limits=limits,
        bucket_counts=counts,
        global_step=0,
        walltime=_wall(0),
    )
    rec.add(
        "histogram_raw",
        tag="raw",
        step=0,
        wall_time=_wall(0),
        min=-0.5,
        max=2.75,
        bucket_limit=limits,
        bucket=counts,
    )


def _pt_image(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step in range(2):
        batch = image_batch(1, f"image{step}")
        writer.add_image("image", batch[0], step, walltime=_wall(step), dataformats="HWC")
        rec.add("image", tag="image", step=step, wall_time=_wall(step), **_image_fields(batch))


def _pt_images(writer: Any, logdir: Path, rec: Recorder) -> None:
    # add_images tiles a batch into one grid image, left to right.
    batch = image_batch(2, "images")
    writer.add_images("images", batch, 0, walltime=_wall(0), dataformats="NHWC")
    grid = np.concatenate(list(batch), axis=1)[None]
    rec.add("image", tag="images", step=0, wall_time=_wall(0), **_image_fields(grid))


def _pt_figure(writer: Any, logdir: Path, rec: Recorder) -> None:
    # A Figure without pyplot: no global state, no display needed.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1), dpi=20)
    figure.add_subplot().plot([0, 1, 2], [1, 0, 1])
    writer.add_figure("figure", figure, 0, walltime=_wall(0))
    rec.add(
        "image",
        tag="figure",
        step=0,
        wall_time=_wall(0),
        images=[{"width": 40, "height": 20}],  # rendered pixels are matplotlib's business
    )


def _pt_audio(writer: Any, logdir: Path, rec: Recorder) -> None:
    clip = audio_clips(1, "audio")[0]
    writer.add_audio("audio", clip, 0, sample_rate=AUDIO_RATE, walltime=_wall(0))
    rec.add(
        "audio",
        tag="audio",
        step=0,
        wall_time=_wall(0),
        sample_rate=AUDIO_RATE,
        clips=[{"channels": 1, "samples": clip.tolist()}],
    )


def _pt_text(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step, text in enumerate((TEXT, "second")):
        writer.add_text("notes", text, step, walltime=_wall(step))
        # Both writers append "/text_summary" to the tag and write a rank-1 tensor.
        rec.add("text", tag="notes/text_summary", step=step, wall_time=_wall(step), text=[text])


def _pt_pr_curve(writer: Any, logdir: Path, rec: Recorder) -> None:
    labels, predictions = pr_data("pr")
    writer.add_pr_curve(
        "pr", labels, predictions, 0, num_thresholds=PR_THRESHOLDS, walltime=_wall(0)
    )
    rec.add(
        "pr_curve",
        tag="pr",
        step=0,
        wall_time=_wall(0),
        num_thresholds=PR_THRESHOLDS,
        positives=int(labels.sum()),
        negatives=int((~labels).sum()),
    )


_HPARAMS = {"lr": 0.01, "optimizer": "adam", "batch_norm": True, "layers": 3}
_METRICS = {"hparam/accuracy": 0.75}


def _pt_hparams(writer: Any, logdir: Path, rec: Recorder) -> None:
    if _is_tensorboardx(writer):
        writer.add_hparams(dict(_HPARAMS), dict(_METRICS), name="trial")
    else:
        writer.add_hparams(dict(_HPARAMS), dict(_METRICS), run_name="trial")
    common: dict[str, Any] = {"run": "trial", "step": 0}
    rec.add(
        "hparams_experiment",
        tag="_hparams_/experiment",
        hparams=sorted(_HPARAMS),
        metrics=sorted(_METRICS),
        **common,
    )
    rec.add("hparams_session_start", tag="_hparams_/session_start_info", hparams=_HPARAMS, **common)
    rec.add(
        "hparams_session_end", tag="_hparams_/session_end_info", status="STATUS_SUCCESS", **common
    )
    for tag, value in _METRICS.items():
        rec.add("scalar", run="trial", tag=tag, step=0, value=value)


def _pt_graph(writer: Any, logdir: Path, rec: Recorder) -> None:
    model, example = _torch_model()
    writer.add_graph(model, example)
    # Event.graph_def, then the step stats as Event.tagged_run_metadata.
    rec.add("graph", tag="__run_graph__", step=0, ops=list(_TORCH_MODEL_OPS))
    rec.add("run_metadata", tag="profiler" if _is_tensorboardx(writer) else "step1", step=0)


def _pt_custom_scalars(writer: Any, logdir: Path, rec: Recorder) -> None:
    layout = {
        "Training": {
            "loss": ["Multiline", ["loss", "losses/.*"]],
            "bounds": ["Margin", ["loss", "loss_low", "loss_high"]],
        }
    }
    writer.add_custom_scalars(layout)
    rec.add(
        "custom_scalars",
        tag="custom_scalars__config__",
        step=0,
        categories={"Training": ["loss", "bounds"]},
    )


_MESH_VERTICES = [[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]
_MESH_FACES = [[[0, 1, 2], [0, 2, 3]]]
_MESH_COLORS = [[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]]


def _record_mesh(rec: Recorder, *, wall_time: float | None = None, numbered: bool = False) -> None:
    extra: dict[str, Any] = {} if wall_time is None else {"wall_time": wall_time}
    parts = (("VERTEX", _MESH_VERTICES), ("FACE", _MESH_FACES), ("COLOR", _MESH_COLORS))
    for number, (content_type, values) in enumerate(parts, start=1):
        # tensorboardX suffixes the tag with the enum number, the others with its name.
        suffix = str(number) if numbered else content_type
        rec.add(
            "mesh", tag=f"mesh_{suffix}", step=0, content_type=content_type, values=values, **extra
        )


def _pt_mesh(writer: Any, logdir: Path, rec: Recorder) -> None:
    writer.add_mesh(
        "mesh",
        vertices=np.array(_MESH_VERTICES, dtype=np.float32),
        colors=np.array(_MESH_COLORS, dtype=np.uint8),
        faces=np.array(_MESH_FACES, dtype=np.int32),
        global_step=0,
        walltime=_wall(0),
    )
    _record_mesh(rec, wall_time=_wall(0), numbered=_is_tensorboardx(writer))


def _torch_new_style_scalar(writer: Any, logdir: Path, rec: Recorder) -> None:
    # The tensor form: float32 by default, float64 with double_precision.
    for step, value in enumerate(SCALAR_VALUES[:3]):
        writer.add_scalar("tensor_loss", value, step, walltime=_wall(step), new_style=True)
        writer.add_scalar(
            "tensor_loss64",
            value,
            step,
            walltime=_wall(step),
            new_style=True,
            double_precision=True,
        )
        for tag, dtype in (("tensor_loss", "float32"), ("tensor_loss64", "float64")):
            rec.add("scalar", tag=tag, step=step, value=value, dtype=dtype, wall_time=_wall(step))


def _torch_tensor(writer: Any, logdir: Path, rec: Recorder) -> None:
    import torch

    values = [[1, 2, 3], [4, 5, 6]]
    writer.add_tensor("raw_tensor", torch.tensor(values, dtype=torch.int32), 0, walltime=_wall(0))
    # Plugin "tensor" is unknown to TensorBoard: no data class, invisible to generic reads.
    rec.add("tensor", tag="raw_tensor", step=0, wall_time=_wall(0), values=values, dtype="int32")


_PT_RECIPES: dict[str, Recipe] = {
    "scalar": _pt_scalar,
    "scalars": _pt_scalars,
    "histogram": _pt_histogram,
    "histogram_raw": _pt_histogram_raw,
    "image": _pt_image,
    "images": _pt_images,
    "figure": _pt_figure,
    "audio": _pt_audio,
    "text": _pt_text,
    "pr_curve": _pt_pr_curve,
    "hparams": _pt_hparams,
    "graph": _pt_graph,
    "custom_scalars": _pt_custom_scalars,
    "mesh": _pt_mesh,
}


@contextlib.contextmanager
def _open_tensorboardx(logdir: Path) -> Iterator[Any]:
    from tensorboardX import SummaryWriter

    writer = SummaryWriter(logdir=str(logdir), flush_secs=3600)
    try:
        yield writer
    finally:
        writer.close()


@contextlib.contextmanager
def _open_torch(logdir: Path) -> Iterator[Any]:
    from torch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(log_dir=str(logdir), flush_secs=3600)
    try:
        yield writer
    finally:
        writer.close()


TENSORBOARDX = Tool(
    name="tensorboardx",
    package="tensorboardX",
    modules=("tensorboardX",),
    open=_open_tensorboardx,
    recipes=dict(_PT_RECIPES),
    # tensorboardX encodes WAV with soundfile; its graphs come from torch.jit.
    needs={"audio": ("soundfile",), "graph": ("torch",), "figure": ("matplotlib",)},
)

TORCH = Tool(
    name="torch",
    package="torch",
    modules=("torch", "torch.utils.tensorboard"),
    open=_open_torch,
    recipes={
        **_PT_RECIPES,
        "new_style_scalar": _torch_new_style_scalar,
        "tensor": _torch_tensor,
    },
    needs={"figure": ("matplotlib",)},
)


# ---------------------------------------------------------------------------------------------
# TensorFlow 2: tf.summary, modern tensors with plugin metadata


@contextlib.contextmanager
def _open_tf2(logdir: Path) -> Iterator[Any]:
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(logdir))
    try:
        with writer.as_default():
            yield writer
    finally:
        writer.close()


def _tf2_scalar(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    for step, value in enumerate(SCALAR_VALUES):
        tf.summary.scalar("loss", value, step=step, description="training loss")
        rec.add("scalar", tag="loss", step=step, value=value, description="training loss")


def _tf2_histogram(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    cases = [
        ("weights", histogram_data("tf2_weights0"), 30),
        ("weights", histogram_data("tf2_weights1"), 30),
        ("few_buckets", histogram_data("tf2_few"), 5),
        ("constant", np.full(7, 2.5, dtype=np.float32), 30),
        ("empty", np.zeros(0, dtype=np.float32), 30),
    ]
    steps: dict[str, int] = {}
    for tag, data, buckets in cases:
        step = steps[tag] = steps.get(tag, -1) + 1
        tf.summary.histogram(tag, data, step=step, buckets=buckets)
        rec.add("histogram", tag=tag, step=step, buckets=buckets, **_hist_fields(data))


def _tf2_image(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    batch = image_batch(3, "tf2_images")
    tf.summary.image("images", batch, step=0, max_outputs=2)  # the third is dropped
    rec.add("image", tag="images", step=0, **_image_fields(batch[:2]))


def _tf2_audio(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    clips = audio_clips(2, "tf2_audio")
    tf.summary.audio("audio", clips[:, :, None], AUDIO_RATE, step=0, max_outputs=2)
    rec.add(
        "audio",
        tag="audio",
        step=0,
        sample_rate=AUDIO_RATE,
        clips=[{"channels": 1, "samples": clip.tolist()} for clip in clips],
    )


def _tf2_text(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    tf.summary.text("notes", TEXT, step=0)
    table = [["a", "b"], ["c", "ü"]]
    tf.summary.text("table", tf.constant(table), step=0)
    rec.add("text", tag="notes", step=0, text=TEXT)
    rec.add("text", tag="table", step=0, text=table)


def _tf2_trace(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    weights = tf.constant([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]])

    @tf.function
    def tiny(x: Any) -> Any:
        return tf.nn.relu(tf.matmul(x, weights))

    tf.summary.trace_on(graph=True, profiler=False)
    tiny(tf.ones([1, 3]))
    tf.summary.trace_export("trace", step=0)
    rec.add("graph_run_metadata", tag="trace", step=0, ops=["MatMul", "Relu"])


def _tf2_hparams(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    hparams = {"lr": 0.01, "optimizer": "adam", "batch_norm": True}
    hp.hparams_config(
        hparams=[
            hp.HParam("lr", hp.RealInterval(1e-4, 1e-1)),
            hp.HParam("optimizer", hp.Discrete(["adam", "sgd"])),
            hp.HParam("batch_norm", hp.Discrete([False, True])),
        ],
        metrics=[hp.Metric("loss")],
    )
    rec.add(
        "hparams_experiment",
        tag="_hparams_/experiment",
        hparams=sorted(hparams),
        metrics=["loss"],
        step=0,
    )
    trial = tf.summary.create_file_writer(str(logdir / "trial"))
    with trial.as_default():
        hp.hparams(hparams, trial_id="trial-0")
        tf.summary.scalar("loss", 0.5, step=0)
    trial.close()
    rec.add(
        "hparams_session_start",
        run="trial",
        tag="_hparams_/session_start_info",
        hparams=hparams,
        group_name="trial-0",
        step=0,
    )
    rec.add("scalar", run="trial", tag="loss", step=0, value=0.5)


def _tf2_mesh(writer: Any, logdir: Path, rec: Recorder) -> None:
    from tensorboard.plugins.mesh import summary_v2 as mesh_summary

    mesh_summary.mesh(
        "mesh",
        vertices=np.array(_MESH_VERTICES, dtype=np.float32),
        faces=np.array(_MESH_FACES, dtype=np.int32),
        colors=np.array(_MESH_COLORS, dtype=np.uint8),
        step=0,
    )
    _record_mesh(rec)


TF2 = Tool(
    name="tf2",
    package="tensorflow-cpu",
    modules=("tensorflow",),
    open=_open_tf2,
    recipes={
        "scalar": _tf2_scalar,
        "histogram": _tf2_histogram,
        "image": _tf2_image,
        "audio": _tf2_audio,
        "text": _tf2_text,
        "graph": _tf2_trace,
        "hparams": _tf2_hparams,
        "mesh": _tf2_mesh,
    },
)


# ---------------------------------------------------------------------------------------------
# TensorFlow 1 style: graph mode, tf.compat.v1.summary legacy values, FileWriter events


@contextlib.contextmanager
def _open_tf1(logdir: Path) -> Iterator[Any]:
    # The graph is the "writer": TF1 summary ops only exist inside one.
    import tensorflow as tf

    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _tf1_legacy(graph: Any, logdir: Path, rec: Recorder) -> None:
    """Every TF1 kind in one session: summary ops only run inside a graph."""
    import tensorflow as tf
    from tensorboard.plugins.pr_curve import summary as pr_summary

    v1 = tf.compat.v1
    scalar_in = v1.placeholder(tf.float32, shape=[], name="scalar_in")
    hist_in = v1.placeholder(tf.float32, shape=[None], name="hist_in")
    image_in = v1.placeholder(tf.uint8, shape=[None, IMAGE_HEIGHT, IMAGE_WIDTH, 3])
    audio_in = v1.placeholder(tf.float32, shape=[None, AUDIO_FRAMES, 1])
    labels_in = v1.placeholder(tf.bool, shape=[None])
    predictions_in = v1.placeholder(tf.float32, shape=[None])
    v1.summary.scalar("loss", scalar_in)
    v1.summary.histogram("weights", hist_in)
    v1.summary.image("image", image_in, max_outputs=2)
    v1.summary.audio("audio", audio_in, AUDIO_RATE, max_outputs=2)
    v1.summary.text("notes", tf.constant(TEXT))
    pr_summary.op(
        name="pr", labels=labels_in, predictions=predictions_in, num_thresholds=PR_THRESHOLDS
    )
    merged = v1.summary.merge_all()

    # Given a graph, FileWriter writes Event.graph_def and Event.meta_graph_def.
    writer = v1.summary.FileWriter(str(logdir), graph=graph)
    rec.add("meta_graph", tag=None, step=0)
    rec.add(
        "graph",
        tag="__run_graph__",
        step=0,
        ops=["Placeholder", "ScalarSummary", "HistogramSummary", "MergeSummary"],
    )
    writer.add_session_log(v1.SessionLog(status=v1.SessionLog.START), global_step=0)
    rec.add("session_log", tag=None, step=0, status="START")
    labels, predictions = pr_data("tf1_pr")
    with v1.Session(graph=graph) as session:
        for step in range(2):
            data = histogram_data(f"tf1_weights{step}")
            images = image_batch(2, f"tf1_image{step}")
            clips = audio_clips(2, f"tf1_audio{step}")
            feed = {
                scalar_in: SCALAR_VALUES[step + 1],
                hist_in: data,
                image_in: images,
                audio_in: clips[:, :, None],
                labels_in: labels,
                predictions_in: predictions,
            }
            if step == 0:
                metadata = v1.RunMetadata()
                options = v1.RunOptions(trace_level=v1.RunOptions.SOFTWARE_TRACE)
                summary = session.run(merged, feed, options=options, run_metadata=metadata)
                writer.add_run_metadata(metadata, "step0", global_step=step)
                rec.add("run_metadata", tag="step0", step=step)
            else:
                summary = session.run(merged, feed)
            writer.add_summary(summary, global_step=step)
            _record_tf1_step(rec, step, data, images, clips, labels)
    writer.close()


def _record_tf1_step(
    rec: Recorder,
    step: int,
    data: np.ndarray,
    images: np.ndarray,
    clips: np.ndarray,
    labels: np.ndarray,
) -> None:
    rec.add("scalar", tag="loss", step=step, value=SCALAR_VALUES[step + 1])
    rec.add("histogram", tag="weights", step=step, **_hist_fields(data))
    # One legacy value per image / clip, tagged <name>/<kind>/<i>.
    for i in range(2):
        rec.add("image", tag=f"image/image/{i}", **_image_fields(images[i : i + 1]), step=step)
        rec.add(
            "audio",
            tag=f"audio/audio/{i}",
            sample_rate=AUDIO_RATE,
            clips=[{"channels": 1, "samples": clips[i].tolist()}],
            step=step,
        )
    rec.add("text", tag="notes", step=step, text=TEXT)
    rec.add(
        "pr_curve",
        tag="pr/pr_curves",
        step=step,
        num_thresholds=PR_THRESHOLDS,
        positives=int(labels.sum()),
        negatives=int((~labels).sum()),
    )


TF1 = Tool(
    name="tf1",
    package="tensorflow-cpu",
    modules=("tensorflow",),
    open=_open_tf1,
    recipes={"legacy": _tf1_legacy},
)


TOOLS: dict[str, Tool] = {tool.name: tool for tool in (TENSORBOARDX, TORCH, TF2, TF1)}


# ---------------------------------------------------------------------------------------------
# Driver


def missing_modules(names: tuple[str, ...]) -> list[str]:
    """The modules among ``names`` that do not import."""
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def write_logdir(
    tool: Tool, logdir: Path, kinds: list[str] | None = None
) -> tuple[Recorder, list[str]]:
    """Run the recipes (all, or ``kinds``) into ``logdir``; return the records and skipped kinds."""
    recorder = Recorder()
    skipped: list[str] = []
    logdir.mkdir(parents=True, exist_ok=True)
    with tool.open(logdir) as writer:
        for kind, recipe in tool.recipes.items():
            if kinds is not None and kind not in kinds:
                continue
            if missing_modules(tool.needs.get(kind, ())):
                skipped.append(kind)
                continue
            recipe(writer, logdir, recorder)
    return recorder, skipped


def write_golden(tool: Tool, out: Path) -> Path:
    """Rewrite ``out/<tool>/`` (logdir + expected.json) from scratch."""
    folder = out / tool.name
    if folder.exists():
        shutil.rmtree(folder)
    recorder, skipped = write_logdir(tool, folder / "logdir")
    expected = {
        "tool": tool.name,
        "package": tool.package,
        "version": importlib.metadata.version(tool.package),
        "skipped_kinds": skipped,
        "records": recorder.records,
    }
    path = folder / "expected.json"
    path.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tools", nargs="*", metavar="TOOL", help=f"any of {', '.join(TOOLS)}")
    parser.add_argument("--out", type=Path, default=GOLDEN_DIR, help="default: %(default)s")
    options = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    names = options.tools or list(TOOLS)
    unknown = sorted(set(names) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)} (choose from {', '.join(TOOLS)})")
    for name in names:
        tool = TOOLS[name]
        missing = missing_modules(tool.modules)
        if missing:
            print(f"{name}: cannot run, missing {', '.join(missing)}", file=sys.stderr)
            return 1
        folder = write_golden(tool, options.out)
        print(f"{name}: wrote {folder} ({_folder_size(folder) / 1024:.1f} KB)")
    print(f"total: {_folder_size(options.out) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
