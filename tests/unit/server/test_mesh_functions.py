"""The mesh plugin's plain functions and routes, over a real index of a real logdir."""

from __future__ import annotations

import json

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.mesh_plugin_pb2 import MeshPluginData
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.mesh import mesh as mesh_values
from heron.plugins import default_plugins
from heron.plugins.mesh import mesh_data, mesh_tags, meshes
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

RNG = np.random.default_rng(0)
CUBE = RNG.uniform(-1, 1, (1, 8, 3)).astype(np.float32)
CUBE_FACES = RNG.integers(0, 8, (1, 12, 3)).astype(np.int32)
CUBE_COLORS = RNG.integers(0, 256, (1, 8, 3)).astype(np.uint8)
CONFIG = {"camera": {"cls": "PerspectiveCamera", "fov": 75}}
#: Point clouds of two samples whose size changes between steps 0 and 5.
CLOUDS = {0: RNG.normal(size=(2, 4, 3)), 5: RNG.normal(size=(2, 6, 3))}


def _with_metadata(values: list[Summary.Value], **changes: int) -> Summary:
    """``values`` whose MeshPluginData has ``changes`` applied (old or future writers)."""
    for value in values:
        content = MeshPluginData.FromString(value.metadata.plugin_data.content)
        for field, number in changes.items():
            setattr(content, field, number)
        value.metadata.plugin_data.content = content.SerializeToString()
    return Summary(value=values)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("mesh") / "logs"
    with SummaryWriter(root / "a") as writer:
        for step in range(3):
            writer.add_mesh(
                "cube",
                CUBE + step,
                colors=CUBE_COLORS,
                faces=CUBE_FACES,
                config_dict=CONFIG,
                global_step=step,
            )
        for step, cloud in CLOUDS.items():
            colors = np.full(cloud.shape, 200, np.uint8)
            writer.add_mesh("cloud", cloud, colors=colors, global_step=step)
        file_writer = writer._get_file_writer()
        legacy = mesh_values("legacy", vertices=CUBE)
        file_writer.add_summary(_with_metadata(legacy, components=0), global_step=0)
        future = mesh_values("future", vertices=CUBE)
        file_writer.add_summary(_with_metadata(future, version=1), global_step=0)
        writer.add_scalar("loss", 1.0, 0)
    with SummaryWriter(root / "b") as writer:
        writer.add_mesh("cube", CUBE, global_step=1)
    with SummaryWriter(root / "scalars_only") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


def test_tags_name_meshes_with_their_batch_size(provider):
    assert mesh_tags(provider) == {
        "a": {"cube": {"samples": 1}, "cloud": {"samples": 2}, "legacy": {"samples": 1}},
        "b": {"cube": {"samples": 1}},
    }


def test_meshes_list_each_component_of_each_step(provider):
    entries = meshes(provider, "a", "cube")
    assert [(e["step"], e["content_type"]) for e in entries] == [
        (step, kind) for step in range(3) for kind in (1, 2, 3)
    ]
    first = entries[0]
    assert first["components"] == 14
    assert json.loads(first["config"]) == CONFIG
    assert first["wall_time"] > 1e9
    assert [e["data_shape"] for e in entries[:3]] == [[1, 8, 3], [1, 12, 3], [1, 8, 3]]


def test_point_cloud_has_its_components_and_each_steps_shape(provider):
    entries = meshes(provider, "a", "cloud")
    assert {e["components"] for e in entries} == {(1 << 1) | (1 << 3)}
    assert [(e["step"], e["content_type"], e["data_shape"]) for e in entries] == [
        (0, 1, [2, 4, 3]),
        (0, 3, [2, 4, 3]),
        (5, 1, [2, 6, 3]),
        (5, 3, [2, 6, 3]),
    ]


def test_old_metadata_without_components_means_all_three(provider):
    assert {e["components"] for e in meshes(provider, "a", "legacy")} == {14}


def test_metadata_of_a_newer_version_is_skipped(provider):
    assert "future" not in mesh_tags(provider)["a"]
    with pytest.raises(NotFoundError):
        meshes(provider, "a", "future")


def test_downsampling_keeps_the_last_step_when_asked(provider):
    entries = meshes(provider, "a", "cube", max_points=2)
    steps = sorted({e["step"] for e in entries})
    assert len(steps) <= 2
    assert steps[-1] == 2


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("VERTEX", (CUBE[0] + 1).astype("<f4")),
        ("FACE", CUBE_FACES[0].astype("<i4")),
        ("COLOR", CUBE_COLORS[0].astype("<u1")),
    ],
)
def test_data_is_one_sample_as_little_endian_bytes(provider, content_type, expected):
    data = mesh_data(provider, "a", "cube", content_type=content_type, step=1.0)
    assert data == expected.reshape(-1).tobytes()


def test_data_of_a_later_sample(provider):
    data = mesh_data(provider, "a", "cloud", content_type="VERTEX", step=5, sample=1)
    assert np.frombuffer(data, "<f4").reshape(6, 3) == pytest.approx(CLOUDS[5][1])


@pytest.mark.parametrize("content_type", ["UNDEFINED", "vertex", "", "NORMAL"])
def test_unknown_content_type_is_invalid(provider, content_type):
    with pytest.raises(InvalidArgumentError):
        mesh_data(provider, "a", "cube", content_type=content_type, step=0)


@pytest.mark.parametrize(
    ("run", "name", "content_type", "step", "sample"),
    [
        ("ghost", "cube", "VERTEX", 0, 0),
        ("a", "ghost", "VERTEX", 0, 0),
        ("scalars_only", "loss", "VERTEX", 0, 0),
        ("a", "cloud", "FACE", 0, 0),  # a point cloud has no faces
        ("a", "cube", "VERTEX", 7, 0),
        ("a", "cube", "VERTEX", 0.5, 0),
        ("a", "cube", "VERTEX", 0, 1),
    ],
)
def test_what_the_mesh_lacks_is_not_found(provider, run, name, content_type, step, sample):
    with pytest.raises(NotFoundError):
        mesh_data(provider, run, name, content_type=content_type, step=step, sample=sample)


@pytest.mark.parametrize(("run", "name"), [("ghost", "cube"), ("a", "nope"), ("b", "cloud")])
def test_meshes_of_an_unknown_run_or_name_are_not_found(provider, run, name):
    with pytest.raises(NotFoundError):
        meshes(provider, run, name)


def test_tags_and_meshes_routes(client, provider):
    assert client.get("/data/plugin/mesh/tags").json() == mesh_tags(provider)
    response = client.get("/data/plugin/mesh/meshes", params={"run": "a", "tag": "cloud"})
    assert response.status_code == 200
    assert response.json() == meshes(provider, "a", "cloud")


def test_data_route_sends_raw_bytes_as_tensorboard_labels_them(client):
    params = {"run": "a", "tag": "cube", "content_type": "VERTEX", "step": "2.0"}
    response = client.get("/data/plugin/mesh/data", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "arraybuffer"
    assert response.content == (CUBE[0] + 2).astype("<f4").tobytes()
    # The step defaults to 0.
    del params["step"]
    assert client.get("/data/plugin/mesh/data", params=params).content == CUBE[0].tobytes()


@pytest.mark.parametrize(
    ("route", "query", "status"),
    [
        ("meshes", "run=a", 400),
        ("meshes", "tag=cube", 400),
        ("meshes", "run=a&tag=cube&max_points=1", 400),
        ("meshes", "run=ghost&tag=cube", 404),
        ("data", "run=a&tag=cube", 400),
        ("data", "run=a&tag=cube&content_type=BAD", 400),
        ("data", "run=a&tag=cube&content_type=VERTEX&step=abc", 400),
        ("data", "run=a&tag=cube&content_type=VERTEX&step=nan", 400),
        ("data", "run=a&tag=cube&content_type=VERTEX&sample=-1", 400),
        ("data", "run=a&tag=cube&content_type=VERTEX&sample=x", 400),
        ("data", "run=a&tag=cube&content_type=VERTEX&step=9", 404),
        ("data", "run=a&tag=cube&content_type=VERTEX&sample=3", 404),
        ("data", "run=ghost&tag=cube&content_type=VERTEX", 404),
    ],
)
def test_route_errors(client, route, query, status):
    response = client.get(f"/data/plugin/mesh/{route}?{query}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain")


def test_plugin_is_listed_as_tensorboard_lists_it(client):
    listing = client.get("/data/plugins_listing").json()["mesh"]
    assert listing["enabled"] is True
    assert listing["tab_name"] == "mesh"
    assert listing["loading_mechanism"]["element_name"] == "mesh-dashboard"
