"""The trace viewer's routes on a real index of the committed captures: binary windows, a span,
a range, search, and 400 / 404 (never 500) for bad input."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

import heron
from heron.plugins import default_plugins
from heron.plugins.profile.lod import MEDIA_TYPE, decode_window
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

FIXTURES = Path(__file__).parents[2] / "fixtures" / "profile"
TORCH_FILE = next((FIXTURES / "torch_cpu").glob("*.pt.trace.json.gz"))
TORCH = {"run": "torch_cpu", "session": TORCH_FILE.name.removesuffix(".pt.trace.json.gz")}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    base = tmp_path_factory.mktemp("trace_routes")
    logs = base / "logs"
    shutil.copytree(FIXTURES, logs)
    broken = logs / "broken" / "plugins" / "profile" / "s1"
    broken.mkdir(parents=True)
    (broken / "h.trace.json").write_text("{not json")
    with heron.open(logs, db=base / "index.sqlite") as experiment:
        yield TestClient(create_app(ServerConfig(), experiment.provider, plugins=default_plugins()))


def _get(client, path, **params):
    return client.get(f"/data/plugin/profile/trace/{path}", params={**TORCH, **params})


def test_the_whole_trace_window_is_binary_and_bounded_by_the_width(client):
    response = _get(client, "window", width=300)
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA_TYPE
    header, columns = decode_window(response.content)
    assert [t["thread"] for t in header["tracks"]][1] == "PyTorch Profiler"
    assert header["spans"] == 1313
    assert 0 < header["count"] < 1313  # merged at 300 pixels
    assert int(columns["count"].sum()) == 1313


def test_a_narrow_window_sends_only_spans_that_overlap_it(client):
    header, columns = decode_window(
        _get(client, "window", start=64000, end=66000, width=4000).content
    )
    ends = columns["start"] + columns["duration"]
    assert (ends >= 64000).all()
    assert (columns["start"] <= 66000).all()
    assert header["start"] == 64000


def test_windows_are_gzipped_for_clients_that_accept_it(client):
    response = client.get(
        "/data/plugin/profile/trace/window",
        params={**TORCH, "width": 4000},
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == "gzip" or len(response.content) < 4096
    body = response.content
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    assert body[:4] == b"HTW1"


@pytest.mark.parametrize(
    "params",
    [
        {"start": "10", "end": "5"},
        {"start": "5", "end": "5"},
        {"start": "nan"},
        {"end": "inf"},
        {"start": "abc"},
        {"width": "0"},
        {"width": "100000"},
        {"format": "pdf"},
    ],
)
def test_bad_windows_are_400(client, params):
    assert _get(client, "window", **params).status_code == 400


def test_span_details_and_their_errors(client):
    found = _get(client, "search", q="aten::addmm").json()
    details = _get(client, "event", id=found["match"]["id"]).json()
    assert details["name"] == "aten::addmm"
    assert details["flows"][0]["to"]["name"] == "AddmmBackward0"
    assert _get(client, "event", id=10**6).status_code == 404
    assert _get(client, "event", id=-1).status_code == 400
    assert _get(client, "event").status_code == 400


def test_range_summary_and_its_errors(client):
    summary = _get(client, "summary", start=0, end=1e9).json()
    assert summary["spans"] == 1313
    assert summary["ops"][0]["total_us"] >= summary["ops"][-1]["total_us"]
    assert _get(client, "summary", start=0).status_code == 400
    assert _get(client, "summary", start=5, end=1).status_code == 400
    assert _get(client, "summary", start=0, end=1, tracks="x").status_code == 400
    assert _get(client, "summary", start=0, end=1, tracks="7").status_code == 400


def test_search_errors(client):
    assert _get(client, "search", q=" ").status_code == 400
    assert _get(client, "search", q="a", after=1, before=2).status_code == 400
    assert _get(client, "search").status_code == 400


def test_unknown_sessions_and_unreadable_traces_are_404(client):
    params = {"run": "torch_cpu", "session": "nope", "width": 10}
    assert client.get("/data/plugin/profile/trace/window", params=params).status_code == 404
    broken = {"run": "broken", "session": "s1", "width": 10}
    response = client.get("/data/plugin/profile/trace/window", params=broken)
    assert response.status_code == 404
    assert "unreadable" in response.text


def test_an_xspace_capture_opens_in_the_viewer_too(client):
    runs = client.get("/data/plugin/profile/runs").json()
    (jax,) = [r for r in runs if r["run"] == "jax_cpu"]
    params = {"run": "jax_cpu", "session": jax["sessions"][0]["session"], "format": "xplane"}
    response = client.get("/data/plugin/profile/trace/window", params={**params, "width": 800})
    assert response.status_code == 200
    header, columns = decode_window(response.content)
    assert header["spans"] > 0
    assert len(header["tracks"]) >= 1
    assert int(columns["count"].sum()) == header["spans"]


def test_windows_carry_the_memory_instants_and_an_instant_shows_its_arguments(client):
    header, columns = decode_window(_get(client, "window", width=300).content)
    assert header["instants_total"] == 433
    assert header["counter_tracks"] == []  # torch's CPU capture writes no counters
    merged = columns["instant_count"]
    assert int(merged.sum()) == 433
    assert header["instants"] < 433
    single = int(columns["instant_id"][columns["instant_id"] >= 0][0])
    details = _get(client, "event", instant=single).json()
    assert details["id"] == single
    assert details["name"] in {"[memory]", "Iteration Start: PyTorch Profiler"}
    memory = next(
        i for i in range(433) if _get(client, "event", instant=i).json()["name"] == "[memory]"
    )
    answer = _get(client, "event", instant=memory).json()
    assert answer["track"] == 0
    assert "Bytes" in answer["args"]


def test_instant_errors_are_400_and_404(client):
    assert _get(client, "event", instant=10**6).status_code == 404
    assert _get(client, "event", instant=-1).status_code == 400
    assert _get(client, "event", instant="x").status_code == 400
    assert _get(client, "event", instant=0, id=0).status_code == 400
