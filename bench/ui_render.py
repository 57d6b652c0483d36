"""UI render: from navigation to every visible chart drawn, Heron beside TensorBoard.

Usage:  .venv/bin/python bench/ui_render.py [--quick] [--repeat N] [--workload grid|wide]
        [--only heron|tensorboard] [--timeout S] [--screenshots DIR]

Two logdirs are generated once into ``bench/.data/ui/`` (git-ignored) and reused:

* ``grid``: 100 runs x 10 tags x 5,000 steps (5,000,000 points): the scalars dashboard;
* ``wide``: 1,000 runs x 1 tag x 5,000 steps: one chart of 1,000 runs.

Heron indexes each logdir once (cached beside it); then ``heron serve`` on that index and
``tensorboard --logdir`` (its default loader, the Rust data server) run on the same logdir at
the same time, each waited for until it has loaded every point. Debian's Chromium (headless,
through Playwright) opens the dashboard in a fresh browser context, so with a cold HTTP cache:
one warm-up load per server, then ``--repeat`` timed loads, alternating servers; the table shows
medians.

The time is the page's ``performance.now()`` (which counts from the start of the navigation)
once every chart that intersects the viewport is drawn:

* Heron: each such chart has ``data-drawn`` (set by the chart after its first draw with points)
  and draws every run (``data-runs``);
* TensorBoard (Time Series): each such card has its data (no spinner) and a screenshot of its
  chart shows coloured line pixels (it draws with WebGL in a worker, which the page cannot
  read). With 1,000 runs it selects none, so its "select all" box is ticked as soon as the run
  list shows, inside the time.

"data at" is the median moment the page's last scalar data answer arrived (its resource
timing): what comes before is mostly waiting for the server, what comes after is the page's
own work (decoding, building the chart tables, drawing).

bench/README.md ("UI render") has the latest figures and what they mean.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    get_json,
    heron_command,
    serve,
    tensorboard_command,
)

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data" / "ui"
DATA_FORMAT = 1
VIEWPORT = {"width": 1440, "height": 900}
TAGS = [
    "loss/total",
    "loss/cross_entropy",
    "loss/l2",
    "accuracy/train",
    "accuracy/val",
    "accuracy/top5",
    "optim/lr",
    "optim/grad_norm",
    "perf/throughput",
    "perf/memory",
]
GOALS = {"grid": 2.0, "wide": 1.5}


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    runs: int
    tags: tuple[str, ...]
    steps: int
    title: str

    @property
    def root(self) -> Path:
        return DATA_DIR / f"{self.name}-{self.runs}x{len(self.tags)}x{self.steps}-v{DATA_FORMAT}"

    @property
    def run_names(self) -> list[str]:
        width = len(str(self.runs - 1))
        return [f"run{i:0{width}d}" for i in range(self.runs)]


def workloads(quick: bool) -> list[Workload]:
    if quick:
        return [
            Workload("grid", 10, tuple(TAGS), 1_000, "10 runs x 10 tags, scalars dashboard"),
            Workload("wide", 100, ("loss",), 1_000, "one chart of 100 runs"),
        ]
    return [
        Workload("grid", 100, tuple(TAGS), 5_000, "100 runs x 10 tags x 5,000 steps"),
        Workload("wide", 1_000, ("loss",), 5_000, "one chart of 1,000 runs x 5,000 steps"),
    ]


# -- data ---------------------------------------------------------------------------------------


def _write_run(directory: Path, tags: tuple[str, ...], steps: int, rng: random.Random) -> None:
    """One event file, written record by record with Heron's formats (fast: no writer thread)."""
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.proto.summary_pb2 import Summary
    from heron.formats.tfrecord import encode_record

    start = 1_700_000_000.0
    decay = rng.uniform(300, 3000)
    scale = [rng.uniform(0.5, 2.0) for _ in tags]
    chunks = [
        encode_record(Event(wall_time=start, file_version="brain.Event:2").SerializeToString())
    ]
    for step in range(steps):
        event = Event(wall_time=start + step * 0.1, step=step)
        for t, tag in enumerate(tags):
            curve = scale[t] * math.exp(-step / decay) + 0.05 * rng.random()
            event.summary.value.append(Summary.Value(tag=tag, simple_value=curve))
        chunks.append(encode_record(event.SerializeToString()))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "events.out.tfevents.1700000000.bench.1.0").write_bytes(b"".join(chunks))


def generate(workload: Workload) -> Path:
    root = workload.root
    if (root / ".complete").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(0)
    started = time.perf_counter()
    for run in workload.run_names:
        _write_run(root / run, workload.tags, workload.steps, rng)
    (root / ".complete").write_text("")
    print(f"generated {root.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return root


def index(workload: Workload) -> Path:
    """Heron's index of the logdir, built once (the timing is of serving, not of ingest)."""
    db = workload.root.with_suffix(".index.sqlite")
    done = db.with_suffix(".complete")
    if done.exists() and db.exists():
        return db
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    code = "import sys, heron; heron.open(sys.argv[1], db=sys.argv[2], progress=False).close()"
    subprocess.run([sys.executable, "-c", code, str(workload.root), str(db)], check=True)
    done.write_text("")
    print(f"indexed {workload.root.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return db


# -- servers ------------------------------------------------------------------------------------


def _last_steps_loaded(base: str, route: str, workload: Workload) -> bool:
    """The first and last runs' first tag reach the last step (servers load runs in any order)."""
    for run in (workload.run_names[0], workload.run_names[-1]):
        query = urllib.parse.urlencode({"run": run, "tag": workload.tags[0]})
        points = get_json(f"{base}{route}?{query}")
        last = points["series"][0]["steps"][-1] if "series" in points else points[-1][1]
        if last != workload.steps - 1:
            return False
    return True


@contextlib.contextmanager
def heron_server(workload: Workload, db: Path, work: Path) -> Iterator[str]:
    def command(port: int) -> list[str]:
        return [*heron_command(workload.root, port, db=db), "--reload_interval", "0"]

    def loaded(base: str) -> bool:
        total = get_json(base + "api/v1/runs?limit=1")["total"]
        return bool(total == workload.runs and _last_steps_loaded(base, "api/v1/scalars", workload))

    what = "heron serve to load the logdir"
    with serve(command, work / "heron.log", loaded, what=what, timeout=600) as (base, _):
        yield base


@contextlib.contextmanager
def tensorboard_server(workload: Workload, work: Path) -> Iterator[str]:
    def command(port: int) -> list[str]:
        return tensorboard_command(workload.root, port)

    def loaded(base: str) -> bool:
        tags = get_json(base + "data/plugin/scalars/tags")
        if len(tags) < workload.runs or any(len(t) < len(workload.tags) for t in tags.values()):
            return False
        return _last_steps_loaded(base, "data/plugin/scalars/scalars", workload)

    what = "tensorboard to load the logdir"
    with serve(command, work / "tensorboard.log", loaded, what=what, timeout=1200) as (base, _):
        yield base


# -- the browser --------------------------------------------------------------------------------

# Both return performance.now() (ms since navigation start) once every chart in view is drawn,
# else false. ``runs`` is how many lines each chart must have.
HERON_DRAWN = """runs => {
  const charts = [...document.querySelectorAll('[data-testid=scalar-card] [data-testid=chart]')];
  const inView = charts.filter(c => {
    const r = c.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  });
  if (inView.length === 0) return false;
  const done = inView.every(c => c.dataset.drawn === 'true'
      && JSON.parse(c.dataset.runs || '[]').length === runs);
  return done ? {ms: performance.now(), charts: inView.length} : false;
}"""

# TensorBoard draws its lines with WebGL in a worker (an OffscreenCanvas): the page cannot read
# those pixels, so this only says that every card in view has its data (no spinner, a canvas);
# then screenshots of the cards show when the lines are on screen (see tensorboard_drawn).
TB_LOADED = """() => {
  const cards = [...document.querySelectorAll('scalar-card')];
  const inView = cards.map((c, i) => [c, i]).filter(([c]) => {
    const r = c.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < innerHeight
        && r.right > 0 && r.left < innerWidth;
  });
  if (inView.length === 0) return false;
  const ready = inView.every(([c]) =>
      !c.querySelector('mat-spinner') && c.querySelector('line-chart canvas'));
  return ready ? inView.map(([, i]) => i) : false;
}"""

# Pixels whose channels differ by more than this are a line's colour, not the grey of a grid,
# an axis or text.
COLOURED = 60
# A chart counts as drawn once this many of its pixels are coloured.
MIN_LINE_PIXELS = 150


# When the last scalar data request of the page finished (ms since navigation), or 0: splits a
# load into waiting for the server and the page's own work (decoding, drawing).
DATA_DONE = """() => Math.max(0, ...performance.getEntriesByType('resource')
  .filter(e => /api\\/v1\\/scalars|data\\/plugin\\/(timeseries|scalars)\\//.test(e.name))
  .map(e => e.responseEnd))"""


@dataclass(frozen=True, slots=True)
class Timing:
    seconds: float
    charts: int
    #: When the last scalar data answer had arrived (None: no such request seen).
    data_seconds: float | None = None


def _coloured_pixels(png: bytes) -> int:
    import io

    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return int((spread > COLOURED).sum())


def heron_drawn(page: Any, runs: int, timeout_s: float) -> Timing:
    handle = page.wait_for_function(HERON_DRAWN, arg=runs, polling="raf", timeout=timeout_s * 1000)
    result = handle.json_value()
    return Timing(seconds=float(result["ms"]) / 1000, charts=int(result["charts"]))


def tensorboard_drawn(page: Any, runs: int, timeout_s: float) -> Timing:
    """Data in every card in view, then screenshots until each card's chart shows lines.

    The time is the page's clock just before the first screenshot that shows every chart
    drawn, so it is late by at most one screenshot round (~0.1-0.2 s here). ``runs`` is not
    checked: pixels cannot tell lines apart by run, and TensorBoard fetches a card's runs in
    one request, so they appear together."""
    del runs
    # With many runs (1,000 here) TensorBoard selects none: select them all, as a user must,
    # the moment the run list shows (the time includes that click).
    page.locator("runs-data-table").get_by_text("run0", exact=False).first.wait_for(
        timeout=timeout_s * 1000
    )
    select_all = page.locator("runs-data-table mat-checkbox").first
    if not select_all.locator("input").is_checked():
        select_all.click()
    handle = page.wait_for_function(TB_LOADED, polling="raf", timeout=timeout_s * 1000)
    indexes = [int(i) for i in handle.json_value()]
    deadline = time.monotonic() + timeout_s
    while True:
        now = float(page.evaluate("performance.now()"))
        cards = page.locator("scalar-card")
        if all(
            _coloured_pixels(cards.nth(i).locator("line-chart .series-view").screenshot())
            >= MIN_LINE_PIXELS
            for i in indexes
        ):
            return Timing(seconds=now / 1000, charts=len(indexes))
        if time.monotonic() > deadline:
            raise TimeoutError("TensorBoard's charts never showed lines")
        time.sleep(0.05)


def time_page(
    browser: Any,
    url: str,
    drawn: Callable[[Any, int, float], Timing],
    runs: int,
    shot: Path | None,
    timeout_s: float,
) -> Timing:
    """A fresh context (cold HTTP cache) opens ``url``; seconds from navigation to ``drawn``."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        timing = drawn(page, runs, timeout_s)
        data_ms = float(page.evaluate(DATA_DONE))
        if data_ms > 0:
            timing = Timing(timing.seconds, timing.charts, min(data_ms / 1000, timing.seconds))
        if shot is not None:
            page.wait_for_timeout(300)
            page.screenshot(path=str(shot))
        return timing
    except Exception:
        if shot is not None:
            page.screenshot(path=str(shot))
        raise
    finally:
        context.close()


# -- main ---------------------------------------------------------------------------------------


def _fmt(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small logdirs, one run each")
    parser.add_argument("--repeat", type=int, default=None, help="timed page loads per server (3)")
    parser.add_argument("--only", choices=["heron", "tensorboard"], default=None)
    parser.add_argument("--workload", choices=["grid", "wide"], default=None, help="just one")
    parser.add_argument("--screenshots", type=Path, default=None, help="save the last page of each")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a page may take (60)")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)

    from playwright.sync_api import TimeoutError as PageTimeout
    from playwright.sync_api import sync_playwright

    chosen = [w for w in workloads(args.quick) if args.workload in (None, w.name)]
    for workload in chosen:
        generate(workload)
        index(workload)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)

    results: dict[tuple[str, str], list[Timing]] = {}
    counts: dict[tuple[str, str], int] = {}
    failed: dict[tuple[str, str], str] = {}
    started = time.perf_counter()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for workload in chosen:
            db = workload.root.with_suffix(".index.sqlite")
            work = Path(scratch) / workload.name
            work.mkdir()
            servers: list[tuple[str, Any]] = []
            with contextlib.ExitStack() as stack:
                if args.only in (None, "heron"):
                    base = stack.enter_context(heron_server(workload, db, work))
                    servers.append(("Heron", (base + "#scalars", heron_drawn, workload.runs)))
                if args.only in (None, "tensorboard"):
                    base = stack.enter_context(tensorboard_server(workload, work))
                    runs = workload.runs
                    servers.append(("TensorBoard", (base + "#timeseries", tensorboard_drawn, runs)))
                # One warm-up load each (server caches, the browser's compiled scripts), then
                # interleaved timed loads so that machine load hits both alike. A server whose
                # warm-up never draws is reported as such and not timed again.
                timed = []
                for name, (url, drawn, runs) in servers:
                    counts[(workload.name, name)] = runs
                    shot = None
                    if args.screenshots:
                        shot = args.screenshots / f"{workload.name}-{name.lower()}-warmup.png"
                    try:
                        time_page(browser, url, drawn, runs, shot, args.timeout)
                        timed.append((name, (url, drawn, runs)))
                    except (TimeoutError, PageTimeout):
                        failed[(workload.name, name)] = f"not drawn in {args.timeout:g} s"
                for attempt in range(repeat):
                    for name, (url, drawn, runs) in timed:
                        shot = None
                        if args.screenshots and attempt == repeat - 1:
                            shot = args.screenshots / f"{workload.name}-{name.lower()}.png"
                        timing = time_page(browser, url, drawn, runs, shot, args.timeout)
                        results.setdefault((workload.name, name), []).append(timing)
        browser.close()

    print()
    print(f"UI render — navigation to every visible chart drawn; medians of {repeat} load(s)")
    size = f"{VIEWPORT['width']}x{VIEWPORT['height']}"
    print(
        f"chromium headless, viewport {size}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print()
    header = (
        f"{'workload':<40} {'server':<12} {'median':>8} {'min':>8} {'max':>8} "
        f"{'charts':>6} {'lines':>6} {'data at':>8}"
    )
    print(header)
    print("-" * len(header))
    for workload in chosen:
        medians: dict[str, float] = {}
        for name in ("Heron", "TensorBoard"):
            timings = results.get((workload.name, name))
            if (workload.name, name) in failed:
                print(f"{workload.title:<40} {name:<12} {failed[(workload.name, name)]}")
            if not timings:
                continue
            seconds = [t.seconds for t in timings]
            medians[name] = statistics.median(seconds)
            lines = counts[(workload.name, name)]
            data = [t.data_seconds for t in timings if t.data_seconds is not None]
            data_at = statistics.median(data) if data else None
            print(
                f"{workload.title:<40} {name:<12} {_fmt(medians[name]):>8} "
                f"{_fmt(min(seconds)):>8} {_fmt(max(seconds)):>8} {timings[-1].charts:>6} "
                f"{lines:>6} {_fmt(data_at):>8}"
            )
        goal = GOALS[workload.name]
        line = f"{'':<40} goal < {goal:g} s"
        if "Heron" in medians:
            line += f"; Heron {'meets it' if medians['Heron'] < goal else 'MISSES it'}"
        if "Heron" in medians and "TensorBoard" in medians:
            line += f"; TensorBoard / Heron = {medians['TensorBoard'] / medians['Heron']:.1f}x"
        print(line)
    print(f"\n(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
