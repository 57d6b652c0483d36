"""The op graph of a Keras model's traced train step, on the TensorFlow backend.

Keras's own TensorBoard callback once wrote ``model.train_function``'s
concrete graph with ``tf.summary.graph``; since Keras 3 wraps its
``tf.function`` s in plain Python closures (``function`` → ``multi_step_on_iterator``
→ ``one_step_on_data``) that attribute lookup finds nothing, and no op graph
is written. Here the closures are walked (breadth first, a few levels deep)
for the ``tf.function`` s they hold, and the largest graph they traced — the
one step of training, with the model's ops (``MatMul``, ``Conv2D``...) as
nodes; the loop around it only calls it — is returned as a ``GraphDef``.

JAX and PyTorch trace to other representations (jaxprs, FX graphs) that the
Graphs dashboard's op view does not read: those backends get the conceptual
graph only. TensorFlow is imported only when the backend already has.
"""

from __future__ import annotations

import sys
from collections import deque
from typing import Any

__all__ = ["train_step_graph_def"]

#: How many closures deep the walk looks from ``model.train_function``.
MAX_DEPTH = 6


def _tf_functions(root: Any) -> list[Any]:
    """The ``tf.function`` objects reachable from ``root`` through closures and wrappers."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return []
    polymorphic = tf.types.experimental.PolymorphicFunction
    found: list[Any] = []
    seen: set[int] = set()
    queue: deque[tuple[Any, int]] = deque([(root, 0)])
    while queue:
        value, depth = queue.popleft()
        if id(value) in seen or depth > MAX_DEPTH or not callable(value):
            continue
        seen.add(id(value))
        inner: list[Any] = []
        if isinstance(value, polymorphic):
            found.append(value)
            inner.append(getattr(value, "python_function", None))
        inner.append(getattr(value, "__wrapped__", None))
        for cell in getattr(value, "__closure__", None) or ():
            try:
                inner.append(cell.cell_contents)
            except ValueError:  # an empty cell
                continue
        queue.extend((item, depth + 1) for item in inner if item is not None)
    return found


def train_step_graph_def(model: Any) -> bytes | None:
    """The serialized ``GraphDef`` of the model's traced train step, or None if there is none.

    None on other backends, with ``run_eagerly``, or before the first batch has traced it.
    """
    train_function = getattr(model, "train_function", None)
    if train_function is None:
        return None
    graphs: list[Any] = []
    for function in _tf_functions(train_function):
        try:
            concrete = function._list_all_concrete_functions()
        except (AttributeError, TypeError):  # a TensorFlow without this (private) listing
            continue
        graphs.extend(each.graph.as_graph_def() for each in concrete)
    if not graphs:
        return None
    largest = max(graphs, key=lambda graph: len(graph.node))
    data: bytes = largest.SerializeToString()
    return data
