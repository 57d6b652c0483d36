"""The custom-scalars plugin's plain functions and routes, over a real index of a real logdir."""

from __future__ import annotations

import math

import pytest

import heron
from heron import SummaryWriter
from heron.errors import NotFoundError
from heron.formats.proto.custom_scalars_layout_pb2 import (
    Category,
    Chart,
    Layout,
    MultilineChartContent,
)
from heron.plugins import default_plugins
from heron.plugins.custom_scalars import layout, merge_run_layouts, scalars_matching
from heron.plugins.scalars import scalar_csv, scalar_triples
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient


def _multiline(title: str, *tags: str) -> dict[str, object]:
    return {"title": title, "multiline": {"tag": list(tags)}}


def _margin(title: str, value: str, lower: str, upper: str) -> dict[str, object]:
    return {
        "title": title,
        "margin": {"series": [{"value": value, "lower": lower, "upper": upper}]},
    }


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """Runs in sorted order a_train, b_eval, c_more each log a layout; "words" logs only text."""
    root = tmp_path_factory.mktemp("custom_scalars") / "logs"
    with SummaryWriter(root / "b_eval") as writer:
        writer.add_custom_scalars({"losses": {"both": ["Multiline", ["loss/.*"]]}})
        # A second call adds to the run's layout; the latest one logged is the fullest.
        writer.add_custom_scalars_marginchart(["acc", "acc_lo", "acc_hi"], category="extra")
        for step in range(5):
            writer.add_scalar("loss/train", 1.0 / (step + 1), step)
            writer.add_scalar("loss/val", math.nan if step == 2 else 2.0 / (step + 1), step)
            writer.add_scalar("xloss/train", 0.5, step)
            writer.add_scalar("acc", step / 10, step)
            writer.add_scalar("acc_lo", step / 10 - 0.1, step)
            writer.add_scalar("acc_hi", step / 10 + 0.1, step)
        writer.add_scalar("loss/val", math.inf, 5)
    with SummaryWriter(root / "a_train") as writer:
        writer.add_custom_scalars({"losses": {"train": ["Multiline", ["loss/train"]]}})
        writer.add_scalar("loss/train", 1.0, 0)
    with SummaryWriter(root / "c_more") as writer:
        writer.add_custom_scalars(
            {
                "losses": {"train": ["Multiline", ["loss/train"]]},
                "extra": {"acc": ["Multiline", ["acc"]]},
            }
        )
    with SummaryWriter(root / "words") as writer:
        writer.add_text("notes", "no scalars here", 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


def test_layouts_of_every_run_merge_in_sorted_run_order(provider):
    assert layout(provider) == {
        "version": 0,
        "category": [
            {
                "title": "losses",
                "closed": False,
                # a_train's chart first; c_more's identical "train" chart is skipped.
                "chart": [_multiline("train", "loss/train"), _multiline("both", "loss/.*")],
            },
            {
                "title": "extra",
                "closed": False,
                # Introduced by b_eval, added to by c_more (TensorBoard would drop "acc").
                "chart": [
                    _margin("untitled", "acc", "acc_lo", "acc_hi"),
                    _multiline("acc", "acc"),
                ],
            },
        ],
    }


@pytest.fixture(scope="module")
def plain_provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("no_layout") / "logs"
    with SummaryWriter(root / "run") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


def test_layout_is_an_empty_object_without_any_layout(plain_provider):
    assert layout(plain_provider) == {}
    client = TestClient(create_app(ServerConfig(), plain_provider, plugins=default_plugins()))
    assert client.get("/data/plugin/custom_scalars/layout").json() == {}
    assert client.get("/data/plugins_listing").json()["custom_scalars"]["enabled"] is False


def test_first_layout_is_taken_whole_and_equal_charts_only_are_skipped():
    first = Layout(
        category=[
            Category(title="c", chart=[_chart("x", "a"), _chart("x", "a")]),
        ]
    )
    second = Layout(
        category=[
            Category(title="c", chart=[_chart("x", "a"), _chart("x", "b"), _chart("x", "b")]),
            Category(title="new", closed=True),
        ]
    )
    merged = merge_run_layouts([first, second])
    assert [c.title for c in merged.category] == ["c", "new"]
    assert [list(chart.multiline.tag) for chart in merged.category[0].chart] == [
        ["a"],
        ["a"],
        ["b"],
        ["b"],
    ]
    assert merged.category[1].closed


def _chart(title: str, tag: str) -> Chart:
    return Chart(title=title, multiline=MultilineChartContent(tag=[tag]))


def test_regex_selects_tags_from_their_start(provider):
    result = scalars_matching(provider, "b_eval", "loss/")
    assert result["regex_valid"] is True
    assert sorted(result["tag_to_events"]) == ["loss/train", "loss/val"]
    assert result["tag_to_events"]["loss/train"] == scalar_triples(provider, "b_eval", "loss/train")


def test_nan_and_infinity_are_tensorboards_strings(provider):
    events = scalars_matching(provider, "b_eval", "loss/val")["tag_to_events"]["loss/val"]
    values = [value for _, _, value in events]
    assert values[2] == "NaN"
    assert values[-1] == "Infinity"
    assert values[3:5] == pytest.approx([2.0 / 4, 2.0 / 5])


@pytest.mark.parametrize("regex", ["", "(", "[a-"])
def test_empty_or_invalid_regex_is_reported_not_raised(provider, regex):
    assert scalars_matching(provider, "b_eval", regex) == {
        "regex_valid": False,
        "tag_to_events": {},
    }


def test_run_without_scalars_has_no_matching_tags(provider):
    assert scalars_matching(provider, "words", ".*") == {"regex_valid": True, "tag_to_events": {}}


def test_unknown_run_is_not_found(provider):
    with pytest.raises(NotFoundError):
        scalars_matching(provider, "ghost", ".*")


def test_downsampling_only_when_asked(provider):
    events = scalars_matching(provider, "b_eval", "acc$", max_points=2)["tag_to_events"]["acc"]
    assert len(events) == 2
    assert events[-1][1] == 4


def test_layout_route(client, provider):
    response = client.get("/data/plugin/custom_scalars/layout")
    assert response.status_code == 200
    assert response.json() == layout(provider)


def test_scalars_route(client, provider):
    response = client.get(
        "/data/plugin/custom_scalars/scalars", params={"run": "b_eval", "tag": "acc"}
    )
    assert response.status_code == 200
    assert response.json() == scalars_matching(provider, "b_eval", "acc")
    assert sorted(response.json()["tag_to_events"]) == ["acc", "acc_hi", "acc_lo"]
    missing = client.get("/data/plugin/custom_scalars/scalars", params={"run": "b_eval"})
    assert missing.json() == {"regex_valid": False, "tag_to_events": {}}


def test_download_data_route_as_json_and_csv(client, provider):
    path = "/data/plugin/custom_scalars/download_data"
    params = {"run": "b_eval", "tag": "loss/val"}
    as_json = client.get(path, params=params)
    assert as_json.json() == scalar_triples(provider, "b_eval", "loss/val")
    assert "NaN" in as_json.text
    as_csv = client.get(path, params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text == scalar_csv(provider, "b_eval", "loss/val")
    assert as_csv.text.startswith("Wall time,Step,Value\r\n")


@pytest.mark.parametrize(
    ("route", "query", "status"),
    [
        ("scalars", "tag=.*", 400),
        ("scalars", "run=ghost&tag=.*", 404),
        ("scalars", "run=b_eval&tag=.*&max_points=0", 400),
        ("download_data", "run=b_eval", 400),
        ("download_data", "tag=acc", 400),
        ("download_data", "run=b_eval&tag=acc&format=xml", 400),
        ("download_data", "run=b_eval&tag=nope", 404),
        ("download_data", "run=ghost&tag=acc", 404),
        ("download_data", "run=words&tag=notes/text_summary", 404),
    ],
)
def test_route_errors(client, route, query, status):
    response = client.get(f"/data/plugin/custom_scalars/{route}?{query}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain")


def test_plugin_is_listed_as_tensorboard_lists_it(client):
    listing = client.get("/data/plugins_listing").json()["custom_scalars"]
    assert listing["enabled"] is True
    assert listing["tab_name"] == "Custom Scalars"
    assert listing["loading_mechanism"]["element_name"] == "tf-custom-scalar-dashboard"
