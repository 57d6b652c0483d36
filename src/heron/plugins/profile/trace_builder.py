"""Events to columns while the chunks of a trace stream by (``columnar.build_columns``).

Complete (``X``) events and flow points are appended a chunk at a time with C-level loops
(``map(itemgetter)``, comprehensions into ``array``): the per-event Python work is what a
streaming parse spends most of its time on. Instants and counters take the same kind of path
(``trace_mark_builder``). Anything unusual in a chunk (a missing field, a name that is not a
string) sends that chunk's events of that kind through the per-event path, which knows the
defaults and counts what it must skip. A span's arguments are kept as one orjson list per
chunk, decoded only when the span is clicked.
"""

from __future__ import annotations

from array import array
from operator import itemgetter
from typing import Any

import orjson

from heron.plugins.profile.trace_mark_builder import MarkColumns

__all__ = ["TraceBuilder"]

_FIELDS = itemgetter("ts", "dur", "name", "cat", "pid", "tid")
_FLOW_FIELDS = itemgetter("id", "ph", "ts", "pid", "tid")
#: A tuple, not a set: membership by equality works for a ``ph`` of any type.
_FLOW_PHASES = ("s", "t", "f")


class TraceBuilder:
    """Columns appended event by event while the chunks stream by."""

    def __init__(self) -> None:
        self.start = array("d")
        self.duration = array("d")
        self.track = array("i")
        self.name = array("i")
        self.category = array("i")
        #: Arguments of the current chunk's spans, dumped as one orjson list per chunk.
        self.chunk_args: list[Any] = []
        self.args_chunks: list[bytes] = []
        self.args_firsts: list[int] = []
        self.names: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.tracks: dict[tuple[str, str], int] = {}
        #: Track of a (pid, tid) as the events spell it (ints or strings), a shortcut to ``tracks``.
        self.raw_tracks: dict[tuple[Any, Any], int] = {}
        self.process_names: dict[str, str] = {}
        self.thread_names: dict[tuple[str, str], str] = {}
        self.process_sort: dict[str, int] = {}
        self.thread_sort: dict[tuple[str, str], int] = {}
        self.open: dict[tuple[str, str], list[dict[str, Any]]] = {}
        #: (flow id, phase, track, time, binds to the enclosing span)
        self.flows: list[tuple[str, str, int, float, bool]] = []
        #: Instant events (``i`` / ``I``) and counter samples (``C``).
        self.marks = MarkColumns(self.names)
        self.skipped = 0

    def track_of(self, event: dict[str, Any]) -> int:
        key = (str(event.get("pid", 0)), str(event.get("tid", 0)))
        found = self.tracks.get(key)
        if found is None:
            found = self.tracks[key] = len(self.tracks)
        return found

    def span(self, event: dict[str, Any], start: float, duration: float, args: Any) -> None:
        name = str(event.get("name", ""))
        category = str(event.get("cat", ""))
        self.start.append(start)
        self.duration.append(max(0.0, duration))
        self.track.append(self.track_of(event))
        self.name.append(self.names.setdefault(name, len(self.names)))
        self.category.append(self.categories.setdefault(category, len(self.categories)))
        self.chunk_args.append(args if isinstance(args, dict) else None)

    def chunk(self, events: list[Any]) -> None:
        """Every event of a chunk: complete (``X``), flow, instant and counter events column
        by column (C-level loops), the few others (``B`` / ``E``, metadata) one by one."""
        self.args_firsts.append(len(self.start))
        self.marks.begin_chunk()
        phases = [e.get("ph") if type(e) is dict else None for e in events]
        fast = [e for e, p in zip(events, phases, strict=True) if p == "X"]
        flows = [e for e, p in zip(events, phases, strict=True) if p in _FLOW_PHASES]
        instants = [e for e, p in zip(events, phases, strict=True) if p in ("i", "I")]
        counters = [e for e, p in zip(events, phases, strict=True) if p == "C"]
        done: tuple[str, ...] = ()
        if instants and self.marks.instants(instants, self.raw_tracks, self.raw_track):
            done += ("i", "I")
        if counters and self.marks.counters(counters):
            done += ("C",)
        if fast and self._columns(fast):
            done += ("X",)
        if flows and self._flows(flows):
            done += _FLOW_PHASES
        for event, phase in zip(events, phases, strict=True):
            if phase not in done:
                self.add(event)
        self.args_chunks.append(orjson.dumps(self.chunk_args))
        self.chunk_args = []
        self.marks.end_chunk()

    def _flows(self, flows: list[dict[str, Any]]) -> bool:
        """Append flow points; False if one is unusual (the per-event path then reads them)."""
        try:
            rows = list(map(_FLOW_FIELDS, flows))
            raw = self.raw_tracks
            points = [
                (
                    str(flow_id),
                    phase,
                    raw[(pid, tid)] if (pid, tid) in raw else self.raw_track((pid, tid)),
                    float(ts),
                    phase != "f" or event.get("bp") == "e",
                )
                for (flow_id, phase, ts, pid, tid), event in zip(rows, flows, strict=True)
            ]
        except (KeyError, TypeError, ValueError):
            return False
        self.flows.extend(points)
        return True

    def _columns(self, fast: list[dict[str, Any]]) -> bool:
        """Append complete events field by field (C-level loops); False if one is unusual."""
        try:
            rows = list(map(_FIELDS, fast))
        except KeyError:
            return False  # a missing dur / cat / pid: the per-event path knows the defaults
        starts, durations, names, categories, pids, tids = zip(*rows, strict=True)
        if not all(type(n) is str for n in names) or not all(type(c) is str for c in categories):
            return False
        begin = len(self.start)
        try:
            self.start.extend(starts)
            self.duration.extend(durations)
        except TypeError:
            del self.start[begin:], self.duration[begin:]
            return False
        table, cats, raw = self.names, self.categories, self.raw_tracks
        self.name.extend([table.setdefault(n, len(table)) for n in names])
        self.category.extend([cats.setdefault(c, len(cats)) for c in categories])
        self.track.extend(
            [raw[k] if k in raw else self.raw_track(k) for k in zip(pids, tids, strict=True)]
        )
        self.chunk_args.extend([e.get("args") for e in fast])
        return True

    def raw_track(self, key: tuple[Any, Any]) -> int:
        found = self.raw_tracks[key] = self.track_of({"pid": key[0], "tid": key[1]})
        return found

    def add(self, event: Any) -> None:
        if not isinstance(event, dict):
            self.skipped += 1
            return
        try:
            phase = event["ph"]
            if phase == "X":
                self.span(
                    event, float(event["ts"]), float(event.get("dur", 0.0)), event.get("args")
                )
            elif phase == "B":
                float(event["ts"])
                self.open.setdefault(_key(event), []).append(event)
            elif phase == "E":
                stack = self.open.get(_key(event))
                if not stack:
                    raise KeyError("E without B")
                begin = stack.pop()
                start = float(begin["ts"])
                args = {**(begin.get("args") or {}), **(event.get("args") or {})}
                self.span(begin, start, float(event["ts"]) - start, args)
            elif phase in ("s", "t", "f"):
                enclosing = phase != "f" or event.get("bp") == "e"
                self.flows.append(
                    (str(event["id"]), phase, self.track_of(event), float(event["ts"]), enclosing)
                )
            elif phase == "M":
                self.metadata(event)
            elif phase in ("i", "I"):
                float(event["ts"])  # an instant without a time makes no track
                # Process-scoped instants too: their thread is where they happened; global
                # ones (``s: g``) belong to no thread: track -1, drawn on the time ruler.
                self.marks.instant(event, -1 if event.get("s") == "g" else self.track_of(event))
            elif phase == "C":
                self.marks.counter(event)
            elif not isinstance(phase, str):
                raise TypeError("a phase that is not a string")
            # Other phases (async, object, sample events) are not drawn by the viewer.
        except (KeyError, TypeError, ValueError, OverflowError):
            self.skipped += 1

    def metadata(self, event: dict[str, Any]) -> None:
        pid, tid = _key(event)
        args = event.get("args") or {}
        kind = event.get("name")
        if kind == "process_name":
            self.process_names[pid] = str(args["name"])
        elif kind == "thread_name":
            self.thread_names[(pid, tid)] = str(args["name"])
        elif kind == "process_sort_index":
            self.process_sort[pid] = int(args["sort_index"])
        elif kind == "thread_sort_index":
            self.thread_sort[(pid, tid)] = int(args["sort_index"])


def _key(event: dict[str, Any]) -> tuple[str, str]:
    return str(event.get("pid", 0)), str(event.get("tid", 0))
