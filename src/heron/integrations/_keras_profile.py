"""``profile_batch`` for ``HeronCallback``: each Keras backend's own profiler, started and stopped.

What each writes is what Heron's Profile plugin reads (``heron.ingest.profiles``):

* TensorFlow: ``tf.profiler.experimental`` → ``<run>/plugins/profile/<session>/<host>.xplane.pb``;
* JAX: ``jax.profiler.start_trace`` → the same layout (XPlane);
* PyTorch: ``torch.profiler`` → ``<run>/<host>_<pid>.<ns>.pt.trace.json``, the chrome-trace
  file and name ``torch.profiler.tensorboard_trace_handler`` would write.

Each profiled batch is also marked as a step (TensorFlow's and JAX's step annotations with
``step_num``, torch's ``ProfilerStep#N`` span), so the Profile dashboard's overview splits
the capture into the training steps it holds.

The framework is imported only when a capture starts (the backend has already imported
it). This module is private to the callback: ``heron.profile()`` is the general API.
"""

from __future__ import annotations

import importlib
import os
import socket
import time
import warnings
from typing import Any

__all__ = ["BACKENDS", "BatchProfiler", "batch_range"]

BACKENDS = ("tensorflow", "jax", "torch")


def batch_range(profile_batch: int | tuple[int, int] | list[int] | str) -> tuple[int, int]:
    """(first, last) batch to profile, counted from 1 over the fit; (0, 0) is off.

    Accepts what Keras's callback accepts: an int, a pair, or ``"start,stop"``.
    """
    value: Any = profile_batch
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            value = None
    if isinstance(value, int) and not isinstance(value, bool):
        first, last = value, value
    elif (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in value)
    ):
        first, last = value
    else:
        first, last = -1, -1
    if first < 0 or last < first or (first == 0 and last != 0):
        raise ValueError(
            "profile_batch must be 0 (off), a batch number, or a (start, stop) pair of batch "
            f"numbers with 1 <= start <= stop, not {profile_batch!r}"
        )
    return first, last


class BatchProfiler:
    """Starts and stops one backend's profiler, writing into a run directory."""

    def __init__(self, backend: str) -> None:
        if backend not in BACKENDS:
            raise ValueError(
                f"profile_batch needs the tensorflow, jax or torch Keras backend, not {backend!r}"
            )
        self.backend = backend
        self._run_dir = ""
        self._torch_profile: Any = None
        self._step: Any = None
        self.running = False

    def start(self, run_dir: str) -> bool:
        """Start capturing into ``run_dir``; False (with a warning) if the profiler is busy."""
        os.makedirs(run_dir, exist_ok=True)
        self._run_dir = run_dir
        try:
            if self.backend == "tensorflow":
                tf = importlib.import_module("tensorflow")
                tf.profiler.experimental.start(logdir=run_dir)
            elif self.backend == "jax":
                importlib.import_module("jax").profiler.start_trace(run_dir)
            else:
                profiler = importlib.import_module("torch.profiler")
                activities = [profiler.ProfilerActivity.CPU]
                if importlib.import_module("torch").cuda.is_available():
                    activities.append(profiler.ProfilerActivity.CUDA)
                self._torch_profile = profiler.profile(activities=activities, record_shapes=True)
                self._torch_profile.__enter__()
        except Exception as error:  # each framework raises its own "already running" error
            warnings.warn(
                f"profile_batch: the {self.backend} profiler did not start: {error}", stacklevel=3
            )
            return False
        self.running = True
        return True

    def begin_batch(self, number: int) -> None:
        """Mark the start of training batch ``number`` (counted from 1) in the capture."""
        if not self.running:
            return
        if self.backend == "tensorflow":
            trace = importlib.import_module("tensorflow").profiler.experimental.Trace
            self._step = trace("train", step_num=number, _r=1)
        elif self.backend == "jax":
            self._step = importlib.import_module("jax").profiler.StepTraceAnnotation(
                "train", step_num=number
            )
        else:
            record = importlib.import_module("torch.profiler").record_function
            self._step = record(f"ProfilerStep#{number}")
        self._step.__enter__()

    def end_batch(self) -> None:
        step, self._step = self._step, None
        if step is not None:
            step.__exit__(None, None, None)

    def stop(self) -> None:
        """Stop capturing and write the capture's file(s) into the run directory."""
        if not self.running:
            return
        self.end_batch()
        self.running = False
        if self.backend == "tensorflow":
            importlib.import_module("tensorflow").profiler.experimental.stop()
        elif self.backend == "jax":
            importlib.import_module("jax").profiler.stop_trace()
        else:
            profile, self._torch_profile = self._torch_profile, None
            profile.__exit__(None, None, None)
            worker = f"{socket.gethostname().replace('.', '_')}_{os.getpid()}"
            name = f"{worker}.{time.time_ns()}.pt.trace.json"
            profile.export_chrome_trace(os.path.join(self._run_dir, name))
