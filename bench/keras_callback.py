"""What a logging callback adds to a Keras epoch: HeronCallback beside Keras's TensorBoard.

Usage:  .venv/bin/python bench/keras_callback.py [--rounds N] [--epochs E]
        [--backend tensorflow|jax|torch ...] [--quick]

A small convnet (the tutorial's: Conv2D 8, Dense 32, Dense 10) learns scikit-learn's bundled
8x8 digits (no download; 1,437 training and 360 validation images, Keras's default batch size
of 32, so 45 training steps and a validation pass per epoch). Each Keras backend runs in child
processes of its own (``KERAS_BACKEND``): a backend is chosen once per process, and a process
that imported TensorFlow crashes when it later imports ``torch._dynamo``. On JAX and torch,
Keras's callback (which imports TensorFlow) is timed in a second child against a baseline of its
own, so that the JAX or torch user's process, without TensorFlow, is what HeronCallback is
timed in. The torch child runs with ``OMP_NUM_THREADS=1`` (``--torch-threads``; see
``run_backend``).

In each child, one model is compiled and fitted once untimed (tracing, compilation, the first
writer's imports), then ``--rounds`` rounds each time one ``fit(epochs=E)`` per configuration,
in an order that rotates from round to round so that drift in machine load hits them alike:

* ``none``: no callback but Keras's own ``History``;
* ``heron``: ``HeronCallback(log_dir)`` at its defaults (epoch metrics, the learning rate, the
  model config; no histograms);
* ``keras-tb``: ``keras.callbacks.TensorBoard(log_dir)`` at its defaults (the same things; it
  writes through ``tf.summary``, so it needs TensorFlow even on the JAX and torch backends).

Every fit gets a fresh log directory and a fresh callback. Two times per configuration:

* **fit / epochs** (the headline): one fit's wall time divided by its epochs. It includes what
  the callback does once per fit, at ``on_train_begin`` / ``on_train_end`` (starting the
  writers' threads, the model config, closing the files), spread over the fit's epochs;
* **steady**: from one epoch's start to the next's (a small clock callback, present in every
  configuration), leaving out the first epoch: what every further epoch pays.

The table shows median, min and max, overhead = median(callback) / median(none) - 1, and the
median of the per-round ratios ("paired"). Issue 9 asks that HeronCallback add < 5 %.

``--hooks`` also times every HeronCallback hook call (wall time inside the callback's methods,
summed per fit), and prints per hook the median per fit and per call: what the callback itself
costs, which on a loaded machine is steadier than a difference of two noisy fit times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

BACKENDS = ("tensorflow", "jax", "torch")
CONFIGS = ("none", "heron", "keras-tb")
GOAL = 0.05
HOOKS = (
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_end",
)


# -- the child: one backend ---------------------------------------------------------------------


def _callbacks(config: str, log_dir: str) -> list[Any]:
    """The callbacks of one configuration, at their default settings."""
    if config == "none":
        return []
    if config == "heron":
        from heron.integrations.keras import HeronCallback

        return [HeronCallback(log_dir)]
    import keras  # type: ignore[import-untyped]

    return [keras.callbacks.TensorBoard(log_dir)]


def _timed_hooks(callback: Any, into: dict[str, list[float]]) -> None:
    """Wrap the callback's hooks (on the instance) so each call's wall time lands in ``into``."""

    def wrap(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                into.setdefault(name, []).append(time.perf_counter() - started)

        return timed

    for name in HOOKS:
        setattr(callback, name, wrap(name, getattr(callback, name)))


def child(configs: list[str], rounds: int, epochs: int, hooks: bool = False) -> dict[str, Any]:
    """Per-epoch seconds of every fit, by configuration, on this process's Keras backend."""
    import keras
    import numpy as np
    from sklearn.datasets import load_digits  # type: ignore[import-untyped]

    keras.utils.set_random_seed(0)
    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., np.newaxis]
    labels = digits.target.astype("int32")
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

    class EpochClock(keras.callbacks.Callback):  # type: ignore[misc]
        """When each epoch began: the same small cost in every configuration."""

        def __init__(self) -> None:
            super().__init__()
            self.begins: list[float] = []

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.begins.append(time.perf_counter())

    def fit(config: str, n_epochs: int, scratch: str) -> tuple[float, list[float]]:
        """Fit time / epochs, and the steady epochs: from one epoch's start to the next's,
        leaving out the first epoch (it creates the validation run's writer)."""
        log_dir = tempfile.mkdtemp(prefix=f"{config}-", dir=scratch)
        clock = EpochClock()
        callbacks = [*_callbacks(config, log_dir), clock]
        calls: dict[str, list[float]] = {}
        if hooks and config == "heron":
            _timed_hooks(callbacks[0], calls)
        started = time.perf_counter()
        model.fit(
            images,
            labels,
            epochs=n_epochs,
            validation_split=0.2,
            callbacks=callbacks,
            verbose=0,
        )
        per_epoch = (time.perf_counter() - started) / n_epochs
        steady = [b - a for a, b in zip(clock.begins[1:], clock.begins[2:], strict=False)]
        if calls and n_epochs == epochs:
            for name, times in calls.items():
                hook_fits.setdefault(name, []).append(sum(times))
                hook_calls.setdefault(name, []).extend(times)
        return per_epoch, steady

    hook_fits: dict[str, list[float]] = {}
    hook_calls: dict[str, list[float]] = {}

    seconds: dict[str, list[float]] = {config: [] for config in configs}
    steady: dict[str, list[float]] = {config: [] for config in configs}
    with tempfile.TemporaryDirectory(prefix="heron-keras-bench-") as scratch:
        # Untimed: compile the train and test functions, import each callback's writer.
        for config in configs:
            fit(config, 1, scratch)
        for r in range(rounds):
            order = configs[r % len(configs) :] + configs[: r % len(configs)]
            for config in order:
                per_epoch, intervals = fit(config, epochs, scratch)
                seconds[config].append(per_epoch)
                steady[config].extend(intervals)
    return {
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "epochs": epochs,
        "seconds": seconds,
        "steady": steady,
        "hook_fits": hook_fits,
        "hook_calls": hook_calls,
    }


# -- the parent: every backend, the table -------------------------------------------------------


def _groups(backend: str, configs: list[str]) -> list[list[str]]:
    """The configurations timed together in one child process, each group with its baseline.

    Keras's TensorBoard callback imports TensorFlow, whose thread pools then compete with the
    JAX or torch backend's for the same cores for the rest of the process, slowing every
    configuration timed after it. So on those backends it gets a child of its own, with its
    own no-callback baseline, and HeronCallback is timed in a process without TensorFlow, as
    a JAX or torch user runs it."""
    if backend == "tensorflow" or "keras-tb" not in configs:
        return [configs]
    without = [c for c in configs if c != "keras-tb"]
    groups = [without] if len(without) > 1 or "none" not in without else []
    return [*groups, ["none", "keras-tb"]]


def run_backend(
    backend: str,
    configs: list[str],
    rounds: int,
    epochs: int,
    torch_threads: int,
    hooks: bool = False,
) -> dict[str, Any]:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    if backend == "torch" and torch_threads:
        # On a small machine that other jobs load, torch's OpenMP threads (one per core) wait
        # for each other: an epoch here took 2-4 s instead of 0.2-0.4 s with one thread,
        # varying 5x from fit to fit, which drowns any callback's cost.
        env["OMP_NUM_THREADS"] = str(torch_threads)
    command = [sys.executable, __file__, "--child", "--rounds", str(rounds)]
    command += ["--epochs", str(epochs)]
    for config in configs:
        command += ["--config", config]
    if hooks:
        command.append("--hooks")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"backend": backend, "error": f"exit {done.returncode}: {' | '.join(tail)}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=None, help="timed fits per config (20)")
    parser.add_argument("--epochs", type=int, default=None, help="epochs per fit (4)")
    parser.add_argument("--backend", action="append", choices=BACKENDS, help="default: all")
    parser.add_argument("--config", action="append", choices=CONFIGS, help="default: all")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 3 epochs")
    parser.add_argument(
        "--torch-threads", type=int, default=1, help="OMP_NUM_THREADS for torch (1; 0: unset)"
    )
    parser.add_argument("--hooks", action="store_true", help="also time HeronCallback's hooks")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 20)
    epochs = args.epochs or (3 if args.quick else 4)
    configs = args.config or list(CONFIGS)
    if args.child:
        print(json.dumps(child(configs, rounds, epochs, args.hooks)))
        return

    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    results = []
    for backend in args.backend or BACKENDS:
        for group in _groups(backend, configs):
            print(f"{backend}: {rounds} rounds of {', '.join(group)} ...", file=sys.stderr)
            results.append(
                run_backend(backend, group, rounds, epochs, args.torch_threads, args.hooks)
            )
            loads.append(os.getloadavg()[0])

    print()
    print(
        f"Keras epoch time by callback — {rounds} fits of {epochs} epochs per config, alternating;"
        " time per epoch = fit time / epochs"
    )
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {min(loads):.1f}-{max(loads):.1f} during the run, "
        f"torch threads: {args.torch_threads or 'default'}"
    )
    print()
    header = (
        f"{'backend':<11} {'callback':<16} {'fit/epochs':>10} {'min':>9} {'max':>9} "
        f"{'overhead':>9} {'paired':>8} {'steady':>9} {'overhead':>9}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for result in results:
        backend = result["backend"]
        if "error" in result:
            print(f"{backend:<11} failed: {result['error']}")
            continue
        seconds: dict[str, list[float]] = result["seconds"]
        steady: dict[str, list[float]] = result["steady"]
        base = statistics.median(seconds["none"]) if "none" in seconds else None
        steady_base = statistics.median(steady["none"]) if steady.get("none") else None
        for config, values in seconds.items():
            median = statistics.median(values)
            steady_median = statistics.median(steady[config]) if steady[config] else None
            overhead = paired_median = steady_overhead = ""
            if base is not None and config != "none":
                overhead = f"{median / base - 1:+.1%}"
                # Paired by round: each fit against the no-callback fit of the same round.
                paired = [v / n - 1 for v, n in zip(values, seconds["none"], strict=True)]
                paired_median = f"{statistics.median(paired):+.1%}"
                if steady_base is not None and steady_median is not None:
                    steady_overhead = f"{steady_median / steady_base - 1:+.1%}"
                if config == "heron":
                    verdicts.append((backend, median / base - 1, steady_overhead))
            label = config
            if config == "none" and "keras-tb" in seconds and backend != "tensorflow":
                label = "none (TF loaded)"
            steady_text = "" if steady_median is None else f"{steady_median * 1000:.1f}ms"
            print(
                f"{backend:<11} {label:<16} {median * 1000:>8.1f}ms {min(values) * 1000:>7.1f}ms "
                f"{max(values) * 1000:>7.1f}ms {overhead:>9} {paired_median:>8} "
                f"{steady_text:>9} {steady_overhead:>9}"
            )
    print()
    for backend, excess, steady_excess in verdicts:
        verdict = "meets it" if excess < GOAL else "MISSES it"
        print(
            f"HeronCallback on {backend}: {excess:+.1%} of fit time / epochs, "
            f"{steady_excess or '?'} of a steady epoch (goal < {GOAL:.0%} of fit time): {verdict}"
        )
    for result in results:
        if result.get("hook_fits"):
            _print_hooks(result)
    print(f"(took {time.perf_counter() - started:.0f} s)")


def _print_hooks(result: dict[str, Any]) -> None:
    """Per hook: median wall time per fit and per call, and the total against a plain fit."""
    fits: dict[str, list[float]] = result["hook_fits"]
    calls: dict[str, list[float]] = result["hook_calls"]
    epochs = result.get("epochs", 0)
    print()
    print(f"HeronCallback's hooks on {result['backend']} (median per fit / per call):")
    total = 0.0
    for name in HOOKS:
        if name not in fits:
            continue
        per_fit = statistics.median(fits[name])
        total += per_fit
        count = len(calls[name]) / len(fits[name])
        print(
            f"  {name:<22} {per_fit * 1000:7.3f} ms per fit  "
            f"{statistics.median(calls[name]) * 1e6:8.1f} us per call  ({count:.0f} calls per fit)"
        )
    base = result["seconds"].get("none")
    if base and epochs:
        fit = statistics.median(base) * epochs
        print(
            f"  {'all hooks':<22} {total * 1000:7.3f} ms per fit = {total / fit:.1%} of a plain fit"
        )


if __name__ == "__main__":
    main()
