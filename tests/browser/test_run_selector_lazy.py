"""The run selector on a logdir of 1,500 runs: it fetches pages of names, never the whole list.

The logdir is written by Heron's writer (one scalar per run). Requests to ``/api/v1/runs`` are
counted with ``page.on("request")`` to pin how many pages the selector asks for.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from heron import SummaryWriter

from .conftest import click_tab, get_json, run_heron, screenshot

RUN_COUNT = 1500
NAMES = [f"run-{i:04d}" for i in range(RUN_COUNT)]
PAGE = 250  # RUN_LIST_PAGE in web/src/state/store.ts
PROFILES = Path(__file__).resolve().parents[1] / "fixtures" / "profile"

COUNT_IS = """text => document.querySelector('[data-testid=run-count]')?.textContent === text"""
CHART_RUNS = """() => {
  const chart = document.querySelector('[data-tag="loss"] [data-testid=chart]');
  return chart && chart.dataset.runs ? JSON.parse(chart.dataset.runs).length : null;
}"""


@pytest.fixture(scope="module")
def lazy_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lazy") / "logs"


@pytest.fixture(scope="module")
def lazy_server(lazy_logdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = lazy_logdir
    for index, name in enumerate(NAMES):
        with SummaryWriter(root / name, flush_secs=3600) as writer:
            writer.add_scalar("loss", 1.0 / (1 + index), 0)
    # Profiler captures (no event files: not runs of /api/v1/runs) for the Profile tab.
    shutil.copytree(PROFILES, root / "profiled")
    work = tmp_path_factory.mktemp("lazy-serve")

    def ready(base: str) -> bool:
        return bool(
            get_json(base + "api/v1/runs")["total"] == RUN_COUNT
            and len(get_json(base + "data/plugin/profile/runs")) == 2
        )

    with run_heron(root, work, ready=ready) as base:
        yield base


def runs_requests(page: Any) -> list[dict[str, str]]:
    """Every later request of a run page, as its query (``/api/v1/runs`` itself, not sub-routes)."""
    seen: list[dict[str, str]] = []

    def record(request: Any) -> None:
        url = urlsplit(request.url)
        if url.path.endswith("/api/v1/runs"):
            seen.append({k: v[0] for k, v in parse_qs(url.query).items()})

    page.on("request", record)
    return seen


def open_lazy(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('.run-row[data-run="run-0000"], [data-testid=run-list]')


def test_opening_the_ui_fetches_one_page_of_run_names(lazy_server, page):
    requests = runs_requests(page)
    open_lazy(page, lazy_server + "#scalars")
    page.wait_for_function(COUNT_IS, arg=f"{RUN_COUNT:,} of {RUN_COUNT:,} shown")
    page.wait_for_selector('.run-row[data-run="run-0000"]')
    # Every run's line is drawn without the browser ever holding the run list.
    page.wait_for_function(f"() => ({CHART_RUNS})() === {RUN_COUNT}", timeout=30_000)
    assert requests == [{"offset": "0", "limit": str(PAGE)}]
    assert page.locator(".run-row").count() < 60
    screenshot(page, "run-selector-lazy-open")


def test_scrolling_to_the_bottom_loads_only_the_pages_passed(lazy_server, page):
    requests = runs_requests(page)
    held: list[Any] = []  # later pages, answered only once the placeholders were seen

    def hold_later_pages(route: Any) -> None:
        if "offset=0&" in route.request.url:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/v1/runs?*", hold_later_pages)
    open_lazy(page, lazy_server + "#scalars")
    page.wait_for_selector('.run-row[data-run="run-0000"]')
    page.locator("[data-testid=run-list]").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_selector("[data-testid=run-placeholder]")
    screenshot(page, "run-selector-lazy-placeholders")
    for _ in range(100):  # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the last page was never asked for"
    for route in held:
        route.continue_()
    page.unroute("**/api/v1/runs?*")
    page.wait_for_selector(f'.run-row[data-run="{NAMES[-1]}"]')
    assert page.locator("[data-testid=run-placeholder]").count() == 0
    offsets = sorted(int(r["offset"]) for r in requests)
    # The first page and the last one (the rows in view at the bottom); none in between.
    last_page = (RUN_COUNT - 1) // PAGE * PAGE
    assert offsets == [0, last_page]
    screenshot(page, "run-selector-lazy-bottom")


def test_a_regex_filter_shows_the_servers_match_count_and_rows(lazy_server, page):
    requests = runs_requests(page)
    open_lazy(page, lazy_server + "#scalars")
    page.wait_for_function(COUNT_IS, arg=f"{RUN_COUNT:,} of {RUN_COUNT:,} shown")
    page.fill("[data-testid=run-filter]", "RUN-01")  # case-insensitive, as TensorBoard
    page.wait_for_function(
        "() => document.querySelector('[data-testid=run-matches]').textContent === '100 match'"
    )
    page.wait_for_function(COUNT_IS, arg=f"100 of {RUN_COUNT:,} shown")
    page.wait_for_selector('.run-row[data-run="run-0100"]')
    names = page.locator(".run-row").evaluate_all("els => els.map(e => e.dataset.run)")
    assert names[0] == "run-0100"
    assert all(name.startswith("run-01") for name in names)
    page.wait_for_function(f"() => ({CHART_RUNS})() === 100", timeout=30_000)
    assert {"regex": "(?i)RUN-01", "offset": "0", "limit": str(PAGE)} in requests
    screenshot(page, "run-selector-lazy-filter")


def test_select_none_and_all_with_a_filter_change_the_charts_and_the_url(lazy_server, page):
    open_lazy(page, lazy_server + "#scalars")
    page.wait_for_function(f"() => ({CHART_RUNS})() === {RUN_COUNT}", timeout=30_000)
    page.fill("[data-testid=run-filter]", "run-00")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=run-matches]').textContent === '100 match'"
    )
    page.click("[data-testid=select-none]")
    page.wait_for_selector("text=No runs selected")
    page.wait_for_function(COUNT_IS, arg=f"0 of {RUN_COUNT:,} shown")
    page.wait_for_function("() => new URL(location.href).searchParams.has('hiddenRuns')")
    hidden = json.loads(parse_qs(urlsplit(page.url).query)["hiddenRuns"][0])
    assert hidden == NAMES[:100]

    # Without the filter, the other 1,400 runs are still drawn.
    page.fill("[data-testid=run-filter]", "")
    page.wait_for_function(f"() => ({CHART_RUNS})() === {RUN_COUNT - 100}", timeout=30_000)
    page.wait_for_function(COUNT_IS, arg=f"{RUN_COUNT - 100:,} of {RUN_COUNT:,} shown")
    screenshot(page, "run-selector-lazy-none")

    page.fill("[data-testid=run-filter]", "run-00")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=run-matches]').textContent === '100 match'"
    )
    page.click("[data-testid=select-all]")
    page.wait_for_function(f"() => ({CHART_RUNS})() === 100", timeout=30_000)
    page.wait_for_function("() => !new URL(location.href).searchParams.has('hiddenRuns')")
    page.wait_for_function(COUNT_IS, arg=f"100 of {RUN_COUNT:,} shown")


def test_a_runs_colour_is_the_same_before_and_after_filtering(lazy_server, page):
    open_lazy(page, lazy_server + "#scalars")
    swatch = '.run-row[data-run="run-0007"] .swatch'
    page.wait_for_selector(swatch)
    before = page.locator(swatch).evaluate("el => getComputedStyle(el).backgroundColor")
    page.fill("[data-testid=run-filter]", "7$")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=run-matches]').textContent === '150 match'"
    )
    page.wait_for_function(
        """() => document.querySelector('.run-row')?.dataset.run === 'run-0007'"""
    )
    after = page.locator(swatch).evaluate("el => getComputedStyle(el).backgroundColor")
    assert after == before


def test_a_bad_regex_shows_the_error_from_javascript_or_from_the_server(lazy_server, page, console):
    console.allow("400")  # the server refusing the filter is logged by the browser
    open_lazy(page, lazy_server + "#scalars")
    page.wait_for_function(COUNT_IS, arg=f"{RUN_COUNT:,} of {RUN_COUNT:,} shown")
    page.fill("[data-testid=run-filter]", "(")
    page.wait_for_selector(".sidebar [role=alert]")
    page.wait_for_function(COUNT_IS, arg=f"0 of {RUN_COUNT:,} shown")
    # Valid in JavaScript, refused by Python: the server's message, without the (?i) it got.
    page.fill("[data-testid=run-filter]", "(?<=a+)b")
    page.wait_for_function(
        """() => document.querySelector('.sidebar [role=alert]')?.textContent
            .includes("invalid regex '(?<=a+)b': look-behind requires fixed-width pattern")"""
    )
    page.wait_for_function(COUNT_IS, arg=f"0 of {RUN_COUNT:,} shown")
    page.wait_for_selector("text=No runs selected")
    screenshot(page, "run-selector-lazy-bad-regex")


def test_the_profile_tab_shows_no_run_selector_since_it_picks_its_own_capture(lazy_server, page):
    page.goto(lazy_server + "#profile")
    page.wait_for_selector(".profile-overview")
    assert page.locator(".sidebar").count() == 0
    click_tab(page, "scalars")
    page.wait_for_function(COUNT_IS, arg=f"{RUN_COUNT:,} of {RUN_COUNT:,} shown")


def test_groups_pool_a_filtered_subset_minus_hidden_runs_of_any_size(lazy_server, page):
    # 500 runs match the filter, two of them unchecked: too many names for a URL before, now the
    # filter goes as a regex and the two hidden runs as ``exclude``.
    hidden = json.dumps(["run-0000", "run-0001"])
    page.goto(
        lazy_server
        + f"?runFilter=run-0[0-4]&hiddenRuns={hidden}&groupRegex=run-(\\d\\d)&groupRuns=false"
        + "#scalars"
    )
    page.wait_for_function(COUNT_IS, arg=f"498 of {RUN_COUNT:,} shown")
    page.wait_for_function(
        """() => { const c = document.querySelector('[data-testid=group-card][data-tag="loss"]');
            return !!c && JSON.parse(c.dataset.groups).length === 5 }""",
        timeout=30_000,
    )
    card = page.locator('[data-testid=group-card][data-tag="loss"]')
    assert json.loads(card.get_attribute("data-groups")) == ["00", "01", "02", "03", "04"]
    legend = card.locator(".group-legend li").all_inner_texts()
    assert legend == [
        "00 · 98 runs",
        "01 · 100 runs",
        "02 · 100 runs",
        "03 · 100 runs",
        "04 · 100 runs",
    ]
    screenshot(page, "run-selector-lazy-groups")


def test_the_count_of_hand_picked_runs_is_checked_with_the_server(lazy_server, page):
    # An old link names a run that no longer exists: the server's count leaves it out.
    picked = json.dumps(["run-0001", "run-0002", "run-0100", "run-00-gone"])
    page.goto(lazy_server + f"?runs={picked}&runFilter=RUN-00#scalars")
    page.wait_for_function(COUNT_IS, arg=f"2 of {RUN_COUNT:,} shown")
    page.wait_for_function(f"() => ({CHART_RUNS})() === 2", timeout=30_000)


# Last in the module: it adds a run to the shared logdir.
def test_a_run_written_live_is_counted_and_listed_at_its_place(lazy_logdir, lazy_server, page):
    open_lazy(page, lazy_server + "#scalars")
    page.wait_for_function(COUNT_IS, arg=f"{RUN_COUNT:,} of {RUN_COUNT:,} shown")
    with SummaryWriter(lazy_logdir / "run-9999", flush_secs=3600) as writer:
        writer.add_scalar("loss", 0.5, 0)
    page.wait_for_function(
        COUNT_IS, arg=f"{RUN_COUNT + 1:,} of {RUN_COUNT + 1:,} shown", timeout=30_000
    )
    page.locator("[data-testid=run-list]").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_selector('.run-row[data-run="run-9999"]')
    page.wait_for_function(f"() => ({CHART_RUNS})() === {RUN_COUNT + 1}", timeout=30_000)
