"""The record scanner: fast path, residual stops, corruption, framing, tails, limits, chunks.

Every behaviour is checked on both scanners: the compiled one (when built) and its pure-Python
twin. tests/unit/test_scan_properties.py checks that they agree on arbitrary bytes and that
scan + slow path equals the slow path alone.
"""

from __future__ import annotations

import mmap
import os
import struct
import subprocess
import sys
import threading

import crc32c
import numpy as np
import pytest

from heron.errors import CorruptRecordError, FramingError
from heron.formats import _scan_python, scan
from heron.formats.proto.event_pb2 import Event, SessionLog
from heron.formats.proto.histogram_pb2 import HistogramProto
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DT_DOUBLE, DT_FLOAT, DT_INT32, DT_STRING
from heron.formats.scan import ScanBatch, ScanReason
from heron.formats.summaries.scalars import scalar
from heron.formats.tfrecord import encode_record, masked_crc32c

try:
    from heron.formats import _scan
except ImportError:  # not built: only the pure-Python scanner is tested
    _scan = None  # type: ignore[assignment]

SCANNERS = [
    pytest.param(
        None if _scan is None else _scan.scan,
        id="native",
        marks=pytest.mark.skipif(_scan is None, reason="the native scanner is not built"),
    ),
    pytest.param(_scan_python.scan, id="python"),
]


@pytest.fixture(params=SCANNERS)
def scanner(request):
    return request.param


def run(scanner, data, tags, *, start=0, end=None, base_offset=0, max_points=1 << 20):
    end = len(data) if end is None else end
    return scan._scan_with(
        scanner, data, start, end, base_offset, tags, max_points=max_points, path="run.tfevents"
    )


def rows(batch: ScanBatch) -> list[tuple]:
    return list(
        zip(
            batch.series.tolist(),
            batch.steps.tolist(),
            batch.wall_times.tolist(),
            batch.values.tolist(),
            batch.offsets.tolist(),
            batch.value_index.tolist(),
            strict=True,
        )
    )


def event(step: int, *values: Summary.Value, wall_time: float = 1000.5) -> bytes:
    message = Event(wall_time=wall_time, step=step)
    message.summary.value.extend(values)
    return message.SerializeToString()


def simple(tag: str, value: float) -> Summary.Value:
    return Summary.Value(tag=tag, simple_value=value)


def tensor_value(tag, value, *, dtype=DT_FLOAT, content=False, shape=()) -> Summary.Value:
    tensor = TensorProto(dtype=dtype)
    for size in shape:
        tensor.tensor_shape.dim.add(size=size)
    code = "<f" if dtype == DT_FLOAT else "<d"
    if content:
        tensor.tensor_content = struct.pack(code, value)
    elif dtype == DT_FLOAT:
        tensor.float_val.append(value)
    else:
        tensor.double_val.append(value)
    return Summary.Value(tag=tag, tensor=tensor)


def frame(*payloads: bytes) -> bytes:
    return b"".join(encode_record(payload) for payload in payloads)


def offsets_of(*payloads: bytes) -> list[int]:
    result, position = [], 0
    for payload in payloads:
        result.append(position)
        position += len(payload) + 16
    return result


FILE_VERSION = Event(wall_time=1.0, file_version="brain.Event:2").SerializeToString()
TAGS = {b"loss": 0, b"acc": 1}


# -------------------------------------------------------------------------------- checksums


@pytest.mark.skipif(_scan is None, reason="the native scanner is not built")
@pytest.mark.parametrize("name", ["crc32c", "crc32c_table"])
def test_crc32c_matches_the_reference_vectors(name):
    function = getattr(_scan, name)
    assert function(bytes(32)) == 0x8A9136AA
    crc = function(b"\x1a\x11CRC test, one two")
    assert (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF == 0x5794D08A
    data = os.urandom(300)
    for start in range(9):  # every alignment, every tail length
        for stop in range(start, len(data), 7):
            assert function(data[start:stop]) == crc32c.crc32c(data[start:stop])
    assert function(data[100:], function(data[:100])) == crc32c.crc32c(data)


@pytest.mark.skipif(_scan is None, reason="the native scanner is not built")
def test_crc32c_uses_the_hardware_instruction_where_there_is_one():
    if sys.platform.startswith("linux") and os.uname().machine == "x86_64":
        with open("/proc/cpuinfo") as info:
            if " sse4_2" in info.read():
                assert _scan.CRC32C_IMPLEMENTATION == "sse4.2"
    assert _scan.CRC32C_IMPLEMENTATION in {"sse4.2", "armv8-crc", "table"}


# -------------------------------------------------------------------------------- fast path


def test_legacy_simple_values_as_pytorch_writes_them(scanner):
    payloads = [event(step, simple("loss", 1.0 / (step + 1))) for step in range(3)]
    batch = run(scanner, frame(*payloads), TAGS)
    assert batch.reason is ScanReason.END
    assert batch.resume == len(frame(*payloads))
    assert batch.records == 3
    expected_values = [float(np.float32(1.0 / (step + 1))) for step in range(3)]
    assert rows(batch) == [
        (0, step, 1000.5, value, offset, 0)
        for step, value, offset in zip(
            range(3), expected_values, offsets_of(*payloads), strict=True
        )
    ]


@pytest.mark.parametrize(
    ("dtype", "content", "shape"),
    [
        (DT_FLOAT, False, ()),
        (DT_FLOAT, True, ()),
        (DT_DOUBLE, False, ()),
        (DT_DOUBLE, True, ()),
        (DT_FLOAT, False, (1,)),
        (DT_DOUBLE, True, (1, 1)),
    ],
)
def test_tensor_scalars_as_tf2_writes_them(scanner, dtype, content, shape):
    value = 0.1 if dtype == DT_DOUBLE else float(np.float32(0.1))
    payload = event(7, tensor_value("acc", value, dtype=dtype, content=content, shape=shape))
    batch = run(scanner, frame(payload), TAGS)
    assert rows(batch) == [(1, 7, 1000.5, value, 0, 0)]


def test_unpacked_float_val_is_read(scanner):
    # float_val written one element per key (wire type 5) instead of packed
    tensor = b"\x08\x01" + b"\x2d" + struct.pack("<f", 2.5)
    value = b"\x0a\x04loss" + b"\x42" + bytes([len(tensor)]) + tensor
    payload = (
        b"\x10\x03" + b"\x2a" + bytes([len(value) + 2]) + b"\x0a" + bytes([len(value)]) + value
    )
    batch = run(scanner, frame(payload), TAGS)
    assert rows(batch) == [(0, 3, 0.0, 2.5, 0, 0)]


def test_metadata_of_a_known_tag_is_ignored(scanner):
    first = scalar("loss", 0.5)  # writers put metadata on the first value; some on every value
    again = scalar("loss", 0.25)
    again.metadata.display_name = "renamed"
    batch = run(scanner, frame(event(1, first), event(2, again)), TAGS)
    assert [(row[1], row[3]) for row in rows(batch)] == [(1, 0.5), (2, 0.25)]


def test_every_value_of_a_multi_value_event_is_a_point(scanner):
    payload = event(4, simple("loss", 1.0), scalar("acc", 0.75), simple("loss", 2.0))
    batch = run(scanner, frame(payload), TAGS, base_offset=1000)
    assert rows(batch) == [
        (0, 4, 1000.5, 1.0, 1000, 0),
        (1, 4, 1000.5, 0.75, 1000, 1),
        (0, 4, 1000.5, 2.0, 1000, 2),
    ]


def test_node_name_is_the_tag_when_the_tag_is_empty(scanner):
    value = Summary.Value(node_name="acc", simple_value=3.0)
    named = Summary.Value(tag="loss", node_name="acc", simple_value=4.0)
    batch = run(scanner, frame(event(1, value, named)), TAGS)
    assert [(row[0], row[3]) for row in rows(batch)] == [(1, 3.0), (0, 4.0)]


def test_unknown_fields_are_skipped(scanner):
    unknown = b"\xa0\x06\x01" + b"\xaa\x06\x03xyz" + b"\xad\x06\x00\x00\x00\x00"  # fields 100
    value = simple("loss", 1.5).SerializeToString() + unknown
    summary = b"\x0a" + bytes([len(value)]) + value + unknown
    payload = b"\x10\x09" + unknown + b"\x2a" + bytes([len(summary)]) + summary
    batch = run(scanner, frame(payload), TAGS)
    assert rows(batch) == [(0, 9, 0.0, 1.5, 0, 0)]


def test_special_values_pass_bit_for_bit(scanner):
    values = [float("inf"), -0.0, float(np.float32(1e-45)), float(np.finfo(np.float32).max)]
    payloads = [event(i, simple("loss", v)) for i, v in enumerate(values)]
    payloads.append(event(9, tensor_value("acc", float("nan"), dtype=DT_DOUBLE)))
    batch = run(scanner, frame(*payloads), TAGS)
    assert batch.values[:4].tobytes() == np.array(values).tobytes()
    assert np.isnan(batch.values[4])


# --------------------------------------------------------------------------------- residuals


def test_an_unknown_tag_stops_the_scan_with_the_record_as_residual(scanner):
    payloads = [
        event(1, simple("loss", 1.0)),
        event(2, simple("new", 2.0)),
        event(3, simple("new", 3.0)),
    ]
    data = frame(*payloads)
    offsets = offsets_of(*payloads)
    tags = dict(TAGS)
    batch = run(scanner, data, tags, base_offset=500)
    assert batch.reason is ScanReason.RESIDUAL
    assert batch.residual == (500 + offsets[1], payloads[1])
    assert batch.resume == offsets[2]
    assert batch.records == 2
    assert [row[1] for row in rows(batch)] == [1]
    tags[b"new"] = 7  # the caller's slow path learned the tag
    rest = run(scanner, data, tags, start=batch.resume, base_offset=500)
    assert rest.reason is ScanReason.END
    assert rows(rest) == [(7, 3, 1000.5, 3.0, 500 + offsets[2], 0)]


def _image_value() -> Summary.Value:
    value = Summary.Value(tag="loss")
    value.image.encoded_image_string = b"\x89PNG"
    return value


def _histogram_value() -> Summary.Value:
    return Summary.Value(tag="loss", histo=HistogramProto(min=0, max=1, num=1))


def _string_tensor() -> Summary.Value:
    return Summary.Value(tag="loss", tensor=TensorProto(dtype=DT_STRING, string_val=[b"x"]))


def _int_tensor() -> Summary.Value:
    return Summary.Value(tag="loss", tensor=TensorProto(dtype=DT_INT32, int_val=[3]))


def _vector() -> Summary.Value:
    return tensor_value("loss", 1.0, shape=(2,))


def _two_floats() -> Summary.Value:
    value = tensor_value("loss", 1.0)
    value.tensor.float_val.append(2.0)
    return value


def _content_and_float_val() -> Summary.Value:
    value = tensor_value("loss", 1.0)
    value.tensor.tensor_content = struct.pack("<f", 2.0)
    return value


NOT_PLAIN_SCALARS = {
    "file_version": FILE_VERSION,
    "graph_def": Event(step=1, graph_def=b"graph").SerializeToString(),
    "session_log": Event(
        step=1, session_log=SessionLog(status=SessionLog.START)
    ).SerializeToString(),
    "empty event": Event(step=1).SerializeToString(),
    "empty summary": Event(step=1, summary=Summary()).SerializeToString(),
    "image": event(1, _image_value()),
    "histogram": event(1, _histogram_value()),
    "string tensor": event(1, _string_tensor()),
    "int tensor": event(1, _int_tensor()),
    "rank-1 tensor": event(1, _vector()),
    "two float_val": event(1, _two_floats()),
    "content and float_val": event(1, _content_and_float_val()),
    "value without a value": event(1, Summary.Value(tag="loss")),
    "a known scalar beside an image": event(1, simple("loss", 1.0), _image_value()),
    "a known scalar beside an unknown one": event(1, simple("loss", 1.0), simple("x", 1.0)),
    "not a protobuf": b"\xff\xff\xff",
    # protobuf refuses a string field (here metadata.display_name) that is not UTF-8
    "invalid UTF-8 in metadata": b"\x2a\x12\x0a\x10"
    + (b"\x0a\x04loss" + b"\x15\x00\x00\x80\x3f" + b"\x4a\x03\x12\x01\xff"),
}


@pytest.mark.parametrize("payload", NOT_PLAIN_SCALARS.values(), ids=NOT_PLAIN_SCALARS.keys())
def test_records_that_are_not_plain_scalars_of_known_tags_are_residuals(scanner, payload):
    data = frame(event(1, simple("loss", 1.0)), payload, event(2, simple("loss", 2.0)))
    batch = run(scanner, data, TAGS)
    first = len(event(1, simple("loss", 1.0))) + 16
    assert batch.reason is ScanReason.RESIDUAL
    assert batch.residual == (first, payload)
    assert batch.resume == first + len(payload) + 16
    assert len(batch) == 1


# ---------------------------------------------------------------------- damage and endings


def test_a_bad_payload_crc_skips_one_record_and_reports_it(scanner):
    payloads = [event(step, simple("loss", step)) for step in range(3)]
    data = bytearray(frame(*payloads))
    offsets = offsets_of(*payloads)
    data[offsets[1] + 14] ^= 0x01  # a bit of the second payload
    batch = run(scanner, bytes(data), TAGS)
    assert batch.reason is ScanReason.END
    assert [row[1] for row in rows(batch)] == [0, 2]
    assert batch.records == 3
    [error] = batch.corruptions
    assert isinstance(error, CorruptRecordError)
    assert (error.path, error.offset, error.length) == (
        "run.tfevents",
        offsets[1],
        len(payloads[1]),
    )


def test_a_bad_length_crc_stops_with_a_framing_error(scanner):
    payloads = [event(step, simple("loss", step)) for step in range(3)]
    data = bytearray(frame(*payloads))
    offsets = offsets_of(*payloads)
    data[offsets[1] + 9] ^= 0x10  # the length CRC of the second record
    batch = run(scanner, bytes(data), TAGS, base_offset=100)
    assert batch.reason is ScanReason.CORRUPT_FRAMING
    assert batch.resume == offsets[1]
    assert isinstance(batch.framing_error, FramingError)
    assert batch.framing_error.offset == 100 + offsets[1]
    assert [row[1] for row in rows(batch)] == [0]


def test_an_incomplete_last_record_is_reported_at_its_start(scanner):
    payloads = [event(1, simple("loss", 1.0)), event(2, simple("loss", 2.0))]
    data = frame(*payloads)
    second = offsets_of(*payloads)[1]
    for cut in range(second + 1, len(data)):
        batch = run(scanner, data, TAGS, end=cut)
        assert (batch.reason, batch.resume, len(batch)) == (ScanReason.INCOMPLETE, second, 1)
    assert run(scanner, data, TAGS, end=second).reason is ScanReason.END
    assert run(scanner, data, TAGS, start=second, end=second).reason is ScanReason.END


def test_a_huge_length_with_a_valid_crc_is_incomplete_not_allocated(scanner):
    length = struct.pack("<Q", 1 << 62)
    data = frame(event(1, simple("loss", 1.0))) + length + struct.pack("<I", masked_crc32c(length))
    batch = run(scanner, data + b"x" * 100, TAGS)
    assert batch.reason is ScanReason.INCOMPLETE
    assert len(batch) == 1


def test_max_points_bounds_a_batch_without_splitting_a_record(scanner):
    payloads = [event(step, simple("loss", step), simple("acc", step)) for step in range(5)]
    data = frame(*payloads)
    offsets = offsets_of(*payloads)
    batch = run(scanner, data, TAGS, max_points=5)
    assert (batch.reason, len(batch), batch.resume, batch.records) == (
        ScanReason.LIMIT,
        4,
        offsets[2],
        2,
    )
    rest = run(scanner, data, TAGS, start=batch.resume, max_points=6)
    assert (rest.reason, len(rest)) == (ScanReason.END, 6)


def test_a_record_with_more_values_than_max_points_is_a_residual(scanner):
    payload = event(1, *(simple("loss", v) for v in range(4)))
    batch = run(scanner, frame(payload), TAGS, max_points=3)
    assert batch.reason is ScanReason.RESIDUAL
    assert batch.residual == (0, payload)


def test_buffers_of_every_kind_are_scanned(scanner, tmp_path):
    data = frame(FILE_VERSION, event(1, simple("loss", 1.0)))
    start = len(FILE_VERSION) + 16
    path = tmp_path / "file"
    path.write_bytes(data)
    with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        from_mmap = rows(run(scanner, mm, TAGS, start=start))
    for buffer in (data, bytearray(data), memoryview(data)):
        assert rows(run(scanner, buffer, TAGS, start=start)) == from_mmap
    assert rows(run(scanner, np.frombuffer(data, np.uint8), TAGS, start=start)) == from_mmap


def test_batches_hold_read_only_columns_of_the_documented_types(scanner):
    batch = run(scanner, frame(event(1, simple("loss", 1.0))), TAGS)
    columns = [batch.series, batch.steps, batch.wall_times, batch.values, batch.offsets]
    dtypes = [np.int32, np.int64, np.float64, np.float64, np.int64]
    for column, dtype in zip([*columns, batch.value_index], [*dtypes, np.int32], strict=True):
        assert column.dtype == dtype
        assert not column.flags.writeable


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"start": -1}, ValueError),
        ({"start": 5, "end": 4}, ValueError),
        ({"end": 10**6}, ValueError),
        ({"base_offset": -1}, ValueError),
        ({"max_points": 0}, ValueError),
        ({"tags": {"loss": 0}}, TypeError),
        ({"tags": {b"loss": 1.5}}, TypeError),
        ({"tags": {b"loss": 1 << 31}}, OverflowError),
    ],
)
def test_bad_arguments_are_refused(scanner, arguments, error):
    data = frame(event(1, simple("loss", 1.0)))
    arguments = dict(arguments)
    tags = arguments.pop("tags", TAGS)
    with pytest.raises(error):
        run(scanner, data, tags, **arguments)


# ------------------------------------------------------------------------------- scan_file


def _points_of_file(scanner, path, tags, *, chunk_size, max_points):
    """Scan a file, learning the tags of legacy scalars from residuals as an ingester would."""
    points, reasons, residuals = [], [], []
    for batch in scan._scan_file(scanner, str(path), tags, 0, chunk_size, max_points):
        points.extend(rows(batch))
        reasons.append(batch.reason)
        if batch.residual is not None:
            residuals.append(batch.residual[0])
            for value in Event.FromString(batch.residual[1]).summary.value:
                if value.HasField("simple_value"):
                    tags.setdefault(value.tag.encode(), len(tags))
    return points, reasons, residuals


def test_scan_file_gives_the_same_points_whatever_the_chunk_size(scanner, tmp_path):
    payloads = [FILE_VERSION]
    for step in range(60):
        payloads.append(event(step, simple("loss", step), scalar("acc", step / 2)))
        if step == 30:
            payloads.append(event(step, simple("late", 1.0)))  # a new tag
            payloads.append(event(step, simple("loss", 0.0), Summary.Value(tag="x" * 300)))
        if step == 40:
            payloads.append(event(step, simple("late", 2.0)))
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(frame(*payloads))
    whole, reasons, residuals = _points_of_file(
        scanner, path, dict(TAGS), chunk_size=1 << 20, max_points=1 << 20
    )
    assert len(whole) == 60 * 2 + 1  # the first "late" point came in a residual
    assert reasons[-1] is ScanReason.END
    assert residuals == [0, offsets_of(*payloads)[32], offsets_of(*payloads)[33]]
    for chunk_size in (16, 17, 50, 100, 333):
        chunked, reasons, _ = _points_of_file(
            scanner, path, dict(TAGS), chunk_size=chunk_size, max_points=7
        )
        assert chunked == whole
        assert reasons[-1] is ScanReason.END
        assert set(reasons[:-1]) <= {ScanReason.LIMIT, ScanReason.RESIDUAL}


def test_scan_file_resumes_a_growing_file_from_its_last_batch(scanner, tmp_path):
    payloads = [event(step, simple("loss", step)) for step in range(4)]
    data = frame(*payloads)
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(data[:-10])  # the writer is mid-flush
    batches = list(scan._scan_file(scanner, str(path), TAGS, 0, 64, 100))
    last = batches[-1]
    assert last.reason is ScanReason.INCOMPLETE
    assert last.resume == offsets_of(*payloads)[3]
    path.write_bytes(data)
    batches = list(scan._scan_file(scanner, str(path), TAGS, last.resume, 64, 100))
    assert [row[1] for batch in batches for row in rows(batch)] == [3]
    assert batches[-1].reason is ScanReason.END
    assert batches[-1].resume == len(data)


def test_scan_file_never_grows_past_the_end_of_the_file(scanner, tmp_path):
    length = struct.pack("<Q", 1 << 40)
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(length + struct.pack("<I", masked_crc32c(length)) + b"x" * 100)
    [batch] = list(scan._scan_file(scanner, str(path), TAGS, 0, 32, 100))
    assert (batch.reason, batch.resume) == (ScanReason.INCOMPLETE, 0)


def test_scan_file_checks_its_arguments(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"")
    for options in ({"offset": -1}, {"chunk_size": 8}, {"max_points": 0}):
        with pytest.raises(ValueError, match=next(iter(options))):
            scan.scan_file(path, {}, **options)
    [batch] = list(scan.scan_file(path, {}))
    assert (batch.reason, batch.resume, batch.records) == (ScanReason.END, 0, 0)


# --------------------------------------------------------------------- selection and threads


def test_native_reports_whether_the_compiled_scanner_is_used():
    code = "from heron.formats import scan; print(scan.NATIVE)"
    environment = {**os.environ, "HERON_PURE_PYTHON": "1"}
    forced = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert forced.stdout.strip() == "False"
    environment.pop("HERON_PURE_PYTHON")
    default = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert default.stdout.strip() == str(_scan is not None)


def test_importing_the_scanner_does_not_import_numpy():
    code = "import sys, heron.formats.scan; print('numpy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(_scan is None, reason="the native scanner is not built")
def test_threads_scan_at_once_with_the_same_results():
    data = frame(
        *(event(step, simple("loss", step), simple("acc", -step)) for step in range(20_000))
    )
    expected = rows(run(_scan.scan, data, TAGS))
    results: list[list[tuple]] = []

    def work():
        results.append(rows(run(_scan.scan, data, TAGS)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


@pytest.mark.skipif(_scan is None, reason="the native scanner is not built")
def test_batches_stay_intact_while_later_scans_reuse_pooled_memory():
    data = frame(*(event(step, simple("loss", step)) for step in range(1000)))
    kept = [run(_scan.scan, data, TAGS) for _ in range(3)]
    for _ in range(50):  # freed columns go back to the pool and are written again
        run(_scan.scan, data, {b"loss": 5})
    for batch in kept:
        assert batch.series.tolist() == [0] * 1000
        assert batch.steps.tolist() == list(range(1000))
    column = memoryview(_scan.scan(data, 0, len(data), 0, TAGS, 10)[0])
    assert (column.readonly, column.nbytes) == (True, 40)


def test_scan_file_reads_records_appended_while_it_runs(scanner, tmp_path):
    payloads = [event(1, simple("loss", 1.0)), FILE_VERSION, event(2, simple("loss", 2.0))]
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(frame(*payloads))
    steps = []
    for batch in scan._scan_file(scanner, str(path), TAGS, 0, 1 << 20, 100):
        steps.extend(batch.steps.tolist())
        if batch.residual is not None:  # the writer appends while the reader works
            with open(path, "ab") as stream:
                stream.write(frame(event(3, simple("loss", 3.0))))
    assert steps == [1, 2, 3]
    assert batch.resume == path.stat().st_size


def check_of(offset: int, payload: bytes) -> tuple[int, int, int]:
    return (offset, len(payload), masked_crc32c(payload))


def test_last_record_is_the_last_record_with_points_or_the_residual(scanner):
    payloads = [event(1, simple("loss", 1.0)), event(2, simple("loss", 2.0)), FILE_VERSION]
    offsets = offsets_of(*payloads)
    data = frame(*payloads)
    first = run(scanner, data, TAGS, base_offset=100)
    assert first.reason is ScanReason.RESIDUAL
    assert first.last_record == check_of(100 + offsets[2], payloads[2])
    points_only = run(scanner, data, TAGS, end=offsets[2], base_offset=100)
    assert points_only.last_record == check_of(100 + offsets[1], payloads[1])
    assert run(scanner, data, TAGS, start=len(data)).last_record is None


def test_a_record_skipped_as_corrupt_is_not_the_last_record(scanner):
    payloads = [event(1, simple("loss", 1.0)), event(2, simple("loss", 2.0))]
    data = bytearray(frame(*payloads))
    data[-5] ^= 0xFF  # the second record's payload: skipped, counted
    batch = run(scanner, bytes(data), TAGS)
    assert len(batch.corruptions) == 1
    assert batch.last_record == check_of(0, payloads[0])


def test_scan_file_reports_last_records_as_file_offsets_across_chunks(scanner, tmp_path):
    payloads = [FILE_VERSION] + [event(step, simple("loss", step)) for step in range(20)]
    offsets = offsets_of(*payloads)
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(frame(*payloads))
    checks = [b.last_record for b in scan._scan_file(scanner, str(path), TAGS, 0, 64, 3)]
    expected = {check_of(o, p) for o, p in zip(offsets, payloads, strict=True)}
    assert set(checks) - {None} <= expected
    assert checks[-1] == check_of(offsets[-1], payloads[-1])
    resumed = list(scan._scan_file(scanner, str(path), TAGS, offsets[5], 64, 3))
    assert resumed[0].last_record is not None
    assert resumed[0].last_record[0] >= offsets[5]
