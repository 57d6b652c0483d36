"""The real `heron --logdir` command: serves on a free port, stops cleanly on SIGINT / SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from heron import SummaryWriter


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _poll(url: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("command") / "logs"
    with SummaryWriter(root / "run1") as writer:
        for step in range(100):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
    return root


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_heron_logdir_serves_runs_and_stops_cleanly(logdir, tmp_path, stop_signal):
    port = _free_port()
    command = [sys.executable, "-m", "heron", "--logdir", str(logdir), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--db", str(tmp_path / "index.sqlite"), "--reload_interval", "1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        runs = _poll(f"http://localhost:{port}/data/runs")
        while runs != ["run1"] and time.monotonic() < deadline:
            time.sleep(0.1)
            runs = _poll(f"http://localhost:{port}/data/runs")
        assert runs == ["run1"]
        points = _poll(f"http://localhost:{port}/data/plugin/scalars/scalars?run=run1&tag=loss")
        assert len(points) == 100
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert f"http://localhost:{port}/" in stderr
    assert "--bind_all" in stderr
    assert "stopped; the index is saved" in stderr
    assert "Traceback" not in stderr


def test_taken_port_moves_to_the_next_and_says_so(logdir, tmp_path):
    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "heron", "--logdir", str(logdir), "--port", str(port)),
                *("--db", str(tmp_path / "index.sqlite"), "--reload_interval", "0"),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stderr is not None
            line = process.stderr.readline()
            assert f"port {port} is in use" in line
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 0


def test_missing_logdir_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "heron", "--logdir", str(tmp_path / "nope"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "is not a directory" in result.stderr


def test_heron_demo_writes_the_runs_then_serves_them(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "heron", "demo", "--logdir", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        runs = _poll(f"http://localhost:{port}/data/runs", timeout=60)
        while len(runs) < 6 and time.monotonic() < deadline:
            time.sleep(0.2)
            runs = _poll(f"http://localhost:{port}/data/runs")
        assert "lr=0.1,hidden=32" in runs
        listing = _poll(f"http://localhost:{port}/data/plugins_listing")
        for plugin in ("scalars", "images", "audio", "histograms", "text"):
            assert listing[plugin]["enabled"], plugin
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Wrote 6 demo runs" in stdout
    assert f"http://localhost:{port}/" in stderr
