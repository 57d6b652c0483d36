"""Op graphs: a ``GraphDef`` from plain node descriptions, and the events that carry it.

TensorBoard's graph dashboard reads a run's graph from ``Event.graph_def``
(shown under the synthetic tag ``__run_graph__``) and per-step metadata from
``Event.tagged_run_metadata``. Node names are ``/``-separated scopes, which
the dashboard folds into expandable groups; ``_output_shapes`` labels edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from heron.formats.proto.event_pb2 import Event, TaggedRunMetadata
from heron.formats.proto.graph_pb2 import AttrValue, GraphDef, NodeDef, VersionDef
from heron.formats.proto.run_metadata_pb2 import DeviceStepStats, RunMetadata, StepStats
from heron.formats.proto.tensor_shape_pb2 import TensorShapeProto

__all__ = ["GRAPH_PRODUCER", "NodeSpec", "graph_def", "graph_events"]

#: The GraphDef producer version PyTorch's writer stamps (TensorBoard only needs one).
GRAPH_PRODUCER = 22


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """One node: its scoped name, op, input node names, an ``attr`` string and its output shape."""

    name: str
    op: str
    inputs: Sequence[str] = ()
    attr: str | None = None
    output_shapes: Sequence[Sequence[int]] = field(default_factory=tuple)


def graph_def(nodes: Sequence[NodeSpec]) -> GraphDef:
    graph = GraphDef(versions=VersionDef(producer=GRAPH_PRODUCER))
    for spec in nodes:
        node = NodeDef(name=spec.name, op=spec.op, input=list(spec.inputs))
        if spec.attr is not None:
            node.attr["attr"].CopyFrom(AttrValue(s=spec.attr.encode("utf-8")))
        if spec.output_shapes:
            shapes = [
                TensorShapeProto(dim=[TensorShapeProto.Dim(size=size) for size in shape])
                for shape in spec.output_shapes
            ]
            node.attr["_output_shapes"].CopyFrom(AttrValue(list=AttrValue.ListValue(shape=shapes)))
        graph.node.append(node)
    return graph


def graph_events(
    graph: GraphDef, *, wall_time: float, device: str = "/device:CPU:0", tag: str = "step1"
) -> list[Event]:
    """The run-graph event and a run-metadata event naming the device, as PyTorch writes them."""
    metadata = RunMetadata(step_stats=StepStats(dev_stats=[DeviceStepStats(device=device)]))
    return [
        Event(wall_time=wall_time, graph_def=graph.SerializeToString()),
        Event(
            wall_time=wall_time,
            tagged_run_metadata=TaggedRunMetadata(
                tag=tag, run_metadata=metadata.SerializeToString()
            ),
        ),
    ]
