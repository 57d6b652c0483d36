"""A synthetic torch.profiler-style Chrome trace of N events, for ``profile_trace.py`` and tests.

Several CPU threads run ``ProfilerStep#k`` spans holding operator trees 5–10 deep; some
leaves are ``cudaLaunchKernel`` calls joined by an ``ac2g`` flow (``ph`` ``s`` / ``f``, as
torch writes them) to a kernel on one of two GPU streams. Deterministic for a seed.
"""

from __future__ import annotations

import random
from typing import Any

OPS = [
    "aten::linear",
    "aten::addmm",
    "aten::relu",
    "aten::conv2d",
    "aten::mul",
    "aten::add",
    "aten::copy_",
    "aten::empty",
    "aten::view",
    "aten::sum",
    "aten::mm",
    "aten::softmax",
]


def make_trace(events: int, *, threads: int = 4, seed: int = 0) -> dict[str, Any]:
    """A ``{"traceEvents": [...]}`` document holding about ``events`` span events."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    per_thread = events // threads
    flow_id = 0
    stream_free = {7: 0.0, 8: 0.0}

    def node(tid: int, t: float, depth: int, limit: int) -> float:
        nonlocal flow_id
        at = len(out)
        out.append({})  # filled once the children are known
        cursor = t + rng.uniform(0.5, 2.0)
        if depth < limit:
            for _ in range(rng.randint(1, 3)):
                cursor = node(tid, cursor, depth + 1, limit) + rng.uniform(0.1, 1.0)
            name = OPS[rng.randrange(len(OPS))]
        else:
            cursor += rng.uniform(1.0, 15.0)
            name = "cudaLaunchKernel" if rng.random() < 0.3 else OPS[rng.randrange(len(OPS))]
        out[at] = {
            "ph": "X",
            "cat": "cpu_op",
            "name": name,
            "pid": 100,
            "tid": tid,
            "ts": round(t, 3),
            "dur": round(cursor - t, 3),
            "args": {"External id": at, "Record function id": depth},
        }
        if name == "cudaLaunchKernel":
            flow_id += 1
            stream = 7 + flow_id % 2
            start = max(stream_free[stream], cursor + 2.0)
            dur = rng.uniform(2.0, 30.0)
            stream_free[stream] = start + dur
            out.append(
                {
                    "ph": "X",
                    "cat": "kernel",
                    "name": f"volta_sgemm_{flow_id % 5}",
                    "pid": 0,
                    "tid": stream,
                    "ts": round(start, 3),
                    "dur": round(dur, 3),
                    "args": {"correlation": flow_id, "stream": stream},
                }
            )
            out.append(
                {
                    "ph": "s",
                    "id": flow_id,
                    "pid": 100,
                    "tid": tid,
                    "ts": round(t, 3),
                    "cat": "ac2g",
                    "name": "ac2g",
                }
            )
            out.append(
                {
                    "ph": "f",
                    "id": flow_id,
                    "pid": 0,
                    "tid": stream,
                    "ts": round(start, 3),
                    "cat": "ac2g",
                    "name": "ac2g",
                    "bp": "e",
                }
            )
        return cursor

    for thread in range(threads):
        tid = 1000 + thread
        t, step = 0.0, 0
        start_count = len(out)
        while len(out) - start_count < per_thread:
            at = len(out)
            out.append({})
            end = node(tid, t + 1.0, 1, rng.randint(5, 10))
            out[at] = {
                "ph": "X",
                "cat": "user_annotation",
                "name": f"ProfilerStep#{step}",
                "pid": 100,
                "tid": tid,
                "ts": round(t, 3),
                "dur": round(end + 1.0 - t, 3),
                "args": {},
            }
            t, step = end + rng.uniform(2.0, 10.0), step + 1
    meta = [
        {"ph": "M", "name": "process_name", "pid": 100, "tid": 0, "args": {"name": "python"}},
        {"ph": "M", "name": "process_name", "pid": 0, "tid": 0, "args": {"name": "GPU 0"}},
    ]
    for thread in range(threads):
        meta.append(
            {
                "ph": "M",
                "name": "thread_name",
                "pid": 100,
                "tid": 1000 + thread,
                "args": {"name": f"thread {thread}"},
            }
        )
    for stream in (7, 8):
        meta.append(
            {
                "ph": "M",
                "name": "thread_name",
                "pid": 0,
                "tid": stream,
                "args": {"name": f"stream {stream}"},
            }
        )
    return {"schemaVersion": 1, "traceEvents": meta + out}


def make_mixed_trace(events: int, *, threads: int = 4, seed: int = 0) -> dict[str, Any]:
    """Half ``make_trace``'s spans and flows, a quarter torch-style ``[memory]`` instants on the
    CPU threads and a quarter counter samples (``ph`` ``C``: a two-series GPU memory counter and
    a one-series queue depth), spread over the same time range and interleaved with the spans
    at random places (torch writes instants between spans; counters come from other tools)."""
    rng = random.Random(seed + 1)
    base = make_trace(events // 2, threads=threads, seed=seed)["traceEvents"]
    spans = [e for e in base if e["ph"] != "M"]
    meta = [e for e in base if e["ph"] == "M"]
    extent = max(e["ts"] + e.get("dur", 0.0) for e in spans)
    extras: list[dict[str, Any]] = []
    total = 0
    for ts in sorted(rng.uniform(0.0, extent) for _ in range(events // 4)):
        size = rng.choice((-1, 1)) * rng.randrange(64, 1 << 20, 64)
        total = max(0, total + size)
        extras.append(
            {
                "ph": "i",
                "cat": "cpu_instant_event",
                "s": "t",
                "name": "[memory]",
                "pid": 100,
                "tid": 1000 + rng.randrange(threads),
                "ts": round(ts, 3),
                "args": {
                    "Total Reserved": 0,
                    "Total Allocated": total,
                    "Bytes": size,
                    "Addr": rng.randrange(1 << 40),
                    "Device Id": -1,
                    "Device Type": 0,
                },
            }
        )
    allocated = 0.0
    for k, ts in enumerate(sorted(rng.uniform(0.0, extent) for _ in range(events // 4))):
        if k % 2 == 0:
            allocated = max(0.0, allocated + rng.uniform(-1.0, 1.0) * 2**24)
            args: dict[str, Any] = {"allocated": round(allocated), "reserved": 1 << 32}
            extras.append({"ph": "C", "name": "GPU memory", "pid": 0, "ts": round(ts, 3),
                           "args": args})  # fmt: skip
        else:
            extras.append({"ph": "C", "name": "queue depth", "pid": 100, "ts": round(ts, 3),
                           "args": {"depth": rng.randrange(16)}})  # fmt: skip
    places = sorted(rng.randrange(len(spans) + 1) for _ in extras)
    extras.sort(key=lambda e: e["ts"])
    merged: list[dict[str, Any]] = []
    last = 0
    for place, extra in zip(places, extras, strict=True):
        merged.extend(spans[last:place])
        merged.append(extra)
        last = place
    merged.extend(spans[last:])
    return {"schemaVersion": 1, "traceEvents": meta + merged}
