"""What ``add_scalar`` costs a training loop: Heron vs tensorboardX vs torch.utils.tensorboard.

For each writer, in one process and in rotating order, several runs of:

1. construct the writer in a fresh temporary directory (not timed);
2. call ``add_scalar(tag, value, step)`` ``--calls`` times on this thread (timed: the
   per-call cost the training thread pays);
3. ``close()`` (timed: the wait until everything is on disk);
4. read the file back and check every point is there (not timed).

Prints the median of the runs for each writer and the ratios to Heron.

    .venv/bin/python bench/writer_overhead.py             # 500,000 calls, 5 runs
    .venv/bin/python bench/writer_overhead.py --quick     # 50,000 calls, 3 runs
    .venv/bin/python bench/writer_overhead.py --tags 8    # cycle through 8 tags
"""

from __future__ import annotations

import argparse
import gc
import glob
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from heron.formats.events import EventReader


@dataclass(frozen=True)
class Measurement:
    per_call_us: float
    close_s: float
    total_s: float


def _writers() -> dict[str, Callable[[str], object]]:
    import heron

    writers: dict[str, Callable[[str], object]] = {"heron": lambda d: heron.SummaryWriter(d)}
    try:
        import tensorboardX

        writers["tensorboardX"] = lambda d: tensorboardX.SummaryWriter(d)
    except ImportError:
        print("tensorboardX is not installed: skipped", file=sys.stderr)
    try:
        from torch.utils.tensorboard import SummaryWriter as TorchWriter

        writers["torch"] = lambda d: TorchWriter(d)
    except ImportError:
        print("torch is not installed: skipped", file=sys.stderr)
    return writers


def _count_points(directory: str) -> int:
    count = 0
    for path in glob.glob(os.path.join(directory, "**", "*tfevents*"), recursive=True):
        count += sum(1 for _, event in EventReader(path) if event.HasField("summary"))
    return count


def measure(make: Callable[[str], object], calls: int, tags: list[str]) -> Measurement:
    with tempfile.TemporaryDirectory(prefix="heron-bench-") as directory:
        writer = make(directory)
        add_scalar = writer.add_scalar  # type: ignore[attr-defined]
        tag_count = len(tags)
        gc.collect()
        start = time.perf_counter()
        if tag_count == 1:
            tag = tags[0]
            for step in range(calls):
                add_scalar(tag, 0.25 + step * 1e-6, step)
        else:
            for step in range(calls):
                add_scalar(tags[step % tag_count], 0.25 + step * 1e-6, step)
        looped = time.perf_counter()
        writer.close()  # type: ignore[attr-defined]
        closed = time.perf_counter()
        written = _count_points(directory)
        if written != calls:
            raise SystemExit(f"{make}: {written} points on disk, {calls} logged")
    return Measurement((looped - start) / calls * 1e6, closed - looped, closed - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=500_000, help="add_scalar calls per run")
    parser.add_argument("--runs", type=int, default=5, help="runs per writer (median reported)")
    parser.add_argument("--tags", type=int, default=1, help="cycle through this many tags")
    parser.add_argument("--quick", action="store_true", help="50,000 calls, 3 runs")
    parser.add_argument(
        "--only", action="append", help="measure only this writer (repeatable)", default=None
    )
    args = parser.parse_args(argv)
    calls, runs = (50_000, 3) if args.quick else (args.calls, args.runs)
    tags = [f"train/metric_{i}" for i in range(args.tags)] if args.tags > 1 else ["loss"]
    writers = _writers()
    if args.only:
        writers = {name: make for name, make in writers.items() if name in args.only}
    print(
        f"add_scalar × {calls:,} calls, {len(tags)} tag(s), {runs} runs per writer, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    results: dict[str, list[Measurement]] = {name: [] for name in writers}
    names = list(writers)
    for run in range(runs):
        for name in names[run % len(names) :] + names[: run % len(names)]:
            measurement = measure(writers[name], calls, tags)
            results[name].append(measurement)
            print(
                f"  run {run + 1} {name:<13} {measurement.per_call_us:7.2f} µs/call  "
                f"close {measurement.close_s:6.3f} s  total {measurement.total_s:7.2f} s",
                flush=True,
            )
    medians = {
        name: Measurement(
            statistics.median(m.per_call_us for m in ms),
            statistics.median(m.close_s for m in ms),
            statistics.median(m.total_s for m in ms),
        )
        for name, ms in results.items()
    }
    print()
    print(
        f"{'writer':<14}{'µs/call':>10}{'close (s)':>12}{'total (s)':>12}{'× per call':>12}"
        f"{'× total':>10}"
    )
    heron = medians.get("heron")
    for name, median in medians.items():
        ratio_call = median.per_call_us / heron.per_call_us if heron else float("nan")
        ratio_total = median.total_s / heron.total_s if heron else float("nan")
        print(
            f"{name:<14}{median.per_call_us:>10.2f}{median.close_s:>12.3f}{median.total_s:>12.2f}"
            f"{ratio_call:>12.1f}{ratio_total:>10.1f}"
        )
    print("(× columns: that writer's time divided by Heron's; higher means Heron is faster)")


if __name__ == "__main__":
    main()
