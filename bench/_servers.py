"""Starting ``heron serve`` and ``tensorboard`` for the browser benchmarks, and waiting for them.

The UI benchmarks time a page against both servers on the same logdir in one run; what they
share is how a server is started (a child process, its output in a log file, stopped when the
benchmark leaves the ``with``), the flags that make the comparison fair, and polling a route
until the server has loaded what the page will show. Each benchmark says what "loaded" means.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
#: Flags that keep Chromium from doing background work of its own while a page is timed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, timeout: float = 30) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def wait_until(
    predicate: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    process: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> float:
    """Poll ``predicate`` until it holds; seconds waited. A server that exits is an error.

    Connection errors and half-loaded answers (a missing key, a short list) count as "not
    yet": a server answers before it has read everything."""
    started = time.monotonic()
    while True:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{what}: the server exited" + (f"; see {log}" if log else ""))
        with contextlib.suppress(
            urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError
        ):
            if predicate():
                return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.3)


@contextlib.contextmanager
def process(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` with its output in ``log``; terminate it (then kill) on the way out."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    with log.open("wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            yield child
        finally:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@contextlib.contextmanager
def serve(
    command: Callable[[int], list[str]],
    log: Path,
    ready: Callable[[str], bool],
    *,
    what: str,
    timeout: float,
) -> Iterator[tuple[str, float]]:
    """``command(port)`` on a free port until ``ready(base_url)``: (base URL, seconds waited).

    The server runs until the ``with`` ends (see ``process``); ``wait_until`` says what
    counts as "not ready yet"."""
    port = free_port()
    with process(command(port), log) as child:
        base = f"http://localhost:{port}/"
        waited = wait_until(lambda: ready(base), timeout=timeout, what=what, process=child, log=log)
        yield base, waited


def heron_command(logdir: Path, port: int, *, db: Path | None = None) -> list[str]:
    heron = VENV_BIN / "heron"
    command = [str(heron)] if heron.exists() else [sys.executable, "-m", "heron"]
    command += ["serve", "--logdir", str(logdir), "--port", str(port)]
    if db is not None:
        command += ["--db", str(db)]
    return command


def tensorboard_command(logdir: Path, port: int) -> list[str]:
    """TensorBoard from this venv with its defaults (the Rust data server loads the logdir).

    ``--bind_all=false`` is refused by its argparse (a store_true flag); ``--host localhost``
    is what not binding all interfaces means, and it matches ``heron serve``'s default."""
    command = [str(VENV_BIN / "tensorboard"), "--logdir", str(logdir)]
    return [*command, "--port", str(port), "--host", "localhost"]
