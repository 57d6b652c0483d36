"""The HParams dashboard in real Chromium against the real `heron serve` on the demo's sweep.

`heron demo` trains one small network per (learning rate, hidden width) pair and logs each
trial's hparams and final metrics with `add_hparams`: six sessions. The dashboard must show
them all with the server's values, brushing an axis of the parallel coordinates must narrow the
sessions to exactly those in the brushed range, colouring by another metric must recolour the
lines, and a session must lead to its curves on Scalars.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from heron import SummaryWriter
from heron.cli.demo import SWEEP, write_demo_logdir
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.hparams import session_start

from .conftest import click_tab, get_json, run_heron, screenshot
from .test_scalars import chart

SESSIONS = sorted(trial.run_name for trial in SWEEP)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hparams") / "logs"
    write_demo_logdir(root)
    work = tmp_path_factory.mktemp("hparams-serve")

    def ready(base: str) -> bool:
        page = get_json(base + "api/v1/runs?summary=true&metric=hparam/accuracy&limit=100")
        return page["total"] == len(SWEEP) and all(
            run["hparams"] and "hparam/accuracy" in run.get("metrics", {}) for run in page["runs"]
        )

    with run_heron(root, work, ready=ready) as base:
        yield base


def open_hparams(page: Any, base: str, view: str = "parallel") -> None:
    page.goto(base)
    click_tab(page, "hparams")
    page.wait_for_selector("[data-testid=hp-dashboard]")
    page.locator(f"[data-testid=hp-view-{view}]").click()


def table_rows(page: Any) -> list[str]:
    return list(
        page.locator("[data-testid=hp-row]").evaluate_all("els => els.map(e => e.dataset.run)")
    )


def five_digits(value: float) -> str:
    """The UI's number format (lib/format.ts) for values in [1e-3, 1e6)."""
    return f"{value:.5g}"


def axis_point(page: Any, axis: str, t: float) -> tuple[float, float]:
    """Page coordinates of position ``t`` (0 = bottom, 1 = top) on ``axis`` of the plot."""
    head = page.locator(f'.hp-axis-head[data-axis="{axis}"]').bounding_box()
    canvas = page.locator("[data-testid=hp-parallel-canvas]")
    box = canvas.bounding_box()
    top = float(canvas.get_attribute("data-plot-top"))
    height = float(canvas.get_attribute("data-plot-height"))
    return head["x"] + head["width"] / 2, box["y"] + top + (1 - t) * height


def brush(page: Any, axis: str, t0: float, t1: float) -> None:
    """Drag along ``axis`` of the parallel coordinates from position t0 to t1."""
    x, _ = axis_point(page, axis, 0)
    y = lambda t: axis_point(page, axis, t)[1]  # noqa: E731
    page.mouse.move(x, y(t0))
    page.mouse.down()
    page.mouse.move(x, (y(t0) + y(t1)) / 2)
    page.mouse.move(x, y(t1))
    page.mouse.up()


def wait_count(page: Any, prefix: str) -> None:
    page.wait_for_function(
        "p => !!document.querySelector('[data-testid=hp-count]')?.textContent.startsWith(p)",
        arg=prefix,
    )


def count_text(page: Any) -> str:
    return str(page.locator("[data-testid=hp-count]").inner_text())


def test_the_demo_sweep_shows_every_session_with_the_servers_values(demo_server, page):
    open_hparams(page, demo_server, "table")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=hp-row]').length === n", arg=len(SESSIONS)
    )
    assert count_text(page) == f"{len(SESSIONS)} sessions"
    assert sorted(table_rows(page)) == SESSIONS
    runs = get_json(demo_server + "api/v1/runs?summary=true&metric=hparam/accuracy&limit=100")
    for trial in SWEEP:
        row = f'[data-testid=hp-row][data-run="{trial.run_name}"]'
        cells = {
            column: page.locator(f'{row} [data-column="{column}"]').inner_text()
            for column in ("h:learning_rate", "h:hidden", "m:hparam/accuracy")
        }
        accuracy = next(r for r in runs["runs"] if r["name"] == trial.run_name)["metrics"][
            "hparam/accuracy"
        ]["last"]
        assert cells == {
            "h:learning_rate": f"{trial.learning_rate:g}",
            "h:hidden": str(trial.hidden),
            "m:hparam/accuracy": five_digits(accuracy),
        }
    # Sorting by the metric, best first.
    page.locator('.hp-th[data-column="m:hparam/accuracy"]').click()
    best = max(runs["runs"], key=lambda r: r["metrics"]["hparam/accuracy"]["last"])["name"]
    assert table_rows(page)[0] == best
    screenshot(page, "hparams-table")


def test_brushing_axes_narrows_the_sessions_to_the_brushed_ranges(demo_server, page):
    # The positions brushed below are worked out for the demo's sweep.
    assert sorted({t.learning_rate for t in SWEEP}) == [0.03, 0.1, 0.3]
    assert sorted({t.hidden for t in SWEEP}) == [8, 32]
    open_hparams(page, demo_server)
    page.wait_for_selector('.hp-axis-head[data-axis="h:learning_rate"]')
    # The learning rates 0.03..0.3 span one decade: a linear axis (log is for > 2 decades).
    lr_toggle = page.locator(
        '.hp-axis-head[data-axis="h:learning_rate"] [data-testid=hp-log-toggle]'
    )
    assert lr_toggle.inner_text() == "lin"
    # 0.3 is the top of the axis; 0.1 sits at (0.1 - 0.03) / 0.27 = 0.26.
    brush(page, "h:learning_rate", 1.02, 0.6)
    wait_count(page, "2 of 6")
    screenshot(page, "hparams-parallel-brushed")
    # A second brush is AND-ed: the hidden width 32 (top of 8..32).
    brush(page, "h:hidden", 1.02, 0.8)
    wait_count(page, "1 of 6")
    # The link keeps the brushes.
    assert "hpFilters=" in page.url
    page.goto(page.url)
    page.reload()
    wait_count(page, "1 of 6")
    page.locator("[data-testid=hp-view-table]").click()
    assert table_rows(page) == ["lr=0.3,hidden=32"]
    # The table's filter boxes show the brushes, as ranges.
    lr_filter = page.locator('[data-testid=hp-filter][data-axis="h:learning_rate"]').input_value()
    # The brush reached the top of the axis: open above.
    assert lr_filter.startswith(">= ")
    assert 0.1 < float(lr_filter[3:]) < 0.3
    # Typing a filter is the same filter: widen the learning rate to every value.
    page.locator('[data-testid=hp-filter][data-axis="h:learning_rate"]').fill(">= 0.01")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=hp-row]').length === 3")
    assert sorted(table_rows(page)) == ["lr=0.03,hidden=32", "lr=0.1,hidden=32", "lr=0.3,hidden=32"]
    # "Select these" makes them the run selection.
    page.locator("[data-testid=hp-select-matching]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=run-count]').textContent.startsWith('3 of')"
    )
    # A click on an axis clears its brush.
    page.locator("[data-testid=hp-view-parallel]").click()
    page.mouse.click(*axis_point(page, "h:hidden", 0.5))
    wait_count(page, "6 of 6")
    page.locator("[data-testid=hp-clear-filters]").click()
    assert count_text(page) == "6 sessions"


def test_hovering_shows_a_sessions_values_and_colour_by_recolours(demo_server, page):
    open_hparams(page, demo_server)
    page.wait_for_selector('.hp-axis-head[data-axis="h:learning_rate"]')
    canvas = page.locator("[data-testid=hp-parallel-canvas]")
    before = canvas.screenshot()
    box = canvas.bounding_box()
    page.mouse.move(*axis_point(page, "h:learning_rate", 1))  # lr 0.3: two sessions
    tooltip = page.locator("[data-testid=hp-tooltip]")
    tooltip.wait_for()
    assert tooltip.locator("b").inner_text() in {"lr=0.3,hidden=8", "lr=0.3,hidden=32"}
    assert "0.3" in tooltip.inner_text()
    screenshot(page, "hparams-parallel-hover")
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 3)
    page.locator("[data-testid=hp-color-by]").select_option("m:hparam/loss")
    page.wait_for_timeout(200)
    assert canvas.screenshot() != before
    screenshot(page, "hparams-parallel-colour-loss")


def test_scatter_matrix_brushes_the_same_filter(demo_server, page):
    open_hparams(page, demo_server, "scatter")
    cells = page.locator("[data-testid=hp-scatter-cell]")
    cells.first.wait_for()
    assert cells.count() == 2 * 2  # two hparams × two metrics
    cell = page.locator(
        '[data-testid=hp-scatter-cell][data-x="h:learning_rate"][data-y="m:hparam/accuracy"]'
    )
    box = cell.bounding_box()
    # A rectangle over the right half: learning rates above the middle of 0.03..0.3.
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] - 2)
    page.mouse.up()
    wait_count(page, "2 of 6")
    screenshot(page, "hparams-scatter-brushed")


def test_a_session_opens_its_curves_on_scalars(demo_server, page):
    open_hparams(page, demo_server, "table")
    page.locator(
        '[data-testid=hp-row][data-run="lr=0.1,hidden=8"] [data-testid=hp-row-open]'
    ).click()
    details = page.locator("[data-testid=hp-details]")
    details.wait_for()
    assert details.get_attribute("data-run") == "lr=0.1,hidden=8"
    screenshot(page, "hparams-details")
    page.locator("[data-testid=hp-open-curves]").click()
    page.wait_for_selector("[data-testid=scalar-card]")
    assert page.locator("[role=tab][data-tab=scalars]").get_attribute("aria-selected") == "true"
    # Cards load when scrolled into view.
    page.locator('[data-testid=scalar-card][data-tag="loss/train"]').scroll_into_view_if_needed()
    assert chart(page, "loss/train")["runs"] == ["lr=0.1,hidden=8"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screens_in_both_themes(demo_server, new_page, scheme):
    page = new_page(color_scheme=scheme)
    open_hparams(page, demo_server)
    page.wait_for_selector('.hp-axis-head[data-axis="h:learning_rate"]')
    brush(page, "m:hparam/accuracy", 1.02, 0.5)
    page.wait_for_selector("[data-testid=hp-count]")
    screenshot(page, f"hparams-parallel-{scheme}")
    page.locator("[data-testid=hp-view-scatter]").click()
    page.locator("[data-testid=hp-scatter-cell]").first.wait_for()
    screenshot(page, f"hparams-scatter-{scheme}")
    page.locator("[data-testid=hp-view-table]").click()
    page.locator("[data-testid=hp-row]").first.wait_for()
    screenshot(page, f"hparams-table-{scheme}")


GOLDEN = Path(__file__).resolve().parents[1] / "compat" / "golden"


def sessions_indexed(count: int) -> Any:
    def ready(base: str) -> bool:
        page = get_json(base + "api/v1/runs?summary=true&limit=10000")
        return sum(1 for run in page["runs"] if run.get("hparams")) >= count

    return ready


@pytest.mark.parametrize(
    ("writer", "values"),
    [
        # tf.summary's hp API: a declared experiment with domains (bool, interval, discrete).
        ("tf2", {"h:batch_norm": "true", "h:lr": "0.01", "h:optimizer": "adam"}),
        # torch / tensorboardX add_hparams: the session in a sub-run named by the writer.
        ("torch", {"h:layers": "3", "h:lr": "0.01", "h:optimizer": "adam"}),
        ("tensorboardx", {"h:batch_norm": "true", "h:layers": "3", "h:optimizer": "adam"}),
    ],
)
def test_sessions_written_by_other_tools(writer, values, tmp_path, page):
    with run_heron(GOLDEN / writer / "logdir", tmp_path, ready=sessions_indexed(1)) as base:
        open_hparams(page, base, "table")
        page.wait_for_selector("[data-testid=hp-row]")
        assert table_rows(page) == ["trial"]
        for column, text in values.items():
            selector = f'[data-testid=hp-row][data-run="trial"] [data-column="{column}"]'
            assert page.locator(selector).inner_text() == text
        screenshot(page, f"hparams-golden-{writer}")


MANY = 400


def _write_inferred_sweep(root: Path) -> None:
    """Sessions without any experiment summary (TensorBoard infers one), lr over 4 decades."""
    for i in range(MANY):
        lr = 10 ** (-5 + 4 * i / (MANY - 1))
        opt = ("adam", "sgd", "rmsprop")[i % 3]
        with SummaryWriter(root / f"run-{i:03d}") as writer:
            summary = Summary(value=[session_start({"lr": lr, "opt": opt, "wide": i % 2 == 0})])
            writer._get_file_writer().add_summary(summary, 0)
            writer.add_scalar("val/acc", 0.5 + 0.4 * math.sin(i / 40) ** 2, 10)


@pytest.fixture(scope="module")
def inferred_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hparams-inferred") / "logs"
    _write_inferred_sweep(root)
    work = tmp_path_factory.mktemp("hparams-inferred-serve")
    with run_heron(root, work, ready=sessions_indexed(MANY)) as base:
        yield base


def test_an_inferred_experiment_of_many_sessions(inferred_server, page):
    open_hparams(page, inferred_server)
    wait_count(page, f"{MANY} sessions")
    # lr spans four decades: a log axis by default; a click makes it linear.
    toggle = page.locator('.hp-axis-head[data-axis="h:lr"] [data-testid=hp-log-toggle]')
    assert toggle.inner_text() == "log"
    # Log axis from 1e-5 to 1e-1: the top quarter is lr >= 1e-2, a quarter of the sessions.
    brush(page, "h:lr", 1, 0.75)
    wait_count(page, f"{MANY // 4} of {MANY}")
    # Categorical axis: brushing its top third keeps one of three optimizers (AND-ed).
    brush(page, "h:opt", 1, 0.7)
    count = "document.querySelector('[data-testid=hp-count]')?.textContent ?? ''"
    page.wait_for_function(f"() => /^3[34] of /.test({count})")
    screenshot(page, "hparams-many-log")
    toggle.click()
    assert toggle.inner_text() == "lin"
    screenshot(page, "hparams-many-linear")
    page.locator("[data-testid=hp-view-table]").click()
    opts = page.locator('[data-testid=hp-row] [data-column="h:opt"]').all_inner_texts()
    assert set(opts) == {"sgd"}  # categories in natural order: adam, rmsprop, sgd (top)
