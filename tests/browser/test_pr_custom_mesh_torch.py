"""PR curves, custom scalars and meshes written by real torch and tensorboardX, in real Chromium.

The logdir is written in a subprocess (``torch.utils.tensorboard`` and, when installed,
``tensorboardX``; never in this process, which may have imported TensorFlow elsewhere): per
writer one run with ``add_pr_curve`` at two steps, ``add_custom_scalars`` with multiline and
margin charts (each writer its own category, merged by the server), and ``add_mesh`` with a
``config_dict`` naming the camera (a perspective camera at a given position, an orthographic
one), lights and material. Each dashboard must draw what the writers wrote.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import get_json, run_heron, screenshot
from .drawn_checks import assert_curves_are_served, coloured_pixels, open_tab, screenshot_element

try:
    import tensorboardX  # noqa: F401

    WRITERS = ["torch", "tbx"]
except ImportError:  # pragma: no cover - tensorboardX is in the dev environment
    WRITERS = ["torch"]

PR_STEPS = [0, 4]
SCALAR_STEPS = list(range(0, 80, 2))
CAMERA_AT = [0.0, 0.0, 6.0]

WRITE = textwrap.dedent(
    """
    import sys
    import numpy as np

    root, kind = sys.argv[1], sys.argv[2]
    PARTS = ("value", "lower", "upper")
    if kind == "torch":
        from torch.utils.tensorboard import SummaryWriter
    else:
        from tensorboardX import SummaryWriter

    CAMERA_AT = [0.0, 0.0, 6.0]
    cube = np.array(
        [[[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]], dtype=np.float32
    )
    faces = np.array(
        [[[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
          [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]]],
        dtype=np.int32,
    )
    colors = np.array(
        [[[255 * (i & 1), 255 * ((i >> 1) & 1), 255 * ((i >> 2) & 1)] for i in range(8)]],
        dtype=np.uint8,
    )
    lights = [
        {"cls": "AmbientLight", "color": "#ffffff", "intensity": 0.7},
        {"cls": "DirectionalLight", "color": "#ffffff", "intensity": 1.0, "position": [2, 3, 4]},
    ]
    material = {"cls": "MeshStandardMaterial", "roughness": 0.6, "metalness": 0.1}
    writer = SummaryWriter(f"{root}/{kind}")
    rng = np.random.default_rng(1 if kind == "torch" else 2)
    for step in (0, 4):
        labels = rng.random(300) < 0.5
        noise = rng.normal(0, 1.5 - step / 4, 300)
        scores = 1 / (1 + np.exp(-(labels * 2 - 1) - noise))
        writer.add_pr_curve("pr/" + kind, labels, scores, step)
        writer.add_pr_curve("pr/shared", labels, scores, step)
    for step in range(0, 80, 2):
        value = 0.5 + 0.4 * (1 - np.exp(-step / 25)) + (0.05 if kind == "tbx" else 0)
        wiggle = 0.04 * np.sin(step)
        writer.add_scalar(f"{kind}/loss/train", 2 * np.exp(-step / 30) + wiggle, step)
        writer.add_scalar(f"{kind}/loss/val", 2.2 * np.exp(-step / 40) + wiggle, step)
        writer.add_scalar(f"{kind}/acc/value", value + wiggle, step)
        writer.add_scalar(f"{kind}/acc/lower", value + wiggle - 0.05, step)
        writer.add_scalar(f"{kind}/acc/upper", value + wiggle + 0.05, step)
    writer.add_custom_scalars(
        {
            kind: {
                "losses": ["Multiline", [f"{kind}/loss/"]],
                "accuracy band": ["Margin", [f"{kind}/acc/{part}" for part in PARTS]],
            }
        }
    )
    perspective = {
        "camera": {"cls": "PerspectiveCamera", "fov": 50, "position": CAMERA_AT},
        "lights": lights,
        "material": material,
    }
    orthographic = {
        "camera": {"cls": "OrthographicCamera", "near": 0.1, "far": 100, "position": CAMERA_AT},
        "lights": lights,
        "material": material,
    }
    for step in (0, 3):
        writer.add_mesh("cube/perspective", cube * (1 + step / 3), colors=colors, faces=faces,
                        config_dict=perspective, global_step=step)
    writer.add_mesh("cube/orthographic", cube, colors=colors, faces=faces,
                    config_dict=orthographic, global_step=0)
    writer.close()
    """
)


def _indexed(base: str) -> bool:
    pr = get_json(base + "data/plugin/pr_curves/tags")
    meshes = get_json(base + "data/plugin/mesh/tags")
    layout = get_json(base + "data/plugin/custom_scalars/layout")
    scalars = get_json(base + "data/plugin/scalars/tags")
    return (
        sorted(pr) == sorted(WRITERS)
        and all(len(meshes.get(w, {})) == 2 for w in WRITERS)
        and len(layout.get("category", [])) == len(WRITERS)
        and all(len(scalars.get(w, {})) == 5 for w in WRITERS)
    )


@pytest.fixture(scope="session")
def torch_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("torch-pcm") / "logs"
    for kind in WRITERS:
        subprocess.run(
            [sys.executable, "-c", WRITE, str(root), kind], check=True, capture_output=True
        )
    return root


@pytest.fixture(scope="module")
def torch_server(torch_logdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("torch-pcm-serve")
    with run_heron(torch_logdir, work, ready=_indexed) as base:
        yield base


def test_pr_curves_of_torch_and_tensorboardx_overlaid_with_a_step_slider(torch_server, page):
    open_tab(page, torch_server, "pr_curves", "[data-testid=pr-card]")
    expect(page.locator("[data-testid=pr-card]")).to_have_count(len(WRITERS) + 1)
    shared = page.locator('[data-testid=pr-card][data-tag="pr/shared"]')
    assert_curves_are_served(shared, torch_server, "pr/shared", WRITERS, PR_STEPS[-1])
    box = shared.locator(".u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.3)
    tip = shared.locator(".pr-tooltip")
    expect(tip).to_be_visible()
    assert "Threshold" in tip.locator("th").all_inner_texts()
    expect(tip.locator("tbody tr")).to_have_count(len(WRITERS))
    screenshot(page, "torch-pr-curves")
    shared.locator("[data-testid=step-slider]").fill("0")
    page.wait_for_function(
        "el => Object.values(JSON.parse(el.dataset.curves)).every(c => c.step === 0)",
        arg=shared.locator("[data-testid=pr-chart]").element_handle(),
    )


def test_custom_scalars_layouts_of_both_writers_merged_and_drawn(torch_server, page):
    open_tab(page, torch_server, "custom_scalars", "[data-testid=cs-card]")
    categories = page.locator("[data-testid=cs-category]").evaluate_all(
        "els => els.map(e => e.dataset.group)"
    )
    assert sorted(categories) == sorted(WRITERS)
    for kind in WRITERS:
        category = page.locator(f'[data-testid=cs-category][data-group="{kind}"]')
        lines = category.locator('[data-title="losses"] [data-testid=chart]')
        expect(lines).to_have_attribute("data-drawn", "true")
        assert sorted(json.loads(lines.get_attribute("data-runs"))) == sorted(
            f"{kind}: {kind}/loss/{t}" for t in ("train", "val")
        )
        band = page.locator(
            f'[data-testid=cs-category][data-group="{kind}"] [data-title="accuracy band"] '
            "[data-testid=margin-chart]"
        )
        expect(band).to_have_attribute("data-drawn", "true")
        assert json.loads(band.get_attribute("data-bands")) == {kind: len(SCALAR_STEPS)}
    page.wait_for_timeout(200)
    screenshot(page, "torch-custom-scalars")


def set_smoothing(page: Any, value: str) -> None:
    """Through the settings panel (opened if closed), as a user does."""
    if page.locator("[data-testid=smoothing-input]").count() == 0:
        page.click("[data-testid=settings-toggle]")
    page.fill("[data-testid=smoothing-input]", value)
    page.press("[data-testid=smoothing-input]", "Enter")


def margin(page: Any, kind: str) -> Any:
    return page.locator(
        f'[data-testid=cs-category][data-group="{kind}"] [data-title="accuracy band"] '
        "[data-testid=margin-chart]"
    )


def test_margin_charts_follow_the_smoothing_setting(torch_server, page):
    open_tab(page, torch_server + "?smoothing=0", "custom_scalars", "[data-testid=cs-card]")
    chart = margin(page, WRITERS[0])
    expect(chart).to_have_attribute("data-smoothed", "false")
    raw_last = json.loads(chart.get_attribute("data-last"))[WRITERS[0]]
    set_smoothing(page, "0.9")
    expect(chart).to_have_attribute("data-smoothed", "true")
    smoothed_last = json.loads(chart.get_attribute("data-last"))[WRITERS[0]]
    # The wiggle (±0.04 by sin(step)) is averaged out: the last value moves.
    assert smoothed_last != pytest.approx(raw_last, abs=1e-4)
    card = page.locator(
        f'[data-testid=cs-category][data-group="{WRITERS[0]}"] [data-title="accuracy band"]'
    )
    card.scroll_into_view_if_needed()
    box = chart.locator(".u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    tip = card.locator(".tooltip")
    expect(tip).to_be_visible()
    assert tip.locator("th").all_inner_texts() == ["Run", "Smoothed", "Value", "Lower", "Upper"]
    assert coloured_pixels(screenshot_element(card, "torch-margin-smoothed")) > 500


def test_margin_chart_zooms_on_drag_and_resets_on_double_click(torch_server, page):
    open_tab(page, torch_server, "custom_scalars", "[data-testid=cs-card]")
    chart = margin(page, WRITERS[0])
    expect(chart).to_have_attribute("data-drawn", "true")
    full_max = float(chart.get_attribute("data-x-max"))
    box = chart.locator(".u-over").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    expect(chart).to_have_attribute("data-zoomed", "true")
    page.wait_for_function(
        "([el, m]) => Number(el.dataset.xMax) < m * 0.7", arg=[chart.element_handle(), full_max]
    )
    screenshot_element(
        page.locator(
            f'[data-testid=cs-category][data-group="{WRITERS[0]}"] [data-title="accuracy band"]'
        ),
        "torch-margin-zoomed",
    )
    # A new draw (here: a smoothing change) keeps the zoom.
    set_smoothing(page, "0.3")
    expect(chart).to_have_attribute("data-smoothed", "true")
    assert float(chart.get_attribute("data-x-max")) < full_max * 0.7
    # The settings panel moved and may have resized the chart, and every draw replaces its
    # plot: a box read now could belong to a plot already gone (CI saw ``None``). A locator's
    # double click finds the current plot and waits for it to stay still.
    over = chart.locator(".u-over")
    width, height = over.evaluate("el => [el.clientWidth, el.clientHeight]")
    over.dblclick(position={"x": width * 0.4, "y": height / 2})
    expect(chart).to_have_attribute("data-zoomed", "false")
    page.wait_for_function(
        "([el, m]) => Number(el.dataset.xMax) >= m", arg=[chart.element_handle(), full_max]
    )


def mesh_canvas(page: Any, tag: str) -> Any:
    return page.locator(f'[data-testid=mesh-card][data-tag="{tag}"] [data-testid=mesh-canvas]')


def test_meshes_honour_the_camera_of_the_config_dict(torch_server, page):
    open_tab(page, torch_server, "mesh", "[data-testid=mesh-card]")
    expect(page.locator("[data-testid=mesh-card]")).to_have_count(2 * len(WRITERS))
    if page.locator("[data-testid=mesh-no-webgl]").count():
        pytest.skip("this Chromium has no WebGL")
    page.goto(torch_server + f'?runs=["{WRITERS[0]}"]#mesh')
    expect(page.locator("[data-testid=mesh-card]")).to_have_count(2)
    persp = mesh_canvas(page, "cube/perspective")
    ortho = mesh_canvas(page, "cube/orthographic")
    expect(persp).to_have_attribute("data-drawn", "true")
    expect(ortho).to_have_attribute("data-drawn", "true")
    # Both stand where the config says, looking at the cube's centre.
    assert json.loads(persp.get_attribute("data-camera-position")) == CAMERA_AT
    assert json.loads(ortho.get_attribute("data-camera-position")) == CAMERA_AT
    assert json.loads(persp.get_attribute("data-camera-target")) == [0, 0, 0]
    assert persp.get_attribute("data-camera") == "perspective"
    assert persp.get_attribute("data-camera-fov") == "50"
    assert ortho.get_attribute("data-camera") == "orthographic"
    page.wait_for_timeout(200)
    persp_png = screenshot_element(persp, "torch-mesh-perspective")
    ortho_png = screenshot_element(ortho, "torch-mesh-orthographic")
    assert coloured_pixels(persp_png) > 2000
    assert coloured_pixels(ortho_png) > 2000
    # Seen head-on from +z both show the front face, but the orthographic view box is fitted to
    # the cube while the perspective camera sees it at 50° from 6 units: the pictures differ.
    assert persp_png.read_bytes() != ortho_png.read_bytes()
    screenshot(page, "torch-mesh")
    # The step slider shows the other step; the camera stays where it was.
    card = page.locator('[data-testid=mesh-card][data-tag="cube/perspective"]')
    card.locator("[data-testid=step-slider]").fill("0")
    expect(persp).to_have_attribute("data-step", "0")
    assert json.loads(persp.get_attribute("data-camera-position")) == CAMERA_AT
