"""``heron export``: every scalar of a logdir to CSV, JSON, JSON Lines or Parquet, streamed.

Series are read one at a time from the index (every point, restarts
resolved), so memory stays bounded by the largest series, not the logdir.
Non-finite values are written as TensorBoard's JSON does (``"NaN"``,
``"Infinity"``, ``"-Infinity"``) in JSON, and as ``nan`` / ``inf`` / ``-inf``
in CSV.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import json
import math
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # the parser imports FORMATS; keep that import light
    from heron.core.values import ScalarPoints, SeriesKey
    from heron.experiment import Experiment

__all__ = ["FORMATS", "export_scalars", "format_for"]

FORMATS: Final = ("csv", "json", "jsonl", "parquet")
_ALIASES: Final = {"pq": "parquet", "ndjson": "jsonl"}
COLUMNS: Final = ("run", "tag", "step", "wall_time", "value")
_ROW_GROUP: Final = 1 << 20
_PYARROW_HINT: Final = "--format parquet needs pyarrow: pip install 'heron[parquet]'"


def format_for(output: str) -> str:
    """The format named by ``output``'s extension (``.csv``, ``.json``, ...), else csv."""
    extension = os.path.splitext(output)[1].lstrip(".").lower()
    extension = _ALIASES.get(extension, extension)
    return extension if extension in FORMATS else "csv"


def export_scalars(experiment: Experiment, output: str, format: str) -> int:
    """Write every scalar point to ``output`` (``-``: stdout); return the number of rows."""
    series = experiment.iter_scalars()
    if format == "parquet":
        return _parquet(series, output)
    with _open_text(output) as stream:
        if format == "csv":
            return _csv(series, stream)
        if format == "jsonl":
            return _json_lines(series, stream)
        return _json_array(series, stream)


@contextlib.contextmanager
def _open_text(output: str) -> Iterator[IO[str]]:
    if output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        yield stream


def _csv(series: Iterator[tuple[SeriesKey, ScalarPoints]], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = 0
    for key, points in series:
        writer.writerows(
            (key.run, key.tag, step, repr(wall), repr(value))
            for step, wall, value in zip(
                points.steps.tolist(),
                points.wall_times.tolist(),
                points.values.tolist(),
                strict=True,
            )
        )
        rows += len(points)
    return rows


def _json_value(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"


def _objects(series: Iterator[tuple[SeriesKey, ScalarPoints]]) -> Iterator[str]:
    for key, points in series:
        for step, wall, value in zip(
            points.steps.tolist(), points.wall_times.tolist(), points.values.tolist(), strict=True
        ):
            yield json.dumps(
                {
                    "run": key.run,
                    "tag": key.tag,
                    "step": step,
                    "wall_time": wall,
                    "value": _json_value(value),
                }
            )


def _json_lines(series: Iterator[tuple[SeriesKey, ScalarPoints]], stream: IO[str]) -> int:
    rows = 0
    for line in _objects(series):
        stream.write(line + "\n")
        rows += 1
    return rows


def _json_array(series: Iterator[tuple[SeriesKey, ScalarPoints]], stream: IO[str]) -> int:
    rows = 0
    stream.write("[")
    for line in _objects(series):
        stream.write(("\n" if rows == 0 else ",\n") + line)
        rows += 1
    stream.write("\n]\n")
    return rows


def _parquet(series: Iterator[tuple[SeriesKey, ScalarPoints]], output: str) -> int:
    try:
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError as error:
        raise ImportError(_PYARROW_HINT) from error
    schema = pa.schema(
        [
            ("run", pa.string()),
            ("tag", pa.string()),
            ("step", pa.int64()),
            ("wall_time", pa.float64()),
            ("value", pa.float64()),
        ]
    )
    rows = 0
    pending: list[Any] = []
    pending_rows = 0
    target: Any = sys.stdout.buffer if output == "-" else output
    with pq.ParquetWriter(target, schema) as writer:
        for key, points in series:
            count = len(points)
            pending.append(
                pa.table(
                    {
                        "run": pa.array([key.run] * count, pa.string()),
                        "tag": pa.array([key.tag] * count, pa.string()),
                        "step": points.steps,
                        "wall_time": points.wall_times,
                        "value": points.values,
                    },
                    schema=schema,
                )
            )
            pending_rows += count
            rows += count
            if pending_rows >= _ROW_GROUP:  # few large row groups, bounded memory
                writer.write_table(pa.concat_tables(pending))
                pending, pending_rows = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending))
    return rows
