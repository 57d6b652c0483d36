"""Heron's plugin routes against real TensorBoard's, on one logdir.

TensorBoard samples at most 1,000 points per series; Heron returns all of
them, so TensorBoard's points must be a subset of Heron's, with equal values
(NaN and infinities included, as TensorBoard's strings). Histograms, images,
audio and text have fewer steps than TensorBoard keeps, so both must be
equal (image and clip bytes too); text HTML differs by renderer, so only its
steps are compared.
"""

from __future__ import annotations

import json
import math

import numpy as np
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
    rng = np.random.default_rng(0)
    with SummaryWriter(root / "a") as writer:
        for step in range(20):
            writer.add_histogram("weights", rng.normal(step, 1.0, 500), step)
            writer.add_histogram("auto", rng.exponential(1.0, 200), step, bins="auto")
            if step % 4 == 0:
                writer.add_text("notes", f"step **{step}**", step)
                writer.add_audio("hum", rng.uniform(-1, 1, 400), step, sample_rate=8000)
                writer.add_image("noise", rng.integers(0, 256, (3, 6, 5), dtype=np.uint8), step)
    return root


@pytest.fixture(scope="module")
def tensorboard(logdir):
    from tensorboard.backend import application
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.audio import audio_plugin
    from tensorboard.plugins.distribution import distributions_plugin
    from tensorboard.plugins.histogram import histograms_plugin
    from tensorboard.plugins.image import images_plugin
    from tensorboard.plugins.scalar import scalars_plugin
    from tensorboard.plugins.text import text_plugin

    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    context = base_plugin.TBContext(
        logdir=str(logdir), multiplexer=multiplexer, data_provider=provider
    )
    app = application.TensorBoardWSGI(
        [
            scalars_plugin.ScalarsPlugin(context),
            histograms_plugin.HistogramsPlugin(context),
            distributions_plugin.DistributionsPlugin(context),
            images_plugin.ImagesPlugin(context),
            audio_plugin.AudioPlugin(context),
            text_plugin.TextPlugin(context),
        ],
        data_provider=provider,
    )
    client = werkzeug_test.Client(app)

    def get(path: str, *, raw: bool = False):
        response = client.get(path)
        assert response.status_code == 200, response.get_data()
        return response.get_data() if raw else json.loads(response.get_data())

    return get


@pytest.fixture(scope="module")
def heron_get(logdir, tmp_path_factory):
    db = tmp_path_factory.mktemp("vs_tb_db") / "index.sqlite"
    with heron.open(logdir, db=db) as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )

        def get(path: str, *, raw: bool = False):
            response = client.get(path)
            assert response.status_code == 200, response.text
            return response.content if raw else response.json()

        yield get


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


@pytest.mark.parametrize("plugin", ["histograms", "distributions", "images", "audio", "text"])
def test_same_histogram_tags(tensorboard, heron_get, plugin):
    assert heron_get(f"/data/plugin/{plugin}/tags") == tensorboard(f"/data/plugin/{plugin}/tags")


@pytest.mark.parametrize("tag", ["weights", "auto"])
def test_same_histograms(tensorboard, heron_get, tag):
    path = f"/data/plugin/histograms/histograms?run=a&tag={tag}"
    assert heron_get(path) == tensorboard(path)


@pytest.mark.parametrize("tag", ["weights", "auto"])
def test_same_distributions(tensorboard, heron_get, tag):
    path = f"/data/plugin/distributions/distributions?run=a&tag={tag}"
    tb_points, ours = tensorboard(path), heron_get(path)
    assert [point[:2] for point in ours] == [point[:2] for point in tb_points]
    for (_, _, tb_compressed), (_, _, compressed) in zip(tb_points, ours, strict=True):
        assert [bp for bp, _ in compressed] == [bp for bp, _ in tb_compressed]
        assert [v for _, v in compressed] == pytest.approx([v for _, v in tb_compressed])


def test_same_images(tensorboard, heron_get):
    path = "/data/plugin/images/images?run=a&tag=noise"
    tb_entries, ours = tensorboard(path), heron_get(path)
    assert [(e["wall_time"], e["step"]) for e in ours] == [
        (e["wall_time"], e["step"]) for e in tb_entries
    ]
    for tb_entry, entry in zip(tb_entries, ours, strict=True):
        tb_bytes = tensorboard("/data/plugin/images/individualImage?" + tb_entry["query"], raw=True)
        assert (
            heron_get("/data/plugin/images/individualImage?" + entry["query"], raw=True) == tb_bytes
        )


def test_same_text_steps(tensorboard, heron_get):
    path = "/data/plugin/text/text?run=a&tag=notes/text_summary"
    tb_entries, ours = tensorboard(path), heron_get(path)
    assert [(e["wall_time"], e["step"]) for e in ours] == [
        (e["wall_time"], e["step"]) for e in tb_entries
    ]
    assert all("<strong>" in e["text"] for e in ours)


def test_same_audio(tensorboard, heron_get):
    path = "/data/plugin/audio/audio?run=a&tag=hum"
    tb_clips, ours = tensorboard(path), heron_get(path)
    keep = ("wall_time", "step", "label", "contentType")
    assert [[c[k] for k in keep] for c in ours] == [[c[k] for k in keep] for c in tb_clips]
    for tb_clip, clip in zip(tb_clips, ours, strict=True):
        tb_bytes = tensorboard("/data/plugin/audio/individualAudio?" + tb_clip["query"], raw=True)
        assert (
            heron_get("/data/plugin/audio/individualAudio?" + clip["query"], raw=True) == tb_bytes
        )
