"""Grouped scalar charts in real Chromium: several hparams, the tooltip, and zoom.

On the runs-table sweep (2 optimizers × 2 learning rates × 2 seeds, from test_runs_table.py):
grouping by two hparams pools each (opt, lr) pair's two seeds; the choice lives in the URL as
repeated ``groupBy`` parameters (a one-hparam link from before still opens); hovering a group
chart lists each group's centre, band and member count at the step; a drag zooms the step axis
and a double-click resets it, as on scalar cards.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from .conftest import screenshot
from .test_runs_table import group_card, sweep_server  # noqa: F401 - the module's fixture

PAIRS = [f"opt={opt}, lr={lr}" for opt in ("adam", "sgd") for lr in ("0.01", "0.1")]


def group_by_params(page: Any) -> list[str]:
    return parse_qs(urlparse(page.url).query).get("groupBy", [])


def pick(page: Any, hparam: str, on: bool = True) -> None:
    picker = page.locator("[data-testid=group-hparams]")
    if picker.get_attribute("open") is None:
        picker.locator("summary").click()
    box = picker.locator(f'input[data-hparam="{hparam}"]')
    box.check() if on else box.uncheck()


def sorted_labels(page: Any, tag: str) -> list[str]:
    return sorted(group_card(page, tag)["groups"])


def test_group_by_two_hparams_pools_their_combinations_and_keeps_them_in_the_url(
    sweep_server,  # noqa: F811
    page,
):
    page.goto(sweep_server + "#scalars")
    page.wait_for_selector("[data-testid=scalar-card]")
    page.locator("[data-testid=group-mode]").select_option("hp:opt")
    assert sorted_labels(page, "val/acc") == ["opt=adam", "opt=sgd"]
    pick(page, "lr")
    page.wait_for_function(
        """() => JSON.parse(document.querySelector(
            '[data-testid=group-card][data-tag="val/acc"]').dataset.groups).length === 4"""
    )
    card = page.locator('[data-testid=group-card][data-tag="val/acc"]')
    labels = json.loads(card.get_attribute("data-groups"))
    # Label order follows the server's sort of the values; compare as sets, then the counts.
    assert sorted(labels) == sorted(PAIRS)
    assert all(
        count == 2 for counts in json.loads(card.get_attribute("data-counts")) for count in counts
    )
    page.wait_for_function(
        "() => new URL(location.href).searchParams.getAll('groupBy').length === 2"
    )
    assert group_by_params(page) == ["opt", "lr"]
    expect(page.locator("[data-testid=group-mode]")).to_have_value("several")
    expect(page.locator("[data-testid=group-hparams] summary")).to_have_text("2 hparams")
    screenshot(page, "scalars-grouped-by-two-hparams")

    # The link opens the same grouping; an old one-hparam link still does too.
    page.goto(page.url)
    page.wait_for_selector('[data-testid=group-card][data-tag="val/acc"]')
    page.wait_for_function(
        """() => JSON.parse(document.querySelector(
            '[data-testid=group-card][data-tag="val/acc"]').dataset.groups).length === 4"""
    )
    page.goto(sweep_server + "?groupBy=lr#scalars")
    page.wait_for_function(
        """() => { const c = document.querySelector('[data-testid=group-card][data-tag="val/acc"]');
            return !!c && JSON.parse(c.dataset.groups).length === 2 }"""
    )
    assert sorted_labels(page, "val/acc") == ["lr=0.01", "lr=0.1"]
    expect(page.locator("[data-testid=group-mode]")).to_have_value("hp:lr")

    # Unticking every hparam leaves grouping on but asks for nothing: plain scalar cards.
    pick(page, "lr", on=False)
    page.wait_for_selector('[data-testid=scalar-card][data-tag="val/acc"]')


def test_group_chart_tooltip_lists_centre_band_and_members_and_drag_zooms(
    sweep_server,  # noqa: F811
    page,
):
    page.goto(sweep_server + "?groupBy=opt&groupBand=std#scalars")
    group_card(page, "val/acc")
    card = page.locator('[data-testid=group-card][data-tag="val/acc"]')
    chart = card.locator("[data-testid=group-chart]")
    card.scroll_into_view_if_needed()
    box = chart.locator(".u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)
    tip = card.locator("[data-testid=group-tooltip]")
    expect(tip).to_be_visible()
    assert tip.locator("th").all_inner_texts() == ["", "Group", "mean", "± std", "Runs"]
    rows = [r.locator("td").all_inner_texts() for r in tip.locator("tbody tr").all()]
    assert sorted(row[1] for row in rows) == ["opt=adam", "opt=sgd"]
    assert all(row[4] == "4" for row in rows)  # 2 learning rates × 2 seeds per optimizer
    assert tip.locator(".x").inner_text().startswith("step ")
    screenshot(page, "scalars-group-tooltip")

    full_max = float(chart.get_attribute("data-x-max"))
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.1, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.4, y, steps=5)
    page.mouse.up()
    expect(chart).to_have_attribute("data-zoomed", "true")
    page.wait_for_function(
        "([el, m]) => Number(el.dataset.xMax) < m * 0.6", arg=[chart.element_handle(), full_max]
    )
    screenshot(page, "scalars-group-zoomed")
    # Redrawn with other data (median instead of mean), the zoom stays.
    page.locator("[data-testid=group-center]").select_option("median")
    expect(chart).to_have_attribute("data-center", "median")
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    expect(tip.locator("th").nth(2)).to_have_text("median")
    assert float(chart.get_attribute("data-x-max")) < full_max * 0.6
    page.mouse.dblclick(box["x"] + box["width"] * 0.3, y)
    expect(chart).to_have_attribute("data-zoomed", "false")
    page.wait_for_function(
        "([el, m]) => Number(el.dataset.xMax) >= m", arg=[chart.element_handle(), full_max]
    )
