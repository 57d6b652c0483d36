"""The web UI's static files: index with the window title, immutable assets, nothing outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from heron.errors import NotFoundError
from heron.server import ServerConfig
from heron.server.responses import error_response
from heron.server.static import asset_path, index_html, static_routes
from heron.testing.asgi import TestClient

TEMPLATE = "<!doctype html><html><head><title>Heron</title></head><body></body></html>"


@pytest.fixture
def web(tmp_path: Path) -> Path:
    root = tmp_path / "site" / "_web"
    (root / "assets" / "sub").mkdir(parents=True)
    (root / "index.html").write_text(TEMPLATE)
    (root / "assets" / "app-1a2b.js").write_text("console.log(1)")
    (root / "assets" / "sub" / "x.css").write_text("a{}")
    (tmp_path / "site" / "secret.txt").write_text("TOP-SECRET")
    return root


def _client(web_dir: Path, title: str = "") -> TestClient:
    routes = static_routes(
        ServerConfig(window_title=title), fallback_text="ROUTES\n", web_dir=web_dir
    )
    return TestClient(Starlette(routes=routes, exception_handlers={NotFoundError: error_response}))


def test_index_is_html_with_the_window_title_and_not_cached(web):
    response = _client(web, title="My <runs>").get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>My &lt;runs&gt;</title>" in response.text
    assert "no-cache" in response.headers["cache-control"]


def test_index_keeps_the_built_title_without_a_window_title():
    assert index_html(TEMPLATE, "") == TEMPLATE


def test_assets_are_served_with_immutable_caching(web):
    response = _client(web).get("/assets/app-1a2b.js")
    assert response.status_code == 200
    assert response.text == "console.log(1)"
    assert "javascript" in response.headers["content-type"]
    assert "immutable" in response.headers["cache-control"]
    assert _client(web).get("/assets/sub/x.css").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%2F..%2Fsecret.txt",
        "/assets/sub%2F..%2F..%2F..%2Fsecret.txt",
        "/assets/..%5C..%5Csecret.txt",
        "/assets/%00",
        "/assets/",
        "/assets/sub",
        "/assets//etc/passwd",
        "/assets/missing.js",
        "/assets/" + "a" * 300,
        "/assets/sub/" + "b" * 300 + "/x.css",
    ],
)
def test_nothing_outside_the_assets_folder_is_served(web, path):
    response = _client(web).get(path)
    assert response.status_code == 404
    assert "TOP-SECRET" not in response.text


def test_a_symlink_out_of_the_folder_is_refused(web):
    (web / "assets" / "link.txt").symlink_to(web.parent / "secret.txt")
    assert _client(web).get("/assets/link.txt").status_code == 404


@pytest.mark.parametrize("relative", ["", ".", "..", "a/../b", "a//b", "a\\b", "./a", "a\x00"])
def test_asset_path_accepts_only_plain_relative_paths(web, relative):
    assert asset_path(web / "assets", relative) is None


def test_without_a_build_the_index_says_how_to_build_it(tmp_path):
    response = _client(tmp_path / "absent").get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "make web" in response.text
    assert response.text.endswith("ROUTES\n")
