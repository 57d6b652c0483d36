"""Instant and counter events to columns while the chunks of a trace stream by.

A torch trace can hold as many ``[memory]`` instants as spans, and a counter sample is one
event per value change, so these take the same chunked path as spans (``trace_builder``):
a chunk's instants and counters are appended column by column with comprehensions into
``array`` columns, and anything unusual in a chunk (a missing field, a name that is not a
string, a value that is not a finite number) sends that chunk's events of that kind through
the per-event methods, which know the defaults and what to skip. Both paths append the same
values in the same order.

Nothing is kept as a Python object per event: a tuple or a small ``bytes`` per instant or
sample, allocated between the freed dicts of each chunk, pins the allocator's arenas and held
~8 MB per 1 MB chunk (1.2 GB for a million events). An instant's arguments are one orjson
list per chunk, decoded only when it is clicked.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from operator import itemgetter
from typing import Any

import orjson

__all__ = ["MarkColumns"]

_INSTANT_FIELDS = itemgetter("ts", "name", "pid", "tid")
_COUNTER_FIELDS = itemgetter("ts", "name", "pid", "args")
_NUMBERS = frozenset((int, float))
_TEXT = frozenset((str,))


class MarkColumns:
    """Instant and counter columns of one trace, in file order (``trace_marks`` sorts them)."""

    def __init__(self, names: dict[str, int]) -> None:
        #: The trace's name table, shared with the spans.
        self.names = names
        self.instant_time = array("d")
        #: The span track (``TraceBuilder.tracks``) of each instant; -1 for a global one.
        self.instant_track = array("i")
        self.instant_name = array("i")
        #: Arguments of the current chunk's instants (a dict or None each), then one orjson
        #: list per chunk; chunk ``c``'s list starts at instant ``instant_args_firsts[c]``.
        self.chunk_args: list[Any] = []
        self.instant_args_chunks: list[bytes] = []
        self.instant_args_firsts: list[int] = []
        self.counter_time = array("d")
        #: Into ``counter_keys``' numbering (order of first sight).
        self.counter_track = array("i")
        self.counter_value = array("d")
        #: A counter track per (pid, counter name, series), as text.
        self.counter_keys: dict[tuple[str, str, str], int] = {}
        #: The same keyed as the events spell them (a pid may be an int): a shortcut.
        self.raw_counter_keys: dict[tuple[Any, str, str], int] = {}

    def begin_chunk(self) -> None:
        self.instant_args_firsts.append(len(self.instant_time))

    def end_chunk(self) -> None:
        self.instant_args_chunks.append(orjson.dumps(self.chunk_args))
        self.chunk_args = []

    # Instants ----------------------------------------------------------------------------

    def instants(
        self,
        events: list[dict[str, Any]],
        raw: dict[tuple[Any, Any], int],
        new_track: Callable[[tuple[Any, Any]], int],
    ) -> bool:
        """Append a chunk's instants; False (nothing appended) if one is unusual. ``raw`` maps
        a thread as the events spell it, (pid, tid), to its span track; ``new_track`` adds one."""
        try:
            rows = list(map(_INSTANT_FIELDS, events))
        except KeyError:
            return False
        times, names, pids, tids = zip(*rows, strict=True)
        if set(map(type, names)) != _TEXT:
            return False
        try:
            time = array("d", times)
            tracks = [
                -1 if event.get("s") == "g" else raw[k] if k in raw else new_track(k)
                for event, k in zip(events, zip(pids, tids, strict=True), strict=True)
            ]
        except (TypeError, ValueError, OverflowError):
            return False  # a time that is not a number, a pid that is a list
        table = self.names
        self.instant_time.extend(time)
        self.instant_track.extend(tracks)
        self.instant_name.extend([table.setdefault(n, len(table)) for n in names])
        self.chunk_args.extend(
            [a if type(a := event.get("args")) is dict else None for event in events]
        )
        return True

    def instant(self, event: dict[str, Any], track: int) -> None:
        """One instant the per-event way (defaults for a missing name), on ``track``."""
        time = float(event["ts"])
        name = str(event.get("name", ""))
        args = event.get("args")
        self.instant_time.append(time)
        self.instant_track.append(track)
        self.instant_name.append(self.names.setdefault(name, len(self.names)))
        self.chunk_args.append(args if isinstance(args, dict) else None)

    # Counters ----------------------------------------------------------------------------

    def counters(self, events: list[dict[str, Any]]) -> bool:
        """Append a chunk's counter samples (one per series of each event); False (nothing
        appended) if one is unusual: no pid, a counter ``id``, a value that is not a finite
        number, an event without series."""
        try:
            rows = list(map(_COUNTER_FIELDS, events))
        except KeyError:
            return False
        _, names, _, series_of = zip(*rows, strict=True)
        if set(map(type, names)) != _TEXT or not all(series_of):
            return False  # a name that is not a string, an event without series
        if any("id" in event for event in events):
            return False  # named "name id" the per-event way
        try:
            samples = [
                (ts, pid, name, series, value)
                for ts, name, pid, args in rows
                for series, value in args.items()
            ]
        except AttributeError:
            return False  # args that is not a dict
        times, pids, names, series, values = zip(*samples, strict=True)
        if not set(map(type, values)) <= _NUMBERS:
            return False  # a series that is not a number (left out the per-event way)
        try:
            time, value = array("d", times), array("d", values)
        except (TypeError, OverflowError):
            return False
        if not all(map(math.isfinite, value)):
            return False
        keys = self.raw_counter_keys
        try:
            tracks = [
                keys[k] if k in keys else self._raw_counter_key(k)
                for k in zip(pids, names, series, strict=True)
            ]
        except TypeError:
            return False  # an unhashable pid
        self.counter_time.extend(time)
        self.counter_value.extend(value)
        self.counter_track.extend(tracks)
        return True

    def _raw_counter_key(self, key: tuple[Any, str, str]) -> int:
        pid, name, series = key
        text = (str(pid), name, series)
        found = self.raw_counter_keys[key] = self.counter_keys.setdefault(
            text, len(self.counter_keys)
        )
        return found

    def counter(self, event: dict[str, Any]) -> None:
        """One counter event the per-event way: a sample of each numeric series (``args`` maps
        series to values); an event with none raises ValueError (counted as skipped)."""
        time = float(event["ts"])
        args = event.get("args")
        if not isinstance(args, dict) or not args:
            raise ValueError("a counter without series")
        pid, name = str(event.get("pid", 0)), str(event.get("name", ""))
        if "id" in event:
            name = f"{name} {event['id']}"
        samples = [
            (str(series), number)
            for series, value in args.items()
            if (number := _finite(value)) is not None
        ]
        if not samples:
            raise ValueError("a counter without numeric series")
        keys = self.counter_keys
        for series, value in samples:
            self.counter_time.append(time)
            self.counter_track.append(keys.setdefault((pid, name, series), len(keys)))
            self.counter_value.append(value)


def _finite(value: Any) -> float | None:
    """A series' value as a float; None for what a counter cannot draw (text, a bool, NaN)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None  # an integer beyond float64
    return number if math.isfinite(number) else None
