"""PyTorch's ``FileWriter`` API, for code that adds protos directly.

Some libraries reach past ``SummaryWriter``: PyTorch Lightning logs
hyperparameters with ``writer._get_file_writer().add_summary(...)``, passing
``Summary`` protos built by TensorBoard's or PyTorch's helpers. Those protos
are wire-compatible with Heron's, so they are serialised and re-read as
Heron's own messages, then queued like everything else.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from heron.formats.proto.event_pb2 import Event, TaggedRunMetadata
from heron.writer import inputs
from heron.writer.pipeline import Output

if TYPE_CHECKING:
    from heron.writer.base import WriterBase

__all__ = ["FileWriter"]


def _serialized(message: Any, what: str) -> bytes:
    serialize = getattr(message, "SerializeToString", None)
    if serialize is None:
        raise TypeError(f"expected a protobuf {what}, got {type(message).__name__}")
    data: bytes = serialize()
    return data


class FileWriter:
    """Writes protos into the main run of a ``SummaryWriter``; ``_get_file_writer()`` returns it."""

    def __init__(self, writer: WriterBase) -> None:
        self._writer = writer

    def get_logdir(self) -> str:
        return self._writer.get_logdir()

    def add_event(self, event: Any, step: Any = None, walltime: float | None = None) -> None:
        """Queue an ``Event`` proto; like PyTorch, set its wall time (now by default) and step."""
        parsed = Event.FromString(_serialized(event, "Event"))
        parsed.wall_time = time.time() if walltime is None else inputs.wall_time(walltime)
        if step is not None:
            parsed.step = inputs.step(step)

        def write(out: Output) -> None:
            out.event(None, parsed)

        self._writer._submit_action("an event", write)

    def add_summary(
        self, summary: Any, global_step: Any = None, walltime: float | None = None
    ) -> None:
        """Queue a ``Summary`` proto (TensorBoard's, PyTorch's or Heron's) as one Event."""
        event = Event()
        event.summary.ParseFromString(_serialized(summary, "Summary"))
        self.add_event(event, global_step, walltime)

    def add_graph(self, graph_profile: Any, walltime: float | None = None) -> None:
        """Queue a ``(GraphDef, RunMetadata)`` pair, as PyTorch's graph tracing returns it."""
        graph, metadata = graph_profile
        self.add_event(Event(graph_def=_serialized(graph, "GraphDef")), None, walltime)
        tagged = TaggedRunMetadata(tag="step1", run_metadata=_serialized(metadata, "RunMetadata"))
        self.add_event(Event(tagged_run_metadata=tagged), None, walltime)

    def add_onnx_graph(self, graph: Any, walltime: float | None = None) -> None:
        self.add_event(Event(graph_def=_serialized(graph, "GraphDef")), None, walltime)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()

    def reopen(self) -> None:
        """Start a new event file after ``close()``; does nothing on an open writer."""
        self._writer._live()
