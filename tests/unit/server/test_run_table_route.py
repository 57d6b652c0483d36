"""``/api/v1/runs/table``: every run's hparams and metric aggregates as columns, over a real index.

The columns must say exactly what ``/api/v1/runs`` says row by row (the HParams dashboard
switched from one to the other), including runs lacking values and non-finite values.
"""

from __future__ import annotations

import math

import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.server.api_run_table import run_table
from heron.server.api_v1 import page_runs
from heron.testing.asgi import TestClient


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """Runs with hparams of every kind (NaN and infinity included), metrics in a sub-run, and
    runs lacking hparams or metrics."""
    root = tmp_path_factory.mktemp("table") / "logs"
    cases = [
        ("a-lr0.1", {"lr": 0.1, "opt": "sgd", "wd": True}),
        ("b-lr0.01", {"lr": 0.01, "opt": "adam", "wd": False}),
        ("c-nan", {"lr": float("nan"), "opt": "adam"}),
        ("d-inf", {"lr": float("inf"), "opt": "sgd"}),
        ("e-mixed", {"lr": "auto"}),
    ]
    for index, (name, hparams) in enumerate(cases):
        with SummaryWriter(root / name) as writer:
            for step in range(5):
                writer.add_scalar("val/acc", (index + 1) * step / 10, step)
            writer.add_hparams(hparams, {"hp/best": index / 10}, run_name=".")
    with SummaryWriter(root / "a-lr0.1" / "eval") as writer:
        writer.add_scalar("eval/loss", float("nan"), 3)
    with SummaryWriter(root / "z-plain") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def test_columns_say_what_the_paged_rows_say_for_every_run(sweep):
    metrics = ["val/acc", "eval/loss", "absent"]
    rows = page_runs(sweep, summary=True, metrics=metrics, limit=1000, where="")["runs"]
    table = run_table(sweep, metrics=metrics)
    assert table["names"] == [row["name"] for row in rows]
    assert table["total"] == len(rows) == 7
    for i, row in enumerate(rows):
        for name, column in table["hparams"].items():
            assert _same(column[i], row["hparams"].get(name)), (row["name"], name)
        held = {name for name, column in table["hparams"].items() if column[i] is not None}
        assert held == set(row["hparams"])
        for tag in metrics:
            found = row["metrics"].get(tag)
            column = table["metrics"][tag]
            if found is None:
                assert [column[k][i] for k in ("last", "min", "max", "last_step")] == [None] * 4
            else:
                for key in ("last", "min", "max", "last_step"):
                    assert _same(column[key][i], found[key]), (row["name"], tag, key)


def test_route_encodes_non_finite_values_as_tensorboard_strings_and_missing_as_null(sweep):
    client = TestClient(create_app(ServerConfig(), sweep, plugins=default_plugins()))
    answer = client.get("/api/v1/runs/table", params=[("metric", "eval/loss")]).json()
    names = answer["names"]
    lr = dict(zip(names, answer["hparams"]["lr"], strict=True))
    assert lr["c-nan"] == "NaN"
    assert lr["d-inf"] == "Infinity"
    assert lr["e-mixed"] == "auto"
    assert lr["z-plain"] is None
    loss = dict(zip(names, answer["metrics"]["eval/loss"]["last"], strict=True))
    assert loss["a-lr0.1/eval"] == "NaN"
    assert loss["a-lr0.1"] is None


def test_route_filters_by_regex_and_where_and_can_leave_hparams_out(sweep):
    client = TestClient(create_app(ServerConfig(), sweep, plugins=default_plugins()))
    answer = client.get(
        "/api/v1/runs/table",
        params=[("where", 'opt == "sgd"'), ("regex", "^a"), ("hparams", "false")],
    ).json()
    assert answer == {"total": 1, "names": ["a-lr0.1"], "hparams": {}, "metrics": {}}


def test_route_reports_bad_queries_as_400(sweep):
    client = TestClient(create_app(ServerConfig(), sweep, plugins=default_plugins()))
    assert "at column 5" in client.get("/api/v1/runs/table", params={"where": "lr <"}).text
    for params in ({"where": "lr <"}, {"regex": "("}, {"hparams": "maybe"}):
        assert client.get("/api/v1/runs/table", params=params).status_code == 400
