"""The TensorBoard HParams tutorial, with Heron: a grid over units, dropout and optimizer.

Each combination trains a small Keras model on scikit-learn's digits and becomes
one run holding its hyperparameters and final accuracy, so the HParams
dashboard can compare them (table, parallel coordinates, scatter plots).

    python examples/hparams_sweep.py --logdir logs/hparams
    heron --logdir logs/hparams
"""

from __future__ import annotations

import argparse
import itertools

import keras
from sklearn.datasets import load_digits

from heron import SummaryWriter

UNITS = [16, 32]
DROPOUT = [0.1, 0.2]
OPTIMIZERS = ["adam", "sgd"]


def train(units: int, dropout: float, optimizer: str, data: tuple, epochs: int) -> float:
    x_train, y_train, x_test, y_test = data
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=64, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return float(accuracy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="logs/hparams")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=None, help="only the first N combinations")
    args = parser.parse_args()

    keras.utils.set_random_seed(0)
    digits = load_digits()
    features = (digits.data / 16.0).astype("float32")
    data = (features[:1400], digits.target[:1400], features[1400:], digits.target[1400:])
    domains = {"units": UNITS, "dropout": DROPOUT, "optimizer": OPTIMIZERS}
    grid = list(itertools.product(UNITS, DROPOUT, OPTIMIZERS))[: args.runs]
    for number, (units, dropout, optimizer) in enumerate(grid):
        hparams = {"units": units, "dropout": dropout, "optimizer": optimizer}
        accuracy = train(units, dropout, optimizer, data, args.epochs)
        with SummaryWriter(f"{args.logdir}/run-{number}") as writer:
            writer.add_hparams(
                hparams, {"accuracy": accuracy}, hparam_domain_discrete=domains, own_run=True
            )
        print(f"run-{number}: {hparams} accuracy={accuracy:.3f}")
    print(f"view with: heron --logdir {args.logdir}")


if __name__ == "__main__":
    main()
