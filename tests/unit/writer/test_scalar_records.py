"""The hand-built scalar records are byte for byte what protobuf + TFRecord framing produce."""

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heron.formats.proto.event_pb2 import Event
from heron.formats.tfrecord import encode_record
from heron.writer import scalar_records
from heron.writer.scalar_records import ITEM, encode_scalar_records, scalar_head

INT64 = st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1)
STEPS = st.one_of(
    INT64, st.sampled_from([0, 1, 127, 128, 16383, 16384, (1 << 21) - 1, 1 << 21, -1])
)
VALUES = st.one_of(
    st.floats(allow_nan=False),
    st.sampled_from([0.0, -0.0, 3.4028235e38, 3.40282356e38, 3.4028236e38, 1e39, -1e39, 1e-50]),
)
WALLS = st.one_of(st.floats(allow_nan=False), st.just(1.7e9))
TAGS = st.text(max_size=300).filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t))


def expected(tag: str, value: float, step: int, wall: float) -> bytes:
    event = Event(wall_time=wall, step=step)
    event.summary.value.add(tag=tag, simple_value=value)
    return encode_record(event.SerializeToString())


def decode(records: bytes) -> list[Event]:
    events, offset = [], 0
    while offset < len(records):
        (length,) = struct.unpack_from("<Q", records, offset)
        events.append(Event.FromString(records[offset + 12 : offset + 12 + length]))
        offset += 16 + length
    return events


def both_encoders(heads, items):
    packed = b"".join(ITEM.pack(*item) for item in items)
    python = scalar_records._encode_python(heads, packed)
    vectorised = scalar_records._NumpyEncoder.instance().encode(heads, packed)
    return python, vectorised


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TAGS, VALUES, STEPS, WALLS), min_size=1, max_size=40))
def test_both_encoders_match_protobuf_byte_for_byte(points):
    tags = sorted({tag for tag, *_ in points})
    heads = [scalar_head(tag) for tag in tags]
    items = [(tags.index(tag), value, step, wall) for tag, value, step, wall in points]
    python, vectorised = both_encoders(heads, items)
    # Protobuf leaves out a 0.0 wall time (a proto3 default); Heron writes it. Both read as 0.0.
    if all(wall != 0 for *_, wall in points):
        want = b"".join(expected(*point) for point in points)
        assert python == want
        assert vectorised == want
    else:
        assert python == vectorised
        for event, (tag, _, step, wall) in zip(decode(python), points, strict=True):
            assert (event.wall_time, event.step, event.summary.value[0].tag) == (wall, step, tag)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_written_as_is(value):
    python, vectorised = both_encoders([scalar_head("loss")], [(0, value, 3, 1.5e9)])
    assert python == vectorised
    written = decode(python)[0].summary.value[0].simple_value
    assert (math.isnan(written) and math.isnan(value)) or written == value


def test_large_batches_take_the_numpy_path_and_small_ones_do_not(monkeypatch):
    calls = []
    original = scalar_records._NumpyEncoder.encode
    monkeypatch.setattr(
        scalar_records._NumpyEncoder,
        "encode",
        lambda self, heads, items: calls.append(len(items)) or original(self, heads, items),
    )
    heads = [scalar_head("a")]
    small = b"".join(ITEM.pack(0, 1.0, i, 1.0) for i in range(scalar_records.NUMPY_BATCH - 1))
    large = small + ITEM.pack(0, 1.0, 10**6, 1.0)
    encode_scalar_records(heads, small)
    assert calls == []
    encode_scalar_records(heads, large)
    assert calls == [len(large)]


def test_an_empty_tag_leaves_out_the_tag_field():
    assert encode_scalar_records([scalar_head("")], ITEM.pack(0, 2.0, 1, 5.0)) == expected(
        "", 2.0, 1, 5.0
    )


@pytest.mark.parametrize("tag", [b"loss", 3, None])
def test_a_tag_must_be_a_str(tag):
    with pytest.raises(TypeError, match="tag must be a str"):
        scalar_head(tag)


def test_a_tag_must_be_valid_unicode():
    with pytest.raises(ValueError, match="not valid Unicode"):
        scalar_head("bad \ud800")


@pytest.mark.parametrize(
    "steps",
    [[0] * 300, list(range(128, 428)), list(range(300)), [5] * 299 + [-1]],
    ids=["all zero", "one width", "widths vary", "negative"],
)
def test_uniform_and_mixed_batches_of_one_tag(steps):
    head = scalar_head("loss")
    items = [(0, step * 0.5, step, 1.7e9 + step) for step in steps]
    python, vectorised = both_encoders([head], items)
    want = b"".join(expected("loss", value, step, wall) for _, value, step, wall in items)
    assert python == want
    assert vectorised == want
