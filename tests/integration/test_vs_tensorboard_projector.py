"""Heron's projector routes against real TensorBoard's projector plugin, on one logdir.

The logdir holds embeddings written by Heron's and PyTorch's ``add_embedding``,
a hand-written config with a binary float32 tensor, header-less metadata and
bookmarks, and a config in the logdir itself (run ``.``, no event files).
TensorBoard runs in-process as a WSGI app; both must answer the same.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app

from .test_server_app import TestClient

pytest.importorskip("tensorboard")
werkzeug_test = pytest.importorskip("werkzeug.test")

#: (run, embedding name, has metadata, has bookmarks, has sprite).
EMBEDDINGS = [
    ("heron_run", "points:00003", True, False, True),
    ("heron_run", "labels_only:00004", True, False, False),
    ("hand", "binary", True, True, False),
    ("hand", "text", False, False, False),
    (".", "root", True, False, False),
]


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("vs_tb_projector") / "logs"
    rng = np.random.default_rng(1)
    with SummaryWriter(root / "heron_run") as writer:
        writer.add_scalar("loss", 1.0, 0)
        writer.add_embedding(
            rng.normal(size=(6, 4)),
            metadata=[[f"p{i}", str(i % 3)] for i in range(6)],
            metadata_header=["name", "group"],
            label_img=rng.integers(0, 256, (6, 3, 5, 5), dtype=np.uint8),
            global_step=3,
            tag="points",
        )
        writer.add_embedding(
            rng.normal(size=(3, 2)), metadata=["x", "y", "z"], global_step=4, tag="labels_only"
        )
    hand = root / "hand"
    with SummaryWriter(hand) as writer:
        writer.add_scalar("loss", 1.0, 0)
    rng.normal(size=(5, 3)).astype("<f4").tofile(hand / "vectors.bin")
    (hand / "labels.tsv").write_text("one\ntwo\nthree\nfour\nfive\n")
    (hand / "marks.json").write_text('[{"label": "first", "selectedPoints": [0]}]')
    (hand / "text.tsv").write_text("0.5\t1\n\n2\t-3.25\n")
    (hand / "projector_config.pbtxt").write_text(
        'embeddings { tensor_name: "binary:0" tensor_path: "vectors.bin" tensor_shape: [5, 3]\n'
        '  metadata_path: "labels.tsv" bookmarks_path: "marks.json" }\n'
        'embeddings { tensor_name: "text" tensor_path: "text.tsv" }\n'
    )
    (root / "root.tsv").write_text("1\t2\t3\n4\t5\t6\n")
    (root / "root_meta.tsv").write_text("a\tb\nr1\tx\nr2\ty\n")
    (root / "projector_config.pbtxt").write_text(
        'embeddings { tensor_name: "root" tensor_path: "root.tsv" metadata_path: "root_meta.tsv" }'
    )
    return root


@pytest.fixture(scope="module")
def torch_logdir(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    root = tmp_path_factory.mktemp("vs_tb_projector_torch") / "logs"
    writer = TorchWriter(str(root / "torch_run"))
    generator = torch.Generator().manual_seed(0)
    writer.add_embedding(
        torch.randn(7, 3, generator=generator),
        metadata=[f"m{i}" for i in range(7)],
        label_img=torch.rand(7, 3, 4, 4, generator=generator),
        global_step=0,
        tag="torch_points",
    )
    writer.close()
    return root


def _tensorboard(logdir):
    from tensorboard.backend import application
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.projector import projector_plugin

    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    context = base_plugin.TBContext(
        logdir=str(logdir), multiplexer=multiplexer, data_provider=provider
    )
    app = application.TensorBoardWSGI(
        [projector_plugin.ProjectorPlugin(context)], data_provider=provider
    )
    client = werkzeug_test.Client(app)

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, response.get_data()
        return response.get_data(), response.headers["Content-Type"]

    return get


def _heron(logdir, db):
    experiment = heron.open(logdir, db=db)
    client = TestClient(create_app(ServerConfig(), experiment.provider, plugins=default_plugins()))

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, response.text
        return response.content, response.headers["content-type"]

    return experiment, get


@pytest.fixture(scope="module")
def both(logdir, tmp_path_factory):
    experiment, heron_get = _heron(logdir, tmp_path_factory.mktemp("db") / "index.sqlite")
    with experiment:
        yield _tensorboard(logdir), heron_get


BASE = "/data/plugin/projector"


def test_same_runs(both):
    tensorboard, ours = both
    assert sorted(json.loads(ours(f"{BASE}/runs")[0])) == sorted(
        json.loads(tensorboard(f"{BASE}/runs")[0])
    )
    assert sorted(json.loads(ours(f"{BASE}/runs")[0])) == [".", "hand", "heron_run"]


@pytest.mark.parametrize("run", [".", "hand", "heron_run"])
def test_same_info(both, run):
    tensorboard, ours = both
    assert json.loads(ours(f"{BASE}/info?run={run}")[0]) == json.loads(
        tensorboard(f"{BASE}/info?run={run}")[0]
    )


@pytest.mark.parametrize(("run", "name", "metadata", "bookmarks", "sprite"), EMBEDDINGS)
@pytest.mark.parametrize("rows", ["", "&num_rows=2"])
def test_same_tensor_and_metadata(both, run, name, metadata, bookmarks, sprite, rows):
    tensorboard, ours = both
    query = f"run={run}&name={name}{rows}"
    theirs, _ = tensorboard(f"{BASE}/tensor?{query}")
    mine, media_type = ours(f"{BASE}/tensor?{query}")
    assert media_type == "application/octet-stream"
    assert mine == theirs
    if metadata:
        assert ours(f"{BASE}/metadata?{query}")[0] == tensorboard(f"{BASE}/metadata?{query}")[0]


@pytest.mark.parametrize(("run", "name", "metadata", "bookmarks", "sprite"), EMBEDDINGS)
def test_same_bookmarks_and_sprites(both, run, name, metadata, bookmarks, sprite):
    tensorboard, ours = both
    query = f"run={run}&name={name}"
    if bookmarks:
        mine, media_type = ours(f"{BASE}/bookmarks?{query}")
        assert media_type == "application/json"
        assert mine == tensorboard(f"{BASE}/bookmarks?{query}")[0]
    if sprite:
        mine, media_type = ours(f"{BASE}/sprite_image?{query}")
        theirs, their_type = tensorboard(f"{BASE}/sprite_image?{query}")
        assert (mine, media_type) == (theirs, their_type)


def test_same_answers_for_pytorchs_add_embedding(torch_logdir, tmp_path_factory):
    tensorboard = _tensorboard(torch_logdir)
    experiment, ours = _heron(torch_logdir, tmp_path_factory.mktemp("db") / "torch.sqlite")
    with experiment:
        assert json.loads(ours(f"{BASE}/runs")[0]) == ["torch_run"]
        info = f"{BASE}/info?run=torch_run"
        assert json.loads(ours(info)[0]) == json.loads(tensorboard(info)[0])
        for path in (
            f"{BASE}/tensor?run=torch_run&name=torch_points:00000",
            f"{BASE}/metadata?run=torch_run&name=torch_points:00000&num_rows=3",
            f"{BASE}/sprite_image?run=torch_run&name=torch_points:00000",
        ):
            assert ours(path)[0] == tensorboard(path)[0], path
