"""The projector plugin: its plain functions and its routes, over a real index of real files."""

from __future__ import annotations

import json

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.errors import NotFoundError
from heron.plugins import default_plugins
from heron.plugins.projector import (
    ProjectorPlugin,
    bookmarks,
    metadata,
    projector_info,
    projector_runs,
    sprite_image,
    tensor_bytes,
)
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

POINTS = np.arange(15, dtype=np.float32).reshape(5, 3) / 4
BINARY = np.arange(8, dtype="<f4").reshape(4, 2)
BOOKMARKS = b'[{"label": "start", "projections": {}}]'
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def _write(root):
    """Run "heron": TSV tensor, two-column metadata with header, PNG sprite (Heron's writer).

    Run "hand": binary float32 tensor "bin" with header-less metadata, bookmarks and a JPEG
    sprite; TSV tensor "tsv:0" without metadata; "escape" naming a file outside the logdir.
    """
    with SummaryWriter(root / "heron") as writer:
        writer.add_scalar("loss", 1.0, 0)
        writer.add_embedding(
            POINTS,
            metadata=[[f"p{i}", i % 2] for i in range(5)],
            metadata_header=["name", "parity"],
            label_img=np.zeros((5, 3, 4, 4), dtype=np.uint8),
            global_step=2,
            tag="points",
        )
    hand = root / "hand"
    with SummaryWriter(hand) as writer:
        writer.add_scalar("loss", 1.0, 0)
    BINARY.tofile(hand / "bin.bytes")
    (hand / "labels.tsv").write_text("a\nb\nc\nd\n")
    (hand / "marks.json").write_bytes(BOOKMARKS)
    (hand / "sprite.jpg").write_bytes(JPEG)
    (hand / "t.tsv").write_text("1\t2\n\n3\t4\n")
    (root.parent / "secret.tsv").write_text("s\n")
    (hand / "ragged.tsv").write_text("1\t2\n3\n")
    (hand / "words.tsv").write_text("one\ttwo\n")
    (hand / "projector_config.pbtxt").write_text(
        'embeddings { tensor_name: "bin" tensor_path: "bin.bytes" tensor_shape: [4, 2]\n'
        '  metadata_path: "labels.tsv" bookmarks_path: "marks.json"\n'
        '  sprite { image_path: "sprite.jpg" single_image_dim: [1, 1] } }\n'
        'embeddings { tensor_name: "tsv:0" tensor_path: "t.tsv" }\n'
        'embeddings { tensor_name: "escape" tensor_path: "t.tsv"\n'
        '  metadata_path: "../../secret.tsv" }\n'
        'embeddings { tensor_name: "ragged" tensor_path: "ragged.tsv" }\n'
        'embeddings { tensor_name: "words" tensor_path: "words.tsv" }'
    )


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    base = tmp_path_factory.mktemp("projector")
    _write(base / "logs")
    with heron.open(base / "logs", db=base / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


def test_runs_are_those_with_a_usable_config(provider):
    assert projector_runs(provider) == ["hand", "heron"]
    assert ProjectorPlugin().is_active(provider)


def test_info_is_the_config_as_proto_json(provider):
    (embedding,) = projector_info(provider, "heron")["embeddings"]
    assert embedding["tensorName"] == "points:00002"
    assert embedding["tensorShape"] == [5, 3]
    names = [e["tensorName"] for e in projector_info(provider, "hand")["embeddings"]]
    assert names == ["bin", "tsv", "escape", "ragged", "words"]


def test_a_tsv_tensor_is_sent_as_float32_rows(provider):
    data = tensor_bytes(provider, "heron", "points:00002", num_rows=None)
    assert np.array_equal(np.frombuffer(data, "<f4").reshape(5, 3), POINTS)
    data = tensor_bytes(provider, "heron", "points:00002", num_rows=2)
    assert np.array_equal(np.frombuffer(data, "<f4").reshape(2, 3), POINTS[:2])
    # Blank lines are skipped; "tsv" and "tsv:0" name the same tensor.
    data = tensor_bytes(provider, "hand", "tsv:0", num_rows=None)
    assert np.frombuffer(data, "<f4").tolist() == [1, 2, 3, 4]


def test_a_binary_tensor_is_sent_as_is_and_cut_by_rows(provider):
    assert tensor_bytes(provider, "hand", "bin", num_rows=None) == BINARY.tobytes()
    assert tensor_bytes(provider, "hand", "bin", num_rows=3) == BINARY[:3].tobytes()


def test_metadata_header_is_not_counted_in_num_rows(provider):
    text = metadata(provider, "heron", "points:00002", num_rows=2)
    assert text == "name\tparity\np0\t0\np1\t1\n"
    assert metadata(provider, "hand", "bin", num_rows=2) == "a\nb\n"
    assert metadata(provider, "hand", "bin", num_rows=None) == "a\nb\nc\nd\n"


def test_bookmarks_and_sprites(provider):
    assert bookmarks(provider, "hand", "bin") == BOOKMARKS
    assert sprite_image(provider, "hand", "bin") == (JPEG, "image/jpeg")
    png, media_type = sprite_image(provider, "heron", "points:00002")
    assert media_type == "image/png"
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("run", "name"),
    [("ghost", "bin"), ("hand", "ghost"), ("hand", "tsv:1"), (".", "bin")],
)
def test_unknown_runs_and_embeddings_are_not_found(provider, run, name):
    with pytest.raises(NotFoundError):
        tensor_bytes(provider, run, name, num_rows=None)


def test_a_file_the_embedding_does_not_name_is_not_found(provider):
    with pytest.raises(NotFoundError, match="names no bookmarks"):
        bookmarks(provider, "hand", "tsv")
    with pytest.raises(NotFoundError, match="not served"):
        metadata(provider, "hand", "escape", num_rows=None)


# -- routes ---------------------------------------------------------------------------------


def test_routes_answer_like_tensorboard(client):
    base = "/data/plugin/projector"
    assert client.get(f"{base}/runs").json() == ["hand", "heron"]
    info = client.get(f"{base}/info?run=heron")
    assert info.status_code == 200
    assert info.json()["embeddings"][0]["tensorShape"] == [5, 3]
    tensor = client.get(f"{base}/tensor?run=hand&name=bin&num_rows=1")
    assert tensor.headers["content-type"] == "application/octet-stream"
    assert tensor.content == BINARY[:1].tobytes()
    meta = client.get(f"{base}/metadata?run=heron&name=points:00002&num_rows=1")
    assert meta.headers["content-type"].startswith("text/plain")
    assert meta.text == "name\tparity\np0\t0\n"
    marks = client.get(f"{base}/bookmarks?run=hand&name=bin")
    assert marks.headers["content-type"] == "application/json"
    assert json.loads(marks.content) == json.loads(BOOKMARKS)
    sprite = client.get(f"{base}/sprite_image?run=hand&name=bin")
    assert sprite.headers["content-type"] == "image/jpeg"
    assert sprite.headers["x-content-type-options"] == "nosniff"
    assert sprite.content == JPEG
    assert "projector" in client.get("/data/plugins_listing").json()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("info", 400),
        ("info?run=ghost", 404),
        ("tensor?run=hand", 400),
        ("tensor?name=bin", 400),
        ("tensor?run=hand&name=bin&num_rows=0", 400),
        ("tensor?run=hand&name=bin&num_rows=x", 400),
        ("tensor?run=hand&name=nope", 404),
        ("metadata?run=hand&name=tsv", 404),
        ("sprite_image?run=hand&name=tsv", 404),
        ("bookmarks?run=ghost&name=bin", 404),
        ("tensor?run=hand&name=ragged", 400),
        ("tensor?run=hand&name=words", 400),
    ],
)
def test_bad_requests_are_4xx_never_500(client, query, status):
    response = client.get(f"/data/plugin/projector/{query}")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "query",
    [
        "metadata?run=hand&name=escape",
        "tensor?run=hand&name=../../secret.tsv",
        "tensor?run=../..&name=secret.tsv",
        "metadata?run=hand&name=/etc/passwd",
        "tensor?run=/etc&name=passwd",
    ],
)
def test_no_url_reaches_the_filesystem(client, query):
    response = client.get(f"/data/plugin/projector/{query}")
    assert response.status_code == 404
    assert response.text != "s\n"
