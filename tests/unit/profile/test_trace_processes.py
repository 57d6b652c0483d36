"""The trace viewer's process blocks: a process's threads are contiguous in the track order,
and the window header lists every process (those with only counters too) in display order,
so the viewer can lay counters out inside their process."""

from __future__ import annotations

import json

from heron.plugins.profile.columnar import build_columns
from heron.plugins.profile.lod import decode_window, encode_window, lod_window


def _meta(kind, pid, value, tid=0):
    key = "sort_index" if kind.endswith("sort_index") else "name"
    return {"ph": "M", "name": kind, "pid": pid, "tid": tid, "args": {key: value}}


def _span(pid, tid, ts=0):
    return {"ph": "X", "name": "op", "cat": "c", "pid": pid, "tid": tid, "ts": ts, "dur": 5}


def test_threads_of_a_process_stay_together_even_when_thread_sort_indices_interleave():
    events = [
        _meta("process_name", 1, "trainer"),
        _meta("process_name", 2, "loader"),
        # Thread sort indices that would interleave the two processes if sorted first.
        _meta("thread_sort_index", 1, 0, tid=10),
        _meta("thread_sort_index", 2, 1, tid=20),
        _meta("thread_sort_index", 1, 2, tid=11),
        _span(1, 10),
        _span(2, 20),
        _span(1, 11),
        {"ph": "C", "name": "gpu memory", "pid": 3, "ts": 1, "args": {"used": 1}},
        {"ph": "C", "name": "queue", "pid": 1, "ts": 1, "args": {"depth": 1}},
    ]
    trace = build_columns(json.dumps({"traceEvents": events}).encode())
    assert [(t.pid, t.tid) for t in trace.tracks] == [("2", "20"), ("1", "10"), ("1", "11")]
    # Processes by name ("3" has none: its pid is its name), the counter-only one included.
    assert trace.processes == [("3", "3"), ("2", "loader"), ("1", "trainer")]
    header, _ = decode_window(
        encode_window(trace, lod_window(trace, start=None, end=None, width=50))
    )
    assert header["processes"] == [
        {"pid": "3", "name": "3"}, {"pid": "2", "name": "loader"}, {"pid": "1", "name": "trainer"}
    ]  # fmt: skip
    assert [(c["pid"], c["name"]) for c in header["counter_tracks"]] == [
        ("3", "gpu memory"), ("1", "queue")
    ]  # fmt: skip


def test_process_sort_indices_order_the_processes_and_their_counters():
    events = [
        _meta("process_sort_index", 5, 0),
        _meta("process_sort_index", 1, 1),
        _span(1, 1),
        _span(5, 1),
        {"ph": "C", "name": "c", "pid": 1, "ts": 1, "args": {"v": 1}},
        {"ph": "C", "name": "c", "pid": 5, "ts": 1, "args": {"v": 1}},
    ]
    trace = build_columns(json.dumps({"traceEvents": events}).encode())
    assert [p for p, _ in trace.processes] == ["5", "1"]
    assert [t.pid for t in trace.tracks] == ["5", "1"]
    assert [c.pid for c in trace.marks.counter_tracks] == ["5", "1"]
