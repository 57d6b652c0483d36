"""heron export: every scalar of a logdir, streamed to CSV, JSON, JSON Lines or Parquet."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

import heron as heron_api
from heron.cli.export import format_for

from ._ingest_helpers import write_mixed_logdir


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "logs"
    write_mixed_logdir(path, runs=2, steps=300)
    return path


@pytest.fixture(scope="module")
def points(logdir, tmp_path_factory):
    """How many visible scalar points the read API sees."""
    with heron_api.open(logdir, db=tmp_path_factory.mktemp("count") / "i.sqlite") as experiment:
        return sum(len(p) for _, p in experiment.iter_scalars())


def heron(*args):
    return subprocess.run(
        [sys.executable, "-m", "heron", *args], capture_output=True, text=True, timeout=120
    )


def _export(logdir, tmp_path, name, *extra):
    out = tmp_path / name
    result = heron(
        "export", "--logdir", str(logdir), "--db", str(tmp_path / "i.sqlite"), *extra, str(out)
    )
    assert result.returncode == 0, result.stderr
    return out, result


def test_csv_has_one_row_per_point_with_non_finite_values_spelled_out(logdir, tmp_path, points):
    out, result = _export(logdir, tmp_path, "scalars.csv")
    with out.open() as stream:
        rows = list(csv.DictReader(stream))
    assert f"Wrote {len(rows):,} scalar points" in result.stderr
    assert set(rows[0]) == {"run", "tag", "step", "wall_time", "value"}
    assert len(rows) == points > 4000
    assert "nan" in {row["value"] for row in rows if row["tag"] == "loss"}


def test_json_is_one_valid_array_and_jsonl_one_object_per_line(logdir, tmp_path, points):
    out, _ = _export(logdir, tmp_path, "scalars.json")
    rows = json.loads(out.read_text())
    assert len(rows) == points
    assert any(row["value"] == "NaN" for row in rows)
    out, _ = _export(logdir, tmp_path, "scalars.txt", "--format", "jsonl")
    lines = out.read_text().splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_parquet_holds_the_same_rows(logdir, tmp_path, points):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out, _ = _export(logdir, tmp_path, "scalars.parquet")
    frame = pandas.read_parquet(out)
    assert list(frame.columns) == ["run", "tag", "step", "wall_time", "value"]
    assert len(frame) == points
    assert str(frame["step"].dtype) == "int64"


def test_standard_output_is_a_target(logdir, tmp_path):
    result = heron(
        "export",
        "--logdir",
        str(logdir),
        "--db",
        str(tmp_path / "i.sqlite"),
        "--format",
        "csv",
        "-",
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "run,tag,step,wall_time,value"


def test_a_missing_logdir_is_an_error(tmp_path):
    result = heron("export", "--logdir", str(tmp_path / "nope"), str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert "not a directory" in result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", "csv"),
        ("a.JSON", "json"),
        ("a.ndjson", "jsonl"),
        ("a.pq", "parquet"),
        ("a", "csv"),
    ],
)
def test_the_format_follows_the_file_extension(name, expected):
    assert format_for(name) == expected
