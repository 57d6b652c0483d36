"""The profile plugin's routes, discovery of both layouts, path safety and level of detail."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

FIXTURES = Path(__file__).parents[2] / "fixtures" / "profile"
TORCH_FILE = next((FIXTURES / "torch_cpu").glob("*.pt.trace.json.gz"))
TORCH_SESSION = TORCH_FILE.name.removesuffix(".pt.trace.json.gz")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    base = tmp_path_factory.mktemp("profile_routes")
    logs = base / "logs"
    shutil.copytree(FIXTURES, logs)
    (base / "outside.pt.trace.json").write_text("[]")
    os.symlink(base / "outside.pt.trace.json", logs / "torch_cpu" / "escape.pt.trace.json")
    broken = logs / "broken" / "plugins" / "profile" / "s1"
    broken.mkdir(parents=True)
    (broken / "h.trace.json").write_text("{not json")
    with heron.open(logs, db=base / "index.sqlite") as experiment:
        yield TestClient(create_app(ServerConfig(), experiment.provider, plugins=default_plugins()))


def _get(client, path, **params):
    return client.get(f"/data/plugin/profile/{path}", params=params)


def test_the_tab_is_listed_when_profiles_exist(client):
    listing = client.get("/data/plugins_listing").json()
    assert listing["profile"]["enabled"] is True
    assert listing["profile"]["tab_name"] == "Profile"


def test_the_tab_is_off_without_profiles(tmp_path):
    with SummaryWriter(tmp_path / "logs" / "a") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(tmp_path / "logs", db=tmp_path / "index.sqlite") as experiment:
        app = create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        listing = TestClient(app).get("/data/plugins_listing").json()
    assert listing["profile"]["enabled"] is False


def test_a_file_linked_from_outside_the_logdir_is_not_offered(client):
    sessions = {s["session"] for r in _get(client, "runs").json() for s in r["sessions"]}
    assert "escape" not in sessions
    assert TORCH_SESSION in sessions
    assert _get(client, "overview", run="torch_cpu", session="escape").status_code == 404


def test_overview_ops_memory_and_trace_window_answer(client):
    params = {"run": "torch_cpu", "session": TORCH_SESSION}
    overview = _get(client, "overview", **params).json()
    assert len(overview["steps"]) == 4
    ops = _get(client, "ops", **params).json()["ops"]
    assert overview["top_ops"] == ops[:10]
    memory = _get(client, "memory", **params).json()
    assert memory["devices"][0]["device"] == "CPU"
    window = _get(client, "trace/window", width=500, **params)
    assert window.status_code == 200
    assert window.headers["content-type"].startswith("application/vnd.heron.trace-window")


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("overview", {"run": "torch_cpu"}, 400),
        ("overview", {"run": "nope", "session": "x"}, 404),
        ("overview", {"run": "torch_cpu", "session": TORCH_SESSION, "host": "h9"}, 404),
        ("overview", {"run": "broken", "session": "s1"}, 404),
        ("trace/window", {"run": "torch_cpu", "session": TORCH_SESSION, "width": "0"}, 400),
        ("trace/window", {"run": "torch_cpu", "session": TORCH_SESSION, "start": "nan"}, 400),
        (
            "trace/window",
            {"run": "torch_cpu", "session": TORCH_SESSION, "start": "5", "end": "5"},
            400,
        ),
        ("memory", {"run": "jax_cpu", "session": "nope"}, 404),
    ],
)
def test_bad_requests_are_4xx(client, path, params, status):
    assert _get(client, path, **params).status_code == status
