"""The PR curves, custom scalars and mesh dashboards in real Chromium against `heron serve`.

The logdir is written with Heron's own SummaryWriter: PR curves whose predictions get better
with the step (so the curve drawn tells which step is shown), a custom-scalars layout split over
two runs (merged by the server), margin data, a coloured tetrahedron mesh and a point cloud.
Screenshots go to artifacts/ (see conftest.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from heron import SummaryWriter

from .conftest import click_tab, get_json, run_heron, screenshot
from .drawn_checks import (
    assert_curves_are_served,
    card_download,
    coloured_pixels,
    drawn_curves,
    open_tab,
    screenshot_element,
    served_curve,
)

RUNS = ["alpha", "beta"]
PR_STEPS = [0, 10, 20]
SCALAR_STEPS = list(range(0, 60, 3))
LAYOUT_ALPHA = {
    "Losses": {
        "all losses": ["Multiline", ["loss/"]],
        "train only": ["Multiline", ["loss/train"]],
    },
    "Accuracy": {"accuracy band": ["Margin", ["acc/value", "acc/lower", "acc/upper"]]},
}
#: beta adds a chart to a category alpha has, and a new category (merged by the server).
LAYOUT_BETA = {
    "Losses": {"validation": ["Multiline", ["loss/val$"]]},
    "Extra": {"anchored": ["Multiline", ["train"]]},
}
TETRA = np.array([[[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]], dtype=np.float32)
TETRA_FACES = np.array([[[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]]], dtype=np.int32)
TETRA_COLORS = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]]], dtype=np.uint8)
CLOUD_POINTS = 400


def predictions(step: int, run_index: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and scores that separate better at later steps (and differ by run)."""
    rng = np.random.default_rng(step * 10 + run_index)
    labels = rng.random(400) < 0.4
    noise = rng.normal(0, 2.0 - step / 20, 400)
    scores = 1 / (1 + np.exp(-(labels * 2 - 1) * (1 + run_index * 0.3) - noise))
    return labels, scores


def write_logdir(root: Path) -> None:
    for index, run in enumerate(RUNS):
        with SummaryWriter(root / run) as writer:
            for step in PR_STEPS:
                labels, scores = predictions(step, index)
                writer.add_pr_curve("pr/positive", labels, scores, step)
                if index == 0:
                    writer.add_pr_curve("pr/alpha_only", ~labels, 1 - scores, step)
            for step in SCALAR_STEPS:
                value = 0.5 + 0.4 * (1 - np.exp(-step / 20)) + index * 0.02
                writer.add_scalar("loss/train", 2 * np.exp(-step / 30) + index * 0.1, step)
                writer.add_scalar("loss/val", 2.2 * np.exp(-step / 35) + index * 0.1, step)
                writer.add_scalar("val/train_acc", value, step)  # "train" must not match it
                writer.add_scalar("acc/value", value, step)
                writer.add_scalar("acc/lower", value - 0.05 - step / 600, step)
                writer.add_scalar("acc/upper", value + 0.05 + step / 600, step)
            writer.add_custom_scalars(LAYOUT_ALPHA if index == 0 else LAYOUT_BETA)
            if index == 0:
                config = {
                    "camera": {"cls": "PerspectiveCamera", "fov": 60},
                    "lights": [
                        {"cls": "AmbientLight", "color": "#ffffff", "intensity": 0.6},
                        {"cls": "DirectionalLight", "color": "#ffffff", "intensity": 1.2},
                    ],
                    "material": {"cls": "MeshStandardMaterial", "roughness": 0.7},
                }
                for step in (0, 5):
                    writer.add_mesh(
                        "shapes/tetra",
                        TETRA * (1 + step / 5),
                        colors=TETRA_COLORS,
                        faces=TETRA_FACES,
                        config_dict=config,
                        global_step=step,
                    )
            else:
                rng = np.random.default_rng(7)
                cloud = rng.normal(0, 1, (1, CLOUD_POINTS, 3)).astype(np.float32)
                shades = (rng.random((1, CLOUD_POINTS, 3)) * 255).astype(np.uint8)
                writer.add_mesh("cloud", cloud, colors=shades, global_step=3)


def _indexed(base: str) -> bool:
    pr = get_json(base + "data/plugin/pr_curves/tags")
    meshes = get_json(base + "data/plugin/mesh/tags")
    layout = get_json(base + "data/plugin/custom_scalars/layout")
    scalars = get_json(base + "data/plugin/scalars/tags")
    return (
        len(pr) == len(RUNS)
        and len(meshes) == len(RUNS)
        and len(layout.get("category", [])) == 3
        and all(len(scalars.get(run, {})) == 6 for run in RUNS)
    )


@pytest.fixture(scope="module")
def pcm_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pcm") / "logs"
    write_logdir(root)
    return root


@pytest.fixture(scope="module")
def pcm_server(pcm_logdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("pcm-serve")
    with run_heron(pcm_logdir, work, ready=_indexed) as base:
        yield base


def test_the_three_tabs_are_dashboards(pcm_server, page):
    page.goto(pcm_server)
    for tab, root in (
        ("pr_curves", "pr-curves-dashboard"),
        ("custom_scalars", "custom-scalars-dashboard"),
        ("mesh", "mesh-dashboard"),
    ):
        click_tab(page, tab)
        page.wait_for_selector(f"[data-testid={root}]")
        assert page.locator("[data-testid=coming-soon]").count() == 0
        assert page.url.endswith(f"#{tab}")


def test_pr_curves_one_card_per_tag_runs_overlaid_latest_step(pcm_server, page):
    open_tab(page, pcm_server, "pr_curves", "[data-testid=pr-card]")
    cards = page.locator("[data-testid=pr-card]")
    expect(cards).to_have_count(2)
    positive = page.locator('[data-testid=pr-card][data-tag="pr/positive"]')
    assert_curves_are_served(positive, pcm_server, "pr/positive", RUNS, PR_STEPS[-1])
    expect(positive.locator("[data-testid=step]")).to_have_text(f"step {PR_STEPS[-1]}")
    only = page.locator('[data-testid=pr-card][data-tag="pr/alpha_only"]')
    assert sorted(drawn_curves(only)) == ["alpha"]
    page.wait_for_timeout(200)
    screenshot(page, "pr-curves-light")


def test_pr_curves_dark(pcm_server, new_page):
    page = new_page(color_scheme="dark")
    open_tab(page, pcm_server, "pr_curves", "[data-testid=pr-card]")
    positive = page.locator('[data-testid=pr-card][data-tag="pr/positive"]')
    drawn_curves(positive)
    box = positive.locator(".u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2)
    expect(positive.locator(".pr-tooltip")).to_be_visible()
    screenshot(page, "pr-curves-dark")


def test_pr_step_slider_changes_the_curve(pcm_server, page):
    open_tab(page, pcm_server, "pr_curves", "[data-testid=pr-card]")
    positive = page.locator('[data-testid=pr-card][data-tag="pr/positive"]')
    latest = drawn_curves(positive)
    positive.locator("[data-testid=step-slider]").fill("0")
    expect(positive.locator("[data-testid=step]")).to_have_text(f"step {PR_STEPS[0]}")
    page.wait_for_function(
        "el => JSON.parse(el.dataset.curves).alpha.step === 0",
        arg=positive.locator("[data-testid=pr-chart]").element_handle(),
    )
    first = drawn_curves(positive)
    for run in RUNS:
        served = served_curve(pcm_server, run, "pr/positive", PR_STEPS[0])
        assert first[run]["precision"] == pytest.approx(served["precision"])
        assert first[run]["precision"] != pytest.approx(latest[run]["precision"])


def test_pr_hover_lists_threshold_and_counts_per_run(pcm_server, page):
    open_tab(page, pcm_server, "pr_curves", "[data-testid=pr-card]")
    positive = page.locator('[data-testid=pr-card][data-tag="pr/positive"]')
    drawn_curves(positive)
    over = positive.locator(".u-over")
    box = over.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    tip = positive.locator(".pr-tooltip")
    expect(tip).to_be_visible()
    header = tip.locator("th").all_inner_texts()
    assert header == ["Run", "Step", "Threshold", "Precision", "Recall", "TP", "FP", "TN", "FN"]
    assert tip.locator("tbody tr").count() == len(RUNS)
    # Each row is a real point of its run's curve at the step shown.
    row = tip.locator("tbody tr").first.locator("td").all_inner_texts()
    run = row[0].strip()
    served = served_curve(pcm_server, run, "pr/positive", PR_STEPS[-1])
    threshold = float(row[2])
    thresholds = served["thresholds"]
    i = min(range(len(thresholds)), key=lambda k: abs(thresholds[k] - threshold))
    assert float(row[3]) == pytest.approx(served["precision"][i], abs=1e-4)
    assert [int(x) for x in row[5:9]] == [
        served["true_positives"][i],
        served["false_positives"][i],
        served["true_negatives"][i],
        served["false_negatives"][i],
    ]
    screenshot(page, "pr-curves-hover")


def test_pr_tag_filter_and_run_selector(pcm_server, page):
    open_tab(page, pcm_server, "pr_curves", "[data-testid=pr-card]")
    page.fill("[data-testid=tag-filter]", "alpha_only")
    expect(page.locator("[data-testid=pr-card]")).to_have_count(1)
    page.fill("[data-testid=tag-filter]", "")
    expect(page.locator("[data-testid=pr-card]")).to_have_count(2)
    page.goto(pcm_server + '?runs=["beta"]#pr_curves')
    expect(page.locator("[data-testid=pr-card]")).to_have_count(1)
    assert sorted(drawn_curves(page.locator("[data-testid=pr-card]"))) == ["beta"]


def test_custom_scalars_layout_merged_across_runs(pcm_server, page):
    open_tab(page, pcm_server, "custom_scalars", "[data-testid=cs-card]")
    categories = page.locator("[data-testid=cs-category]").evaluate_all(
        "els => els.map(e => e.dataset.group)"
    )
    assert categories == ["Losses", "Accuracy", "Extra"]
    titles = page.locator("[data-testid=cs-card]").evaluate_all(
        "els => els.map(e => e.dataset.title)"
    )
    assert titles == ["all losses", "train only", "validation", "accuracy band", "anchored"]


def chart_of(page: Any, title: str, testid: str = "chart") -> Any:
    chart = page.locator(f'[data-testid=cs-card][data-title="{title}"] [data-testid={testid}]')
    expect(chart).to_have_attribute("data-drawn", "true")
    return chart


def test_multiline_regexes_are_anchored_at_the_start(pcm_server, page):
    open_tab(page, pcm_server, "custom_scalars", "[data-testid=cs-card]")
    runs = json.loads(chart_of(page, "all losses").get_attribute("data-runs"))
    assert runs == [f"{r}: loss/{t}" for t in ("train", "val") for r in RUNS]
    # One tag: lines are labelled (and coloured) by their run, as on Scalars.
    assert json.loads(chart_of(page, "train only").get_attribute("data-runs")) == RUNS
    assert json.loads(chart_of(page, "validation").get_attribute("data-runs")) == RUNS
    # No tag starts with "train": val/train_acc contains it but must not match.
    anchored = page.locator('[data-testid=cs-card][data-title="anchored"]')
    expect(anchored).to_contain_text("No scalar tag of the selected runs matches.")
    # The chart is the scalars chart: its last value is the last value written.
    last = json.loads(chart_of(page, "train only").get_attribute("data-last"))
    assert set(last) == set(RUNS)
    screenshot(page, "custom-scalars-light")


def test_multiline_zoom_fetches_the_steps_in_view(pcm_server, page):
    open_tab(page, pcm_server, "custom_scalars", "[data-testid=cs-card]")
    chart = chart_of(page, "train only")
    box = chart.locator(".u-over").bounding_box()
    y = box["y"] + box["height"] / 2
    with page.expect_request(lambda r: "api/v1/scalars" in r.url and "start_step" in r.url):
        page.mouse.move(box["x"] + box["width"] * 0.3, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
        page.mouse.up()
    expect(chart).to_have_attribute("data-zoomed", "true")
    last_step = SCALAR_STEPS[-1]
    page.wait_for_function(
        "([el, last]) => Number(el.dataset.xMax) < last", arg=[chart.element_handle(), last_step]
    )


def test_margin_chart_draws_a_band_per_run(pcm_server, page, new_page):
    open_tab(page, pcm_server, "custom_scalars", "[data-testid=cs-card]")
    chart = chart_of(page, "accuracy band", "margin-chart")
    bands = json.loads(chart.get_attribute("data-bands"))
    assert bands == {run: len(SCALAR_STEPS) for run in RUNS}
    # The band is filled: pixels between the bounds carry the run's colour at low alpha.
    card = page.locator('[data-testid=cs-card][data-title="accuracy band"]')
    card.scroll_into_view_if_needed()
    path = screenshot_element(card, "custom-scalars-margin")
    assert coloured_pixels(path) > 500
    dark = new_page(color_scheme="dark")
    open_tab(dark, pcm_server, "custom_scalars", "[data-testid=cs-card]")
    chart_of(dark, "accuracy band", "margin-chart")
    chart_of(dark, "all losses")
    dark.wait_for_timeout(200)
    screenshot(dark, "custom-scalars-dark")


def test_custom_scalars_cards_download_every_point_by_line_label(pcm_server, page):
    open_tab(page, pcm_server, "custom_scalars", "[data-testid=cs-card]")
    chart_of(page, "all losses")
    losses = page.locator('[data-testid=cs-card][data-title="all losses"]')
    name, data = card_download(page, losses, "CSV")
    assert name == "tag-all_losses.csv"
    lines = data.decode().splitlines()
    assert lines[0] == "Run,Wall time,Step,Value"
    rows = [line.split(",") for line in lines[1:]]
    labels = [f"{r}: loss/{t}" for t in ("train", "val") for r in RUNS]
    assert sorted({row[0] for row in rows}) == sorted(labels)
    assert len(rows) == len(labels) * len(SCALAR_STEPS)  # every point, not the envelope
    first = next(row for row in rows if row[0] == "alpha: loss/train")
    assert (int(first[2]), float(first[3])) == (0, pytest.approx(2.0))
    # A margin chart names its three series per run by their part.
    chart_of(page, "accuracy band", "margin-chart")
    band = page.locator('[data-testid=cs-card][data-title="accuracy band"]')
    name, data = card_download(page, band, "JSON")
    assert name == "tag-accuracy_band.json"
    series = json.loads(data)
    parts = ("value", "lower", "upper")
    assert sorted(series) == sorted(f"{r} ({p})" for r in RUNS for p in parts)
    assert all(len(points) == len(SCALAR_STEPS) for points in series.values())
    name, data = card_download(page, band, "PNG")
    assert name == "tag-accuracy_band.png"
    assert data.startswith(b"\x89PNG")


def test_mesh_cards_render_non_blank_pixels(pcm_server, page, new_page):
    open_tab(page, pcm_server, "mesh", "[data-testid=mesh-card]")
    cards = page.locator("[data-testid=mesh-card]")
    expect(cards).to_have_count(2)
    if page.locator("[data-testid=mesh-no-webgl]").count():
        pytest.skip("this Chromium has no WebGL: covered by test_mesh_without_webgl_says_so")
    tetra = page.locator('[data-testid=mesh-card][data-tag="shapes/tetra"]')
    canvas = tetra.locator("[data-testid=mesh-canvas]")
    expect(canvas).to_have_attribute("data-drawn", "true")
    assert canvas.get_attribute("data-vertices") == "4"
    assert canvas.get_attribute("data-faces") == "4"
    expect(tetra.locator("[data-testid=step]")).to_have_text("step 5")
    cloud = page.locator('[data-testid=mesh-card][data-tag="cloud"] [data-testid=mesh-canvas]')
    expect(cloud).to_have_attribute("data-drawn", "true")
    assert cloud.get_attribute("data-vertices") == str(CLOUD_POINTS)
    assert cloud.get_attribute("data-faces") == "0"
    page.wait_for_timeout(200)
    assert coloured_pixels(screenshot_element(canvas, "mesh-tetra")) > 2000
    assert coloured_pixels(screenshot_element(cloud, "mesh-cloud")) > 200
    screenshot(page, "mesh-light")

    # The slider shows the other step (the smaller tetrahedron).
    tetra.locator("[data-testid=step-slider]").fill("0")
    expect(canvas).to_have_attribute("data-step", "0")
    # Orbit: dragging turns the camera, so the picture changes.
    before = canvas.screenshot()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 80, box["y"] + box["height"] / 2 + 20, steps=5)
    page.mouse.up()
    assert canvas.screenshot() != before

    dark = new_page(color_scheme="dark")
    open_tab(dark, pcm_server, "mesh", "[data-testid=mesh-card]")
    expect(dark.locator("[data-testid=mesh-canvas]").first).to_have_attribute("data-drawn", "true")
    expect(dark.locator("[data-testid=mesh-canvas]").last).to_have_attribute("data-drawn", "true")
    dark.wait_for_timeout(200)
    screenshot(dark, "mesh-dark")


def test_mesh_without_webgl_says_so(pcm_server, browser, console):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    console.watch(page)
    # A browser with WebGL turned off: getContext gives null for the WebGL kinds.
    page.add_init_script(
        "const get = HTMLCanvasElement.prototype.getContext;"
        "HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {"
        "  return /webgl/.test(kind) ? null : get.call(this, kind, ...rest); };"
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        open_tab(page, pcm_server, "mesh", "[data-testid=mesh-card]")
        message = page.locator("[data-testid=mesh-no-webgl]").first
        expect(message).to_contain_text("WebGL is unavailable")
        cloud = page.locator('[data-testid=mesh-card][data-tag="cloud"]')
        expect(cloud.locator("[data-testid=mesh-detail]")).to_have_text(
            f"{CLOUD_POINTS} vertices · point cloud"
        )
        # Nothing to draw with, so the arrays are not fetched.
        assert not any("plugin/mesh/data" in url for url in requests)
        screenshot(page, "mesh-no-webgl")
    finally:
        context.close()


def test_mesh_chunk_is_loaded_only_by_the_mesh_tab(pcm_server, page):
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url))
    open_tab(page, pcm_server, "pr_curves", "[data-testid=pr-card]")
    assert not any("MeshDashboard" in url for url in scripts)
    click_tab(page, "mesh")
    page.wait_for_selector("[data-testid=mesh-card]")
    assert any("MeshDashboard" in url for url in scripts)


def test_new_steps_arrive_live_in_all_three(pcm_logdir, tmp_path, page):
    logdir = tmp_path / "logs"
    shutil.copytree(pcm_logdir, logdir)
    with run_heron(logdir, tmp_path, ready=_indexed) as base:
        open_tab(page, base, "pr_curves", "[data-testid=pr-card]")
        positive = page.locator('[data-testid=pr-card][data-tag="pr/positive"]')
        expect(positive.locator("[data-testid=step]")).to_have_text(f"step {PR_STEPS[-1]}")
        drawn_curves(positive)
        with SummaryWriter(logdir / "alpha") as writer:
            labels, scores = predictions(40, 0)
            writer.add_pr_curve("pr/positive", labels, scores, 40)
        expect(positive.locator("[data-testid=step]")).to_have_text("step 40", timeout=20_000)
        page.wait_for_function(
            "el => JSON.parse(el.dataset.curves).alpha.step === 40",
            arg=positive.locator("[data-testid=pr-chart]").element_handle(),
        )

        click_tab(page, "custom_scalars")
        band = chart_of(page, "accuracy band", "margin-chart")
        with SummaryWriter(logdir / "alpha") as writer:
            for tag, value in (("acc/value", 0.9), ("acc/lower", 0.8), ("acc/upper", 0.95)):
                writer.add_scalar(tag, value, 100)
        expected = {"alpha": len(SCALAR_STEPS) + 1, "beta": len(SCALAR_STEPS)}
        page.wait_for_function(
            "([el, want]) => el.dataset.bands === want",
            arg=[band.element_handle(), json.dumps(expected, separators=(",", ":"))],
            timeout=20_000,
        )
        # A run writing a new layout: the merged layout is fetched again.
        with SummaryWriter(logdir / "beta") as writer:
            writer.add_custom_scalars({"Live": {"late": ["Multiline", ["acc/"]]}})
        expect(page.locator('[data-testid=cs-category][data-group="Live"]')).to_have_count(
            1, timeout=20_000
        )

        click_tab(page, "mesh")
        tetra = page.locator('[data-testid=mesh-card][data-tag="shapes/tetra"]')
        expect(tetra.locator("[data-testid=step]")).to_have_text("step 5")
        with SummaryWriter(logdir / "alpha") as writer:
            writer.add_mesh("shapes/tetra", TETRA * 3, faces=TETRA_FACES, global_step=9)
        expect(tetra.locator("[data-testid=step]")).to_have_text("step 9", timeout=20_000)
        if page.locator("[data-testid=mesh-no-webgl]").count() == 0:
            canvas = tetra.locator("[data-testid=mesh-canvas]")
            expect(canvas).to_have_attribute("data-step", "9")
            assert canvas.get_attribute("data-colors") == "false"


def test_the_demo_logdir_in_all_three_dashboards(tmp_path, page):
    from heron.cli.demo import CUSTOM_LAYOUT, SWEEP, write_demo_logdir

    logdir = tmp_path / "demo"
    write_demo_logdir(logdir)

    def ready(base: str) -> bool:
        return (
            len(get_json(base + "data/plugin/pr_curves/tags")) == len(SWEEP)
            and len(get_json(base + "data/plugin/mesh/tags")) == len(SWEEP)
            and get_json(base + "data/plugin/custom_scalars/layout") != {}
        )

    with run_heron(logdir, tmp_path, ready=ready) as base:
        open_tab(page, base, "pr_curves", "[data-testid=pr-card]")
        card = page.locator("[data-testid=pr-card]")
        expect(card).to_have_count(1)
        assert len(drawn_curves(card)) == len(SWEEP)
        page.wait_for_timeout(200)
        screenshot(page, "demo-pr_curves")

        click_tab(page, "custom_scalars")
        charts = sum(len(charts) for charts in CUSTOM_LAYOUT.values())
        expect(page.locator("[data-testid=cs-card]")).to_have_count(charts)
        loss = json.loads(chart_of(page, "loss").get_attribute("data-runs"))
        assert len(loss) == 2 * len(SWEEP)  # loss/train and loss/validation of every run
        page.wait_for_timeout(200)
        screenshot(page, "demo-custom_scalars")

        click_tab(page, "mesh")
        expect(page.locator("[data-testid=mesh-card]")).to_have_count(len(SWEEP))
        if page.locator("[data-testid=mesh-no-webgl]").count() == 0:
            first = page.locator("[data-testid=mesh-canvas]").first
            expect(first).to_have_attribute("data-drawn", "true")
            page.wait_for_timeout(200)
            assert coloured_pixels(screenshot_element(first, "demo-mesh-canvas")) > 200
        screenshot(page, "demo-mesh")


MANY_MESHES = 24


def test_many_meshes_stay_within_the_webgl_context_limit(tmp_path, page):
    """Chromium keeps 16 WebGL contexts: cards far off screen give theirs back and redraw later."""
    logdir = tmp_path / "logs"
    rng = np.random.default_rng(3)
    with SummaryWriter(logdir / "many") as writer:
        for index in range(MANY_MESHES):
            cloud = rng.normal(0, 1, (1, 100, 3)).astype(np.float32)
            colors = np.full((1, 100, 3), (30 + index * 9, 120, 200), dtype=np.uint8)
            writer.add_mesh(f"cloud_{index:02d}", cloud, colors=colors, global_step=0)

    def ready(base: str) -> bool:
        return len(get_json(base + "data/plugin/mesh/tags").get("many", {})) == MANY_MESHES

    with run_heron(logdir, tmp_path, ready=ready) as base:
        open_tab(page, base, "mesh", "[data-testid=mesh-card]")
        if page.locator("[data-testid=mesh-no-webgl]").count():
            pytest.skip("this Chromium has no WebGL")
        cards = page.locator("[data-testid=mesh-card]")
        expect(cards).to_have_count(MANY_MESHES)
        drawn = "[data-testid=mesh-canvas][data-drawn=true]"
        live = f"() => document.querySelectorAll('{drawn}').length"
        most = 0
        for index in range(MANY_MESHES):
            cards.nth(index).scroll_into_view_if_needed()
            expect(cards.nth(index).locator("[data-testid=mesh-canvas]")).to_have_attribute(
                "data-drawn", "true"
            )
            most = max(most, page.evaluate(live))
        assert most < 16
        first = cards.first.locator("[data-testid=mesh-canvas]")
        assert first.get_attribute("data-drawn") != "true"  # gave its context back
        cards.first.scroll_into_view_if_needed()
        expect(first).to_have_attribute("data-drawn", "true")
        page.wait_for_timeout(200)
        assert coloured_pixels(screenshot_element(first, "mesh-redrawn")) > 100
