"""Decoding Chrome trace-event documents: every phase profilers write, and bad input."""

from __future__ import annotations

import gzip
import json

import pytest

from heron.formats.trace_events import TraceFormatError, decode_trace

EVENTS = [
    {"ph": "M", "name": "process_name", "pid": 1, "args": {"name": "python"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 7, "args": {"name": "main"}},
    {"ph": "B", "name": "outer", "cat": "c", "pid": 1, "tid": 7, "ts": 10, "args": {"a": 1}},
    {"ph": "X", "name": "inner", "cat": "cpu_op", "pid": 1, "tid": 7, "ts": 12, "dur": 3},
    {"ph": "E", "pid": 1, "tid": 7, "ts": 20, "args": {"b": 2}},
    {"ph": "i", "name": "[memory]", "pid": 1, "tid": 7, "ts": 13, "s": "t", "args": {"x": 1}},
    {"ph": "C", "name": "mem", "pid": 1, "ts": 14, "args": {"used": 5, "label": "x"}},
    {"ph": "s", "id": 3, "name": "flow", "pid": 1, "tid": 7, "ts": 12},
    {"ph": "f", "id": 3, "name": "flow", "pid": 1, "tid": 7, "ts": 16, "bp": "e"},
    {"ph": "E", "pid": 1, "tid": 8, "ts": 30},
    {"ph": "X", "name": "no time", "pid": 1, "tid": 7},
    {"name": "no phase"},
]


def test_every_phase_is_decoded():
    trace = decode_trace(json.dumps({"traceEvents": EVENTS, "host_name": "h"}).encode())
    assert [(s.name, s.start, s.duration) for s in trace.spans] == [
        ("outer", 10.0, 10.0),
        ("inner", 12.0, 3.0),
    ]
    assert trace.spans[0].args == {"a": 1, "b": 2}
    assert [(i.name, i.time) for i in trace.instants] == [("[memory]", 13.0)]
    assert trace.counters[0].values == {"used": 5.0}
    assert [(f.phase, f.id) for f in trace.flows] == [("s", "3"), ("f", "3")]
    assert trace.process_names == {1: "python"}
    assert trace.thread_names == {(1, 7): "main"}
    assert trace.metadata == {"host_name": "h"}
    assert trace.skipped == 3  # an E without B, an X without ts, an event without ph


def test_gzip_and_a_bare_list_are_read():
    trace = decode_trace(gzip.compress(json.dumps(EVENTS[:5]).encode()))
    assert len(trace.spans) == 2


def test_an_unclosed_begin_is_counted_as_skipped():
    trace = decode_trace(json.dumps([{"ph": "B", "name": "x", "ts": 1}]).encode())
    assert trace.spans == []
    assert trace.skipped == 1


@pytest.mark.parametrize(
    "data", [b"not json", b'{"traceEvents": 3}', b"42", b"\x1f\x8b broken gzip"]
)
def test_malformed_documents_raise_a_format_error(data):
    with pytest.raises(TraceFormatError):
        decode_trace(data)
