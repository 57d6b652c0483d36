"""Heron's graphs and Time Series routes against real TensorBoard's, on one logdir.

Graphs must be the same messages: each side's protobuf text is parsed with
TensorBoard's own ``GraphDef`` / ``RunMetadata`` and compared. Time Series:
TensorBoard samples (a reservoir of 500 tensors per tag at load, then 1,000
scalars, 51 histogram steps and 10 image steps per request) while Heron
returns every point, so TensorBoard's points must be a subset of Heron's with
equal values, and images at equal steps must be the same bytes.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.images import encode_png, image
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app

from .test_server_app import TestClient

pytest.importorskip("tensorboard")
werkzeug_test = pytest.importorskip("werkzeug.test")
torch = pytest.importorskip("torch")

#: TensorFlow-written runs, present only when TensorFlow is installed.
TF_RUNS = ("trace", "keras/train")


class _Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3)
        self.fc = torch.nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).flatten(1))


def _write_tf_runs(root) -> bool:
    try:
        import keras
        import tensorflow as tf
    except ImportError:
        return False

    @tf.function
    def step(x):
        return tf.reduce_sum(tf.nn.relu(tf.matmul(x, x)))

    writer = tf.summary.create_file_writer(str(root / "trace"))
    tf.summary.trace_on(graph=True, profiler=False)
    step(tf.ones((3, 3)))
    with writer.as_default():
        tf.summary.trace_export("step_trace", step=0)
    writer.close()

    inputs = keras.Input((4,), name="x")
    left = keras.layers.Dense(3, name="left")(inputs)
    right = keras.layers.Dense(3, name="right")(inputs)
    merged = keras.layers.Concatenate(name="both")([left, right])
    model = keras.Model(inputs, keras.layers.Dense(1, name="y")(merged), name="fork")
    model.compile("sgd", "mse")
    callback = keras.callbacks.TensorBoard(str(root / "keras"), write_graph=True)
    model.fit(np.zeros((4, 4)), np.zeros((4, 1)), epochs=1, verbose=0, callbacks=[callback])
    return True


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("vs_tb_graphs") / "logs"
    rng = np.random.default_rng(1)
    with SummaryWriter(root / "torch") as writer:
        writer.add_graph(_Net(), torch.zeros(1, 1, 4, 4))
        for step in range(1500):
            writer.add_scalar("loss", math.nan if step == 700 else 1.0 / (step + 1), step)
        for step in range(100):
            writer.add_histogram("weights", rng.normal(step, 1.0, 300), step)
        for step in range(15):
            pixels = [rng.integers(0, 256, (4, 5, 3), dtype=np.uint8) for _ in range(2)]
            value = image("pics", [encode_png(p) for p in pixels], width=5, height=4)
            writer.file_writer.add_summary(Summary(value=[value]), step)
    with SummaryWriter(root / "other") as writer:
        for step in range(0, 1500, 2):
            writer.add_scalar("loss", step / 1500, step)
    has_tf = _write_tf_runs(root)
    return root, has_tf


@pytest.fixture(scope="module")
def tensorboard(logdir):
    from tensorboard.backend import application
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.graph import graphs_plugin
    from tensorboard.plugins.metrics import metrics_plugin

    root, _ = logdir
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(root))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(root))
    context = base_plugin.TBContext(
        logdir=str(root), multiplexer=multiplexer, data_provider=provider
    )
    app = application.TensorBoardWSGI(
        [graphs_plugin.GraphsPlugin(context), metrics_plugin.MetricsPlugin(context)],
        data_provider=provider,
    )
    client = werkzeug_test.Client(app)

    def fetch(path: str, *, form: dict[str, str] | None = None):
        response = client.post(path, data=form) if form is not None else client.get(path)
        assert response.status_code == 200, response.get_data()
        return response

    return fetch


@pytest.fixture(scope="module")
def heron_client(logdir, tmp_path_factory):
    root, _ = logdir
    db = tmp_path_factory.mktemp("vs_tb_graphs_db") / "index.sqlite"
    with heron.open(root, db=db) as experiment:
        yield TestClient(create_app(ServerConfig(), experiment.provider, plugins=default_plugins()))


@pytest.fixture(scope="module")
def both(tensorboard, heron_client):
    """``get(path, form=None)`` → (TensorBoard's body, Heron's body, Heron's content type)."""

    def get(path: str, *, form: dict[str, str] | None = None):
        tb = tensorboard(path, form=form)
        ours = heron_client.post(path, data=form) if form is not None else heron_client.get(path)
        assert ours.status_code == 200, ours.text
        return tb.get_data(), ours.content, ours.headers["content-type"]

    return get


def _graph_paths(has_tf: bool) -> list[str]:
    paths = [
        "run=torch",
        "run=torch&limit_attr_size=30&large_attrs_key=_too_large_attrs",
    ]
    if has_tf:
        paths += [
            "run=trace&tag=step_trace",
            "run=trace&tag=step_trace&limit_attr_size=60&large_attrs_key=_big",
            "run=keras/train&tag=keras&conceptual=true",
        ]
    return paths


def _modelled(graph):
    """``graph`` without what Heron's protos leave out (reference §2.6): full types, debug info.

    TensorFlow fills ``experimental_type`` on some nodes (datasets, resources);
    Heron's ``FullTypeDef`` is empty, so it prints such a field without its content.
    """
    graph.ClearField("debug_info")
    for node in [*graph.node, *(n for f in graph.library.function for n in f.node_def)]:
        node.ClearField("experimental_type")
    return graph


# --- graphs ----------------------------------------------------------------------------------


def test_same_graph_info(both, logdir):
    tb, ours, _ = both("/data/plugin/graphs/info")
    info = json.loads(ours)
    assert info == json.loads(tb)
    _, has_tf = logdir
    assert set(info) == {"torch", *(TF_RUNS if has_tf else ())}


def test_same_graphs(both, logdir):
    from google.protobuf import text_format
    from tensorboard.compat.proto import graph_pb2

    _, has_tf = logdir
    for query in _graph_paths(has_tf):
        tb, ours, content_type = both("/data/plugin/graphs/graph?" + query)
        assert content_type.startswith("text/x-protobuf")
        tb_graph = text_format.Parse(tb.decode(), graph_pb2.GraphDef())
        graph = text_format.Parse(ours.decode(), graph_pb2.GraphDef())
        assert len(graph.node) > 2, query
        assert _modelled(graph) == _modelled(tb_graph), query


def test_graph_text_is_byte_identical_for_the_run_graph(both):
    tb, ours, _ = both("/data/plugin/graphs/graph?run=torch")
    assert ours == tb


def test_same_run_metadata(both):
    from google.protobuf import text_format
    from tensorboard.compat.proto import config_pb2

    tb, ours, content_type = both("/data/plugin/graphs/run_metadata?run=torch&tag=step1")
    assert content_type.startswith("text/x-protobuf")
    parsed = text_format.Parse(ours.decode(), config_pb2.RunMetadata())
    assert parsed == text_format.Parse(tb.decode(), config_pb2.RunMetadata())
    assert parsed.step_stats.dev_stats[0].device == "/device:CPU:0"


# --- Time Series -----------------------------------------------------------------------------


def test_same_time_series_tags(both):
    tb, ours, _ = both("/data/plugin/timeseries/tags")
    assert json.loads(ours) == json.loads(tb)


def _series(both, requests):
    tb, ours, _ = both(
        "/data/plugin/timeseries/timeSeries", form={"requests": json.dumps(requests)}
    )
    return json.loads(tb), json.loads(ours)


def test_tensorboards_sampled_scalars_are_a_subset_of_herons(both):
    [tb], [ours] = _series(both, [{"plugin": "scalars", "tag": "loss"}])
    assert {key: tb[key] for key in ("plugin", "tag")} == {
        key: ours[key] for key in ("plugin", "tag")
    }
    assert sorted(ours["runToSeries"]) == sorted(tb["runToSeries"]) == ["other", "torch"]
    for run, tb_points in tb["runToSeries"].items():
        points = ours["runToSeries"][run]
        assert len(tb_points) < len(points)
        by_step = {point["step"]: point for point in points}
        for point in tb_points:
            assert by_step[point["step"]] == point
        assert tb_points[-1] == points[-1]
    assert any(point["value"] == "NaN" for point in ours["runToSeries"]["torch"])


def test_tensorboards_sampled_histograms_are_a_subset_of_herons(both):
    request = {"plugin": "histograms", "tag": "weights", "run": "torch"}
    [tb], [ours] = _series(both, [request])
    assert ours["run"] == tb["run"] == "torch"
    tb_points, points = tb["runToSeries"]["torch"], ours["runToSeries"]["torch"]
    assert len(tb_points) == 51
    assert len(points) == 100
    by_step = {point["step"]: point for point in points}
    for point in tb_points:
        mine = by_step[point["step"]]
        assert mine["wallTime"] == point["wallTime"]
        assert mine["bins"] == point["bins"]


@pytest.mark.parametrize("sample", [0, 1, 2])
def test_images_at_tensorboards_steps_are_the_same_bytes(both, tensorboard, heron_client, sample):
    request = {"plugin": "images", "tag": "pics", "run": "torch", "sample": sample}
    [tb], [ours] = _series(both, [request])
    assert {k: tb[k] for k in ("plugin", "tag", "run", "sample")} == {
        k: ours[k] for k in ("plugin", "tag", "run", "sample")
    }
    if sample == 2:
        assert tb["runToSeries"] == ours["runToSeries"] == {}
        return
    tb_points, points = tb["runToSeries"]["torch"], ours["runToSeries"]["torch"]
    assert len(tb_points) == 10
    assert [point["step"] for point in points] == list(range(15))
    by_step = {point["step"]: point for point in points}
    for point in tb_points:
        mine = by_step[point["step"]]
        assert mine["wallTime"] == point["wallTime"]
        tb_bytes = tensorboard("/data/plugin/timeseries/imageData?imageId=" + point["imageId"])
        served = heron_client.get(
            "/data/plugin/timeseries/imageData", params={"imageId": mine["imageId"]}
        )
        assert served.content == tb_bytes.get_data()
        assert served.headers["content-type"] == tb_bytes.headers["content-type"]


def test_same_errors_for_malformed_requests(both):
    requests = [
        {"plugin": "scalars"},
        {"plugin": "audio", "tag": "x"},
        {"plugin": "histograms", "tag": "weights"},
        {"plugin": "images", "tag": "pics", "run": "torch"},
        {"plugin": "scalars", "tag": "loss", "run": "ghost"},
    ]
    tb, ours = _series(both, requests)
    assert ours == tb
