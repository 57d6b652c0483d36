"""``/api/v1/scalars?format=binary`` against the JSON form, through the real app and index."""

from __future__ import annotations

import math

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.server import ServerConfig, create_app
from heron.server.binary_columns import MEDIA_TYPE, decode_columns
from heron.testing.asgi import TestClient

RUNS = ["spiky", "flat", "ragged/ünï"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("binary") / "logs"
    rng = np.random.default_rng(3)
    with SummaryWriter(root / "spiky") as writer:
        for step in range(5000):
            value = 1e6 if step == 2345 else float(rng.normal())
            writer.add_scalar("loss", value, step)
        for step, value in ((5000, math.nan), (5001, math.inf), (5002, -math.inf)):
            writer.add_scalar("loss", value, step)
    with SummaryWriter(root / "flat") as writer:
        for step in range(0, 300, 7):
            writer.add_scalar("loss", 0.25, step)
    with SummaryWriter(root / "ragged" / "ünï") as writer:
        for step in (3, 4, 90, 91, 4000):
            writer.add_scalar("loss", float(step), step)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield TestClient(create_app(ServerConfig(logdir="logs"), experiment.provider))


def _json_float(value):
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(value, value)


def _params(**extra):
    return [*(("run", r) for r in RUNS), *(("tag", "loss") for _ in RUNS), *extra.items()]


@pytest.mark.parametrize(
    "extra",
    [{}, {"max_points": 100}, {"max_points": 2}, {"start_step": 2000, "end_step": 2400}],
    ids=["every point", "envelope", "first and last", "zoomed"],
)
def test_binary_answer_equals_the_json_answer(client, extra):
    as_json = client.get("/api/v1/scalars", params=_params(**extra)).json()["series"]
    response = client.get("/api/v1/scalars", params=_params(format="binary", **extra))
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA_TYPE
    decoded = decode_columns(response.content)
    assert [(s.run, s.tag) for s in decoded] == [(s["run"], s["tag"]) for s in as_json]
    for got, want in zip(decoded, as_json, strict=True):
        assert got.steps.tolist() == want["steps"]
        np.testing.assert_array_equal(got.wall_times, [_json_float(v) for v in want["wall_times"]])
        np.testing.assert_array_equal(got.values, [_json_float(v) for v in want["values"]])


def test_the_envelope_keeps_the_spike_and_the_non_finite_tail(client):
    params = [("run", "spiky"), ("tag", "loss"), ("max_points", "50"), ("format", "binary")]
    (series,) = decode_columns(client.get("/api/v1/scalars", params=params).content)
    assert len(series.steps) <= 50
    assert series.values.max() == math.inf
    assert 1e6 in series.values.tolist()
    assert (series.steps[-1], series.values[-1]) == (5002, -math.inf)  # the latest point


def test_every_point_keeps_nan_and_infinities(client):
    params = [("run", "spiky"), ("tag", "loss"), ("format", "binary")]
    (series,) = decode_columns(client.get("/api/v1/scalars", params=params).content)
    assert len(series.steps) == 5003
    assert math.isnan(series.values[-3])
    assert series.values[-2:].tolist() == [math.inf, -math.inf]


def test_a_step_range_without_points_gives_empty_columns(client):
    params = _params(format="binary", start_step=10_000, end_step=20_000)
    decoded = decode_columns(client.get("/api/v1/scalars", params=params).content)
    assert [len(s.steps) for s in decoded] == [0, 0, 0]


def test_large_answers_are_gzipped_when_the_client_accepts_it(client):
    params = [("run", "spiky"), ("tag", "loss"), ("format", "binary")]
    raw = client.get("/api/v1/scalars", params=params, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    zipped = client.get("/api/v1/scalars", params=params, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(raw.content)
    assert zipped.content == raw.content  # httpx decodes it
    assert decode_columns(raw.content)[0].run == "spiky"


@pytest.mark.parametrize(
    "query",
    [
        "run=spiky&tag=loss&format=xml",
        "run=spiky&tag=loss&format=",
        "run=spiky&tag=loss&format=BINARY",
        "run=spiky&tag=loss&format=binary&buckets=10",
        "run=spiky&tag=loss&format=binary&max_points=1",
        "run=spiky&format=binary",
        "format=binary",
    ],
)
def test_bad_parameters_are_400(client, query):
    response = client.get(f"/api/v1/scalars?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")


def test_an_unknown_run_is_404_in_either_form(client):
    for form in ("json", "binary"):
        response = client.get(f"/api/v1/scalars?run=ghost&tag=loss&format={form}")
        assert response.status_code == 404
