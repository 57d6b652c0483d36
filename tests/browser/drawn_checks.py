"""Reading back what the dashboards drew, or gave to download, for the browser tests.

The PR curve, custom scalars and mesh tests (Heron's own writer, and real torch / tensorboardX)
check the same things of a page: the curves a PR card drew against what the server serves,
coloured pixels in a screenshot, the files a card's download buttons save. One copy here keeps
the test files checking alike.
"""

from __future__ import annotations

import io
import json
import urllib.parse
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, click_tab, get_json


def open_tab(page: Any, base: str, tab: str, ready: str) -> None:
    """Open ``base``, go to dashboard ``tab``, and wait for the selector ``ready``."""
    page.goto(base)
    click_tab(page, tab)
    page.wait_for_selector(ready)


def drawn_curves(card: Any) -> dict[str, Any]:
    """The curves a PR card drew (its chart's ``data-curves``: run → step, precision, recall)."""
    chart = card.locator("[data-testid=pr-chart]")
    expect(chart).to_have_attribute("data-drawn", "true")
    return dict(json.loads(chart.get_attribute("data-curves")))


def served_curve(base: str, run: str, tag: str, step: int) -> dict[str, Any]:
    """The server's PR curve of ``run``/``tag`` at ``step`` (the TensorBoard route)."""
    query = urllib.parse.urlencode({"run": run, "tag": tag})
    answer = get_json(base + f"data/plugin/pr_curves/pr_curves?{query}")
    return next(entry for entry in answer[run] if entry["step"] == step)


def assert_curves_are_served(
    card: Any, base: str, tag: str, runs: list[str], step: int
) -> dict[str, Any]:
    """``card`` draws one curve per run of ``runs``, each the server's curve at ``step``.

    Returns the curves drawn."""
    curves = drawn_curves(card)
    assert sorted(curves) == sorted(runs)
    for run in runs:
        served = served_curve(base, run, tag, step)
        assert curves[run]["step"] == step
        assert curves[run]["precision"] == pytest.approx(served["precision"])
        assert curves[run]["recall"] == pytest.approx(served["recall"])
    return curves


def card_download(page: Any, card: Any, button: str) -> tuple[str, bytes]:
    """Click a card's download ``button`` (CSV, JSON, PNG); the file's name and bytes."""
    with page.expect_download() as saved:
        card.get_by_role("button", name=button, exact=True).click()
    return saved.value.suggested_filename, Path(saved.value.path()).read_bytes()


def screenshot_element(locator: Any, name: str) -> Path:
    """A screenshot of one element, saved in artifacts/ as ``name``.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


def coloured_pixels(path: Path) -> int:
    """Pixels that are clearly neither grey nor white/black: drawn in some colour."""
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(path.read_bytes())).convert("RGB")).astype(int)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return int((spread > 40).sum())
