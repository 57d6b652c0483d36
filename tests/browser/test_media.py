"""The images, audio and text dashboards in real Chromium against the real `heron serve`.

The logdir is written with Heron's own SummaryWriter: images at three steps (an RGB one and a
4×4 one whose white row moves with the step, so the bytes served tell which step is shown), a
GIF from add_video, a one-second WAV clip, and Markdown text with a `<script>` that must stay
text. Screenshots go to artifacts/ (see conftest.py).
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

from .conftest import click_tab, run_heron, screenshot

RUNS = ["alpha", "beta"]
STEPS = [0, 10, 20]
SAMPLE_RATE = 8000
CLIP_SECONDS = 1.0
LONG_LINES = 40
ALL_IMAGES_LOADED = (
    "() => [...document.querySelectorAll('[data-testid=image]')]"
    ".every(i => i.complete && i.naturalWidth > 0)"
)


def tiny(step: int) -> np.ndarray:
    """4×4 grey image whose white row is ``step // 10``: the pixels tell the step shown."""
    pixels = np.full((4, 4), 40, dtype=np.uint8)
    pixels[(step // 10) % 4] = 255
    return pixels


def rgb(step: int, run_index: int) -> np.ndarray:
    height, width = 96, 144
    y, x = np.mgrid[0:height, 0:width]
    image = np.zeros((3, height, width), dtype=np.uint8)
    image[0] = (x * 255 // width).astype(np.uint8)
    image[1] = (y * 255 // height).astype(np.uint8)
    image[2] = 80 + run_index * 80
    image[:, :, : 10 + step * 4] //= 2  # a darker band that grows with the step
    return image


def markdown(step: int) -> str:
    body = "\n".join(f"- item {i}" for i in range(LONG_LINES if step == STEPS[-1] else 2))
    return (
        f"# Notes at step {step}\n\nSome **bold** and `code`.\n\n"
        "<script>window.__pwned = true</script>\n\n"
        f"| metric | value |\n|---|---|\n| loss | {1 / (step + 1):.3f} |\n\n{body}\n"
    )


def write_media(root: Path) -> None:
    t = np.arange(int(SAMPLE_RATE * CLIP_SECONDS)) / SAMPLE_RATE
    for index, run in enumerate(RUNS):
        with SummaryWriter(root / run) as writer:
            for step in STEPS:
                writer.add_image("samples/rgb", rgb(step, index), step)
                writer.add_image("samples/tiny", tiny(step), step, dataformats="HW")
                tone = 0.6 * np.sin(2 * np.pi * (220 + 110 * index) * t) * np.exp(-3 * t)
                writer.add_audio("speech/tone", tone, step, sample_rate=SAMPLE_RATE)
                writer.add_text("notes", markdown(step), step)
            frames = (np.random.default_rng(index).random((1, 6, 3, 24, 24)) * 255).astype(np.uint8)
            writer.add_video("video/noise", frames, 0, fps=4)
            writer.add_scalar("loss", 1.0, 0)


@pytest.fixture(scope="module")
def media_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("media") / "logs"
    write_media(root)
    return root


@pytest.fixture(scope="module")
def media_server(media_logdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .conftest import get_json

    def indexed(base: str) -> bool:
        tags = get_json(base + "data/plugin/text/tags")
        images = get_json(base + "data/plugin/images/tags")
        return len(tags) == len(RUNS) and all(len(images.get(run, {})) == 3 for run in RUNS)

    work = tmp_path_factory.mktemp("media-serve")
    with run_heron(media_logdir, work, ready=indexed) as base:
        yield base


def card(page: Any, testid: str, run: str, tag: str) -> Any:
    return page.locator(f'[data-testid={testid}][data-run="{run}"][data-tag="{tag}"]')


def open_tab(page: Any, base: str, tab: str, first: str) -> None:
    page.goto(f"{base}#{tab}")
    page.wait_for_selector(first)


def served_pixels(page: Any, img: Any) -> np.ndarray:
    """The pixels of the bytes the <img> shows, fetched again from its URL."""
    from PIL import Image

    src = img.evaluate("el => el.src")
    response = page.request.get(src)
    assert response.ok
    return np.asarray(Image.open(io.BytesIO(response.body())).convert("L"))


def test_media_tabs_are_dashboards_not_coming_soon(media_server, page):
    page.goto(media_server)
    for tab in ("images", "audio", "text"):
        locator = page.locator(f"[role=tab][data-tab={tab}]")
        locator.wait_for()
        assert "soon" not in (locator.get_attribute("class") or "")
        locator.click()
        page.wait_for_selector(f"[data-testid={tab}-dashboard]")
        assert page.locator("[data-testid=coming-soon]").count() == 0
        assert page.url.endswith(f"#{tab}")
    # A GIF from add_video is an image: no Video tab, and no HTML or Tables tab without their data.
    for tab in ("video", "html", "table"):
        assert page.locator(f"[role=tab][data-tab={tab}]").count() == 0


def test_images_one_card_per_run_and_tag_grouped_by_prefix(media_server, page, new_page):
    open_tab(page, media_server, "images", "[data-testid=image-card] img")
    assert page.locator("[data-testid=image-card]").count() == len(RUNS) * 3
    groups = page.locator("[data-testid=images-dashboard] details.group").evaluate_all(
        "els => els.map(e => e.dataset.group)"
    )
    assert groups == ["samples", "video"]
    # The latest step is shown by default.
    first = card(page, "image-card", "alpha", "samples/tiny")
    expect(first.locator("[data-testid=step]")).to_have_text(f"step {STEPS[-1]}")
    page.wait_for_function(ALL_IMAGES_LOADED)
    screenshot(page, "images-light")

    dark = new_page(color_scheme="dark")
    open_tab(dark, media_server, "images", "[data-testid=image-card] img")
    dark.wait_for_function(ALL_IMAGES_LOADED)
    screenshot(dark, "images-dark")


def test_step_slider_changes_the_image_served(media_server, page):
    open_tab(page, media_server, "images", "[data-testid=image-card] img")
    tiny_card = card(page, "image-card", "alpha", "samples/tiny")
    img = tiny_card.locator("[data-testid=image]")
    img.wait_for()
    latest_src = img.get_attribute("src")
    assert np.array_equal(served_pixels(page, img), tiny(STEPS[-1]))

    tiny_card.locator("[data-testid=step-slider]").fill("0")
    expect(tiny_card.locator("[data-testid=step]")).to_have_text(f"step {STEPS[0]}")
    page.wait_for_function(
        "([el, src]) => el.getAttribute('src') !== src", arg=[img.element_handle(), latest_src]
    )
    assert np.array_equal(served_pixels(page, img), tiny(STEPS[0]))

    # Small images are upscaled with hard pixel edges; actual size shows the 4×4 one at 4×4.
    assert img.evaluate("el => getComputedStyle(el).imageRendering") == "pixelated"
    page.locator("[data-testid=size-actual]").click()
    page.wait_for_function("el => el.getBoundingClientRect().width === 4", arg=img.element_handle())
    page.locator("[data-testid=size-fit]").click()
    assert img.evaluate("el => el.getBoundingClientRect().width") > 100


def test_brightness_and_contrast_are_css_filters_kept_in_the_url(media_server, page):
    open_tab(page, media_server, "images", "[data-testid=image-card] img")
    img = page.locator("[data-testid=image]").first
    assert img.evaluate("el => getComputedStyle(el).filter") == "none"
    page.locator("[data-testid=brightness]").fill("1.5")
    page.locator("[data-testid=contrast]").fill("0.5")
    assert img.evaluate("el => getComputedStyle(el).filter") == "brightness(1.5) contrast(0.5)"
    assert "brightness=1.5" in page.url
    assert "contrast=0.5" in page.url
    screenshot(page, "images-brightness")
    page.reload()
    page.wait_for_selector("[data-testid=image]")
    assert page.locator("[data-testid=brightness]").input_value() == "1.5"
    first = page.locator("[data-testid=image]").first
    assert first.evaluate("el => getComputedStyle(el).filter") == "brightness(1.5) contrast(0.5)"


def test_click_opens_large_with_keyboard_step_navigation(media_server, page):
    open_tab(page, media_server, "images", "[data-testid=image-card] img")
    rgb_card = card(page, "image-card", "beta", "samples/rgb")
    rgb_card.locator("[data-testid=image]").click()
    box = page.locator("[data-testid=lightbox]")
    box.wait_for()
    step = box.locator("[data-testid=lightbox-step]")
    expect(step).to_have_text(str(STEPS[-1]))
    page.keyboard.press("ArrowLeft")
    expect(step).to_have_text(str(STEPS[-2]))
    # The card follows the step chosen in the large view.
    expect(rgb_card.locator("[data-testid=step]")).to_have_text(f"step {STEPS[-2]}")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # already the first: stays
    expect(step).to_have_text(str(STEPS[0]))
    page.keyboard.press("ArrowRight")
    expect(step).to_have_text(str(STEPS[1]))
    page.wait_for_function(
        "() => { const i = document.querySelector('.lightbox-image');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    screenshot(page, "images-lightbox")
    page.keyboard.press("Escape")
    box.wait_for(state="detached")


def test_synced_steps_compare_runs_at_one_step(media_server, page):
    open_tab(page, media_server, "images", "[data-testid=image-card] img")
    alpha = card(page, "image-card", "alpha", "samples/tiny")
    beta = card(page, "image-card", "beta", "samples/tiny")
    alpha.locator("[data-testid=step-slider]").fill("0")
    expect(beta.locator("[data-testid=step]")).to_have_text(f"step {STEPS[-1]}")  # not synced yet

    page.locator("[data-testid=sync-steps]").check()
    assert "syncSteps=true" in page.url
    alpha.locator("[data-testid=step-slider]").fill("1")
    expect(beta.locator("[data-testid=step]")).to_have_text(f"step {STEPS[1]}")
    expect(
        card(page, "image-card", "beta", "samples/rgb").locator("[data-testid=step]")
    ).to_have_text(f"step {STEPS[-1]}")  # another tag keeps its own slider
    img = beta.locator("[data-testid=image]")
    page.wait_for_function("el => el.complete && el.naturalWidth === 4", arg=img.element_handle())
    assert np.array_equal(served_pixels(page, img), tiny(STEPS[1]))


def test_add_video_gif_plays_inline_as_an_image(media_server, page):
    open_tab(page, media_server, "images", "[data-testid=image-card] img")
    img = card(page, "image-card", "alpha", "video/noise").locator("[data-testid=image]")
    img.scroll_into_view_if_needed()
    img.wait_for()
    response = page.request.get(img.evaluate("el => el.src"))
    assert response.headers["content-type"] == "image/gif"
    assert response.body()[:6] in (b"GIF87a", b"GIF89a")


def test_audio_players_have_the_clip_duration_and_a_waveform(media_server, page, new_page):
    open_tab(page, media_server, "audio", "[data-testid=audio-card]")
    assert page.locator("[data-testid=audio-card]").count() == len(RUNS)
    audio = card(page, "audio-card", "alpha", "speech/tone").locator("[data-testid=audio]")
    page.wait_for_function("el => el.readyState >= 1", arg=audio.element_handle())
    assert audio.evaluate("el => el.duration") == pytest.approx(CLIP_SECONDS, abs=0.01)
    page.wait_for_selector("[data-testid=waveform][data-drawn=true]")
    # The clip plays to its end (headless Chromium plays into a null audio sink).
    audio.evaluate("el => { el.muted = true; return el.play(); }")
    page.wait_for_function("el => el.ended", arg=audio.element_handle(), timeout=10_000)
    # The slider switches the clip.
    audio_card = card(page, "audio-card", "alpha", "speech/tone")
    before = audio.get_attribute("src")
    audio_card.locator("[data-testid=step-slider]").fill("0")
    expect(audio_card.locator("[data-testid=step]")).to_have_text(f"step {STEPS[0]}")
    page.wait_for_function(
        "src => document.querySelector('[data-testid=audio]').getAttribute('src') !== src",
        arg=before,
    )
    page.wait_for_selector("[data-testid=audio-card] [data-testid=waveform][data-drawn=true]")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=waveform]')].every(c => c.dataset.drawn)"
    )
    screenshot(page, "audio-light")

    dark = new_page(color_scheme="dark")
    open_tab(dark, media_server, "audio", "[data-testid=audio-card]")
    dark.wait_for_function(
        "() => { const c = [...document.querySelectorAll('[data-testid=waveform]')];"
        " return c.length > 0 && c.every(x => x.dataset.drawn); }"
    )
    screenshot(dark, "audio-dark")


def test_audio_plays_every_runs_clip_in_turn(media_server, page):
    open_tab(page, media_server, "audio", "[data-testid=audio-card] audio")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=audio]').length === 2")
    page.evaluate(
        "() => document.querySelectorAll('[data-testid=audio]').forEach(a => { a.muted = true; })"
    )
    first = card(page, "audio-card", "alpha", "speech/tone")
    first.locator("[data-testid=play-runs]").click()
    expect(first.locator("[data-testid=play-runs]")).to_have_text("■ Stop")
    page.wait_for_function(
        "() => { const [a, b] = document.querySelectorAll('[data-testid=audio]');"
        " return a.ended && !b.paused; }",
        timeout=10_000,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=audio]')[1].ended", timeout=10_000
    )
    expect(first.locator("[data-testid=play-runs]")).to_have_text("▶ All runs")


def test_text_renders_markdown_and_never_runs_script(media_server, page, new_page):
    open_tab(page, media_server, "text", "[data-testid=text-card] [data-testid=text-body] h1")
    assert page.locator("[data-testid=text-card]").count() == len(RUNS)
    text_card = card(page, "text-card", "alpha", "notes/text_summary")
    body = text_card.locator("[data-testid=text-body]")
    expect(body.locator("h1")).to_have_text(f"Notes at step {STEPS[-1]}")
    expect(body.locator("strong")).to_have_text("bold")
    expect(body.locator("table th").first).to_have_text("metric")
    # The <script> is shown as text, never run, and no script element reached the page.
    assert "<script>window.__pwned = true</script>" in body.inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("[data-testid=text-body] script").count() == 0

    # The long text starts collapsed.
    more = text_card.locator("[data-testid=show-more]")
    expect(more).to_have_text("Show more")
    collapsed = body.evaluate("el => el.getBoundingClientRect().height")
    more.click()
    expect(more).to_have_text("Show less")
    assert body.evaluate("el => el.getBoundingClientRect().height") > collapsed + 100
    more.click()
    expect(more).to_have_text("Show more")

    text_card.locator("[data-testid=step-slider]").fill("0")
    expect(body.locator("h1")).to_have_text(f"Notes at step {STEPS[0]}")
    screenshot(page, "text-light")

    page.locator("[data-testid=text-all]").click()
    assert "textSteps=all" in page.url
    steps = text_card.locator(".text-steps > li").evaluate_all(
        "els => els.map(e => Number(e.dataset.step))"
    )
    assert steps == sorted(STEPS, reverse=True)
    screenshot(page, "text-all-steps")

    dark = new_page(color_scheme="dark")
    open_tab(dark, media_server, "text", "[data-testid=text-card] [data-testid=text-body] h1")
    screenshot(dark, "text-dark")


def test_run_selector_and_tag_filter_narrow_media_cards(media_server, page):
    open_tab(page, media_server, "images", "[data-testid=image-card]")
    page.locator("[data-testid=tag-filter]").fill("tiny")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=image-card]').length === 2"
    )
    assert "tagFilter=tiny" in page.url
    page.locator(".run-row", has_text="beta").locator("input").uncheck()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=image-card]').length === 1"
    )
    assert card(page, "image-card", "alpha", "samples/tiny").count() == 1
    # The filter and the selection carry over to the other media tabs.
    click_tab(page, "text")
    page.wait_for_selector("[data-testid=text-dashboard]")
    assert page.locator("[data-testid=text-card]").count() == 0
    page.locator("[data-testid=tag-filter]").fill("")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=text-card]').length === 1"
    )


def test_new_steps_arrive_live(media_logdir, tmp_path, page):
    """A step written while the page is open shows up on its card, which follows the latest step."""
    logdir = tmp_path / "logs"
    shutil.copytree(media_logdir, logdir)
    with run_heron(logdir, tmp_path) as base:
        open_tab(page, base, "images", "[data-testid=image-card] img")
        tiny_card = card(page, "image-card", "alpha", "samples/tiny")
        tiny_card.locator("[data-testid=step]").wait_for()
        page.wait_for_function(
            "el => el.innerText === 'step 20'",
            arg=tiny_card.locator("[data-testid=step]").element_handle(),
        )
        with SummaryWriter(logdir / "alpha") as writer:
            writer.add_image("samples/tiny", tiny(30), 30, dataformats="HW")
        page.wait_for_function(
            "el => el.innerText === 'step 30'",
            arg=tiny_card.locator("[data-testid=step]").element_handle(),
            timeout=20_000,
        )
        img = tiny_card.locator("[data-testid=image]")
        page.wait_for_function(
            "el => el.complete && el.naturalWidth === 4", arg=img.element_handle()
        )
        assert np.array_equal(served_pixels(page, img), tiny(30))


GOLDEN = Path(__file__).resolve().parents[1] / "compat" / "golden"


def golden_media(tool: str) -> dict[str, dict[tuple[str, str], list[dict[str, Any]]]]:
    """The golden logdir's media records by plugin, then (run, tag), in step order."""
    import json

    records = json.loads((GOLDEN / tool / "expected.json").read_text(encoding="utf-8"))["records"]
    out: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {
        "images": {},
        "audio": {},
        "text": {},
    }
    for record in records:
        if record["plugin"] in out:
            out[record["plugin"]].setdefault((record["run"], record["tag"]), []).append(record)
    for series in out.values():
        for steps in series.values():
            steps.sort(key=lambda r: r["step"])
    return out


@pytest.mark.parametrize("tool", ["tf2", "torch", "tensorboardx", "tf1"])
def test_logdirs_of_other_writers_show_every_media_card(tool, tmp_path, page):
    """TF2 / TF1 / torch / tensorboardX golden logdirs: one card per (run, tag, sample), the
    latest step's pixels served as written, clips that load, Markdown that renders."""
    expected = golden_media(tool)
    logdir = tmp_path / "logs"
    shutil.copytree(GOLDEN / tool / "logdir", logdir)
    with run_heron(logdir, tmp_path) as base:
        images = expected["images"]
        open_tab(page, base, "images", "[data-testid=image-card]")
        samples = {key: max(len(r["images"]) for r in steps) for key, steps in images.items()}
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=image-card]').length === n",
            arg=sum(samples.values()),
        )
        for (run, tag), steps in images.items():
            latest = steps[-1]
            for sample, written in enumerate(latest["images"]):
                one = page.locator(
                    f'[data-testid=image-card][data-run="{run}"][data-tag="{tag}"]'
                    f'[data-sample="{sample}"]'
                )
                one.scroll_into_view_if_needed()
                img = one.locator("[data-testid=image]")
                page.wait_for_function(
                    "el => el.complete && el.naturalWidth > 0", arg=img.element_handle()
                )
                assert img.evaluate("el => [el.naturalWidth, el.naturalHeight]") == [
                    written["width"],
                    written["height"],
                ]
                if "pixels" in written:
                    from PIL import Image

                    response = page.request.get(img.evaluate("el => el.src"))
                    shown = np.asarray(Image.open(io.BytesIO(response.body())).convert("RGB"))
                    assert np.array_equal(shown, np.asarray(written["pixels"], dtype=np.uint8))

        click_tab(page, "audio")
        audio = expected["audio"]
        clips = sum(max(len(r["clips"]) for r in steps) for steps in audio.values())
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=audio-card]').length === n", arg=clips
        )
        for (run, tag), steps in audio.items():
            latest = steps[-1]
            player = card(page, "audio-card", run, tag).first.locator("[data-testid=audio]")
            player.scroll_into_view_if_needed()
            page.wait_for_function("el => el.readyState >= 1", arg=player.element_handle())
            seconds = len(latest["clips"][0]["samples"]) / float(latest["sample_rate"])
            assert player.evaluate("el => el.duration") == pytest.approx(seconds, abs=0.005)

        click_tab(page, "text")
        texts = expected["text"]
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=text-card]').length === n",
            arg=len(texts),
        )
        for (run, tag), steps in texts.items():
            body = card(page, "text-card", run, tag).locator("[data-testid=text-body]")
            body.scroll_into_view_if_needed()
            expect(body).not_to_be_empty()
            if "**world**" in steps[-1]["text"]:
                expect(body.locator("strong")).to_have_text("world")
        screenshot(page, f"text-{tool}")
