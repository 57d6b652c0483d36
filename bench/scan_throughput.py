"""Throughput of the record scanner on a scalar-heavy event file.

Generates (once, cached in bench/.data/) one event file of N scalar records shaped like the
issue's cold-ingest logdir — 10 tags, one scalar per event, ~47 bytes per record: half legacy
``simple_value`` (PyTorch, tensorboardX), half TF2 rank-0 float tensors, metadata on each tag's
first value — then times, as the median of several runs:

* ``native``: ``scan_file`` with the compiled scanner, residuals through the slow path;
* ``python``: the same with the pure-Python scanner (on the first records only: it is slow);
* ``EventReader``: heron's record + protobuf reader alone, and with ``RunNormalizer`` and
  point extraction (the slow path the scanner replaces);
* ``native, 2 threads``: two files scanned at once from two threads (the GIL is released).

    .venv/bin/python bench/scan_throughput.py [--records 4000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import threading
import time
from pathlib import Path

from heron.formats import _scan_python, scan
from heron.formats.compat import RunNormalizer
from heron.formats.events import EventReader
from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import DATA_CLASS_SCALAR
from heron.formats.tensors import scalar_value
from heron.formats.tfrecord import encode_record

DATA = Path(__file__).parent / ".data" / "scan"
TAGS = [f"train/metric_{i}" for i in range(10)]


def _varint(number: int) -> bytes:
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _delimited(field: int, body: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(body)) + body


def generate(path: Path, records: int) -> None:
    """Write ``records`` scalar events (plus the file_version record) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = _delimited(9, _delimited(1, _delimited(1, b"scalars")) + b"\x20\x01")
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        first = Event(wall_time=1.7e9, file_version="brain.Event:2").SerializeToString()
        out.write(encode_record(first))
        parts = []
        for i in range(records):
            step, index = divmod(i, len(TAGS))
            tag = _delimited(1, TAGS[index].encode())
            number = struct.pack("<f", (step % 1000) / 1000.0)
            if index % 2:  # legacy simple_value
                value = tag + b"\x15" + number
            else:  # TF2: rank-0 DT_FLOAT tensor
                value = tag + _delimited(
                    8, b"\x08\x01" + _delimited(2, b"") + _delimited(5, number)
                )
            if step == 0:
                value += metadata
            payload = (
                b"\x09"
                + struct.pack("<d", 1.7e9 + step * 0.01)
                + b"\x10"
                + _varint(step)
                + _delimited(5, _delimited(1, value))
            )
            parts.append(encode_record(payload))
            if len(parts) == 100_000:
                out.write(b"".join(parts))
                parts.clear()
        out.write(b"".join(parts))
    os.replace(tmp, path)


def event_file(records: int) -> Path:
    path = DATA / f"scalars-{records}.tfevents"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate(path, records)
    return path


def _slow_points(normalizer: RunNormalizer, event: Event) -> int:
    normalizer.normalize(event)
    points = 0
    for value in event.summary.value:
        metadata = normalizer.metadata(value.tag)
        if metadata is not None and metadata.data_class == DATA_CLASS_SCALAR:
            scalar_value(value.tensor)
            points += 1
    return points


def ingest_scan(path: Path, scanner: scan._Scanner) -> int:
    """Every point of ``path``: the scanner, residuals through the slow path."""
    tags: dict[bytes, int] = {}
    normalizer = RunNormalizer()
    points = 0
    for batch in scan._scan_file(
        scanner, str(path), tags, 0, scan.DEFAULT_CHUNK_SIZE, scan.DEFAULT_MAX_POINTS
    ):
        points += len(batch)
        if batch.residual is not None:
            points += _slow_points(normalizer, Event.FromString(batch.residual[1]))
            for tag in normalizer.tags:
                metadata = normalizer.metadata(tag)
                if metadata is not None and metadata.data_class == DATA_CLASS_SCALAR:
                    tags.setdefault(tag.encode(), len(tags))
    return points


def ingest_event_reader(path: Path) -> int:
    normalizer = RunNormalizer()
    return sum(_slow_points(normalizer, event) for _, event in EventReader(path))


def read_events(path: Path) -> int:
    return sum(1 for _ in EventReader(path))


def _time(function, runs: int) -> tuple[float, float]:
    """(median, best) wall-clock seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=4_000_000)
    parser.add_argument("--python-records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    big = event_file(options.records)
    small = event_file(options.python_records)
    native = None
    try:
        from heron.formats import _scan

        native = _scan.scan
    except ImportError:
        print("the native scanner is not built: run `python hatch_build.py`")

    print(f"median of {options.runs} runs (best in brackets); CRCs verified everywhere")
    print(f"{'path':<40}{'records':>8}{'seconds':>16}{'records/s':>24}{'MB/s':>12}")

    def report(name: str, path: Path, records: int, times: tuple[float, float], copies=1):
        size = path.stat().st_size * copies / 1e6
        count = records * copies
        (median, best), label = times, f"{count / 1e6:g}M"
        print(
            f"{name:<40}{label:>8}{median:>9.3f} ({best:.3f})"
            f"{count / median:>13,.0f} ({count / best:,.0f})"
            f"{size / median:>6.0f} ({size / best:.0f})"
        )

    if native is not None:
        ingest_scan(big, native)  # warm the page cache
        assert ingest_scan(big, native) == options.records
        times = _time(lambda: ingest_scan(big, native), options.runs)
        report("scan_file, native", big, options.records, times)
        twin = big.with_name(big.stem + "-copy.tfevents")
        if not twin.exists():
            twin.hardlink_to(big)

        def two_threads() -> None:
            threads = [
                threading.Thread(target=ingest_scan, args=(file, native)) for file in (big, twin)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        times = _time(two_threads, options.runs)
        report("scan_file, native, 2 files in 2 threads", big, options.records, times, copies=2)
    python_runs = max(1, options.runs // 2)
    assert ingest_scan(small, _scan_python.scan) == options.python_records
    times = _time(lambda: ingest_scan(small, _scan_python.scan), python_runs)
    report("scan_file, pure Python", small, options.python_records, times)
    times = _time(lambda: read_events(small), python_runs)
    report("EventReader (parse only)", small, options.python_records, times)
    times = _time(lambda: ingest_event_reader(small), python_runs)
    report("EventReader + RunNormalizer + points", small, options.python_records, times)


if __name__ == "__main__":
    main()
