"""The live stream end to end: a real writer appends, the real `heron` command pushes it.

The client is a plain HTTP connection reading ``/api/v1/events`` as a browser's
EventSource would. The test measures the time from the writer's flush to the
event naming the run and tag: with the default ``--reload_interval`` of 5 s,
the quick passes over runs being written to must bring it under 2.5 s.
"""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import time

from heron import SummaryWriter

from .test_server_command import _free_port, _poll


def _read_event(response: http.client.HTTPResponse) -> tuple[str, dict[str, object]]:
    """The next named event (comments and ``retry:`` lines skipped)."""
    name, data = "", ""
    while True:
        line = response.readline().decode()
        if not line:
            raise EOFError("the stream ended")
        line = line.rstrip("\n")
        if line.startswith("event: "):
            name = line[len("event: ") :]
        elif line.startswith("data: "):
            data = line[len("data: ") :]
        elif not line and name:
            return name, json.loads(data)


def test_a_new_point_is_pushed_within_seconds_and_ctrl_c_still_stops(tmp_path):
    root = tmp_path / "logs"
    writer = SummaryWriter(root / "live", flush_secs=0.1)
    writer.add_scalar("loss", 1.0, 0)
    writer.flush()
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "heron", "--logdir", str(root), "--port", str(port)),
            *("--db", str(tmp_path / "index.sqlite")),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    connection = http.client.HTTPConnection("localhost", port, timeout=20)
    try:
        deadline = time.monotonic() + 30
        while _poll(f"http://localhost:{port}/data/runs") != ["live"]:
            assert time.monotonic() < deadline, "the run was never indexed"
            time.sleep(0.1)
        connection.request("GET", "/api/v1/events")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type", "").startswith("text/event-stream")
        assert _read_event(response) == ("hello", {})

        writer.add_scalar("acc", 0.5, 1)
        writer.flush()
        written = time.monotonic()
        name, data = _read_event(response)
        latency = time.monotonic() - written
        assert name == "data"
        assert data["series"] == {"live": ["acc"]}
        assert latency < 2.5, f"pushed after {latency:.2f} s"

        # Ctrl-C with the stream still open: the server must not wait for it forever.
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        writer.close()
        connection.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
