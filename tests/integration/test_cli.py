"""The `heron` command, run as a user runs it."""

import subprocess
import sys
from pathlib import Path

from heron.formats.events import EventFileWriter
from heron.formats.proto.event_pb2 import Event
from heron.formats.summaries.scalars import scalar


def heron(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "heron", *args], capture_output=True, text=True, timeout=120
    )


def test_version_is_printed():
    result = heron("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("heron ")


def test_demo_writes_six_runs_and_prints_their_digest(tmp_path):
    result = heron("demo", "--logdir", str(tmp_path), "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "6 runs" in result.stdout
    runs = sorted(p.name for p in tmp_path.iterdir())
    assert len(runs) == 6
    assert "lr=0.1,hidden=32" in runs
    for kind in ("scalars", "histograms", "images", "text", "audio", "pr_curves", "hparams"):
        assert f"  {kind} " in result.stdout


def test_demo_replaces_its_runs_when_run_twice(tmp_path):
    heron("demo", "--logdir", str(tmp_path), "--no-serve")
    result = heron("demo", "--logdir", str(tmp_path), "--no-serve")
    assert result.returncode == 0
    for run in tmp_path.iterdir():
        assert len([f for f in run.iterdir() if "tfevents" in f.name]) == 1


def _write_run(run_dir: Path, steps: range) -> Path:
    with EventFileWriter(run_dir) as writer:
        for step in steps:
            event = Event(wall_time=1.0 + step, step=step)
            event.summary.value.append(scalar("loss", 1.0 / (step + 1)))
            writer.write_event(event)
    return Path(writer.path)


def test_inspect_reports_damage_and_keeps_reading(tmp_path):
    healthy = _write_run(tmp_path / "healthy", range(5))
    damaged = _write_run(tmp_path / "damaged", range(5))
    data = bytearray(damaged.read_bytes())
    data[-6] ^= 0xFF  # inside the last record's payload
    damaged.write_bytes(bytes(data) + b"\x10\x00")  # and a half-written record after it
    assert healthy.exists()

    result = heron("inspect", "--logdir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "2 runs" in result.stdout
    assert "payload checksum mismatch" in result.stdout
    assert "incomplete last record (2 bytes" in result.stdout
    healthy_section = result.stdout.split("run healthy")[1]
    assert "5 points  steps 0..4  last 0.2" in healthy_section


def test_inspect_follows_symlink_loops_without_hanging(tmp_path):
    _write_run(tmp_path / "run", range(2))
    (tmp_path / "run" / "loop").symlink_to(tmp_path)
    result = heron("inspect", "--logdir", str(tmp_path))
    assert result.returncode == 0
    assert ": 1 run," in result.stdout


def test_inspect_of_a_missing_logdir_is_a_clear_error(tmp_path):
    result = heron("inspect", "--logdir", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
