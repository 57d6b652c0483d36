"""Load test: concurrent clients poll the real ``heron serve`` while a real writer appends.

Usage:  .venv/bin/python bench/load_test.py [--seconds 30] [--clients 50] [--sse 3] [--repeat 1]

Bounded by construction: everything runs on 127.0.0.1 (a free port), for a fixed duration, in
a temporary directory that is removed afterwards; the server is stopped with SIGINT and must exit
with status 0.

What runs, in three processes:

* **writer** (a child process, as a training job is): one ``heron.SummaryWriter`` per run,
  ``--runs`` x ``--tags`` scalar series, first ``--initial-steps`` steps each (written before the
  server starts, so the server begins with a first ingest), then, for ``--seconds``, one run at a
  time in round robin: ``--points`` new steps of every tag of that run, ``flush()``, and the flush
  time printed for this process to match with the live stream. Each run is flushed every
  ``--flush-period`` seconds, so each tag grows by ``points / flush-period`` points a second.
* **server**: ``heron serve --logdir ... --reload_interval 1`` on a fresh index.
* **clients** (this process, asyncio + httpx, one connection each): ``--clients`` pollers, each
  looping over a weighted mix of the routes a dashboard and scripts call, with a random think
  time of 0 to ``2 * --think`` seconds between requests; plus ``--sse`` clients holding
  ``/api/v1/events`` open, as the browser's live stream does.

Reported: per route, requests, errors (any non-2xx answer or exception: must be 0), p50 / p99 /
max latency (request sent until the whole body is read and decoded), requests per second over
the polling window, and for the live stream the delay from a writer's ``flush()`` returning to
the ``event: data`` that names that run (per flush, the first such event on each SSE client).
With ``--repeat N`` the scenario runs N times from scratch and a table of per-cell medians
follows (errors are summed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HOST = "127.0.0.1"
#: Seconds the SSE clients stay open after the writer stops, to receive the last flushes.
SSE_GRACE = 5.0


# --- the writer child ---------------------------------------------------------------------------


def run_writer(options: argparse.Namespace) -> None:
    """The training job: initial steps, ``READY``, wait for ``GO``, then append and report flushes.

    Flush times are ``time.monotonic()``, which on Linux is one system-wide clock, so the parent
    can compare them with its own event arrival times.
    """
    from heron import SummaryWriter

    root = Path(options.writer)
    rng = random.Random(0)
    names = [f"run{index:02d}" for index in range(options.runs)]
    tags = [f"metric/{index}" for index in range(options.tags)]
    writers = {name: SummaryWriter(root / name, flush_secs=3600) for name in names}
    steps = dict.fromkeys(names, 0)
    for name, writer in writers.items():
        for step in range(options.initial_steps):
            for tag in tags:
                writer.add_scalar(tag, rng.random(), step)
        steps[name] = options.initial_steps
        writer.flush()
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "GO":
        return
    tick = options.flush_period / len(names)
    started = time.monotonic()
    turn = 0
    while time.monotonic() - started < options.seconds:
        name = names[turn % len(names)]
        writer = writers[name]
        for step in range(steps[name], steps[name] + options.points):
            for tag in tags:
                writer.add_scalar(tag, rng.random(), step)
        steps[name] += options.points
        writer.flush()
        print(json.dumps({"run": name, "t": time.monotonic()}), flush=True)
        turn += 1
        # Keep to the schedule rather than sleeping a fixed tick after slow flushes.
        time.sleep(max(0.0, started + turn * tick - time.monotonic()))
    for writer in writers.values():
        writer.close()
    print("DONE", flush=True)


# --- measurements -------------------------------------------------------------------------------


@dataclass
class RouteStats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def failed(self, why: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or why


@dataclass
class Result:
    """One scenario's figures: per route ``(requests, errors, p50, p99, max)`` and the rest."""

    routes: dict[str, tuple[float, ...]]
    requests_per_second: float
    sse_delays: list[float]
    sse_missed: int
    sse_resyncs: int
    sse_errors: int
    flushes: int
    points_written: int
    first_ingest_seconds: float
    server_exit: int
    first_errors: list[str]


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (``nan`` when empty)."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- the clients --------------------------------------------------------------------------------


def request_mix(runs: list[str], tags: list[str]) -> list[tuple[str, float, Callable[..., str]]]:
    """The routes polled, with weights: what an open scalars dashboard and a script ask for.

    Each entry builds a path from a random generator, so that clients spread over runs and tags.
    """

    def one_series(rng: random.Random) -> str:
        query = httpx.QueryParams({"run": rng.choice(runs), "tag": rng.choice(tags)})
        return f"/data/plugin/scalars/scalars?{query}"

    def batched(rng: random.Random) -> str:
        # One chart of one tag across five runs, downsampled as the UI asks.
        tag = rng.choice(tags)
        pairs = [("run", run) for run in rng.sample(runs, 5)]
        query = httpx.QueryParams(
            [item for run in pairs for item in (run, ("tag", tag))] + [("max_points", "1000")]
        )
        return f"/api/v1/scalars?{query}"

    return [
        ("/data/runs", 1.0, lambda rng: "/data/runs"),
        ("/data/plugin/scalars/tags", 1.0, lambda rng: "/data/plugin/scalars/tags"),
        ("/data/plugin/scalars/scalars", 3.0, one_series),
        ("/api/v1/scalars (5 series)", 3.0, batched),
        ("/api/v1/runs", 1.0, lambda rng: "/api/v1/runs?limit=100"),
        ("/api/v1/health", 1.0, lambda rng: "/api/v1/health"),
    ]


async def poller(
    base: str,
    seed: int,
    deadline: float,
    think: float,
    mix: list[tuple[str, float, Callable[..., str]]],
    stats: dict[str, RouteStats],
) -> None:
    """One dashboard: a request, a pause, another, until ``deadline``; in-flight ones finish."""
    rng = random.Random(seed)
    names = [name for name, _, _ in mix]
    weights = [weight for _, weight, _ in mix]
    builders = {name: build for name, _, build in mix}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:
        # Spread the first requests over one think time, as dashboards opened at different times.
        await asyncio.sleep(rng.uniform(0, 2 * think))
        while time.monotonic() < deadline:
            name = rng.choices(names, weights)[0]
            path = builders[name](rng)
            started = time.perf_counter()
            try:
                response = await client.get(path)
                elapsed = time.perf_counter() - started
                if 200 <= response.status_code < 300:
                    stats[name].latencies.append(elapsed)
                else:
                    stats[name].failed(f"{path}: {response.status_code} {response.text[:200]}")
            except httpx.HTTPError as error:
                stats[name].failed(f"{path}: {type(error).__name__}: {error}")
            await asyncio.sleep(rng.uniform(0, 2 * think))


@dataclass
class StreamLog:
    """What one SSE client saw: arrival time and runs named per ``data`` event."""

    events: list[tuple[float, set[str]]] = field(default_factory=list)
    resyncs: int = 0
    error: str = ""


async def sse_client(base: str, opened: asyncio.Event, log: StreamLog) -> None:
    """Holds ``/api/v1/events`` open like a browser's EventSource and timestamps each event."""
    timeout = httpx.Timeout(30.0, read=None)
    try:
        async with (
            httpx.AsyncClient(base_url=base, timeout=timeout) as client,
            client.stream("GET", "/api/v1/events") as response,
        ):
            if response.status_code != 200:
                log.error = f"status {response.status_code}"
                opened.set()
                return
            name, data = "", ""
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    data = line[len("data: ") :]
                elif not line and name:
                    arrived = time.monotonic()
                    if name == "hello":
                        opened.set()
                    elif name == "data":
                        log.events.append((arrived, set(json.loads(data).get("series", {}))))
                    elif name == "resync":
                        log.resyncs += 1
                    name, data = "", ""
    except asyncio.CancelledError:
        raise
    except (httpx.HTTPError, ValueError) as error:
        log.error = f"{type(error).__name__}: {error}"
        opened.set()


def stream_delays(flushes: list[tuple[str, float]], log: StreamLog) -> tuple[list[float], int]:
    """Per flush, the delay to the first later event naming its run; and how many never came.

    Each run is flushed only every ``--flush-period`` seconds (4 by default), so while delays
    stay below that, the first event after a flush that names the run is the one carrying it;
    beyond it, a delay is a lower bound (an event for the previous flush may be counted).
    """
    delays: list[float] = []
    missed = 0
    for run, flushed in flushes:
        arrival = next((t for t, runs in log.events if t >= flushed and run in runs), None)
        if arrival is None:
            missed += 1
        else:
            delays.append(arrival - flushed)
    return delays, missed


# --- one scenario -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


async def wait_ready(base: str, runs: int, timeout: float = 120.0) -> None:
    """Until the server lists every run and its first ingest pass has no backlog left."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base, timeout=5.0) as client:
        while True:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                listed = (await client.get("/data/runs")).json()
                health = (await client.get("/api/v1/health")).json()
                if len(listed) == runs and health["backlog_bytes"] == 0 and health["files"]:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("the server did not finish its first ingest in time")
            await asyncio.sleep(0.2)


async def scenario(options: argparse.Namespace, workdir: Path) -> Result:
    logdir = workdir / "logs"
    runs = [f"run{index:02d}" for index in range(options.runs)]
    tags = [f"metric/{index}" for index in range(options.tags)]
    writer = await asyncio.create_subprocess_exec(
        *(sys.executable, __file__, "--writer", str(logdir), "--runs", str(options.runs)),
        *("--tags", str(options.tags), "--initial-steps", str(options.initial_steps)),
        *("--points", str(options.points), "--flush-period", str(options.flush_period)),
        *("--seconds", str(options.seconds)),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert writer.stdin is not None
    assert writer.stdout is not None
    server: subprocess.Popen[bytes] | None = None
    try:
        if (await writer.stdout.readline()).strip() != b"READY":
            raise RuntimeError("the writer failed before writing its initial steps")
        port = free_port()
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "heron", "serve", "--logdir", str(logdir)),
                *("--host", HOST, "--port", str(port), "--reload_interval", "1"),
                *("--db", str(workdir / "index.sqlite")),
            ],
            stderr=subprocess.DEVNULL,
        )
        base = f"http://{HOST}:{port}"
        started = time.monotonic()
        await wait_ready(base, options.runs)
        first_ingest = time.monotonic() - started

        logs = [StreamLog() for _ in range(options.sse)]
        opened = [asyncio.Event() for _ in logs]
        streams = [
            asyncio.create_task(sse_client(base, event, log))
            for event, log in zip(opened, logs, strict=True)
        ]
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in opened)), 30)

        writer.stdin.write(b"GO\n")
        await writer.stdin.drain()
        window_start = time.monotonic()
        deadline = window_start + options.seconds
        mix = request_mix(runs, tags)
        stats = {name: RouteStats() for name, _, _ in mix}
        flushes: list[tuple[str, float]] = []

        async def read_flushes() -> None:
            assert writer.stdout is not None
            async for line in writer.stdout:
                if line.strip() == b"DONE":
                    return
                record = json.loads(line)
                flushes.append((record["run"], record["t"]))

        flush_reader = asyncio.create_task(read_flushes())
        await asyncio.gather(
            *(
                poller(base, seed, deadline, options.think, mix, stats)
                for seed in range(options.clients)
            )
        )
        window = time.monotonic() - window_start
        await asyncio.wait_for(flush_reader, 60)
        last_flush = max((t for _, t in flushes), default=time.monotonic())
        await asyncio.sleep(max(0.0, last_flush + SSE_GRACE - time.monotonic()))
        for task in streams:
            task.cancel()
        await asyncio.gather(*streams, return_exceptions=True)
        if await writer.wait() != 0:
            raise RuntimeError("the writer failed")

        server.send_signal(signal.SIGINT)
        server_exit = server.wait(timeout=30)
    finally:
        if writer.returncode is None:
            writer.kill()
            await writer.wait()
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()

    routes: dict[str, tuple[float, ...]] = {}
    first_errors = []
    for name, route in stats.items():
        ordered = sorted(route.latencies)
        routes[name] = (
            len(ordered) + route.errors,
            route.errors,
            percentile(ordered, 50) * 1000,
            percentile(ordered, 99) * 1000,
            (ordered[-1] if ordered else float("nan")) * 1000,
        )
        if route.first_error:
            first_errors.append(route.first_error)
    delays: list[float] = []
    missed = 0
    for log in logs:
        found, lost = stream_delays(flushes, log)
        delays.extend(found)
        missed += lost
        if log.error:
            first_errors.append(f"/api/v1/events: {log.error}")
    total = sum(int(row[0]) for row in routes.values())
    return Result(
        routes=routes,
        requests_per_second=total / window,
        sse_delays=sorted(delays),
        sse_missed=missed,
        sse_resyncs=sum(log.resyncs for log in logs),
        sse_errors=sum(1 for log in logs if log.error),
        flushes=len(flushes),
        points_written=len(flushes) * options.points * options.tags,
        first_ingest_seconds=first_ingest,
        server_exit=server_exit,
        first_errors=first_errors,
    )


# --- output -------------------------------------------------------------------------------------


def table(routes: dict[str, tuple[float, ...]], rps: float, delays: tuple[float, float]) -> str:
    lines = [
        f"{'route':<30} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}",
        "-" * 75,
    ]
    for name, (count, errors, p50, p99, worst) in routes.items():
        lines.append(
            f"{name:<30} {count:>9,.0f} {errors:>7.0f} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f}"
        )
    total = sum(row[0] for row in routes.values())
    errors = sum(row[1] for row in routes.values())
    lines.append("-" * 75)
    lines.append(
        f"{'all polling routes':<30} {total:>9,.0f} {errors:>7.0f}   {rps:,.1f} requests/s"
    )
    lines.append(
        f"{'/api/v1/events (flush->event)':<30} {'':>9} {'':>7} "
        f"{delays[0] * 1000:>8.0f} {delays[1] * 1000:>8.0f}"
    )
    return "\n".join(lines)


def describe(result: Result) -> str:
    delays = (percentile(result.sse_delays, 50), percentile(result.sse_delays, 99))
    notes = [
        table(result.routes, result.requests_per_second, delays),
        f"live stream: {len(result.sse_delays)} flush->event delays measured, "
        f"{result.sse_missed} flushes never announced, {result.sse_resyncs} resyncs, "
        f"{result.sse_errors} stream errors; writer: {result.flushes} flushes, "
        f"{result.points_written:,} points appended",
        f"first ingest until ready: {result.first_ingest_seconds:.1f} s; "
        f"server exit status after SIGINT: {result.server_exit}",
    ]
    notes.extend(f"first error: {error}" for error in result.first_errors)
    return "\n".join(notes)


def median_table(results: list[Result]) -> str:
    routes: dict[str, tuple[float, ...]] = {}
    for name in results[0].routes:
        rows = [result.routes[name] for result in results]
        routes[name] = (
            statistics.median(row[0] for row in rows),
            sum(row[1] for row in rows),
            *(statistics.median(row[index] for row in rows) for index in (2, 3, 4)),
        )
    rps = statistics.median(result.requests_per_second for result in results)
    delays = (
        statistics.median(percentile(result.sse_delays, 50) for result in results),
        statistics.median(percentile(result.sse_delays, 99) for result in results),
    )
    return table(routes, rps, delays)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="polling window (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="polling clients (default 50)")
    parser.add_argument("--sse", type=int, default=3, help="open /api/v1/events streams")
    parser.add_argument("--think", type=float, default=0.1, help="mean pause between requests")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tags", type=int, default=5)
    parser.add_argument("--initial-steps", type=int, default=1000)
    parser.add_argument("--points", type=int, default=10, help="steps per tag per flush")
    parser.add_argument(
        "--flush-period", type=float, default=4.0, help="seconds between flushes of one run"
    )
    parser.add_argument("--repeat", type=int, default=1, help="scenarios from scratch (medians)")
    parser.add_argument("--writer", metavar="LOGDIR", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.writer:
        run_writer(options)
        return 0
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load}; "
        f"{options.clients} clients (think 0-{2 * options.think:.2f} s) + {options.sse} SSE, "
        f"{options.seconds:.0f} s; {options.runs} runs x {options.tags} tags, "
        f"{options.initial_steps} initial steps, +{options.points} steps per tag every "
        f"{options.flush_period:g} s per run",
        flush=True,
    )
    results = []
    for attempt in range(options.repeat):
        with tempfile.TemporaryDirectory(prefix="heron-load-") as workdir:
            result = asyncio.run(scenario(options, Path(workdir)))
        results.append(result)
        print(f"\nrun {attempt + 1} of {options.repeat}", flush=True)
        print(describe(result), flush=True)
    if len(results) > 1:
        print(f"\nmedians of {len(results)} runs (errors summed)")
        print(median_table(results))
    failed = any(
        result.server_exit != 0
        or result.sse_errors
        or any(row[1] for row in result.routes.values())
        for result in results
    )
    if failed:
        print("\nFAILED: errors, a broken stream, or a non-zero server exit (see above)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
