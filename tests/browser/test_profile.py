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


#: The canvas's label column (traceLayout.ts: LABEL_WIDTH) and a row's height (ROW_HEIGHT).
LABEL_WIDTH = 200
ROW_HEIGHT = 16


def _open_trace(page: Any, base: str) -> dict[str, str]:
    _open(page, base)
    capture = _select_torch(page, base)
    page.click(".profile-view[data-view=trace]")
    page.wait_for_selector(".trace-canvas[data-tracks='2'][data-view-end][data-layout]")
    return capture


def _layout(page: Any) -> dict[str, Any]:
    """Where the canvas draws its rows (``data-layout``: tracks' and counters' y, process
    blocks), as traceLayout.ts laid them out."""
    found: dict[str, Any] = json.loads(
        page.locator(".trace-canvas").get_attribute("data-layout") or "{}"
    )
    return found


def _first_row_y(page: Any) -> float:
    return float(_layout(page)["tracks"][0]) + ROW_HEIGHT / 2


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
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + _first_row_y(page))
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
    page.mouse.click(box["x"] + LABEL_WIDTH + 40, box["y"] + _first_row_y(page))
    page.wait_for_selector("[data-testid=trace-selection] dt:text('Self time')")
    assert page.locator("[data-testid=trace-selection] h3").inner_text().startswith("ProfilerStep#")
    screenshot(page, "profile-trace")


def test_trace_shift_drag_summarises_the_range(profile_server, page):
    _open_trace(page, profile_server)
    box = page.locator(".trace-canvas").bounding_box()
    y = box["y"] + _first_row_y(page)
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


#: Two processes: "trainer" (a thread with a step span and an instant, a two-series memory
#: counter) and "loader" (a thread, a queue counter). Times in µs.
COUNTER_SAMPLES = [(0, 10), (500, 40), (1000, 20)]
QUEUE_SAMPLES = [(0, 1), (400, 6), (1200, 3)]
INSTANT_AT = 1500
TRACE_END = 2000


@pytest.fixture(scope="module")
def counters_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A logdir with one small generated torch-style trace holding counters and an instant."""
    logs = tmp_path_factory.mktemp("counters") / "logs"
    run = logs / "counters"
    run.mkdir(parents=True)
    trainer, loader = {"ph": "M", "pid": 7, "tid": 1}, {"ph": "M", "pid": 8, "tid": 2}
    events: list[dict[str, Any]] = [
        {**trainer, "name": "process_name", "args": {"name": "trainer"}},
        {**trainer, "name": "thread_name", "args": {"name": "main"}},
        {**loader, "name": "process_name", "args": {"name": "loader"}},
        {**loader, "name": "thread_name", "args": {"name": "worker"}},
        {"ph": "X", "name": "step", "cat": "cpu_op", "pid": 7, "tid": 1, "ts": 0,
         "dur": TRACE_END},
        {"ph": "X", "name": "load", "cat": "cpu_op", "pid": 8, "tid": 2, "ts": 100, "dur": 800},
        {"ph": "i", "s": "t", "name": "checkpoint", "pid": 7, "tid": 1, "ts": INSTANT_AT,
         "args": {"path": "ckpt-1"}},
    ]  # fmt: skip
    events += [
        {"ph": "C", "name": "memory", "pid": 7, "ts": ts, "args": {"allocated": v, "reserved": 64}}
        for ts, v in COUNTER_SAMPLES
    ]
    events += [
        {"ph": "C", "name": "queue", "pid": 8, "ts": ts, "args": {"depth": v}}
        for ts, v in QUEUE_SAMPLES
    ]
    (run / "worker0.1.pt.trace.json").write_text(json.dumps({"traceEvents": events}))

    def ready(base: str) -> bool:
        return len(get_json(base + "data/plugin/profile/runs")) == 1

    with run_heron(logs, tmp_path_factory.mktemp("counters-serve"), ready=ready) as base:
        yield base


#: Counter tracks in display order (by process name: "loader" before "trainer").
QUEUE, ALLOCATED, RESERVED = 0, 1, 2
#: Thread tracks in display order.
WORKER, MAIN = 0, 1
COUNTER_HEIGHT = 32
PROCESS_HEIGHT = 20


def _open_counters_trace(page: Any, base: str) -> dict[str, float]:
    page.goto(base)
    click_tab(page, "profile")
    page.wait_for_selector(".profile-capture")
    page.click(".profile-view[data-view=trace]")
    page.wait_for_selector(".trace-canvas[data-counters='3'][data-view-end][data-layout]")
    box: dict[str, float] = page.locator(".trace-canvas").bounding_box()
    return box


def _x_of(box: dict[str, float], time_us: float) -> float:
    return box["x"] + LABEL_WIDTH + time_us / TRACE_END * (box["width"] - LABEL_WIDTH)


def _pixel(page: Any, x: float, y: float) -> list[int]:
    """The canvas's RGBA at CSS pixel (x, y) of the canvas."""
    found: list[int] = page.evaluate(
        """([x, y]) => {
          const canvas = document.querySelector('.trace-canvas');
          const ratio = canvas.width / canvas.clientWidth;
          const data = canvas.getContext('2d').getImageData(
            Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data;
          return Array.from(data);
        }""",
        [x, y],
    )
    return found


def test_counter_tracks_are_drawn_inside_their_process_under_its_header(counters_server, page):
    box = _open_counters_trace(page, counters_server)
    layout = _layout(page)
    blocks = {p["pid"]: p for p in layout["processes"]}
    counters, tracks = layout["counters"], layout["tracks"]
    # loader: header, its queue counter, its thread; then trainer: header, memory, its thread.
    assert counters[QUEUE] == blocks["8"]["y"] + PROCESS_HEIGHT
    assert counters[QUEUE] + COUNTER_HEIGHT <= tracks[WORKER] < blocks["8"]["bottom"]
    assert blocks["8"]["bottom"] <= blocks["7"]["y"]
    assert counters[ALLOCATED] == blocks["7"]["y"] + PROCESS_HEIGHT
    assert counters[RESERVED] == counters[ALLOCATED] + COUNTER_HEIGHT
    assert counters[RESERVED] + COUNTER_HEIGHT <= tracks[MAIN] < blocks["7"]["bottom"]
    # Drawn where laid out: each counter's area is filled just above its baseline, and the
    # process header above it is not covered by an area.
    x = _x_of(box, 750) - box["x"]
    header = _pixel(page, x, blocks["7"]["y"] + PROCESS_HEIGHT / 2)
    for c in (QUEUE, ALLOCATED, RESERVED):
        area = _pixel(page, x, counters[c] + COUNTER_HEIGHT - 6)
        assert area != header, (c, area)
        assert area[:3] != [255, 255, 255], (c, area)
    assert _pixel(page, x, blocks["8"]["y"] + PROCESS_HEIGHT / 2) == header
    screenshot(page, "profile-trace-counters")
    # Zoomed in (a new, finer window fetched), the rows have not moved.
    whole = _view_span(page)
    page.mouse.move(_x_of(box, 600), box["y"] + tracks[MAIN] + 4)
    page.keyboard.down("w")
    page.wait_for_function(
        "whole => { const d = document.querySelector('.trace-canvas').dataset;"
        " return Number(d.viewEnd) - Number(d.viewStart) < whole * 0.2; }",
        arg=whole,
    )
    page.keyboard.up("w")
    page.wait_for_function(
        "whole => Number(document.querySelector('.trace-canvas').dataset.windowSpan) < whole * 0.5",
        arg=whole,
    )
    assert _layout(page) == layout


def test_a_click_on_a_counter_reads_its_value(counters_server, page):
    box = _open_counters_trace(page, counters_server)
    counters = _layout(page)["counters"]
    page.mouse.click(_x_of(box, 750), box["y"] + counters[ALLOCATED] + 16)
    page.wait_for_selector("[data-testid=trace-counter]")
    assert page.locator("[data-testid=trace-counter] h3").inner_text() == "memory · allocated"
    page.wait_for_function(
        "document.querySelector('[data-testid=trace-counter-value]').textContent === '40'"
    )
    page.mouse.click(_x_of(box, 1250), box["y"] + counters[RESERVED] + 16)
    page.wait_for_function(
        "document.querySelector('[data-testid=trace-counter] h3').textContent"
        " === 'memory · reserved'"
    )
    assert page.locator("[data-testid=trace-counter-value]").inner_text() == "64"
    page.mouse.click(_x_of(box, 600), box["y"] + counters[QUEUE] + 16)
    page.wait_for_function(
        "document.querySelector('[data-testid=trace-counter] h3').textContent === 'queue · depth'"
    )
    assert page.locator("[data-testid=trace-counter-value]").inner_text() == "6"


def test_the_range_summary_lists_the_counters_of_the_rows_dragged_over(counters_server, page):
    box = _open_counters_trace(page, counters_server)
    layout = _layout(page)
    trainer = next(p for p in layout["processes"] if p["pid"] == "7")
    # Shift+drag from 250 µs to 750 µs over the trainer's memory counter and its thread only.
    top = box["y"] + layout["counters"][ALLOCATED] + 4
    bottom = box["y"] + layout["tracks"][MAIN] + ROW_HEIGHT / 2
    assert bottom < box["y"] + trainer["bottom"]
    page.keyboard.down("Shift")
    page.mouse.move(_x_of(box, 250), top)
    page.mouse.down()
    page.mouse.move(_x_of(box, 500), (top + bottom) / 2, steps=4)
    page.mouse.move(_x_of(box, 750), bottom, steps=4)
    page.mouse.up()
    page.keyboard.up("Shift")
    page.wait_for_selector("[data-testid=trace-range-counters] tbody tr")
    rows = page.locator("[data-testid=trace-range-counters] tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    # The loader's queue was not dragged over; allocated: 10 until 500 µs, then 40.
    assert [c[0] for c in cells] == ["memory · allocated", "memory · reserved"]
    allocated = cells[0]
    assert allocated[1] == "trainer"
    assert allocated[2:4] == ["1", "10"]  # samples inside, min
    assert allocated[5] == "40"  # max
    assert abs(float(allocated[4]) - 25) < 1  # time-weighted mean: half at 10, half at 40
    assert cells[1][3:] == ["64", "64", "64"]
    spans = page.locator(".trace-range-table:not(.trace-range-counters) tbody .op-name")
    assert spans.all_inner_texts() == ["step"]
    screenshot(page, "profile-trace-range-counters")


def test_an_instant_marker_shows_its_details_on_click(counters_server, page):
    box = _open_counters_trace(page, counters_server)
    page.wait_for_selector(".trace-canvas[data-instants='1']")
    main = _layout(page)["tracks"][MAIN]
    page.mouse.click(_x_of(box, INSTANT_AT), box["y"] + main + 2)
    page.wait_for_selector("[data-testid=trace-instant] dd:text('ckpt-1')")
    assert page.locator("[data-testid=trace-instant] h3").inner_text() == "checkpoint"
    assert "trainer · main" in page.locator("[data-testid=trace-instant]").inner_text()
    screenshot(page, "profile-trace-instant")


def test_torch_memory_instants_are_drawn_on_the_python_thread(profile_server, page):
    _open_trace(page, profile_server)
    page.wait_for_function("Number(document.querySelector('.trace-canvas').dataset.instants) > 0")
    screenshot(page, "profile-trace-instants-torch")
