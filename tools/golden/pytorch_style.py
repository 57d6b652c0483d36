"""tensorboardX and torch.utils.tensorboard: the same API, legacy protos for most kinds."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .inputs import (
    AUDIO_RATE,
    MESH_COLORS,
    MESH_FACES,
    MESH_VERTICES,
    PR_THRESHOLDS,
    SCALAR_VALUES,
    TEXT,
    TORCH_MODEL_OPS,
    audio_clips,
    hist_fields,
    histogram_data,
    image_batch,
    image_fields,
    pr_data,
    record_mesh,
    torch_model,
    wall,
)
from .records import Recipe, Recorder, Tool


def _is_tensorboardx(writer: Any) -> bool:
    """The two writers share an API; a few tags and run names differ."""
    return type(writer).__module__.startswith("tensorboardX")


def _pt_scalar(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step, value in enumerate(SCALAR_VALUES):
        writer.add_scalar("loss", value, step, walltime=wall(step))
        rec.add("scalar", tag="loss", step=step, value=value, wall_time=wall(step))


def _pt_scalars(writer: Any, logdir: Path, rec: Recorder) -> None:
    # One run per key: <logdir>/<main_tag>/<key> (tensorboardX) or <main_tag>_<key> (torch).
    separator = "/" if _is_tensorboardx(writer) else "_"
    for step in range(3):
        values = {"train": 1.0 / (step + 1), "val": 2.0 / (step + 1)}
        writer.add_scalars("losses", values, step, walltime=wall(step))
        for key, value in values.items():
            rec.add(
                "scalar",
                run=f"losses{separator}{key}",
                tag="losses",
                step=step,
                value=value,
                wall_time=wall(step),
            )


def _pt_histogram(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step in range(2):
        data = histogram_data(f"weights{step}")
        writer.add_histogram("weights", data, step, walltime=wall(step))
        rec.add("histogram", tag="weights", step=step, wall_time=wall(step), **hist_fields(data))


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
        walltime=wall(0),
    )
    rec.add(
        "histogram_raw",
        tag="raw",
        step=0,
        wall_time=wall(0),
        min=-0.5,
        max=2.75,
        bucket_limit=limits,
        bucket=counts,
    )


def _pt_image(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step in range(2):
        batch = image_batch(1, f"image{step}")
        writer.add_image("image", batch[0], step, walltime=wall(step), dataformats="HWC")
        rec.add("image", tag="image", step=step, wall_time=wall(step), **image_fields(batch))


def _pt_images(writer: Any, logdir: Path, rec: Recorder) -> None:
    # add_images tiles a batch into one grid image, left to right.
    batch = image_batch(2, "images")
    writer.add_images("images", batch, 0, walltime=wall(0), dataformats="NHWC")
    grid = np.concatenate(list(batch), axis=1)[None]
    rec.add("image", tag="images", step=0, wall_time=wall(0), **image_fields(grid))


def _pt_figure(writer: Any, logdir: Path, rec: Recorder) -> None:
    # A Figure without pyplot: no global state, no display needed.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1), dpi=20)
    figure.add_subplot().plot([0, 1, 2], [1, 0, 1])
    writer.add_figure("figure", figure, 0, walltime=wall(0))
    rec.add(
        "image",
        tag="figure",
        step=0,
        wall_time=wall(0),
        images=[{"width": 40, "height": 20}],  # rendered pixels are matplotlib's business
    )


def _pt_audio(writer: Any, logdir: Path, rec: Recorder) -> None:
    clip = audio_clips(1, "audio")[0]
    writer.add_audio("audio", clip, 0, sample_rate=AUDIO_RATE, walltime=wall(0))
    rec.add(
        "audio",
        tag="audio",
        step=0,
        wall_time=wall(0),
        sample_rate=AUDIO_RATE,
        clips=[{"channels": 1, "samples": clip.tolist()}],
    )


def _pt_text(writer: Any, logdir: Path, rec: Recorder) -> None:
    for step, text in enumerate((TEXT, "second")):
        writer.add_text("notes", text, step, walltime=wall(step))
        # Both writers append "/text_summary" to the tag and write a rank-1 tensor.
        rec.add("text", tag="notes/text_summary", step=step, wall_time=wall(step), text=[text])


def _pt_pr_curve(writer: Any, logdir: Path, rec: Recorder) -> None:
    labels, predictions = pr_data("pr")
    writer.add_pr_curve(
        "pr", labels, predictions, 0, num_thresholds=PR_THRESHOLDS, walltime=wall(0)
    )
    rec.add(
        "pr_curve",
        tag="pr",
        step=0,
        wall_time=wall(0),
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
    model, example = torch_model()
    writer.add_graph(model, example)
    # Event.graph_def, then the step stats as Event.tagged_run_metadata.
    rec.add("graph", tag="__run_graph__", step=0, ops=list(TORCH_MODEL_OPS))
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


def _pt_mesh(writer: Any, logdir: Path, rec: Recorder) -> None:
    writer.add_mesh(
        "mesh",
        vertices=np.array(MESH_VERTICES, dtype=np.float32),
        colors=np.array(MESH_COLORS, dtype=np.uint8),
        faces=np.array(MESH_FACES, dtype=np.int32),
        global_step=0,
        walltime=wall(0),
    )
    record_mesh(rec, wall_time=wall(0), numbered=_is_tensorboardx(writer))


def _torch_new_style_scalar(writer: Any, logdir: Path, rec: Recorder) -> None:
    # The tensor form: float32 by default, float64 with double_precision.
    for step, value in enumerate(SCALAR_VALUES[:3]):
        writer.add_scalar("tensor_loss", value, step, walltime=wall(step), new_style=True)
        writer.add_scalar(
            "tensor_loss64",
            value,
            step,
            walltime=wall(step),
            new_style=True,
            double_precision=True,
        )
        for tag, dtype in (("tensor_loss", "float32"), ("tensor_loss64", "float64")):
            rec.add("scalar", tag=tag, step=step, value=value, dtype=dtype, wall_time=wall(step))


def _torch_tensor(writer: Any, logdir: Path, rec: Recorder) -> None:
    import torch

    values = [[1, 2, 3], [4, 5, 6]]
    writer.add_tensor("raw_tensor", torch.tensor(values, dtype=torch.int32), 0, walltime=wall(0))
    # Plugin "tensor" is unknown to TensorBoard: no data class, invisible to generic reads.
    rec.add("tensor", tag="raw_tensor", step=0, wall_time=wall(0), values=values, dtype="int32")


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
