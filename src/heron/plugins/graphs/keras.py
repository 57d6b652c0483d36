"""A Keras model's JSON (``model.to_json()``) as a GraphDef of layers: the conceptual graph.

The Keras ``TensorBoard`` callback logs the model config under plugin
``graph_keras_model``; the dashboard draws it as a graph with one node per
layer. Nested models become name scopes (``outer/inner/dense``), so the
dashboard folds them. Edges come from each layer's ``inbound_nodes`` (Keras 3:
``{"args": [{"config": {"keras_history": [layer, node, tensor]}}]}``) in a
functional model, and from layer order in a ``Sequential`` one. This follows
TensorBoard's ``keras_util`` so that both dashboards draw the same graph; a
malformed config is a bad request, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from heron.errors import InvalidArgumentError
from heron.formats.proto import types_pb2
from heron.formats.proto.graph_pb2 import GraphDef, NodeDef

__all__ = ["keras_model_to_graph_def"]

#: Keras dtype names → TensorFlow DataType names (TensorBoard's ``as_dtype`` table).
_DTYPE_ALIASES = {
    "float16": "DT_HALF",
    "half": "DT_HALF",
    "float32": "DT_FLOAT",
    "float": "DT_FLOAT",
    "float64": "DT_DOUBLE",
    "double": "DT_DOUBLE",
}
_DTYPE_NAMES = frozenset({
    "int32", "uint8", "uint16", "uint32", "uint64", "int16", "int8", "string", "complex64",
    "complex128", "int64", "bool", "qint8", "quint8", "qint16", "quint16", "qint32", "bfloat16",
    "resource", "variant",
})  # fmt: skip


def _data_type(name: str) -> types_pb2.DataType.ValueType | None:
    """The DataType enum value of a Keras dtype name (``None`` if TensorBoard knows none)."""
    base, ref = (name[:-4], "_REF") if name.endswith("_ref") else (name, "")
    if base in _DTYPE_ALIASES:
        enum_name = _DTYPE_ALIASES[base]
    elif base in _DTYPE_NAMES:
        enum_name = "DT_" + base.upper()
    else:
        return None
    return types_pb2.DataType.Value(enum_name + ref)


def _config(layer: Any) -> dict[str, Any]:
    if not isinstance(layer, dict) or not isinstance(layer.get("config"), dict):
        raise InvalidArgumentError("not a Keras model config: a layer has no config object")
    config: dict[str, Any] = layer["config"]
    return config


def _scoped(scope: str, name: str) -> str:
    return f"{scope}/{name}" if scope else name


def _walk(layer: Any, scope: str = "") -> Iterator[tuple[str, Any]]:
    """Every layer in preorder, with the name scope of the model holding it."""
    yield scope, layer
    config = _config(layer)
    if config.get("layers"):
        inner = _scoped(scope, str(config.get("name")))
        for sublayer in config["layers"]:
            yield from _walk(sublayer, inner)


def _inbound(layer: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(layer name, node index, tensor index) of each input of ``layer`` (Keras 3 format).

    Keras 2 configs list inbound nodes as plain lists, which TensorBoard skips
    too: such layers get no input edges.
    """
    found: list[tuple[str, int, int]] = []
    for node in layer.get("inbound_nodes") or []:
        if not isinstance(node, dict):
            continue
        for arg in node.get("args", []):
            for item in arg if isinstance(arg, list) else [arg]:
                config = item.get("config", {}) if isinstance(item, dict) else {}
                history = config.get("keras_history", []) if isinstance(config, dict) else []
                if isinstance(history, list) and len(history) >= 3:
                    name, node_index, tensor_index = history[:3]
                    if isinstance(node_index, int) and isinstance(tensor_index, int):
                        found.append((str(name), node_index, tensor_index))
    return found


def _as_layer_list(value: Any) -> list[Any]:
    """``output_layers`` is ``[name, i, j]`` for one output, a list of those for several."""
    if not isinstance(value, list):
        raise InvalidArgumentError("not a Keras model config: input or output layers not a list")
    return value if value and isinstance(value[0], list) else [value]


@dataclass
class _Links:
    """What nested models contribute to the edges of the layers after them."""

    #: A nested model's input layer → the outer node feeding it.
    input_source: dict[str, str] = field(default_factory=dict)
    #: A nested model's node name → its output layers' node names.
    model_outputs: dict[str, list[str]] = field(default_factory=dict)
    #: The node before the next one in a Sequential layout.
    previous: str | None = None


def _enter_model(scope: str, model: dict[str, Any], links: _Links) -> None:
    config = _config(model)
    name = _scoped(scope, str(config.get("name")))
    input_layers = config.get("input_layers")
    output_layers = config.get("output_layers")
    inbound = _inbound(model)
    functional = bool(input_layers and output_layers)
    if inbound and functional:
        # Layer names are str()-ed: a malformed config may hold anything there.
        for input_layer, source in zip(_as_layer_list(input_layers), inbound, strict=False):
            input_name = input_layer[0] if isinstance(input_layer, list) else input_layer
            links.input_source[_scoped(name, str(input_name))] = _scoped(scope, source[0])
    elif inbound:
        # A Sequential model inside a functional one: its first layer takes the model's input.
        links.previous = _scoped(scope, inbound[0][0])
    elif links.previous and functional:
        first = _as_layer_list(input_layers)[0]
        first_name = first[0] if isinstance(first, list) else first
        links.input_source[_scoped(name, str(first_name))] = links.previous
    if functional:
        outputs = _as_layer_list(output_layers)
        links.model_outputs[name] = [_scoped(name, str(layer[0])) for layer in outputs]
    else:
        last = _config(config["layers"][-1]).get("name")
        links.model_outputs[name] = [_scoped(name, str(last))]


def _set_dtype(node: NodeDef, dtype_or_policy: Any) -> None:
    # Keras 3 writes a DTypePolicy object; its config names the dtype.
    if isinstance(dtype_or_policy, dict):
        inner = dtype_or_policy.get("config")
        dtype_or_policy = inner.get("name") if isinstance(inner, dict) else None
    if isinstance(dtype_or_policy, str):
        data_type = _data_type(dtype_or_policy)
        if data_type is not None:
            node.attr["dtype"].type = data_type


def keras_model_to_graph_def(model: Any) -> GraphDef:
    """The conceptual graph of a Keras model config; see the module docstring."""
    graph = GraphDef()
    links = _Links()
    for scope, layer in _walk(model):
        config = _config(layer)
        if config.get("layers") is not None:
            if config["layers"]:
                _enter_model(scope, layer, links)
            continue
        node = graph.node.add(name=_scoped(scope, str(config.get("name"))))
        class_name = layer.get("class_name")
        if class_name is not None:
            node.attr["keras_class"].s = str(class_name).encode("ascii", errors="replace")
        _set_dtype(node, config.get("dtype"))
        if layer.get("inbound_nodes") is not None:
            for name, _, index in _inbound(layer):
                inbound_name = _scoped(scope, name)
                candidates = links.model_outputs.get(inbound_name, [inbound_name])
                # A layer may take the same model output twice; clamp as TensorBoard does.
                node.input.append(candidates[index] if index < len(candidates) else candidates[-1])
        elif links.previous is not None:
            node.input.append(links.previous)
        if node.name in links.input_source:
            node.input.append(links.input_source[node.name])
        links.previous = node.name
    return graph
