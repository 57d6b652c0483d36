"""The Profile tab in real Chromium on the committed real captures (tests/fixtures/profile)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import click_tab, get_json, run_heron, screenshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "profile"


@pytest.fixture(scope="module")
def profile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A logdir holding only profiler captures (torch writes no event file)."""
    logs = tmp_path_factory.mktemp("profile") / "logs"
    shutil.copytree(FIXTURES, logs)
    work = tmp_path_factory.mktemp("profile-serve")

    def ready(base: str) -> bool:
        return len(get_json(base + "data/plugin/profile/runs")) == 2

    with run_heron(logs, work, ready=ready) as base:
        yield base


def _torch_capture(base: str) -> dict[str, str]:
    (torch_run,) = [
        r for r in get_json(base + "data/plugin/profile/runs") if r["run"] == "torch_cpu"
    ]
    return {"run": "torch_cpu", "session": torch_run["sessions"][0]["session"]}


def _open(page: Any, base: str) -> None:
    page.goto(base)
    click_tab(page, "profile")
    page.wait_for_selector(".profile-overview")


def _select_torch(page: Any, base: str) -> dict[str, str]:
    capture = _torch_capture(base)
    label = f"torch_cpu / {capture['session']} / worker0"
    page.select_option(".profile-capture", label=label)
    page.wait_for_selector("[data-testid=profile-steps]")
    return capture


def test_overview_numbers_match_the_api(profile_server, page):
    _open(page, profile_server)
    capture = _select_torch(page, profile_server)
    query = f"run={capture['run']}&session={capture['session']}"
    overview = get_json(profile_server + "data/plugin/profile/overview?" + query)
    page.wait_for_function(
        f"document.querySelector('[data-testid=profile-steps]').textContent === "
        f"'{len(overview['steps'])}'"
    )
    shown = page.locator(".breakdown-legend li[data-category=input] .breakdown-percent")
    assert shown.inner_text() == f"{overview['breakdown']['input']['percent']:.1f} %"
    first = page.locator(".recommendations li").first
    assert first.get_attribute("data-kind") == overview["recommendations"][0]["kind"]
    assert "waiting for data" in first.inner_text()
    names = page.locator(".top-ops tbody .op-name").all_inner_texts()
    assert names == [op["name"] for op in overview["top_ops"]]
    screenshot(page, "profile-overview")


def test_op_table_sorts_by_a_clicked_column(profile_server, page):
    _open(page, profile_server)
    _select_torch(page, profile_server)
    page.click(".profile-view[data-view=ops]")
    page.wait_for_selector(".op-table tbody tr")
    page.click(".sort-button[data-column=calls]")
    calls = [float(v) for v in page.locator(".op-table tbody td:nth-child(4)").all_inner_texts()]
    assert calls == sorted(calls, reverse=True)
    page.click(".sort-button[data-column=name]")
    names = page.locator(".op-table tbody .op-name").all_inner_texts()
    assert names[0].lower() <= names[-1].lower()
    screenshot(page, "profile-ops")


def test_memory_chart_marks_the_peak(profile_server, page):
    _open(page, profile_server)
    capture = _select_torch(page, profile_server)
    page.click(".profile-view[data-view=memory]")
    page.wait_for_selector(".memory-chart canvas")
    query = f"run={capture['run']}&session={capture['session']}"
    (device,) = get_json(profile_server + "data/plugin/profile/memory?" + query)["devices"]
    assert device["peak"]["bytes"] > 0
    assert page.locator("[data-testid=memory-peak]").inner_text().endswith("KiB")
    screenshot(page, "profile-memory")


#: Where the canvas draws its first row (traceLayout.ts: AXIS_HEIGHT + ROW_HEIGHT / 2).
FIRST_ROW_Y = 22 + 8
LABEL_WIDTH = 200


def _open_trace(page: Any, base: str) -> dict[str, str]:
    _open(page, base)
    capture = _select_torch(page, base)
    page.click(".profile-view[data-view=trace]")
    page.wait_for_selector(".trace-canvas[data-tracks='2'][data-view-end]")
    return capture


def _view_span(page: Any) -> float:
    return float(
        page.evaluate(
            "() => { const d = document.querySelector('.trace-canvas').dataset;"
            " return Number(d.viewEnd) - Number(d.viewStart); }"
        )
    )


def test_trace_viewer_draws_tracks_and_w_zooms_in(profile_server, page):
    _open_trace(page, profile_server)
    assert int(page.locator(".trace-canvas").get_attribute("data-blocks")) > 0
    whole = _view_span(page)
    box = page.locator(".trace-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + FIRST_ROW_Y)
    page.keyboard.down("w")
    page.wait_for_function(
        "whole => { const d = document.querySelector('.trace-canvas').dataset;"
        " return Number(d.viewEnd) - Number(d.viewStart) < whole * 0.5; }",
        arg=whole,
    )
    page.keyboard.up("w")
    screenshot(page, "profile-trace-zoomed")


def test_trace_click_shows_the_span_details(profile_server, page):
    _open_trace(page, profile_server)
    box = page.locator(".trace-canvas").bounding_box()
    page.mouse.click(box["x"] + LABEL_WIDTH + 40, box["y"] + FIRST_ROW_Y)
    page.wait_for_selector("[data-testid=trace-selection] dt:text('Self time')")
    assert page.locator("[data-testid=trace-selection] h3").inner_text().startswith("ProfilerStep#")
    screenshot(page, "profile-trace")


def test_trace_shift_drag_summarises_the_range(profile_server, page):
    _open_trace(page, profile_server)
    box = page.locator(".trace-canvas").bounding_box()
    y = box["y"] + FIRST_ROW_Y
    x0, x1 = box["x"] + LABEL_WIDTH + 20, box["x"] + box["width"] - 20
    page.keyboard.down("Shift")
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y + 40, steps=4)
    page.mouse.move(x1, y + 60, steps=4)
    page.mouse.up()
    page.keyboard.up("Shift")
    page.wait_for_selector("[data-testid=trace-range] tbody tr")
    names = page.locator(".trace-range-table tbody .op-name").all_inner_texts()
    assert "aten::addmm" in names
    shown = page.locator("[data-testid=trace-range] h3").inner_text()
    assert shown.startswith("Range ")
    screenshot(page, "profile-trace-range")


def test_trace_search_selects_a_span_and_draws_its_flow_arrow(profile_server, page):
    _open_trace(page, profile_server)
    # torch links each forward op to its backward op with a "fwdbwd" flow (ph s / f).
    page.fill(".trace-search", "aten::addmm")
    page.locator(".trace-search").press("Enter")
    page.wait_for_selector("[data-testid=trace-flow]")
    assert "AddmmBackward0" in page.locator("[data-testid=trace-flow]").first.inner_text()
    page.wait_for_function("Number(document.querySelector('.trace-canvas').dataset.flows) >= 1")
    screenshot(page, "profile-trace-flow")


def test_a_jax_xspace_capture_shows_its_steps(profile_server, page):
    _open(page, profile_server)
    options = page.locator(".profile-capture option").all_inner_texts()
    (xplane,) = [o for o in options if o.startswith("jax_cpu") and o.endswith("(xplane)")]
    page.select_option(".profile-capture", label=xplane)
    page.wait_for_function(
        "document.querySelector('[data-testid=profile-steps]')?.textContent === '3'"
    )
    assert page.locator(".recommendations li").first.get_attribute("data-kind") == "compute_bound"
    screenshot(page, "profile-xplane-overview")


def test_trace_search_in_dark_mode_keeps_keys_for_typing(profile_server, new_page):
    page = new_page(color_scheme="dark")
    _open(page, profile_server)
    _select_torch(page, profile_server)
    page.click(".profile-view[data-view=trace]")
    page.wait_for_selector(".trace-canvas[data-tracks='2'][data-view-end]")
    before = page.locator("[data-testid=trace-window]").inner_text()
    page.fill(".trace-search", "DataLoader")
    page.locator(".trace-search").press("w")  # typed into the box, not a zoom
    assert page.locator(".trace-search").input_value() == "DataLoaderw"
    assert page.locator("[data-testid=trace-window]").inner_text() == before
    page.fill(".trace-search", "DataLoader")
    page.wait_for_selector(".trace-canvas[data-drawn-search=DataLoader]")
    screenshot(page, "profile-trace-dark-search")


#: A trace with a two-series memory counter, an instant marker and one step span (µs).
COUNTER_SAMPLES = [(0, 10), (500, 40), (1000, 20)]
INSTANT_AT = 1500
TRACE_END = 2000


@pytest.fixture(scope="module")
def counters_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A logdir with one small generated torch-style trace holding counters and an instant."""
    logs = tmp_path_factory.mktemp("counters") / "logs"
    run = logs / "counters"
    run.mkdir(parents=True)
    meta = {"ph": "M", "pid": 7, "tid": 1}
    events: list[dict[str, Any]] = [
        {**meta, "name": "process_name", "args": {"name": "trainer"}},
        {**meta, "name": "thread_name", "args": {"name": "main"}},
        {"ph": "X", "name": "step", "cat": "cpu_op", "pid": 7, "tid": 1, "ts": 0,
         "dur": TRACE_END},
        {"ph": "i", "s": "t", "name": "checkpoint", "pid": 7, "tid": 1, "ts": INSTANT_AT,
         "args": {"path": "ckpt-1"}},
    ]  # fmt: skip
    events += [
        {"ph": "C", "name": "memory", "pid": 7, "ts": ts, "args": {"allocated": v, "reserved": 64}}
        for ts, v in COUNTER_SAMPLES
    ]
    (run / "worker0.1.pt.trace.json").write_text(json.dumps({"traceEvents": events}))

    def ready(base: str) -> bool:
        return len(get_json(base + "data/plugin/profile/runs")) == 1

    with run_heron(logs, tmp_path_factory.mktemp("counters-serve"), ready=ready) as base:
        yield base


def _open_counters_trace(page: Any, base: str) -> dict[str, float]:
    page.goto(base)
    click_tab(page, "profile")
    page.wait_for_selector(".profile-capture")
    page.click(".profile-view[data-view=trace]")
    page.wait_for_selector(".trace-canvas[data-counters='2'][data-view-end]")
    box: dict[str, float] = page.locator(".trace-canvas").bounding_box()
    return box


def _x_of(box: dict[str, float], time_us: float) -> float:
    return box["x"] + LABEL_WIDTH + time_us / TRACE_END * (box["width"] - LABEL_WIDTH)


def test_counters_are_area_tracks_and_a_click_reads_the_value(counters_server, page):
    box = _open_counters_trace(page, counters_server)
    # Counter tracks: "allocated" then "reserved" (traceLayout.ts: COUNTER_HEIGHT 32 each).
    page.mouse.click(_x_of(box, 750), box["y"] + 22 + 16)
    page.wait_for_selector("[data-testid=trace-counter]")
    assert page.locator("[data-testid=trace-counter] h3").inner_text() == "memory · allocated"
    page.wait_for_function(
        "document.querySelector('[data-testid=trace-counter-value]').textContent === '40'"
    )
    page.mouse.click(_x_of(box, 1250), box["y"] + 22 + 32 + 16)
    page.wait_for_function(
        "document.querySelector('[data-testid=trace-counter] h3').textContent"
        " === 'memory · reserved'"
    )
    assert page.locator("[data-testid=trace-counter-value]").inner_text() == "64"
    screenshot(page, "profile-trace-counters")


def test_an_instant_marker_shows_its_details_on_click(counters_server, page):
    box = _open_counters_trace(page, counters_server)
    page.wait_for_selector(".trace-canvas[data-instants='1']")
    # The thread's first row starts below the two counters and a gap: 22 + 64 + 8.
    page.mouse.click(_x_of(box, INSTANT_AT), box["y"] + 94 + 2)
    page.wait_for_selector("[data-testid=trace-instant] dd:text('ckpt-1')")
    assert page.locator("[data-testid=trace-instant] h3").inner_text() == "checkpoint"
    assert "trainer · main" in page.locator("[data-testid=trace-instant]").inner_text()
    screenshot(page, "profile-trace-instant")


def test_torch_memory_instants_are_drawn_on_the_python_thread(profile_server, page):
    _open_trace(page, profile_server)
    page.wait_for_function("Number(document.querySelector('.trace-canvas').dataset.instants) > 0")
    screenshot(page, "profile-trace-instants-torch")
