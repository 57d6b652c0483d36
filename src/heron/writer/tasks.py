"""The two kinds of work the caller's thread hands to the background thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from heron.formats.proto.summary_pb2 import Summary
from heron.writer.pipeline import Output

__all__ = ["ActionTask", "SummaryTask"]


@dataclass(frozen=True, slots=True)
class SummaryTask:
    """Summary values built by ``build`` on the background thread, written as one Event.

    ``build`` closes over data already captured (copied and validated) on the
    caller's thread; it only encodes.
    """

    label: str
    build: Callable[[], Sequence[Summary.Value]]
    step: int
    wall_time: float
    run_dir: str | None = None
    nbytes: int = 0

    def run(self, out: Output) -> None:
        out.summary(self.run_dir, self.build(), self.step, self.wall_time)


@dataclass(frozen=True, slots=True)
class ActionTask:
    """Anything else (several events, sub-runs, asset files): ``action`` gets the output."""

    label: str
    action: Callable[[Output], None]
    nbytes: int = 0

    def run(self, out: Output) -> None:
        self.action(out)
