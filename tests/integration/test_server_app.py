"""The app in-process (httpx's ASGI transport) over a real index of a real logdir."""

from __future__ import annotations

import math

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.server.static import WEB_DIR
from heron.testing.asgi import TestClient

__all__ = ["TestClient"]  # other test modules import it from here


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("app") / "logs"
    with SummaryWriter(root / "train") as writer:
        for step in range(2000):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
        writer.add_scalar("loss", math.nan, 2000)
        for step in range(3):
            writer.add_histogram("weights", [1.0, 2.0, 2.0, 3.0], step, bins=[1.0, 2.0, 3.0])
            writer.add_image("digit", np.zeros((1, 4, 4), np.uint8), step)
            writer.add_audio("click", np.zeros(80), step, sample_rate=8000)
    with SummaryWriter(root / "eval") as writer:
        for step in range(0, 2000, 100):
            writer.add_scalar("loss", 0.5, step)
        writer.add_text("notes", "text only", 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    config = ServerConfig(logdir="logs", window_title="My runs")
    return TestClient(create_app(config, provider, plugins=default_plugins()))


def test_index_is_the_web_ui_or_says_how_to_build_it(client):
    # Which one depends on whether `make web` ran; tests/unit/server/test_static.py pins both.
    response = client.get("/")
    assert response.status_code == 200
    if (WEB_DIR / "index.html").exists():
        assert response.headers["content-type"].startswith("text/html")
        assert "<title>My runs</title>" in response.text
    else:
        assert response.headers["content-type"].startswith("text/plain")
        assert "make web" in response.text
        assert "/data/plugin/scalars/scalars" in response.text


def test_environment_logdir_and_window_properties(client):
    assert client.get("/data/environment").json()["window_title"] == "My runs"
    assert client.get("/data/logdir").json() == {"logdir": "logs"}
    assert client.get("/data/window_properties").json() == {"window_title": "My runs"}


def test_runs_are_in_start_order(client):
    assert client.get("/data/runs").json() == ["train", "eval"]


def test_plugins_listing_has_scalars(client):
    assert client.get("/data/plugins_listing").json()["scalars"]["enabled"] is True


def test_plugins_listing_enables_histograms_and_distributions(client):
    listing = client.get("/data/plugins_listing").json()
    assert listing["histograms"]["enabled"] is True
    assert listing["distributions"]["enabled"] is True
    assert listing["distributions"]["tab_name"] == "Distributions"


def test_histograms_tags_and_points(client):
    expected = {"train": {"weights": {"displayName": "", "description": ""}}}
    assert client.get("/data/plugin/histograms/tags").json() == expected
    assert client.get("/data/plugin/distributions/tags").json() == expected
    points = client.get("/data/plugin/histograms/histograms?run=train&tag=weights").json()
    assert [step for _, step, _ in points] == [0, 1, 2]
    assert points[0][2] == [[1.0, 2.0, 1.0], [2.0, 3.0, 3.0]]


def test_distributions_are_nine_basis_points_per_step(client):
    points = client.get("/data/plugin/distributions/distributions?run=train&tag=weights").json()
    assert [step for _, step, _ in points] == [0, 1, 2]
    compressed = points[0][2]
    assert [bp for bp, _ in compressed] == [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000]
    assert compressed[0][1] == 1.0
    assert compressed[-1][1] == 3.0


def test_images_tags_entries_and_bytes(client):
    assert client.get("/data/plugin/images/tags").json() == {
        "train": {"digit": {"displayName": "", "description": "", "samples": 1}}
    }
    entries = client.get("/data/plugin/images/images?run=train&tag=digit").json()
    assert [entry["step"] for entry in entries] == [0, 1, 2]
    assert client.get("/data/plugin/images/images?run=train&tag=digit&sample=1").json() == []
    response = client.get("/data/plugin/images/individualImage?" + entries[0]["query"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in response.headers["cache-control"]
    assert response.content.startswith(b"\x89PNG")
    etag = response.headers["etag"]
    again = client.get(
        "/data/plugin/images/individualImage?" + entries[0]["query"],
        headers={"If-None-Match": etag},
    )
    assert again.status_code == 304
    assert again.content == b""


def test_text_tags_and_rendered_html(client):
    assert client.get("/data/plugin/text/tags").json() == {"eval": ["notes/text_summary"]}
    path = "/data/plugin/text/text?run=eval&tag=notes/text_summary"
    (entry,) = client.get(path).json()
    assert entry["step"] == 0
    assert "<td><p>text only</p>\n</td>" in entry["text"]
    (plain,) = client.get(path + "&markdown=false").json()
    assert "<td>text only</td>" in plain["text"]
    assert client.get("/data/plugin/text/text?run=ghost&tag=x").json() == []
    assert client.get("/data/plugins_listing").json()["text"]["enabled"] is True


def test_audio_tags_clips_and_bytes(client):
    assert client.get("/data/plugin/audio/tags").json() == {
        "train": {"click": {"displayName": "", "description": "", "samples": 1}}
    }
    clips = client.get("/data/plugin/audio/audio?run=train&tag=click").json()
    assert [(clip["step"], clip["contentType"]) for clip in clips] == [
        (0, "audio/wav"),
        (1, "audio/wav"),
        (2, "audio/wav"),
    ]
    response = client.get("/data/plugin/audio/individualAudio?" + clips[0]["query"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert "immutable" in response.headers["cache-control"]
    assert response.content[:4] == b"RIFF"
    assert client.get("/data/plugins_listing").json()["audio"]["enabled"] is True


def test_every_response_has_nosniff_even_errors(client):
    for path in ("/data/runs", "/nope", "/data/plugin/scalars/scalars"):
        assert client.get(path).headers["x-content-type-options"] == "nosniff"


def test_large_json_is_gzipped(client):
    response = client.get(
        "/data/plugin/scalars/scalars",
        params={"run": "train", "tag": "loss"},
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()) == 2001


def test_scalars_return_all_points_and_nan_as_string(client):
    points = client.get("/data/plugin/scalars/scalars?run=train&tag=loss").json()
    assert len(points) == 2001
    assert points[-1][1:] == [2000, "NaN"]


def test_scalars_max_points_downsamples(client):
    points = client.get("/data/plugin/scalars/scalars?run=train&tag=loss&max_points=50").json()
    assert len(points) <= 50
    assert points[-1][1] == 2000


def test_scalars_csv(client):
    response = client.get("/data/plugin/scalars/scalars?run=eval&tag=loss&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("Wall time,Step,Value\r\n")


def test_tags_omit_runs_without_scalars(client):
    tags = client.get("/data/plugin/scalars/tags").json()
    assert set(tags) == {"train", "eval"}
    assert set(tags["eval"]) == {"loss"}


def test_multirun_posts_a_form(client):
    response = client.post(
        "/data/plugin/scalars/scalars_multirun",
        data={"tag": "loss", "runs": ["train", "eval", "ghost"]},
    )
    assert response.status_code == 200
    assert {run: len(points) for run, points in response.json().items()} == {
        "train": 2001,
        "eval": 20,
    }


def test_multirun_refuses_get(client):
    assert client.get("/data/plugin/scalars/scalars_multirun?tag=loss").status_code == 405


def test_multirun_needs_the_tag_exactly_once(client):
    response = client.post("/data/plugin/scalars/scalars_multirun", data={"runs": ["train"]})
    assert response.status_code == 400


def test_api_runs_page_and_regex(client):
    page = client.get("/api/v1/runs?limit=1&offset=1").json()
    assert page["total"] == 2
    assert [r["name"] for r in page["runs"]] == ["train"]
    assert [r["name"] for r in client.get("/api/v1/runs?regex=^ev").json()["runs"]] == ["eval"]


def test_api_scalars_batch_pairs_in_order(client):
    body = client.get("/api/v1/scalars?run=eval&tag=loss&run=train&tag=loss&max_points=10").json()
    assert [(s["run"], len(s["steps"]) <= 10) for s in body["series"]] == [
        ("eval", True),
        ("train", True),
    ]
    assert body["series"][1]["values"][-1] == "NaN"


def test_api_health(client):
    files = client.get("/api/v1/health").json()["files"]
    assert {f["run"] for f in files} == {"train", "eval"}


@pytest.mark.parametrize(
    "path",
    [
        "/data/plugin/scalars/scalars",
        "/data/plugin/scalars/scalars?run=train",
        "/data/plugin/scalars/scalars?tag=loss",
        "/data/plugin/scalars/scalars?run=train&tag=loss&format=xml",
        "/data/plugin/scalars/scalars?run=train&tag=loss&max_points=1",
        "/data/plugin/scalars/scalars?run=train&tag=loss&max_points=many",
        "/api/v1/runs?regex=(",
        "/api/v1/runs?limit=0",
        "/api/v1/runs?offset=-1",
        "/api/v1/runs?limit=x",
        "/api/v1/scalars",
        "/api/v1/scalars?run=train",
        "/api/v1/scalars?run=train&tag=loss&max_points=0",
        "/data/plugin/histograms/histograms",
        "/data/plugin/histograms/histograms?run=train",
        "/data/plugin/histograms/histograms?run=train&tag=weights&max_points=1",
        "/data/plugin/distributions/distributions?tag=weights",
        "/data/plugin/distributions/distributions?run=train&tag=weights&max_points=x",
        "/data/plugin/images/images?run=train",
        "/data/plugin/images/images?run=train&tag=digit&sample=-1",
        "/data/plugin/images/images?run=train&tag=digit&sample=x",
        "/data/plugin/images/individualImage",
        "/data/plugin/images/individualImage?blob_key=",
        "/data/plugin/text/text?run=eval",
        "/data/plugin/audio/audio?tag=click",
        "/data/plugin/audio/audio?run=train&tag=click&sample=-2",
        "/data/plugin/audio/individualAudio?blob_key=AAAA",
        "/data/plugin/audio/individualAudio?blob_key=AAAA&content_type=text%2Fhtml",
        "/data/plugin/audio/individualAudio?blob_key=&content_type=audio%2Fwav",
        "/data/plugin/text/text?run=eval&tag=notes/text_summary&markdown=maybe",
    ],
)
def test_bad_parameters_are_400_with_a_message(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text


def test_invalid_regex_message_names_the_regex(client):
    assert "invalid regex" in client.get("/api/v1/runs?regex=(").text


@pytest.mark.parametrize(
    "path",
    [
        "/data/plugin/scalars/scalars?run=ghost&tag=loss",
        "/data/plugin/scalars/scalars?run=train&tag=ghost",
        "/data/plugin/scalars/scalars?run=eval&tag=notes",
        "/api/v1/scalars?run=ghost&tag=loss",
        "/data/plugin/nope/tags",
        "/data/plugin/histograms/histograms?run=ghost&tag=weights",
        "/data/plugin/histograms/histograms?run=train&tag=loss",
        "/data/plugin/distributions/distributions?run=eval&tag=weights",
        "/data/plugin/images/images?run=train&tag=weights",
        "/data/plugin/images/images?run=eval&tag=digit",
        "/data/plugin/images/individualImage?blob_key=AAAA",
        "/data/plugin/images/individualImage?blob_key=..%2F..%2Fetc%2Fpasswd",
        "/data/plugin/audio/audio?run=train&tag=digit",
        "/data/plugin/audio/individualAudio?blob_key=AAAA&content_type=audio%2Fwav",
    ],
)
def test_unknown_runs_tags_and_paths_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "run",
    ["../../../../etc", "/etc", "..%2F..%2Fetc", "train/../../..", "/etc/passwd", "%2e%2e"],
)
def test_path_traversal_in_parameters_never_reaches_the_filesystem(client, run):
    response = client.get("/data/plugin/scalars/scalars", params={"run": run, "tag": "passwd"})
    assert response.status_code == 404
    assert "root:" not in response.text


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/data/../../etc/passwd", "/%2e%2e/etc"])
def test_path_traversal_in_the_url_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_path_prefix_serves_under_it_and_redirects_the_bare_prefix(provider):
    config = ServerConfig(path_prefix="/heron")
    client = TestClient(create_app(config, provider, plugins=default_plugins()))
    assert client.get("/heron/data/runs").json() == ["train", "eval"]
    bare = client.get("/heron", follow_redirects=False)
    assert bare.status_code == 301
    assert bare.headers["location"] == "/heron/"
    assert client.get("/data/runs").status_code == 404
    index = client.get("/heron/").text
    if (WEB_DIR / "index.html").exists():
        # The UI loads its assets by relative URLs, so they resolve under any prefix.
        assert 'src="./assets/' in index
        assert client.get("/heron/assets/" + next((WEB_DIR / "assets").iterdir()).name).is_success
    else:
        assert "/heron/api/v1/runs" in index
