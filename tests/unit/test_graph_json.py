"""``/data/plugin/graphs/graph_json``: the compact JSON graph Heron's dashboard draws.

The logdir is written by Heron's real ``SummaryWriter`` (a hand-built GraphDef
with scopes, a control input, output shapes and a constant tensor, plus a
RunMetadata with step stats) and indexed into a real SQLite store.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import heron
from heron import SummaryWriter
from heron.errors import NotFoundError
from heron.formats.proto import types_pb2
from heron.formats.proto.graph_pb2 import AttrValue, GraphDef, NodeDef
from heron.formats.proto.run_metadata_pb2 import (
    AllocatorMemoryUsed,
    DeviceStepStats,
    NodeExecStats,
    RunMetadata,
    StepStats,
)
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.tensor_shape_pb2 import TensorShapeProto
from heron.plugins import default_plugins
from heron.plugins.graphs import graph_json
from heron.plugins.graphs.body_cache import BodyCache
from heron.plugins.graphs.graph_json import (
    MAX_ATTR_CHARS,
    graph_json_body,
    parse_input,
    summarise_attr,
)
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient


def _shapes(*shapes: list[int]) -> AttrValue:
    protos = [TensorShapeProto(dim=[TensorShapeProto.Dim(size=d) for d in s]) for s in shapes]
    return AttrValue(list=AttrValue.ListValue(shape=protos))


def _graph() -> GraphDef:
    weights = TensorProto(dtype=types_pb2.DT_FLOAT, float_val=[1.0] * 1000)
    weights.tensor_shape.dim.add(size=1000)
    nodes = [
        NodeDef(name="input", op="Placeholder", attr={"_output_shapes": _shapes([8, 1000])}),
        NodeDef(
            name="block/w",
            op="Const",
            attr={"value": AttrValue(tensor=weights), "dtype": AttrValue(type=types_pb2.DT_FLOAT)},
        ),
        NodeDef(
            name="block/matmul",
            op="MatMul",
            input=["input", "block/w:0", "^init"],
            device="/device:CPU:0",
            attr={"_output_shapes": _shapes([8, 1000]), "note": AttrValue(s=b"x" * 1000)},
        ),
        NodeDef(name="init", op="NoOp"),
    ]
    return GraphDef(node=nodes)


def _add_graph(writer: SummaryWriter, graph: GraphDef, metadata: RunMetadata) -> None:
    file_writer = writer.file_writer
    assert file_writer is not None
    file_writer.add_graph((graph, metadata))


def _metadata() -> RunMetadata:
    stats = [
        NodeExecStats(
            node_name="block/matmul",
            all_end_rel_micros=120,
            memory=[AllocatorMemoryUsed(total_bytes=32000), AllocatorMemoryUsed(total_bytes=8)],
        ),
        NodeExecStats(node_name="input", all_end_rel_micros=3),
    ]
    return RunMetadata(step_stats=StepStats(dev_stats=[DeviceStepStats(node_stats=stats)]))


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Run "model": the graph above plus profile tag "step1"; run "plain": a scalar only."""
    root = tmp_path_factory.mktemp("graph_json") / "logs"
    with SummaryWriter(root / "model") as writer:
        _add_graph(writer, _graph(), _metadata())
    with SummaryWriter(root / "plain") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider: Any) -> TestClient:
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


def _node(graph: dict[str, Any], name: str) -> dict[str, Any]:
    return next(node for node in graph["nodes"] if node["name"] == name)


def test_run_graph_lists_every_node_with_op_device_and_inputs(provider: Any) -> None:
    graph = graph_json(provider, "model")
    assert graph["kind"] == "run"
    assert [node["name"] for node in graph["nodes"]] == ["input", "block/w", "block/matmul", "init"]
    matmul = _node(graph, "block/matmul")
    assert matmul["op"] == "MatMul"
    assert matmul["device"] == "/device:CPU:0"
    assert matmul["inputs"] == [
        {"name": "input", "output": 0, "control": False},
        {"name": "block/w", "output": 0, "control": False},
        {"name": "init", "output": 0, "control": True},
    ]
    assert graph["stats"] is None


def test_output_shapes_come_from_the_output_shapes_attr_which_is_not_repeated(
    provider: Any,
) -> None:
    graph = graph_json(provider, "model")
    assert _node(graph, "block/matmul")["shapes"] == [[8, 1000]]
    assert "_output_shapes" not in _node(graph, "block/matmul")["attrs"]
    assert _node(graph, "init")["shapes"] is None


def test_attributes_are_summarised_and_long_ones_truncated(provider: Any) -> None:
    graph = graph_json(provider, "model")
    constant = _node(graph, "block/w")["attrs"]
    assert constant == {"dtype": "DT_FLOAT", "value": "DT_FLOAT tensor [1000]"}
    note = _node(graph, "block/matmul")["attrs"]["note"]
    assert len(note) == MAX_ATTR_CHARS
    assert note.endswith("…")


def test_a_profile_tag_colours_the_run_graph_with_time_and_memory(provider: Any) -> None:
    graph = graph_json(provider, "model", "step1")
    assert graph["kind"] == "run"
    assert len(graph["nodes"]) == 4
    assert graph["stats"] == {
        "block/matmul": {"compute_micros": 120, "memory_bytes": 32008},
        "input": {"compute_micros": 3, "memory_bytes": 0},
    }


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("a/b", {"name": "a/b", "output": 0, "control": False}),
        ("a/b:3", {"name": "a/b", "output": 3, "control": False}),
        ("^a", {"name": "a", "output": 0, "control": True}),
        ("odd:name", {"name": "odd:name", "output": 0, "control": False}),
    ],
)
def test_inputs_split_into_node_output_and_control_flag(text: str, parsed: dict[str, Any]) -> None:
    assert parse_input(text) == parsed


def test_list_attributes_spell_out_a_few_items() -> None:
    value = AttrValue(list=AttrValue.ListValue(i=list(range(20))))
    assert summarise_attr(value) == "[0, 1, 2, 3, 4, 5, 6, 7, … (20 items)]"


def test_route_answers_json(client: TestClient) -> None:
    response = client.get("/data/plugin/graphs/graph_json", params={"run": "model"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()["nodes"]) == 4


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"run": "model", "conceptual": "maybe"}, 400),
        ({"run": "model", "conceptual": "true"}, 400),
        ({"run": "nope"}, 404),
        ({"run": "plain"}, 404),
        ({"run": "model", "tag": "nope"}, 404),
        ({"run": "model", "tag": "nope", "conceptual": "true"}, 404),
        ({"run": "../../etc/passwd"}, 404),
    ],
)
def test_bad_run_or_tag_is_a_client_error(
    client: TestClient, params: dict[str, str], status: int
) -> None:
    response = client.get("/data/plugin/graphs/graph_json", params=params)
    assert response.status_code == status, response.text


def test_unknown_tag_is_not_found(provider: Any) -> None:
    with pytest.raises(NotFoundError):
        graph_json(provider, "model", "missing")


def _named_graph(*names: str) -> GraphDef:
    return GraphDef(node=[NodeDef(name=name, op="NoOp") for name in names])


def _names(body: bytes) -> list[str]:
    return [node["name"] for node in json.loads(body)["nodes"]]


def test_a_graph_logged_again_is_not_served_from_the_cache(tmp_path: Path) -> None:
    """The body is cached per stored bytes: a newer graph of the same run is built afresh."""
    root = tmp_path / "logs"
    cache = BodyCache()
    with SummaryWriter(root / "run") as writer:
        _add_graph(writer, _named_graph("first/a", "first/b"), RunMetadata())
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        provider = experiment.provider
        body = graph_json_body(provider, "run", cache=cache)
        assert _names(body) == ["first/a", "first/b"]
        assert graph_json_body(provider, "run", cache=cache) is body  # Served from the cache.
        with SummaryWriter(root / "run") as writer:
            _add_graph(writer, _named_graph("second/c"), RunMetadata())
        experiment.refresh()
        assert _names(graph_json_body(provider, "run", cache=cache)) == ["second/c"]
    assert len(cache) == 2


def test_a_run_written_anew_is_not_served_from_the_cache(tmp_path: Path) -> None:
    """The run deleted and written again (same run, tag and step): other bytes, other key."""
    root = tmp_path / "logs"
    cache = BodyCache()
    with SummaryWriter(root / "run") as writer:
        _add_graph(writer, _named_graph("old"), RunMetadata())
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        assert _names(graph_json_body(experiment.provider, "run", cache=cache)) == ["old"]
        shutil.rmtree(root / "run")
        with SummaryWriter(root / "run") as writer:
            _add_graph(writer, _named_graph("new_a", "new_b"), RunMetadata())
        experiment.refresh()
        assert _names(graph_json_body(experiment.provider, "run", cache=cache)) == [
            "new_a",
            "new_b",
        ]


def test_the_cache_keeps_at_most_its_byte_budget_dropping_the_least_recently_used() -> None:
    cache = BodyCache(max_bytes=10)
    cache.get("a", lambda: b"aaaa")
    cache.get("b", lambda: b"bbbb")
    cache.get("a", lambda: b"never built")  # "a" is now the most recently used.
    cache.get("c", lambda: b"cccc")
    assert cache.size == 8
    assert cache.get("a", lambda: b"rebuilt") == b"aaaa"
    assert cache.get("b", lambda: b"rebuilt") == b"rebuilt"
    assert cache.get("huge", lambda: b"x" * 11) == b"x" * 11
    assert cache.size <= 10


def test_the_route_body_matches_the_function(client: TestClient, provider: Any) -> None:
    response = client.get("/data/plugin/graphs/graph_json", params={"run": "model", "tag": "step1"})
    assert response.json() == graph_json(provider, "model", "step1")
