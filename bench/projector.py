"""Projector: time to the first PCA drawn, PCA compute time and orbit frame rate, Heron beside
TensorBoard, on 100,000 and 1,000,000 points.

Usage:  .venv/bin/python bench/projector.py [--repeat N] [--sizes 100000,1000000] [--dims D]
        [--tensorboard-sizes 100000] [--orbit-frames F] [--screenshots DIR]
        .venv/bin/python bench/projector.py --tsne-sizes 2000,10000 [--tsne-iterations K]

Each logdir (one run ``emb`` holding one event file and a ``projector_config.pbtxt`` naming a
binary float32 tensor of N points x D dims — 10 Gaussian clusters — and a two-column metadata
TSV, ``label`` and ``cluster``) is generated once into ``bench/.data/projector-<N>x<D>/``
(git-ignored) and reused. ``heron serve`` and ``tensorboard`` (2.21 from the venv, its defaults)
serve it side by side; Debian's Chromium (headless, through Playwright, software WebGL as in
every browser test here) opens each page in a fresh context, ``--repeat`` times, alternating.

* Heron, ``#projector``: "drawn" is the canvas frame's test hooks saying every point is placed by
  PCA (``data-points`` = N, ``data-state`` = ready); the time is the page's ``performance.now()``
  (from the start of the navigation: tensor fetch, transfer to the worker, PCA, first draw; the
  metadata is fetched meanwhile and parsed after). "fetch" is the tensor download, "load in
  worker" the metadata TSV parsed into dictionary-encoded columns there, after the first draw.
  "PCA" is the worker's own time for the covariance pass, the eigen-decomposition and the
  projection of all N points. "orbit fps" rotates the 3-D camera one step per animation frame
  for ``--orbit-frames`` frames and divides.
* TensorBoard, ``#projector`` (an iframe holding its Polymer ``vz-projector``): "drawn" is that
  element's data set holding the PCA projection; the time is measured from the top page's
  navigation start. TensorBoard loads at most 100,000 rows (``num_rows=100000``) and computes PCA
  on a 50,000-point sample after a random projection to 200 dims.
* ``--tsne-sizes``: Heron's t-SNE alone (TensorBoard's runs on the main thread for an unbounded
  time and exposes no per-iteration hook). After the PCA is drawn, the t-SNE tab starts a run; a
  MutationObserver records every (iteration, worker ms) pair the page shows. "per iteration" is
  the slope between the first reported iteration and the first one past ``--tsne-iterations``;
  "affinities" is the worker time before the first iteration (kNN + perplexity calibration).
  With ``--screenshots``, the first round's run is left to finish and its layout saved.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
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

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
VIEWPORT = {"width": 1440, "height": 900}
CLUSTERS = 10

HERON_DRAWN = """(n) => {
  const f = document.querySelector('.projector-frame');
  return f && f.dataset.points === String(n) && f.dataset.state === 'ready'
    && f.dataset.method === 'pca';
}"""

# Inside TensorBoard's projector iframe: its vz-projector element, through shadow roots, with a
# PCA projection in its data set. Returns the epoch time in ms when it holds, else false.
TENSORBOARD_DRAWN = """() => {
  const find = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.tagName === 'VZ-PROJECTOR') return el;
      if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
    }
    return null;
  };
  const p = find(document);
  const ds = p && p.dataSet;
  if (!ds || !ds.projections || !ds.projections['pca-0']) return false;
  return { at: performance.timeOrigin + performance.now(), points: ds.points.length };
}"""


def generate(n: int, d: int) -> Path:
    """The logdir for n points x d dims, written once."""
    root = DATA / f"projector-{n}x{d}"
    logs = root / "logs"
    done = root / "COMPLETE"
    if done.exists():
        return logs
    run = logs / "emb"
    run.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    centers = rng.normal(0, 4, (CLUSTERS, d)).astype(np.float32)
    with (run / "tensor.bin").open("wb") as out, (run / "metadata.tsv").open("w") as meta:
        meta.write("label\tcluster\n")
        for start in range(0, n, 100_000):
            rows = min(100_000, n - start)
            labels = rng.integers(0, CLUSTERS, rows)
            chunk = centers[labels] + rng.normal(0, 1, (rows, d)).astype(np.float32)
            out.write(chunk.astype("<f4").tobytes())
            meta.write("".join(f"p{start + i}\tc{c}\n" for i, c in enumerate(labels)))
    (run / "projector_config.pbtxt").write_text(
        'embeddings {\n  tensor_name: "points"\n  tensor_path: "tensor.bin"\n'
        f'  tensor_shape: {n}\n  tensor_shape: {d}\n  metadata_path: "metadata.tsv"\n}}\n'
    )
    from heron import SummaryWriter

    with SummaryWriter(run) as writer:  # a run is a directory holding event files
        writer.add_scalar("unused", 0.0, 0)
    done.write_text("ok\n")
    return logs


@contextlib.contextmanager
def servers(logs: Path, work: Path, with_tensorboard: bool) -> Iterator[dict[str, str]]:
    with contextlib.ExitStack() as stack:
        urls: dict[str, str] = {}
        port = free_port()
        heron = stack.enter_context(
            process(heron_command(logs, port, db=work / "index.db"), work / "heron.log")
        )
        urls["heron"] = f"http://localhost:{port}/"
        runs = urls["heron"] + "data/plugin/projector/runs"
        wait_until(lambda: get_json(runs) == ["emb"], timeout=600, what="heron", process=heron)
        if with_tensorboard:
            port = free_port()
            tb = stack.enter_context(
                process(tensorboard_command(logs, port), work / "tensorboard.log")
            )
            urls["tensorboard"] = f"http://localhost:{port}/"
            tb_runs = urls["tensorboard"] + "data/plugin/projector/runs"
            wait_until(lambda: get_json(tb_runs) == ["emb"], timeout=600, what="tb", process=tb)
        yield urls


def time_heron(browser: Any, base: str, n: int, frames: int, shot: Path | None) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(base + "#projector")
        page.wait_for_function(HERON_DRAWN, arg=n, timeout=900_000, polling=50)
        drawn = float(page.evaluate("performance.now()"))
        frame = page.locator(".projector-frame")
        # The metadata is parsed in the worker after the PCA is drawn.
        page.wait_for_function(
            "() => document.querySelector('.projector-frame').dataset.parseMs !== ''",
            timeout=300_000,
        )
        pca = float(frame.get_attribute("data-compute-ms") or "nan")
        fetch = float(frame.get_attribute("data-fetch-ms") or "nan")
        parse = float(frame.get_attribute("data-parse-ms") or "nan")
        fps = float(page.evaluate(f"window.heronProjectorOrbit({frames})"))
        if shot is not None:
            page.screenshot(path=str(shot))
        return {"drawn_ms": drawn, "fetch_ms": fetch, "parse_ms": parse, "pca_ms": pca, "fps": fps}
    finally:
        context.close()


def time_tensorboard(browser: Any, base: str, shot: Path | None) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(base + "#projector")
        origin = float(page.evaluate("performance.timeOrigin"))
        page.wait_for_selector("iframe", timeout=120_000)
        result: Any = False
        for _ in range(6000):
            for frame in page.frames:
                if "projector_binary" not in frame.url:
                    continue
                with contextlib.suppress(Exception):
                    result = frame.evaluate(TENSORBOARD_DRAWN)
                if result:
                    break
            if result:
                break
            page.wait_for_timeout(50)
        if not result:
            raise TimeoutError("TensorBoard's projector never drew a PCA")
        if shot is not None:
            page.wait_for_timeout(500)
            page.screenshot(path=str(shot))
        return {"drawn_ms": float(result["at"]) - origin, "points": float(result["points"])}
    finally:
        context.close()


# Records (iteration, worker ms) each time the frame's compute time changes during a t-SNE run.
TSNE_RECORD = """() => {
  const f = document.querySelector('.projector-frame');
  window.heronTsneSamples = [];
  new MutationObserver(() => {
    const p = document.querySelector('.projector-progress');
    const m = p && /iteration (\\d+) of/.exec(p.textContent || '');
    const it = m ? Number(m[1]) : (f.dataset.state === 'ready' ? -1 : 0);
    if (f.dataset.method === 'tsne' && it !== 0 && f.dataset.computeMs !== '')
      window.heronTsneSamples.push([it, Number(f.dataset.computeMs)]);
  }).observe(f, { attributes: true, attributeFilter: ['data-compute-ms'] });
}"""


def time_tsne(
    browser: Any, base: str, n: int, iterations: int, shot: Path | None
) -> dict[str, float]:
    """Per-iteration and affinity time of one t-SNE run on n points, from the page's own hooks;
    with `shot`, the run is left to finish (500 iterations) and the final layout saved."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(base + "#projector")
        page.wait_for_function(HERON_DRAWN, arg=n, timeout=900_000, polling=50)
        page.evaluate(TSNE_RECORD)
        page.get_by_role("tab", name="t-SNE").click()
        page.wait_for_function(
            "k => (window.heronTsneSamples || []).some(([it]) => it > k)",
            arg=iterations,
            timeout=900_000,
            polling=20,
        )
        samples = [s for s in page.evaluate("window.heronTsneSamples") if s[0] > 0]
        (i0, t0), (i1, t1) = samples[0], next(s for s in samples if s[0] > iterations)
        per = (t1 - t0) / (i1 - i0)
        if shot is None:
            page.locator(".projector-progress").get_by_role("button", name="Stop").click()
        else:
            page.wait_for_function(
                "() => document.querySelectorAll('.projector-progress').length === 0",
                timeout=1_800_000,
            )
            page.screenshot(path=str(shot))
        return {"per_iteration_ms": per, "affinity_ms": t0 - i0 * per}
    finally:
        context.close()


def bench_tsne(
    sizes: list[int], dims: int, repeat: int, iterations: int, shots: Path | None
) -> None:
    rows: list[tuple[str, ...]] = []
    from playwright.sync_api import sync_playwright

    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        logs = generate(n, dims)
        with tempfile.TemporaryDirectory() as tmp, servers(logs, Path(tmp), False) as urls:
            per: list[float] = []
            aff: list[float] = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for i in range(repeat):
                    shot = shots / f"heron-tsne-{n}.png" if shots and i == 0 else None
                    result = time_tsne(browser, urls["heron"], n, iterations, shot)
                    per.append(result["per_iteration_ms"])
                    aff.append(result["affinity_ms"])
                    print(f"  {n:,} round {i + 1}: {per[-1]:,.1f} ms/iteration, {aff[-1]:,.0f} ms")
                browser.close()
            rows.append((f"{n:,} x {dims}", f"{statistics.median(per):,.1f}", median(aff)))
    header = ("logdir", "t-SNE ms / iteration", "affinities (ms)")
    print(f"\nmedians of {repeat} runs")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def median(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f}" if values else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dims", type=int, default=32)
    parser.add_argument("--tensorboard-sizes", default="100000")
    parser.add_argument("--orbit-frames", type=int, default=60)
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument("--tsne-sizes", default="", help="time t-SNE (only) at these sizes")
    parser.add_argument("--tsne-iterations", type=int, default=20)
    args = parser.parse_args()
    if args.tsne_sizes:
        sizes = [int(s) for s in args.tsne_sizes.split(",") if s]
        bench_tsne(sizes, args.dims, args.repeat, args.tsne_iterations, args.screenshots)
        return
    from playwright.sync_api import sync_playwright

    sizes = [int(s) for s in args.sizes.split(",") if s]
    tb_sizes = {int(s) for s in args.tensorboard_sizes.split(",") if s}
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, ...]] = []
    for n in sizes:
        logs = generate(n, args.dims)
        with tempfile.TemporaryDirectory() as tmp, servers(logs, Path(tmp), n in tb_sizes) as urls:
            heron: dict[str, list[float]] = {
                key: [] for key in ("drawn_ms", "fetch_ms", "parse_ms", "pca_ms", "fps")
            }
            tb: dict[str, list[float]] = {"drawn_ms": [], "points": []}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for i in range(args.repeat):
                    shot = args.screenshots / f"heron-{n}.png" if args.screenshots else None
                    for key, value in time_heron(
                        browser, urls["heron"], n, args.orbit_frames, shot if i == 0 else None
                    ).items():
                        heron[key].append(value)
                    if "tensorboard" in urls:
                        shot = args.screenshots / f"tb-{n}.png" if args.screenshots else None
                        for key, value in time_tensorboard(
                            browser, urls["tensorboard"], shot if i == 0 else None
                        ).items():
                            tb[key].append(value)
                    print(f"  {n:,} round {i + 1}: heron {heron['drawn_ms'][-1]:,.0f} ms", end="")
                    print(f", tensorboard {tb['drawn_ms'][-1]:,.0f} ms" if tb["drawn_ms"] else "")
                browser.close()
            fps = f"{statistics.median(heron['fps']):.1f}"
            rows.append(
                (f"{n:,} x {args.dims}", "Heron", f"{n:,}", median(heron["drawn_ms"]),
                 median(heron["fetch_ms"]), median(heron["parse_ms"]), median(heron["pca_ms"]),
                 fps)
            )  # fmt: skip
            if tb["drawn_ms"]:
                shown = f"{int(statistics.median(tb['points'])):,}"
                rows.append(
                    (f"{n:,} x {args.dims}", "TensorBoard", shown, median(tb["drawn_ms"]))
                    + ("—",) * 4
                )
    header = ("logdir", "server", "points drawn", "open → PCA drawn (ms)", "fetch (ms)")
    header += ("load in worker (ms)", "PCA (ms)", "orbit fps")
    print(f"\nmedians of {args.repeat} runs")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
