"""The graphs plugin's plain functions and routes, over real logdirs.

PyTorch's graph comes through Heron's own ``SummaryWriter.add_graph``; TF2's
traced op graph and a Keras model's conceptual graph are written by
TensorFlow itself (skipped when it is not installed).
"""

from __future__ import annotations

import pytest
from google.protobuf import text_format

import heron
from heron import SummaryWriter
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.graph_pb2 import AttrValue, GraphDef, NodeDef, VersionDef
from heron.formats.proto.run_metadata_pb2 import RunMetadata
from heron.plugins import default_plugins
from heron.plugins.graphs import (
    GraphsPlugin,
    graph_info,
    graph_text,
    keras_model_to_graph_def,
    merge_graph_defs,
    run_metadata_text,
)
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

torch = pytest.importorskip("torch")


class _Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)

    def forward(self, x):
        return torch.relu(self.fc(x))


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """Run "torch": a traced model (run graph + "step1" metadata) and a scalar; "plain": scalars."""
    root = tmp_path_factory.mktemp("graphs") / "logs"
    with SummaryWriter(root / "torch") as writer:
        writer.add_graph(_Net(), torch.zeros(2, 4))
        writer.add_scalar("loss", 1.0, 0)
    with SummaryWriter(root / "plain") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


def _parse(text: str) -> GraphDef:
    return text_format.Parse(text, GraphDef())


def test_info_lists_the_run_graph_and_the_profile_tag(provider):
    assert graph_info(provider) == {
        "torch": {
            "run": "torch",
            "run_graph": True,
            "tags": {
                "step1": {
                    "tag": "step1",
                    "conceptual_graph": False,
                    "op_graph": False,
                    "profile": True,
                }
            },
        }
    }


def test_run_graph_is_the_traced_model_in_text_format(provider):
    graph = _parse(graph_text(provider, "torch"))
    ops = {node.name: node.op for node in graph.node}
    assert ops["input/x"] == "IO Node"
    assert any(name.startswith("_Net/Linear[fc]") for name in ops)
    assert any(op == "aten::relu" for op in ops.values())
    assert graph.versions.producer > 0


def test_large_attributes_are_dropped_and_listed(provider):
    full = _parse(graph_text(provider, "torch"))
    trimmed = _parse(graph_text(provider, "torch", limit_attr_size=1, large_attrs_key="_too_large"))
    for before, after in zip(full.node, trimmed.node, strict=True):
        assert set(after.attr) == ({"_too_large"} if before.attr else set())
        if before.attr:
            assert sorted(after.attr["_too_large"].list.s) == sorted(
                key.encode() for key in before.attr
            )
    # A generous limit keeps everything.
    assert _parse(graph_text(provider, "torch", limit_attr_size=10**6, large_attrs_key="k")) == full


@pytest.mark.parametrize(("limit", "key"), [(0, "k"), (-5, "k"), (10, None), (10, "")])
def test_bad_attribute_limits_are_invalid(provider, limit, key):
    with pytest.raises(InvalidArgumentError):
        graph_text(provider, "torch", limit_attr_size=limit, large_attrs_key=key)


def test_run_metadata_names_the_device(provider):
    metadata = text_format.Parse(run_metadata_text(provider, "torch", "step1"), RunMetadata())
    assert [stats.device for stats in metadata.step_stats.dev_stats] == ["/device:CPU:0"]


@pytest.mark.parametrize(
    "call",
    [
        lambda p: graph_text(p, "plain"),
        lambda p: graph_text(p, "ghost"),
        lambda p: graph_text(p, "torch", "step1"),  # profile only: no op graph
        lambda p: graph_text(p, "torch", "step1", conceptual=True),
        lambda p: run_metadata_text(p, "torch", "nope"),
        lambda p: run_metadata_text(p, "ghost", "step1"),
    ],
)
def test_missing_graphs_are_not_found(provider, call):
    with pytest.raises(NotFoundError):
        call(provider)


def test_conceptual_graph_needs_a_tag(provider):
    with pytest.raises(InvalidArgumentError):
        graph_text(provider, "torch", conceptual=True)


def test_is_active_only_with_graph_data(provider, tmp_path):
    assert GraphsPlugin().is_active(provider)
    with SummaryWriter(tmp_path / "logs" / "run") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(tmp_path / "logs", db=tmp_path / "index.sqlite") as experiment:
        assert not GraphsPlugin().is_active(experiment.provider)


@pytest.fixture(scope="module")
def broken_client(tmp_path_factory):
    """Run "broken": an undecodable run graph and a Keras "model" that is not JSON."""
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
    from heron.formats.tensors import string_tensor

    root = tmp_path_factory.mktemp("broken_graphs") / "logs"
    with SummaryWriter(root / "broken") as writer:
        writer.file_writer.add_event(Event(graph_def=b"\xff\xff\xff"))
        metadata = SummaryMetadata(data_class=3)
        metadata.plugin_data.plugin_name = "graph_keras_model"
        metadata.plugin_data.content = b"1"
        value = Summary.Value(tag="keras", metadata=metadata, tensor=string_tensor([b"{oops"]))
        writer.file_writer.add_summary(Summary(value=[value]), 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield TestClient(create_app(ServerConfig(), experiment.provider, plugins=default_plugins()))


@pytest.mark.parametrize(
    "params", [{"run": "broken"}, {"run": "broken", "tag": "keras", "conceptual": "true"}]
)
def test_damaged_stored_graphs_are_400_not_500(broken_client, params):
    info = broken_client.get("/data/plugin/graphs/info").json()
    assert info["broken"]["run_graph"] is True
    assert info["broken"]["tags"]["keras"]["conceptual_graph"] is True
    response = broken_client.get("/data/plugin/graphs/graph", params=params)
    assert response.status_code == 400
    assert "cannot be decoded" in response.text or "malformed" in response.text


# --- merging and trimming GraphDefs ---------------------------------------------------------


def _graph(*nodes: NodeDef, producer: int = 27) -> GraphDef:
    return GraphDef(node=list(nodes), versions=VersionDef(producer=producer))


def test_merging_one_graph_returns_it_and_none_gives_an_empty_graph():
    graph = _graph(NodeDef(name="a", op="Const"))
    assert merge_graph_defs([graph]) is graph
    assert merge_graph_defs([]) == GraphDef()


def test_merging_scopes_each_graph_and_renames_its_functions():
    call = NodeDef(name="call", op="PartitionedCall", input=["x", "^y"])
    call.attr["f"].CopyFrom(AttrValue(func={"name": "__inference_f_12"}))
    first = _graph(NodeDef(name="x", op="Placeholder"), call)
    first.library.function.add().signature.name = "__inference_f_12"
    gradient = first.library.gradient.add(function_name="f", gradient_func="g")
    assert gradient.function_name == "f"
    second = _graph(NodeDef(name="x", op="Placeholder"))
    merged = merge_graph_defs([first, second])
    assert [node.name for node in merged.node] == ["graph_1/x", "graph_1/call", "graph_2/x"]
    assert list(merged.node[1].input) == ["graph_1/x", "graph_1/^y"]
    assert merged.node[1].attr["f"].func.name == "graph_1___inference_f_12"
    assert merged.library.function[0].signature.name == "graph_1___inference_f_12"
    assert (merged.library.gradient[0].function_name, merged.library.gradient[0].gradient_func) == (
        "graph_1_f",
        "graph_1_g",
    )
    assert merged.versions.producer == 27
    # The inputs are left untouched.
    assert first.node[0].name == "x"


def test_merging_graphs_of_different_producers_is_invalid():
    with pytest.raises(InvalidArgumentError):
        merge_graph_defs([_graph(producer=1), _graph(producer=2)])


# --- Keras conceptual graphs ----------------------------------------------------------------


def _layer(class_name, name, *, inbound=None, dtype="float32", **config):
    layer = {"class_name": class_name, "config": {"name": name, "dtype": dtype, **config}}
    if inbound is not None:
        layer["inbound_nodes"] = [
            {
                "args": [
                    {"class_name": "__keras_tensor__", "config": {"keras_history": [n, 0, 0]}}
                    for n in inbound
                ]
            }
        ]
    return layer


def _edges(graph: GraphDef) -> dict[str, list[str]]:
    return {node.name: list(node.input) for node in graph.node}


def test_sequential_layers_are_chained_in_order():
    model = {
        "class_name": "Sequential",
        "config": {
            "name": "seq",
            "layers": [
                _layer("InputLayer", "in"),
                _layer(
                    "Dense",
                    "d1",
                    dtype={"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}},
                ),
                _layer("Dense", "d2", dtype="float64"),
            ],
        },
    }
    graph = keras_model_to_graph_def(model)
    assert _edges(graph) == {"seq/in": [], "seq/d1": ["seq/in"], "seq/d2": ["seq/d1"]}
    nodes = {node.name: node for node in graph.node}
    assert nodes["seq/in"].attr["keras_class"].s == b"InputLayer"
    assert nodes["seq/in"].attr["dtype"].type == 1  # DT_FLOAT
    assert nodes["seq/d2"].attr["dtype"].type == 2  # DT_DOUBLE
    assert "dtype" not in nodes["seq/d1"].attr  # a policy TensorBoard cannot name either


def test_functional_model_with_a_nested_sequential_links_through_it():
    inner = {
        "class_name": "Sequential",
        "config": {"name": "inner", "layers": [_layer("Dense", "a"), _layer("Dense", "b")]},
        "inbound_nodes": _layer("X", "x", inbound=["in"])["inbound_nodes"],
    }
    model = {
        "class_name": "Functional",
        "config": {
            "name": "outer",
            "input_layers": [["in", 0, 0]],
            "output_layers": [["out", 0, 0]],
            "layers": [
                _layer("InputLayer", "in", inbound=[]),
                inner,
                _layer("Dense", "out", inbound=["inner"]),
            ],
        },
    }
    assert _edges(keras_model_to_graph_def(model)) == {
        "outer/in": [],
        "outer/inner/a": ["outer/in"],
        "outer/inner/b": ["outer/inner/a"],
        # A model as input means its output layer.
        "outer/out": ["outer/inner/b"],
    }


@pytest.mark.parametrize("model", [{}, {"config": []}, {"config": {"layers": [{"name": "x"}]}}])
def test_malformed_keras_configs_are_invalid(model):
    with pytest.raises(InvalidArgumentError):
        keras_model_to_graph_def(model)


# --- routes ---------------------------------------------------------------------------------


def test_routes_answer_json_and_protobuf_text(client, provider):
    info = client.get("/data/plugin/graphs/info")
    assert info.status_code == 200
    assert info.json() == graph_info(provider)
    graph = client.get("/data/plugin/graphs/graph", params={"run": "torch"})
    assert graph.status_code == 200
    assert graph.headers["content-type"].startswith("text/x-protobuf")
    assert graph.text == graph_text(provider, "torch")
    limited = client.get(
        "/data/plugin/graphs/graph",
        params={"run": "torch", "limit_attr_size": "8", "large_attrs_key": "_big"},
    )
    assert "_big" in limited.text
    metadata = client.get(
        "/data/plugin/graphs/run_metadata", params={"run": "torch", "tag": "step1"}
    )
    assert metadata.headers["content-type"].startswith("text/x-protobuf")
    assert "/device:CPU:0" in metadata.text


def test_graphs_is_listed_between_audio_and_distributions(client):
    listing = client.get("/data/plugins_listing").json()
    assert listing["graphs"]["loading_mechanism"] == {
        "type": "CUSTOM_ELEMENT",
        "element_name": "tf-graph-dashboard",
    }


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/graph", {}, 400),
        ("/graph", {"run": "torch", "limit_attr_size": "big", "large_attrs_key": "k"}, 400),
        ("/graph", {"run": "torch", "limit_attr_size": "0", "large_attrs_key": "k"}, 400),
        ("/graph", {"run": "torch", "limit_attr_size": "10"}, 400),
        ("/graph", {"run": "torch", "conceptual": "true"}, 400),
        ("/graph", {"run": "ghost"}, 404),
        ("/graph", {"run": "torch", "tag": "nope"}, 404),
        ("/run_metadata", {"run": "torch"}, 400),
        ("/run_metadata", {"tag": "step1"}, 400),
        ("/run_metadata", {"run": "torch", "tag": "nope"}, 404),
    ],
)
def test_bad_requests_are_400_and_unknown_graphs_404(client, path, params, status):
    response = client.get("/data/plugin/graphs" + path, params=params)
    assert response.status_code == status
    assert response.text


# --- TensorFlow-written graphs --------------------------------------------------------------


@pytest.fixture(scope="module")
def tf_provider(tmp_path_factory):
    """Run "trace": a traced tf.function calling another; run "keras/train": a Keras model."""
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    import numpy as np

    root = tmp_path_factory.mktemp("tf_graphs") / "logs"

    @tf.function
    def inner(x):
        return tf.nn.relu(x) * 2.0

    @tf.function
    def outer(x):
        return inner(tf.matmul(x, x)) + 1.0

    writer = tf.summary.create_file_writer(str(root / "trace"))
    tf.summary.trace_on(graph=True, profiler=False)
    outer(tf.ones((2, 2)))
    with writer.as_default():
        tf.summary.trace_export("outer_trace", step=0)
    writer.close()

    inputs = keras.Input((3,), name="features")
    hidden = keras.layers.Dense(4, name="hidden")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, name="score")(hidden), name="scorer")
    model.compile("sgd", "mse")
    callback = keras.callbacks.TensorBoard(str(root / "keras"), write_graph=True)
    model.fit(np.zeros((4, 3)), np.zeros((4, 1)), epochs=1, verbose=0, callbacks=[callback])
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


def test_tf_trace_and_keras_model_show_in_info(tf_provider):
    info = graph_info(tf_provider)
    assert info["trace"]["tags"]["outer_trace"]["op_graph"] is True
    assert info["trace"]["run_graph"] is False
    assert info["keras/train"]["tags"]["keras"]["conceptual_graph"] is True


def test_tf_trace_op_graph_merges_the_function_graphs(tf_provider):
    graph = _parse(graph_text(tf_provider, "trace", "outer_trace"))
    # TF records one function graph per eager op and tf.function called: several, so scoped.
    assert graph.node
    assert all(node.name.startswith("graph_") for node in graph.node)
    assert any(node.op == "MatMul" for node in graph.node)


def test_keras_conceptual_graph_has_a_node_per_layer(tf_provider):
    graph = _parse(graph_text(tf_provider, "keras/train", "keras", conceptual=True))
    assert _edges(graph) == {
        "scorer/features": [],
        "scorer/hidden": ["scorer/features"],
        "scorer/score": ["scorer/hidden"],
    }
    assert {node.attr["keras_class"].s for node in graph.node} == {b"InputLayer", b"Dense"}


def test_keras_model_has_no_op_graph(tf_provider):
    with pytest.raises(NotFoundError):
        graph_text(tf_provider, "keras/train", "keras")


def test_keras_json_round_trips_through_the_route(tf_provider):
    client = TestClient(create_app(ServerConfig(), tf_provider, plugins=default_plugins()))
    response = client.get(
        "/data/plugin/graphs/graph",
        params={"run": "keras/train", "tag": "keras", "conceptual": "true"},
    )
    assert response.status_code == 200
    assert "scorer/hidden" in response.text
