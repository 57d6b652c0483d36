"""``heron demo``: a realistic logdir to look at, written in a few seconds, offline.

A small two-layer network is trained with plain numpy on a synthetic
classification task (Gaussian blobs), once per point of a small learning-rate
× width sweep, and logged with Heron's own ``SummaryWriter`` — exactly as a
user's training script would. Each run logs what ML engineers look at: train /
validation loss and accuracy, the learning rate, weight histograms, a
confusion-matrix image (and, when PyAV is installed, an MP4 of it changing over
training), a precision–recall curve, a short audio cue, an HTML report and a
table of validation predictions (with an image cell per row), the hidden-layer
embedding of the validation set for the projector (and three of its units as
a 3-D point cloud for the mesh dashboard), a custom-scalars layout, its
configuration as text, and its hyperparameters and final metrics for the
HParams dashboard.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from heron.formats.summaries.video import available_codec
from heron.writer import SummaryWriter, TableImage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

CLASSES: Final = 5
FEATURES: Final = 8
EPOCHS: Final = 40
BATCHES_PER_EPOCH: Final = 10
AUDIO_RATE: Final = 16_000
EMBEDDED_POINTS: Final = 200
TABLE_ROWS: Final = 8
#: The custom-scalars layout: train and validation curves of a metric on one chart.
CUSTOM_LAYOUT: Final = {
    "Training": {
        "loss": ["Multiline", ["loss/"]],
        "accuracy": ["Multiline", ["accuracy/"]],
    },
    "Schedule": {"learning rate": ["Multiline", ["learning_rate"]]},
}
#: One RGB colour per class for the point cloud.
CLASS_COLORS: Final = ((59, 130, 246), (249, 115, 22), (34, 197, 94), (239, 68, 68), (139, 92, 246))


@dataclass(frozen=True, slots=True)
class Trial:
    learning_rate: float
    hidden: int

    @property
    def run_name(self) -> str:
        return f"lr={self.learning_rate:g},hidden={self.hidden}"


SWEEP: Final = tuple(Trial(lr, hidden) for lr in (0.03, 0.1, 0.3) for hidden in (8, 32))


def write_demo_logdir(logdir: Path, *, seed: int = 0) -> list[str]:
    """Write one run per trial of ``SWEEP`` under ``logdir``; return the run names."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=2.0, size=(CLASSES, FEATURES))
    x_train, y_train = _blobs(rng, centers, 2000)
    x_val, y_val = _blobs(rng, centers, 500)
    for trial in SWEEP:
        _train(logdir / trial.run_name, trial, x_train, y_train, x_val, y_val, seed)
    return [trial.run_name for trial in SWEEP]


def _blobs(
    rng: np.random.Generator, centers: npt.NDArray[np.float64], count: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    labels = rng.integers(0, CLASSES, size=count)
    points = centers[labels] + rng.normal(scale=1.6, size=(count, FEATURES))
    return points, labels


def _train(
    run_dir: Path,
    trial: Trial,
    x_train: npt.NDArray[np.float64],
    y_train: npt.NDArray[np.int64],
    x_val: npt.NDArray[np.float64],
    y_val: npt.NDArray[np.int64],
    seed: int,
) -> None:
    import numpy as np

    rng = np.random.default_rng(seed + trial.hidden)
    w1 = rng.normal(scale=1 / np.sqrt(FEATURES), size=(FEATURES, trial.hidden))
    w2 = rng.normal(scale=1 / np.sqrt(trial.hidden), size=(trial.hidden, CLASSES))
    start = time.time() - EPOCHS * 30.0  # pretend each epoch took 30 s
    with SummaryWriter(str(run_dir)) as writer:
        writer.add_text(
            "config",
            "| hparam | value |\n|---|---|\n"
            f"| learning rate | {trial.learning_rate:g} |\n| hidden units | {trial.hidden} |",
            0,
            walltime=start,
        )
        batches = np.array_split(rng.permutation(len(x_train)), BATCHES_PER_EPOCH)
        confusion_frames: list[npt.NDArray[np.uint8]] = []
        for epoch in range(EPOCHS):
            wall = start + epoch * 30.0
            lr = trial.learning_rate * 0.5 * (1 + np.cos(np.pi * epoch / EPOCHS))
            for batch_index, batch in enumerate(batches):
                step = epoch * BATCHES_PER_EPOCH + batch_index
                loss, grads = _loss_and_grads(w1, w2, x_train[batch], y_train[batch])
                w1 -= lr * grads[0]
                w2 -= lr * grads[1]
                writer.add_scalar("loss/train", loss, step, walltime=wall)
            step = (epoch + 1) * BATCHES_PER_EPOCH - 1
            val_loss, _ = _loss_and_grads(w1, w2, x_val, y_val)
            predicted = _predict(w1, w2, x_val)
            train_accuracy = float(np.mean(_predict(w1, w2, x_train) == y_train))
            val_accuracy = float(np.mean(predicted == y_val))
            writer.add_scalar("loss/validation", val_loss, step, walltime=wall)
            writer.add_scalar("accuracy/train", train_accuracy, step, walltime=wall)
            writer.add_scalar("accuracy/validation", val_accuracy, step, walltime=wall)
            writer.add_scalar("learning_rate", float(lr), step, walltime=wall)
            writer.add_histogram("weights/layer1", w1, step, walltime=wall)
            writer.add_histogram("weights/layer2", w2, step, walltime=wall)
            if epoch % 5 == 4 or epoch == EPOCHS - 1:
                confusion = _confusion_pixels(y_val, predicted)
                confusion_frames.append(confusion)
                writer.add_image(
                    "confusion_matrix", confusion, step, walltime=wall, dataformats="HWC"
                )
                probabilities = _forward(w1, w2, x_val)[1]
                writer.add_html(
                    "report",
                    _report(epoch, val_loss, val_accuracy, y_val, predicted),
                    step,
                    walltime=wall,
                )
                writer.add_table(
                    "predictions", _prediction_rows(y_val, probabilities), step, walltime=wall
                )
                writer.add_pr_curve(
                    "pr/class_0", y_val == 0, probabilities[:, 0], step, walltime=wall
                )
        if available_codec("mp4") is not None:  # PyAV is optional (heron[video])
            writer.add_video(
                "confusion_over_training",
                np.stack(confusion_frames)[None],
                step,
                fps=2,
                format="mp4",
                dataformats="NTHWC",
            )
        writer.add_audio("done_chime", _chime(val_accuracy), step, sample_rate=AUDIO_RATE)
        hidden = np.maximum(x_val[:EMBEDDED_POINTS] @ w1, 0.0)
        writer.add_embedding(
            hidden,
            metadata=[f"class {label}" for label in y_val[:EMBEDDED_POINTS]],
            global_step=step,
            tag="hidden_layer",
        )
        labels = y_val[:EMBEDDED_POINTS]
        writer.add_mesh(
            "hidden_layer_3d",
            hidden[None, :, :3].astype(np.float32),
            colors=np.asarray(CLASS_COLORS, dtype=np.uint8)[labels][None],
            global_step=step,
        )
        writer.add_custom_scalars(CUSTOM_LAYOUT)
        writer.add_hparams(
            {"learning_rate": trial.learning_rate, "hidden": trial.hidden},
            {"hparam/accuracy": val_accuracy, "hparam/loss": val_loss},
            own_run=True,
        )


def _forward(
    w1: npt.NDArray[np.float64], w2: npt.NDArray[np.float64], x: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    import numpy as np

    hidden = np.maximum(x @ w1, 0.0)
    logits = hidden @ w2
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return hidden, probabilities


def _predict(
    w1: npt.NDArray[np.float64], w2: npt.NDArray[np.float64], x: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    predictions: npt.NDArray[np.int64] = _forward(w1, w2, x)[1].argmax(axis=1)
    return predictions


def _loss_and_grads(
    w1: npt.NDArray[np.float64],
    w2: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64],
) -> tuple[float, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    import numpy as np

    hidden, probabilities = _forward(w1, w2, x)
    rows = np.arange(len(y))
    loss = float(-np.mean(np.log(probabilities[rows, y] + 1e-12)))
    d_logits = probabilities.copy()
    d_logits[rows, y] -= 1.0
    d_logits /= len(y)
    grad_w2 = hidden.T @ d_logits
    d_hidden = (d_logits @ w2.T) * (hidden > 0)
    grad_w1 = x.T @ d_hidden
    return loss, (grad_w1, grad_w2)


def _confusion_pixels(
    truth: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64], cell: int = 24
) -> npt.NDArray[np.uint8]:
    """A confusion-matrix heat map (rows: truth, columns: prediction), white to blue, HWC."""
    import numpy as np

    matrix = np.zeros((CLASSES, CLASSES))
    np.add.at(matrix, (truth, predicted), 1)
    share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    white, blue = np.array([255.0, 255.0, 255.0]), np.array([31.0, 84.0, 160.0])
    colors = white + share[..., None] * (blue - white)
    pixels: npt.NDArray[np.uint8] = (
        np.kron(colors, np.ones((cell, cell, 1))).round().astype(np.uint8)
    )
    return pixels


def _report(
    epoch: int,
    loss: float,
    accuracy: float,
    truth: npt.NDArray[np.int64],
    predicted: npt.NDArray[np.int64],
) -> str:
    """A small HTML report: headline metrics and per-class accuracy as bars."""
    import numpy as np

    bars = "".join(
        f"<tr><td>class {c}</td><td><div style='width:{120 * share:.0f}px;height:10px;"
        f"background:#2563eb;border-radius:3px'></div></td><td>{share:.0%}</td></tr>"
        for c in range(CLASSES)
        for share in [float(np.mean(predicted[truth == c] == c)) if np.any(truth == c) else 0.0]
    )
    return (
        f"<h3 style='margin:0 0 6px'>Epoch {epoch + 1}</h3>"
        f"<p>validation loss <b>{loss:.3f}</b>, accuracy <b>{accuracy:.1%}</b></p>"
        f"<table>{bars}</table>"
    )


def _prediction_rows(
    truth: npt.NDArray[np.int64], probabilities: npt.NDArray[np.float64]
) -> list[dict[str, object]]:
    """The first validation points: label, prediction, confidence and the class scores as pixels."""
    import numpy as np

    rows: list[dict[str, object]] = []
    for index in range(TABLE_ROWS):
        scores = probabilities[index]
        strip = np.kron(scores[None, :], np.ones((12, 12)))  # one 12×12 cell per class
        pixels = (255 - strip[..., None] * np.array([224.0, 171.0, 95.0])).astype(np.uint8)
        rows.append(
            {
                "example": index,
                "label": int(truth[index]),
                "predicted": int(scores.argmax()),
                "confidence": round(float(scores.max()), 4),
                "correct": bool(scores.argmax() == truth[index]),
                "scores": TableImage(pixels, dataformats="HWC"),
            }
        )
    return rows


def _chime(accuracy: float) -> npt.NDArray[np.float32]:
    """Half a second of a tone whose pitch rises with the final accuracy."""
    import numpy as np

    times = np.arange(AUDIO_RATE // 2) / AUDIO_RATE
    pitch = 220.0 * 2 ** (2 * accuracy)
    envelope = np.exp(-6 * times)
    tone: npt.NDArray[np.float32] = (0.4 * envelope * np.sin(2 * np.pi * pitch * times)).astype(
        np.float32
    )
    return tone
