"""An ONNX model file → a ``GraphDef``, as PyTorch's ``add_onnx_graph`` builds it.

The model's inputs and outputs become ``Variable`` nodes with ``dtype`` (the
ONNX element type number) and ``shape`` attributes; each ONNX node becomes a
node named after its first output, its op type as the op and its attributes,
as ``name = value`` text, in ``parameters``. Needs the ``onnx`` package.
"""

from __future__ import annotations

import importlib
import itertools
import os
from typing import Any

from heron.formats.proto.graph_pb2 import AttrValue, GraphDef, NodeDef, VersionDef
from heron.formats.proto.tensor_shape_pb2 import TensorShapeProto
from heron.formats.summaries.graphs import GRAPH_PRODUCER

__all__ = ["onnx_graph"]


def onnx_graph(path: str | os.PathLike[str]) -> GraphDef:
    try:
        onnx: Any = importlib.import_module("onnx")
    except ImportError as error:
        raise ImportError("add_onnx_graph needs the onnx package: pip install onnx") from error
    return graph_from_onnx(onnx.load(os.fspath(path)).graph)


def graph_from_onnx(graph: Any) -> GraphDef:
    """The GraphDef of an ``onnx.GraphProto``."""
    result = GraphDef(versions=VersionDef(producer=GRAPH_PRODUCER))
    for value in itertools.chain(graph.input, graph.output):
        tensor_type = value.type.tensor_type
        shape = TensorShapeProto(
            dim=[TensorShapeProto.Dim(size=dim.dim_value) for dim in tensor_type.shape.dim]
        )
        node = NodeDef(name=value.name, op="Variable")
        node.attr["dtype"].CopyFrom(AttrValue(type=tensor_type.elem_type))
        node.attr["shape"].CopyFrom(AttrValue(shape=shape))
        result.node.append(node)
    for onnx_node in graph.node:
        parameters = ", ".join(
            " = ".join(str(field[1]) for field in attribute.ListFields())
            for attribute in onnx_node.attribute
        )
        node = NodeDef(name=onnx_node.output[0], op=onnx_node.op_type, input=list(onnx_node.input))
        node.attr["parameters"].CopyFrom(AttrValue(s=parameters.encode("utf-8")))
        result.node.append(node)
    return result
