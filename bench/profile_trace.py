"""Trace viewer at scale: a 1,000,000-event torch-style trace, server prepare, first screen and
frame time in Chromium.

Usage:  .venv/bin/python bench/profile_trace.py [--events N] [--repeat N] [--skip-browser]
                                                [--mixed] [--columnar-only]

The trace (``bench/_trace_gen.py``: 4 CPU threads of ``ProfilerStep#k`` operator trees 5–10
deep, ``cudaLaunchKernel`` leaves joined by ``ac2g`` flows to kernels on two GPU streams) is
generated once into ``bench/.data/profile-trace-<events>/`` and reused. ``--mixed``: half of
it spans and flows, a quarter torch-style ``[memory]`` instants and a quarter counter samples
(``_trace_gen.make_mixed_trace``), in ``profile-trace-mixed-<events>/``.

1. **Prepare** (each run in a fresh child process, so peak RSS is the child's own): the
   viewer's columnar parse (``columnar.build_columns``: chunked orjson, numpy columns) beside
   the object model every other profile view uses (``decode_trace`` + ``model.prepare``, what
   the viewer read before). Wall and CPU seconds, and peak RSS above the process's RSS with the
   file's bytes already read.
2. **Windows**: the server-side cost of a whole-trace window and of a zoomed one (LOD + binary
   encoding), and their sizes.
3. **Browser** (``heron serve`` + Debian Chromium through Playwright): with the parse cached
   (both the viewer's and the overview's, requested once first), the time from clicking
   *Trace* to the first screen drawn; then frame times (``requestAnimationFrame`` deltas
   collected in the page) while holding D (pan), W (zoom in), S (zoom out), wheel-zooming
   around the pointer and drag-panning: p50 / p95 per run.

Medians of ``--repeat`` runs. There is no TensorBoard column: its profile plugin
(``tensorboard-plugin-profile``) is a separate package that reads XSpace protobufs
(``.xplane.pb``), not torch's trace JSON, so it cannot open this workload side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    get_json,
    heron_command,
    process,
    wait_until,
)

DATA = Path(__file__).parent / ".data"

_CHILD = r"""
import json, resource, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
if sys.argv[1] == "columnar":
    from heron.plugins.profile.columnar import build_columns as load
else:
    from heron.formats.trace_events import decode_trace
    from heron.plugins.profile.model import prepare
    load = lambda data: prepare(decode_trace(data))
data = open(sys.argv[2], "rb").read()
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak RSS starts again from here
base = status("VmRSS:")
wall, c0 = time.perf_counter(), cpu()
result = load(data)
wall, c1 = time.perf_counter() - wall, cpu() - c0
print(json.dumps({"wall": wall, "cpu": c1, "rss_mb": status("VmHWM:") - base,
                  "held_mb": status("VmRSS:") - base}))
"""


def make_logdir(events: int, *, mixed: bool = False) -> Path:
    root = DATA / f"profile-trace-{'mixed-' if mixed else ''}{events}"
    trace = root / "logs" / "bench" / "worker0.1.pt.trace.json"
    stamp = root / "description.json"
    description = {"events": events, "generator": "bench/_trace_gen.py v1", "mixed": mixed}
    if trace.exists() and stamp.exists() and json.loads(stamp.read_text()) == description:
        return trace
    import orjson
    from _trace_gen import make_mixed_trace, make_trace

    trace.parent.mkdir(parents=True, exist_ok=True)
    print(f"generating {events:,} events ...", flush=True)
    trace.write_bytes(orjson.dumps((make_mixed_trace if mixed else make_trace)(events)))
    stamp.write_text(json.dumps(description))
    return trace


def prepare_runs(
    trace: Path, repeat: int, *, object_model: bool = True
) -> dict[str, list[dict[str, float]]]:
    readers = [("columnar", "columnar")] + ([("object model", "objects")] if object_model else [])
    out: dict[str, list[dict[str, float]]] = {kind: [] for kind, _ in readers}
    for _ in range(repeat):
        for kind, arg in readers:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, arg, str(trace)],
                check=True,
                capture_output=True,
                text=True,
            )
            out[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def window_costs(trace: Path) -> list[tuple[str, float, int, int]]:
    from heron.plugins.profile.columnar import build_columns
    from heron.plugins.profile.lod import encode_window, lod_window

    columns = build_columns(trace.read_bytes())
    rows = []
    for label, start, end in (
        ("whole trace", None, None),
        ("1 % of it", columns.extent * 0.5, columns.extent * 0.51),
        ("0.01 %", columns.extent * 0.5, columns.extent * 0.5001),
    ):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            window = lod_window(columns, start=start, end=end, width=2400)
            body = encode_window(columns, window)
            times.append(time.perf_counter() - t)
        rows.append((label, statistics.median(times), len(window.blocks_start), len(body)))
    return rows


_COLLECT = """() => {
  window.__frames = [];
  window.__collect = true;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__collect) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def browser_runs(logdir: Path, repeat: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://localhost:{port}/"
    log = logdir.parent / "heron.log"
    results = []
    with process(heron_command(logdir, port, db=logdir.parent / "index.sqlite"), log) as child:
        wait_until(
            lambda: bool(get_json(base + "data/plugin/profile/runs")),
            timeout=300,
            what="heron: the profile session",
            process=child,
            log=log,
        )
        session = get_json(base + "data/plugin/profile/runs")[0]["sessions"][0]["session"]
        query = f"run=bench&session={session}"
        started = time.perf_counter()
        get_json(base + f"data/plugin/profile/trace/search?{query}&q=ProfilerStep", timeout=600)
        first_parse = time.perf_counter() - started
        print(f"first request (read + columnar parse in the server): {first_parse:.2f} s")
        get_json(base + f"data/plugin/profile/overview?{query}", timeout=900)  # the tab opens it
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(repeat + 1):
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(base)
                page.wait_for_selector("[role=tab][data-tab=profile], [data-testid=tabs-more]")
                tab = page.locator("[role=tab][data-tab=profile]")
                if tab.count():
                    tab.click()
                else:
                    page.click("[data-testid=tabs-more]")
                    page.locator("[role=menuitem][data-tab=profile]").click()
                page.wait_for_selector(".profile-view[data-view=trace]")
                t = time.perf_counter()
                page.click(".profile-view[data-view=trace]")
                page.wait_for_function(
                    "Number(document.querySelector('.trace-canvas')?.dataset.blocks) > 0"
                    " && document.querySelector('.trace-canvas').dataset.viewEnd !== undefined"
                )
                first_screen = time.perf_counter() - t
                box = page.locator(".trace-canvas").bounding_box()
                assert box is not None
                page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 200)
                page.evaluate(_COLLECT)
                for key, hold in (("d", 1.5), ("w", 2.0), ("a", 1.0), ("s", 1.0)):
                    page.keyboard.down(key)
                    page.wait_for_timeout(hold * 1000)
                    page.keyboard.up(key)
                for _ in range(15):
                    page.mouse.wheel(0, -120)
                    page.wait_for_timeout(40)
                page.mouse.down()
                for step in range(30):
                    page.mouse.move(box["x"] + box["width"] * 0.6 - step * 15, box["y"] + 200)
                    page.wait_for_timeout(16)
                page.mouse.up()
                frames = page.evaluate(
                    "() => { window.__collect = false; return window.__frames; }"
                )
                page.screenshot(path=str(logdir.parent / f"trace-{run}.png"))
                page.close()
                frames = frames[2:]
                if run == 0:
                    continue  # warm-up: the browser's own caches
                results.append(
                    {
                        "first_screen": first_screen,
                        "p50": _percentile(frames, 0.5),
                        "p95": _percentile(frames, 0.95),
                        "frames": len(frames),
                    }
                )
            browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="half spans, a quarter [memory] instants, a quarter counter samples",
    )
    parser.add_argument(
        "--columnar-only", action="store_true", help="prepare: skip the object model"
    )
    args = parser.parse_args()
    trace = make_logdir(args.events, mixed=args.mixed)
    size = trace.stat().st_size / 1e6
    print(f"trace: {trace} ({size:.0f} MB)\n")

    print(f"prepare, median of {args.repeat} (fresh process each):")
    print(f"{'reader':<14}{'wall s':>9}{'CPU s':>9}{'peak MB':>10}{'held MB':>10}")
    prepared = prepare_runs(trace, args.repeat, object_model=not args.columnar_only)
    for kind, runs in prepared.items():
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss = statistics.median(r["rss_mb"] for r in runs)
        held = statistics.median(r["held_mb"] for r in runs)
        print(f"{kind:<14}{wall:>9.2f}{cpu:>9.2f}{rss:>10.0f}{held:>10.0f}")

    print("\nwindows at 2,400 px (server: LOD + binary encoding), median of 5:")
    for label, seconds, blocks, size_bytes in window_costs(trace):
        ms, kb = seconds * 1000, size_bytes / 1e3
        print(f"  {label:<12} {ms:7.1f} ms  {blocks:>7,} blocks  {kb:8.0f} KB")

    if args.skip_browser:
        return
    runs = browser_runs(trace.parent.parent, args.repeat)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"\nbrowser, median of {len(runs)} runs (after a warm-up run):")
    print(f"  first screen after clicking Trace: {median('first_screen'):.2f} s")
    print(
        f"  frame time while panning / zooming: p50 {median('p50'):.1f} ms,"
        f" p95 {median('p95'):.1f} ms ({median('frames'):.0f} frames a run)"
    )


if __name__ == "__main__":
    main()
