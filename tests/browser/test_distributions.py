"""The Histograms and Distributions dashboards in real Chromium against the real `heron serve`
on a logdir written by `heron.SummaryWriter.add_histogram` (see conftest.py for the harness)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heron import SummaryWriter

from .conftest import click_tab, get_json, run_heron, screenshot

RUNS = ["baseline", "wide_init"]
TAGS = ["weights/dense1", "weights/dense2", "activations/relu"]
STEPS = 50

# Pixels of a canvas that are not transparent, and a cheap fingerprint of what is drawn.
CANVAS_INK = """canvas => {
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0, hash = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0) ink++;
    hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2] + data[i + 3]) | 0;
  }
  return {ink, hash, total: data.length / 4};
}"""


def _write_logdir(root: Path) -> None:
    rng = np.random.default_rng(7)
    for r, run in enumerate(RUNS):
        with SummaryWriter(root / run) as writer:
            for step in range(STEPS):
                t = step / (STEPS - 1)
                # Normal distributions drifting right and widening over training.
                spread = (1 + r) * (0.4 + 0.6 * t)
                writer.add_histogram("weights/dense1", rng.normal(1.5 * t, spread, 2000), step)
                writer.add_histogram(
                    "weights/dense2", rng.normal(-t, 0.3 + 0.2 * r, 2000), step, bins=30
                )
                relu = np.maximum(rng.normal(0.2 * t, 1, 2000), 0)
                writer.add_histogram("activations/relu", relu, step)


@pytest.fixture(scope="module")
def hist_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("histograms") / "logs"
    _write_logdir(root)
    return root


@pytest.fixture(scope="module")
def hist_server(hist_logdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = hist_logdir

    def indexed(base: str) -> bool:
        tags = get_json(base + "data/plugin/histograms/tags")
        if sorted(tags) != sorted(RUNS):
            return False
        return all(
            len(get_json(f"{base}data/plugin/histograms/histograms?run={run}&tag={TAGS[-1]}"))
            == STEPS
            for run in RUNS
        )

    work = tmp_path_factory.mktemp("serve-histograms")
    with run_heron(root, work, ready=indexed) as base:
        yield base


def card(page: Any, kind: str, run: str, tag: str) -> Any:
    return page.locator(f'[data-testid={kind}-card][data-run="{run}"][data-tag="{tag}"]')


def histogram_canvas(page: Any, run: str, tag: str, steps: int = STEPS) -> Any:
    canvas = card(page, "histogram", run, tag).locator("[data-testid=histogram-canvas]")
    canvas.wait_for(timeout=20_000)
    page.wait_for_function(
        "([el, n]) => el && Number(el.dataset.steps) === n",
        arg=[canvas.element_handle(), steps],
        timeout=20_000,
    )
    return canvas


def ink(canvas: Any) -> dict[str, int]:
    return dict(canvas.evaluate(CANVAS_INK))


def test_both_tabs_appear_and_are_not_coming_soon(hist_server, page):
    page.goto(hist_server)
    for name in ("histograms", "distributions"):
        tab = page.locator(f"[role=tab][data-tab={name}]")
        tab.wait_for()
        assert "soon" not in (tab.get_attribute("class") or "")
    click_tab(page, "histograms")
    page.wait_for_selector("[data-testid=histogram-card]")
    assert page.locator("[data-testid=coming-soon]").count() == 0
    # One card per (run, tag), grouped by the tag's prefix.
    assert page.locator("[data-testid=histogram-card]").count() == len(RUNS) * len(TAGS)
    groups = page.locator(".hist-dashboard details.group").evaluate_all(
        "els => els.map(e => e.dataset.group)"
    )
    assert groups == ["activations", "weights"]


def test_histogram_draws_offset_then_overlay(hist_server, page):
    page.goto(hist_server + "#histograms")
    canvas = histogram_canvas(page, "baseline", "weights/dense1")
    assert canvas.get_attribute("data-mode") == "offset"
    offset = ink(canvas)
    # A ridge plot of 50 steps covers a good share of the card.
    assert offset["ink"] > offset["total"] * 0.15, offset
    screenshot(page, "histograms-offset-light")

    page.locator("[data-testid=histogram-mode] [data-value=overlay]").click()
    page.wait_for_function(
        "el => el.dataset.mode === 'overlay'", arg=canvas.element_handle(), timeout=5_000
    )
    overlay = ink(canvas)
    assert overlay["ink"] > 0
    assert overlay["hash"] != offset["hash"]
    assert "histogramMode=overlay" in page.url
    screenshot(page, "histograms-overlay-light")

    # The mode survives a reload (it is in the URL).
    page.reload()
    canvas = histogram_canvas(page, "baseline", "weights/dense1")
    assert canvas.get_attribute("data-mode") == "overlay"


def test_histogram_hover_shows_step_bucket_and_count(hist_server, page):
    page.goto(hist_server + "#histograms")
    canvas = histogram_canvas(page, "wide_init", "weights/dense2")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    # Near the bottom of the plot, at the middle of the value range: the latest, front curve.
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.8)
    tip = card(page, "histogram", "wide_init", "weights/dense2").locator(
        "[data-testid=histogram-tooltip]"
    )
    tip.wait_for(timeout=5_000)
    text = tip.inner_text()
    assert re.search(r"Step \d+", text), text
    assert "Bucket" in text
    assert "Count" in text
    screenshot(page, "histograms-hover-light")
    page.mouse.move(0, 0)
    tip.wait_for(state="detached", timeout=5_000)


def test_histogram_x_axis_relative_keeps_drawing(hist_server, page):
    page.goto(hist_server + "?xAxis=relative#histograms")
    canvas = histogram_canvas(page, "baseline", "activations/relu")
    assert ink(canvas)["ink"] > 0


def test_distributions_draw_bands_in_light_and_dark(hist_server, page, new_page):
    for name, p in (("light", page), ("dark", new_page(color_scheme="dark"))):
        p.goto(hist_server + "#distributions")
        chart = card(p, "distribution", "baseline", "weights/dense1").locator(
            "[data-testid=distribution-chart]"
        )
        p.wait_for_function(
            "el => el && el.dataset.steps === '50' && el.dataset.bands === '4'",
            arg=chart.element_handle(timeout=20_000),
            timeout=20_000,
        )
        assert p.locator("[data-testid=distribution-card]").count() == len(RUNS) * len(TAGS)
        drawn = chart.locator("canvas").first.evaluate(CANVAS_INK)
        # Bands fill much of the plot, not just thin lines.
        assert drawn["ink"] > drawn["total"] * 0.2, drawn
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None
        p.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
        tip = card(p, "distribution", "baseline", "weights/dense1").locator(
            "[data-testid=distribution-tooltip]"
        )
        tip.wait_for(state="visible", timeout=5_000)
        assert re.search(r"Step \d+", tip.inner_text())
        assert "median" in tip.inner_text()
        screenshot(p, f"distributions-{name}")


def test_histograms_dark(hist_server, new_page):
    page = new_page(color_scheme="dark")
    page.goto(hist_server + "#histograms")
    canvas = histogram_canvas(page, "baseline", "weights/dense1")
    assert ink(canvas)["ink"] > 0
    screenshot(page, "histograms-offset-dark")
    page.locator("[data-testid=histogram-mode] [data-value=overlay]").click()
    page.wait_for_function(
        "el => el.dataset.mode === 'overlay'", arg=canvas.element_handle(), timeout=5_000
    )
    screenshot(page, "histograms-overlay-dark")


def test_tag_filter_narrows_cards(hist_server, page):
    page.goto(hist_server + "?tagFilter=relu#histograms")
    page.wait_for_selector("[data-testid=histogram-card]")
    assert page.locator("[data-testid=histogram-card]").count() == len(RUNS)


def test_live_updates_add_a_new_tag_and_new_steps(hist_server, hist_logdir, page):
    """Runs last: it writes into the logdir the other tests read."""
    page.goto(hist_server + "#histograms")
    histogram_canvas(page, "baseline", "weights/dense1")
    rng = np.random.default_rng(1)
    with SummaryWriter(hist_logdir / "baseline") as writer:
        for step in range(3):
            writer.add_histogram("live/grow", rng.normal(step, 1, 500), step)
    # A tag the page did not know appears without a reload.
    histogram_canvas(page, "baseline", "live/grow", steps=3)
    with SummaryWriter(hist_logdir / "baseline") as writer:
        for step in range(3, 6):
            writer.add_histogram("live/grow", rng.normal(step, 1, 500), step)
    histogram_canvas(page, "baseline", "live/grow", steps=6)
