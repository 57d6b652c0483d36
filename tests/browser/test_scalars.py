"""The scalars dashboard in real Chromium against the real `heron serve` (see conftest.py)."""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from heron import SummaryWriter

from .conftest import (
    RUNS,
    SPIKE_POINTS,
    SPIKE_STEP,
    SPIKE_VALUE,
    WINDOW_TITLE,
    click_tab,
    run_heron,
    screenshot,
)

CHART_DRAWN = """tag => {
  const card = document.querySelector(`[data-testid=scalar-card][data-tag="${CSS.escape(tag)}"]`);
  const chart = card && card.querySelector('[data-testid=chart]');
  return !!(chart && chart.dataset.yMax);
}"""

LAST_DRAWN_DIFFERS = """([tag, old]) => {
  const chart = document.querySelector(`[data-tag="${CSS.escape(tag)}"] [data-testid=chart]`);
  if (!chart || !chart.dataset.last) return false;
  const last = JSON.parse(chart.dataset.last);
  return Object.keys(old).some(run => last[run] !== old[run]);
}"""

RUNS_DRAWN_ARE = """([tag, runs]) => {
  const chart = document.querySelector(`[data-tag="${CSS.escape(tag)}"] [data-testid=chart]`);
  return !!(chart && chart.dataset.runs) && chart.dataset.runs === JSON.stringify(runs);
}"""

LAST_DRAWN_IS = """([tag, run, value]) => {
  const chart = document.querySelector(`[data-tag="${CSS.escape(tag)}"] [data-testid=chart]`);
  return !!(chart && chart.dataset.last) && JSON.parse(chart.dataset.last)[run] === value;
}"""


def chart(page: Any, tag: str) -> dict[str, Any]:
    """What the chart of ``tag`` draws (the data attributes ScalarChart writes), once drawn."""
    page.wait_for_function(CHART_DRAWN, arg=tag, timeout=20_000)
    data = page.evaluate(
        """tag => ({...document.querySelector(
            `[data-testid=scalar-card][data-tag="${CSS.escape(tag)}"] [data-testid=chart]`
        ).dataset})""",
        tag,
    )
    return {
        "y_min": float(data["yMin"]),
        "y_max": float(data["yMax"]),
        "x_min": float(data["xMin"]),
        "x_max": float(data["xMax"]),
        "start_step": int(data["startStep"]) if data.get("startStep") else None,
        "end_step": int(data["endStep"]) if data.get("endStep") else None,
        "runs": json.loads(data["runs"]),
        "points": int(data["points"]),
        "last": json.loads(data["last"]),
        "drawn_max": float(data["drawnMax"]),
    }


def card_tags(page: Any) -> list[str]:
    return list(
        page.locator("[data-testid=scalar-card]").evaluate_all("els => els.map(e => e.dataset.tag)")
    )


def open_scalars(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid=scalar-card]")


def test_tabs_render_with_scalars_selected_and_switch_dashboards(server, page, new_page):
    open_scalars(page, server)
    assert page.title() == WINDOW_TITLE
    selected = page.locator("[role=tab][aria-selected=true]")
    assert selected.get_attribute("data-tab") == "scalars"
    click_tab(page, "text")
    page.wait_for_selector("[data-testid=text-dashboard]")  # drawn by features/text
    assert "#text" in page.url
    click_tab(page, "scalars")
    chart(page, "loss/total")
    screenshot(page, "scalars-light")

    dark = new_page(color_scheme="dark")
    open_scalars(dark, server)
    chart(dark, "loss/total")
    assert dark.evaluate("document.documentElement.dataset.theme") == "dark"
    screenshot(dark, "scalars-dark")


def test_cards_are_grouped_by_prefix_in_natural_order(server, page):
    # Only the fixed runs: the live tests add runs of their own to the shared logdir.
    open_scalars(page, server + "?runFilter=^(train|eval)/")
    groups = page.locator("details.group").evaluate_all("els => els.map(e => e.dataset.group)")
    assert groups == ["accuracy", "loss", "lr"]
    assert card_tags(page) == ["accuracy", "loss/l2", "loss/total", "lr"]


def test_run_filter_limits_the_runs_drawn_and_shows_invalid_regex(server, page):
    open_scalars(page, server)
    assert sorted(chart(page, "loss/total")["runs"]) == sorted(RUNS[:3])
    page.fill("[data-testid=run-filter]", "^train")
    page.wait_for_function(
        """() => JSON.parse(document.querySelector('[data-tag="loss/total"] [data-testid=chart]')
            .dataset.runs).length === 2"""
    )
    assert sorted(chart(page, "loss/total")["runs"]) == ["train/lr=0.01", "train/lr=0.1"]
    # The list asks the server for the filter's names once typing pauses.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=run-list] .run-row').length === 2"
    )
    screenshot(page, "run-filter")
    page.fill("[data-testid=run-filter]", "(")
    assert page.locator(".sidebar [role=alert]").is_visible()
    assert page.locator("[data-testid=run-count]").inner_text().startswith("0 of")


def test_unchecking_a_run_removes_its_line(server, page):
    open_scalars(page, server)
    chart(page, "accuracy")
    page.locator('.run-row[data-run="eval/lr=0.1"] input').uncheck()
    page.wait_for_function(
        """() => !JSON.parse(document.querySelector('[data-tag="accuracy"] [data-testid=chart]')
            .dataset.runs).includes("eval/lr=0.1")"""
    )
    page.click("[data-testid=select-none]")
    page.wait_for_selector("text=No runs selected")
    page.click("[data-testid=select-all]")
    assert sorted(chart(page, "accuracy")["runs"]) == sorted(RUNS[:3])


def test_tag_filter_is_a_case_insensitive_regex_with_errors_shown(server, page):
    open_scalars(page, server)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "tag-filter"
    page.keyboard.type("LOSS/")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=scalar-card]').length === 2"
    )
    assert card_tags(page) == ["loss/l2", "loss/total"]
    page.fill("[data-testid=tag-filter]", "[")
    assert page.locator("[data-testid=tag-filter-error]").is_visible()
    assert card_tags(page) == []
    screenshot(page, "tag-filter-invalid")


def test_smoothing_changes_the_curve(server, page):
    open_scalars(page, server + "?smoothing=0&tagFilter=loss/total")
    raw = chart(page, "loss/total")["last"]
    page.click("[data-testid=settings-toggle]")
    page.fill("[data-testid=smoothing-input]", "0.95")
    page.press("[data-testid=smoothing-input]", "Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('smoothing') === '0.95'")
    page.wait_for_function(LAST_DRAWN_DIFFERS, arg=["loss/total", raw])
    smoothed = chart(page, "loss/total")["last"]
    for run in RUNS[:3]:
        assert not math.isclose(raw[run], smoothed[run], rel_tol=1e-6)
    screenshot(page, "smoothing-0.95")

    # Heron's two-sided smoother draws another curve, and the choice goes into the URL.
    page.select_option("[data-testid=smoother]", "gaussian")
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('smoother') === 'gaussian'"
    )
    page.wait_for_function(LAST_DRAWN_DIFFERS, arg=["loss/total", smoothed])
    screenshot(page, "smoothing-gaussian")


def test_the_url_reproduces_the_view(server, page, new_page):
    open_scalars(page, server)
    page.fill("[data-testid=tag-filter]", "loss|acc")
    page.fill("[data-testid=run-filter]", "lr=0.1")
    page.locator('.run-row[data-run="eval/lr=0.1"] input').uncheck()
    page.locator('[data-tag="accuracy"] [data-testid=pin]').click()
    page.wait_for_function(RUNS_DRAWN_ARE, arg=["loss/total", ["train/lr=0.1"]])
    before = chart(page, "loss/total")["last"]
    page.click("[data-testid=settings-toggle]")
    page.fill("[data-testid=smoothing-input]", "0.3")
    page.press("[data-testid=smoothing-input]", "Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('smoothing') === '0.3'")
    # The URL changes before the chart redraws: wait for the new smoothing's curve.
    page.wait_for_function(
        LAST_DRAWN_DIFFERS,
        arg=["loss/total", before],
    )
    first = chart(page, "loss/total")
    url = page.url
    # One unchecked run is one name in the link, whatever the number of runs.
    assert parse_qs(urlsplit(url).query)["hiddenRuns"] == ['["eval/lr=0.1"]']

    again = new_page()
    open_scalars(again, url)
    assert again.input_value("[data-testid=tag-filter]") == "loss|acc"
    assert again.input_value("[data-testid=run-filter]") == "lr=0.1"
    assert again.locator(".pinned-group [data-tag=accuracy]").count() == 1
    assert card_tags(again) == card_tags(page)
    second = chart(again, "loss/total")
    assert second["runs"] == first["runs"] == ["train/lr=0.1"]
    assert second["last"] == first["last"]
    screenshot(again, "url-reproduced")


def test_a_spike_among_a_million_points_is_visible(server, page):
    open_scalars(page, server + "?tagFilter=spiky&smoothing=0")
    drawn = chart(page, "spiky/value")
    assert drawn["y_max"] >= SPIKE_VALUE
    assert drawn["y_min"] <= 1.0
    assert drawn["drawn_max"] == SPIKE_VALUE
    # About one bucket per pixel: the browser never receives the million points.
    assert drawn["points"] < 4000
    screenshot(page, "spike")

    # Zooming in asks the server for the steps in view only, at about one point per pixel.
    zoomed = drag_zoom(page, "spiky/value", 600_000, 700_000)
    assert zoomed["x_max"] - zoomed["x_min"] < 120_000
    assert 590_000 <= zoomed["start_step"] < 600_000 < 700_000 < zoomed["end_step"] <= 710_000
    assert zoomed["drawn_max"] == SPIKE_VALUE
    # Several times denser than the whole series was: the window still has a point per pixel.
    assert zoomed["points"] / (zoomed["end_step"] - zoomed["start_step"]) > 4 * (
        drawn["points"] / SPIKE_POINTS
    )
    screenshot(page, "spike-zoomed")

    # Narrower, until the window holds fewer steps than pixels: every real point is drawn.
    drag_zoom(page, "spiky/value", SPIKE_STEP - 2_000, SPIKE_STEP + 2_000)
    close = drag_zoom(page, "spiky/value", SPIKE_STEP - 40, SPIKE_STEP + 40)
    assert close["start_step"] < SPIKE_STEP - 20
    assert close["end_step"] > SPIKE_STEP + 20
    assert close["points"] == close["end_step"] - close["start_step"] + 1 < 200
    assert close["drawn_max"] == SPIKE_VALUE
    assert close["y_min"] <= 1.0
    screenshot(page, "spike-full-resolution")

    # Double-click: back to the whole series.
    box = page.locator('[data-tag="spiky/value"] .u-over').bounding_box()
    assert box is not None
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        """() => document.querySelector('[data-tag="spiky/value"] [data-testid=chart]')
            .dataset.startStep === ''""",
        timeout=20_000,
    )
    reset = chart(page, "spiky/value")
    assert reset["x_max"] == SPIKE_POINTS - 1
    assert reset["drawn_max"] == SPIKE_VALUE


def drag_zoom(page: Any, tag: str, first: int, last: int) -> dict[str, Any]:
    """Drag across steps [first, last] of ``tag``'s chart; what it draws once the server answered
    for that window."""
    before = chart(page, tag)
    box = page.locator(f'[data-tag="{tag}"] .u-over').bounding_box()
    assert box is not None

    def x_of(step: int) -> float:
        share = (step - before["x_min"]) / (before["x_max"] - before["x_min"])
        return float(box["x"] + box["width"] * share)

    y = box["y"] + box["height"] / 2
    page.mouse.move(x_of(first), y)
    page.mouse.down()
    page.mouse.move(x_of(last), y, steps=5)
    page.mouse.up()
    page.wait_for_function(
        """([tag, first, last]) => {
            const chart = document.querySelector(
                `[data-tag="${CSS.escape(tag)}"] [data-testid=chart]`);
            const start = Number(chart.dataset.startStep || NaN);
            const end = Number(chart.dataset.endStep || NaN);
            // The fetched range holds the window (give or take the pixels a drag rounds to).
            const slack = (last - first) * 0.2 + 1;
            return Math.abs(start - first) < slack && Math.abs(end - last) < slack;
        }""",
        arg=[tag, first, last],
        timeout=20_000,
    )
    return chart(page, tag)


def test_a_point_written_live_appears_without_reload(server, logdir: Path, page):
    open_scalars(page, server + "?smoothing=0")
    chart(page, "loss/total")
    page.wait_for_selector(".reload.live")  # pushed by /api/v1/events, not polled
    with SummaryWriter(logdir / "live") as writer:
        writer.add_scalar("live/value", 1.0, 0)
        writer.flush()
        page.wait_for_selector('[data-tag="live/value"]', timeout=20_000)
        assert chart(page, "live/value")["last"] == {"live": 1.0}
        writer.add_scalar("live/value", 5.0, 10)
        writer.flush()
        started = time.monotonic()
        page.wait_for_function(LAST_DRAWN_IS, arg=["live/value", "live", 5], timeout=20_000)
        # reload_interval 1 s, then the pushed event and one refetch of this card.
        assert time.monotonic() - started < 5
    screenshot(page, "live")


def test_without_the_event_stream_the_ui_polls(server, logdir: Path, page, console):
    # A server without /api/v1/events (an older Heron, or a proxy that blocks streams).
    console.allow("404")
    console.allow("EventSource")
    page.route("**/api/v1/events", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(server + "?tagFilter=poll&smoothing=0")
    page.wait_for_selector(".reload.polling")
    with SummaryWriter(logdir / "polled") as writer:
        writer.add_scalar("poll/value", 1.0, 0)
        writer.flush()
        page.wait_for_selector('[data-tag="poll/value"]', timeout=20_000)
        writer.add_scalar("poll/value", 2.0, 7)
        writer.flush()
        page.wait_for_function(LAST_DRAWN_IS, arg=["poll/value", "polled", 2], timeout=20_000)
    screenshot(page, "polling")


@pytest.mark.parametrize("path", ["assets/..%2F..%2F__init__.py", "assets/%2e%2e/index.html"])
def test_static_files_never_leave_the_web_folder(server, page, path):
    response = page.request.get(server + path)
    assert response.status == 404


def test_drag_zooms_and_double_click_resets(server, page):
    open_scalars(page, server + "?tagFilter=loss/total")
    before = chart(page, "loss/total")
    box = page.locator('[data-tag="loss/total"] .u-over').bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    zoomed = chart(page, "loss/total")
    assert zoomed["x_max"] < before["x_max"] * 0.6
    page.mouse.move(box["x"] + box["width"] * 0.4, y)
    screenshot(page, "zoomed-tooltip")
    assert page.locator('[data-tag="loss/total"] .tooltip').is_visible()
    page.mouse.dblclick(box["x"] + box["width"] * 0.4, y)
    # The zoomed chart holds only the steps in view: the reset refetches the whole series.
    page.wait_for_function(
        """x => document.querySelector('[data-tag="loss/total"] [data-testid=chart]')
            .dataset.xMax === String(x)""",
        arg=before["x_max"],
        timeout=20_000,
    )
    assert chart(page, "loss/total")["x_max"] == before["x_max"]


def test_the_run_list_is_virtualized_for_100000_runs(server, page):
    names = [f"run-{i:06d}" for i in range(100_000)]

    def runs_page(route):
        query = parse_qs(urlsplit(route.request.url).query)
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query.get("limit", ["100"])[0])
        pattern = re.compile(query.get("regex", [""])[0])
        matching = [n for n in names if pattern.search(n)]
        runs = [{"name": n, "start_time": 0} for n in matching[offset : offset + limit]]
        body = {"total": len(matching), "offset": offset, "limit": limit, "runs": runs}
        route.fulfill(json=body)

    page.route("**/api/v1/runs?*", runs_page)
    page.goto(server)
    page.wait_for_selector("[data-testid=run-list]")
    assert page.locator("[data-testid=run-count]").inner_text().endswith("of 100,000 shown")
    assert page.locator(".run-row").count() < 100
    page.locator("[data-testid=run-list]").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_selector('.run-row[data-run="run-099999"]')
    assert page.locator(".run-row").count() < 100
    page.fill("[data-testid=run-filter]", "run-0999")
    page.wait_for_selector("text=100 match")
    screenshot(page, "runs-100000")


def test_a_card_goes_full_screen_and_back(server, page):
    open_scalars(page, server + "?tagFilter=accuracy")
    chart(page, "accuracy")
    page.locator('[data-tag="accuracy"] [data-testid=fullscreen]').click()
    page.wait_for_function(
        """() => document.querySelector('[data-tag="accuracy"] canvas').clientHeight > 500"""
    )
    screenshot(page, "fullscreen")
    page.keyboard.press("Escape")
    page.wait_for_function(
        """() => document.querySelector('[data-tag="accuracy"] canvas').clientHeight < 300"""
    )


def test_data_table_and_card_sizes(server, page):
    open_scalars(page, server + "?runFilter=^(train|eval)/&tagFilter=^loss/")
    chart(page, "loss/total")
    page.locator('[data-tag="loss/total"] [data-testid=table-toggle]').click()
    table = page.locator('[data-tag="loss/total"] [data-testid=data-table]')
    assert table.locator("tbody tr").count() == 3
    assert "eval/lr=0.1" in table.inner_text()
    page.click("[data-testid=settings-toggle]")
    width = page.locator('[data-tag="loss/l2"]').bounding_box()["width"]
    page.click("[data-testid=card-size-large]")
    page.wait_for_function(
        f"""() => document.querySelector('[data-tag="loss/l2"]')
            .getBoundingClientRect().width > {width + 100}"""
    )
    screenshot(page, "data-table-large-cards")


def test_the_ui_works_under_a_path_prefix(tmp_path: Path, page):
    with SummaryWriter(tmp_path / "logs" / "run") as writer:
        for step in range(10):
            writer.add_scalar("loss", 1 / (step + 1), step)
    with run_heron(tmp_path / "logs", tmp_path, "--path_prefix", "/deep/heron") as base:
        assert base.endswith("/deep/heron/")
        open_scalars(page, base)
        assert chart(page, "loss")["runs"] == ["run"]
        assert page.url.startswith(base)


def test_log_axes_from_the_url(server, page):
    open_scalars(page, server + "?tagFilter=^lr$&logX=true&logY=true&runFilter=^train")
    drawn = chart(page, "lr")
    assert drawn["y_min"] > 0
    page.wait_for_function(
        """() => Number(document.querySelector('[data-tag="lr"] [data-testid=chart]')
            .dataset.xMin) > 0"""
    )
    screenshot(page, "log-axes")
