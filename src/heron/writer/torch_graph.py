"""A PyTorch model and an example input → the op graph TensorBoard's graph dashboard draws.

The model is traced (``torch.jit.trace``, in eval mode, its training flag put
back afterwards) and the inlined TorchScript graph is read node by node. Names
follow PyTorch's own writer, so a graph looks the same whichever writer logged
it:

* the model's inputs are ``input/<value>`` and its outputs ``output/output.<i>``,
  both with op ``IO Node``;
* every other value is named ``<scope>/<value>`` after the op producing it, where
  the scope is the module path, each module as ``<ClassName>[<attribute>]`` under
  the model's class name (``Net/Sequential[features]/Conv2d[0]/input.3``);
* a parameter read (``prim::GetAttr``) is scoped by the attribute path that
  reaches it (``.../Conv2d[conv]/weight/weight.7``);
* a value that no emitted node produces (a module object) is named after the
  scope of the op that reads it;
* ``attr`` holds the op's attributes as text, ``_output_shapes`` the output's
  shape when the tracer knows it.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from heron.formats.summaries.graphs import NodeSpec

__all__ = ["trace_graph"]

_GET_ATTR: Final = "prim::GetAttr"
_CLASS_TYPE: Final = "ClassType"


@dataclass(slots=True)
class _Value:
    """A graph value as an emitted node: its producer's scope, op, inputs, attributes, shape."""

    scope: str
    op: str
    inputs: list[str]
    attr: str
    shape: list[int] | None


@contextlib.contextmanager
def _eval_mode(model: Any) -> Iterator[None]:
    training = getattr(model, "training", None)
    if training is None:  # a ScriptFunction has no mode
        yield
        return
    model.train(False)
    try:
        yield
    finally:
        model.train(training)


def _attributes(node: Any) -> str:
    values = {name: getattr(node, node.kindOf(name))(name) for name in node.attributeNames()}
    return str(values).replace("'", " ")


def _shape(value: Any) -> list[int] | None:
    return list(value.type().sizes()) if value.isCompleteTensor() else None


def _io_shape(value: Any) -> list[int]:
    try:
        return list(value.type().sizes())
    except RuntimeError:  # not a tensor (a tuple, a number): PyTorch's writer says [1]
        return [1]


def _module_name(module: Any) -> str:
    torch = sys.modules["torch"]
    if isinstance(module, torch.jit.TracedModule):
        return str(module._name)
    return str(getattr(module, "original_name", "Module"))


def trace_graph(
    model: Any, example_inputs: Any = None, *, strict: bool = True, verbose: bool = False
) -> list[NodeSpec]:
    """The nodes of ``model``'s traced graph (see the module docstring for the naming)."""
    torch = sys.modules.get("torch")
    if torch is None or not isinstance(model, torch.nn.Module | torch.jit.ScriptFunction):
        raise TypeError(f"add_graph needs a torch.nn.Module, got {type(model).__name__}")
    args = () if example_inputs is None else example_inputs
    with _eval_mode(model), warnings.catch_warnings():
        # The trace only draws the graph: whether it would generalise to other inputs
        # (what TracerWarnings are about) does not matter here.
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        trace = torch.jit.trace(model, args, strict=strict)
        graph = trace.graph
        torch._C._jit_pass_inline(graph)
    if verbose:
        print(graph)

    aliases = {
        name: f"{_module_name(module)}[{name.rsplit('.', 1)[-1]}]"
        for name, module in trace.named_modules(prefix="__module")
    }
    root = _module_name(trace)

    def scoped(scope_name: str) -> str:
        parts = [aliases.get(alias, alias.rsplit(".", 1)[-1]) for alias in scope_name.split("/")]
        return root + ("/" + "/".join(parts) if any(parts) else "")

    values: dict[str, _Value] = {}
    io_names: dict[str, str] = {}
    for value in graph.inputs():
        if not value.uses() or value.type().kind() == _CLASS_TYPE:
            continue
        name = value.debugName()
        values[name] = _Value("", "IO Node", [], "", _io_shape(value))
        io_names[name] = f"input/{name}"
    for index, value in enumerate(graph.outputs(), start=1):
        name = f"output.{index}"
        values[name] = _Value("", "IO Node", [value.debugName()], "", _io_shape(value))
        io_names[name] = f"output/{name}"

    attribute_paths: dict[str, str] = {}
    ops: list[tuple[str, Any]] = []
    for node in graph.nodes():
        if node.kind() == _GET_ATTR:
            key = node.output().debugName()
            parent = node.input().node()
            attribute = node.s("name")
            if parent.kind() == _GET_ATTR:
                parent_path = attribute_paths[parent.output().debugName()]
                leaf = parent_path.rsplit("/", 1)[-1]
                attribute_paths[key] = f"{parent_path}/{leaf}.{attribute}"
            else:
                attribute_paths[key] = f"__module.{attribute}"
            if node.output().type().kind() != _CLASS_TYPE:
                ops.append((scoped(attribute_paths[key]), node))
        else:
            ops.append((scoped(node.scopeName()), node))

    # A value read by ops but produced by no emitted node is named by its last reader's scope;
    # the names of produced values and of the model's inputs and outputs take precedence.
    names: dict[str, str] = {}
    for scope, node in ops:
        for value in node.inputs():
            names[value.debugName()] = f"{scope}/{value.debugName()}"
    for scope, node in ops:
        inputs = [value.debugName() for value in node.inputs()]
        attributes = _attributes(node)
        for value in node.outputs():
            name = value.debugName()
            values[name] = _Value(scope, node.kind(), inputs, attributes, _shape(value))
            names[name] = f"{scope}/{name}"
    names.update(io_names)

    return [
        NodeSpec(
            name=names.get(key, key),
            op=value.op,
            inputs=[names.get(name, name) for name in value.inputs],
            attr=value.attr,
            output_shapes=() if value.shape is None else (value.shape,),
        )
        for key, value in values.items()
    ]
