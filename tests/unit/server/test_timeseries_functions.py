"""The Time Series plugin's plain functions and routes, over a real logdir and index."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.images import encode_png, image
from heron.formats.summaries.scalars import scalar
from heron.plugins import default_plugins
from heron.plugins.images import images
from heron.plugins.timeseries import (
    TimeSeriesPlugin,
    combined_description,
    image_data,
    parse_requests,
    tag_descriptions,
    time_series,
    timeseries_tags,
)
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

RED = encode_png(np.full((2, 3, 3), [255, 0, 0], np.uint8))
BLUE = encode_png(np.full((2, 3, 3), [0, 0, 255], np.uint8))


def _summary(writer: SummaryWriter, value: Summary.Value, step: int) -> None:
    writer.file_writer.add_summary(Summary(value=[value]), step)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """Run "a": loss 0-99 (NaN at 50), histogram "w" 0-4, images "pics" (2 a step, 1 at step 3).

    Runs "b", "c", "d": one "loss" point each, described "Eval *loss*" (b, c) and "Test loss" (d).
    """
    root = tmp_path_factory.mktemp("timeseries") / "logs"
    with SummaryWriter(root / "a") as writer:
        for step in range(100):
            writer.add_scalar("loss", math.nan if step == 50 else 1.0 / (step + 1), step)
        for step in range(5):
            writer.add_histogram("w", [0.5, 1.5, 3.0, 3.5], step, bins=[0.0, 1.0, 2.0, 4.0])
        for step in range(3):
            _summary(writer, image("pics", [RED, BLUE], width=3, height=2), step)
        _summary(writer, image("pics", [RED], width=3, height=2), 3)
    for run, description in (("b", "Eval *loss*"), ("c", "Eval *loss*"), ("d", "Test loss")):
        with SummaryWriter(root / run) as writer:
            _summary(writer, scalar("loss", 0.5, description=description), 7)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


# --- /tags -----------------------------------------------------------------------------------


def test_tags_index_each_kind(provider):
    tags = timeseries_tags(provider)
    assert tags["scalars"]["runTagInfo"] == {run: ["loss"] for run in "abcd"}
    assert tags["histograms"] == {"runTagInfo": {"a": ["w"]}, "tagDescriptions": {}}
    assert tags["images"] == {
        "tagDescriptions": {},
        "tagRunSampledInfo": {"pics": {"a": {"maxSamplesPerStep": 2}}},
    }


def test_different_descriptions_of_a_tag_are_merged_per_run(provider):
    html = timeseries_tags(provider)["scalars"]["tagDescriptions"]["loss"]
    assert html == (
        "<h1>Multiple descriptions</h1>\n<h2>For runs: b, c</h2>\n<p>Eval <em>loss</em></p>\n"
        "<h2>For run: d</h2>\n<p>Test loss</p>\n"
    )


def test_one_shared_description_is_shown_as_is():
    mapping = {"a": {"t": {"description": "*x*"}}, "b": {"t": {"description": "*x*"}}}
    assert tag_descriptions(mapping) == {"t": "<p><em>x</em></p>\n"}
    assert tag_descriptions({"a": {"t": {"description": ""}}}) == {}


def test_combined_description_sorts_descriptions_and_runs():
    assert combined_description({"z": {"r2", "r1"}, "y": {"r3"}}) == (
        "# Multiple descriptions\n## For run: r3\ny\n## For runs: r1, r2\nz"
    )


# --- /timeSeries -----------------------------------------------------------------------------


def test_scalars_of_every_run_with_all_points(provider):
    [response] = time_series(provider, [{"plugin": "scalars", "tag": "loss"}])
    assert response["plugin"] == "scalars"
    assert response["tag"] == "loss"
    assert "run" not in response
    series = response["runToSeries"]
    assert sorted(series) == ["a", "b", "c", "d"]
    assert [point["step"] for point in series["a"]] == list(range(100))
    assert series["a"][50]["value"] == "NaN"
    assert series["a"][1]["value"] == 0.5
    assert series["b"] == [{"wallTime": series["b"][0]["wallTime"], "step": 7, "value": 0.5}]


@pytest.mark.parametrize("list_every_run_first", [False, True])
def test_scalars_of_one_run(provider, list_every_run_first):
    requests = [
        {"plugin": "scalars", "tag": "loss", "run": "b"},
        {"plugin": "scalars", "tag": "loss", "run": "ghost"},
        {"plugin": "histograms", "tag": "w", "run": "a"},
    ]
    if list_every_run_first:
        # The batch then reuses the every-run listing for the single-run requests.
        requests.insert(0, {"plugin": "scalars", "tag": "loss"})
    responses = time_series(provider, requests)[-3:]
    assert [response["run"] for response in responses] == ["b", "ghost", "a"]
    assert [list(response["runToSeries"]) for response in responses] == [["b"], [], ["a"]]


def test_scalars_downsample_only_when_asked(provider):
    [sampled] = time_series(
        provider, [{"plugin": "scalars", "tag": "loss", "run": "a"}], max_points=10
    )
    steps = [point["step"] for point in sampled["runToSeries"]["a"]]
    assert len(steps) <= 10
    assert steps[0] == 0
    assert steps[-1] == 99


def test_histograms_as_bins(provider):
    [response] = time_series(provider, [{"plugin": "histograms", "tag": "w", "run": "a"}])
    series = response["runToSeries"]["a"]
    assert [point["step"] for point in series] == [0, 1, 2, 3, 4]
    assert series[0]["bins"] == [
        {"min": 0.5, "max": 1.0, "count": 1.0},
        {"min": 1.0, "max": 2.0, "count": 1.0},
        {"min": 2.0, "max": 3.5, "count": 2.0},
    ]


def test_images_by_sample_leave_out_steps_without_it(provider):
    first, second = time_series(
        provider,
        [
            {"plugin": "images", "tag": "pics", "run": "a", "sample": 0},
            {"plugin": "images", "tag": "pics", "run": "a", "sample": 1},
        ],
    )
    assert first["sample"] == 0
    assert [point["step"] for point in first["runToSeries"]["a"]] == [0, 1, 2, 3]
    assert [point["step"] for point in second["runToSeries"]["a"]] == [0, 1, 2]
    assert image_data(provider, first["runToSeries"]["a"][0]["imageId"]) == (RED, "image/png")
    assert image_data(provider, second["runToSeries"]["a"][0]["imageId"]) == (BLUE, "image/png")
    # The same blob keys as the images plugin's.
    assert [f"blob_key={p['imageId']}" for p in first["runToSeries"]["a"]] == [
        datum["query"] for datum in images(provider, "a", "pics")
    ]
    [beyond] = time_series(provider, [{"plugin": "images", "tag": "pics", "run": "a", "sample": 2}])
    assert beyond["runToSeries"] == {}


@pytest.mark.parametrize(
    "request_",
    [
        {"plugin": "scalars", "tag": "nope"},
        {"plugin": "scalars", "tag": "loss", "run": "ghost"},
        {"plugin": "scalars", "tag": "loss", "run": 5},
        {"plugin": "scalars", "tag": "loss", "run": ["a"]},
        {"plugin": "scalars", "tag": "w", "run": "a"},
        {"plugin": "histograms", "tag": "loss", "run": "a"},
        {"plugin": "histograms", "tag": "w", "run": "b"},
        {"plugin": "images", "tag": "w", "run": "a", "sample": 0},
    ],
)
def test_unknown_runs_and_tags_give_empty_series(provider, request_):
    [response] = time_series(provider, [request_])
    assert response["runToSeries"] == {}
    assert "error" not in response


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        ({"plugin": "scalars"}, "Missing tag"),
        ({"plugin": "scalars", "tag": 3}, "Missing tag"),
        ({"plugin": "audio", "tag": "loss"}, "Invalid plugin"),
        ({"tag": "loss"}, "Invalid plugin"),
        ({"plugin": ["scalars"], "tag": "loss"}, "Invalid plugin"),
        ({"plugin": "histograms", "tag": "w"}, "Missing run"),
        ({"plugin": "images", "tag": "pics", "sample": 0}, "Missing run"),
        ({"plugin": "images", "tag": "pics", "run": "a"}, "Missing sample"),
        ({"plugin": "images", "tag": "pics", "run": "a", "sample": "0"}, "Missing sample"),
        ({"plugin": "images", "tag": "pics", "run": "a", "sample": -1}, "Invalid sample"),
    ],
)
def test_malformed_requests_get_tensorboards_error_strings(provider, request_, error):
    [response] = time_series(provider, [request_])
    assert response["error"] == error
    assert "runToSeries" not in response


def test_a_bad_request_does_not_spoil_the_batch(provider):
    bad, good = time_series(
        provider,
        [
            {"plugin": "nope", "tag": "x", "run": "a", "sample": 1},
            {"plugin": "scalars", "tag": "loss", "run": "d"},
        ],
    )
    assert bad == {"plugin": "nope", "tag": "x", "run": "a", "sample": 1, "error": "Invalid plugin"}
    assert list(good["runToSeries"]) == ["d"]


@pytest.mark.parametrize("text", [None, "", "{", "{}", "[1]", '[{"plugin": "scalars"}, []]'])
def test_requests_that_are_not_a_json_list_of_objects_are_invalid(text):
    with pytest.raises(InvalidArgumentError):
        parse_requests(text)


def test_image_data_errors(provider):
    with pytest.raises(InvalidArgumentError):
        image_data(provider, "")
    with pytest.raises(NotFoundError):
        image_data(provider, "AQAAAAAAAAAAAAAAAAAAAAAA")


def test_is_active_with_any_of_the_three_kinds(provider, tmp_path):
    assert TimeSeriesPlugin().is_active(provider)
    with SummaryWriter(tmp_path / "logs" / "run") as writer:
        writer.add_text("notes", "hi", 0)
    with heron.open(tmp_path / "logs", db=tmp_path / "index.sqlite") as experiment:
        assert not TimeSeriesPlugin().is_active(experiment.provider)


# --- routes ----------------------------------------------------------------------------------


def test_tags_route(client, provider):
    response = client.get("/data/plugin/timeseries/tags")
    assert response.status_code == 200
    assert response.json() == timeseries_tags(provider)


def test_time_series_by_post_form_and_by_get(client, provider):
    requests = [
        {"plugin": "scalars", "tag": "loss"},
        {"plugin": "histograms", "tag": "w", "run": "a"},
    ]
    expected = json.loads(json.dumps(time_series(provider, requests), allow_nan=False))
    posted = client.post(
        "/data/plugin/timeseries/timeSeries", data={"requests": json.dumps(requests)}
    )
    assert posted.status_code == 200
    assert posted.json() == expected
    got = client.get(
        "/data/plugin/timeseries/timeSeries", params={"requests": json.dumps(requests)}
    )
    assert got.json() == expected
    sampled = client.post(
        "/data/plugin/timeseries/timeSeries?max_points=4",
        data={"requests": json.dumps(requests[:1])},
    ).json()
    assert all(len(series) <= 4 for series in sampled[0]["runToSeries"].values())


def test_image_data_route_serves_sniffed_bytes(client, provider):
    [response] = time_series(
        provider, [{"plugin": "images", "tag": "pics", "run": "a", "sample": 1}]
    )
    image_id = response["runToSeries"]["a"][0]["imageId"]
    served = client.get("/data/plugin/timeseries/imageData", params={"imageId": image_id})
    assert served.status_code == 200
    assert served.content == BLUE
    assert served.headers["content-type"] == "image/png"
    again = client.get(
        "/data/plugin/timeseries/imageData",
        params={"imageId": image_id},
        headers={"If-None-Match": served.headers["etag"]},
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/timeSeries", {"data": {}}, 400),
        ("POST", "/timeSeries", {"data": {"requests": "not json"}}, 400),
        ("GET", "/timeSeries", {"params": {"requests": '{"a": 1}'}}, 400),
        ("GET", "/timeSeries", {"params": {"requests": "[]", "max_points": "1"}}, 400),
        ("PUT", "/timeSeries", {}, 405),
        ("GET", "/imageData", {}, 400),
        ("GET", "/imageData", {"params": {"imageId": ""}}, 400),
        ("GET", "/imageData", {"params": {"imageId": "AQAAAAAAAAAAAAAAAAAAAAAA"}}, 404),
        ("GET", "/imageData", {"params": {"imageId": "../../etc/passwd"}}, 404),
    ],
)
def test_bad_requests_are_400_and_unknown_images_404(client, method, path, kwargs, status):
    response = client.request(method, "/data/plugin/timeseries" + path, **kwargs)
    assert response.status_code == status
    assert response.text


def test_time_series_is_the_first_tab(client):
    listing = client.get("/data/plugins_listing").json()
    assert next(iter(listing)) == "timeseries"
    assert listing["timeseries"]["tab_name"] == "Time Series"
    assert listing["timeseries"]["loading_mechanism"] == {"type": "NG_COMPONENT"}
