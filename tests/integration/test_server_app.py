"""The app in-process (httpx's ASGI transport) over a real index of a real logdir."""

from __future__ import annotations

import math
from typing import Any

import anyio
import httpx
import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app


class TestClient:
    """A synchronous client for an ASGI app, without sockets.

    Starlette's own TestClient now wants the httpx2 fork; httpx's ASGI transport
    is the same idea, driven here one request per event loop.
    """

    __test__ = False

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                response = await c.request(method, path, **kwargs)
                await response.aread()
                return response

        return anyio.run(send)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("app") / "logs"
    with SummaryWriter(root / "train") as writer:
        for step in range(2000):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
        writer.add_scalar("loss", math.nan, 2000)
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


def test_index_says_the_ui_is_not_built_and_lists_routes(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "/data/plugin/scalars/scalars" in response.text
    assert "<" not in response.text


def test_environment_logdir_and_window_properties(client):
    assert client.get("/data/environment").json()["window_title"] == "My runs"
    assert client.get("/data/logdir").json() == {"logdir": "logs"}
    assert client.get("/data/window_properties").json() == {"window_title": "My runs"}


def test_runs_are_in_start_order(client):
    assert client.get("/data/runs").json() == ["train", "eval"]


def test_plugins_listing_has_scalars(client):
    assert client.get("/data/plugins_listing").json()["scalars"]["enabled"] is True


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
    assert "/heron/api/v1/runs" in client.get("/heron/").text
