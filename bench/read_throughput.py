"""Read throughput: Heron's event-file read path beside TensorBoard's, on the same files.

Usage:  .venv/bin/python bench/read_throughput.py [--quick] [--repeat N]

Two workloads are generated once into ``bench/.data/`` (git-ignored) and reused:

* ``scalars``: ~2,000,000 small events, one legacy ``simple_value`` each over a
  handful of tags, the way ``torch.utils.tensorboard`` writes ``add_scalar``;
* ``media``: a few hundred legacy ``image`` events of 100-500 KB random blobs.

Every reader is timed ``--repeat`` times on each file and the median is
reported. Heron's readers run in this process; TensorBoard's run in two child
processes (one with TensorFlow, one forced onto TensorBoard's pure-Python stub),
kept alive and driven round by round, so that importing TensorFlow never
touches the Heron measurements while changes in machine load hit every reader
alike. TensorBoard's slowest readers read a prefix of a file (the table says
how many records): a workload's records are uniform, so a prefix gives the same
steady-state rate.

See ``bench/README.md`` for what each row means and the latest figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data"
# Bump when the generated files change shape, so stale caches are rebuilt.
DATA_FORMAT = 1
RESULT_MARKER = "BENCH-RESULT "
TAGS = ("train/loss", "train/accuracy", "train/learning_rate", "train/grad_norm", "eval/loss")


@dataclass(frozen=True)
class Workload:
    name: str
    events: int
    # Record caps for the readers too slow to read a whole file in a few seconds.
    caps: dict[str, int]


def workloads(quick: bool) -> list[Workload]:
    if quick:
        return [
            Workload(
                "scalars",
                100_000,
                {"tb-loader-tf": 5_000, "tb-loader-notf": 2_000, "tb-raw-notf": 5_000},
            ),
            Workload("media", 30, {"tb-loader-notf": 4, "tb-raw-notf": 4}),
        ]
    return [
        Workload(
            "scalars",
            2_000_000,
            {"tb-loader-tf": 60_000, "tb-loader-notf": 20_000, "tb-raw-notf": 60_000},
        ),
        Workload("media", 300, {"tb-loader-notf": 15, "tb-raw-notf": 15}),
    ]


# --- data --------------------------------------------------------------------------------------


def _file_version_record() -> bytes:
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.tfrecord import encode_record

    first = Event(wall_time=1_700_000_000.0, file_version="brain.Event:2")
    first.source_metadata.writer = "heron-bench"
    return encode_record(first.SerializeToString())


def write_scalar_file(path: Path, count: int) -> None:
    """``count`` events: one ``simple_value`` each, cycling over TAGS, one step per cycle."""
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.tfrecord import encode_record

    rng = random.Random(20240901)
    event = Event()
    value = event.summary.value.add()
    with path.open("wb") as stream:
        stream.write(_file_version_record())
        batch: list[bytes] = []
        for i in range(count - 1):
            step, tag_index = divmod(i, len(TAGS))
            event.wall_time = 1_700_000_000.0 + i * 0.01
            event.step = step
            value.tag = TAGS[tag_index]
            value.simple_value = rng.gauss(1.0, 0.5)
            batch.append(encode_record(event.SerializeToString()))
            if len(batch) == 10_000:
                stream.write(b"".join(batch))
                batch.clear()
        stream.write(b"".join(batch))


def write_media_file(path: Path, count: int) -> None:
    """``count`` legacy image events with 100-500 KB incompressible "PNG" blobs."""
    from heron.formats.proto.event_pb2 import Event
    from heron.formats.proto.summary_pb2 import Summary
    from heron.formats.tfrecord import encode_record

    rng = random.Random(20240902)
    with path.open("wb") as stream:
        stream.write(_file_version_record())
        for i in range(count - 1):
            size = rng.randint(100_000, 500_000)
            blob = b"\x89PNG\r\n\x1a\n" + rng.randbytes(size - 8)
            event = Event(wall_time=1_700_000_000.0 + i, step=i)
            image = Summary.Image(height=256, width=256, colorspace=3, encoded_image_string=blob)
            event.summary.value.add(tag=f"samples/{i % 4}", image=image)
            stream.write(encode_record(event.SerializeToString()))


def ensure_file(workload: Workload) -> Path:
    """The workload's event file, generated on first use and cached with a description."""
    folder = DATA_DIR / f"{workload.name}-{workload.events}"
    path = folder / "events.out.tfevents.1700000000.bench.0.0"
    description = {"format": DATA_FORMAT, "events": workload.events}
    sidecar = folder / "description.json"
    if path.exists() and sidecar.exists() and json.loads(sidecar.read_text()) == description:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    log(f"generating {workload.name} ({workload.events:,} events) in {folder} ...")
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    writer = write_scalar_file if workload.name == "scalars" else write_media_file
    writer(partial, workload.events)
    os.replace(partial, path)
    sidecar.write_text(json.dumps(description))
    log(f"  {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
    return path


def bytes_of_first(path: Path, records: int) -> int:
    """How many bytes the first ``records`` records of ``path`` take."""
    from heron.formats.tfrecord import RecordReader

    if records <= 0:
        return 0
    reader = RecordReader(path)
    for seen, _ in enumerate(reader, start=1):
        if seen >= records:
            break
    return reader.offset


# --- the readers measured in this process --------------------------------------------------------


def floor_cat(path: Path, limit: int | None) -> int:
    """The physical floor: the bytes alone, from the page cache, by ``cat``."""
    subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)
    return -1


def heron_records(path: Path, limit: int | None) -> int:
    from heron.formats.tfrecord import RecordReader

    count = 0
    for _ in RecordReader(path):
        count += 1
        if count == limit:
            break
    return count


def heron_events(path: Path, limit: int | None) -> int:
    from heron.formats.events import EventReader

    count = 0
    for _ in EventReader(path):
        count += 1
        if count == limit:
            break
    return count


def heron_normalised(path: Path, limit: int | None) -> int:
    from heron.formats.compat import RunNormalizer
    from heron.formats.events import EventReader

    normalize = RunNormalizer().normalize
    count = 0
    for _, event in EventReader(path):
        normalize(event)
        count += 1
        if count == limit:
            break
    return count


IN_PROCESS: dict[str, Callable[[Path, int | None], int]] = {
    "floor": floor_cat,
    "heron-records": heron_records,
    "heron-events": heron_events,
    "heron-normalised": heron_normalised,
}

LABELS = {
    "floor": "floor: cat file > /dev/null",
    "heron-records": "Heron RecordReader",
    "heron-events": "Heron EventReader",
    "heron-normalised": "Heron EventReader + RunNormalizer",
    "tb-loader-tf": "TB EventFileLoader (TF)",
    "tb-raw-tf": "TB RawEventFileLoader (TF)",
    "tb-loader-notf": "TB EventFileLoader (no TF)",
    "tb-raw-notf": "TB RawEventFileLoader (no TF)",
}


# --- TensorBoard, in child processes ---------------------------------------------------------


def child_main(mode: str) -> None:
    """Serve timing rounds of TensorBoard's loaders over stdin/stdout (runs in its own process).

    The first stdin line is the JSON list of jobs; the child answers with a
    description of itself, then with one result line per ``run`` line.
    """
    jobs: list[dict[str, Any]] = json.loads(sys.stdin.readline())
    if mode == "notf":
        # TensorBoard picks its pure-Python TensorFlow stub when the module
        # ``tensorboard.compat.notf`` imports. That module is a Bazel-only
        # target (//tensorboard/compat:no_tensorflow) that the pip package does
        # not ship, so an empty module stands in for it.
        sys.modules["tensorboard.compat.notf"] = types.ModuleType("tensorboard.compat.notf")
    import tensorboard
    from tensorboard.backend.event_processing import event_file_loader
    from tensorboard.compat import tf

    tf_version = str(tf.__version__)
    loaders = {
        "tb-loader": event_file_loader.EventFileLoader,
        "tb-raw": event_file_loader.RawEventFileLoader,
    }
    probe = loaders["tb-raw"](jobs[0]["path"])._iterator
    hello = {
        "tensorboard": tensorboard.__version__,
        "tf": tf_version,
        "iterator": f"{type(probe).__module__}.{type(probe).__name__}",
    }
    print(RESULT_MARKER + json.dumps(hello), flush=True)
    for command in sys.stdin:
        if command.strip() != "run":
            break
        results = {}
        for job in jobs:
            cls = loaders[job["reader"].rsplit("-", 1)[0]]
            limit = job["limit"]
            started = time.perf_counter()
            count = 0
            for _ in cls(job["path"]).Load():
                count += 1
                if count == limit:
                    break
            results[f"{job['workload']}/{job['reader']}"] = [time.perf_counter() - started, count]
        answer = {"results": results, "tensorflow_imported": "tensorflow" in sys.modules}
        print(RESULT_MARKER + json.dumps(answer), flush=True)


class Child:
    """A TensorBoard child process, kept alive so that its rounds interleave with Heron's."""

    def __init__(self, mode: str, jobs: list[dict[str, Any]]) -> None:
        self.mode = mode
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by close()
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--child", mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore"),
        )
        self._send(json.dumps(jobs))
        self.hello = self._receive()
        if (self.hello["tf"] == "stub") != (mode == "notf"):
            raise SystemExit(f"{mode} child: TensorBoard's tf is {self.hello['tf']!r}")

    def run_round(self) -> dict[str, list[float]]:
        self._send("run")
        answer = self._receive()
        if self.mode == "notf" and answer["tensorflow_imported"]:
            raise SystemExit("the no-TF child imported TensorFlow: the stub was not forced")
        results: dict[str, list[float]] = answer["results"]
        return results

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=60)
        self._stderr.close()

    def _send(self, line: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()

    def _receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith(RESULT_MARKER):
                answer: dict[str, Any] = json.loads(line[len(RESULT_MARKER) :])
                return answer
        self._stderr.seek(0)
        raise SystemExit(f"TensorBoard child ({self.mode}) failed:\n{self._stderr.read()}")


# --- measuring and reporting -------------------------------------------------------------------


@dataclass
class Row:
    workload: str
    reader: str
    records: int
    nbytes: int
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def records_per_second(self) -> float:
        return self.records / self.median

    @property
    def megabytes_per_second(self) -> float:
        return self.nbytes / self.median / 1e6

    @property
    def spread(self) -> str:
        if len(self.seconds) < 2:
            return "-"
        low, high = min(self.seconds), max(self.seconds)
        return f"±{(high - low) / 2 / self.median * 100:.0f}%"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fmt_rate(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.2f} M"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k"
    return f"{value:.0f}"


def report(rows: list[Row], children: dict[str, dict[str, Any]], repeat: int) -> None:
    print()
    print(f"Read throughput — medians of {repeat} run(s); spread = half the min-max range")
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"tensorboard {children['tf']['tensorboard']}, tensorflow {children['tf']['tf']}"
    )
    print(f"TB record iterator with TF:    {children['tf']['iterator']}")
    print(f"TB record iterator without TF: {children['notf']['iterator']}")
    header = (
        f"{'workload':<9} {'reader':<36} {'records':>10} {'records/s':>10} {'MB/s':>8} "
        f"{'spread':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        rate = fmt_rate(row.records_per_second)
        print(
            f"{row.workload:<9} {LABELS[row.reader]:<36} {row.records:>10,} {rate:>10} "
            f"{row.megabytes_per_second:>8.0f} {row.spread:>7}"
        )
    print()
    by_key = {(row.workload, row.reader): row for row in rows}
    comparisons = [
        (
            "heron-normalised",
            "tb-loader-tf",
            "Heron normalised vs TB EventFileLoader (TF)  [headline]",
        ),
        ("heron-normalised", "tb-loader-notf", "Heron normalised vs TB EventFileLoader (no TF)"),
        ("heron-records", "tb-raw-tf", "Heron RecordReader vs TB RawEventFileLoader (TF)"),
        ("heron-records", "tb-raw-notf", "Heron RecordReader vs TB RawEventFileLoader (no TF)"),
        ("heron-records", "floor", "Heron RecordReader vs the floor (MB/s)"),
    ]
    workload_names = list(dict.fromkeys(row.workload for row in rows))
    print(f"{'ratio (records/s)':<58}" + "".join(f"{name:>10}" for name in workload_names))
    for ours, theirs, label in comparisons:
        cells = []
        for name in workload_names:
            a, b = by_key.get((name, ours)), by_key.get((name, theirs))
            if a is None or b is None:
                cells.append(f"{'-':>10}")
            elif theirs == "floor":
                cells.append(f"{a.megabytes_per_second / b.megabytes_per_second:>9.2f}x")
            else:
                cells.append(f"{a.records_per_second / b.records_per_second:>9.1f}x")
        print(f"{label:<58}" + "".join(cells))
    scalar_ratio = (
        by_key[("scalars", "heron-normalised")].records_per_second
        / by_key[("scalars", "tb-loader-tf")].records_per_second
    )
    verdict = "met" if scalar_ratio >= 3 else "NOT met"
    print(
        f"\nHeadline goal: Heron normalised >= 3x TB EventFileLoader (TF) on scalars: "
        f"{scalar_ratio:.1f}x, {verdict}. (media is bound by copying bytes; see bench/README.md)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small files, 1 repetition (smoke)")
    parser.add_argument(
        "--repeat", type=int, help="repetitions per reader (default 5; 1 if --quick)"
    )
    parser.add_argument("--child", choices=["tf", "notf"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child)
        return
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    if repeat < 1:
        parser.error("--repeat must be >= 1")

    started = time.perf_counter()
    plans: list[tuple[Workload, Path, int]] = []
    jobs: dict[str, list[dict[str, Any]]] = {"tf": [], "notf": []}
    for workload in workloads(args.quick):
        path = ensure_file(workload)
        total = heron_records(path, None)
        plans.append((workload, path, total))
        for mode, kind in itertools.product(("tf", "notf"), ("tb-loader", "tb-raw")):
            reader = f"{kind}-{mode}"
            jobs[mode].append(
                {
                    "workload": workload.name,
                    "reader": reader,
                    "path": str(path),
                    "limit": workload.caps.get(reader),
                }
            )
    log("starting TensorBoard child processes (importing TensorFlow takes a while) ...")
    children = {mode: Child(mode, mode_jobs) for mode, mode_jobs in jobs.items()}
    for _, path, _ in plans:
        subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)  # warm the cache

    # One round runs every reader once. Rounds rotate which group goes first, and
    # every group runs in every round, so that changes in machine load over the
    # minutes of a run hit Heron and TensorBoard alike.
    timings: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = {}

    def run_heron() -> None:
        for workload, path, total in plans:
            for name, reader in IN_PROCESS.items():
                begun = time.perf_counter()
                count = reader(path, None)
                timings[f"{workload.name}/{name}"].append(time.perf_counter() - begun)
                if count not in (-1, total):
                    raise SystemExit(f"{name} read {count} of {total} {workload.name} records")
                counts[f"{workload.name}/{name}"] = total

    def runner(child: Child) -> Callable[[], None]:
        def run() -> None:
            for key, (seconds, count) in child.run_round().items():
                timings[key].append(seconds)
                counts[key] = int(count)

        return run

    groups = [run_heron, runner(children["tf"]), runner(children["notf"])]
    for round_index in range(repeat):
        log(f"round {round_index + 1}/{repeat} ...")
        shift = round_index % len(groups)
        for group in groups[shift:] + groups[:shift]:
            group()
    for child in children.values():
        child.close()

    rows = []
    for workload, path, total in plans:
        for reader in LABELS:
            key = f"{workload.name}/{reader}"
            count = counts[key]
            if workload.caps.get(reader) is None and count != total:
                log(f"warning: {key} read {count} records, Heron read {total}")
            nbytes = path.stat().st_size if count == total else bytes_of_first(path, count)
            rows.append(Row(workload.name, reader, count, nbytes, timings[key]))
    report(rows, {mode: child.hello for mode, child in children.items()}, repeat)
    log(f"\ntotal time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
