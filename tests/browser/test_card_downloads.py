"""A scalar card's downloads in real Chromium: every point as CSV and JSON, the chart as PNG.

The header's buttons are shared with the custom-scalars cards (web/src/components/CardHeader.tsx;
their downloads are checked in test_pr_custom_mesh.py). The files are TensorBoard's: the CSV
columns ``Run,Wall time,Step,Value`` and ``{run: [[wall_time, step, value], ...]}``.
"""

from __future__ import annotations

import json

from .conftest import RUNS, click_tab
from .drawn_checks import card_download

#: The session logdir's first three runs write "accuracy" every 5 steps from 0 to 495.
WRITERS = RUNS[:3]
STEPS = list(range(0, 500, 5))


def test_scalar_card_downloads_every_point_as_csv_json_and_png(server, page):
    page.goto(server + "?tagFilter=^accuracy$")
    click_tab(page, "scalars")
    card = page.locator('[data-testid=scalar-card][data-tag="accuracy"]')
    # Drawn from the envelope: fewer points on screen than the downloads must carry.
    page.wait_for_function(
        "el => !!el.dataset.yMax",
        arg=card.locator("[data-testid=chart]").element_handle(),
        timeout=20_000,
    )
    name, data = card_download(page, card, "CSV")
    assert name == "tag-accuracy.csv"
    lines = data.decode().splitlines()
    assert lines[0] == "Run,Wall time,Step,Value"
    rows = [line.split(",") for line in lines[1:]]
    assert sorted({row[0] for row in rows}) == sorted(WRITERS)
    assert len(rows) == len(WRITERS) * len(STEPS)
    name, data = card_download(page, card, "JSON")
    assert name == "tag-accuracy.json"
    series = json.loads(data)
    assert sorted(series) == sorted(WRITERS)
    assert [step for _, step, _ in series[WRITERS[0]]] == STEPS
    name, data = card_download(page, card, "PNG")
    assert name == "tag-accuracy.png"
    assert data.startswith(b"\x89PNG")
    # The card's own buttons follow the downloads in the same header.
    actions = card.locator(".card-head .card-actions > button")
    titles = [actions.nth(i).get_attribute("title") for i in range(actions.count())]
    assert titles == [
        "Download CSV (every point)",
        "Download JSON (every point)",
        "Download PNG",
        "Data table",
        "Full screen",
        "Pin to the top",
    ]
