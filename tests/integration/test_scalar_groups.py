"""``/api/v1/scalars/groups`` and ``/api/v1/runs/columns`` over a real index of a real logdir."""

from __future__ import annotations

import math

import pytest

import heron
from heron import SummaryWriter
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

# (run, lr, logged steps, value at step s)
SWEEP = [
    ("lr0.1/seed-0", 0.1, range(0, 101, 10), lambda s: float(s)),
    ("lr0.1/seed-1", 0.1, range(0, 51, 5), lambda s: s + 10.0),  # stopped early
    ("lr0.01/seed-0", 0.01, range(0, 101, 20), lambda s: 2.0 * s),
    ("lr0.01/seed-1", 0.01, range(0, 101, 25), lambda s: 2.0 * s),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("groups") / "logs"
    for name, lr, steps, value in SWEEP:
        with SummaryWriter(root / name) as writer:
            for step in steps:
                writer.add_scalar("loss", value(step), step)
            writer.add_hparams({"lr": lr, "opt": "sgd"}, {"hp/x": 1.0}, run_name=".")
    with SummaryWriter(root / "odd") as writer:  # no hparams, NaN points
        writer.add_scalar("loss", math.nan, 0)
        writer.add_scalar("loss", 3.0, 100)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        app = create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        yield TestClient(app)


def _groups(client, **params):
    response = client.get("/api/v1/scalars/groups", params={"tag": "loss", "points": 11, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_groups_by_hparam_give_mean_and_min_max_on_a_common_grid(client):
    answer = _groups(client, group_by="lr", where="has(hp/x)")
    assert [g["label"] for g in answer["groups"]] == ["lr=0.01", "lr=0.1"]
    assert answer["groups"][0]["key"] == [0.01]
    assert answer["groups"][1]["runs"] == ["lr0.1/seed-0", "lr0.1/seed-1"]
    low, high = (g["series"][0] for g in answer["groups"])
    grid = list(range(0, 101, 10))
    assert low["steps"] == grid
    # Steps 10, 30, ... fall between seed-1's points (every 25): read on the line, 2 * step.
    assert low["center"] == [2.0 * s for s in grid]
    assert low["count"] == [2] * 11
    assert high["steps"] == grid
    # seed-1 stops at 50: no extrapolation, the mean is seed-0 alone from 60 on.
    assert high["count"] == [2] * 6 + [1] * 5
    assert high["center"] == [s + 5.0 for s in grid[:6]] + [float(s) for s in grid[6:]]
    assert high["lower"] == [float(s) for s in grid]
    assert high["upper"] == [s + 10.0 for s in grid[:6]] + [float(s) for s in grid[6:]]


def test_group_by_name_regex_counts_ungrouped_runs(client):
    answer = _groups(client, name_regex=r"^(lr[\d.]+)/", band="std", center="median")
    assert [g["label"] for g in answer["groups"]] == ["lr0.01", "lr0.1"]
    assert answer["ungrouped"] == 1  # "odd"
    assert answer["center"] == "median"
    assert answer["band"] == "std"


def test_excluded_runs_are_left_out_of_the_groups_alongside_the_regex(client):
    answer = _groups(client, group_by="lr", regex="(?i)SEED", exclude=["lr0.1/seed-1", "odd"])
    runs = {g["label"]: g["runs"] for g in answer["groups"]}
    assert runs == {"lr=0.01": ["lr0.01/seed-0", "lr0.01/seed-1"], "lr=0.1": ["lr0.1/seed-0"]}


def test_runs_without_the_hparam_form_a_missing_group_and_nan_points_are_skipped(client):
    answer = _groups(client, group_by="lr")
    odd = answer["groups"][-1]
    assert odd["key"] == [None]
    assert odd["runs"] == ["odd"]
    # Its NaN at step 0 is dropped: the run covers step 100 only.
    assert odd["series"][0]["steps"] == [100]
    assert odd["series"][0]["center"] == [3.0]


def test_unknown_tag_gives_empty_series(client):
    answer = _groups(client, group_by="lr", tag="absent")
    assert all(g["series"][0]["steps"] == [] for g in answer["groups"])


@pytest.mark.parametrize(
    "params",
    [
        {"group_by": "lr"},  # no tag
        {"tag": "loss"},  # no grouping
        {"tag": "loss", "group_by": "lr", "name_regex": "x"},
        {"tag": "loss", "name_regex": "("},
        {"tag": "loss", "group_by": "lr", "center": "mode"},
        {"tag": "loss", "group_by": "lr", "band": "iqr"},
        {"tag": "loss", "group_by": "lr", "points": "1"},
        {"tag": "loss", "group_by": "lr", "points": "many"},
        {"tag": "loss", "group_by": "lr", "where": "lr <"},
        {"tag": "loss", "group_by": "lr", "regex": "["},
    ],
)
def test_bad_parameters_are_400_with_a_message(client, params):
    response = client.get("/api/v1/scalars/groups", params=params)
    assert response.status_code == 400
    assert response.text


def test_columns_list_hparams_with_types_and_scalar_tags(client):
    answer = client.get("/api/v1/runs/columns").json()
    assert answer["hparams"] == [
        {"name": "lr", "type": "number", "runs": 4},
        {"name": "opt", "type": "string", "runs": 4},
    ]
    assert {"tag": "loss", "runs": 5} in answer["metrics"]


def test_runs_report_the_inferred_status(client):
    page = client.get("/api/v1/runs", params={"summary": "true", "limit": 10}).json()
    by_name = {run["name"]: run for run in page["runs"]}
    assert by_name["lr0.1/seed-0"]["status"] == "finished"  # add_hparams ends its session
    assert by_name["lr0.1/seed-0"]["session_status"] == "success"
    assert by_name["odd"]["status"] == "running"  # written just now, no session info
    running = client.get("/api/v1/runs", params={"where": 'status == "running"'}).json()
    assert [run["name"] for run in running["runs"]] == ["odd"]
