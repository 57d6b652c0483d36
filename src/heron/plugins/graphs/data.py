"""Plain functions over ``ReadProvider`` behind the graphs routes (no HTTP here).

Graphs arrive through five series plugins, all blob sequences whose blob is
one serialized message (TensorBoard's layout, reference §3.12):

* ``graphs``, tag ``__run_graph__``: the run's ``GraphDef`` (``Event.graph_def``,
  e.g. PyTorch's ``add_graph``);
* ``graph_run_metadata_graph`` / ``graph_run_metadata``: TF2's ``trace_export``,
  a ``RunMetadata`` whose function graphs make the tag's op graph (the second
  also carries profile data);
* ``graph_keras_model``: a Keras model's JSON, drawn as the conceptual graph;
* ``graph_tagged_run_metadata``: ``Event.tagged_run_metadata``, profile only.

Graphs are answered as protobuf text format, which is what TensorBoard's
graph dashboard parses. A series holding several steps answers with its
latest one, as TensorBoard does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from google.protobuf.message import DecodeError, Message

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, Series, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.graph_pb2 import GraphDef
from heron.formats.proto.run_metadata_pb2 import RunMetadata
from heron.plugins.graphs.graphdefs import check_attr_limit, limit_attr_sizes, merge_graph_defs
from heron.plugins.graphs.keras import keras_model_to_graph_def

__all__ = [
    "DATA_PLUGIN_NAMES",
    "PLUGIN_NAME",
    "RUN_GRAPH_TAG",
    "decode_graph",
    "decode_run_metadata",
    "graph_blob",
    "graph_info",
    "graph_text",
    "load_graph",
    "load_run_metadata",
    "run_metadata_blob",
    "run_metadata_text",
]

PLUGIN_NAME = "graphs"
#: The tag TensorBoard gives a run's ``Event.graph_def``.
RUN_GRAPH_TAG = "__run_graph__"
RUN_METADATA = "graph_run_metadata"
RUN_METADATA_GRAPH = "graph_run_metadata_graph"
KERAS_MODEL = "graph_keras_model"
TAGGED_RUN_METADATA = "graph_tagged_run_metadata"
#: Every series plugin this dashboard shows.
DATA_PLUGIN_NAMES = (
    PLUGIN_NAME,
    RUN_METADATA,
    RUN_METADATA_GRAPH,
    KERAS_MODEL,
    TAGGED_RUN_METADATA,
)
#: The content TF writes for its graph summaries; other versions are ignored, as TensorBoard does.
_KNOWN_CONTENT = b"1"


def _blob_series(
    provider: ReadProvider, plugin_name: str, runs: Sequence[str] | None = None
) -> Sequence[Series]:
    return provider.list_series(
        runs=runs, plugin_name=plugin_name, data_class=DataClass.BLOB_SEQUENCE
    )


def _tag_entry(info: dict[str, dict[str, Any]], run: str, tag: str) -> dict[str, Any]:
    entry = info.setdefault(run, {"run": run, "tags": {}, "run_graph": False})
    tags: dict[str, dict[str, Any]] = entry["tags"]
    return tags.setdefault(
        tag, {"tag": tag, "conceptual_graph": False, "op_graph": False, "profile": False}
    )


def graph_info(provider: ReadProvider) -> dict[str, dict[str, Any]]:
    """``{run: {"run", "run_graph", "tags": {tag: {...}}}}``, what each run holds.

    A tag entry is ``{"tag", "conceptual_graph", "op_graph", "profile"}``.
    Runs without any graph data are left out; runs are sorted by name.
    """
    info: dict[str, dict[str, Any]] = {}
    flags = ((RUN_METADATA_GRAPH, ("op_graph",)), (RUN_METADATA, ("profile", "op_graph")))
    for plugin_name, names in (*flags, (KERAS_MODEL, ("conceptual_graph",))):
        for series in _blob_series(provider, plugin_name):
            if series.plugin_content == _KNOWN_CONTENT:
                entry = _tag_entry(info, series.run, series.tag)
                entry.update(dict.fromkeys(names, True))
    for series in _blob_series(provider, PLUGIN_NAME):
        if series.tag == RUN_GRAPH_TAG:
            info.setdefault(series.run, {"run": series.run, "tags": {}, "run_graph": False})
            info[series.run]["run_graph"] = True
    for series in _blob_series(provider, TAGGED_RUN_METADATA):
        _tag_entry(info, series.run, series.tag)["profile"] = True
    return dict(sorted(info.items()))


def _latest_blob(provider: ReadProvider, plugin_names: Sequence[str], run: str, tag: str) -> bytes:
    """The first blob of the latest step of (run, tag), from the first plugin that has it."""
    key = SeriesKey(run, tag)
    for plugin_name in plugin_names:
        if not any(series.tag == tag for series in _blob_series(provider, plugin_name, [run])):
            continue
        points = provider.read_blob_sequences([key])[key]
        if points and points[-1].blobs:
            return provider.read_blob(points[-1].blobs[0].key)
    raise NotFoundError(f"no graph data for run {run!r}, tag {tag!r}")


def _parse(message: Message, data: bytes, what: str) -> None:
    try:
        message.ParseFromString(data)
    except DecodeError:
        raise InvalidArgumentError(f"the stored {what} cannot be decoded") from None


def _keras_graph(data: bytes) -> GraphDef:
    try:
        return keras_model_to_graph_def(json.loads(data))
    except InvalidArgumentError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
        # The config is user data from an event file: a bad one is reported, not a server error.
        raise InvalidArgumentError(f"the stored Keras model config is malformed: {error}") from None


def _op_graph(data: bytes) -> GraphDef:
    metadata = RunMetadata()
    _parse(metadata, data, "RunMetadata")
    return merge_graph_defs([graphs.pre_optimization_graph for graphs in metadata.function_graphs])


def graph_blob(
    provider: ReadProvider, run: str, tag: str | None = None, *, conceptual: bool = False
) -> bytes:
    """The stored bytes ``load_graph`` decodes (a GraphDef, RunMetadata or Keras JSON).

    Split from decoding so that callers can key a cache on the exact bytes.
    """
    if conceptual:
        if tag is None:
            raise InvalidArgumentError("conceptual graphs need a tag")
        return _latest_blob(provider, [KERAS_MODEL], run, tag)
    if tag is None:
        return _latest_blob(provider, [PLUGIN_NAME], run, RUN_GRAPH_TAG)
    return _latest_blob(provider, [RUN_METADATA, RUN_METADATA_GRAPH], run, tag)


def decode_graph(data: bytes, *, op_graph: bool, conceptual: bool) -> GraphDef:
    """The GraphDef of ``graph_blob`` bytes (``op_graph``: asked with a tag, not conceptual)."""
    if conceptual:
        return _keras_graph(data)
    if op_graph:
        return _op_graph(data)
    graph = GraphDef()
    _parse(graph, data, "GraphDef")
    return graph


def load_graph(
    provider: ReadProvider, run: str, tag: str | None = None, *, conceptual: bool = False
) -> GraphDef:
    """The run graph (no ``tag``), a tag's op graph, or (``conceptual``) its Keras graph.

    ``NotFoundError`` if the run has no such graph; ``InvalidArgumentError`` if it
    cannot be decoded or ``conceptual`` comes without a tag.
    """
    data = graph_blob(provider, run, tag, conceptual=conceptual)
    return decode_graph(data, op_graph=tag is not None, conceptual=conceptual)


def graph_text(
    provider: ReadProvider,
    run: str,
    tag: str | None = None,
    *,
    conceptual: bool = False,
    limit_attr_size: int | None = None,
    large_attrs_key: str | None = None,
) -> str:
    """A graph as protobuf text format: the run graph, a tag's op graph or its Keras graph.

    Without ``tag`` (and not ``conceptual``): the run's ``__run_graph__``.
    With ``tag``: the op graph merged from the tag's RunMetadata, or with
    ``conceptual`` the graph of its Keras model. Node attributes larger than
    ``limit_attr_size`` bytes are dropped and listed under ``large_attrs_key``.
    ``NotFoundError`` if the run has no such graph.
    """
    check_attr_limit(limit_attr_size, large_attrs_key)
    graph = load_graph(provider, run, tag, conceptual=conceptual)
    limit_attr_sizes(graph, limit_attr_size, large_attrs_key)
    return str(graph)


def run_metadata_blob(provider: ReadProvider, run: str, tag: str) -> bytes:
    """The stored RunMetadata (profile) bytes of (run, tag); ``NotFoundError`` if none."""
    return _latest_blob(provider, [TAGGED_RUN_METADATA, RUN_METADATA], run, tag)


def decode_run_metadata(data: bytes) -> RunMetadata:
    """``InvalidArgumentError`` if ``data`` is not a RunMetadata."""
    metadata = RunMetadata()
    _parse(metadata, data, "RunMetadata")
    return metadata


def load_run_metadata(provider: ReadProvider, run: str, tag: str) -> RunMetadata:
    """The RunMetadata (profile) of (run, tag); ``NotFoundError`` if there is none."""
    return decode_run_metadata(run_metadata_blob(provider, run, tag))


def run_metadata_text(provider: ReadProvider, run: str, tag: str) -> str:
    """The RunMetadata (profile) of (run, tag) as protobuf text format."""
    return str(load_run_metadata(provider, run, tag))
