"""The scatter-plot matrix's axes in real Chromium: ticks and labels readable at 6 × 6 cells.

A sweep of 48 sessions over six hparams (a learning rate swept over four decades, which the
parallel coordinates put on a log axis; a dropout, a batch size, a depth, an optimizer and a
boolean) with six metrics. Every column gets tick labels under its bottom cell and every row
left of its first cell; the learning rate's are decades, as on its parallel-coordinates axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from heron import SummaryWriter

from .conftest import click_tab, get_json, run_heron, screenshot

HPARAMS = ["lr", "dropout", "batch", "depth", "optimizer", "augment"]
METRICS = [f"hparam/{name}" for name in ("acc", "loss", "f1", "auc", "time", "memory")]
SESSIONS = 48


def _write(root: Path) -> None:
    for i in range(SESSIONS):
        lr = 10.0 ** -(1 + (i % 5))  # 1e-1 … 1e-5
        hparams = {
            "lr": lr,
            "dropout": 0.1 * (i % 6),
            "batch": 16 * (1 + i % 4),
            "depth": 2 + i % 7,
            "optimizer": ("adam", "sgd", "rmsprop-centered")[i % 3],
            "augment": i % 2 == 0,
        }
        acc = 0.6 + 0.05 * math.log10(1 / lr) + 0.01 * (i % 4)
        metrics = {
            "hparam/acc": acc,
            "hparam/loss": 1 - acc,
            "hparam/f1": acc * 0.95,
            "hparam/auc": 0.5 + acc / 2,
            "hparam/time": 100 + 17 * i,
            "hparam/memory": 2.0e9 + 1.0e8 * (i % 9),
        }
        with SummaryWriter(root / f"trial-{i:02d}") as writer:
            writer.add_hparams(hparams, metrics, run_name=".")


@pytest.fixture(scope="module")
def grid_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hparams-grid") / "logs"
    _write(root)
    work = tmp_path_factory.mktemp("hparams-grid-serve")

    def ready(base: str) -> bool:
        page = get_json(base + "api/v1/runs?summary=true&metric=hparam/acc&limit=100")
        return page["total"] == SESSIONS and all(
            "hparam/acc" in run.get("metrics", {}) for run in page["runs"]
        )

    with run_heron(root, work, ready=ready) as base:
        yield base


def ticks(page: Any, kind: str, axis: str) -> list[str]:
    return list(
        page.locator(f'[data-testid=hp-{kind}ticks][data-axis="{axis}"] span').all_inner_texts()
    )


def test_a_6_by_6_matrix_labels_every_row_and_column_with_log_decades_for_lr(grid_server, page):
    page.goto(grid_server)
    click_tab(page, "hparams")
    page.wait_for_selector("[data-testid=hp-dashboard]")
    page.locator("[data-testid=hp-view-scatter]").click()
    cells = page.locator("[data-testid=hp-scatter-cell]")
    expect(cells).to_have_count(36)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=hp-scatter-cell]')]"
        ".every(c => c.dataset.drawn === 'true')"
    )
    assert ticks(page, "x", "h:lr") == ["1e-5", "1e-4", "0.001", "0.01", "0.1"]
    assert page.locator(".hp-col-head", has_text="lr").locator("small").inner_text() == "log"
    for name in HPARAMS:
        labels = ticks(page, "x", f"h:{name}")
        assert 2 <= len(labels) <= 5, (name, labels)
    assert ticks(page, "x", "h:optimizer") == ["adam", "rmsprop-c…", "sgd"]
    assert ticks(page, "x", "h:augment") == ["false", "true"]
    for metric in METRICS:
        labels = ticks(page, "y", f"m:{metric}")
        assert 2 <= len(labels) <= 5, (metric, labels)
    assert ticks(page, "y", "m:hparam/memory")[0] in ("2e9", "2.1e9", "2.2e9")
    # No label sticks out of its cell: each x label lies within its column's width.
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=hp-xticks] span')].filter((s) => {
            const box = s.getBoundingClientRect();
            const col = s.parentElement.getBoundingClientRect();
            return box.left < col.left - 12 || box.right > col.right + 12;
        }).map((s) => s.textContent)"""
    )
    assert overflow == []
    page.set_viewport_size({"width": 1600, "height": 1300})
    page.wait_for_timeout(200)
    screenshot(page, "hparams-scatter-6x6")
