"""Instants and counters take the chunked fast path, and it reads what the per-event path
reads: the same columns, tracks, names and arguments, on real bytes (a real torch capture with
its ``[memory]`` instants, plus counters as Chrome traces hold them)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np

from heron.formats.trace_stream import iter_trace_chunks
from heron.plugins.profile.columnar import ColumnarTrace, _finish, build_columns
from heron.plugins.profile.trace_builder import TraceBuilder
from heron.plugins.profile.trace_mark_builder import MarkColumns

FIXTURES = Path(__file__).parents[2] / "fixtures" / "profile"
TORCH_FILE = next((FIXTURES / "torch_cpu").glob("*.pt.trace.json.gz"))


class PerEventBuilder(TraceBuilder):
    """The reference: every event through ``add`` (the fast paths all decline)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks.instants = lambda *args: False  # type: ignore[method-assign]
        self.marks.counters = lambda *args: False  # type: ignore[method-assign]

    def _columns(self, fast: list[dict[str, Any]]) -> bool:
        return False

    def _flows(self, flows: list[dict[str, Any]]) -> bool:
        return False


def _parse(data: bytes, builder: TraceBuilder) -> ColumnarTrace:
    for chunk in iter_trace_chunks(data, chunk_bytes=4096).chunks():
        builder.chunk(chunk)
    return _finish(builder)


def _with_counters(document: dict[str, Any]) -> bytes:
    """The capture's events with two counters (one of two series, one with ids) interleaved."""
    events = document["traceEvents"]
    spans = [e for e in events if e.get("ph") == "X"]
    first, last = min(e["ts"] for e in spans), max(e["ts"] for e in spans)
    counters: list[dict[str, Any]] = []
    for k in range(400):
        ts = first + (last - first) * k / 400
        counters.append(
            {"ph": "C", "name": "GPU memory", "pid": 0, "ts": ts,
             "args": {"allocated": (k * 37) % 101, "reserved": 128.5}}
        )  # fmt: skip
        if k % 3 == 0:
            counters.append(
                {"ph": "C", "name": "queue", "pid": str(events[0].get("pid", 1)), "ts": ts,
                 "args": {"depth": k % 7}}
            )  # fmt: skip
    mixed = [e for pair in zip(events, counters, strict=False) for e in pair]
    mixed += events[len(counters) :] + counters[len(events) :]
    return json.dumps({**document, "traceEvents": mixed}).encode()


def _assert_same(a: ColumnarTrace, b: ColumnarTrace) -> None:
    """Equal columns; names compared as text (the name table's numbering may differ)."""
    assert a.tracks == b.tracks
    assert a.skipped == b.skipped
    assert set(a.names) == set(b.names)
    assert (a.origin, a.extent) == (b.origin, b.extent)
    for column in ("start", "duration", "track", "depth", "flow_from", "flow_to"):
        assert np.array_equal(getattr(a, column), getattr(b, column)), column
    assert [a.names[n] for n in a.name] == [b.names[n] for n in b.name]
    ma, mb = a.marks, b.marks
    for column in (
        "instant_time", "instant_track", "instant_offsets",
        "counter_time", "counter_value", "counter_offsets",
    ):  # fmt: skip
        assert np.array_equal(getattr(ma, column), getattr(mb, column)), column
    assert [a.names[n] for n in ma.instant_name] == [b.names[n] for n in mb.instant_name]
    assert ma.counter_tracks == mb.counter_tracks
    assert [ma.instant_args_of(i) for i in range(len(ma.instant_time))] == [
        mb.instant_args_of(i) for i in range(len(mb.instant_time))
    ]
    assert [a.args(i) for i in range(0, a.size, 7)] == [b.args(i) for i in range(0, b.size, 7)]


def test_the_fast_path_reads_a_capture_with_instants_and_counters_as_the_per_event_path():
    data = _with_counters(json.loads(gzip.decompress(TORCH_FILE.read_bytes())))
    fast, slow = _parse(data, TraceBuilder()), _parse(data, PerEventBuilder())
    _assert_same(fast, slow)
    # Real content, not two empty parses: the capture's 431 allocations and both counters.
    assert len(fast.marks.instant_time) > 431
    # The capture's process (it has a sort index) before pid 0 (it has none).
    assert [(c.name, c.series) for c in fast.marks.counter_tracks] == [
        ("queue", "depth"), ("GPU memory", "allocated"), ("GPU memory", "reserved")
    ]  # fmt: skip
    assert len(fast.marks.counter_time) == 400 + 400 + 134


def test_a_chunk_of_plain_counters_takes_the_fast_path_with_known_values():
    columns = MarkColumns({})
    events = [
        {"ph": "C", "name": "mem", "pid": 1, "ts": 5, "args": {"used": 3, "free": 2.5}},
        {"ph": "C", "name": "mem", "pid": "1", "ts": 6.5, "args": {"used": 4}},
        {"ph": "C", "name": "queue", "pid": 2, "ts": 7, "args": {"depth": 0}},
    ]
    assert columns.counters(events)
    assert list(columns.counter_keys) == [("1", "mem", "used"), ("1", "mem", "free"),
                                          ("2", "queue", "depth")]  # fmt: skip
    assert columns.counter_time.tolist() == [5, 5, 6.5, 7]
    assert columns.counter_track.tolist() == [0, 1, 0, 2]  # pid 1 and "1" are one process
    assert columns.counter_value.tolist() == [3, 2.5, 4, 0]


def test_unusual_counters_decline_the_fast_path_and_read_as_the_per_event_path_does():
    cases = [
        {"ph": "C", "name": "mem", "ts": 1, "args": {"used": 1}},  # no pid: pid 0
        {"ph": "C", "name": "mem", "pid": 1, "id": 7, "ts": 1, "args": {"used": 1}},  # "mem 7"
        {"ph": "C", "name": 12, "pid": 1, "ts": 1, "args": {"used": 1}},  # name "12"
        {"ph": "C", "name": "mem", "pid": 1, "ts": 1, "args": {"used": "x", "n": 2}},
        {"ph": "C", "name": "mem", "pid": 1, "ts": 1, "args": {"flag": True, "n": 2}},
        {"ph": "C", "name": "mem", "pid": 1, "ts": 1, "args": {}},  # skipped
        {"ph": "C", "name": "mem", "pid": 1, "ts": "late", "args": {"n": 1}},  # skipped
        {"ph": "C", "name": "mem", "pid": 1, "ts": 1, "args": ["not", "a", "dict"]},
    ]
    for odd in cases:
        events = [{"ph": "C", "name": "mem", "pid": 1, "ts": 0, "args": {"n": 5}}, odd]
        assert not MarkColumns({}).counters(events), odd
        data = json.dumps({"traceEvents": events}).encode()
        fast, slow = build_columns(data), _parse(data, PerEventBuilder())
        _assert_same(fast, slow)
    # What the per-event path makes of them, on one document.
    trace = build_columns(json.dumps({"traceEvents": cases}).encode())
    assert [(c.pid, c.name, c.series) for c in trace.marks.counter_tracks] == [
        ("0", "mem", "used"), ("1", "12", "used"), ("1", "mem", "n"), ("1", "mem 7", "used")
    ]  # fmt: skip
    assert trace.skipped == 3
