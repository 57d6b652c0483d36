"""Heron's PR-curves, custom-scalars and mesh routes against real TensorBoard's, on one logdir.

The logdir is written by three writers — Heron's, PyTorch's and tensorboardX's
— and served in-process by TensorBoard's own plugins (its WSGI app over its
Python loader) and by Heron. Every series has fewer points than TensorBoard
keeps, so its sampling keeps them all and the answers must be equal: JSON
(NaN and infinities as TensorBoard's strings), CSV text and raw mesh bytes.
Where Heron differs by design (404 instead of 400 or ``[]`` for unknown
names), only successful answers are compared.
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

pytest.importorskip("tensorboard")
werkzeug_test = pytest.importorskip("werkzeug.test")
torch_tensorboard = pytest.importorskip("torch.utils.tensorboard")
tbx = pytest.importorskip("tensorboardX")

pytestmark = pytest.mark.compat

RUNS = ("heron_run", "tbx_run", "torch_run")
RNG = np.random.default_rng(7)
CUBE = RNG.uniform(-1, 1, (1, 8, 3)).astype(np.float32)
CUBE_FACES = RNG.integers(0, 8, (1, 12, 3)).astype(np.int32)
CUBE_COLORS = RNG.integers(0, 256, (1, 8, 3)).astype(np.uint8)
CONFIG = {"camera": {"cls": "PerspectiveCamera", "fov": 75}}


def _classifier(step: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predictions below 0.6, so the trailing thresholds have TP + FP == 0."""
    labels = RNG.integers(0, 2, 200)
    predictions = np.clip(labels * 0.3 + RNG.uniform(0, 0.29, 200) + step * 0.001, 0, 1)
    return labels, predictions


def _scalars(writer, points: int) -> None:
    for step in range(points):
        writer.add_scalar("loss/train", 1.0 / (step + 1), step)
        writer.add_scalar("loss/val", math.nan if step == 3 else 2.0 / (step + 1), step)
        writer.add_scalar("acc", step / points, step)
        writer.add_scalar("acc_lo", step / points - 0.1, step)
        writer.add_scalar("acc_hi", step / points + 0.1, step)
    writer.add_scalar("loss/val", math.inf, points)


def _write_heron(root) -> None:
    with SummaryWriter(root / "heron_run") as writer:
        for step in range(10):
            writer.add_pr_curve("pr", *_classifier(step), step)
        writer.add_pr_curve_raw(
            "raw",
            true_positive_counts=[10, 8, 5, 2, 0],
            false_positive_counts=[10, 4, 1, 0, 0],
            true_negative_counts=[0, 6, 9, 10, 10],
            false_negative_counts=[0, 2, 5, 8, 10],
            precision=[0.5, math.nan, 5 / 6, math.inf, 0.0],
            recall=[1.0, 0.8, 0.5, 0.2, 0.0],
            global_step=3,
            num_thresholds=5,
        )
        writer.add_custom_scalars({"Losses": {"all losses": ["Multiline", ["loss/.*"]]}})
        _scalars(writer, 300)
        for step in range(3):
            writer.add_mesh(
                "cube",
                CUBE + step,
                colors=CUBE_COLORS,
                faces=CUBE_FACES,
                config_dict=CONFIG,
                global_step=step,
            )
        for step in (0, 4):
            writer.add_mesh("cloud", RNG.normal(size=(2, 5 + step, 3)), global_step=step)


def _write_torch(root) -> None:
    import torch

    writer = torch_tensorboard.SummaryWriter(str(root / "torch_run"))
    for step in range(5):
        labels, predictions = _classifier(step)
        writer.add_pr_curve("pr", torch.tensor(labels), torch.tensor(predictions), step)
    writer.add_custom_scalars(
        {
            "Losses": {"all losses": ["Multiline", ["loss/.*"]]},
            "Accuracy": {"with margin": ["Margin", ["acc", "acc_lo", "acc_hi"]]},
        }
    )
    _scalars(writer, 200)
    for step in range(2):
        writer.add_mesh(
            "cube",
            torch.tensor(CUBE - step),
            colors=torch.tensor(CUBE_COLORS),
            faces=torch.tensor(CUBE_FACES),
            config_dict=CONFIG,
            global_step=step,
        )
    writer.close()


def _write_tensorboardx(root) -> None:
    writer = tbx.SummaryWriter(str(root / "tbx_run"))
    for step in range(4):
        writer.add_pr_curve("pr", *_classifier(step), step, num_thresholds=51)
    writer.add_custom_scalars({"Losses": {"validation": ["Multiline", ["loss/val"]]}})
    _scalars(writer, 50)
    writer.add_mesh("cube", CUBE, colors=CUBE_COLORS, faces=CUBE_FACES, global_step=0)
    writer.close()


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("vs_tb_pcm") / "logs"
    _write_heron(root)
    _write_torch(root)
    _write_tensorboardx(root)
    return root


@pytest.fixture(scope="module")
def tensorboard(logdir):
    from tensorboard.backend import application
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.custom_scalar import custom_scalars_plugin
    from tensorboard.plugins.mesh import mesh_plugin
    from tensorboard.plugins.pr_curve import pr_curves_plugin
    from tensorboard.plugins.scalar import scalars_plugin

    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    instances: dict[str, object] = {}
    context = base_plugin.TBContext(
        logdir=str(logdir),
        multiplexer=multiplexer,
        data_provider=provider,
        plugin_name_to_instance=instances,
    )
    # The custom-scalars plugin reads scalars through the scalars plugin's instance.
    instances["scalars"] = scalars_plugin.ScalarsPlugin(context)
    plugins = [
        instances["scalars"],
        custom_scalars_plugin.CustomScalarsPlugin(context),
        pr_curves_plugin.PrCurvesPlugin(context),
        mesh_plugin.MeshPlugin(context),
    ]
    client = werkzeug_test.Client(application.TensorBoardWSGI(plugins, data_provider=provider))

    def get(path: str, *, raw: bool = False):
        response = client.get(path)
        assert response.status_code == 200, response.get_data()
        return response.get_data() if raw else json.loads(response.get_data())

    return get


@pytest.fixture(scope="module")
def heron_get(logdir, tmp_path_factory):
    db = tmp_path_factory.mktemp("vs_tb_pcm_db") / "index.sqlite"
    with heron.open(logdir, db=db) as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )

        def get(path: str, *, raw: bool = False):
            response = client.get(path)
            assert response.status_code == 200, response.text
            return response.content if raw else response.json()

        yield get


@pytest.mark.parametrize(
    "route", ["pr_curves/tags", "mesh/tags", "custom_scalars/layout", "scalars/tags"]
)
def test_same_listing(tensorboard, heron_get, route):
    path = f"/data/plugin/{route}"
    assert heron_get(path) == tensorboard(path)


def test_layout_merges_every_writers_layout(heron_get):
    categories = heron_get("/data/plugin/custom_scalars/layout")["category"]
    assert [c["title"] for c in categories] == ["Losses", "Accuracy"]
    # heron_run's chart, then tbx_run's; torch_run's equal "all losses" chart is skipped.
    assert [chart["title"] for chart in categories[0]["chart"]] == ["all losses", "validation"]


@pytest.mark.parametrize(
    "query",
    [
        [("run", "heron_run"), ("tag", "pr")],
        [("run", "torch_run"), ("run", "tbx_run"), ("run", "heron_run"), ("tag", "pr")],
        [("run", "heron_run"), ("tag", "raw")],
    ],
)
def test_same_pr_curves(tensorboard, heron_get, query):
    path = "/data/plugin/pr_curves/pr_curves?" + urlencode(query)
    ours = heron_get(path)
    assert ours == tensorboard(path)
    # The comparison is not vacuous: curves were trimmed, and NaN travelled as TB's string.
    if ("tag", "pr") in query:
        assert 1 < len(ours["heron_run"][0]["thresholds"]) < 127
    else:
        assert ours["heron_run"][0]["precision"][:2] == [0.5, "NaN"]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("regex", ["loss/.*", "loss", "acc", "oss", "(", ""])
def test_same_custom_scalars(tensorboard, heron_get, run, regex):
    path = "/data/plugin/custom_scalars/scalars?" + urlencode({"run": run, "tag": regex})
    assert heron_get(path) == tensorboard(path)


def test_custom_scalars_of_a_run_without_scalars_match_tensorboards(tensorboard, heron_get):
    # Runs exist in both; "oss" matches nothing from the start: an empty map, not an error.
    path = "/data/plugin/custom_scalars/scalars?run=torch_run&tag=oss"
    assert heron_get(path) == tensorboard(path) == {"regex_valid": True, "tag_to_events": {}}


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize(("run", "tag"), [("heron_run", "loss/val"), ("torch_run", "acc")])
def test_same_download_data(tensorboard, heron_get, run, tag, fmt):
    query = urlencode({"run": run, "tag": tag, "format": fmt})
    path = f"/data/plugin/custom_scalars/download_data?{query}"
    if fmt == "csv":
        assert heron_get(path, raw=True) == tensorboard(path, raw=True)
    else:
        assert heron_get(path) == tensorboard(path)


def _without_shapes(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{key: value for key, value in e.items() if key != "data_shape"} for e in entries]


@pytest.mark.parametrize(
    ("run", "name"),
    [("heron_run", "cube"), ("heron_run", "cloud"), ("torch_run", "cube"), ("tbx_run", "cube")],
)
def test_same_meshes_and_mesh_bytes(tensorboard, heron_get, run, name):
    path = "/data/plugin/mesh/meshes?" + urlencode({"run": run, "tag": name})
    entries, tb_entries = heron_get(path), tensorboard(path)
    assert entries
    assert _without_shapes(entries) == _without_shapes(tb_entries)
    if name == "cloud":
        # By design: Heron sends each step's shape, TensorBoard repeats the first step's.
        assert [e["data_shape"] for e in entries] == [[2, 5, 3], [2, 9, 3]]
        assert [e["data_shape"] for e in tb_entries] == [[2, 5, 3], [2, 5, 3]]
    else:
        assert entries == tb_entries
    names = {1: "VERTEX", 2: "FACE", 3: "COLOR"}
    for entry in entries:
        for sample in range(entry["data_shape"][0]):
            query = {
                "run": run,
                "tag": name,
                "content_type": names[entry["content_type"]],
                "step": entry["step"],
                "sample": sample,
            }
            data_path = "/data/plugin/mesh/data?" + urlencode(query)
            data = heron_get(data_path, raw=True)
            assert data == tensorboard(data_path, raw=True)
            assert len(data) == math.prod(entry["data_shape"][1:]) * (
                4 if entry["content_type"] < 3 else 1
            )
