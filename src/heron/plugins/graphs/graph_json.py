"""A graph as compact JSON for Heron's own graph dashboard, so the browser never parses pbtxt.

TensorBoard's dashboard fetches protobuf text and parses it in JavaScript,
which for a 20,000-node graph costs seconds and megabytes of strings. Heron's
UI asks for this form instead: one entry per node with its op, device,
inputs split into (node, output index, control flag), output shapes from the
``_output_shapes`` attribute when the producer recorded them, and every other
attribute summarised as a short string (a constant's tensor content is never
shipped). When the tag carries a ``RunMetadata`` with step stats, the compute
time and memory of each node come along, for the dashboard's colouring.
"""

from __future__ import annotations

from typing import Any

from heron.core.provider import ReadProvider
from heron.errors import NotFoundError
from heron.formats.proto import types_pb2
from heron.formats.proto.graph_pb2 import AttrValue, NodeDef
from heron.formats.proto.run_metadata_pb2 import RunMetadata
from heron.formats.proto.tensor_shape_pb2 import TensorShapeProto
from heron.plugins.graphs.body_cache import BodyCache, digest
from heron.plugins.graphs.data import (
    decode_graph,
    decode_run_metadata,
    graph_blob,
    run_metadata_blob,
)
from heron.server.encoding import dumps

__all__ = [
    "BODIES",
    "MAX_ATTR_CHARS",
    "graph_json",
    "graph_json_body",
    "parse_input",
    "summarise_attr",
]

#: Longest attribute summary sent; longer ones end with "…".
MAX_ATTR_CHARS = 160
#: Attributes shown elsewhere in the JSON (shapes) or meaningless to a reader.
_HIDDEN_ATTRS = frozenset({"_output_shapes"})
#: At most this many items of a list attribute are spelled out.
_LIST_ITEMS = 8


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ATTR_CHARS else text[: MAX_ATTR_CHARS - 1] + "…"


def _dtype(value: int) -> str:
    try:
        return types_pb2.DataType.Name(value)  # type: ignore[arg-type]
    except ValueError:
        return str(value)


def _shape(shape: TensorShapeProto) -> list[int] | None:
    """Dimensions (``-1`` unknown), or ``None`` for an unknown rank."""
    return None if shape.unknown_rank else [dim.size for dim in shape.dim]


def _shape_text(shape: TensorShapeProto) -> str:
    dims = _shape(shape)
    return "<unknown>" if dims is None else "[" + ",".join(map(str, dims)) + "]"


def _items(values: list[str]) -> str:
    more = f", … ({len(values)} items)" if len(values) > _LIST_ITEMS else ""
    return "[" + ", ".join(values[:_LIST_ITEMS]) + more + "]"


def _bytes_text(data: bytes) -> str:
    return data[: MAX_ATTR_CHARS * 4].decode("utf-8", errors="replace")


def _list_text(value: AttrValue.ListValue) -> str:
    parts: list[str] = []
    parts += [repr(_bytes_text(item)) for item in value.s]
    parts += [str(item) for item in value.i]
    parts += [f"{item:g}" for item in value.f]
    parts += ["true" if item else "false" for item in value.b]
    parts += [_dtype(item) for item in value.type]
    parts += [_shape_text(item) for item in value.shape]
    parts += [f"{_dtype(item.dtype)} tensor" for item in value.tensor]
    parts += [item.name for item in value.func]
    return _items(parts)


def summarise_attr(value: AttrValue) -> str:
    """A short human-readable form of one attribute (tensor contents are never spelled out)."""
    kind = value.WhichOneof("value")
    text: str
    if kind == "s":
        text = _bytes_text(value.s)
    elif kind == "i":
        text = str(value.i)
    elif kind == "f":
        text = f"{value.f:g}"
    elif kind == "b":
        text = "true" if value.b else "false"
    elif kind == "type":
        text = _dtype(value.type)
    elif kind == "shape":
        text = _shape_text(value.shape)
    elif kind == "tensor":
        text = f"{_dtype(value.tensor.dtype)} tensor {_shape_text(value.tensor.tensor_shape)}"
    elif kind == "func":
        text = value.func.name
    elif kind == "placeholder":
        text = f"${value.placeholder}"
    elif kind == "list":
        text = _list_text(value.list)
    else:
        text = ""
    return _clip(text)


def parse_input(text: str) -> dict[str, Any]:
    """``"^a"`` → control input from ``a``; ``"a:2"`` → output 2 of ``a``; ``"a"`` → output 0."""
    if ":" not in text and not text.startswith("^"):
        return {"name": text, "output": 0, "control": False}  # Most inputs: no parsing to do.
    control = text.startswith("^")
    name = text[1:] if control else text
    output = 0
    head, colon, tail = name.rpartition(":")
    if colon and head and tail.isdigit():
        name, output = head, int(tail)
    return {"name": name, "output": output, "control": control}


def _node_json(node: NodeDef) -> dict[str, Any]:
    # Hidden attrs are skipped before summarising: ``_output_shapes`` is most of the work.
    attr = node.attr
    keys = sorted(key for key in attr if key not in _HIDDEN_ATTRS)
    attrs = {key: summarise_attr(attr[key]) for key in keys}
    op = node.op or attrs.get("keras_class", "")
    shapes: list[list[int] | None] | None = None
    if "_output_shapes" in attr:
        shapes = [_shape(shape) for shape in attr["_output_shapes"].list.shape]
    return {
        "name": node.name,
        "op": op,
        "device": node.device,
        "attrs": attrs,
        "inputs": [parse_input(text) for text in node.input],
        "shapes": shapes,
    }


def _stats_json(metadata: RunMetadata) -> dict[str, dict[str, int]] | None:
    """Per node: compute time (µs, summed over devices) and memory (bytes, summed allocators)."""
    stats: dict[str, dict[str, int]] = {}
    for device in metadata.step_stats.dev_stats:
        for node in device.node_stats:
            entry = stats.setdefault(node.node_name, {"compute_micros": 0, "memory_bytes": 0})
            micros = node.all_end_rel_micros or node.op_end_rel_micros
            if not micros and node.all_end_rel_nanos:
                micros = node.all_end_rel_nanos // 1000
            entry["compute_micros"] += int(micros)
            entry["memory_bytes"] += sum(int(used.total_bytes) for used in node.memory)
    return stats or None


#: Encoded answers of ``graph_json_body``, shared by every app in the process (keyed by content).
BODIES = BodyCache()


def _sources(
    provider: ReadProvider, run: str, tag: str | None, conceptual: bool
) -> tuple[bytes, str, bytes | None]:
    """(graph bytes, kind, profile RunMetadata bytes or None), as stored."""
    if conceptual or tag is None:
        kind = "conceptual" if conceptual else "run"
        return graph_blob(provider, run, tag, conceptual=conceptual), kind, None
    try:
        metadata: bytes | None = run_metadata_blob(provider, run, tag)
    except NotFoundError:
        metadata = None
    try:
        return graph_blob(provider, run, tag), "op", metadata
    except NotFoundError:
        if metadata is None:
            raise
    # A profile-only tag (PyTorch's "step1", TF1's tagged_run_metadata) colours the run graph.
    return graph_blob(provider, run), "run", metadata


def _build(
    run: str, tag: str | None, kind: str, data: bytes, metadata: bytes | None
) -> dict[str, Any]:
    graph = decode_graph(data, op_graph=kind == "op", conceptual=kind == "conceptual")
    return {
        "run": run,
        "tag": tag,
        "kind": kind,
        "nodes": [_node_json(node) for node in graph.node],
        "stats": None if metadata is None else _stats_json(decode_run_metadata(metadata)),
    }


def graph_json(
    provider: ReadProvider, run: str, tag: str | None = None, *, conceptual: bool = False
) -> dict[str, Any]:
    """``{"run", "tag", "kind", "nodes": [...], "stats": {node: {...}} | None}``.

    ``kind`` is ``"run"`` (the run's graph), ``"op"`` (the tag's traced op
    graph) or ``"conceptual"`` (the tag's Keras model). A tag that only holds
    a profile answers with the run graph and that profile's ``stats``. Each node
    is ``{"name", "op", "device", "attrs": {key: summary}, "inputs": [{"name",
    "output", "control"}], "shapes": [[dim, ...] | None, ...] | None}``.
    ``NotFoundError`` for an unknown run or tag, ``InvalidArgumentError`` for an
    undecodable graph.
    """
    data, kind, metadata = _sources(provider, run, tag, conceptual)
    return _build(run, tag, kind, data, metadata)


def graph_json_body(
    provider: ReadProvider,
    run: str,
    tag: str | None = None,
    *,
    conceptual: bool = False,
    cache: BodyCache = BODIES,
) -> bytes:
    """``graph_json`` encoded as JSON bytes, from ``cache`` when built from the same bytes.

    The key holds a digest of the stored graph and profile bytes, so a graph
    rewritten or logged again at a newer step is never answered from an old body.
    """
    data, kind, metadata = _sources(provider, run, tag, conceptual)
    key = (run, tag, conceptual, kind, digest([data, metadata]))
    # Names, ints and strings only: no float to sanitise, and the walk would cost on big graphs.
    return cache.get(key, lambda: dumps(_build(run, tag, kind, data, metadata)))
