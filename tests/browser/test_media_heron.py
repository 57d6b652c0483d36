"""Heron's own media dashboards — video (MP4 / WebM), HTML and tables — in real Chromium.

The logdir is written with Heron's SummaryWriter: solid-colour videos whose colour tells the step,
HTML fragments whose script reports to the page if (and only if) it runs, and tables whose scores
sort differently as numbers and as text, with image cells. A last test opens every media
dashboard on the `heron demo` logdir. Screenshots go to artifacts/ (see conftest.py).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from heron import SummaryWriter
from heron.formats.summaries.video import available_codec
from heron.writer import TableImage

from .conftest import click_tab, get_json, run_heron, screenshot

pytestmark = pytest.mark.skipif(
    available_codec("mp4") is None or available_codec("webm") is None,
    reason="PyAV with H.264 and VP9 encoders is needed to write the videos",
)

RUNS = ["alpha", "beta"]
STEPS = [0, 10, 20]
#: The solid colour of the video frames at each step.
COLORS = {0: (220, 40, 40), 10: (40, 200, 60), 20: (40, 80, 230)}
FRAMES = 8
FPS = 8
TABLE_STEPS = [0, 5]
HWC = "NTHWC"
#: More rows than a table draws before "Show all".
BIG_ROWS = 600


def video_frames(step: int) -> np.ndarray:
    """``[1, T, H, W, C]``: ``FRAMES`` frames of the step's colour with a moving white bar."""
    frames = np.zeros((1, FRAMES, 32, 48, 3), dtype=np.uint8)
    frames[...] = COLORS[step]
    for t in range(FRAMES):
        frames[0, t, :, t * 4 : t * 4 + 4] = 255
    return frames


def fragment(step: int) -> str:
    """Tells whether its script ran (in the frame and to the page) and if it reached the page."""
    return (
        f"<h3>Report at step {step}</h3><p id='state'>static {step}</p>"
        "<script>"
        "document.getElementById('state').textContent = 'ran';"
        f"let reach = 'isolated:{step}';"
        "try { parent.document.title; reach = 'reached-parent'; } catch (e) {}"
        "parent.postMessage(reach, '*');"
        "</script>"
    )


def cell_pixels(row: int, step: int) -> np.ndarray:
    pixels = np.zeros((6, 6, 3), dtype=np.uint8)
    pixels[..., 0] = 40 * row
    pixels[..., 1] = (10 * step) % 256
    pixels[row % 6] = 255
    return pixels


def table_rows(step: int) -> list[list[Any]]:
    """Scores that sort as 2.5, 9, 10, 100 as numbers (as text: 10, 100, 2.5, 9)."""
    return [
        ["cat", 10 + step, TableImage(cell_pixels(0, step), dataformats="HWC")],
        ["dog", 9, TableImage(cell_pixels(1, step), dataformats="HWC")],
        ["emu", 100, TableImage(cell_pixels(2, step), dataformats="HWC")],
        ["ant", 2.5, None],
    ]


def write_heron_media(root: Path) -> None:
    for run in RUNS:
        with SummaryWriter(root / run) as writer:
            for step in STEPS:
                writer.add_video(
                    "clips/moves", video_frames(step), step, fps=FPS, format="mp4", dataformats=HWC
                )
            writer.add_video(
                "clips/webm", video_frames(0), 0, fps=FPS, format="webm", dataformats=HWC
            )
            for step in (0, 1):
                writer.add_html("pages/report", fragment(step), step)
            for step in TABLE_STEPS:
                writer.add_table(
                    "results/scores", table_rows(step), step, columns=["name", "score", "picture"]
                )
            writer.add_scalar("loss", 1.0, 0)
    with SummaryWriter(root / RUNS[0]) as writer:
        big = {
            "row": list(range(BIG_ROWS)),
            "value": [(i * 37) % BIG_ROWS for i in range(BIG_ROWS)],
        }
        writer.add_table("results/big", big, 0)


@pytest.fixture(scope="module")
def heron_media_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("heron-media") / "logs"
    write_heron_media(root)
    return root


def _indexed(base: str) -> bool:
    videos = get_json(base + "data/plugin/video/tags")
    tables = get_json(base + "data/plugin/table/tags")
    html = get_json(base + "data/plugin/html/tags")
    return all(
        len(videos.get(run, {})) == 2 and run in tables and run in html for run in RUNS
    ) and all(
        len(get_json(f"{base}data/plugin/table/tables?run={run}&tag=results/scores"))
        == len(TABLE_STEPS)
        for run in RUNS
    )


@pytest.fixture(scope="module")
def heron_media_server(
    heron_media_logdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    work = tmp_path_factory.mktemp("heron-media-serve")
    with run_heron(heron_media_logdir, work, ready=_indexed) as base:
        yield base


@pytest.fixture(autouse=True)
def _sandbox_reports_blocked_scripts(console: Any) -> None:
    """Chromium logs each script the sandbox blocks: that message is the behaviour under test."""
    console.allow("Blocked script execution in 'about:srcdoc'")


def card(page: Any, testid: str, run: str, tag: str) -> Any:
    return page.locator(f'[data-testid={testid}][data-run="{run}"][data-tag="{tag}"]')


def open_tab(page: Any, base: str, tab: str, first: str) -> None:
    page.goto(f"{base}#{tab}")
    page.wait_for_selector(first)


def first_frame_color(data: bytes) -> np.ndarray:
    """The mean RGB of the first decoded frame of a video file."""
    import av

    with av.open(io.BytesIO(data)) as container:
        pixels = next(container.decode(video=0)).to_ndarray(format="rgb24")
    # Right of the white bar, which starts at the left edge in the first frame.
    return np.asarray(pixels[:, 16:].reshape(-1, 3).mean(axis=0))


def test_new_tabs_are_dashboards_in_order(heron_media_server, page):
    page.goto(heron_media_server)
    page.locator("[role=tab][data-tab=video]").wait_for()
    tabs = page.locator("[role=tab]").evaluate_all("els => els.map(e => e.dataset.tab)")
    assert [t for t in tabs if t in ("video", "html", "table")] == ["video", "html", "table"]
    for tab in ("video", "html", "table"):
        locator = page.locator(f"[role=tab][data-tab={tab}]")
        assert "soon" not in (locator.get_attribute("class") or "")
        locator.click()
        page.wait_for_selector(f"[data-testid={tab}-dashboard]")
        assert page.locator("[data-testid=coming-soon]").count() == 0
    # Images, audio, text have no data here: no tab for them.
    for tab in ("images", "audio", "text"):
        assert page.locator(f"[role=tab][data-tab={tab}]").count() == 0


def test_video_cards_play_and_the_slider_changes_the_video_served(heron_media_server, page):
    open_tab(page, heron_media_server, "video", "[data-testid=video-card] video")
    assert page.locator("[data-testid=video-card]").count() == len(RUNS) * 2
    groups = page.locator("[data-testid=video-dashboard] details.group").evaluate_all(
        "els => els.map(e => e.dataset.group)"
    )
    assert groups == ["clips"]
    moves = card(page, "video-card", "alpha", "clips/moves")
    video = moves.locator("[data-testid=video]")
    expect(moves.locator("[data-testid=step]")).to_have_text(f"step {STEPS[-1]}")
    response = page.request.get(video.evaluate("el => el.src"))
    assert response.headers["content-type"] == "video/mp4"
    assert first_frame_color(response.body()) == pytest.approx(COLORS[STEPS[-1]], abs=24)

    # It plays: time advances while looping, and without the loop it reaches its end.
    page.wait_for_function("el => el.readyState >= 1", arg=video.element_handle())
    assert video.evaluate("el => el.duration") == pytest.approx(FRAMES / FPS, abs=0.2)
    video.evaluate("el => el.play()")
    page.wait_for_function("el => el.currentTime > 0.2", arg=video.element_handle())
    moves.locator("[data-testid=video-loop]").uncheck()
    page.wait_for_function("el => el.ended", arg=video.element_handle(), timeout=10_000)

    # The slider swaps the video for the chosen step's.
    before = video.get_attribute("src")
    moves.locator("[data-testid=step-slider]").fill("0")
    expect(moves.locator("[data-testid=step]")).to_have_text(f"step {STEPS[0]}")
    page.wait_for_function(
        "([el, src]) => el.querySelector('video').getAttribute('src') !== src",
        arg=[moves.element_handle(), before],
    )
    src = moves.locator("[data-testid=video]").evaluate("el => el.src")
    assert first_frame_color(page.request.get(src).body()) == pytest.approx(COLORS[0], abs=24)

    webm = card(page, "video-card", "beta", "clips/webm").locator("[data-testid=video]")
    webm.scroll_into_view_if_needed()
    page.wait_for_function("el => el.readyState >= 2", arg=webm.element_handle())
    assert page.request.get(webm.evaluate("el => el.src")).headers["content-type"] == "video/webm"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=video]')].every(v => v.readyState >= 2)"
    )
    screenshot(page, "video-light")


def test_html_runs_no_script_until_the_user_opts_in(heron_media_server, new_page):
    page = new_page()
    page.add_init_script(
        "window.__messages = [];"
        "addEventListener('message', (e) => window.__messages.push(String(e.data)));"
    )
    open_tab(page, heron_media_server, "html", "[data-testid=html-card] iframe")
    assert page.locator("[data-testid=html-card]").count() == len(RUNS)
    alpha = card(page, "html-card", "alpha", "pages/report")
    frame_el = alpha.locator("[data-testid=html-frame]")
    assert frame_el.get_attribute("sandbox") == ""
    assert "<script>" in (frame_el.get_attribute("srcdoc") or "")
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_load_state()
    expect(frame.locator("#state")).to_have_text("static 1")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__messages") == []
    screenshot(page, "html-scripts-off")

    # Opting in for the tag runs the script of every run's card, still isolated from the page.
    alpha.locator("[data-testid=allow-scripts]").check()
    page.wait_for_function("() => window.__messages.filter(m => m === 'isolated:1').length === 2")
    sandbox = alpha.locator("[data-testid=html-frame]").get_attribute("sandbox")
    assert sandbox == "allow-scripts"
    frame = alpha.locator("[data-testid=html-frame]").element_handle().content_frame()
    expect(frame.locator("#state")).to_have_text("ran")
    assert "reached-parent" not in page.evaluate("window.__messages")
    expect(alpha.locator("[data-testid=allow-scripts]")).to_be_checked()
    screenshot(page, "html-scripts-on")

    # The slider shows the other step's fragment.
    alpha.locator("[data-testid=step-slider]").fill("0")
    expect(alpha.locator("[data-testid=step]")).to_have_text("step 0")
    page.wait_for_function("() => window.__messages.includes('isolated:0')")
    frame = alpha.locator("[data-testid=html-frame]").element_handle().content_frame()
    expect(frame.locator("h3")).to_have_text("Report at step 0")

    # Off again: a fresh frame whose script does not run.
    alpha.locator("[data-testid=allow-scripts]").uncheck()
    frame = alpha.locator("[data-testid=html-frame]").element_handle().content_frame()
    frame.wait_for_load_state()
    expect(frame.locator("#state")).to_have_text("static 0")


def table_column(table: Any, index: int) -> list[str]:
    return table.locator(f"tbody tr td:nth-child({index})").all_inner_texts()


def test_tables_sort_numerically_and_serve_their_image_cells(heron_media_server, page, new_page):
    from PIL import Image

    open_tab(page, heron_media_server, "table", "[data-testid=table-card] table")
    assert page.locator("[data-testid=table-card]").count() == len(RUNS) + 1
    alpha = card(page, "table-card", "alpha", "results/scores")
    table = alpha.locator("[data-testid=logged-table]")
    latest = TABLE_STEPS[-1]
    expect(alpha.locator("[data-testid=table-step]")).to_have_attribute("data-step", str(latest))
    assert table_column(table, 1) == ["cat", "dog", "emu", "ant"]  # as logged
    assert table_column(table, 2) == [str(10 + latest), "9", "100", "2.5"]

    headers = table.locator("[data-testid=table-header]")
    headers.nth(1).locator("button").click()
    assert table_column(table, 2) == ["2.5", "9", str(10 + latest), "100"]
    expect(headers.nth(1)).to_have_attribute("aria-sort", "ascending")
    headers.nth(1).locator("button").click()
    assert table_column(table, 2) == ["100", str(10 + latest), "9", "2.5"]
    headers.nth(0).locator("button").click()
    assert table_column(table, 1) == ["ant", "cat", "dog", "emu"]
    headers.nth(0).locator("button").click()
    headers.nth(0).locator("button").click()
    assert table_column(table, 1) == ["cat", "dog", "emu", "ant"]  # back to the logged order

    # Image cells are the pixels written.
    images = table.locator("[data-testid=table-image]")
    expect(images).to_have_count(3)
    page.wait_for_function(
        "t => [...t.querySelectorAll('img')].every(i => i.complete && i.naturalWidth === 6)",
        arg=table.element_handle(),
    )
    for row in range(3):
        data = page.request.get(images.nth(row).evaluate("el => el.src")).body()
        shown = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        assert np.array_equal(shown, cell_pixels(row, latest))

    # The slider shows the other step's table; the sort stays.
    headers.nth(1).locator("button").click()
    alpha.locator("[data-testid=step-slider]").fill("0")
    expect(alpha.locator("[data-testid=table-step]")).to_have_attribute("data-step", "0")
    assert table_column(table, 2) == ["2.5", "9", "10", "100"]
    src = images.first.evaluate("el => el.src")
    shown = np.asarray(Image.open(io.BytesIO(page.request.get(src).body())).convert("RGB"))
    assert np.array_equal(shown, cell_pixels(1, 0))  # sorted by score: dog (row 1) first
    screenshot(page, "table-light")

    dark = new_page(color_scheme="dark")
    open_tab(dark, heron_media_server, "table", "[data-testid=table-card] img")
    screenshot(dark, "table-dark")


def test_a_long_table_draws_its_first_rows_until_asked(heron_media_server, page):
    open_tab(page, heron_media_server, "table", "[data-testid=table-card] table")
    big = card(page, "table-card", RUNS[0], "results/big")
    big.scroll_into_view_if_needed()
    rows = big.locator("tbody tr")
    expect(rows).to_have_count(500)
    expect(big).to_contain_text(f"500 of {BIG_ROWS} rows")
    # Sorting covers every row, not just the ones drawn.
    header = big.locator("[data-testid=table-header]").nth(1).locator("button")
    header.click()
    header.click()
    assert table_column(big, 2)[:2] == [str(BIG_ROWS - 1), str(BIG_ROWS - 2)]
    big.locator("[data-testid=table-show-all]").click()
    expect(rows).to_have_count(BIG_ROWS)


def test_tag_filter_and_runs_narrow_the_new_dashboards(heron_media_server, page):
    open_tab(page, heron_media_server, "video", "[data-testid=video-card]")
    page.locator("[data-testid=tag-filter]").fill("webm")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=video-card]').length === 2"
    )
    page.locator(".run-row", has_text="beta").locator("input").uncheck()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=video-card]').length === 1"
    )
    page.locator("[data-testid=tag-filter]").fill("")
    click_tab(page, "table")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=table-card]').length === 2"
    )


def test_a_new_table_step_arrives_live(heron_media_logdir, tmp_path, page):
    logdir = tmp_path / "logs"
    shutil.copytree(heron_media_logdir, logdir)
    with run_heron(logdir, tmp_path, ready=_indexed) as base:
        open_tab(page, base, "table", "[data-testid=table-card] table")
        alpha = card(page, "table-card", "alpha", "results/scores")
        step = alpha.locator("[data-testid=table-step]")
        expect(step).to_have_attribute("data-step", str(TABLE_STEPS[-1]))
        with SummaryWriter(logdir / "alpha") as writer:
            writer.add_table("results/scores", table_rows(30), 30, columns=["n", "s", "p"])
            writer.add_html("pages/report", fragment(7), 7)
        expect(step).to_have_attribute("data-step", "30", timeout=20_000)
        table = alpha.locator("[data-testid=logged-table]")
        assert table_column(table, 2)[0] == "40"
        click_tab(page, "html")
        html = card(page, "html-card", "alpha", "pages/report")
        expect(html.locator("[data-testid=step]")).to_have_text("step 7", timeout=20_000)


#: The first cards of a dashboard have loaded: no placeholder left, images decoded, players ready.
CARDS_READY = """([selector, n]) => {
  const cards = [...document.querySelectorAll(selector)].slice(0, n);
  return cards.length > 0 && cards.every(c =>
    !c.textContent.includes('Loading…')
    && [...c.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)
    && [...c.querySelectorAll('audio')].every(a => a.readyState >= 1)
    && [...c.querySelectorAll('video')].every(v => v.readyState >= 3));
}"""

DASHBOARDS = {
    "images": "image-card",
    "audio": "audio-card",
    "video": "video-card",
    "histograms": "histogram-card",
    "distributions": "distribution-card",
    "text": "text-card",
    "html": "html-card",
    "table": "table-card",
}


def test_every_media_dashboard_renders_the_demo_logdir(tmp_path, page):
    from heron.cli.demo import SWEEP, write_demo_logdir

    logdir = tmp_path / "demo"
    write_demo_logdir(logdir)
    runs = len(SWEEP)

    def ready(base: str) -> bool:
        return len(get_json(base + "data/plugin/table/tags")) == runs and (
            len(get_json(base + "data/plugin/video/tags")) == runs
        )

    with run_heron(logdir, tmp_path, ready=ready) as base:
        page.goto(base)
        page.locator("[role=tab][data-tab=scalars]").wait_for()
        for tab, testid in DASHBOARDS.items():
            click_tab(page, tab)
            page.wait_for_selector(f"[data-testid={testid}]")
            assert page.locator(f"[data-testid={testid}]").count() >= runs, tab
            page.wait_for_function(CARDS_READY, arg=[f"[data-testid={testid}]", 4])
            page.wait_for_timeout(1500 if tab == "video" else 300)
            screenshot(page, f"demo-{tab}")


def test_settings_show_only_what_the_dashboard_uses(heron_media_server, page):
    open_tab(page, heron_media_server, "video", "[data-testid=video-card]")
    page.get_by_test_id("settings-toggle").click()
    settings = page.locator("section.settings")
    expect(settings.locator("[data-testid=card-size-small]")).to_be_visible()
    assert settings.locator("[data-testid=smoothing-slider]").count() == 0
    assert settings.get_by_text("Log y").count() == 0
    click_tab(page, "table")
    expect(settings).to_contain_text("No shared settings apply here")
    assert settings.locator("[data-testid=card-size-small]").count() == 0
    click_tab(page, "scalars")
    expect(settings.locator("[data-testid=smoothing-slider]")).to_be_visible()
    expect(settings).to_contain_text("drag to zoom")


def test_video_and_html_in_the_dark_theme(heron_media_server, new_page):
    page = new_page(color_scheme="dark")
    open_tab(page, heron_media_server, "video", "[data-testid=video-card] video")
    page.wait_for_function(CARDS_READY, arg=["[data-testid=video-card]", 4])
    # Chromium's controls show a spinner while a video is still loading: wait until they rest.
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].every(v => v.networkState !== 2)"
    )
    page.wait_for_timeout(1500)  # the spinner leaves at the end of its animation cycle
    screenshot(page, "video-dark")
    click_tab(page, "html")
    frame_el = page.locator("[data-testid=html-frame]").first
    frame_el.wait_for()
    # The frame's base style follows the page's theme (the fragment's own styles would win).
    assert "color-scheme:dark" in (frame_el.get_attribute("srcdoc") or "")
    frame = frame_el.element_handle().content_frame()
    expect(frame.locator("h3")).to_have_text("Report at step 1")
    screenshot(page, "html-dark")


def test_tabs_that_do_not_fit_go_to_the_more_menu(heron_media_server, page):
    page.set_viewport_size({"width": 560, "height": 700})
    page.goto(heron_media_server)
    more = page.locator("[data-testid=tabs-more]")
    more.wait_for()
    strip = page.locator("[role=tab]").evaluate_all("els => els.map(e => e.dataset.tab)")
    more.click()
    menu = page.locator("[role=menuitem]").evaluate_all("els => els.map(e => e.dataset.tab)")
    assert menu
    assert not set(menu) & set(strip)
    # Escape closes the menu; choosing from it selects the tab and brings it into the strip.
    page.keyboard.press("Escape")
    page.locator("[role=menu]").wait_for(state="detached")
    click_tab(page, menu[-1])
    page.wait_for_selector(f"[data-testid={menu[-1]}-dashboard]")
    selected = page.locator("[role=tab][aria-selected=true]")
    assert selected.get_attribute("data-tab") == menu[-1]
    screenshot(page, "tabs-more-menu")
    # Wide enough again: every tab is in the strip, no menu.
    page.set_viewport_size({"width": 1440, "height": 900})
    more.wait_for(state="detached")
    assert page.locator("[role=tab]").count() == len(strip) + len(menu)
