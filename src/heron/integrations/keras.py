"""``HeronCallback``: Keras 3's ``TensorBoard`` callback, on every Keras backend.

Keras's own callback writes through ``tf.summary`` and so needs TensorFlow;
this one writes through ``heron.SummaryWriter`` and runs the same on the
TensorFlow, JAX and PyTorch backends. It keeps Keras's layout and tag names so
that a logdir looks the same in either dashboard: ``<log_dir>/train`` and
``<log_dir>/validation`` runs, ``epoch_<metric>`` per epoch (validation
metrics without their ``val_`` prefix, in the validation run, so each chart
overlays the two), ``batch_<metric>`` per ``update_freq`` batches,
``epoch_learning_rate``, ``evaluation_<metric>_vs_iterations`` when fit
validates, weight histograms and images, and the model config under the tag
``keras`` (plugin ``graph_keras_model``: the conceptual graph). On the
TensorFlow backend it also writes the op graph of the traced train step
(``_keras_graph``); ``profile_batch`` runs the backend's own profiler over a
range of batches (``_keras_profile``), into the ``train`` run.

Importing this module imports Keras (the callback must subclass Keras's); the
rest of Heron never imports it.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import DataClass, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor
from heron.integrations._keras_graph import train_step_graph_def
from heron.integrations._keras_profile import BatchProfiler, batch_range
from heron.integrations._keras_values import CallbackWriter, as_number, log_value
from heron.integrations._weights import weight_image
from heron.writer import SummaryWriter

if TYPE_CHECKING:
    _Callback = object
else:
    from keras.callbacks import Callback as _Callback

__all__ = ["HeronCallback"]

#: The plugin under which Keras's callback logs ``model.to_json()`` (TensorBoard reads it).
KERAS_MODEL_PLUGIN = "graph_keras_model"

#: Epoch ends flush the runs' files at most this often (seconds); see ``on_epoch_end``.
FLUSH_INTERVAL_S = 1.0

#: Points a run's writer holds before its thread writes them, when logging only per epoch.
EPOCH_MAX_QUEUE = 1000

EpochHook = Callable[["HeronCallback", int, Mapping[str, Any]], None]


def _keras() -> Any:
    return importlib.import_module("keras")


class HeronCallback(_Callback):
    """Logs a Keras ``fit`` to ``log_dir``, as Keras's ``TensorBoard`` callback does.

    ``update_freq``: ``"epoch"`` (default: nothing is done per batch, so the
    callback costs next to nothing), ``"batch"``, or every N batches.
    ``histogram_freq``: weight histograms every N epochs (0: never).
    ``write_images``: with histograms, each weight drawn as an image.
    ``write_graph``: the model config, drawn by the Graphs dashboard (conceptual
    graph); on the TensorFlow backend also the op graph of the traced train step.
    ``profile_batch``: profile the fit's batches ``start..stop`` (counted from 1;
    an int profiles one batch; 0: never) with the backend's profiler, into the
    ``train`` run, for the Profile dashboard.
    ``embeddings_freq``: every N epochs, each ``Embedding`` layer's table for the
    projector; ``embeddings_metadata`` labels its rows (a file of one label per
    line, or a list; a dict of them by layer name for several layers).
    ``epoch_hook(callback, epoch, logs)``: called at the end of every epoch, after
    the metrics are logged — the place for a confusion matrix or any figure
    (``callback.train_writer`` / ``callback.validation_writer`` are the runs).
    """

    model: Any  # set by Keras (set_model) before training starts

    def __init__(
        self,
        log_dir: str | os.PathLike[str] = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: Literal["epoch", "batch"] | int = "epoch",
        profile_batch: int | tuple[int, int] | str = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: str | Mapping[str, str | Sequence[Any]] | None = None,
        *,
        epoch_hook: EpochHook | None = None,
    ) -> None:
        super().__init__()
        if histogram_freq < 0 or embeddings_freq < 0:
            raise ValueError(
                "histogram_freq and embeddings_freq must be 0 (never) or a number of epochs"
            )
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError('update_freq must be "epoch", "batch" or a positive number of batches')
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq: Literal["epoch"] | int = update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self.epoch_hook = epoch_hook
        self.profile_batch = batch_range(profile_batch)
        self._profiler: BatchProfiler | None = None
        if self.profile_batch != (0, 0):
            self._profiler = BatchProfiler(_keras().backend.backend())
        # Keras runs batch hooks of async-safe callbacks on worker threads, without waiting for
        # the device to produce each batch's logs (on JAX, waiting doubles an epoch's time).
        # Logging per batch needs those logs, and a profile must start and stop at the batches
        # themselves, so only epoch-level logging without profiling is async-safe.
        self.async_safe = self.update_freq == "epoch" and self._profiler is None
        self._op_graph_pending = False
        self._lock = threading.Lock()
        self._writers: dict[str, SummaryWriter] = {}
        self._global_train_batch = 0
        self._in_fit = False
        self._epoch_start = 0.0
        self._epoch_first_batch = 0
        self._batch_start = 0.0
        self._last_flush = 0.0
        self._first_iteration = 0
        self._epochs_done = 0

    # The runs, created on first use so that a fit without validation has no validation run.

    def writer(self, run: str) -> SummaryWriter:
        """The writer of the run ``<log_dir>/<run>`` (``train``, ``validation``, or yours)."""
        found = self._writers.get(run)
        if found is None:
            # Logging per epoch, the epoch-end flush is what writes (at most once a second):
            # a writer that also woke its thread every 10 points would make it compete with
            # the training loop for the GIL in the middle of an epoch.
            max_queue = EPOCH_MAX_QUEUE if self.update_freq == "epoch" else 10
            path = os.path.join(self.log_dir, run)
            found = self._writers[run] = CallbackWriter(path, max_queue=max_queue)
        return found

    @property
    def train_writer(self) -> SummaryWriter:
        return self.writer("train")

    @property
    def validation_writer(self) -> SummaryWriter:
        return self.writer("validation")

    # Keras's hooks.

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self._in_fit = True
        self._global_train_batch = 0
        self._epochs_done = 0
        self._first_iteration = self._optimizer_iterations() or 0
        self._last_flush = time.monotonic()
        if self.write_graph:
            self._log_model_config()
            # The train step is traced by its first batch: its op graph is written after it.
            self._op_graph_pending = _keras().backend.backend() == "tensorflow"

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self._in_fit = False
        if self._profiler is not None:
            self._profiler.stop()  # a fit shorter than the profiled range
        for writer in self._writers.values():
            writer.close()

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch_start = time.perf_counter()
        self._epoch_first_batch = self._global_train_batch
        self._epochs_done += 1  # validation runs at this epoch's end: count it as done

    def on_train_batch_begin(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        if self.write_steps_per_second and self.update_freq != "epoch":
            self._batch_start = time.perf_counter()
        profiler = self._profiler
        if profiler is not None:
            number = self._global_train_batch + 1
            if number == self.profile_batch[0]:
                profiler.start(os.path.join(self.log_dir, "train"))
            profiler.begin_batch(number)

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        with self._lock:
            self._global_train_batch += 1
            step = self._global_train_batch
        if self._op_graph_pending:
            self._op_graph_pending = False
            self._log_op_graph()
        profiler = self._profiler
        if profiler is not None and profiler.running:
            profiler.end_batch()
            if step >= self.profile_batch[1]:
                profiler.stop()
        if self.update_freq == "epoch" or step % self.update_freq:
            return
        writer = self.train_writer
        for name, value in (logs or {}).items():
            number = log_value(value)
            if number is not None:
                writer.add_scalar(f"batch_{name}", number, step)
        if self.write_steps_per_second:
            seconds = time.perf_counter() - self._batch_start
            if seconds > 0:
                writer.add_scalar("batch_steps_per_second", 1.0 / seconds, step)

    def on_test_end(self, logs: Mapping[str, Any] | None = None) -> None:
        """During fit, validation metrics against the training batch they were measured at."""
        if not self._in_fit or not logs:
            return
        step = self._iterations()
        writer = self.validation_writer
        for name, value in logs.items():
            number = as_number(value)
            if number is not None:
                writer.add_scalar(f"evaluation_{name}_vs_iterations", number, step)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        logs = dict(logs or {})
        train = {name: value for name, value in logs.items() if not name.startswith("val_")}
        validation = {name[4:]: value for name, value in logs.items() if name.startswith("val_")}
        if "learning_rate" not in train:
            rate = self._learning_rate()
            if rate is not None:
                train["learning_rate"] = rate
        if self.write_steps_per_second:
            seconds = time.perf_counter() - self._epoch_start
            batches = self._global_train_batch - self._epoch_first_batch
            if seconds > 0 and batches:
                train["steps_per_second"] = batches / seconds
        self._log_epoch_metrics("train", train, epoch)
        if validation:
            self._log_epoch_metrics("validation", validation, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        if self.epoch_hook is not None:
            self.epoch_hook(self, epoch, logs)
        # An epoch's points should reach an open dashboard now, but a flush waits for the
        # writer threads, which on a busy machine costs a share of a short epoch (a small
        # model's epoch can take 20 ms): flush at most once per FLUSH_INTERVAL_S. Points held
        # back go out with a later epoch's flush or when fit ends (on_train_end closes).
        now = time.monotonic()
        if now - self._last_flush >= FLUSH_INTERVAL_S:
            self._last_flush = now
            for writer in self._writers.values():
                writer.flush()

    # What is logged.

    def _log_epoch_metrics(self, run: str, metrics: Mapping[str, Any], epoch: int) -> None:
        writer = self.writer(run)
        for name, value in metrics.items():
            number = as_number(value)
            if number is not None:
                writer.add_scalar(f"epoch_{name}", number, epoch)

    def _learning_rate(self) -> float | None:
        """The optimizer's current rate (a schedule is evaluated at the current iteration).

        Read now, not handed to the writer as a device array: on JAX, Keras donates the
        optimizer's variable buffers to the next train step, so a later read would fail.
        """
        optimizer = getattr(self.model, "optimizer", None)
        rate = getattr(optimizer, "learning_rate", None)
        if rate is None:
            return None
        try:
            return float(_keras().ops.convert_to_numpy(rate))
        except (TypeError, ValueError):
            return None

    def _optimizer_iterations(self) -> int | None:
        """The optimizer's step count (a device read: on JAX, a host sync)."""
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        if iterations is not None:
            try:
                return int(_keras().ops.convert_to_numpy(iterations))
            except (TypeError, ValueError):
                pass
        return None

    def _iterations(self) -> int:
        """Training steps so far (batch hooks may still be running on Keras's threads).

        Counted from the optimizer's count at fit start and the epochs' known length, so
        that validation does not wait on the device for it; read from the optimizer when
        an epoch's length is unknown (a generator without ``len``).
        """
        params = getattr(self, "params", None) or {}
        steps = params.get("steps")
        if isinstance(steps, int) and steps > 0:
            return self._first_iteration + self._epochs_done * steps
        found = self._optimizer_iterations()
        return self._global_train_batch if found is None else found

    @staticmethod
    def _weight_tag(weight: Any) -> str:
        """The weight's path (``sequential/dense/kernel``), as Keras 3's callback names it."""
        return str(getattr(weight, "path", None) or weight.name).replace(":", "_")

    def _log_weights(self, epoch: int) -> None:
        keras = _keras()
        channels_last = keras.backend.image_data_format() == "channels_last"
        writer = self.train_writer
        for weight in self.model.weights:
            tag = self._weight_tag(weight)
            array = keras.ops.convert_to_numpy(weight)
            if array.size == 0:
                continue
            writer.add_histogram(f"{tag}/histogram", array, epoch)
            if self.write_images:
                image = weight_image(array, channels_last=channels_last)
                if image is not None:
                    writer.add_images(f"{tag}/image", image, epoch, dataformats="NHWC")

    def _embedding_labels(self, layer_name: str) -> Sequence[Any] | None:
        """Labels of one Embedding layer's rows: a list, or a file of one label per line."""
        chosen: str | Sequence[Any] | None
        if isinstance(self.embeddings_metadata, Mapping):
            chosen = self.embeddings_metadata.get(layer_name)
        else:
            chosen = self.embeddings_metadata
        if not isinstance(chosen, str):
            return chosen
        with open(chosen, encoding="utf-8") as lines:
            return [line.rstrip("\n") for line in lines]

    def _log_embeddings(self, epoch: int) -> None:
        """Each ``Embedding`` layer's table for the projector, tagged with the layer's name."""
        keras = _keras()
        for layer in self.model.layers:
            if not isinstance(layer, keras.layers.Embedding):
                continue
            table = keras.ops.convert_to_numpy(layer.embeddings)
            labels = self._embedding_labels(layer.name)
            self.train_writer.add_embedding(table, labels, global_step=epoch, tag=layer.name)

    def _log_op_graph(self) -> None:
        """The traced train step's ``GraphDef``, as the run's op graph (TensorFlow backend)."""
        graph = train_step_graph_def(self.model)
        if graph is not None:
            self.train_writer._get_file_writer().add_event(Event(graph_def=graph))

    def _log_model_config(self) -> None:
        """The model's JSON under tag ``keras`` at step 0, as Keras's callback writes it.

        As in Keras, only Sequential and functional models have a config that
        describes their layers; a subclassed model is skipped.
        """
        if type(self.model).__name__ not in ("Sequential", "Functional"):
            return
        try:
            config = self.model.to_json()
        except (TypeError, ValueError, NotImplementedError):
            return
        value = Summary.Value(
            tag="keras",
            tensor=string_tensor([config.encode("utf-8")], shape=()),
            metadata=plugin_metadata(
                KERAS_MODEL_PLUGIN, DataClass.DATA_CLASS_UNKNOWN, content=b"1"
            ),
        )
        self.train_writer._get_file_writer().add_summary(Summary(value=[value]), 0)
