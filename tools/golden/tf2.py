"""TensorFlow 2: tf.summary, modern tensors with plugin metadata."""

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
    SCALAR_VALUES,
    TEXT,
    audio_clips,
    hist_fields,
    histogram_data,
    image_batch,
    image_fields,
    record_mesh,
)
from .records import Recorder, Tool


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
        rec.add("histogram", tag=tag, step=step, buckets=buckets, **hist_fields(data))


def _tf2_image(writer: Any, logdir: Path, rec: Recorder) -> None:
    import tensorflow as tf

    batch = image_batch(3, "tf2_images")
    tf.summary.image("images", batch, step=0, max_outputs=2)  # the third is dropped
    rec.add("image", tag="images", step=0, **image_fields(batch[:2]))


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
        vertices=np.array(MESH_VERTICES, dtype=np.float32),
        faces=np.array(MESH_FACES, dtype=np.int32),
        colors=np.array(MESH_COLORS, dtype=np.uint8),
        step=0,
    )
    record_mesh(rec)


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
