"""Timing a page in headless Chromium for the UI benchmarks: the browser, a fresh page, a wait.

Every UI benchmark times a load the same way, and must, for its figures to compare: Debian's
Chromium with the flags of ``_servers.CHROMIUM_ARGS``; each timed load in a new browser
context (a cold HTTP cache and no state left from the previous load), closed afterwards even
when the wait times out; and a wait for a script, polled in the page, that returns the time
(the page's ``performance.now()``, which counts from the start of the navigation) once the page
shows what the benchmark waits for, so the figure does not include Playwright's round trips.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from _servers import CHROMIUM, CHROMIUM_ARGS


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (imported here: only UI benchmarks need it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def fresh_page(
    browser: Any, viewport: dict[str, int], *, init_script: str | None = None
) -> Iterator[Any]:
    """A page in a new context (cold HTTP cache); ``init_script`` runs before the page's own."""
    context = browser.new_context(viewport=viewport)
    try:
        if init_script is not None:
            context.add_init_script(init_script)
        yield context.new_page()
    finally:
        context.close()


def page_value(
    page: Any, script: str, *, timeout_s: float, arg: Any = None, polling: Any = "raf"
) -> Any:
    """Poll ``script`` in the page (every animation frame unless told) until it returns a
    truthy value, and return that value: a time or a record the script measured in the page."""
    handle = page.wait_for_function(script, arg=arg, polling=polling, timeout=timeout_s * 1000)
    return handle.json_value()
