"""The ingest loop: discover → tail changed files → stage → commit, every ``reload_interval``.

Runs are read on a small thread pool while a single commit thread writes to
the store. A task reads consecutive runs until it has about ``_GROUP_BYTES``
of new data (a large run gets a task of its own; a run's batches stay in
order) and merges their batches into transactions of about
``BatchLimits.points`` points: a logdir of thousands of small runs pays a
transaction per hundred runs, not per run. The compiled scanner releases the
GIL, so large runs decode in parallel; tasks of small runs are mostly Python
work (file versions, new tags), so they take turns instead of contending
for the GIL with each other and the commit thread.

``stop()`` lets the pass in progress finish its current batches and commits
nothing half-done: every commit is a whole batch with its file offsets, so the
index is consistent at any moment, even after ``kill -9``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TextIO

from heron.ingest.assets import AssetTracker
from heron.ingest.committer import Committer, merge_batches
from heron.ingest.discovery import Discoverer, LogdirRoot, RunListing, restat
from heron.ingest.profiles import ProfileTracker
from heron.ingest.progress import Progress
from heron.ingest.records import EventFileRecords
from heron.ingest.remote import RemoteDiscoverer
from heron.ingest.roots import check_roots
from heron.ingest.runs import BatchLimits, Ids, RunIngest
from heron.ingest.stage import IdSource
from heron.storage.batch import CommitBatch
from heron.storage.protocol import Store

__all__ = ["IngestOptions", "IngestStats", "Ingester", "PassStats"]

_log = logging.getLogger("heron.ingest")

#: Called after each commit with the names of the runs that got new data or were removed.
DataCallback = Callable[[frozenset[str]], None]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    #: Seconds between passes of ``start()``'s loop; 0 = load once.
    reload_interval: float = 5.0
    #: Runs decoded at once.
    workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))
    limits: BatchLimits = field(default_factory=BatchLimits)
    #: Draw a progress bar on stderr: ``None`` = when it is a terminal.
    progress: bool | None = None
    progress_stream: TextIO | None = None
    #: Seconds between quick passes over recently grown runs (``run_tail``); 0 = none.
    tail_interval: float = 1.0
    #: A run is "recently grown" for this long after a pass last read from it.
    hot_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class PassStats:
    runs: int
    runs_read: int
    bytes_read: int
    points: int
    seconds: float


@dataclass(slots=True)
class IngestStats:
    #: Full passes (discovery + reading); ``tail_passes`` count the quick ones between them.
    passes: int = 0
    tail_passes: int = 0
    bytes_read: int = 0
    points: int = 0
    last_pass: PassStats | None = None


class Ingester:
    """The only writer of a store: keeps it in step with the event files under ``roots``."""

    def __init__(
        self,
        store: Store,
        roots: Sequence[LogdirRoot],
        *,
        options: IngestOptions | None = None,
        on_data: DataCallback | None = None,
    ) -> None:
        self._store = store
        self._options = options or IngestOptions()
        self._on_data = on_data
        self._discoverer = _discoverer_for(roots)
        self._records = EventFileRecords()
        self._pass_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.stats = IngestStats()
        #: Run name -> (monotonic time a pass last read from it, its listing then).
        self._hot: dict[str, tuple[float, RunListing]] = {}
        # The index's state is loaded by the first pass, not here: ``heron serve`` starts
        # answering from the index while the ingest thread loads it (0.2 s per 5,000 runs).
        self._loaded = False

    def _load(self) -> None:
        self._loaded = False
        state = self._store.load_state()
        self._ids = Ids(
            IdSource(state.next_run_id),
            IdSource(state.next_series_id),
            IdSource(state.next_file_id),
        )
        self._runs = {
            name: RunIngest(
                run_id,
                name,
                ids=self._ids,
                records=self._records,
                files=state.files.get(run_id),
            )
            for name, run_id in state.runs.items()
        }
        self._assets = AssetTracker(state.assets)
        self._profiles = ProfileTracker(state.assets)
        self._loaded = True

    def run_once(self) -> PassStats:
        """One full pass; returns when everything it read is committed."""
        with self._pass_lock:
            try:
                if not self._loaded:
                    self._load()
                return self._pass()
            except BaseException:
                # In-memory cursors may be ahead of the index: the next pass starts again
                # from what it holds.
                self._loaded = False
                raise

    def run_tail(self) -> PassStats:
        """A quick pass over the runs that grew recently: stat their known files, read new bytes.

        Full passes (``run_once``) walk the whole logdir; between them, this keeps
        an active run's new points arriving within about ``tail_interval`` seconds
        at the cost of one ``stat`` per file of the few runs being written to.
        New files, new runs and removals wait for the next full pass.
        """
        with self._pass_lock:
            try:
                if not self._loaded:
                    self._load()
                return self._tail()
            except BaseException:
                self._loaded = False
                raise

    def _tail(self) -> PassStats:
        started = time.monotonic()
        horizon = started - self._options.hot_seconds
        work: list[tuple[RunIngest, RunListing]] = []
        for name, (grew_at, listing) in list(self._hot.items()):
            run = self._runs.get(name)
            if run is None or grew_at < horizon:
                del self._hot[name]
                continue
            fresh = restat(listing)
            if fresh is not None and run.has_work(fresh):
                work.append((run, fresh))
        stats = self._ingest(work, removed=[], full=False, started=started)
        return dataclasses.replace(stats, runs=len(self._hot))

    def _pass(self) -> PassStats:
        started = time.monotonic()
        listings = self._discoverer.scan()
        removed = [name for name in self._runs if name not in listings]
        work: list[tuple[RunIngest, RunListing]] = []
        for name, listing in listings.items():
            run = self._runs.get(name)
            if run is None:
                run = self._runs[name] = RunIngest(
                    self._ids.runs(), name, ids=self._ids, records=self._records, new=True
                )
            if run.has_work(listing):
                work.append((run, listing))
        stats = self._ingest(work, removed=removed, full=True, started=started)
        return dataclasses.replace(stats, runs=len(listings))

    def _ingest(
        self,
        work: list[tuple[RunIngest, RunListing]],
        *,
        removed: list[str],
        full: bool,
        started: float,
    ) -> PassStats:
        """Read ``work``, drop ``removed``, and (on a full pass) sync assets; commit it all."""
        self._load_series(work)
        progress = Progress.for_terminal(
            self._options.progress_stream or sys.stderr,
            enabled=self._options.progress if full else False,
            total_bytes=sum(_backlog(run, listing) for run, listing in work),
            total_files=sum(len(listing.files) for _, listing in work),
        )
        counted = _Counter()
        committer = Committer(
            self._store,
            merge_points=self._options.limits.points,
            on_commit=lambda runs, batch: self._committed(runs, batch, progress, counted),
        )
        try:
            if removed:
                committer.put(
                    CommitBatch(removed_runs=tuple(self._runs[name].run_id for name in removed)),
                    runs=frozenset(removed),
                )
                for name in removed:
                    del self._runs[name]
                    self._hot.pop(name, None)
            self._read_runs(work, committer, progress, counted)
            if full:
                # Projector files (configs and the files they name) and profiler captures
                # are assets, not events.
                asset_sets = self._assets.changes(self._discoverer.projector_configs)
                asset_sets += self._profiles.changes(self._discoverer.profile_files)
                if asset_sets:
                    committer.put(
                        CommitBatch(asset_sets=tuple(asset_sets)),
                        runs=frozenset(s.run for s in asset_sets),
                    )
                committer.put(CommitBatch(pass_completed_at=time.time()))
            committer.drain()
        finally:
            committer.close()
            progress.close()
        now = time.monotonic()
        for run, listing in work:
            self._hot[run.name] = (now, listing)
        stats = PassStats(
            runs=len(work),
            runs_read=len(work),
            bytes_read=counted.bytes,
            points=counted.points,
            seconds=time.monotonic() - started,
        )
        if full:
            self.stats.passes += 1
            self.stats.last_pass = stats
        else:
            self.stats.tail_passes += 1
        self.stats.bytes_read += stats.bytes_read
        self.stats.points += stats.points
        return stats

    def _load_series(self, work: list[tuple[RunIngest, RunListing]]) -> None:
        """The indexed series of the runs about to be read for the first time since ``_load``.

        Loaded here, in one query, rather than all at start-up: a restart that
        finds nothing new (or a few grown runs) never loads the rest.
        """
        waiting = {run.run_id: run for run, _ in work if run.needs_series}
        if not waiting:
            return
        found = self._store.load_series(list(waiting))
        for run_id, run in waiting.items():
            run.set_series(found.get(run_id, {}))

    def _read_runs(
        self,
        work: list[tuple[RunIngest, RunListing]],
        committer: Committer,
        progress: Progress,
        counted: _Counter,
    ) -> None:
        limits = self._options.limits
        # Small runs cost Python work (their first records, new tags, a file open each),
        # which holds the GIL: two threads decoding them only contend with each other and
        # the commit thread. Large runs are decoded by the scanner with the GIL released.
        small_runs = threading.Lock()

        def read(group: list[tuple[RunIngest, RunListing]]) -> None:
            if len(group) > 1:
                with small_runs:
                    read_group(group)
            else:
                read_group(group)

        def read_group(group: list[tuple[RunIngest, RunListing]]) -> None:
            gather = _Gatherer(committer, limits.points)
            for run, listing in group:
                if self._stop.is_set() or committer.failed:
                    break

                def on_bytes(count: int) -> None:
                    counted.add_bytes(count)
                    progress.add(bytes_read=count)

                run.advance(
                    listing,
                    functools.partial(gather.add, run=run.name),
                    limits=limits,
                    on_bytes=on_bytes,
                )
                progress.add(files=len(listing.files))
            gather.flush()

        groups = _groups(work, _backlog)
        workers = max(1, self._options.workers)
        if workers == 1 or len(groups) < 2:
            for group in groups:
                read(group)
            return
        with ThreadPoolExecutor(workers, thread_name_prefix="heron-ingest") as pool:
            futures = [pool.submit(read, group) for group in groups]
            try:
                for future in futures:
                    future.result()
            except BaseException:  # e.g. Ctrl-C: runs not started yet are not started
                for future in futures:
                    future.cancel()
                raise

    def _committed(
        self, runs: frozenset[str], batch: CommitBatch, progress: Progress, counted: _Counter
    ) -> None:
        points = batch.point_count
        counted.add_points(points)
        progress.add(points=points)
        if runs and self._on_data is not None:
            try:
                self._on_data(runs)
            except Exception:
                _log.exception("a new-data callback failed")

    def start(self) -> None:
        """Ingest in a background thread, a pass every ``reload_interval`` s, until ``stop()``."""
        if self._thread is not None:
            raise RuntimeError("the ingester is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="heron-ingester", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop the loop after the batches in flight are committed."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        interval = self._options.reload_interval
        tail_every = self._options.tail_interval
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                _log.exception("an ingest pass failed; retrying next pass")
            if interval <= 0:
                return
            next_full = time.monotonic() + interval
            # Between full passes, quick passes over the runs being written to.
            while tail_every > 0 and next_full - time.monotonic() > tail_every:
                if self._stop.wait(tail_every):
                    return
                try:
                    self.run_tail()
                except Exception:
                    _log.exception("a quick ingest pass failed; retrying next pass")
            self._stop.wait(max(next_full - time.monotonic(), 0.0))


def _discoverer_for(roots: Sequence[LogdirRoot]) -> Discoverer | RemoteDiscoverer:
    return RemoteDiscoverer(roots) if check_roots(roots) else Discoverer(roots)


class _Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.bytes = 0
        self.points = 0

    def add_bytes(self, count: int) -> None:
        with self._lock:
            self.bytes += count

    def add_points(self, count: int) -> None:
        with self._lock:
            self.points += count


#: Runs read by one task hold at most this much new data together (or ``_GROUP_RUNS`` runs).
_GROUP_BYTES = 1 << 20
_GROUP_RUNS = 128


def _groups(
    work: list[tuple[RunIngest, RunListing]], backlog: Callable[[RunIngest, RunListing], int]
) -> list[list[tuple[RunIngest, RunListing]]]:
    """Consecutive runs in tasks of about ``_GROUP_BYTES`` of new data.

    A logdir of thousands of small runs would otherwise pay a task, a queue
    hand-off and a transaction per run; a large run still gets a task of its own.
    """
    groups: list[list[tuple[RunIngest, RunListing]]] = []
    group: list[tuple[RunIngest, RunListing]] = []
    size = 0
    for run, listing in work:
        new = backlog(run, listing)
        if new >= _GROUP_BYTES and group:  # a large run gets a task of its own
            groups.append(group)
            group, size = [], 0
        group.append((run, listing))
        size += new
        if size >= _GROUP_BYTES or len(group) >= _GROUP_RUNS:
            groups.append(group)
            group, size = [], 0
    if group:
        groups.append(group)
    return groups


class _Gatherer:
    """Merges the batches of a task's runs into transactions of about ``points`` points.

    Each merged batch still carries its runs' file offsets with their data, so
    a crash loses nothing committed and repeats nothing. A batch that resets a
    run starts a new merge, so a reset is never applied after data it follows.
    """

    def __init__(self, committer: Committer, points: int) -> None:
        self._committer = committer
        self._points = points
        self._pending: list[CommitBatch] = []
        self._runs: set[str] = set()
        self._pending_points = 0

    def add(self, batch: CommitBatch, run: str) -> None:
        if (batch.reset_runs or batch.removed_runs) and self._pending:
            self.flush()
        self._pending.append(batch)
        self._runs.add(run)
        self._pending_points += batch.point_count
        if self._pending_points >= self._points:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        pending = self._pending
        batch = pending[0] if len(pending) == 1 else merge_batches(pending)
        runs = frozenset(self._runs)
        self._pending, self._runs, self._pending_points = [], set(), 0
        self._committer.put(batch, runs)


def _backlog(run: RunIngest, listing: RunListing) -> int:
    return sum(max(found.size - run.offset(found.path), 0) for found in listing.files)
