"""The trace viewer's server side: streaming decode, columns, nesting, level of detail, flows,
the range summary, search and the cache's file identity — on real bytes, no mocks."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import numpy as np
import pytest

from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.trace_events import TraceFormatError, decode_trace
from heron.formats.trace_stream import iter_trace_chunks
from heron.plugins.profile.columnar import build_columns, columns_of
from heron.plugins.profile.lod import decode_window, encode_window, lod_window
from heron.plugins.profile.model import TraceCache, prepare
from heron.plugins.profile.trace_cache import ColumnarCache
from heron.plugins.profile.trace_view import range_summary, search, span_details

FIXTURES = Path(__file__).parents[2] / "fixtures" / "profile"
TORCH_FILE = next((FIXTURES / "torch_cpu").glob("*.pt.trace.json.gz"))


def _x(name, ts, dur, tid=1, **extra):
    return {
        "ph": "X",
        "name": name,
        "cat": "cpu_op",
        "pid": 1,
        "tid": tid,
        "ts": ts,
        "dur": dur,
        **extra,
    }


def _doc(events, **meta):
    return json.dumps({"traceEvents": events, **meta}).encode()


def test_chunked_decoding_gives_the_events_and_metadata_of_a_whole_parse():
    events = [_x(f"op{i}", i, 1, args={"nested": [{"a": "},{"}, {"b": [1]}]}) for i in range(500)]
    data = _doc(events, deviceProperties=[{"name": "cpu"}], after="x")
    stream = iter_trace_chunks(data, chunk_bytes=100)
    chunks = list(stream.chunks())
    assert len(chunks) > 10  # really cut, even with "},{" inside strings and nested lists
    assert [e for chunk in chunks for e in chunk] == events
    assert stream.metadata == {"deviceProperties": [{"name": "cpu"}], "after": "x"}


def test_chunked_decoding_reads_bare_lists_gzip_and_rejects_non_json():
    events = [_x("a", 0, 1), _x("b", 1, 1)]
    data = gzip.compress(json.dumps(events).encode())
    assert [e for c in iter_trace_chunks(data, chunk_bytes=64).chunks() for e in c] == events
    with pytest.raises(TraceFormatError):
        list(iter_trace_chunks(b"{not json").chunks())


def test_columns_nest_spans_and_compute_self_time():
    trace = build_columns(
        _doc(
            [
                _x("step", 100, 100),
                _x("forward", 110, 50),
                _x("matmul", 120, 20),
                _x("relu", 150, 5),
                _x("backward", 170, 20),
                _x("other_thread", 100, 10, tid=2),
            ]
        )
    )
    by_name = {trace.names[int(trace.name[i])]: i for i in range(trace.size)}
    depth = {n: int(trace.depth[i]) for n, i in by_name.items()}
    assert depth == {
        "step": 0,
        "forward": 1,
        "matmul": 2,
        "relu": 2,
        "backward": 1,
        "other_thread": 0,
    }
    self_time = {n: float(trace.self_time[i]) for n, i in by_name.items()}
    assert self_time["step"] == pytest.approx(100 - 50 - 20)
    assert self_time["forward"] == pytest.approx(50 - 20 - 5)
    assert float(trace.start[by_name["step"]]) == 0.0  # times from the origin
    assert [t.depths for t in trace.tracks] == [3, 1]


def test_columns_match_the_object_model_on_a_real_torch_capture():
    data = TORCH_FILE.read_bytes()
    trace = build_columns(data)
    objects = decode_trace(data)
    assert trace.size == len(objects.spans)
    # Spans and instants (the global markers too) span the timeline, as in the object model.
    model = prepare(objects)
    assert trace.extent == pytest.approx(model.extent)
    assert trace.origin == pytest.approx(model.origin)
    names = sorted(trace.names[int(i)] for i in trace.name)
    assert names == sorted(s.name for s in objects.spans)


def _many_short(count=1000, gap=1.0, dur=0.5):
    return build_columns(
        _doc([_x("long", 0, count * gap)] + [_x(f"k{i % 3}", i * gap, dur) for i in range(count)])
    )


def test_spans_shorter_than_a_pixel_merge_into_busy_blocks():
    trace = _many_short()
    window = lod_window(trace, start=None, end=None, width=100)  # 10 µs a pixel
    depth1 = window.depth == 1
    assert depth1.sum() < 5  # 1000 spans a pixel apart: one busy block (or a few)
    assert window.count[depth1].sum() == 1000
    assert (window.span[depth1] == -1).all()
    assert (window.name[depth1] == -1).all()  # several names
    long = window.depth == 0
    assert window.count[long].tolist() == [1]  # a long span is always itself


def test_zoomed_in_windows_hold_the_exact_spans_clipped_to_the_window():
    trace = _many_short()
    window = lod_window(trace, start=100.2, end=110.0, width=1000)  # 0.01 µs a pixel
    depth1 = window.depth == 1
    assert (window.count[depth1] == 1).all()
    starts = window.blocks_start[depth1].tolist()
    # The span that started at 100 ends at 100.5: it overlaps the window, so it is sent.
    assert starts == [float(i) for i in range(100, 111)]
    ids = window.span[depth1]
    assert [trace.names[int(trace.name[i])] for i in ids[:3]] == ["k1", "k2", "k0"]


def test_a_window_far_beyond_the_trace_is_empty_and_bad_windows_are_refused():
    trace = _many_short()
    assert len(lod_window(trace, start=1e9, end=2e9, width=100).blocks_start) == 0
    with pytest.raises(InvalidArgumentError):
        lod_window(trace, start=5, end=5, width=100)
    with pytest.raises(InvalidArgumentError):
        lod_window(trace, start=0, end=5, width=0)


def test_the_binary_window_round_trips_with_local_names():
    trace = _many_short(count=10)
    window = lod_window(trace, start=None, end=None, width=2000)
    header, columns = decode_window(encode_window(trace, window))
    assert header["count"] == len(window.blocks_start)
    assert header["tracks"][0]["depths"] == 2
    shown = [header["names"][i] for i in columns["name"]]
    assert shown == [trace.names[int(trace.name[s])] for s in columns["span"]]
    assert np.array_equal(columns["start"], window.blocks_start)


def _flow_trace():
    return build_columns(
        _doc(
            [
                {"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "args": {"name": "cpu"}},
                {
                    "ph": "M",
                    "name": "thread_name",
                    "pid": 0,
                    "tid": 7,
                    "args": {"name": "stream 7"},
                },
                _x("aten::mm", 0, 30),
                _x("cudaLaunchKernel", 10, 5),
                {
                    "ph": "X",
                    "name": "sgemm",
                    "cat": "kernel",
                    "pid": 0,
                    "tid": 7,
                    "ts": 40,
                    "dur": 8,
                },
                {"ph": "s", "id": 5, "pid": 1, "tid": 1, "ts": 10, "cat": "ac2g", "name": "ac2g"},
                {
                    "ph": "f",
                    "id": 5,
                    "pid": 0,
                    "tid": 7,
                    "ts": 40,
                    "cat": "ac2g",
                    "name": "ac2g",
                    "bp": "e",
                },
                {"ph": "s", "id": 6, "pid": 1, "tid": 1, "ts": 12, "cat": "fwdbwd"},  # no finish
            ]
        )
    )


def test_flows_bind_to_the_innermost_enclosing_span_and_show_on_both_ends():
    trace = _flow_trace()
    assert len(trace.flow_from) == 1
    launch = int(trace.flow_from[0])
    assert trace.names[int(trace.name[launch])] == "cudaLaunchKernel"
    details = span_details(trace, launch)
    (flow,) = details["flows"]
    assert (flow["id"], flow["from"]["name"], flow["to"]["name"]) == (
        "5",
        "cudaLaunchKernel",
        "sgemm",
    )
    kernel = int(trace.flow_to[0])
    assert span_details(trace, kernel)["flows"] == details["flows"]
    assert span_details(trace, kernel)["category"] == "kernel"
    with pytest.raises(NotFoundError):
        span_details(trace, trace.size)


def test_the_real_torch_capture_links_forward_ops_to_their_backward_ops():
    trace = build_columns(TORCH_FILE.read_bytes())
    pairs = {
        (trace.names[int(trace.name[a])], trace.names[int(trace.name[b])])
        for a, b in zip(trace.flow_from, trace.flow_to, strict=True)
    }
    assert ("aten::addmm", "AddmmBackward0") in pairs
    assert len(trace.flow_from) == 40


def test_range_summary_counts_time_inside_the_range_only():
    trace = build_columns(
        _doc([_x("a", 0, 10), _x("b", 2, 4), _x("a", 20, 10), _x("c", 0, 5, tid=2)])
    )
    summary = range_summary(trace, start=5, end=25, tracks=None)
    rows = {r["name"]: r for r in summary["ops"]}
    assert rows["a"]["count"] == 2
    assert rows["a"]["total_us"] == pytest.approx(5 + 5)
    # "a" at 0 has self time 6 (10 minus b's 4), half of it inside [5, 25].
    assert rows["a"]["self_us"] == pytest.approx(3 + 5)
    assert rows["b"]["total_us"] == pytest.approx(1)
    assert rows["c"]["total_us"] == pytest.approx(0)
    only_first = range_summary(trace, start=0, end=1, tracks=[1])
    assert [r["name"] for r in only_first["ops"]] == ["c"]
    with pytest.raises(InvalidArgumentError):
        range_summary(trace, start=0, end=1, tracks=[9])


def test_search_steps_to_the_next_and_previous_match():
    trace = _many_short(count=30)
    first = search(trace, "K1", after=-1, before=None)
    assert first["total"] == 10
    assert first["match"]["start"] == 1.0
    assert search(trace, "k1", after=1.0, before=None)["match"]["start"] == 4.0
    assert search(trace, "k1", after=None, before=4.0)["match"]["start"] == 1.0
    assert search(trace, "k1", after=None, before=1.0)["match"] is None
    with pytest.raises(InvalidArgumentError):
        search(trace, "  ", after=None, before=None)


def test_xspace_traces_become_columns_too():
    trace = columns_of(decode_trace(_doc([_x("a", 0, 10), _x("b", 1, 2)])))
    assert trace.size == 2
    assert sorted(int(d) for d in trace.depth) == [0, 1]


def test_a_file_rewritten_with_the_same_size_is_parsed_again():
    now = [0.0]
    checks = []

    def run_now(work):
        checks.append(now[0])
        work()

    cache = ColumnarCache(revalidate_seconds=2.0, clock=lambda: now[0], background=run_now)
    content = {"bytes": _doc([_x("aaaa", 0, 10)])}
    builds = []

    def build(data):
        builds.append(data)
        return build_columns(data)

    def get():
        return cache.get(
            ("run", "w.pt.trace.json", str(len(content["bytes"]))), lambda: content["bytes"], build
        )

    assert get().names == ["aaaa"]
    now[0] = 1.0
    assert get().names == ["aaaa"]
    assert (len(builds), checks) == (1, [])  # within 2 s: not even read again
    now[0] = 3.0
    assert get().names == ["aaaa"]
    assert (len(builds), checks) == (1, [3.0])  # read and hashed again: the same content
    content["bytes"] = _doc([_x("bbbb", 0, 10)])  # same size, other content
    now[0] = 5.0
    assert get().names == ["bbbb"]
    assert len(builds) == 2


def test_the_cache_drops_the_least_recently_used_trace_beyond_its_memory_bound():
    small = _doc([_x("a", 0, 1)])
    bound = build_columns(small).nbytes * 2 + 1
    cache = ColumnarCache(max_bytes=bound, revalidate_seconds=0, background=lambda work: work())
    builds = []

    def get(i):
        data = _doc([_x(f"op{i}", 0, 1)])
        return cache.get((str(i),), lambda: data, lambda d: builds.append(d) or build_columns(d))

    for i in range(4):
        get(i)
    get(3)
    assert len(builds) == 4
    get(0)  # evicted: parsed again
    assert len(builds) == 5


def test_the_other_views_prepared_trace_is_keyed_by_content_too(tmp_path):
    """``model.TraceCache`` (overview, ops, memory) is the same content cache."""
    cache = TraceCache(revalidate_seconds=0)
    content = {"bytes": _doc([_x("aaaa", 0, 10)])}

    def get():
        return cache.get(
            ("run", "w", "1"), lambda: content["bytes"], lambda d: prepare(decode_trace(d))
        )

    assert get().trace.spans[0].name == "aaaa"
    content["bytes"] = _doc([_x("bbbb", 0, 10)])
    # The first answer may be the kept one while the file is hashed again in the background.
    deadline = time.monotonic() + 10
    while get().trace.spans[0].name != "bbbb":
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_flow_steps_chain_arrows_and_odd_events_are_skipped_not_fatal():
    trace = build_columns(
        _doc(
            [
                _x("a", 0, 10),
                _x("b", 20, 10, tid=2),
                _x("c", 40, 10, tid=3),
                _x("negative", 60, -5),
                {"ph": ["X"], "name": "odd phase"},
                {"ph": "s", "id": "x", "pid": 1, "tid": 1, "ts": 1},
                {"ph": "t", "id": "x", "pid": 1, "tid": 2, "ts": 21},
                {"ph": "f", "id": "x", "pid": 1, "tid": 3, "ts": 45, "bp": "e"},
            ]
        )
    )
    names = [
        (trace.names[int(trace.name[a])], trace.names[int(trace.name[b])])
        for a, b in zip(trace.flow_from, trace.flow_to, strict=True)
    ]
    assert names == [("a", "b"), ("b", "c")]
    assert trace.skipped == 1
    negative = trace.names.index("negative")
    assert float(trace.duration[list(trace.name).index(negative)]) == 0.0


def _marks_trace():
    """Two threads with spans, thread-scoped instants, a global one and a two-series counter."""
    events = [
        _x("step", 0, 100),
        _x("load", 0, 40, tid=2),
        {"ph": "i", "name": "[memory]", "pid": 1, "tid": 1, "ts": 10, "s": "t",
         "args": {"Bytes": 256}},
        {"ph": "i", "name": "[memory]", "pid": 1, "tid": 1, "ts": 10.2, "args": {"Bytes": -256}},
        {"ph": "I", "name": "mark", "pid": 1, "tid": 2, "ts": 60},
        {"ph": "i", "name": "Record Window End", "pid": "", "tid": "", "ts": 120, "s": "g"},
        {"ph": "C", "name": "memory", "pid": 1, "ts": -5, "args": {"used": 10, "cached": 1}},
        {"ph": "C", "name": "memory", "pid": 1, "ts": 20, "args": {"used": 30, "cached": 2}},
        {"ph": "C", "name": "memory", "pid": 1, "ts": 20.1, "args": {"used": 50, "cached": 2}},
        {"ph": "C", "name": "memory", "pid": 1, "ts": 70, "args": {"used": 5, "cached": "x"}},
        {"ph": "C", "name": "bad", "pid": 1, "ts": 70, "args": {"note": "not a number"}},
    ]  # fmt: skip
    return build_columns(_doc(events))


def test_instants_and_counters_become_columns_on_their_tracks():
    trace = _marks_trace()
    marks = trace.marks
    # The counter's first sample is the trace's origin; a global instant makes no track.
    assert trace.origin == -5
    assert trace.extent == 125
    assert [t.tid for t in trace.tracks] == ["1", "2"]
    assert marks.instant_time.tolist() == [125, 15, 15.2, 65]
    assert marks.instant_track.tolist() == [-1, 0, 0, 1]
    assert [trace.names[n] for n in marks.instant_name] == [
        "Record Window End", "[memory]", "[memory]", "mark"
    ]  # fmt: skip
    assert marks.instant_args_of(1) == {"Bytes": 256}
    # One track per series, by counter then series; the non-number series and counter are left.
    assert [(c.name, c.series) for c in marks.counter_tracks] == [
        ("memory", "cached"), ("memory", "used")
    ]  # fmt: skip
    assert (marks.counter_tracks[1].low, marks.counter_tracks[1].high) == (0.0, 50.0)
    used = slice(marks.counter_offsets[1], marks.counter_offsets[2])
    assert marks.counter_time[used].tolist() == [0, 25, 25.1, 75]
    assert marks.counter_value[used].tolist() == [10, 30, 50, 5]
    assert trace.skipped == 1


def test_instants_closer_than_a_pixel_merge_and_counters_keep_the_pixels_peak():
    trace = _marks_trace()
    coarse = lod_window(trace, start=None, end=None, width=125)  # 1 µs a pixel
    m = coarse.marks
    assert m.instant_track.tolist() == [-1, 0, 1]
    assert m.instant_count.tolist() == [1, 2, 1]
    assert m.instant_id.tolist() == [0, -1, 3]  # a merged marker has no id
    assert trace.names[m.instant_name[1]] == "[memory]"  # merged, but all of one name
    used = m.counter_track == 1
    assert m.counter_time[used].tolist() == [0, 25, 75]
    assert m.counter_value[used].tolist() == [10, 50, 5]  # 30 and 50 share a pixel: the peak
    fine = lod_window(trace, start=14, end=30, width=1600).marks
    assert fine.instant_count.tolist() == [1, 1]
    assert fine.instant_id.tolist() == [1, 2]
    # The sample before the window gives the value at its left edge.
    assert fine.counter_time[fine.counter_track == 1].tolist() == [0, 25, 25.1]


def test_the_binary_window_carries_instants_and_counters_after_the_spans():
    trace = _marks_trace()
    header, columns = decode_window(
        encode_window(trace, lod_window(trace, start=None, end=None, width=125))
    )
    assert header["count"] == 2
    assert header["instants"] == 3
    assert [c["series"] for c in header["counter_tracks"]] == ["cached", "used"]
    assert header["counter_tracks"][1]["max"] == 50
    names = [header["names"][n] if n >= 0 else None for n in columns["instant_name"]]
    assert names == ["Record Window End", "[memory]", "mark"]
    assert columns["counter_value"][columns["counter_track"] == 1].tolist() == [10, 50, 5]
    # The span columns read as before: an older reader sees the same spans.
    assert sorted(header["names"][n] for n in columns["name"]) == ["load", "step"]


def test_a_real_torch_capture_has_its_memory_instants_on_the_python_thread():
    trace = build_columns(TORCH_FILE.read_bytes())
    marks = trace.marks
    memory = trace.names.index("[memory]")
    on_thread = marks.instant_track[marks.instant_name == memory]
    assert len(on_thread) == 431
    assert set(on_thread.tolist()) == {0}
    assert "Bytes" in marks.instant_args_of(int(np.flatnonzero(marks.instant_name == memory)[0]))
    assert len(trace.tracks) == 2  # the global markers add no empty track


def test_instants_read_the_same_by_the_fast_and_the_per_event_paths():
    events = [
        _x("step", 0, 100),
        {"ph": "i", "name": "a", "pid": 1, "tid": 1, "ts": 5, "args": {"k": 1}},
        {"ph": "i", "name": "g", "pid": 1, "tid": 1, "ts": 7, "s": "g"},
        {"ph": "I", "name": "b", "pid": 1, "tid": 3, "ts": 9, "args": "not a dict"},
    ]
    fast = build_columns(_doc(events))
    # A name that is not a string sends the chunk's instants through the per-event path.
    odd = {"ph": "i", "name": 12, "pid": 1, "tid": 1, "ts": 50}
    slow = build_columns(_doc([*events, odd]))
    for trace in (fast, slow):
        marks = trace.marks
        named = [trace.names[n] for n in marks.instant_name]
        assert [n for n in named if n != "12"] == ["g", "a", "b"]
        assert marks.instant_track.tolist()[:2] == [-1, 0]
        assert marks.instant_args_of(1) == {"k": 1}
        assert [t.tid for t in trace.tracks] == ["1", "3"]
    assert fast.marks.instant_args_of(2) == {}
