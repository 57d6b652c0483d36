"""Equivalences of the record scanner, on generated and damaged bytes.

1. The compiled scanner and its pure-Python twin return identical batches for any input.
2. Scanning, with the residuals decoded by the slow path (``Event.FromString`` then
   ``RunNormalizer``) as an ingester does, gives exactly the points, corruptions and ending of
   the slow path alone (``EventReader`` + ``RunNormalizer``): the fast path never decides
   differently from protobuf. Payloads are generated at the wire level, so that unusual but
   valid encodings (repeated or misplaced fields, unpacked repeated fields, unknown fields,
   groups, wrong wire types, invalid UTF-8, oneof members switching) are covered too.
3. ``scan_file`` gives the same points whatever its chunk size.
"""

from __future__ import annotations

import io
import struct
import tempfile
from pathlib import Path

import pytest
from google.protobuf.message import DecodeError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heron.errors import FormatError, FramingError
from heron.formats import _scan_python, scan
from heron.formats.compat import RunNormalizer
from heron.formats.events import EventReader
from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import DATA_CLASS_SCALAR
from heron.formats.scan import ScanBatch, ScanReason
from heron.formats.tensors import scalar_value
from heron.formats.tfrecord import ReadStatus, encode_record

try:
    from heron.formats import _scan
except ImportError:
    _scan = None  # type: ignore[assignment]

SCANNERS = [
    pytest.param(
        None if _scan is None else _scan.scan,
        id="native",
        marks=pytest.mark.skipif(_scan is None, reason="the native scanner is not built"),
    ),
    pytest.param(_scan_python.scan, id="python"),
]
needs_native = pytest.mark.skipif(_scan is None, reason="the native scanner is not built")

# ---------------------------------------------------------------------- wire-level payloads


def varint(number: int) -> bytes:
    number &= (1 << 64) - 1
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def delimited(field: int, body: bytes) -> bytes:
    return key(field, 2) + varint(len(body)) + body


TAG_POOL = ["loss", "acc", "", "lr/β", "x" * 20]
tag_text = st.sampled_from(TAG_POOL).map(str.encode) | st.sampled_from(
    [b"\xff", b"\xed\xa0\x80", b"\xc0\x80", b"ok\xf4\x90\x80\x80"]  # not UTF-8
)
f32 = st.floats(width=32, allow_nan=True).map(lambda v: struct.pack("<f", v)) | st.binary(
    min_size=4, max_size=4
)
f64 = st.floats().map(lambda v: struct.pack("<d", v)) | st.binary(min_size=8, max_size=8)
small_int = st.sampled_from([0, 1, 2, 3, 7, 19, -1, (1 << 32) + 1, (1 << 63) + 5])


_UNKNOWN_NUMBER = st.sampled_from([19, 25, 100, 2000])
unknown_field = st.one_of(
    st.builds(lambda f, n: key(f, 0) + varint(n), _UNKNOWN_NUMBER, small_int),
    st.builds(lambda f, b: key(f, 1) + b, _UNKNOWN_NUMBER, f64),
    st.builds(delimited, _UNKNOWN_NUMBER, st.binary(max_size=6)),
    st.builds(lambda f, b: key(f, 5) + b, _UNKNOWN_NUMBER, f32),
    st.builds(lambda f: key(f, 3) + key(1, 0) + b"\x01" + key(f, 4), _UNKNOWN_NUMBER),  # a group
    st.just(b"\x0e"),  # wire type 6 does not exist
)


def _joined(pieces: st.SearchStrategy[bytes], max_size: int) -> st.SearchStrategy[bytes]:
    """Often nothing (most records are plain), else up to ``max_size`` pieces."""
    return st.just(b"") | st.just(b"") | st.lists(pieces, max_size=max_size).map(b"".join)


_dim = st.builds(
    lambda size, name: (
        (b"" if size is None else key(1, 0) + varint(size))
        + (b"" if name is None else delimited(2, name))
    ),
    st.sampled_from([1, 1, 1, 2, 0, -1, None]),
    st.none() | tag_text,
)
_shape = st.builds(
    lambda dims, rank: (
        b"".join(delimited(2, d) for d in dims)
        + (b"" if rank is None else key(3, 0) + varint(rank))
    ),
    st.lists(_dim, max_size=3),
    st.none() | st.sampled_from([0, 1, 2]),
)
_DTYPES = st.sampled_from([1, 1, 2, 2, 3, 7, 0, 2**32 + 1])  # 2**32 + 1 reads as DT_FLOAT
_tensor_piece = st.one_of(
    st.builds(lambda n: key(1, 0) + varint(n), _DTYPES),
    st.builds(lambda b: delimited(2, b), _shape),
    st.builds(lambda n: key(3, 0) + varint(n), small_int),  # version_number
    st.builds(lambda b: delimited(4, b), st.binary(max_size=9)),  # tensor_content
    st.builds(lambda vs: delimited(5, b"".join(vs)), st.lists(f32, max_size=2)),
    st.builds(lambda v: key(5, 5) + v, f32),  # float_val, unpacked
    st.builds(lambda vs: delimited(6, b"".join(vs)), st.lists(f64, max_size=2)),
    st.builds(lambda v: key(6, 1) + v, f64),  # double_val, unpacked
    st.builds(lambda b: delimited(5, b), st.binary(min_size=1, max_size=7)),  # ragged packed
    st.builds(lambda n: delimited(7, varint(n)), small_int),  # int_val
    st.builds(lambda b: delimited(8, b), st.binary(max_size=3)),  # string_val
    st.builds(lambda n: key(1, 2) + varint(1) + varint(n), small_int),  # dtype, wrong wire type
    unknown_field,
)
# Mostly plain scalars, so that the fast path is exercised, then anything after them.
_plain_tensor = st.sampled_from(
    [
        key(1, 0) + b"\x01" + delimited(5, struct.pack("<f", 1.5)),
        key(1, 0) + b"\x02" + delimited(6, struct.pack("<d", -2.25)),
        key(1, 0) + b"\x01" + delimited(4, struct.pack("<f", 3.0)),
        key(1, 0)
        + b"\x02"
        + delimited(2, delimited(2, key(1, 0) + b"\x01"))
        + key(6, 1)
        + struct.pack("<d", 4.0),
    ]
)
tensor_body = st.builds(bytes.__add__, _plain_tensor, _joined(_tensor_piece, 3))

_plugin_data = st.builds(
    lambda name, content: delimited(1, name) + delimited(2, content),
    st.sampled_from([b"scalars", b"histograms", b"images", b"", b"\xff"]),
    st.binary(max_size=3),
)
metadata_body = _joined(
    st.one_of(
        st.builds(lambda p: delimited(1, p), _plugin_data),
        st.builds(lambda t: delimited(2, t), tag_text),
        st.builds(lambda t: delimited(3, t), tag_text),
        st.builds(lambda n: key(4, 0) + varint(n), st.sampled_from([0, 1, 2, 3])),
        unknown_field,
    ),
    3,
)

_value_tag = st.sampled_from([b"loss", b"acc", b"new", b""]).map(lambda t: delimited(1, t))
_value_kind = st.one_of(
    st.builds(lambda v: key(2, 5) + v, f32),  # simple_value
    st.builds(lambda t: delimited(8, t), tensor_body),
    st.sampled_from(
        [
            delimited(5, key(1, 1) + struct.pack("<d", 0.0)),  # histo
            delimited(4, delimited(4, b"png")),  # image
            b"",  # no value at all
        ]
    ),
)
_SCALAR_METADATA = delimited(9, delimited(1, delimited(1, b"scalars")) + key(4, 0) + b"\x01")
_value_extra = st.one_of(
    st.builds(lambda m: delimited(9, m), metadata_body),
    st.builds(lambda t: delimited(7, t), tag_text),  # node_name
    st.builds(lambda t: delimited(1, t), tag_text),  # a second tag: the last one counts
    st.builds(lambda v: key(2, 5) + v, f32),  # simple_value (maybe after a tensor)
    st.builds(lambda t: delimited(8, t), tensor_body),  # tensors merge
    st.builds(lambda n: key(2, 0) + varint(n), small_int),  # simple_value, wrong wire type
    unknown_field,
)
value_body = st.builds(
    lambda tag, kind, metadata, extras: tag + kind + metadata + extras,
    _value_tag,
    _value_kind,
    st.sampled_from([b"", _SCALAR_METADATA]),
    _joined(_value_extra, 2),
)

_event_extra = st.one_of(
    st.builds(lambda s: key(2, 0) + varint(s), small_int),  # a second step: the last counts
    st.builds(lambda v: delimited(5, delimited(1, v)), value_body),  # summaries merge
    st.builds(lambda w: delimited(10, delimited(1, w)), tag_text),  # source_metadata
    st.builds(lambda v: delimited(3, v), st.sampled_from([b"brain.Event:2", b"\xff"])),
    st.builds(lambda n: key(7, 2) + varint(2) + key(1, 0) + varint(n), small_int),  # session_log
    st.builds(lambda n: key(1, 0) + varint(n), small_int),  # wall_time, wrong wire type
    unknown_field,
)


@st.composite
def event_payload(draw: st.DrawFn) -> bytes:
    values = draw(st.lists(value_body, min_size=1, max_size=3))
    summary = b"".join(delimited(1, v) for v in values) + draw(st.just(b"") | unknown_field)
    pieces = [
        key(1, 1) + draw(f64),
        key(2, 0) + varint(draw(st.integers(-(2**63), 2**63 - 1))),
        delimited(5, summary),
        draw(_joined(_event_extra, 2)),
    ]
    order = draw(st.permutations(range(len(pieces))))
    return b"".join(pieces[i] for i in order)


payloads = st.lists(
    st.one_of(
        event_payload(),
        event_payload(),
        event_payload(),
        st.binary(max_size=40),
        st.just(b"\x1a\x0dbrain.Event:2"),
    ),
    max_size=12,
)

# --------------------------------------------------------------------- the two reference paths

Point = tuple[str, int, bytes, bytes, int, int]


def _bits(number: float) -> bytes:
    return struct.pack("<d", number)


def _points_of_event(
    normalizer: RunNormalizer, offset: int, event: Event, points: list[Point]
) -> None:
    """The slow path: normalise, then every one-element value of a SCALAR series is a point."""
    normalizer.normalize(event)
    if event.WhichOneof("what") != "summary":
        return
    for index, value in enumerate(event.summary.value):
        metadata = normalizer.metadata(value.tag)
        if metadata is None or metadata.data_class != DATA_CLASS_SCALAR:
            continue
        try:
            number = scalar_value(value.tensor)
        except FormatError:
            continue
        points.append((value.tag, event.step, _bits(event.wall_time), _bits(number), offset, index))


def slow_path(data: bytes) -> tuple[list[Point], list[int], tuple[str, int]]:
    reader = EventReader(io.BytesIO(data))
    normalizer = RunNormalizer()
    points: list[Point] = []
    try:
        for offset, event in reader:
            _points_of_event(normalizer, offset, event, points)
    except FramingError as error:
        ending = ("framing", error.offset)
    else:
        ending = ("end" if reader.status is ReadStatus.END else "incomplete", reader.offset)
    return points, [c.offset for c in reader.corruptions], ending


_ENDINGS = {
    ScanReason.END: "end",
    ScanReason.INCOMPLETE: "incomplete",
    ScanReason.CORRUPT_FRAMING: "framing",
}


def scan_path(
    scanner, data: bytes, *, max_points: int = 1 << 20
) -> tuple[list[Point], list[int], tuple[str, int]]:
    """The scanner, with residuals through the slow path and new SCALAR tags learned."""
    tags: dict[bytes, int] = {}
    names: list[str] = []
    normalizer = RunNormalizer()
    points: list[Point] = []
    corruptions: list[int] = []
    position = 0
    while True:
        batch = scan._scan_with(
            scanner, data, position, len(data), 0, tags, max_points=max_points, path="f"
        )
        for series, step, wall_time, number, offset, index in zip(
            batch.series.tolist(),
            batch.steps.tolist(),
            batch.wall_times.tolist(),
            batch.values.tolist(),
            batch.offsets.tolist(),
            batch.value_index.tolist(),
            strict=True,
        ):
            points.append((names[series], step, _bits(wall_time), _bits(number), offset, index))
        corruptions.extend(c.offset for c in batch.corruptions)
        if batch.residual is not None:
            offset, payload = batch.residual
            try:
                event = Event.FromString(payload)
            except DecodeError:
                corruptions.append(offset)
            else:
                _points_of_event(normalizer, offset, event, points)
                for tag in normalizer.tags:
                    metadata = normalizer.metadata(tag)
                    scalar = metadata is not None and metadata.data_class == DATA_CLASS_SCALAR
                    if scalar and tag.encode() not in tags:
                        tags[tag.encode()] = len(names)
                        names.append(tag)
        if batch.reason in (ScanReason.RESIDUAL, ScanReason.LIMIT):
            position = batch.resume
            continue
        if batch.framing_error is not None:
            assert batch.framing_error.offset == batch.resume
        return points, corruptions, (_ENDINGS[batch.reason], batch.resume)


def frame(chunks: list[bytes]) -> bytes:
    return b"".join(encode_record(chunk) for chunk in chunks)


def same_batches(first: ScanBatch, second: ScanBatch) -> None:
    for name in ("series", "steps", "wall_times", "values", "offsets", "value_index"):
        a, b = getattr(first, name), getattr(second, name)
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes(), name  # bit for bit: NaNs included
    assert (first.resume, first.reason, first.residual, first.records) == (
        second.resume,
        second.reason,
        second.residual,
        second.records,
    )
    assert [(c.offset, c.length) for c in first.corruptions] == [
        (c.offset, c.length) for c in second.corruptions
    ]
    assert (first.framing_error is None) == (second.framing_error is None)
    if first.framing_error is not None and second.framing_error is not None:
        assert first.framing_error.offset == second.framing_error.offset


# ----------------------------------------------------------------------------------- tests

PROPERTY = settings(max_examples=100, deadline=None)


@pytest.mark.parametrize("scanner", SCANNERS)
@PROPERTY
@given(chunks=payloads)
def test_scanning_with_the_slow_path_for_residuals_equals_the_slow_path(scanner, chunks):
    data = frame(chunks)
    assert scan_path(scanner, data) == slow_path(data)


@pytest.mark.parametrize("scanner", SCANNERS)
@PROPERTY
@given(chunks=payloads, max_points=st.integers(1, 4))
def test_small_batches_change_nothing(scanner, chunks, max_points):
    data = frame(chunks)
    assert scan_path(scanner, data, max_points=max_points) == slow_path(data)


@pytest.mark.parametrize("scanner", SCANNERS)
@PROPERTY
@given(chunks=payloads, damage=st.data())
def test_damaged_files_read_the_same_both_ways(scanner, chunks, damage):
    data = bytearray(frame(chunks))
    if data:
        for _ in range(damage.draw(st.integers(0, 3))):
            position = damage.draw(st.integers(0, len(data) - 1))
            data[position] ^= 1 << damage.draw(st.integers(0, 7))
        data = data[: damage.draw(st.integers(0, len(data)))]
    assert scan_path(scanner, bytes(data)) == slow_path(bytes(data))


def _tag_maps() -> st.SearchStrategy[dict[bytes, int]]:
    keys = st.sampled_from([b"loss", b"acc", b"new", b"", b"\xff"])
    return st.dictionaries(keys, st.integers(-(2**31), 2**31 - 1), max_size=4)


@needs_native
@PROPERTY
@given(
    chunks=payloads,
    tags=_tag_maps(),
    max_points=st.integers(1, 6),
    damage=st.data(),
)
def test_native_and_python_scanners_return_identical_batches(chunks, tags, max_points, damage):
    data = bytearray(frame(chunks))
    if data and damage.draw(st.booleans()):
        for _ in range(damage.draw(st.integers(1, 3))):
            position = damage.draw(st.integers(0, len(data) - 1))
            data[position] = damage.draw(st.integers(0, 255))
        data = data[: damage.draw(st.integers(0, len(data)))]
    start = 0
    while True:
        native = scan._scan_with(
            _scan.scan, bytes(data), start, len(data), 7, tags, max_points=max_points, path="f"
        )
        python = scan._scan_with(
            _scan_python.scan,
            bytes(data),
            start,
            len(data),
            7,
            tags,
            max_points=max_points,
            path="f",
        )
        same_batches(native, python)
        if native.reason not in (ScanReason.RESIDUAL, ScanReason.LIMIT):
            break
        start = native.resume


@needs_native
@PROPERTY
@given(garbage=st.binary(max_size=300), tags=_tag_maps(), tail=st.binary(min_size=1, max_size=40))
def test_native_and_python_agree_on_garbage_and_never_look_past_the_end(garbage, tags, tail):
    for data in (garbage, encode_record(garbage)):
        batches = [
            scan._scan_with(scanner, buffer, 0, len(data), 0, tags, max_points=9, path="f")
            for scanner in (_scan.scan, _scan_python.scan)
            for buffer in (data, data + tail)
        ]
        for batch in batches[1:]:
            same_batches(batches[0], batch)


_COLUMNS = ("series", "steps", "wall_times", "values", "offsets", "value_index")


def _until_stop(batches) -> tuple[list[bytes], ScanBatch]:
    """The columns of batches up to the first one that is not a LIMIT, and that batch."""
    parts: dict[str, list[bytes]] = {name: [] for name in _COLUMNS}
    for batch in batches:
        for name in _COLUMNS:
            parts[name].append(getattr(batch, name).tobytes())
        if batch.reason is not ScanReason.LIMIT:
            return [b"".join(parts[name]) for name in _COLUMNS], batch
    raise AssertionError("no batch ended the scan")


@pytest.mark.parametrize("scanner", SCANNERS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks=payloads, chunk_size=st.integers(16, 200), max_points=st.integers(1, 5))
def test_scan_file_chunks_change_nothing(scanner, chunks, chunk_size, max_points):
    data = frame(chunks)
    tags = {b"loss": 0}

    def whole():
        start = 0
        while True:
            batch = scan._scan_with(
                scanner, data, start, len(data), 0, tags, max_points=max_points, path="f"
            )
            yield batch
            start = batch.resume

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.out.tfevents.1"
        path.write_bytes(data)
        in_chunks = list(scan._scan_file(scanner, str(path), tags, 0, chunk_size, max_points))
    columns, stop = _until_stop(whole())
    chunked_columns, chunked_stop = _until_stop(in_chunks)
    assert chunked_columns == columns
    assert (chunked_stop.reason, chunked_stop.resume) == (stop.reason, stop.resume)
    assert chunked_stop.residual == stop.residual


# ------------------------------------------------------------------- real and realistic files


def _fast_path_share(scanner, data: bytes, tags: dict[bytes, int]) -> tuple[int, int]:
    """(points decoded by the scanner, residual records) with ``tags`` known from the start."""
    position, fast, residuals = 0, 0, 0
    while True:
        batch = scan._scan_with(
            scanner, data, position, len(data), 0, tags, max_points=64, path="f"
        )
        fast += len(batch)
        residuals += batch.residual is not None
        if batch.reason not in (ScanReason.RESIDUAL, ScanReason.LIMIT):
            return fast, residuals
        position = batch.resume


GOLDEN = Path(__file__).parents[1] / "compat" / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("*/logdir/**/*tfevents*")) if GOLDEN.is_dir() else []


@pytest.mark.skipif(not GOLDEN_FILES, reason="no golden logdirs in tests/compat/golden")
@pytest.mark.parametrize("scanner", SCANNERS)
def test_files_of_the_real_writers_read_the_same_both_ways(scanner):
    """TF1, TF2, PyTorch and tensorboardX files (tests/compat/golden), fast path included."""
    fast_points = 0
    for path in GOLDEN_FILES:
        data = path.read_bytes()
        assert scan_path(scanner, data) == slow_path(data), path
        tags = {tag.encode(): i for i, tag in enumerate({p[0] for p in slow_path(data)[0]})}
        fast_points += _fast_path_share(scanner, data, tags)[0]
    assert fast_points > 0


def _mixed_run() -> list[bytes]:
    """A run as a PyTorch / TF2 training loop writes it: scalars around histograms and images."""
    from heron.formats.proto.histogram_pb2 import HistogramProto
    from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
    from heron.formats.proto.tensor_pb2 import TensorProto

    records = [Event(wall_time=1.0, file_version="brain.Event:2").SerializeToString()]
    metadata = SummaryMetadata(data_class=DATA_CLASS_SCALAR)
    metadata.plugin_data.plugin_name = "scalars"
    for step in range(200):
        event = Event(wall_time=100.0 + step, step=step)
        event.summary.value.add(tag="loss", simple_value=1.0 / (step + 1))
        tensor = TensorProto(dtype=1, float_val=[step * 0.5])
        tensor.tensor_shape.SetInParent()
        value = event.summary.value.add(tag="eval/accuracy", tensor=tensor)
        if step == 0:
            value.metadata.CopyFrom(metadata)
        records.append(event.SerializeToString())
        if step % 50 == 0:
            histogram = Event(wall_time=100.0 + step, step=step)
            histo = HistogramProto(min=0, max=1, num=2, bucket_limit=[1], bucket=[2])
            histogram.summary.value.add(tag="weights", histo=histo)
            records.append(histogram.SerializeToString())
            image = Event(wall_time=100.0 + step, step=step)
            image.summary.value.add(tag="sample", image=Summary.Image(encoded_image_string=b"png"))
            records.append(image.SerializeToString())
        if step == 120:  # a restart from a checkpoint writes earlier steps again
            records.append(Event(step=100, session_log={"status": 1}).SerializeToString())
    return records


@pytest.mark.parametrize("scanner", SCANNERS)
def test_a_mixed_run_reads_the_same_both_ways_and_mostly_fast(scanner):
    records = _mixed_run()
    data = frame(records)
    points, _, ending = slow_path(data)
    assert scan_path(scanner, data) == slow_path(data)
    assert len(points) == 400
    assert ending == ("end", len(data))
    tags = {b"loss": 0, b"eval/accuracy": 1}
    # every scalar decoded in bulk; residuals: file_version, 4 histograms, 4 images, session_log
    assert _fast_path_share(scanner, data, tags) == (400, 1 + 4 + 4 + 1)
