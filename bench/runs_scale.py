"""Runs at scale: how fast the runs table's queries answer on a very large experiment.

Usage:  .venv/bin/python bench/runs_scale.py [--runs N] [--repeat R]

A logdir of N runs (default 100,000), each with hparams (``lr``, ``opt``, ``seed``) written by
``add_hparams`` and three scalar tags of ten points, is generated once into
``bench/.data/runs/<N>/`` (git-ignored) and indexed once beside it. The app is then called
in-process (the ASGI client: routing, the read contract, JSON encoding; no sockets), so the
times are the server's own, for the routes the runs table and grouped charts use:

* first page: ``/api/v1/runs?summary=true&limit=200`` (the table opening);
* filtered + sorted: a ``where`` over hparams and a metric, sorted by a metric, with metric
  columns (the table after a query);
* columns: ``/api/v1/runs/columns`` (hparams with types, scalar tags);
* groups: ``/api/v1/scalars/groups`` over 1 % of the runs grouped by ``lr`` (reads points).

Issue 8's budget is 300 ms server-side for the first two; the table prints medians of
``--repeat`` calls after one warm-up. TensorBoard is not run yet (its runs list and hparams
table on the same logdir are the next step of the issue's proof).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

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


def _time(call: Callable[[], None], repeat: int) -> float:
    call()  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import heron
    from heron.plugins import default_plugins
    from heron.server import ServerConfig, create_app
    from heron.testing.asgi import TestClient

    data = BENCH_DIR / ".data" / "runs" / str(args.runs)
    root = data / "logs"
    _generate(root, args.runs)
    started = time.perf_counter()
    with heron.open(root, db=data / "index.sqlite") as experiment:
        print(f"indexed (or reopened) in {time.perf_counter() - started:.1f} s")
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )

        def get(path: str, params: list[tuple[str, str]]) -> None:
            response = client.get(f"{path}?{urlencode(params)}")
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.text}")

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
        print(f"\n{args.runs:,} runs, median of {args.repeat} calls after a warm-up\n")
        print(f"{'query':<24}{'ms':>10}  budget")
        for label, path, params, budgeted in rows:
            ms = _time(lambda path=path, params=params: get(path, params), args.repeat)
            verdict = ("ok" if ms <= BUDGET_MS else "OVER") if budgeted else ""
            print(f"{label:<24}{ms:>10.0f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
