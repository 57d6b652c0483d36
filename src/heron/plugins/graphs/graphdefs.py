"""GraphDef surgery the graphs dashboard needs: merging function graphs, trimming large attrs.

TF2's ``trace_export`` stores a ``RunMetadata`` whose op graph is spread over
one ``pre_optimization_graph`` per traced function. Node names repeat across
those graphs, so merging them as-is would join unrelated nodes; TensorBoard
instead puts each graph under its own scope ``graph_<n>`` (1-based), and Heron
does the same so that both dashboards draw the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence

from heron.errors import InvalidArgumentError
from heron.formats.proto.graph_pb2 import GraphDef

__all__ = ["check_attr_limit", "limit_attr_sizes", "merge_graph_defs"]


def _add_scoped(scope: str, source: GraphDef, destination: GraphDef) -> None:
    for node in source.node:
        copy = destination.node.add()
        copy.CopyFrom(node)
        copy.name = f"{scope}/{node.name}"
        copy.input[:] = [f"{scope}/{name}" for name in node.input]
        # A call of a tf.function names the function in attr "f"; functions are renamed below.
        if copy.op == "PartitionedCall" and "f" in copy.attr:
            copy.attr["f"].func.name = f"{scope}_{copy.attr['f'].func.name}"
    for function in source.library.function:
        added = destination.library.function.add()
        added.CopyFrom(function)
        # Underscore, not slash: function names are not scopes the dashboard should fold.
        added.signature.name = f"{scope}_{function.signature.name}"
    for gradient in source.library.gradient:
        added_gradient = destination.library.gradient.add()
        added_gradient.CopyFrom(gradient)
        added_gradient.function_name = f"{scope}_{gradient.function_name}"
        added_gradient.gradient_func = f"{scope}_{gradient.gradient_func}"


def merge_graph_defs(graphs: Sequence[GraphDef]) -> GraphDef:
    """One GraphDef holding every graph, each under the scope ``graph_<n>``.

    A single graph is returned unchanged and no graph gives an empty one.
    Graphs of different producer versions cannot share one ``versions`` field:
    ``InvalidArgumentError``.
    """
    if not graphs:
        return GraphDef()
    if len(graphs) == 1:
        return graphs[0]
    merged = GraphDef()
    if graphs[0].versions.producer:
        merged.versions.CopyFrom(graphs[0].versions)
    for index, graph in enumerate(graphs, start=1):
        if graph.versions.producer != merged.versions.producer:
            raise InvalidArgumentError("cannot merge GraphDefs of different producer versions")
        _add_scoped(f"graph_{index}", graph, merged)
    return merged


def check_attr_limit(limit: int | None, large_attrs_key: str | None) -> None:
    """``InvalidArgumentError`` unless ``limit`` is absent, or > 0 with a ``large_attrs_key``."""
    if limit is None:
        return
    if not large_attrs_key:
        raise InvalidArgumentError("large_attrs_key is required with limit_attr_size")
    if limit <= 0:
        raise InvalidArgumentError(f"limit_attr_size must be > 0, not {limit}")


def limit_attr_sizes(graph: GraphDef, limit: int | None, large_attrs_key: str | None) -> None:
    """Drop, in place, node attributes serialized larger than ``limit`` bytes.

    The dashboard cannot show huge attributes (constant tensors, say) and
    fetching them slows it down; the names of dropped attributes are listed in
    ``attr[large_attrs_key].list.s`` so that its info card can say so.
    ``limit=None`` keeps everything.
    """
    check_attr_limit(limit, large_attrs_key)
    if limit is None or large_attrs_key is None:
        return
    for node in graph.node:
        for key in list(node.attr):
            if node.attr[key].ByteSize() > limit:
                del node.attr[key]
                node.attr[large_attrs_key].list.s.append(key.encode("utf-8"))
