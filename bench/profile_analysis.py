"""How long the profiler's analysis views take on large traces: overview, op + kernel stats, memory.

Why: the overview, op table, kernel table, input pipeline and memory-at-peak answers are computed
per request from the prepared trace (``heron.plugins.profile.data``); on a trace of a few hundred
thousand spans they must stay interactive. TensorBoard's own profile plugin is a separate package
(``tensorboard_plugin_profile``, not installed with TensorBoard 2.21) that reads only XSpace, so
there is no side-by-side row; this prints Heron's medians. Each view is timed cold (computed from
the prepared trace); the plugin then keeps the answer, so asking again costs nothing.

The trace is ``bench/_trace_gen.py``'s synthetic torch-style trace (CPU op trees, kernels on two
streams, ``ac2g`` flows) plus what the analyses read: a ``DataLoader`` span at the start of each
step and a ``[memory]`` allocation / free pair around every tenth leaf op.

    .venv/bin/python bench/profile_analysis.py                  # 100k and 300k spans, 5 runs
    .venv/bin/python bench/profile_analysis.py --events 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _trace_gen import make_trace

from heron.formats.trace_events import decode_trace
from heron.plugins.profile import data
from heron.plugins.profile.model import TraceModel, prepare


def _with_loader_and_memory(document: dict[str, Any]) -> dict[str, Any]:
    events: list[dict[str, Any]] = document["traceEvents"]
    extra: list[dict[str, Any]] = []
    total = 0
    for index, event in enumerate(events):
        if event.get("ph") != "X" or event.get("pid") != 100:
            continue
        if event["name"].startswith("ProfilerStep#"):
            extra.append(
                {
                    **event,
                    "name": "enumerate(DataLoader)#_MultiProcessingDataLoaderIter.__next__",
                    "ts": event["ts"] + 0.2,
                    "dur": 0.5,
                    "args": {},
                }
            )
        elif index % 10 == 0:
            size = 4096 * (1 + index % 7)
            for ts, change in (
                (event["ts"] + 0.1, size),
                (event["ts"] + event["dur"] * 0.9, -size),
            ):
                total += change
                extra.append(
                    {
                        "ph": "i",
                        "s": "t",
                        "cat": "cpu_instant_event",
                        "name": "[memory]",
                        "pid": 100,
                        "tid": event["tid"],
                        "ts": ts,
                        "args": {
                            "Addr": index,
                            "Bytes": change,
                            "Total Allocated": total,
                            "Total Reserved": 1 << 30,
                            "Device Type": 0,
                            "Device Id": -1,
                        },
                    }
                )
    events.extend(extra)
    return document


def _median_ms(view: Callable[[TraceModel], object], model: TraceModel, repeat: int) -> float:
    """The view computed from scratch: a shallow copy is a new model to the plugin's memo."""
    times = []
    for _ in range(repeat):
        fresh = copy.copy(model)
        start = time.perf_counter()
        view(fresh)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="*", default=[100_000, 300_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'spans':>10} {'decode+prepare':>15} {'overview':>10} {'ops+kernels':>12} "
        f"{'memory':>10}  (ms; views: median of {args.repeat})"
    )
    for count in args.events:
        raw = json.dumps(_with_loader_and_memory(make_trace(count))).encode()
        start = time.perf_counter()
        model = prepare(decode_trace(raw))
        load_ms = 1000 * (time.perf_counter() - start)
        overview = _median_ms(data.overview, model, args.repeat)
        ops = _median_ms(data.ops, model, args.repeat)
        memory = _median_ms(data.memory, model, args.repeat)
        spans = len(model.trace.spans)
        print(f"{spans:>10,} {load_ms:>15.0f} {overview:>10.0f} {ops:>12.0f} {memory:>10.0f}")


if __name__ == "__main__":
    main()
