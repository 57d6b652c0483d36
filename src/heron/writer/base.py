"""The writer's lifecycle and its scalar calls: the part of ``SummaryWriter`` every script uses.

``SummaryWriter`` is this class plus, one module per family of calls,
``media.py`` (images, figures, video, audio), ``model.py`` (graphs,
embeddings, hparams), ``charts.py`` (PR curves, custom scalars, meshes) and
``summary_writer.py`` (histograms, text, tensors, HTML, tables).
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, ClassVar, Final, Self

from heron.formats.proto.event_pb2 import Event, SessionLog
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.histograms import tensorflow_bins
from heron.formats.summaries.scalars import scalar as scalar_value
from heron.formats.tfrecord import encode_record
from heron.writer import inputs
from heron.writer.file_writer import FileWriter
from heron.writer.pipeline import Output, Pipeline, PipelineConfig
from heron.writer.scalar_records import ITEM, encode_scalar_records, scalar_head
from heron.writer.tasks import ActionTask, SummaryTask

__all__ = ["WriterBase"]

_now: Final = time.time
_pack: Final = ITEM.pack

_writers: weakref.WeakSet[WriterBase] = weakref.WeakSet()


def _reset_all_after_fork() -> None:
    for writer in list(_writers):
        writer._reset_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_all_after_fork)


class _Holder:
    """The current pipeline, reachable by the finalizer without keeping the writer alive."""

    __slots__ = ("pipe",)

    def __init__(self) -> None:
        self.pipe: Pipeline | None = None

    def close(self) -> None:
        pipe, self.pipe = self.pipe, None
        if pipe is not None:
            pipe.close()


def default_log_dir(comment: str = "") -> str:
    """``runs/<Mon DD_HH-MM-SS>_<hostname><comment>``, PyTorch's default."""
    stamp = datetime.now().strftime("%b%d_%H-%M-%S")
    return os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")


class WriterBase:
    """Construction, flushing and closing, ``add_scalar`` and ``add_scalars``.

    See ``SummaryWriter`` for the user-facing documentation.
    """

    #: Start the background thread only when needed (see ``pipeline``); for subclasses
    #: whose owner flushes on its own schedule.
    _thread_on_demand: ClassVar[bool] = False

    def __init__(
        self,
        log_dir: str | os.PathLike[str] | None = None,
        comment: str = "",
        purge_step: int | None = None,
        max_queue: int = 10,
        flush_secs: float = 120,
        filename_suffix: str = "",
        *,
        max_pending: int = 100_000,
        max_pending_bytes: int = 256 << 20,
    ) -> None:
        if max_pending < 1:
            raise ValueError(f"max_pending must be at least 1, got {max_pending}")
        if flush_secs < 0:
            raise ValueError(f"flush_secs must be >= 0, got {flush_secs}")
        self.log_dir = os.fspath(log_dir) if log_dir else default_log_dir(comment)
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix
        self._config = PipelineConfig(
            log_dir=self.log_dir,
            filename_suffix=filename_suffix,
            max_queue=max(1, int(max_queue)),
            flush_secs=float(flush_secs),
            max_pending=max(int(max_pending), 1),
            max_pending_bytes=max_pending_bytes,
            thread_on_demand=self._thread_on_demand,
        )
        self._open_lock = threading.Lock()
        #: Guards what some calls accumulate (the custom-scalars layout, the projector config).
        self._state_lock = threading.Lock()
        self._holder = _Holder()
        self._pipe: Pipeline | None = None
        #: The pipeline's tag → head index map: ``add_scalar``'s fast path. Emptied to
        #: send every call to the slow path (closed writer, pending error, forked child).
        self._fast_tags: dict[str, int] = {}
        self._open()
        # Everything queued is written when the writer is garbage-collected, and at exit.
        weakref.finalize(self, self._holder.close)
        _writers.add(self)

    # ---- lifecycle ---------------------------------------------------------------------

    def _open(self) -> Pipeline:
        """Start a pipeline (a new event file): on construction, and on use after ``close()``."""
        with self._open_lock:
            if self._pipe is not None and not self._pipe.closed:
                return self._pipe
            leading: list[bytes] = []
            if self.purge_step is not None:
                # Tell readers to drop what an earlier, crashed attempt logged from this step on.
                step = inputs.step(self.purge_step)
                leading.append(_record(Event(step=step, file_version="brain.Event:2")))
                leading.append(
                    _record(Event(step=step, session_log=SessionLog(status=SessionLog.START)))
                )
                self.purge_step = None
            pipe = Pipeline(self._config, leading=leading)
            self._holder.pipe = pipe
            self._pipe = pipe
            self._fast_tags = pipe.fast_tags
            return pipe

    def _live(self) -> Pipeline:
        """The open pipeline (reopened after ``close()``), after raising any pending failure."""
        pipe = self._pipe
        if pipe is None or pipe.closed:  # closed by close(), or by the exit-time finalizer
            pipe = self._open()
        pipe.check()
        if self._fast_tags is not pipe.fast_tags:
            self._fast_tags = pipe.fast_tags
        return pipe

    def _reset_after_fork(self) -> None:
        """In a forked child: forget the parent's pipeline; the next call opens a new file."""
        self._open_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._holder.pipe = None
        self._pipe = None
        self._fast_tags = {}

    def get_logdir(self) -> str:
        """The directory event files are written to."""
        return self.log_dir

    @property
    def default_bins(self) -> list[float]:
        """TensorFlow's default histogram bucket edges, as PyTorch's writer exposes them."""
        return tensorflow_bins()

    @property
    def event_file(self) -> str | None:
        """The path of the main run's current event file (None when closed)."""
        pipe = self._pipe
        return None if pipe is None else pipe.path

    def flush(self) -> None:
        """Return once everything logged so far is written; raise a pending write failure."""
        pipe = self._pipe
        if pipe is not None:
            pipe.flush()

    def close(self) -> None:
        """Write everything and close the files. Logging again afterwards starts a new file."""
        pipe = self._pipe
        if pipe is None:
            return
        self._fast_tags = {}
        self._holder.pipe = None
        try:
            pipe.close()
        finally:
            self._pipe = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _get_file_writer(self) -> FileWriter:
        """PyTorch's FileWriter API, for code that adds ``Summary`` / ``Event`` protos directly."""
        return FileWriter(self)

    @property
    def file_writer(self) -> FileWriter | None:
        """As PyTorch's attribute: the file writer of the main run, None when closed."""
        return None if self._pipe is None else FileWriter(self)

    # ---- submitting work ---------------------------------------------------------------

    def _submit(
        self,
        label: str,
        build: Callable[[], Sequence[Summary.Value]],
        *,
        global_step: object,
        walltime: object,
        run_dir: str | None = None,
        nbytes: int = 0,
    ) -> None:
        """Queue ``build`` (run on the background thread) as one Event of a run."""
        step = inputs.step(global_step)
        wall = _now() if walltime is None else inputs.wall_time(walltime)
        self._live().put_task(SummaryTask(label, build, step, wall, run_dir, nbytes))

    def _submit_action(self, label: str, action: Callable[[Output], None], nbytes: int = 0) -> None:
        self._live().put_task(ActionTask(label, action, nbytes))

    # ---- scalars -----------------------------------------------------------------------

    def add_scalar(
        self,
        tag: str,
        scalar_value: Any,
        global_step: Any = None,
        walltime: float | None = None,
        new_style: bool = False,
        double_precision: bool = False,
    ) -> None:
        """Log one number. The hot path: a dict lookup, a clock read and a queue append."""
        index = self._fast_tags.get(tag)
        if (
            index is None
            or new_style
            or walltime is not None
            or (type(scalar_value) is not float and type(scalar_value) is not int)
        ):
            self._add_scalar_slow(
                tag, scalar_value, global_step, walltime, new_style, double_precision
            )
            return
        try:
            item = _pack(index, scalar_value, 0 if global_step is None else global_step, _now())
        except (struct.error, OverflowError):  # a step that is not an int64, a huge int value
            self._add_scalar_slow(tag, scalar_value, global_step, walltime, False, False)
            return
        pipe: Pipeline = self._pipe  # type: ignore[assignment]
        queue = pipe.queue
        queue.append(item)
        if len(queue) >= pipe.wake_at:
            pipe.backlog()

    def _add_scalar_slow(
        self,
        tag: str,
        value: Any,
        global_step: Any,
        walltime: float | None,
        new_style: bool,
        double_precision: bool,
    ) -> None:
        number = inputs.scalar(value)
        step = inputs.step(global_step)
        wall = _now() if walltime is None else inputs.wall_time(walltime)
        pipe = self._live()
        if new_style:
            if not isinstance(tag, str):
                raise TypeError(f"tag must be a str, got {type(tag).__name__}")

            def build() -> list[Summary.Value]:
                return [scalar_value(tag, float(number), double_precision=double_precision)]

            pipe.put_task(SummaryTask(f"scalar {tag!r}", build, step, wall))
            return
        index = pipe.tag_id(tag)
        if type(number) is float:
            pipe.put_scalar(_pack(index, number, step, wall))
        else:  # a deferred device scalar, read on the background thread
            pipe.put_scalar((index, number, step, wall))

    def add_scalars(
        self,
        main_tag: str,
        tag_scalar_dict: Mapping[str, Any],
        global_step: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Log several numbers as one chart: each key is a sub-run ``<log_dir>/<main_tag>_<key>``.

        As in PyTorch, ``/`` in ``main_tag`` becomes ``_`` in the sub-run's name,
        and every sub-run gets one series named ``main_tag``.
        """
        head = scalar_head(main_tag)
        step = inputs.step(global_step)
        wall = _now() if walltime is None else inputs.wall_time(walltime)
        prefix = f"{self.log_dir}/{main_tag.replace('/', '_')}_"
        points = [
            (prefix + str(key), inputs.scalar(value)) for key, value in tag_scalar_dict.items()
        ]

        def write(out: Output) -> None:
            for run_dir, number in points:
                packed = _pack(0, float(number), step, wall)
                out.records(run_dir, encode_scalar_records([head], packed))

        self._submit_action(f"scalars {main_tag!r}", write)


def _record(event: Event) -> bytes:
    return encode_record(event.SerializeToString())
