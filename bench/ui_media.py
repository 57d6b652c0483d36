"""Images dashboard: navigation to the first screen of images drawn, Heron beside TensorBoard.

Usage:  .venv/bin/python bench/ui_media.py [--repeat N] [--only heron|tensorboard]
        [--screenshots DIR] [--timeout S]

The logdir (one run, 500 image tags in 10 groups of 50, 100 steps each: 50,000 16x16 PNGs,
written with Heron's SummaryWriter) is generated once into ``bench/.data/ui-media/``
(git-ignored) and reused. ``heron serve`` and ``tensorboard --logdir`` (TensorBoard 2.21 from
the venv, its defaults: the Rust data server) run on it at the same time, each waited for until
it serves the last tag's last step. Debian's Chromium (headless, through Playwright) opens each
page in a fresh browser context (cold HTTP cache): one warm-up load per page, then ``--repeat``
rounds of timed loads, the order of the pages rotating from round to round so that machine load
hits them alike.

"First screen drawn" is the same test on every page: every image card that intersects the
1440x900 viewport holds an ``<img>`` that has finished decoding (``complete`` and a
``naturalWidth``), checked every animation frame; the time is the page's ``performance.now()``,
which counts from the start of the navigation.

* Heron, ``#images``: cards are ``[data-testid=image-card]``.
* TensorBoard, ``#images`` (its Images dashboard, the page Heron's stands beside): cards are
  ``tf-image-loader`` elements, found through the shadow roots of its Polymer components; the
  image is the ``#main-image-container img`` in each card's shadow root. The first group is
  open and paged (TensorBoard shows at most 12 cards of a group per page).
* TensorBoard, ``#timeseries`` (the dashboard it opens by default, which shows the same image
  tags as cards): cards are ``image-card`` elements, each with one ``<img>`` once loaded.

Issue 7 asks that Heron draws the first screen in < 2 s. bench/README.md ("ui_media") has the
latest figures.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import statistics
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _page_timing import chromium, fresh_page, page_value
from _servers import get_json, heron_command, serve, tensorboard_command

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data" / "ui-media"
TAGS = 500
STEPS = 100
DONE = DATA / "logs" / "COMPLETE"
LAST_TAG = f"group{(TAGS - 1) // 50}/img{TAGS - 1}"
VIEWPORT = {"width": 1440, "height": 900}
GOAL_MS = 2000.0

# Every page's test: ``cards`` are the page's image cards (the argument says how to find them),
# those intersecting the viewport must each hold a decoded <img>. Returns false, or the time and
# how many cards were in view. ``deep`` searches shadow roots too (TensorBoard's Polymer pages).
FIRST_SCREEN_DRAWN = """([cardSelector, imgSelector, deep]) => {
  const all = (root, selector, found = []) => {
    found.push(...root.querySelectorAll(selector));
    if (deep) {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) all(el.shadowRoot, selector, found);
      }
    }
    return found;
  };
  const cards = all(document, cardSelector).filter((c) => {
    const r = c.getBoundingClientRect();
    return r.height > 0 && r.top < innerHeight && r.bottom > 0 && r.left < innerWidth
        && r.right > 0;
  });
  if (cards.length === 0) return false;
  const decoded = cards.every((c) => {
    const img = (c.shadowRoot || c).querySelector(imgSelector);
    return img && img.complete && img.naturalWidth > 0;
  });
  return decoded ? {ms: performance.now(), cards: cards.length} : false;
}"""


@dataclass(frozen=True, slots=True)
class Page:
    """One dashboard to time: its name in the table, its URL and how its cards are found."""

    name: str
    url: str
    cards: str
    img: str
    deep: bool


def write_logdir() -> Path:
    logs = DATA / "logs"
    if DONE.exists():
        return logs
    import numpy as np

    from heron import SummaryWriter

    rng = np.random.default_rng(0)
    started = time.perf_counter()
    with SummaryWriter(logs / "run") as writer:
        for step in range(STEPS):
            for tag in range(TAGS):
                pixels = (rng.random((16, 16)) * 255).astype(np.uint8)
                writer.add_image(f"group{tag // 50}/img{tag}", pixels, step, dataformats="HW")
    DONE.write_text(f"{TAGS} tags x {STEPS} steps\n")
    print(f"wrote {TAGS * STEPS:,} images in {time.perf_counter() - started:.1f} s")
    return logs


def _last_step_served(base: str) -> bool:
    """The last tag's images route reaches the last step (TensorBoard keeps a sample of 10)."""
    query = urllib.parse.urlencode({"run": "run", "tag": LAST_TAG})
    entries = get_json(f"{base}data/plugin/images/images?{query}", timeout=5)
    return isinstance(entries, list) and bool(entries) and entries[-1]["step"] == STEPS - 1


def _heron_indexed(base: str) -> bool:
    """Heron serves every step of the last tag (it keeps them all)."""
    query = urllib.parse.urlencode({"run": "run", "tag": LAST_TAG})
    entries = get_json(f"{base}data/plugin/images/images?{query}", timeout=5)
    return isinstance(entries, list) and len(entries) == STEPS


def _tensorboard_loaded(base: str) -> bool:
    tags = get_json(f"{base}data/plugin/images/tags", timeout=5)
    return len(tags.get("run", {})) == TAGS and _last_step_served(base)


def time_page(browser: Any, page_spec: Page, timeout_s: float, shot: Path | None) -> dict[str, Any]:
    """A fresh context (cold HTTP cache) opens the page; ms from navigation to first screen."""
    with fresh_page(browser, VIEWPORT) as page:
        page.goto(page_spec.url, wait_until="commit")
        arg = [page_spec.cards, page_spec.img, page_spec.deep]
        drawn: dict[str, Any] = page_value(page, FIRST_SCREEN_DRAWN, arg=arg, timeout_s=timeout_s)
        if shot is not None:
            page.screenshot(path=str(shot))
        return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed loads per page (5)")
    parser.add_argument("--only", choices=["heron", "tensorboard"], default=None)
    parser.add_argument("--screenshots", type=Path, help="save each page's first timed load")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a page may take (60)")
    args = parser.parse_args()
    logs = write_logdir()
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[float]] = {}
    cards: dict[str, int] = {}
    loads = [os.getloadavg()[0]]
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as scratch,
        contextlib.ExitStack() as stack,
    ):
        pages: list[Page] = []
        if args.only in (None, "heron"):
            heron = functools.partial(heron_command, logs, db=DATA / "index.db")
            log = Path(scratch) / "heron.log"
            base, waited = stack.enter_context(
                serve(heron, log, _heron_indexed, what="heron serve", timeout=600)
            )
            print(f"heron serve ready (indexed) in {waited:.1f} s")
            pages.append(
                Page("Heron #images", f"{base}#images", "[data-testid=image-card]", "img", False)
            )
        if args.only in (None, "tensorboard"):
            board = functools.partial(tensorboard_command, logs)
            log = Path(scratch) / "tensorboard.log"
            base, waited = stack.enter_context(
                serve(board, log, _tensorboard_loaded, what="tensorboard", timeout=600)
            )
            print(f"tensorboard ready (loaded) in {waited:.1f} s")
            pages.append(
                Page(
                    "TensorBoard #images",
                    f"{base}#images",
                    "tf-image-loader",
                    "#main-image-container img",
                    True,
                )
            )
            pages.append(
                Page("TensorBoard #timeseries", f"{base}#timeseries", "image-card", "img", False)
            )
        loads.append(os.getloadavg()[0])
        browser = stack.enter_context(chromium())
        for page in pages:  # warm-up: server caches, the browser's compiled scripts
            time_page(browser, page, args.timeout, None)
        for attempt in range(args.repeat):
            shift = attempt % len(pages)
            for page in pages[shift:] + pages[:shift]:
                shot = None
                if args.screenshots and attempt == 0:
                    shot = args.screenshots / f"{page.name.replace(' #', '-').lower()}.png"
                drawn = time_page(browser, page, args.timeout, shot)
                times.setdefault(page.name, []).append(float(drawn["ms"]))
                cards[page.name] = int(drawn["cards"])
                print(
                    f"  round {attempt + 1}: {page.name:<24} {drawn['ms']:7.0f} ms, "
                    f"{drawn['cards']} cards in view"
                )
            loads.append(os.getloadavg()[0])

    print()
    print(
        f"Images: navigation to the first screen of images drawn; {TAGS} tags x {STEPS} steps; "
        f"medians of {args.repeat} load(s)"
    )
    size = f"{VIEWPORT['width']}x{VIEWPORT['height']}"
    print(
        f"chromium headless, viewport {size}, {os.cpu_count()} CPUs, "
        f"load average {min(loads):.1f}-{max(loads):.1f} during the run"
    )
    print()
    header = f"{'page':<24} {'median':>9} {'min':>9} {'max':>9} {'cards':>6} {'/ Heron':>8}"
    print(header)
    print("-" * len(header))
    heron = statistics.median(times["Heron #images"]) if "Heron #images" in times else None
    for name, values in times.items():
        median = statistics.median(values)
        ratio = f"{median / heron:.1f}x" if heron else ""
        print(
            f"{name:<24} {median:>6.0f} ms {min(values):>6.0f} ms {max(values):>6.0f} ms "
            f"{cards[name]:>6} {ratio:>8}"
        )
    if heron is not None:
        verdict = "meets it" if heron < GOAL_MS else "MISSES it"
        print(f"\nHeron: {heron:.0f} ms (issue 7: < {GOAL_MS:,.0f} ms): {verdict}")
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
