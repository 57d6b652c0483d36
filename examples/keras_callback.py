"""The classic TensorBoard Keras tutorial, with Heron: one import changed.

Trains a small classifier on scikit-learn's bundled 8x8 digits (no download)
with ``heron.integrations.keras.HeronCallback``: losses and accuracy per epoch
and per batch, learning rate, weight histograms and images, the model graph,
a grid of training images, and a confusion matrix drawn every epoch.
Works on any Keras backend (``KERAS_BACKEND=jax`` / ``torch`` / ``tensorflow``).

    python examples/keras_callback.py --logdir logs/keras
    heron --logdir logs/keras
"""

from __future__ import annotations

import argparse

import keras
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import confusion_matrix

from heron.integrations.keras import HeronCallback


def confusion_figure(matrix: np.ndarray) -> plt.Figure:
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.imshow(matrix, cmap="Blues")
    axes.set(xlabel="predicted", ylabel="true", xticks=range(10), yticks=range(10))
    for (row, column), count in np.ndenumerate(matrix):
        axes.text(column, row, str(count), ha="center", va="center", fontsize=7)
    figure.tight_layout()
    return figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="logs/keras")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    keras.utils.set_random_seed(0)
    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., np.newaxis]  # N, 8, 8, 1 in [0, 1]
    x_train, y_train = images[:1400], digits.target[:1400]
    x_test, y_test = images[1400:], digits.target[1400:]

    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(8, 3, activation="relu", name="conv"),
            keras.layers.Flatten(),
            keras.layers.Dense(32, activation="relu", name="hidden"),
            keras.layers.Dense(10, activation="softmax", name="output"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

    def log_confusion_matrix(callback: HeronCallback, epoch: int, logs: dict) -> None:
        predicted = model.predict(x_test, verbose=0).argmax(axis=1)
        matrix = confusion_matrix(y_test, predicted, labels=range(10))
        callback.validation_writer.add_figure("confusion_matrix", confusion_figure(matrix), epoch)

    callback = HeronCallback(
        args.logdir,
        histogram_freq=1,
        write_images=True,
        update_freq=10,
        epoch_hook=log_confusion_matrix,
    )
    # The tutorial's first step: look at some training data.
    callback.train_writer.add_images("training_samples", x_train[:16], 0, dataformats="NHWC")
    model.fit(
        x_train,
        y_train,
        epochs=args.epochs,
        batch_size=64,
        validation_data=(x_test, y_test),
        callbacks=[callback],
        verbose=0,
    )
    print(f"logged to {args.logdir}; view with: heron --logdir {args.logdir}")


if __name__ == "__main__":
    main()
