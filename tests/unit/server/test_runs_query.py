"""``/api/v1/runs`` with ``where``, ``sort``, ``summary`` and ``metric``, over a real index."""

from __future__ import annotations

import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.server.api_v1 import page_runs
from heron.testing.asgi import TestClient


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """Six runs of an lr × optimizer sweep, each with hparams and a val/accuracy curve."""
    root = tmp_path_factory.mktemp("sweep") / "logs"
    for index, (lr, optimizer) in enumerate(
        [
            (0.1, "sgd"),
            (0.01, "sgd"),
            (0.001, "sgd"),
            (0.1, "adam"),
            (0.01, "adam"),
            (0.001, "adam"),
        ]
    ):
        name = f"{optimizer}-lr{lr}-seed-{index}"
        with SummaryWriter(root / name) as writer:
            peak = 0.5 + index / 20
            for step in range(10):
                writer.add_scalar("val/accuracy", peak * step / 9, step)
            writer.add_hparams({"lr": lr, "optimizer": optimizer}, {"hp/best": peak}, run_name=".")
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


def test_where_and_sort_select_and_order_runs_from_their_summaries(sweep):
    page = page_runs(
        sweep, where='optimizer == "adam" and max(val/accuracy) > 0.68', sort="-max(val/accuracy)"
    )
    assert [run["name"] for run in page["runs"]] == ["adam-lr0.001-seed-5", "adam-lr0.01-seed-4"]
    assert page["total"] == 2


def test_summary_and_metrics_add_hparams_and_chosen_metric_summaries(sweep):
    page = page_runs(sweep, where="lr == 0.1", summary=True, metrics=["val/accuracy", "absent"])
    first = page["runs"][0]
    assert first["name"] == "adam-lr0.1-seed-3"
    assert first["hparams"] == {"lr": 0.1, "optimizer": "adam"}
    assert first["last_step"] == 9
    accuracy = first["metrics"]["val/accuracy"]
    assert accuracy["max"] == pytest.approx(0.65)
    assert accuracy["count"] == 10
    assert set(first["metrics"]) == {"val/accuracy"}


def test_runs_route_reports_query_mistakes_as_400_with_the_column(sweep):
    client = TestClient(create_app(ServerConfig(), sweep, plugins=default_plugins()))
    response = client.get("/api/v1/runs", params={"where": "lr <"})
    assert response.status_code == 400
    assert "at column 5" in response.text
    assert client.get("/api/v1/runs", params={"summary": "maybe"}).status_code == 400
    ok = client.get("/api/v1/runs", params={"where": "lr < 0.05", "sort": "lr,name", "limit": 2})
    assert ok.status_code == 200
    assert [run["name"] for run in ok.json()["runs"]] == [
        "adam-lr0.001-seed-5",
        "sgd-lr0.001-seed-2",
    ]
