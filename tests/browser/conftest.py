"""Browser tests: real Chromium (Debian's, never a downloaded one) against the real `heron serve`.

The session starts one server on a generated logdir; each test gets a fresh page, and fails if
the page logged any console error or uncaught exception. Screenshots go to artifacts/ (git-ignored)
so a person can look at what the tests saw.
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from heron import SummaryWriter

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WEB_INDEX = Path(__file__).resolve().parents[2] / "src" / "heron" / "_web" / "index.html"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

SPIKE_STEP = 654_321
SPIKE_VALUE = 1000.0
SPIKE_POINTS = 1_000_000
RUNS = ["train/lr=0.1", "train/lr=0.01", "eval/lr=0.1", "spiky"]
WINDOW_TITLE = "Heron browser test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"{CHROMIUM} is missing: apt-get install -y chromium "
                        "(.ci/run does it); Playwright's own browsers are never downloaded"
                    )
                )
            elif not WEB_INDEX.exists():
                item.add_marker(pytest.mark.skip(reason="the web UI is not built: run `make web`"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def wait_for(predicate: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _write_logdir(root: Path) -> None:
    for index, run in enumerate(RUNS[:3]):
        with SummaryWriter(root / run) as writer:
            for step in range(0, 500, 5):
                noise = math.sin(step * 1.7 + index) * 0.15
                writer.add_scalar("loss/total", 2.0 * math.exp(-step / 150) + 0.2 + noise, step)
                writer.add_scalar("loss/l2", 0.5 * math.exp(-step / 300) + index * 0.05, step)
                writer.add_scalar("accuracy", 1 - math.exp(-step / 120) * (0.9 - index * 0.1), step)
                writer.add_scalar("lr", 0.1 / (1 + index) * (0.99 ** (step / 5)), step)
        if index == 0:
            with SummaryWriter(root / run) as writer:
                writer.add_text("notes", "a run with notes", 0)
    # One spike among a million flat points: downsampling must not hide it.
    with SummaryWriter(root / "spiky") as writer:
        for step in range(SPIKE_POINTS):
            writer.add_scalar("spiky/value", SPIKE_VALUE if step == SPIKE_STEP else 1.0, step)


@pytest.fixture(scope="session")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser") / "logs"
    _write_logdir(root)
    return root


@contextlib.contextmanager
def run_heron(
    logdir: Path, work: Path, *args: str, ready: Callable[[str], bool] | None = None
) -> Iterator[str]:
    """`heron serve` on ``logdir`` on a free port until ``ready(base_url)``; yields the base URL."""
    port = _free_port()
    heron = Path(sys.executable).with_name("heron")
    command = [str(heron)] if heron.exists() else [sys.executable, "-m", "heron"]
    prefix = ""
    if "--path_prefix" in args:
        prefix = args[args.index("--path_prefix") + 1].strip("/") + "/"
    with (work / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [
                *command,
                "serve",
                *("--logdir", str(logdir), "--port", str(port), "--db", str(work / "index.db")),
                *("--reload_interval", "1", *args),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://localhost:{port}/{prefix}"
        try:
            check = ready or (lambda url: get_json(url + "api/v1/runs")["total"] > 0)
            wait_for(lambda: check(base), timeout=120, what="the server to index the logdir")
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def server(logdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`heron serve` on the logdir, once every point is indexed; yields its base URL."""

    def indexed(base: str) -> bool:
        if get_json(base + "api/v1/runs")["total"] < len(RUNS):
            return False
        query = "api/v1/scalars?run=spiky&tag=spiky/value&max_points=2"
        return bool(get_json(base + query)["series"][0]["steps"][-1] == SPIKE_POINTS - 1)

    work = tmp_path_factory.mktemp("serve")
    with run_heron(logdir, work, "--window_title", WINDOW_TITLE, ready=indexed) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Not for the session: Playwright's sync API keeps an asyncio
    loop running in this thread while it is open, which would break every later test that runs
    its own loop (the in-process ASGI client does)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Console:
    """Every console error and uncaught page exception, to fail the test on."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def allow(self, text: str) -> None:
        """Expect errors containing ``text`` (a test that provokes a failure on purpose)."""
        self.allowed.append(text)

    def watch(self, page: Any) -> None:
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console.{message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def new_page(browser: Any, console: Console) -> Iterator[Any]:
    """A factory of fresh pages (own context, so no shared storage), all watched for errors."""
    contexts: list[Any] = []

    def make(*, color_scheme: str = "light") -> Any:
        context = browser.new_context(
            viewport={"width": 1440, "height": 900}, color_scheme=color_scheme
        )
        contexts.append(context)
        page = context.new_page()
        console.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    errors = [e for e in console.errors if not any(text in e for text in console.allowed)]
    assert errors == [], "the page logged errors:\n" + "\n".join(errors)


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def click_tab(page: Any, name: str) -> None:
    """Open dashboard ``name``: its tab, or its entry in the header's "More" menu.

    Tabs that do not fit the header's width live in that menu (Header.tsx).
    """
    page.wait_for_selector(f"[role=tab][data-tab={name}], [data-testid=tabs-more]")
    tab = page.locator(f"[role=tab][data-tab={name}]")
    if tab.count():
        tab.click()
        return
    page.click("[data-testid=tabs-more]")
    page.locator(f"[role=menuitem][data-tab={name}]").click()
