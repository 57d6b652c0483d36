"""Runs at scale: the runs table's queries on a very large experiment, Heron beside TensorBoard.

Usage:  .venv/bin/python bench/runs_scale.py [--runs N] [--repeat R] [--no-servers] [--no-page]
        [--tb-timeout S] [--page-only]

A logdir of N runs (default 100,000), each with hparams (``lr``, ``opt``, ``seed``) written by
``add_hparams`` and three scalar tags of ten points, is generated once into
``bench/.data/runs/<N>/`` (git-ignored) and indexed once beside it.

**Server side (in-process).** The app is called through the ASGI client (routing, the read
contract, JSON encoding; no sockets), so the times are the server's own, for the routes the
runs table and grouped charts use:

* first page: ``/api/v1/runs?summary=true&limit=200`` (the table opening);
* filtered + sorted: a ``where`` over hparams and a metric, sorted by a metric, with metric
  columns (the table after a query);
* columns: ``/api/v1/runs/columns`` (hparams with types, scalar tags);
* groups: ``/api/v1/scalars/groups`` over 1 % of the runs grouped by ``lr`` (reads points).

Each row prints the median, min and max of ``--repeat`` calls after one warm-up. "cold run
table" is the reader's columnar snapshot of every run summary built from scratch (what a
reader without a previous table pays). Issue 8's budget is 300 ms server-side for the first
two rows. Then (``_runs_changes.py``): ``/data/plugin/scalars/tags`` (300,000 series), the
hparams ``/experiment`` and a filtered + sorted ``/session_groups`` page; the first
``/api/v1/runs`` page, hparams ``/experiment``, ``session_groups`` and ``scalars/tags`` after
``--repeat`` ingest commits that each change one run (issue 8: < 300 ms, the hparams values
being updated for the changed run, not rebuilt); and the process's peak RSS.

**Servers, side by side.** Then ``tensorboard --logdir`` (the pip package in ``.venv``, its
default loader) and ``heron serve`` (on the index above) are started one after the other on the
same logdir, and the same TensorBoard-compatible requests are timed over HTTP: from the
process start until ``/data/runs`` lists every run and until the hparams plugin's
``/data/plugin/hparams/session_groups`` (first 100 sessions) counts every session; then the
median, min and max of ``--repeat`` calls of each once loaded. TensorBoard is given
``--tb-timeout`` seconds (default 900; 0 skips it) to load; what it had listed by then is
printed.

**The page.** With Heron still serving, Chromium (headless, through Playwright) opens the Runs
tab in a fresh context ``--repeat`` times after one warm-up load: "interactive" is the page's
``performance.now()`` once rows and the run count are shown; then the table is scrolled by
150 px per animation frame for 3 s and the frame intervals are reported (median, p95, frames
over 50 ms). Then the Scalars tab, ``--repeat`` times after a warm-up: ms until the run
selector shows its "N of M shown" count and its first rows, and how many ``/api/v1/runs``
requests the page made by then (the selector is lazy: one page of names). Beside it, what the
selector cost before it was lazy: every run name fetched over HTTP 10,000 a page, in turn.
Servers are started and waited for with ``_servers.py``'s helpers. ``--no-page`` skips it.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import _runs_changes as changes
from _servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    get_json,
    heron_command,
    process,
    tensorboard_command,
    wait_until,
)

BENCH_DIR = Path(__file__).resolve().parent
BUDGET_MS = 300.0


def _generate(root: Path, runs: int) -> None:
    from heron import SummaryWriter

    done = root / ".complete"
    if done.exists():
        return
    started = time.perf_counter()
    for index in range(runs):
        with SummaryWriter(root / f"sweep/run-{index:06d}", flush_secs=3600) as writer:
            for step in range(10):
                writer.add_scalar("loss", 1.0 / (step + 1 + index % 13), step)
                writer.add_scalar("val/acc", (index % 97) / 97 * step / 9, step)
                writer.add_scalar("lr", 10.0 ** -(index % 5), step)
            writer.add_hparams(
                {"lr": 10.0 ** -(index % 5), "opt": ("adam", "sgd")[index % 2], "seed": index % 10},
                {"val/acc": None},
                run_name=".",
            )
        if index and index % 10_000 == 0:
            print(f"  wrote {index:,} runs ({time.perf_counter() - started:.0f} s)", flush=True)
    done.touch()
    print(f"wrote {runs:,} runs in {time.perf_counter() - started:.0f} s")


Samples = list[float]


def _times(call: Callable[[], object], repeat: int) -> Samples:
    """Milliseconds of ``repeat`` calls after one warm-up."""
    call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _cells(samples: Samples) -> str:
    return f"{statistics.median(samples):>9,.0f} {min(samples):>8,.0f} {max(samples):>8,.0f}"


def _in_process(root: Path, db: Path, repeat: int) -> None:
    import heron
    from heron.plugins import default_plugins
    from heron.server import ServerConfig, create_app
    from heron.testing.asgi import TestClient

    started = time.perf_counter()
    with heron.open(root, db=db) as experiment:
        print(f"indexed (or reopened) in {time.perf_counter() - started:.1f} s")
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )

        def get(path: str, params: list[tuple[str, str]]) -> None:
            response = client.get(f"{path}?{urlencode(params)}")
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.text}")

        cold = []
        for _ in range(max(1, repeat // 2)):
            reader = experiment.provider
            reader._listings.forget()  # type: ignore[attr-defined]
            started = time.perf_counter()
            reader.run_table()
            cold.append((time.perf_counter() - started) * 1000)
        one_percent = "seed == 3 and name ~ '0[0-9]$'"
        rows = [
            ("first page", "/api/v1/runs", [("summary", "true"), ("limit", "200")], True),
            (
                "filtered + sorted",
                "/api/v1/runs",
                [
                    ("summary", "true"),
                    ("limit", "200"),
                    ("where", 'lr < 0.01 and opt == "adam" and max(val/acc) > 0.5'),
                    ("sort", "-max(val/acc)"),
                    ("metric", "val/acc"),
                    ("metric", "loss"),
                ],
                True,
            ),
            ("columns", "/api/v1/runs/columns", [], False),
            (
                "groups (1 % of runs)",
                "/api/v1/scalars/groups",
                [("tag", "val/acc"), ("group_by", "lr"), ("where", one_percent)],
                False,
            ),
        ]

        def post(path: str, body: dict[str, Any]) -> None:
            response = client.post(path, json=body)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.text}")

        print(f"\nserver side, in-process: ms over {repeat} calls after a warm-up\n")
        print(f"{'query':<24}{'median':>9} {'min':>8} {'max':>8}  budget")
        print(f"{'cold run table':<24}{_cells(cold)}  (built from scratch)")
        for label, path, params, budgeted in rows:
            samples = _times(lambda path=path, params=params: get(path, params), repeat)
            verdict = ""
            if budgeted:
                verdict = "ok" if statistics.median(samples) <= BUDGET_MS else "OVER"
            print(f"{label:<24}{_cells(samples)}  {verdict}")
        for label, call in changes.rows(get, post):
            print(f"{label:<24}{_cells(_times(call, repeat))}")
        after = changes.after_commits(experiment, root, get, post, repeat)
        print(f"\nthe first call after a commit that changed 1 run, ms over {repeat} commits\n")
        for label, samples in after.items():
            print(f"{label:<24}{_cells(samples)}")
        print(f"\npeak RSS of this process: {changes.peak_rss_mb():,.0f} MB")


# -- servers over HTTP --------------------------------------------------------------------------

SESSION_GROUPS = {
    "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
    "colParams": [],
    "startIndex": 0,
    "sliceSize": 100,
}


def _post_json(url: str, body: object, timeout: float = 600) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def _runs_listed(base: str) -> int:
    return len(get_json(base + "data/runs", timeout=600))


def _sessions_counted(base: str) -> int:
    answer = _post_json(base + "data/plugin/hparams/session_groups", SESSION_GROUPS)
    return int(answer.get("totalSize", len(answer.get("sessionGroups", []))))


def _all_run_names(base: str) -> int:
    """What the run selector did before it was lazy: every name, 10,000 a page, in turn."""
    names = 0
    for offset in range(0, 10**9, 10_000):
        page = get_json(f"{base}api/v1/runs?offset={offset}&limit=10000", timeout=600)
        names += len(page["runs"])
        if len(page["runs"]) < 10_000:
            return names
    return names


def _keep_tail(log: Path, limit: int = 1 << 20) -> None:
    """Keep the last MiB of a log: TensorBoard logs a warning per file it cannot open."""
    size = log.stat().st_size
    if size > 16 * limit:
        with log.open("rb") as source:
            source.seek(size - limit)
            tail = source.read()
        log.write_bytes(f"[first {size - limit:,} bytes dropped]\n".encode() + tail)


def _until(
    count: Callable[[], int],
    wanted: int,
    started: float,
    deadline: float,
    child: subprocess.Popen[bytes],
) -> tuple[float | None, int]:
    """Seconds since ``started`` when ``count()`` reached ``wanted`` (None: not by ``deadline``,
    with how far it got: TensorBoard may still be loading when it is given up on)."""
    seen = [0]

    def reached() -> bool:
        seen[0] = count()
        return seen[0] >= wanted

    try:
        wait_until(
            reached,
            timeout=max(0.0, deadline - time.perf_counter()),
            what=f"{wanted:,} runs",
            process=child,
        )
    except TimeoutError:
        return None, seen[0]
    return time.perf_counter() - started, seen[0]


# Scrolls the runs table a few rows per animation frame for ``ms`` and returns frame intervals.
SCROLL = """async ms => {
  const table = document.querySelector('[data-testid=runs-table]');
  const frames = [];
  let last = performance.now();
  const end = last + ms;
  return await new Promise(resolve => {
    function step(now) {
      frames.push(now - last);
      last = now;
      table.scrollTop += 150;
      if (now < end) requestAnimationFrame(step); else resolve(frames);
    }
    requestAnimationFrame(step);
  });
}"""
INTERACTIVE = """() => {
  const rows = document.querySelectorAll('[data-testid=runs-row][data-run]').length;
  const total = document.querySelector('[data-testid=runs-total]')?.textContent || '';
  return rows > 0 && /[0-9]/.test(total) ? performance.now() : false;
}"""
# The Scalars tab's run selector is usable: its count and its first rows are shown.
SELECTOR_READY = """() => {
  const count = document.querySelector('[data-testid=run-count]')?.textContent || '';
  const row = document.querySelector('[data-testid=run-list] .run-row[data-run]');
  return /[0-9,]+ of [0-9,]+ shown/.test(count) && row ? performance.now() : false;
}"""


def _runs_requests(page: Any) -> list[str]:
    """URLs of the page's later requests to ``/api/v1/runs`` (the run list, not sub-routes)."""
    seen: list[str] = []

    def record(request: Any) -> None:
        if urlsplit(request.url).path.endswith("/api/v1/runs"):
            seen.append(request.url)

    page.on("request", record)
    return seen


def _page(base: str, repeat: int) -> dict[str, Any]:
    """The Runs tab in Chromium: ms until rows and total show, then frames while scrolling;
    the Scalars tab: ms until the run selector shows its count and first rows, and how many
    ``/api/v1/runs`` requests that took."""
    from playwright.sync_api import sync_playwright

    interactive: Samples = []
    frames: Samples = []
    selector: Samples = []
    selector_requests: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for attempt in range(repeat + 1):  # the first load warms the server's caches
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.goto(base + "#runs")
            handle = page.wait_for_function(INTERACTIVE, timeout=120_000, polling="raf")
            if attempt:
                interactive.append(float(handle.json_value()))
                frames += page.evaluate(SCROLL, 3000)[1:]
            context.close()
        for attempt in range(repeat + 1):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            requests = _runs_requests(page)
            page.goto(base + "#scalars")
            handle = page.wait_for_function(SELECTOR_READY, timeout=120_000, polling="raf")
            if attempt:
                selector.append(float(handle.json_value()))
                selector_requests.append(len(requests))
            context.close()
        browser.close()
    return {
        "interactive": interactive,
        "frames": frames,
        "selector": selector,
        "selector_requests": selector_requests,
    }


def _serve(
    name: str,
    command: list[str],
    port: int,
    runs: int,
    repeat: int,
    timeout: float,
    work: Path,
    *,
    page: bool = False,
) -> dict[str, Any]:
    base = f"http://localhost:{port}/"
    result: dict[str, Any] = {"name": name}
    log = work / f"{name}.log"
    with process(command, log) as child:
        started = time.perf_counter()
        deadline = started + timeout
        result["runs_s"], result["runs_seen"] = _until(
            lambda: _runs_listed(base), runs, started, deadline, child
        )
        result["sessions_s"], result["sessions_seen"] = _until(
            lambda: _sessions_counted(base), runs, started, deadline, child
        )
        if result["runs_s"] is not None:
            result["runs_ms"] = _times(lambda: _runs_listed(base), repeat)
        if result["sessions_s"] is not None:
            result["sessions_ms"] = _times(lambda: _sessions_counted(base), repeat)
        if page and result["runs_s"] is not None:
            result["all_names_ms"] = _times(lambda: _all_run_names(base), repeat)
            result["page"] = _page(base, repeat)
    _keep_tail(log)
    return result


def _servers(
    root: Path, db: Path, runs: int, repeat: int, tb_timeout: float, *, page: bool
) -> None:
    work = Path(tempfile.mkdtemp(prefix="heron-runs-scale-"))
    results = []
    port = free_port()
    tensorboard = tensorboard_command(root, port)
    if tb_timeout > 0:
        print(
            f"\nstarting tensorboard (up to {tb_timeout:.0f} s to load; log in {work})", flush=True
        )
        results.append(_serve("tensorboard", tensorboard, port, runs, repeat, tb_timeout, work))
    port = free_port()
    heron = [*heron_command(root, port, db=db), "--reload_interval", "0"]
    print("starting heron serve", flush=True)
    results.append(_serve("heron", heron, port, runs, repeat, 600, work, page=page))
    print(f"\nservers over HTTP, {runs:,} runs: seconds from process start until the answer is")
    print(f"complete, then ms over {repeat} calls once loaded (median min max)\n")
    print(f"{'server':<12}{'/data/runs':>14}{'session_groups':>16}", end="")
    print(f"   {'/data/runs ms':>28}   {'session_groups ms':>28}")
    for result in results:
        runs_ms = _cells(result["runs_ms"]) if "runs_ms" in result else "-"
        sessions_ms = _cells(result["sessions_ms"]) if "sessions_ms" in result else "-"
        print(
            f"{result['name']:<12}{_seconds(result, 'runs', tb_timeout):>14}"
            f"{_seconds(result, 'sessions', tb_timeout):>16}   {runs_ms:>28}   {sessions_ms:>28}"
        )
    for result in results:
        if "page" in result:
            _print_page(result["page"], result["all_names_ms"])


def _print_page(page: dict[str, Any], all_names_ms: Samples) -> None:
    frames = sorted(page["frames"])
    long = sum(1 for frame in frames if frame > 50)
    p95 = frames[int(0.95 * (len(frames) - 1))] if frames else math.nan
    print("\nheron, the Runs tab in Chromium (headless, 1440x900):")
    print(f"  interactive (rows and total shown), ms: {_cells(page['interactive'])}")
    print(
        f"  scrolling 3 s x {len(page['interactive'])}: {len(frames)} frames, median "
        f"{statistics.median(frames):.1f} ms, p95 {p95:.1f} ms, {long} over 50 ms"
    )
    requests = sorted(set(page["selector_requests"]))
    print("heron, the Scalars tab's run selector (count and first rows shown):")
    print(f"  ms: {_cells(page['selector'])}; /api/v1/runs requests: {requests}")
    print(
        f"  before it was lazy, every name (10,000 a page, in turn) over HTTP, ms: "
        f"{_cells(all_names_ms)}"
    )


def _seconds(result: dict[str, Any], what: str, timeout: float) -> str:
    value = result[f"{what}_s"]
    if value is None:
        return f">{timeout:.0f} s ({result[f'{what}_seen']:,})"
    return f"{value:,.1f} s"


def _snapshot(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite index (its committed state, even while it is written)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-servers", action="store_true", help="skip the HTTP comparison")
    parser.add_argument("--tb-timeout", type=float, default=900.0, help="0: skip TensorBoard")
    parser.add_argument(
        "--no-page", dest="page", action="store_false", help="skip the Runs tab in Chromium"
    )
    parser.add_argument(
        "--page-only",
        action="store_true",
        help="only heron serve and the page (no in-process rows, no TensorBoard)",
    )
    args = parser.parse_args()

    data = BENCH_DIR / ".data" / "runs" / str(args.runs)
    root = data / "logs"
    _generate(root, args.runs)
    print(f"{args.runs:,} runs")
    if args.page_only:
        # A snapshot of the index: the page part can run while another process holds it.
        with tempfile.TemporaryDirectory(prefix="heron-runs-index-") as scratch:
            snapshot = Path(scratch) / "index.sqlite"
            _snapshot(data / "index.sqlite", snapshot)
            _servers(root, snapshot, args.runs, args.repeat, 0, page=True)
        return 0
    _in_process(root, data / "index.sqlite", args.repeat)
    if not args.no_servers:
        _servers(
            root, data / "index.sqlite", args.runs, args.repeat, args.tb_timeout, page=args.page
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
