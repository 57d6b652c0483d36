"""Heron's scalars routes against real TensorBoard's, on the same logdir.

TensorBoard samples at most 1,000 points per series; Heron returns all of
them, so TensorBoard's points must be a subset of Heron's, with equal values
(NaN and infinities included, as TensorBoard's strings).
"""

from __future__ import annotations

import json
import math

import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app

from .test_server_app import TestClient

pytest.importorskip("tensorboard")
werkzeug_test = pytest.importorskip("werkzeug.test")


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("vs_tb") / "logs"
    for run, scale in (("a", 1.0), ("b/nested", 3.0)):
        with SummaryWriter(root / run) as writer:
            for step in range(3000):
                value = math.nan if step == 1234 else scale / (step + 1)
                writer.add_scalar("loss", value, step)
                if step % 2 == 0:
                    writer.add_scalar("acc", step / 3000, step)
            writer.add_scalar("loss", math.inf, 3000)
    return root


@pytest.fixture(scope="module")
def tensorboard(logdir):
    from tensorboard.backend import application
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.scalar import scalars_plugin

    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    context = base_plugin.TBContext(
        logdir=str(logdir), multiplexer=multiplexer, data_provider=provider
    )
    app = application.TensorBoardWSGI(
        [scalars_plugin.ScalarsPlugin(context)], data_provider=provider
    )
    client = werkzeug_test.Client(app)

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, response.get_data()
        return json.loads(response.get_data())

    return get


@pytest.fixture(scope="module")
def heron_get(logdir, tmp_path_factory):
    db = tmp_path_factory.mktemp("vs_tb_db") / "index.sqlite"
    with heron.open(logdir, db=db) as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )
        yield lambda path: client.get(path).json()


def test_same_runs_and_tags(tensorboard, heron_get):
    tb_tags = tensorboard("/data/plugin/scalars/tags")
    ours = heron_get("/data/plugin/scalars/tags")
    assert {run: sorted(tags) for run, tags in ours.items()} == {
        run: sorted(tags) for run, tags in tb_tags.items()
    }


@pytest.mark.parametrize(("run", "tag"), [("a", "loss"), ("a", "acc"), ("b/nested", "loss")])
def test_tensorboards_sampled_points_are_a_subset_of_herons(tensorboard, heron_get, run, tag):
    path = f"/data/plugin/scalars/scalars?run={run}&tag={tag}"
    tb_points = tensorboard(path)
    ours = heron_get(path)
    assert len(tb_points) <= 1000 < len(ours)
    by_step = {step: (wall, value) for wall, step, value in ours}
    for wall, step, value in tb_points:
        assert by_step[step] == (wall, value)
    assert tb_points[-1] == ours[-1]
