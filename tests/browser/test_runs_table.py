"""The runs table and grouped scalars in real Chromium against the real `heron serve` on a sweep.

The table sorts and filters on the server (the run query language, with errors shown at the
offending column), exports CSV, and its checkboxes are the run selection the scalars dashboard
draws; the scalars dashboard groups runs by an hparam or a name regex into lines with bands.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from heron import SummaryWriter
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.hparams import session_end, session_start

from .conftest import click_tab, get_json, run_heron, screenshot
from .test_scalars import chart

SWEEP = [
    (f"{opt}-lr{lr}-seed{seed}", lr, opt, seed)
    for opt in ("adam", "sgd")
    for lr in (0.1, 0.01)
    for seed in (0, 1)
]
#: The best validation accuracy of each sweep run: all different, so the sort order is known.
PEAK = {name: 0.5 + index * 0.045 for index, (name, *_rest) in enumerate(SWEEP)}
ALL_RUNS = [name for name, *_rest in SWEEP] + ["crashed", "notes"]


def _write(root: Path) -> None:
    # Written in an order unlike both the name and the accuracy order.
    for name, lr, opt, seed in reversed(SWEEP):
        with SummaryWriter(root / name) as writer:
            for step in range(0, 100, 5):
                writer.add_scalar("loss", (1 + seed) / (1 + step), step)
                writer.add_scalar("val/acc", PEAK[name] * step / 95, step)
            writer.add_hparams(
                {"lr": lr, "opt": opt, "seed": seed}, {"val/acc": None}, run_name="."
            )
    with SummaryWriter(root / "crashed") as writer:
        writer.add_scalar("loss", 5.0, 0)
        summary = Summary(value=[session_start({"lr": 1.0, "opt": "adam"}), session_end("failure")])
        writer._get_file_writer().add_summary(summary, 0)
    with SummaryWriter(root / "notes") as writer:  # no session: running while recently written
        writer.add_scalar("loss", 1.0, 0)


@pytest.fixture(scope="module")
def sweep_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("runs-table") / "logs"
    _write(root)
    work = tmp_path_factory.mktemp("runs-serve")

    def ready(base: str) -> bool:
        page = get_json(base + "api/v1/runs?summary=true&limit=100")
        return page["total"] == len(ALL_RUNS) and all(
            run["hparams"] for run in page["runs"] if run["name"] != "notes"
        )

    with run_heron(root, work, ready=ready) as base:
        yield base


def rows(page: Any) -> list[str]:
    return list(
        page.locator("[data-testid=runs-row]").evaluate_all("els => els.map(e => e.dataset.run)")
    )


def cell(page: Any, run: str, column: str) -> str:
    selector = f'[data-testid=runs-row][data-run="{run}"] [data-column="{column}"]'
    return str(page.locator(selector).inner_text())


def open_runs(page: Any, base: str) -> None:
    page.goto(base + "#runs")
    page.wait_for_selector("[data-testid=runs-row]")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=runs-row]').length === n",
        arg=len(ALL_RUNS),
    )


def wait_rows(page: Any, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=runs-row]').length === n", arg=count
    )


def test_runs_tab_lists_every_run_with_hparams_and_status(sweep_server, page):
    open_runs(page, sweep_server)
    assert page.locator("[role=tab][data-tab=runs]").get_attribute("aria-selected") == "true"
    assert rows(page) == sorted(ALL_RUNS)
    assert cell(page, "adam-lr0.01-seed1", "hp:lr") == "0.01"
    assert cell(page, "adam-lr0.01-seed1", "hp:opt") == "adam"
    assert cell(page, "adam-lr0.01-seed1", "last_step") == "95"
    assert cell(page, "adam-lr0.01-seed1", "status") == "finished"
    assert cell(page, "crashed", "status") == "failed"
    assert cell(page, "notes", "status") == "running"
    assert cell(page, "notes", "hp:lr") == "–"
    screenshot(page, "runs-table")


def test_the_runs_tab_never_fetches_the_scalar_tag_listing_until_scalars_opens(sweep_server, page):
    # The listing names every run of every tag (16 MB at 300,000 series): the Runs tab has no use
    # for it, so it is fetched when a tab that reads it first opens, and only then.
    fetched: list[str] = []
    page.on(
        "request",
        lambda request: (
            fetched.append(request.url)
            if request.url.endswith("/data/plugin/scalars/tags")
            else None
        ),
    )
    open_runs(page, sweep_server)
    page.wait_for_selector("[data-testid=runs-total]")
    page.wait_for_timeout(500)  # the page's other start-up requests have long been sent
    assert fetched == []
    click_tab(page, "scalars")
    page.wait_for_selector('[data-tag="val/acc"] [data-testid=chart][data-drawn=true]')
    assert len(fetched) == 1
    click_tab(page, "runs")
    click_tab(page, "scalars")
    page.wait_for_selector('[data-tag="val/acc"] [data-testid=chart][data-drawn=true]')
    assert len(fetched) == 1


def test_runs_table_in_dark_mode(sweep_server, new_page):
    page = new_page(color_scheme="dark")
    open_runs(page, sweep_server)
    screenshot(page, "runs-table-dark")


def test_sorting_by_a_chosen_metric_happens_on_the_server(sweep_server, page):
    open_runs(page, sweep_server)
    page.locator("[data-testid=runs-columns]").click()
    page.locator('[data-testid=column-chooser] [data-metric="val/acc"] input').check()
    page.wait_for_selector('[data-column="m:max:val/acc"]')
    page.locator('.runs-th[data-column="m:max:val/acc"]').click()
    by_accuracy = sorted(PEAK, key=PEAK.__getitem__, reverse=True)
    # Runs without the metric come last, by name.
    expected = [*by_accuracy, "crashed", "notes"]
    page.wait_for_function(
        "first => document.querySelector('[data-testid=runs-row]')?.dataset.run === first",
        arg=expected[0],
    )
    assert rows(page) == expected
    assert float(cell(page, expected[0], "m:max:val/acc")) == pytest.approx(PEAK[expected[0]])
    page.locator('.runs-th[data-column="m:max:val/acc"]').click()  # ascending now
    page.wait_for_function(
        "first => document.querySelector('[data-testid=runs-row]')?.dataset.run === first",
        arg=by_accuracy[-1],
    )
    assert rows(page) == [*reversed(by_accuracy), "crashed", "notes"]
    screenshot(page, "runs-table-sorted")


def test_the_query_language_filters_and_errors_point_at_the_token(sweep_server, page, console):
    console.allow("status of 400")  # the bad query, answered as it should be
    open_runs(page, sweep_server)
    query = page.locator("[data-testid=runs-query]")
    query.fill('opt == "adam" and lr < 0.05 and status == "finished"')
    query.press("Enter")
    wait_rows(page, 2)
    assert rows(page) == ["adam-lr0.01-seed0", "adam-lr0.01-seed1"]
    assert page.locator("[data-testid=runs-total]").inner_text() == "2 match"
    query.fill("lr < and opt")
    query.press("Enter")
    error = page.locator("[data-testid=runs-query-error]")
    error.wait_for()
    assert error.get_attribute("data-column") == "6"  # the "and" where a value was expected
    assert "expected a number" in error.inner_text()
    assert query.get_attribute("aria-invalid") == "true"
    screenshot(page, "runs-table-query-error")
    query.fill("")
    query.press("Enter")
    wait_rows(page, len(ALL_RUNS))
    assert page.locator("[data-testid=runs-query-error]").count() == 0


def test_the_table_selection_is_the_scalars_dashboards_selection(sweep_server, page):
    open_runs(page, sweep_server)
    query = page.locator("[data-testid=runs-query]")
    query.fill('name ~ "^sgd-"')
    query.press("Enter")
    wait_rows(page, 4)
    page.locator("[data-testid=runs-only-matching]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=run-count]').textContent.startsWith('4 of')"
    )
    page.locator('[data-testid=runs-row][data-run="sgd-lr0.1-seed1"] input').uncheck()
    screenshot(page, "runs-table-selection")
    click_tab(page, "scalars")
    page.wait_for_selector("[data-testid=scalar-card]")
    drawn = chart(page, "val/acc")["runs"]
    assert sorted(drawn) == ["sgd-lr0.01-seed0", "sgd-lr0.01-seed1", "sgd-lr0.1-seed0"]
    assert page.locator('.run-row[data-run="sgd-lr0.1-seed1"] input').is_checked() is False
    screenshot(page, "runs-table-selection-scalars")


def group_card(page: Any, tag: str) -> dict[str, Any]:
    card = page.locator(f'[data-testid=group-card][data-tag="{tag}"]')
    page.wait_for_function(
        """tag => {
          const card = document.querySelector(`[data-testid=group-card][data-tag="${tag}"]`);
          return !!card && JSON.parse(card.dataset.groups || "[]").length > 0
            && !!card.querySelector('canvas');
        }""",
        arg=tag,
    )
    return {
        "groups": json.loads(card.get_attribute("data-groups") or "[]"),
        "counts": json.loads(card.get_attribute("data-counts") or "[]"),
    }


def test_group_by_an_hparam_or_a_name_regex_draws_bands(sweep_server, page):
    page.goto(sweep_server + "#scalars")
    page.wait_for_selector("[data-testid=scalar-card]")
    page.locator("[data-testid=group-mode]").select_option("hp:opt")
    drawn = group_card(page, "val/acc")
    assert drawn["groups"] == ["opt=adam", "opt=sgd"]  # "crashed" and "notes" lack val/acc
    # Steps 0..95 are fewer than the 200 grid points: every step, between logged ones interpolated.
    assert drawn["counts"][0] == [4] * 96
    page.locator("[data-testid=group-band]").select_option("std")
    page.locator("[data-testid=group-members]").check()
    page.wait_for_timeout(500)
    screenshot(page, "scalars-grouped-by-hparam")
    page.locator("[data-testid=group-mode]").select_option("regex")
    page.locator("[data-testid=group-regex]").fill(r"-(lr[\d.]+)-")
    page.locator("[data-testid=group-regex]").press("Enter")
    page.wait_for_function(
        """() => JSON.parse(document.querySelector(
            '[data-testid=group-card][data-tag="val/acc"]').dataset.groups)[0] === 'lr0.01'"""
    )
    assert group_card(page, "val/acc")["groups"] == ["lr0.01", "lr0.1"]
    # Each card fetches its own groups: the loss card may answer after the val/acc card.
    page.wait_for_function(
        """() => document.querySelector('[data-testid=group-card][data-tag="loss"]')
            .textContent.includes('2 runs not matched')"""
    )
    screenshot(page, "scalars-grouped-by-regex")
    page.locator("[data-testid=group-mode]").select_option("none")
    page.wait_for_selector('[data-testid=scalar-card][data-tag="val/acc"]')


def test_csv_export_holds_every_matching_run_with_the_visible_columns(sweep_server, page):
    open_runs(page, sweep_server)
    query = page.locator("[data-testid=runs-query]")
    query.fill('opt == "sgd"')
    query.press("Enter")
    wait_rows(page, 4)
    with page.expect_download() as download:
        page.locator("[data-testid=runs-csv]").click()
    text = Path(download.value.path()).read_bytes().decode()
    lines = text.removesuffix("\r\n").split("\r\n")
    assert lines[0].startswith("Run,Start,Duration,Last step,Status,lr,opt,seed")
    assert [line.split(",")[0] for line in lines[1:]] == sorted(
        name for name, _lr, opt, _seed in SWEEP if opt == "sgd"
    )


def test_links_reproduce_the_runs_query_and_the_grouping(sweep_server, page, new_page):
    open_runs(page, sweep_server)
    query = page.locator("[data-testid=runs-query]")
    query.fill('opt == "adam" and lr < 0.05')
    query.press("Enter")
    wait_rows(page, 2)
    page.locator('.runs-th[data-column="hp:seed"]').click()  # descending first: a number
    page.wait_for_function("() => location.search.includes('runsSort=-hp')")
    other = new_page()
    other.goto(page.url)
    wait_rows(other, 2)
    assert rows(other) == ["adam-lr0.01-seed1", "adam-lr0.01-seed0"]
    assert other.locator("[data-testid=runs-query]").input_value() == 'opt == "adam" and lr < 0.05'

    grouped = new_page()
    grouped.goto(sweep_server + "?groupBy=opt&groupBand=ci95#scalars")
    assert group_card(grouped, "val/acc")["groups"] == ["opt=adam", "opt=sgd"]
    assert grouped.locator("[data-testid=group-band]").input_value() == "ci95"
