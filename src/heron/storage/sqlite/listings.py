"""Run and series listings, built once per index generation and shared by every reader thread.

The dashboard's first screen lists every run and every scalar series (the
run selector, the tag groups, the live feed's baseline): at 5,000 runs that
is 20,000 ``Series`` values, ~0.15 s of Python per listing on a quiet core
and several times that while ingest holds the GIL. The listings only change
when a commit changes runs or series, so they are kept per *generation*: a
counter in ``meta`` that the writer bumps in every transaction that changes
what a listing shows (``heron.storage.sqlite.writer``). A reader reads the
generation in the same snapshot as the rows, so a cached listing is exactly
what that snapshot would have returned, never an older one.

Filtered series listings (one plugin, one data class) are taken from the
unfiltered one when it is cached for the generation (a Python filter over
the values is cheaper than building them again), else queried on their own.
Callers get a fresh list each time; the values are frozen. Equal run names,
tags and metadata share one object, so a cached series costs ~180 bytes
(600,000 series: ~107 MB, measured with ``tracemalloc``) and listings up to
``MAX_CACHED`` entries are kept: 100,000 runs of three scalars and their
hparams records are 600,000 series, and rebuilding their 300,000-entry scalar
listing on every ``/data/plugin/scalars/tags`` cost 1.5-7 s a call. A longer
listing is built per call, so memory stays bounded (~180 MB per listing).
After a commit, a series listing is not read again in full either: the
listing of the earlier generation is kept as a base, and the entries of the
runs logged in ``run_changes`` since then are read and spliced in
(``splice_runs``), sharing every other entry with the base.

The run table (every run summary as numpy columns, ``heron.core.run_table``)
is kept the same way, whatever its size (~100 bytes a run and a series): it is
what the runs table filters, sorts and pages. Threads asking for it while it
is being built wait for that build rather than starting their own. It is not
rebuilt from scratch after a commit (~1.5 s at 100,000 runs): the writer logs
the generation at which each run last changed (``run_changes``), and the table
of a newer generation is the previous one with only the runs logged since
replaced (``refreshed_run_table``).

So are the (plugin, data class) pairs that have series: every dashboard asks
``has_series`` of its own plugin when the UI lists plugins, and without an
index on the plugin name each absent plugin is a full scan of ``series``
(~0.15 s at 600,000 series, fifteen plugins); one ``DISTINCT`` scan per
generation answers them all.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Any, Final

from heron.core.run_table import RunTable
from heron.core.values import DataClass, Run, Series
from heron.storage.sqlite.run_snapshot import (
    REFRESH_SHARE,
    changed_runs,
    newer,
    refreshed_run_table,
)

__all__ = [
    "GENERATION_KEY",
    "MAX_CACHED",
    "ListingCache",
    "generation",
    "query_runs",
    "query_series",
]

#: Listings longer than this are built per call rather than kept.
MAX_CACHED: Final = 1_000_000
#: The ``meta`` key of the counter the writer bumps when runs or series change.
GENERATION_KEY: Final = "generation"

_SERIES_COLUMNS: Final = (
    "r.name, s.tag, s.plugin_name, s.data_class, s.plugin_content, s.display_name, "
    "s.description, s.count, s.last_step, s.max_wall_time, s.max_length"
)
# ``DataClass(value)`` goes through the enum's call machinery; a dict lookup is ~10x cheaper.
_DATA_CLASSES: Final = {member.value: member for member in DataClass}

#: (plugin name, data class) of a series listing; ``None`` = any.
SeriesFilter = tuple[str | None, DataClass | None]


def generation(db: sqlite3.Connection) -> str | None:
    """The index's listing generation in ``db``'s snapshot (``None`` before any change)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
    return None if row is None else str(row[0])


def query_runs(db: sqlite3.Connection) -> list[Run]:
    return [
        Run(name, start)
        for name, start in db.execute("SELECT name, start_time FROM runs ORDER BY name")
    ]


def query_series(db: sqlite3.Connection, where: list[str], params: list[object]) -> list[Series]:
    """Series rows matching ``where`` (SQL over ``series s JOIN runs r``), by run then tag."""
    conditions = " AND ".join(["s.data_class != 0", *where])
    rows = db.execute(
        f"SELECT {_SERIES_COLUMNS} FROM series s JOIN runs r ON r.id = s.run_id "
        f"WHERE {conditions} ORDER BY r.name, s.tag",
        params,
    ).fetchall()
    data_classes = _DATA_CLASSES
    # Equal names, tags and metadata share one object: a row brings its own copy of each, and at
    # 600,000 series the copies were most of a cached listing's memory (see ``MAX_CACHED``).
    shared: dict[object, Any] = {}
    share = shared.setdefault
    # Positional arguments, in field order: keyword passing costs ~30% more per value.
    return [
        Series(
            share(run, run),
            share(tag, tag),
            share(plugin_name, plugin_name),
            data_classes[data_class],
            share(content, content),
            share(display_name, display_name),
            share(description, description),
            count,
            0 if last_step is None else last_step,
            0.0 if max_wall is None else max_wall,
            max_length,
        )
        for (
            run,
            tag,
            plugin_name,
            data_class,
            content,
            display_name,
            description,
            count,
            last_step,
            max_wall,
            max_length,
        ) in rows
    ]


def splice_runs(earlier: list[Series], changed: set[str], fresh: list[Series]) -> list[Series]:
    """``earlier`` (by run, then tag) without the runs in ``changed``, with ``fresh`` in place.

    ``fresh`` holds the current entries of the changed runs, in the same order.
    """
    by_run = attrgetter("run")
    spliced: list[Series] = []
    done = at = 0
    for name in sorted(changed):
        start = bisect_left(earlier, name, lo=done, key=by_run)
        end = bisect_right(earlier, name, lo=start, key=by_run)
        spliced += earlier[done:start]
        begin = bisect_left(fresh, name, lo=at, key=by_run)
        at = bisect_right(fresh, name, lo=begin, key=by_run)
        spliced += fresh[begin:at]
        done = end
    spliced += earlier[done:]
    return spliced


def _series_where(key: SeriesFilter) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    plugin_name, data_class = key
    if plugin_name is not None:
        where.append("s.plugin_name = ?")
        params.append(plugin_name)
    if data_class is not None:
        where.append("s.data_class = ?")
        params.append(data_class.value)
    return where, params


class ListingCache:
    """The listings of the latest generation seen; older ones are dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._runs: list[Run] | None = None
        self._series: dict[SeriesFilter, list[Series]] = {}
        self._earlier_series: tuple[str | None, dict[SeriesFilter, list[Series]]] = (None, {})
        self._table: RunTable | None = None
        self._table_generation: str | None = None
        self._kinds: frozenset[tuple[str, int]] | None = None
        self._building = threading.Lock()

    def runs(self, db: sqlite3.Connection) -> list[Run]:
        current = generation(db)
        with self._lock:
            self._advance(current)
            cached = self._runs
        if cached is None:
            cached = query_runs(db)
            with self._lock:
                # Unless a newer generation was seen meanwhile (this one is then stale).
                if current == self._generation and len(cached) <= MAX_CACHED:
                    self._runs = cached
        return list(cached)

    def series(self, db: sqlite3.Connection, key: SeriesFilter) -> list[Series]:
        current = generation(db)
        with self._lock:
            self._advance(current)
            cached = self._series.get(key)
            everything = self._series.get((None, None))
        if cached is None:
            if everything is not None:
                plugin_name, data_class = key
                cached = [
                    s
                    for s in everything
                    if (plugin_name is None or s.plugin_name == plugin_name)
                    and (data_class is None or s.data_class is data_class)
                ]
            else:
                cached = self._spliced(db, key, current) or query_series(db, *_series_where(key))
            with self._lock:
                if current == self._generation and len(cached) <= MAX_CACHED:
                    self._series[key] = cached
        return list(cached)

    def _spliced(
        self, db: sqlite3.Connection, key: SeriesFilter, current: str | None
    ) -> list[Series] | None:
        """The listing of an earlier generation with the entries of runs changed since replaced.

        ``None`` when there is none to start from or too many runs changed.
        """
        with self._lock:
            since, listings = self._earlier_series
            earlier = listings.get(key)
        if earlier is None or not newer(current, since):
            return None
        changed = changed_runs(db, since)
        if len(changed) > max(64, REFRESH_SHARE * len(earlier)):
            return None
        where, params = _series_where(key)
        fresh = query_series(
            db,
            [*where, "r.id IN (SELECT value FROM json_each(?))"],
            [*params, json.dumps([run_id for run_id, _ in changed])],
        )
        return splice_runs(earlier, {name for _, name in changed}, fresh)

    def series_kinds(self, db: sqlite3.Connection) -> frozenset[tuple[str, int]]:
        """The (plugin name, data class value) pairs of the listed series."""
        current = generation(db)
        with self._lock:
            self._advance(current)
            cached = self._kinds
        if cached is None:
            cached = frozenset(
                db.execute(
                    "SELECT DISTINCT plugin_name, data_class FROM series WHERE data_class != 0"
                ).fetchall()
            )
            with self._lock:
                if current == self._generation:
                    self._kinds = cached
        return cached

    def run_table(self, db: sqlite3.Connection) -> RunTable:
        current = generation(db)
        with self._lock:
            self._advance(current)
            if self._table is not None and self._table_generation == current:
                return self._table
        with self._building:
            with self._lock:
                # Another thread may have built it while this one waited.
                if self._table is not None and self._table_generation == current:
                    return self._table
                previous, since = self._table, self._table_generation
            table = refreshed_run_table(db, previous, since, current)
            with self._lock:
                if current == self._generation:
                    self._table, self._table_generation = table, current
        return table

    def forget(self) -> None:
        """Drop everything kept, previous generations included (benchmarks time cold builds)."""
        with self._lock:
            self._generation = "forgotten"  # no snapshot has it: the next call reads again
            self._runs = self._kinds = None
            self._series = {}
            self._earlier_series = (None, {})
            self._table = self._table_generation = None

    def _advance(self, current: str | None) -> None:
        """Forget listings of another generation (called with the lock held)."""
        if current != self._generation:
            self._runs = None
            if self._series:  # the base of the next listings (an older base covers more runs)
                self._earlier_series = (self._generation, self._series)
            self._generation = current
            self._series = {}
            self._kinds = None
            # The run table is kept: the next one is this one with the changed runs replaced.
