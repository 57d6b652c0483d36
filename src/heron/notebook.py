"""Heron in Jupyter: ``%load_ext heron``, ``%heron --logdir logs``, ``display()``, ``list()``.

A notebook kernel must not host the server itself (a restarted kernel would
take the dashboard down, and the index allows one writer), so ``%heron``
starts ``heron serve`` as a separate process, as TensorBoard's notebook
support does, and remembers it in an *instance info file*: a small JSON file
in a per-user folder of the temp dir (``$HERON_NOTEBOOK_DIR`` overrides it),
named by a hash of the arguments and the working directory. Any notebook that
runs ``%heron`` with the same arguments in the same directory finds that file,
checks that the process still answers on its port, and reuses it instead of
starting a second server on the same logdir. Stale files (dead process) are
removed when seen. Two kernels that run the same ``%heron`` at once must not
both start a server: "look for an instance, start one, write its info file"
runs under an exclusive ``flock`` on ``<key>.lock`` in the same folder, so the
second waits for the first and then finds its instance (on systems without
``fcntl`` the start is unlocked).

``display()`` embeds the dashboard as an iframe when the shell is a notebook
kernel (Jupyter, JupyterLab, VS Code) and prints the URL elsewhere. Behind
JupyterHub or a remote kernel, the browser cannot reach ``localhost:<port>``
of the kernel's machine: set ``HERON_PROXY_URL`` to a template such as
``/proxy/{port}/`` (jupyter-server-proxy) and the iframe points there.

This module imports nothing of Heron's server layers; it talks to the server
only through its command line and its port.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import getpass
import hashlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Instance", "display", "list", "load_ipython_extension", "start", "stop"]

#: A URL template with ``{port}``, for notebooks whose browser reaches the kernel through a proxy.
PROXY_URL_ENV = "HERON_PROXY_URL"
#: Where instance info files live (default: ``<tempdir>/.heron-info-<user>``).
INFO_DIR_ENV = "HERON_NOTEBOOK_DIR"

#: How much longer than a start's own timeout a second start waits for the first's lock.
LOCK_MARGIN_S = 30.0

_BANNER = re.compile(r"Heron serving .* at (\S+) \(press CTRL\+C to quit\)")

#: Servers this process started, by pid: kept so that they are not reported as leaked when a
#: ``Popen`` is collected, and so that one that exited is reaped rather than left a zombie.
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True, slots=True)
class Instance:
    """A ``heron serve`` process started from a notebook, as its info file describes it."""

    pid: int
    port: int
    #: The URL the server printed (with its ``--path_prefix``).
    url: str
    #: The arguments given to ``%heron`` / ``start``, and the directory they were relative to.
    args: tuple[str, ...]
    cwd: str
    started: float
    #: Where the server's output goes (its errors, if it stops).
    log_file: str

    @property
    def key(self) -> str:
        return _key(self.args, self.cwd)


def _info_dir() -> Path:
    configured = os.environ.get(INFO_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f".heron-info-{getpass.getuser()}"


def _key(args: Sequence[str], cwd: str) -> str:
    return hashlib.sha256(json.dumps([cwd, builtins.list(args)]).encode()).hexdigest()[:16]


def _answers(port: int) -> bool:
    """Whether something accepts connections on the port (a dead server's pid may be reused)."""
    with contextlib.suppress(OSError), socket.create_connection(("localhost", port), timeout=1):
        return True
    return False


def _alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    if os.name == "nt":
        return True  # signal 0 is CTRL_C_EVENT on Windows: leave it to the port check
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, though not ours
    return True


def _read_info(path: Path) -> Instance | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Instance(**{**data, "args": tuple(data["args"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def list() -> builtins.list[Instance]:
    """The running instances started from notebooks, oldest first; stale info files are removed.

    (Named as TensorBoard's ``notebook.list``; it shadows the builtin only inside this module.)
    """
    found: builtins.list[Instance] = []
    folder = _info_dir()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        instance = _read_info(path)
        if instance is None or not _alive(instance.pid) or not _answers(instance.port):
            path.unlink(missing_ok=True)
            continue
        found.append(instance)
    return sorted(found, key=lambda instance: instance.started)


def _write_info(instance: Instance) -> None:
    folder = _info_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{instance.key}.json"
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(instance)), encoding="utf-8")
    os.replace(temporary, target)


@contextlib.contextmanager
def _start_lock(key: str, timeout: float) -> Iterator[None]:
    """Hold the exclusive lock of one set of arguments, waiting at most ``timeout`` seconds.

    A ``flock`` (not a lock file that exists or not) so that a kernel killed while
    holding it releases it with its file descriptor: no stale lock to clean up.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; starts there are not serialised
        yield
        return
    folder = _info_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{key}.lock"
    with path.open("a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"another process has been starting Heron with the same arguments for over "
                    f"{timeout:g} s and still holds {path}; if it is stuck, stop it and retry"
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _wait_for_banner(process: subprocess.Popen[bytes], log_file: Path, timeout: float) -> str:
    """The URL ``heron serve`` prints once it listens; its output if it stops first."""
    deadline = time.monotonic() + timeout
    while True:
        text = log_file.read_text(encoding="utf-8", errors="replace")
        match = _BANNER.search(text)
        if match:
            return match.group(1)
        if process.poll() is not None:
            _children.pop(process.pid, None)
            raise RuntimeError(f"heron serve exited with status {process.returncode}:\n{text}")
        if time.monotonic() > deadline:
            process.terminate()
            process.wait()
            _children.pop(process.pid, None)
            raise TimeoutError(f"heron serve did not start within {timeout:g} s:\n{text}")
        time.sleep(0.1)


def start(args: str | Sequence[str], *, timeout: float = 60.0) -> tuple[Instance, bool]:
    """Start ``heron serve ARGS``, or find the running one started with the same arguments.

    ``args`` are ``heron serve``'s flags (``"--logdir logs --port 6007"``).
    Returns the instance and whether it was reused. Concurrent starts with the same
    arguments (two notebooks at once) are serialised: the later one waits, then reuses.
    """
    argv = tuple(shlex.split(args) if isinstance(args, str) else args)
    cwd = os.getcwd()
    key = _key(argv, cwd)
    with _start_lock(key, timeout + LOCK_MARGIN_S):
        for instance in list():
            if instance.key == key:
                return instance, True
        return _launch(argv, cwd, key, timeout), False


def _launch(argv: tuple[str, ...], cwd: str, key: str, timeout: float) -> Instance:
    """Start ``heron serve ARGV``, wait for it to listen, and write its info file."""
    folder = _info_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    log_file = folder / f"{key}.log"
    with log_file.open("wb") as output:
        # Its own session: the server outlives a kernel restart, as the info file promises.
        process = subprocess.Popen(
            [sys.executable, "-m", "heron", "serve", *argv],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _children[process.pid] = process
    url = _wait_for_banner(process, log_file, timeout)
    port = urlsplit(url).port
    if port is None:
        raise RuntimeError(f"heron serve printed a URL without a port: {url}")
    instance = Instance(
        pid=process.pid,
        port=port,
        url=url,
        args=argv,
        cwd=cwd,
        started=time.time(),
        log_file=str(log_file),
    )
    _write_info(instance)
    return instance


def stop(instance: Instance | int, *, timeout: float = 10.0) -> bool:
    """Stop a running instance (or the one on this port); False if none was running.

    The server gets SIGTERM, saves its index and exits; its info file is removed.
    """
    if isinstance(instance, int):
        found = next((running for running in list() if running.port == instance), None)
        if found is None:
            return False
        instance = found
    (_info_dir() / f"{instance.key}.json").unlink(missing_ok=True)
    try:
        os.kill(instance.pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    child = _children.pop(instance.pid, None)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None:
            if child.poll() is not None:
                return True
        elif not _alive(instance.pid):
            return True
        time.sleep(0.05)
    raise TimeoutError(f"heron serve (pid {instance.pid}) did not stop within {timeout:g} s")


def _shell() -> Any:
    """The running IPython shell, or None (IPython is never imported here)."""
    ipython = sys.modules.get("IPython")
    return None if ipython is None else ipython.get_ipython()


def _in_notebook(shell: Any) -> bool:
    """A kernel (Jupyter, JupyterLab, VS Code...) can show HTML; a terminal shell cannot."""
    return shell is not None and getattr(shell, "kernel", None) is not None


def _browser_url(instance: Instance | None, port: int) -> str:
    template = os.environ.get(PROXY_URL_ENV)
    if template:
        return template.format(port=port)
    return instance.url if instance is not None else f"http://localhost:{port}/"


def display(port: int | None = None, height: int = 800) -> None:
    """Show a running Heron: an iframe in a notebook, its URL elsewhere.

    ``port=None`` shows the most recently started instance.
    """
    running = list()
    if port is None:
        if not running:
            print("No Heron instance is running; start one with %heron --logdir DIR")
            return
        instance: Instance | None = running[-1]
        assert instance is not None
        port = instance.port
    else:
        instance = next((found for found in running if found.port == port), None)
    url = _browser_url(instance, port)
    shell = _shell()
    if not _in_notebook(shell):
        print(f"Heron is at {url}")
        return
    ipython_display = sys.modules["IPython"].display
    ipython_display.display(ipython_display.IFrame(src=url, width="100%", height=int(height)))


def _magic(line: str) -> None:
    """``%heron ARGS``: start (or reuse) ``heron serve ARGS`` and show it."""
    if not line.strip():
        print("Usage: %heron --logdir DIR [--port PORT] [other heron serve flags]")
        return
    try:
        instance, reused = start(line)
    except (RuntimeError, TimeoutError) as error:
        print(error)
        return
    if reused:
        print(
            f"Reusing Heron on port {instance.port} (pid {instance.pid}); "
            f"stop it with !kill {instance.pid}"
        )
    display(port=instance.port)


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%heron`` (``%load_ext heron`` calls this through ``heron``)."""
    ipython.register_magic_function(_magic, magic_kind="line", magic_name="heron")
