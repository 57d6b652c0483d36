"""Live push: tell connected browsers which run/tag got new data, as Server-Sent Events.

The ingester (another thread, another layer) only says *which runs* a commit
touched, through ``LiveFeed.notify``. The feed turns that into *which series*
by comparing each touched run's series listing (count, last step, last wall
time) with what it saw before. That costs one ``list_series`` per burst of
commits, scoped to the touched runs, and it works for any store behind the
``ReadProvider`` (a PostgreSQL team server can feed ``notify`` from LISTEN /
NOTIFY the same way).

Commits arriving within ``coalesce_seconds`` of each other are sent as one
event, so a fast writer does not flood the browser. Clients that fall behind
get a ``resync`` event instead of an unbounded queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool

from heron.core.provider import ReadProvider

__all__ = ["LiveFeed", "LiveMessage", "format_event"]

#: Seconds between keep-alive comments, so proxies do not close an idle stream.
PING_SECONDS = 15.0
#: Events a slow client may have waiting before it is told to resync instead.
CLIENT_BACKLOG = 64

_SeriesMark = tuple[int, int, float]


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """One SSE event: its name and its JSON payload."""

    event: str
    data: dict[str, Any] = field(default_factory=dict)


def format_event(message: LiveMessage) -> bytes:
    """The wire form of ``message`` (one ``event:`` and one ``data:`` line, then a blank line)."""
    payload = orjson.dumps(message.data).decode()
    return f"event: {message.event}\ndata: {payload}\n\n".encode()


class LiveFeed:
    """Fan-out of "new data" notifications to any number of SSE subscribers.

    ``notify`` is thread-safe and never blocks the caller (the ingester's commit
    thread); the work of finding changed series runs later, on the event loop's
    thread pool, and only while someone is subscribed.
    """

    def __init__(self, provider: ReadProvider, *, coalesce_seconds: float = 0.2) -> None:
        self._provider = provider
        self._coalesce = coalesce_seconds
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._clients: set[asyncio.Queue[LiveMessage]] = set()
        self._known_runs: set[str] | None = None
        self._marks: dict[str, dict[str, _SeriesMark]] = {}
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._clients)

    def notify(self, runs: Iterable[str]) -> None:
        """Record that ``runs`` got new data (or disappeared); callable from any thread."""
        with self._lock:
            self._pending.update(runs)
            loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(wake.set)

    def close(self) -> None:
        """End every subscription (server shutdown); callable from any thread or a signal handler.

        Streams end by themselves rather than being cancelled, so the server's
        graceful shutdown finishes them like any other response.
        """
        self._closed = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._say_goodbye)

    def _say_goodbye(self) -> None:
        for queue in list(self._clients):
            self._offer(queue, LiveMessage("bye"))
        if self._wake is not None:
            self._wake.set()

    async def subscribe(self) -> AsyncIterator[LiveMessage]:
        """Messages for one client: ``hello`` first, then ``data`` / ``resync``; pings when idle."""
        queue: asyncio.Queue[LiveMessage] = asyncio.Queue(CLIENT_BACKLOG)
        await self._start()
        self._clients.add(queue)
        try:
            yield LiveMessage("hello")
            while not self._closed:
                try:
                    message = await asyncio.wait_for(queue.get(), PING_SECONDS)
                except TimeoutError:
                    yield LiveMessage("ping")
                    continue
                if message.event == "bye":
                    return
                yield message
        finally:
            self._clients.discard(queue)

    async def _start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()
        with self._lock:
            self._loop, self._wake = loop, wake
            # What came before the first subscriber is in the baseline taken next.
            self._pending.clear()
        if self._known_runs is None:
            await run_in_threadpool(self._take_baseline)
        self._task = loop.create_task(self._pump(wake), name="heron-live-feed")

    def _take_baseline(self) -> None:
        """Marks of every series now, so the first event names only what changes after it."""
        self._known_runs = {run.name for run in self._provider.list_runs()}
        for series in self._provider.list_series():
            mark = (series.count, series.max_step, series.max_wall_time)
            self._marks.setdefault(series.run, {})[series.tag] = mark

    async def _pump(self, wake: asyncio.Event) -> None:
        while not self._closed:
            await wake.wait()
            await asyncio.sleep(self._coalesce)
            wake.clear()
            with self._lock:
                runs, self._pending = self._pending, set()
            if not runs or not self._clients:
                continue
            message = await run_in_threadpool(self._changes, runs)
            if message is not None:
                for queue in list(self._clients):
                    self._offer(queue, message)

    def _offer(self, queue: asyncio.Queue[LiveMessage], message: LiveMessage) -> None:
        try:
            queue.put_nowait(message)
        except asyncio.QueueFull:
            # The client is not reading: replace its backlog by one "refetch everything".
            while not queue.empty():
                queue.get_nowait()
            queue.put_nowait(LiveMessage("resync"))

    def _changes(self, runs: set[str]) -> LiveMessage | None:
        """Which series of ``runs`` changed since last seen, and whether the run list did."""
        assert self._known_runs is not None
        listed: dict[str, dict[str, _SeriesMark]] = {run: {} for run in runs}
        for series in self._provider.list_series(runs=sorted(runs)):
            mark = (series.count, series.max_step, series.max_wall_time)
            listed[series.run][series.tag] = mark
        changed: dict[str, list[str]] = {}
        runs_changed = False
        for run, marks in sorted(listed.items()):
            before = self._marks.get(run, {})
            tags = sorted(tag for tag, mark in marks.items() if before.get(tag) != mark)
            if tags:
                changed[run] = tags
            if run not in self._known_runs and marks:
                self._known_runs.add(run)
                runs_changed = True
            elif run in self._known_runs and not marks:
                self._known_runs.discard(run)
                runs_changed = True
            if marks:
                self._marks[run] = marks
            else:
                self._marks.pop(run, None)
        if not changed and not runs_changed:
            return None
        return LiveMessage("data", {"series": changed, "runs_changed": runs_changed})
