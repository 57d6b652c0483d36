"""``heron serve``'s first second: answer the dashboard's first requests before ingesting.

On a restart the index already holds what the dashboard shows first; the
look for new bytes (loading the ingest state, re-walking the logdir) is
Python that holds the GIL, and on a 2-core machine it would compete with the
server's imports and first requests. So ``heron serve`` builds the run and
series listings in a thread while it imports the server (``warm_up``), and
starts the ingester a moment later (``DeferredIngest``), importing it only
then. A fresh index has nothing to answer from, and is ingested at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from heron.core.provider import ReadProvider
    from heron.core.values import Run
    from heron.ingest import Ingester

__all__ = ["FIRST_PASS_DELAY", "WARM_UP_RUNS", "DeferredIngest", "warm_up"]

_log = logging.getLogger("heron.cli")

#: Seconds the first ingest pass waits when the index already holds data.
FIRST_PASS_DELAY: Final = 1.0
#: Up to this many runs the series listing is built at start-up; above it, the listing
#: is too large to keep (see ``heron.storage.sqlite.listings``).
WARM_UP_RUNS: Final = 20_000


def warm_up(reader: ReadProvider, indexed: list[Run]) -> threading.Thread:
    """Build the listings a dashboard asks for first, in a thread; ``indexed`` receives the runs.

    A browser's first requests list every run and series (run selector, tag
    groups, the live feed's baseline): 20,000 series at 5,000 runs, ~0.1 s of
    Python. The SQLite reader keeps those listings until a commit changes
    them, so built now they answer those requests from memory.
    """

    def run() -> None:
        try:
            indexed.extend(reader.list_runs())
            if len(indexed) <= WARM_UP_RUNS:
                reader.list_series()
        except Exception:  # only a cache: requests build the listings themselves
            _log.exception("warming the run and series listings failed")

    thread = threading.Thread(target=run, name="heron-warm-up", daemon=True)
    thread.start()
    return thread


class DeferredIngest:
    """Makes and starts the ingester after ``delay`` seconds, in a thread; ``stop()`` at any time.

    ``make`` imports and builds the ingester, so that its imports (numpy, the
    protobuf normaliser, the scanner) are not paid before the server answers.
    """

    def __init__(self, make: Callable[[], Ingester], *, delay: float) -> None:
        self._make = make
        self._delay = delay
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._ingester: Ingester | None = None
        self._thread = threading.Thread(target=self._run, name="heron-ingest-start", daemon=True)

    @property
    def ingester(self) -> Ingester | None:
        """The ingester once it is started."""
        return self._ingester

    def start(self) -> None:
        """Start the countdown (call with stop signals blocked: the threads inherit the mask)."""
        self._thread.start()

    def stop(self) -> None:
        """Cancel a start not yet made, or stop the ingester after the batches in flight."""
        self._stopping.set()
        if self._thread.ident is not None:  # started
            self._thread.join()
        with self._lock:
            ingester, self._ingester = self._ingester, None
        if ingester is not None:
            ingester.stop()

    def _run(self) -> None:
        if self._delay > 0 and self._stopping.wait(self._delay):
            return
        try:
            ingester = self._make()
        except Exception:
            _log.exception("the ingester could not be started")
            return
        with self._lock:
            if self._stopping.is_set():
                return
            self._ingester = ingester
            ingester.start()
