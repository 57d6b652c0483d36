"""TensorFlow 1 style: graph mode, tf.compat.v1.summary legacy values, FileWriter events."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .inputs import (
    AUDIO_FRAMES,
    AUDIO_RATE,
    IMAGE_HEIGHT,
    IMAGE_WIDTH,
    PR_THRESHOLDS,
    SCALAR_VALUES,
    TEXT,
    audio_clips,
    hist_fields,
    histogram_data,
    image_batch,
    image_fields,
    pr_data,
)
from .records import Recorder, Tool


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
    rec.add("histogram", tag="weights", step=step, **hist_fields(data))
    # One legacy value per image / clip, tagged <name>/<kind>/<i>.
    for i in range(2):
        rec.add("image", tag=f"image/image/{i}", **image_fields(images[i : i + 1]), step=step)
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
