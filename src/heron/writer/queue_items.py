"""What travels through a writer's queue besides packed scalars: tasks and flush markers.

These are the terms the caller's side, the concrete tasks (``tasks``, ``model``,
``projector``, ``file_writer``) and the background thread agree on. They live
apart from the thread (``pipeline``) and from the round that runs them
(``item_encoder``) so that a task module depends on the contract alone, not on
how the queue is drained; ``pipeline`` re-exports ``Output`` and ``Task``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import Summary

__all__ = ["Marker", "Output", "Task"]


class Output(Protocol):
    """What a ``Task`` may do, on the background thread; ``run`` is a directory (None: main run)."""

    def summary(
        self, run: str | None, values: Sequence[Summary.Value], step: int, wall_time: float
    ) -> None: ...

    def event(self, run: str | None, event: Event) -> None: ...

    def records(self, run: str | None, data: bytes) -> None: ...

    def asset(self, path: str, data: bytes) -> None: ...

    def end_run(self, run: str) -> None: ...


class Task(Protocol):
    """Work captured on the caller's thread and finished on the background thread.

    ``nbytes`` is the memory it holds (captured arrays), counted against
    ``max_pending_bytes``; ``label`` names it in error messages.
    """

    @property
    def nbytes(self) -> int: ...

    @property
    def label(self) -> str: ...

    def run(self, out: Output) -> None: ...


class Marker:
    """A flush or close request; ``done`` is set once everything before it is written."""

    __slots__ = ("close", "done")

    def __init__(self, *, close: bool) -> None:
        self.close = close
        self.done = threading.Event()
