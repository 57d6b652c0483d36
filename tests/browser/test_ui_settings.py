"""Preferences the scalars dashboard keeps between visits, and the tooltip's orders."""

from __future__ import annotations

from typing import Any

from .conftest import screenshot
from .test_scalars import chart, open_scalars


def test_pinned_cards_are_kept_for_the_next_visit(server, page, console):
    open_scalars(page, server + "?tagFilter=accuracy")
    page.locator('[data-tag="accuracy"] [data-testid=pin]').first.click()
    page.wait_for_selector('[data-group="__pinned__"] [data-tag="accuracy"]')

    # A new tab of the same browser, opened without pinnedCards in its link.
    again = page.context.new_page()
    console.watch(again)
    open_scalars(again, server + "#scalars")
    again.wait_for_selector('[data-group="__pinned__"] [data-tag="accuracy"]')
    assert "pinnedCards" in again.url
    screenshot(again, "pinned-kept")

    # Unpinning forgets it too.
    again.locator('[data-group="__pinned__"] [data-testid=pin]').click()
    third = page.context.new_page()
    console.watch(third)
    open_scalars(third, server + "#scalars")
    chart(third, "accuracy")
    assert third.locator('[data-group="__pinned__"]').count() == 0


def tooltip_runs(page: Any, tag: str) -> list[str]:
    # A settings change may rebuild the chart: wait for the new plot area.
    over = page.locator(f'[data-tag="{tag}"] .u-over')
    over.wait_for(state="visible")
    box = over.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    tip = page.locator(f'[data-tag="{tag}"] .tooltip')
    tip.wait_for(state="visible")
    return list(tip.locator("td.run").all_inner_texts())


def test_tooltip_orders(server, page):
    open_scalars(page, server + "?tagFilter=loss/total&smoothing=0")
    chart(page, "loss/total")
    page.get_by_test_id("settings-toggle").click()
    select = page.locator("select", has=page.locator('option[value="alphabetical"]'))

    select.select_option("alphabetical")
    # Natural order, component by component: lr=0.1 before lr=0.01 ("1" before "01").
    assert tooltip_runs(page, "loss/total") == ["eval/lr=0.1", "train/lr=0.1", "train/lr=0.01"]
    screenshot(page, "tooltip-alphabetical")

    select.select_option("descending")
    runs = tooltip_runs(page, "loss/total")
    values = [
        float(v)
        for v in page.locator(
            '[data-tag="loss/total"] .tooltip td.num:nth-child(3)'
        ).all_inner_texts()
    ]
    assert sorted(runs) == sorted(["eval/lr=0.1", "train/lr=0.1", "train/lr=0.01"])
    assert values == sorted(values, reverse=True)

    # Kept in local storage, not in the link.
    assert page.evaluate("localStorage.getItem('heron.tooltipSort')") == "descending"
    assert "tooltip" not in page.url
