"""The writer's background thread: a bounded queue in, framed records in event files out.

The caller's side (any thread) only appends to a ``deque``, which is
thread-safe without a lock: ``add_scalar`` appends 32 packed bytes (see
``scalar_records.ITEM``; a tuple when the value is a deferred device scalar),
every other call appends a ``Task`` whose
expensive part (PNG/GIF/WAV encoding, histogram bucketing, protobuf
serialisation) runs here, on the background thread. Serialisation, CRCs and
file I/O never happen on the caller's thread.

Flush cadence keeps PyTorch's meaning: what is queued reaches the operating
system once ``max_queue`` items wait, ``flush_secs`` after the previous write
at the latest, and on ``flush()`` / ``close()``.

With ``thread_on_demand`` (for owners that flush on their own schedule, like the
Keras callback), the thread starts only when ``max_queue`` items wait or the
queue is full; until then ``flush()`` and ``close()`` write on the caller's
thread and nothing is written on a timer. A short-lived writer then never
starts a thread: starting one waits for the OS to schedule it, which on a
machine busy with a training step costs a millisecond or more, twice per fit.

The queue is bounded: when ``max_pending`` items (or ``max_pending_bytes`` of
captured arrays) wait, the calling thread waits for room. Nothing is ever
dropped. A failed write is kept (see ``event_files``) and raised by the next
call on the caller's side; ``flush()`` retries it.

This module is the threading: the queue, waking and starting the thread,
waiting for room, flush/close handshakes, errors handed back to callers. What
one round does to the items it takes is ``item_encoder``; the queue's item
types (``Task``, ``Output``, the flush ``Marker``) are ``queue_items``.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from heron.writer.errors import WriterError
from heron.writer.item_encoder import ItemEncoder
from heron.writer.queue_items import Marker, Output, Task
from heron.writer.run_files import RunFiles
from heron.writer.scalar_records import scalar_head

__all__ = ["Output", "Pipeline", "PipelineConfig", "Task"]

#: Items taken off the queue per encode-and-write round.
_CHUNK: Final = 8192
#: How often a waiting caller re-checks that the background thread is alive.
_POLL_SECS: Final = 0.1


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """How one ``SummaryWriter`` writes; see ``SummaryWriter`` for each knob's meaning."""

    log_dir: str
    filename_suffix: str = ""
    max_queue: int = 10
    flush_secs: float = 120.0
    max_pending: int = 100_000
    max_pending_bytes: int = 256 << 20
    thread_on_demand: bool = False


_live: weakref.WeakSet[Pipeline] = weakref.WeakSet()


def _abandon_all_after_fork() -> None:
    for pipeline in list(_live):
        pipeline.abandon()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_abandon_all_after_fork)


class Pipeline:
    """One background thread writing the event files of one ``SummaryWriter``.

    The main run's file is created on construction (errors raise right away);
    sub-run files (``add_scalars``, ``add_hparams``) are created when first used.
    """

    def __init__(self, config: PipelineConfig, *, leading: Sequence[bytes] = ()) -> None:
        self.config = config
        self.queue: deque[object] = deque()
        #: ``add_scalar``'s fast path reads these two without locks.
        self.wake_at = self._armed_wake_at()
        self.fast_tags: dict[str, int] = {}
        self.heads: list[bytes] = []
        self._tag_index: dict[str, int] = {}
        self.error: BaseException | None = None
        self.closed = False
        self._sticky = False
        #: A sticky error was raised to a caller at least once: flush() may now retry.
        self._reported = False
        self._tag_lock = threading.Lock()
        self._close_lock = threading.Lock()
        self._wake = threading.Event()
        self._room = threading.Condition(threading.Lock())
        self._pending_bytes = 0
        self._files = RunFiles(
            config.log_dir,
            filename_suffix=config.filename_suffix,
            leading=leading,
            on_error=lambda error: self._fail(error, sticky=True),
        )
        self.path = self._files.path
        self._encoder = ItemEncoder(self._files, self.heads, tag_of=self._tag, fail=self._fail)
        self._thread = threading.Thread(
            target=self._run, name=f"heron-writer:{os.path.basename(config.log_dir)}", daemon=True
        )
        #: Held to start the thread, and by an inline drain (no thread yet): one consumer.
        self._thread_lock = threading.Lock()
        self._thread_started = False
        if not config.thread_on_demand:
            self._start_thread()
        _live.add(self)

    def _start_thread(self) -> None:
        with self._thread_lock:
            if not self._thread_started:
                self._thread_started = True
                self._thread.start()

    def _signal(self) -> None:
        """Wake the background thread, starting it first if it was left for on demand."""
        if not self._thread_started:
            self._start_thread()
        self._wake.set()

    # ---- the caller's side -------------------------------------------------------------

    def tag_id(self, tag: str) -> int:
        """The index of ``tag``'s scalar head, registering it (and validating the tag) once."""
        with self._tag_lock:
            index = self._tag_index.get(tag)
            if index is None:
                self.heads.append(scalar_head(tag))
                index = self._tag_index[tag] = len(self.heads) - 1
            if self.error is None and not self.closed:
                self.fast_tags[tag] = index
            return index

    def check(self) -> None:
        """Raise what the background thread could not do, if anything."""
        error = self.error
        if error is None:
            return
        with self._tag_lock:
            cleared = self.error is error and not self._sticky
            if cleared:
                self.error = None
            elif self.error is error:
                self._reported = True
        if cleared:
            self._rearm()
        raise error

    def put_scalar(self, item: bytes | tuple[int, object, int, float]) -> None:
        self.check()
        queue = self.queue
        queue.append(item)
        if len(queue) >= self.wake_at:
            self.backlog()

    def put_task(self, task: Task) -> None:
        self.check()
        size = task.nbytes
        if size:
            with self._room:
                while (
                    self._pending_bytes
                    and self._pending_bytes + size > self.config.max_pending_bytes
                ):
                    self._signal()
                    if not self._alive():
                        break
                    self._room.wait(_POLL_SECS)
                self._pending_bytes += size
        self.queue.append(task)
        if not self.config.thread_on_demand or len(self.queue) >= self.wake_at:
            self.backlog()

    def backlog(self) -> None:
        """A producer saw the queue reach ``wake_at``: wake the thread, wait for room if full."""
        if self.closed:
            raise RuntimeError(
                "the writer was closed by another thread during this call; "
                "the summary was not written"
            )
        self.wake_at = self.config.max_pending  # wake once, not on every call
        self._signal()
        if len(self.queue) >= self.config.max_pending:
            with self._room:
                while len(self.queue) >= self.config.max_pending and self._alive():
                    self._wake.set()
                    self._room.wait(_POLL_SECS)
        self.check()

    def flush(self) -> None:
        """Return once everything queued before the call is in the kernel, or raise why not.

        After a failed write, this is the retry: kept bytes are written again
        (into a new file if the old one was deleted) and, if that works, the
        writer is usable again.
        """
        self._request(Marker(close=False))
        self.check()

    def close(self) -> None:
        """Write everything, stop the thread, close the files; raise a failure that is left."""
        with self._close_lock:
            if self.closed:
                return
            marker = Marker(close=True)
            if threading.current_thread() is self._thread:
                # A finalizer that ran on this very thread: let the loop finish the job.
                self.queue.append(marker)
                return
            self._request(marker)
            if self._thread_started:
                self._thread.join()
            self.closed = True
            self.fast_tags.clear()  # the writer's fast path now goes through _live(): a new file
            self.wake_at = 0  # stragglers from other threads land in backlog(), which raises
            _live.discard(self)
        error = self.error
        if error is not None:
            self.error = None
            raise error

    def abandon(self) -> None:
        """Drop everything without writing: this is a forked child; the parent owns the data."""
        self.closed = True
        self.wake_at = 0
        self.queue = deque()
        self.fast_tags = {}
        self._files.abandon()

    def _request(self, marker: Marker) -> None:
        self.queue.append(marker)
        if not self._thread_started:
            with self._thread_lock:
                if not self._thread_started:  # no thread to hand this to: do it here
                    self._drain()
                    return
        self._wake.set()
        while not marker.done.wait(_POLL_SECS):
            if not self._alive():
                break

    def _alive(self) -> bool:
        return self._thread.is_alive()

    def _rearm(self) -> None:
        """Let ``add_scalar`` take its fast path again (it is closed while an error waits)."""
        with self._tag_lock:
            if self.error is None and not self.closed:
                self.fast_tags.update(self._tag_index)

    # ---- the background thread ---------------------------------------------------------

    def _armed_wake_at(self) -> int:
        """Queue length at which a producer wakes the thread; with ``flush_secs=0``, every item."""
        if self.config.flush_secs <= 0:
            return 1
        return max(1, min(self.config.max_queue, self.config.max_pending))

    def _run(self) -> None:
        period = self.config.flush_secs
        try:
            deadline = time.monotonic() + period
            while True:
                if period > 0:
                    timeout = deadline - time.monotonic()
                    if timeout > 0:
                        self._wake.wait(timeout)
                else:
                    self._wake.wait()
                self._wake.clear()
                self.wake_at = self._armed_wake_at()
                if self._drain():
                    return
                deadline = time.monotonic() + period
        except BaseException as error:  # a bug in Heron: keep it for the caller
            self._fail(error, sticky=True)
            raise
        finally:
            with self._room:
                self._room.notify_all()

    def _drain(self) -> bool:
        """Encode and write everything queued; True once a close request was handled."""
        queue = self.queue
        popleft = queue.popleft
        stop = False
        while queue:
            items = [popleft() for _ in range(min(len(queue), _CHUNK))]
            markers: list[Marker] = []
            freed = self._encoder.encode(items, markers)
            self._files.write_out()
            for marker in markers:
                # Retry a failure the caller has heard of (a new one is raised first), or at close.
                if self._sticky and (self._reported or marker.close):
                    self._retry()
                if marker.close:
                    self._files.close()
                    stop = True
                marker.done.set()
            with self._room:
                self._pending_bytes -= freed
                self._room.notify_all()
        return stop

    def _tag(self, index: int) -> str:
        return next((tag for tag, i in self._tag_index.items() if i == index), "?")

    def _retry(self) -> None:
        try:
            self._files.retry()
        except WriterError as error:  # the retry's own failure says more than the first one
            self._fail(error, sticky=True, replace=True)
            return
        with self._tag_lock:
            self.error = None
            self._sticky = False
        self._rearm()

    def _fail(self, error: BaseException, *, sticky: bool, replace: bool = False) -> None:
        with self._tag_lock:
            if self.error is None or (sticky and not self._sticky) or replace:
                self.error = error
                self._sticky = sticky
                self._reported = False
            self.fast_tags.clear()  # send add_scalar to its slow path, which raises
