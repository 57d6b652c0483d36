"""A logdir with every kind of data ingest handles, and a full dump of an index to compare."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy as np

from heron.core.provider import ReadProvider
from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.hparams import session_end, session_start
from heron.formats.summaries.images import image
from heron.formats.summaries.scalars import legacy_scalar, scalar
from heron.formats.summaries.text import text
from heron.formats.tfrecord import encode_record


def _record(step: int, wall: float, *values: Summary.Value) -> bytes:
    event = Event(step=step, wall_time=wall, summary=Summary(value=list(values)))
    return encode_record(event.SerializeToString())


def _file(directory: Path, timestamp: int, records: list[bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"events.out.tfevents.{timestamp}.host.1.0"
    first = Event(wall_time=timestamp, file_version="brain.Event:2").SerializeToString()
    path.write_bytes(encode_record(first) + b"".join(records))
    return path


def write_mixed_logdir(root: Path, *, runs: int = 6, steps: int = 3000, seed: int = 0) -> None:
    """Runs with restarts (two files each), several scalar tags, text, images, hparams,
    NaNs, and one corrupt record."""
    rng = random.Random(seed)
    for run in range(runs):
        directory = root / f"group{run % 2}" / f"run{run}"
        start = 1_700_000_000 + run * 10_000
        for attempt, (first, last) in enumerate(((0, steps), (steps * 2 // 3, steps + 500))):
            records = []
            if attempt == 0:
                records.append(_record(0, start, session_start({"lr": 10.0**-run, "seed": run})))
            for step in range(first, last):
                wall = start + attempt * 5000 + step * 0.5
                loss = math.nan if step % 997 == 0 else rng.random()
                records.append(
                    _record(step, wall, legacy_scalar("loss", loss), legacy_scalar("acc", step))
                )
                records.append(_record(step, wall, scalar("lr", 0.1 / (1 + step))))
                if step % 100 == 0:
                    records.append(_record(step, wall, text("notes", f"{run}/{attempt}/{step}")))
                if step % 500 == 0:
                    pixels = rng.randbytes(2000)
                    records.append(
                        _record(step, wall, image("sample", [pixels], width=2, height=1))
                    )
            if attempt == 1:
                records.append(_record(last, start + 9000, session_end("success")))
            path = _file(directory, start + attempt * 5000, records)
            if run == 1 and attempt == 0:
                _corrupt(path, len(path.read_bytes()) // 2)


def append_scalars(path: Path, tag: str, steps: range) -> None:
    """Append legacy scalar records (as a training process would), values derived from steps."""
    with open(path, "ab") as stream:
        stream.write(
            b"".join(
                _record(step, 1_800_000_000 + step, legacy_scalar(tag, step / 7)) for step in steps
            )
        )


def _corrupt(path: Path, near: int) -> None:
    """Flip a payload byte of the record around ``near`` (found by walking the framing)."""
    data = bytearray(path.read_bytes())
    offset = 0
    while offset < near:
        length = int.from_bytes(data[offset : offset + 8], "little")
        offset += 12 + length + 4
    data[offset + 14] ^= 0xFF
    path.write_bytes(bytes(data))


def dump(provider: ReadProvider) -> dict[str, Any]:
    """Everything a reader can see, with blob bytes instead of (random) blob keys."""
    series = provider.list_series()
    scalar_keys = [s.key for s in series if s.data_class.name == "SCALAR"]
    tensor_keys = [s.key for s in series if s.data_class.name == "TENSOR"]
    blob_keys = [s.key for s in series if s.data_class.name == "BLOB_SEQUENCE"]
    scalars = provider.read_scalars(scalar_keys, include_hidden=True)
    visible = provider.read_scalars(scalar_keys)
    return {
        "runs": [(r.name, r.start_time) for r in provider.list_runs()],
        "series": [repr(s) for s in series],
        "scalars": {
            key: (p.steps.tolist(), p.wall_times.tolist(), _floats(p.values))
            for key, p in scalars.items()
        },
        "visible": {key: p.steps.tolist() for key, p in visible.items()},
        "tensors": {
            key: [(p.step, p.wall_time, p.value.tolist()) for p in points]
            for key, points in provider.read_tensors(tensor_keys).items()
        },
        "blobs": {
            key: [
                (p.step, p.wall_time, [provider.read_blob(b.key) for b in p.blobs]) for p in points
            ]
            for key, points in provider.read_blob_sequences(blob_keys).items()
        },
        "summaries": [repr(_nan_safe(s)) for s in provider.run_summaries()],
        "files": [
            (f.run, f.path, f.size, f.offset, f.records, f.corrupt_records, f.error)
            for f in provider.health().files
        ],
    }


def _floats(values: np.ndarray) -> list[Any]:
    return ["nan" if math.isnan(v) else v for v in values.tolist()]


def _nan_safe(summary: Any) -> Any:
    return repr(summary).replace("nan", "NaN")
