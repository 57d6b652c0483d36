"""Ingest and read: Heron's index beside TensorBoard's Rust data server, on the same logdirs.

Usage:  .venv/bin/python bench/ingest.py [--quick] [--workloads scalars,nested,media] [--repeat N]
        .venv/bin/python bench/ingest.py --against OTHER/src [--workloads ...] [--repeat N]

Logdirs are generated once into ``bench/.data/`` (git-ignored) and reused:

* ``scalars``: 100 runs x 10 tags x 5,000 steps = 5,000,000 points (~230 MB), one legacy
  ``simple_value`` per event, as ``torch.utils.tensorboard`` writes them;
* ``nested``: 5,000 runs three directories deep x 4 tags x 50 steps = 1,000,000 points;
* ``media``: 20 runs x 50 steps of a 100 KB image and a scalar (~100 MB).

For each logdir (the three Heron timings are repeated ``--repeat`` times and printed as
``median (min-max)``: the machine is usually shared):

* **Heron cold**: a fresh process runs ``heron.open(logdir, db=<new index>)``; the time is from
  starting the process until ``heron.open`` returned (every point indexed, CRCs verified, and
  readable), peak RSS from the child's ``getrusage``;
* **Heron warm**: a fresh process reopens the index with ``heron.open`` (which also looks for
  new bytes before returning) and reads the first chart (one scalar series downsampled to 1,000
  points);
* **first chart, heron serve**: ``heron serve`` started on that index, until ``/api/v1/scalars``
  has answered the first chart (the server answers from the index; its look for new bytes
  starts a second later);
* **TB Python** (``--tb-python-timeout``, default 120 s): TensorBoard's ``EventMultiplexer``
  loading the logdir, as TensorBoard did before its Rust server (and still does with
  ``--load_fast=false``); time and peak RSS, or "stopped" past the timeout;
* **TB Rust**: TensorBoard's data server (``tensorboard-data-server``) with ``--logdir DIR
  --reload once -v``: its own "Finished load cycle" time and its peak RSS (VmHWM). It keeps
  1,000 scalars per tag and checks CRCs only when a record fails to parse.

``--against OTHER/src`` times only the three Heron columns, this tree against another Heron
(an earlier commit's ``src/``), alternating runs so that the machine's load hits both alike.

Then reads (median of 5), on indexes built directly through the store: one series of 1,000,000
points downsampled to 1,000 buckets, and 1,000 runs x one tag (5,000 points each) downsampled to
1,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data" / "ingest"
DATA_FORMAT = 1

COLD = """
import sys, time, json, resource
import heron
experiment = heron.open(sys.argv[1], db=sys.argv[2], progress=False)
stats = experiment._ingester.stats.last_pass
print(json.dumps({"points": stats.points, "bytes": stats.bytes_read,
                  "pass_seconds": stats.seconds}), flush=True)
print("READY", flush=True)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
experiment.close()
print(json.dumps({"rss_mib": rss / 1024}), flush=True)
"""
WARM = """
import sys, time
started = time.perf_counter()
import heron
experiment = heron.open(sys.argv[1], db=sys.argv[2], progress=False)
first = experiment.series(plugin="scalars")[0]
experiment.provider.read_scalars([first.key], max_points=1000)
print("READY", flush=True)
experiment.close()
"""


def _record(step: int, wall: float, value: object) -> bytes:
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.proto.summary_pb2 import Summary
    from heron.formats.tfrecord import encode_record

    event = Event(wall_time=wall, step=step, summary=Summary(value=[value]))  # type: ignore[list-item]
    return encode_record(event.SerializeToString())


def _write_file(directory: Path, records: list[bytes], timestamp: int = 1_700_000_000) -> None:
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.tfrecord import encode_record

    directory.mkdir(parents=True, exist_ok=True)
    first = encode_record(
        Event(wall_time=timestamp, file_version="brain.Event:2").SerializeToString()
    )
    (directory / f"events.out.tfevents.{timestamp}.bench.1.0").write_bytes(
        first + b"".join(records)
    )


def _scalar_run(directory: Path, tags: int, steps: int, rng: random.Random) -> None:
    from heron.formats.proto.summary_pb2 import Summary

    names = [f"metric/{t}" for t in range(tags)]
    records = [
        _record(
            step, 1_700_000_000 + step * 0.1, Summary.Value(tag=name, simple_value=rng.random())
        )
        for step in range(steps)
        for name in names
    ]
    _write_file(directory, records)


def generate(name: str, quick: bool) -> Path:
    scale = 10 if quick else 1
    root = DATA_DIR / f"{name}-v{DATA_FORMAT}{'-quick' if quick else ''}"
    if (root / ".complete").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(0)
    started = time.perf_counter()
    if name == "scalars":
        for run in range(100 // scale):
            _scalar_run(root / f"run{run:03d}", 10, 5000, rng)
    elif name == "nested":
        for run in range(5000 // scale):
            _scalar_run(
                root / f"sweep{run // 500}" / f"trial{run // 50}" / f"seed{run}", 4, 50, rng
            )
    elif name == "media":
        from heron.formats.proto.summary_pb2 import Summary

        for run in range(20 // scale):
            records = []
            for step in range(50):
                image = Summary.Image(
                    height=100, width=100, colorspace=3, encoded_image_string=rng.randbytes(100_000)
                )
                records.append(
                    _record(step, 1_700_000_000 + step, Summary.Value(tag="sample", image=image))
                )
                records.append(
                    _record(
                        step,
                        1_700_000_000 + step,
                        Summary.Value(tag="loss", simple_value=rng.random()),
                    )
                )
            _write_file(root / f"run{run:02d}", records)
    else:
        raise SystemExit(f"unknown workload {name}")
    (root / ".complete").write_text("")
    print(f"generated {name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return root


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("events.out.tfevents.*"))


def heron_cold(logdir: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", COLD, str(logdir), f"{scratch}/index.sqlite"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        stats = json.loads(child.stdout.readline())
        assert child.stdout.readline().strip() == "READY"
        seconds = time.perf_counter() - started
        rss = json.loads(child.stdout.readline())["rss_mib"]
        child.wait()
        warm = heron_warm(logdir, f"{scratch}/index.sqlite")
        served = heron_serve_first_chart(logdir, f"{scratch}/index.sqlite")
    return {
        "seconds": seconds,
        "rss_mib": rss,
        "warm_seconds": warm,
        "serve_seconds": served,
        **stats,
    }


def heron_serve_first_chart(logdir: Path, db: str) -> float:
    """Seconds from starting ``heron serve`` on an indexed logdir to the first chart's data.

    What a user waits for after a restart: the server answers from the index at
    once while its background pass looks for new bytes.
    """
    import re
    import urllib.parse
    import urllib.request

    started = time.perf_counter()
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "heron", "serve", "--logdir", str(logdir)),
            *("--db", db, "--port", "0", "--reload_interval", "0"),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    try:
        port = None
        for line in child.stderr:
            found = re.search(r"http://[^:]+:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        assert port is not None, "heron serve printed no URL"
        base = f"http://localhost:{port}"
        with urllib.request.urlopen(f"{base}/api/v1/runs?limit=1") as response:
            run = json.loads(response.read())["runs"][0]["name"]
        with urllib.request.urlopen(f"{base}/data/plugin/scalars/tags") as response:
            tag = sorted(json.loads(response.read())[run])[0]
        query = urllib.parse.urlencode({"run": run, "tag": tag, "max_points": 1000})
        with urllib.request.urlopen(f"{base}/api/v1/scalars?{query}") as response:
            assert json.loads(response.read())["series"][0]["steps"]
        return time.perf_counter() - started
    finally:
        child.terminate()
        child.wait()


def heron_warm(logdir: Path, db: str) -> float:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", WARM, str(logdir), db], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "READY"
    seconds = time.perf_counter() - started
    child.wait()
    return seconds


TB_PYTHON = """
import os, resource, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
started = time.perf_counter()
from tensorboard.backend.event_processing import plugin_event_multiplexer
multiplexer = plugin_event_multiplexer.EventMultiplexer()
multiplexer.AddRunsFromDirectory(sys.argv[1])
multiplexer.Reload()
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds} {rss}", flush=True)
"""


def tb_python_loader(logdir: Path, timeout: float) -> dict[str, float] | None:
    """TensorBoard's Python loader (EventMultiplexer, the pre-Rust default) over the logdir.

    It keeps TensorBoard's default samples per tag; ``None`` when TensorBoard is
    missing or the load outlives ``timeout`` (it needs about ten minutes and 1.5 GB
    for the 5M-point logdir).
    """
    try:
        result = subprocess.run(
            [sys.executable, "-c", TB_PYTHON, str(logdir)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": float("inf"), "rss_mib": float("nan")}
    if result.returncode != 0:
        return None
    seconds, rss = (float(part) for part in result.stdout.split())
    return {"seconds": seconds, "rss_mib": rss}


def rust_loader(logdir: Path) -> dict[str, float] | None:
    try:
        import tensorboard_data_server
    except ImportError:
        return None
    binary = tensorboard_data_server.server_binary()
    if binary is None:
        return None
    started = time.perf_counter()
    child = subprocess.Popen(
        [binary, "--logdir", str(logdir), "--reload", "once", "-v", "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert child.stderr is not None
    try:
        for line in child.stderr:
            if "Finished load cycle" in line:
                seconds = time.perf_counter() - started
                own = line.rsplit("(", 1)[-1].split(")")[0]
                hwm = _vm_hwm(child.pid)
                return {"seconds": seconds, "reported": _parse_duration(own), "rss_mib": hwm}
    finally:
        child.kill()
        child.wait()
    return None


def _parse_duration(text: str) -> float:
    text = text.strip()
    for unit, factor in (("ms", 1e-3), ("µs", 1e-6), ("s", 1.0)):
        if text.endswith(unit):
            try:
                return float(text[: -len(unit)]) * factor
            except ValueError:
                return float("nan")
    return float("nan")


def _vm_hwm(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def reads(quick: bool) -> dict[str, float]:
    import numpy as np

    from heron.core.values import DataClass, SeriesKey
    from heron.storage import CommitBatch, NewRun, NewSeries, ScalarColumns, open_store

    rng = np.random.default_rng(0)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(f"sqlite:{scratch}/reads.sqlite", experiment=scratch)
        count = 100_000 if quick else 1_000_000
        steps = np.arange(count, dtype=np.int64)
        store.commit(
            CommitBatch(
                runs=(NewRun(1, "long"),),
                series=(NewSeries(1, 1, "loss", "scalars", DataClass.SCALAR),),
                scalars=(
                    ScalarColumns(
                        np.ones(count, np.int64),
                        steps,
                        steps * 0.1 + 1.7e9,
                        np.float32(rng.random(count)).astype(np.float64),
                    ),
                ),
            )
        )
        runs = 100 if quick else 1000
        for run in range(runs):
            run_id = series_id = run + 2
            steps = np.arange(5000, dtype=np.int64)
            store.commit(
                CommitBatch(
                    runs=(NewRun(run_id, f"run{run:04d}"),),
                    series=(NewSeries(series_id, run_id, "loss", "scalars", DataClass.SCALAR),),
                    scalars=(
                        ScalarColumns(
                            np.full(5000, series_id, np.int64),
                            steps,
                            steps + 1.7e9,
                            np.float32(rng.random(5000)).astype(np.float64),
                        ),
                    ),
                )
            )
        reader = store.reader()
        long_key = [SeriesKey("long", "loss")]
        wide_keys = [SeriesKey(f"run{run:04d}", "loss") for run in range(runs)]
        results["long_ms"] = _median(lambda: reader.read_scalars(long_key, max_points=1000)) * 1e3
        results["wide_ms"] = _median(lambda: reader.read_scalars(wide_keys, max_points=1000)) * 1e3
        from heron.server.api_v1 import scalar_columns  # what /api/v1/scalars?buckets= answers

        results["buckets_ms"] = (
            _median(lambda: scalar_columns(reader, long_key, buckets=1000)) * 1e3
        )
        results["long_points"] = count
        results["wide_runs"] = runs
        store.close()
    return results


def _tb_python_cells(logdir: Path, timeout: float) -> str:
    if timeout <= 0:
        return "skipped | |"
    found = tb_python_loader(logdir, timeout)
    if found is None:
        return "n/a | |"
    if found["seconds"] == float("inf"):
        return f"> {timeout:.0f} (stopped) | |"
    return f"{found['seconds']:.2f} | {found['rss_mib']:.0f} |"


def _spread(runs: list[dict[str, float]], key: str) -> str:
    """``median (min-max)`` of one column over the repeated runs: the machine is shared."""
    values = [r[key] for r in runs]
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def _median(call, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def compare(src: str, workloads: list[str], repeat: int, quick: bool) -> None:
    """Before (``src``) and after (this tree), alternating: before, after, after, before, ..."""
    print(f"before: {src}; after: {BENCH_DIR.parent / 'src'}; {repeat} runs each, alternating")
    print()
    print("| logdir | Heron cold (s) | Heron warm (s) | first chart, heron serve (s) |")
    print("|---|---|---|---|")
    for name in workloads:
        logdir = generate(name, quick)
        runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        for index in range(repeat):
            for which in ("before", "after") if index % 2 == 0 else ("after", "before"):
                saved = os.environ.get("PYTHONPATH")
                if which == "before":
                    os.environ["PYTHONPATH"] = src
                else:
                    os.environ.pop("PYTHONPATH", None)
                try:
                    runs[which].append(heron_cold(logdir))
                finally:
                    if saved is None:
                        os.environ.pop("PYTHONPATH", None)
                    else:
                        os.environ["PYTHONPATH"] = saved
        cells = [
            f"{_spread(runs['before'], key)} -> {_spread(runs['after'], key)}"
            for key in ("seconds", "warm_seconds", "serve_seconds")
        ]
        print(f"| {name} | {' | '.join(cells)} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="logdirs 10x smaller")
    parser.add_argument("--workloads", default="scalars,nested,media")
    parser.add_argument("--repeat", type=int, default=3, help="cold ingests per logdir (median)")
    parser.add_argument(
        "--tb-python-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="also time TensorBoard's Python loader, giving up after this long (0: skip it)",
    )
    parser.add_argument(
        "--against",
        metavar="SRC",
        help="instead: time Heron cold / warm / serve against the Heron whose src/ is SRC (e.g. "
        "a `git archive` of an earlier commit, with the compiled scanner copied in), "
        "interleaved run by run so that the machine's load hits both alike",
    )
    options = parser.parse_args()
    if options.against:
        compare(options.against, options.workloads.split(","), options.repeat, options.quick)
        return
    from heron.formats.scan import NATIVE

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, native scanner: {NATIVE}")
    print()
    print(
        "| logdir | size | Heron cold (s) | points/s | Heron RSS (MiB) | Heron warm (s) "
        "| first chart, heron serve (s) | TB Rust load (s) | TB Rust RSS (MiB) | cold ratio "
        "| TB Python load (s) | TB Python RSS (MiB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in options.workloads.split(","):
        logdir = generate(name, options.quick)
        runs = [heron_cold(logdir) for _ in range(options.repeat)]
        cold = statistics.median(r["seconds"] for r in runs)
        best = min(runs, key=lambda r: r["seconds"])
        rust = rust_loader(logdir)
        rust_seconds = rust["seconds"] if rust else float("nan")
        print(
            f"| {name} | {_size(logdir) / 1e6:,.0f} MB | {_spread(runs, 'seconds')} | "
            f"{best['points'] / best['pass_seconds']:,.0f} | {best['rss_mib']:.0f} | "
            f"{_spread(runs, 'warm_seconds')} | "
            f"{_spread(runs, 'serve_seconds')} | "
            f"{rust_seconds:.2f} | {rust['rss_mib'] if rust else float('nan'):.0f} | "
            f"{rust_seconds / cold:.2f}x | {_tb_python_cells(logdir, options.tb_python_timeout)}",
            flush=True,
        )
    print()
    read = reads(options.quick)
    print(f"read: 1 series x {read['long_points']:,.0f} points -> 1,000: {read['long_ms']:.1f} ms")
    wide = f"{read['wide_runs']:,.0f} runs x 1 tag (5,000 points)"
    print(f"read: {wide} -> 1,000: {read['wide_ms']:.0f} ms")
    long = f"1 series x {read['long_points']:,.0f} points"
    print(
        f"read: {long} -> 1,000 buckets (min/max/mean/count, as JSON-ready columns): "
        f"{read['buckets_ms']:.1f} ms"
    )


if __name__ == "__main__":
    main()
