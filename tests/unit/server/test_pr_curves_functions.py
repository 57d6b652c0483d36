"""The PR-curves plugin's plain functions and routes, over a real index of a real logdir."""

from __future__ import annotations

import math

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.core.values import TensorPoint
from heron.errors import InvalidArgumentError, NotFoundError
from heron.plugins import default_plugins
from heron.plugins.pr_curves import pr_curve_entry, pr_curve_tags, pr_curves
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

#: Labels and predictions of run "a": every prediction is below 0.45, so with 11
#: thresholds no prediction reaches thresholds 0.5 and up.
LABELS = np.array([1, 0, 1, 1, 0, 0, 1, 0])
SCORES = np.array([0.05, 0.1, 0.22, 0.31, 0.33, 0.4, 0.44, 0.0])


def _raw_columns(num: int) -> dict[str, list[float]]:
    return {
        "true_positive_counts": [4.0, 3.0, 1.0] + [0.0] * (num - 3),
        "false_positive_counts": [4.0, 2.0, 0.0] + [0.0] * (num - 3),
        "true_negative_counts": [0.0, 2.0, 4.0] + [4.0] * (num - 3),
        "false_negative_counts": [0.0, 1.0, 3.0] + [4.0] * (num - 3),
        "precision": [0.5, 0.6, 1.0] + [math.nan] * (num - 3),
        "recall": [1.0, 0.75, 0.25] + [0.0] * (num - 3),
    }


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("pr_curves") / "logs"
    with SummaryWriter(root / "a") as writer:
        for step in range(3):
            writer.add_pr_curve("pr", LABELS, SCORES, step, num_thresholds=11)
        writer.add_pr_curve_raw("raw", **_raw_columns(6), global_step=7, num_thresholds=6)
        nan_counts = {
            **_raw_columns(6),
            "true_positive_counts": [math.nan, 3, 1, 0, 0, 0],
            "precision": [0.5, math.nan, math.inf, 0, 0, 0],
        }
        writer.add_pr_curve_raw("nan_counts", **nan_counts, global_step=0, num_thresholds=6)
        writer.add_scalar("loss", 1.0, 0)
    with SummaryWriter(root / "b") as writer:
        for step in (0, 5):
            writer.add_pr_curve("pr", LABELS, 1.0 - SCORES, step, num_thresholds=11)
    with SummaryWriter(root / "scalars_only") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


def test_tags_list_pr_curve_series_and_leave_out_other_runs(provider):
    empty = {"displayName": "", "description": ""}
    assert pr_curve_tags(provider) == {
        "a": {"nan_counts": empty, "pr": empty, "raw": empty},
        "b": {"pr": empty},
    }


def test_curves_of_several_runs_have_every_step(provider):
    curves = pr_curves(provider, ["a", "b"], "pr")
    assert list(curves) == ["a", "b"]
    assert [entry["step"] for entry in curves["a"]] == [0, 1, 2]
    assert [entry["step"] for entry in curves["b"]] == [0, 5]
    assert all(entry["wall_time"] > 1e9 for entry in curves["a"])


def test_trailing_thresholds_without_predictions_are_trimmed(provider):
    entry = pr_curves(provider, ["a"], "pr")["a"][0]
    # Predictions reach bucket 4 (0.44) at most: thresholds 0.5 and up have TP + FP == 0.
    assert entry["thresholds"] == np.linspace(0.0, 1.0, 11)[:5].tolist()
    arrays = ("precision", "recall", "true_positives", "false_positives")
    arrays += ("true_negatives", "false_negatives")
    assert {len(entry[name]) for name in arrays} == {5}


def test_counts_follow_the_cumulative_rule_and_are_integers(provider):
    entry = pr_curves(provider, ["a"], "pr")["a"][0]
    positives, negatives = int(LABELS.sum()), int((1 - LABELS).sum())
    for index, threshold in enumerate(entry["thresholds"]):
        # A prediction counts at threshold t_i when its bucket floor(p * 10) is at least i.
        above = np.floor(SCORES * 10) >= index
        assert entry["true_positives"][index] == int((above & (LABELS == 1)).sum()), threshold
        assert entry["false_positives"][index] == int((above & (LABELS == 0)).sum())
    assert entry["true_positives"][0] + entry["false_negatives"][0] == positives
    assert entry["false_positives"][2] + entry["true_negatives"][2] == negatives
    assert all(type(count) is int for count in entry["true_negatives"])
    assert entry["precision"][0] == pytest.approx(positives / len(LABELS))
    assert entry["recall"][0] == pytest.approx(1.0)


def test_predictions_near_one_keep_every_threshold(provider):
    entry = pr_curves(provider, ["b"], "pr")["b"][0]
    assert len(entry["thresholds"]) == 11
    assert entry["thresholds"][-1] == 1.0


def test_raw_curve_keeps_its_values_and_sends_nan_as_a_string(provider):
    (entry,) = pr_curves(provider, ["a"], "raw")["a"]
    assert entry["step"] == 7
    # TP + FP is 0 from the fourth threshold on: three are kept.
    assert entry["true_positives"] == [4, 3, 1]
    assert entry["false_negatives"] == [0, 1, 3]
    assert entry["precision"] == pytest.approx([0.5, 0.6, 1.0])
    assert entry["thresholds"] == [0.0, 0.2, 0.4]


def test_non_finite_values_are_tensorboards_strings_and_nan_is_not_trimmed_as_zero(provider):
    (entry,) = pr_curves(provider, ["a"], "nan_counts")["a"]
    assert entry["true_positives"] == ["NaN", 3, 1]
    assert entry["precision"] == [0.5, "NaN", "Infinity"]


def _point(table: np.ndarray) -> TensorPoint:
    return TensorPoint(step=1, wall_time=2.0, value=table)


def test_entry_of_an_empty_curve_keeps_one_threshold():
    entry = pr_curve_entry(_point(np.zeros((6, 4), np.float32)))
    assert entry is not None
    assert entry["thresholds"] == [0.0]
    assert entry["true_positives"] == [0]


def test_entry_of_a_table_without_thresholds_is_empty():
    entry = pr_curve_entry(_point(np.zeros((6, 0), np.float32)))
    assert entry is not None
    assert entry["thresholds"] == entry["precision"] == []


def test_entry_of_counts_that_truncate_to_zero_is_trimmed_as_tensorboard():
    table = np.zeros((6, 3), np.float32)
    table[0] = [2.0, 0.4, 0.0]
    table[1] = [1.0, 0.4, 0.0]
    entry = pr_curve_entry(_point(table))
    assert entry is not None
    assert entry["true_positives"] == [2]


@pytest.mark.parametrize("shape", [(5, 3), (6,), (2, 6, 3)])
def test_malformed_tables_are_skipped(shape):
    assert pr_curve_entry(_point(np.zeros(shape, np.float32))) is None


def test_downsampling_keeps_the_last_step_when_asked(provider):
    entries = pr_curves(provider, ["a"], "pr", max_points=2)["a"]
    assert len(entries) <= 2
    assert entries[-1]["step"] == 2


@pytest.mark.parametrize(
    ("runs", "tag"), [(["a", "ghost"], "pr"), (["a"], "nope"), (["a"], "loss"), (["b"], "raw")]
)
def test_a_run_without_the_curve_is_not_found(provider, runs, tag):
    with pytest.raises(NotFoundError):
        pr_curves(provider, runs, tag)


def test_no_runs_is_invalid(provider):
    with pytest.raises(InvalidArgumentError):
        pr_curves(provider, [], "pr")


def test_routes_answer_tags_and_curves(client, provider):
    assert client.get("/data/plugin/pr_curves/tags").json() == pr_curve_tags(provider)
    response = client.get("/data/plugin/pr_curves/pr_curves?run=a&run=b&tag=pr")
    assert response.status_code == 200
    assert response.json() == pr_curves(provider, ["a", "b"], "pr")


def test_route_sends_non_finite_values_as_strings(client):
    response = client.get(
        "/data/plugin/pr_curves/pr_curves", params={"run": "a", "tag": "nan_counts"}
    )
    (entry,) = response.json()["a"]
    assert entry["true_positives"][0] == "NaN"
    assert entry["precision"] == [0.5, "NaN", "Infinity"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("tag=pr", 400),
        ("run=a", 400),
        ("run=a&tag=", 400),
        ("run=a&tag=pr&max_points=1", 400),
        ("run=a&tag=pr&max_points=x", 400),
        ("run=ghost&tag=pr", 404),
        ("run=a&run=scalars_only&tag=pr", 404),
    ],
)
def test_route_errors(client, query, status):
    response = client.get(f"/data/plugin/pr_curves/pr_curves?{query}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text


def test_plugin_is_listed_as_tensorboard_lists_it(client):
    listing = client.get("/data/plugins_listing").json()["pr_curves"]
    assert listing["enabled"] is True
    assert listing["tab_name"] == "PR Curves"
    assert listing["loading_mechanism"]["element_name"] == "tf-pr-curve-dashboard"
