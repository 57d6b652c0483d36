"""The plain functions behind the core routes and /api/v1, over a real index."""

from __future__ import annotations

import pytest

from heron.core.values import Run, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError
from heron.plugins.scalars import ScalarsPlugin
from heron.server.api_v1 import health, page_runs, scalar_columns
from heron.server.config import ServerConfig, normalize_path_prefix
from heron.server.core_routes import environment, plugins_listing, sorted_run_names


def test_runs_are_sorted_by_start_time_then_name_with_unknown_start_last():
    runs = [Run("b", 2.0), Run("a", 2.0), Run("none", None), Run("late", 9.0), Run("c", 1.0)]
    assert sorted_run_names(runs) == ["c", "a", "b", "late", "none"]


def test_run_started_first_comes_first(provider):
    names = sorted_run_names(provider.list_runs())
    assert names.index("zeta") < names.index("alpha")


def test_environment_reports_config():
    config = ServerConfig(logdir="logs", window_title="mine", version="9.9")
    env = environment(config)
    assert env["data_location"] == "logs"
    assert env["window_title"] == "mine"
    assert env["version"] == "9.9"


def test_plugins_listing_lists_plugins_with_data(provider):
    listing = plugins_listing([ScalarsPlugin()], provider)
    assert listing["scalars"]["enabled"] is True
    assert listing["scalars"]["loading_mechanism"]["element_name"] == "tf-scalar-dashboard"


@pytest.mark.parametrize(
    ("given", "expected"), [("", ""), ("/", ""), ("p", "/p"), ("/a/b/", "/a/b")]
)
def test_path_prefix_is_normalized(given, expected):
    assert normalize_path_prefix(given) == expected


@pytest.mark.parametrize("bad", ["/a/../b", "//x", "/./"])
def test_path_prefix_with_dot_segments_is_refused(bad):
    with pytest.raises(InvalidArgumentError):
        normalize_path_prefix(bad)


def test_runs_are_paged_by_name(provider):
    first = page_runs(provider, offset=0, limit=2)
    rest = page_runs(provider, offset=2, limit=2)
    assert first["total"] == 3
    assert [r["name"] for r in first["runs"]] == ["alpha", "notes_only"]
    assert [r["name"] for r in rest["runs"]] == ["zeta"]


def test_runs_regex_filters_by_search(provider):
    page = page_runs(provider, regex="^[az]")
    assert [r["name"] for r in page["runs"]] == ["alpha", "zeta"]
    assert page["total"] == 2


def test_invalid_runs_regex_is_an_invalid_argument(provider):
    with pytest.raises(InvalidArgumentError, match="invalid regex"):
        page_runs(provider, regex="(")


def test_scalar_columns_return_every_point_in_order_asked(provider):
    result = scalar_columns(provider, [SeriesKey("zeta", "loss"), SeriesKey("alpha", "acc")])
    zeta, alpha = result["series"]
    assert (zeta["run"], alpha["run"]) == ("zeta", "alpha")
    assert len(zeta["steps"]) == 103
    assert zeta["values"][-3:] == ["NaN", "Infinity", "-Infinity"]
    assert alpha["steps"] == list(range(200))


def test_scalar_columns_downsample_keeps_first_and_last(provider):
    (series,) = scalar_columns(provider, [SeriesKey("alpha", "loss")], max_points=10)["series"]
    assert len(series["steps"]) <= 10
    assert series["steps"][0] == 0
    assert series["steps"][-1] == 199


def test_unknown_series_is_not_found(provider):
    with pytest.raises(NotFoundError):
        scalar_columns(provider, [SeriesKey("alpha", "nope")])


def test_health_lists_every_event_file(provider):
    state = health(provider)
    assert {f["run"] for f in state["files"]} == {"alpha", "zeta", "notes_only"}
    assert state["corrupt_records"] == 0


def test_scalar_buckets_give_band_statistics_and_the_latest_point(provider):
    result = scalar_columns(provider, [SeriesKey("alpha", "acc")], buckets=10)
    (series,) = result["series"]
    assert "steps" not in series
    buckets = series["buckets"]
    assert len(buckets["mean"]) == 10
    assert sum(buckets["count"]) == 200
    assert buckets["first_step"][0] == 0
    assert buckets["last_step"][-1] == 199
    assert buckets["min"][0] == 0.0
    assert buckets["max"][-1] == pytest.approx(199 / 200)  # written as float32
    assert series["last"]["step"] == 199
    assert series["last"]["value"] == pytest.approx(0.995)


def test_scalar_buckets_and_max_points_exclude_each_other(provider):
    with pytest.raises(InvalidArgumentError, match="not both"):
        scalar_columns(provider, [SeriesKey("alpha", "acc")], buckets=10, max_points=10)


def test_scalar_columns_zoom_to_a_step_range_before_downsampling(provider):
    zoomed = scalar_columns(provider, [SeriesKey("alpha", "acc")], step_range=(50, 59))
    assert zoomed["series"][0]["steps"] == list(range(50, 60))


def test_scalars_route_takes_start_and_end_steps(provider):
    from heron.plugins import default_plugins
    from heron.server import create_app
    from heron.testing.asgi import TestClient

    client = TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))
    query = {"run": "alpha", "tag": "acc", "start_step": 190}
    assert client.get("/api/v1/scalars", params=query).json()["series"][0]["steps"] == list(
        range(190, 200)
    )
    backwards = {"run": "alpha", "tag": "acc", "start_step": 9, "end_step": 3}
    response = client.get("/api/v1/scalars", params=backwards)
    assert response.status_code == 400
    assert "after end_step" in response.text
