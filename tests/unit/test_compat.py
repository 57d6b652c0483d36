"""RunNormalizer pins TensorBoard's read-time migration (reference §4), one rule per test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heron.errors import FormatError
from heron.formats.compat import RUN_GRAPH_TAG, RunNormalizer, data_class_for_plugin
from heron.formats.proto.audio_plugin_pb2 import AudioPluginData
from heron.formats.proto.event_pb2 import Event, LogMessage, SessionLog, TaggedRunMetadata
from heron.formats.proto.histogram_pb2 import HistogramProto
from heron.formats.proto.images_plugin_pb2 import ImagePluginData
from heron.formats.proto.summary_pb2 import DataClass, Summary, SummaryMetadata
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DT_DOUBLE, DT_FLOAT, DT_STRING
from heron.formats.tensors import make_ndarray, string_tensor, tensor_shape

SCALAR = DataClass.DATA_CLASS_SCALAR
TENSOR = DataClass.DATA_CLASS_TENSOR
BLOB_SEQUENCE = DataClass.DATA_CLASS_BLOB_SEQUENCE
UNKNOWN = DataClass.DATA_CLASS_UNKNOWN


def _event(*values: Summary.Value, step: int = 0, wall_time: float = 10.5) -> Event:
    event = Event(step=step, wall_time=wall_time)
    event.summary.value.extend(values)
    return event


def _metadata(
    plugin: str, content: bytes = b"", data_class: DataClass.ValueType = UNKNOWN
) -> SummaryMetadata:
    metadata = SummaryMetadata(data_class=data_class)
    metadata.plugin_data.plugin_name = plugin
    metadata.plugin_data.content = content
    return metadata


def _only_value(event: Event) -> Summary.Value:
    assert event.WhichOneof("what") == "summary"
    assert len(event.summary.value) == 1
    return event.summary.value[0]


def _normalize_one(value: Summary.Value, normalizer: RunNormalizer | None = None) -> Summary.Value:
    return _only_value((normalizer or RunNormalizer()).normalize(_event(value)))


def _histo(
    minimum: float, maximum: float, limits: list[float], counts: list[float]
) -> Summary.Value:
    histo = HistogramProto(min=minimum, max=maximum, num=sum(counts))
    histo.bucket_limit.extend(limits)
    histo.bucket.extend(counts)
    return Summary.Value(tag="h", histo=histo)


# --- simple_value ---------------------------------------------------------------------------


def test_simple_value_becomes_rank0_float32_tensor() -> None:
    value = _normalize_one(Summary.Value(tag="loss", simple_value=0.1))
    assert value.WhichOneof("value") == "tensor"
    assert value.tensor.dtype == DT_FLOAT
    assert tensor_shape(value.tensor) == ()
    assert make_ndarray(value.tensor) == np.float32(0.1)


def test_simple_value_keeps_nan_and_infinity() -> None:
    normalizer = RunNormalizer()
    nan = _normalize_one(Summary.Value(tag="x", simple_value=math.nan), normalizer)
    inf = _normalize_one(Summary.Value(tag="x", simple_value=-math.inf), normalizer)
    assert math.isnan(make_ndarray(nan.tensor).item())
    assert make_ndarray(inf.tensor).item() == -math.inf


def test_simple_value_gets_scalars_metadata_with_tag_as_display_name() -> None:
    value = _normalize_one(Summary.Value(tag="loss", simple_value=1.0))
    expected = _metadata("scalars", data_class=SCALAR)
    expected.display_name = "loss"
    assert value.metadata == expected


def test_simple_value_keeps_written_display_name_and_description() -> None:
    value = Summary.Value(tag="loss", simple_value=1.0)
    value.metadata.display_name = "Loss"
    value.metadata.summary_description = "training loss"
    value = _normalize_one(value)
    assert value.metadata.display_name == "Loss"
    assert value.metadata.summary_description == "training loss"
    assert value.metadata.plugin_data.plugin_name == "scalars"


def test_simple_value_metadata_only_on_first_value_of_a_tag() -> None:
    normalizer = RunNormalizer()
    first = _normalize_one(Summary.Value(tag="loss", simple_value=1.0), normalizer)
    second = _normalize_one(Summary.Value(tag="loss", simple_value=2.0), normalizer)
    assert first.HasField("metadata")
    assert not second.HasField("metadata")
    assert normalizer.metadata("loss") == first.metadata


# --- histo ----------------------------------------------------------------------------------


def test_histo_becomes_float32_rows_of_left_right_count() -> None:
    value = _normalize_one(_histo(0.5, 2.5, [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]))
    assert value.tensor.dtype == DT_FLOAT
    assert make_ndarray(value.tensor).tolist() == [
        [0.5, 1.0, 1.0],
        [1.0, 2.0, 2.0],
        [2.0, 2.5, 3.0],
    ]
    assert value.metadata.plugin_data.plugin_name == "histograms"
    assert value.metadata.data_class == TENSOR


def test_histo_drops_empty_buckets_at_both_ends_and_puts_min_max_at_the_edges() -> None:
    limits = [-1.7976931348623157e308, -1.0, 0.0, 1.0, 2.0, 1.7976931348623157e308]
    counts = [0.0, 0.0, 4.0, 0.0, 5.0, 0.0]
    value = _normalize_one(_histo(-0.5, 1.5, limits, counts))
    assert make_ndarray(value.tensor).tolist() == [
        [-0.5, 0.0, 4.0],
        [0.0, 1.0, 0.0],  # inner empty buckets stay
        [1.0, 1.5, 5.0],
    ]


def test_histo_with_one_nonempty_bucket_spans_min_to_max() -> None:
    value = _normalize_one(_histo(3.0, 3.0, [1.0, 4.0, 9.0], [0.0, 7.0, 0.0]))
    assert make_ndarray(value.tensor).tolist() == [[3.0, 3.0, 7.0]]


def test_histo_all_empty_becomes_shape_0_by_3() -> None:
    value = _normalize_one(_histo(0.0, 0.0, [1.0, 2.0], [0.0, 0.0]))
    array = make_ndarray(value.tensor)
    assert array.shape == (0, 3)
    assert array.dtype == np.float32


def test_histo_without_buckets_becomes_shape_0_by_3() -> None:
    value = _normalize_one(_histo(0.0, 0.0, [], []))
    assert make_ndarray(value.tensor).shape == (0, 3)


def test_histo_edges_are_rounded_to_float32() -> None:
    value = _normalize_one(_histo(0.1, 0.7, [0.3], [1.0, 1.0]))
    assert make_ndarray(value.tensor)[:, :2].tolist() == [
        [np.float32(0.1), np.float32(0.3)],
        [np.float32(0.3), np.float32(0.7)],
    ]


def test_histo_with_too_few_bucket_limits_raises_format_error() -> None:
    with pytest.raises(FormatError, match="bucket limits"):
        _normalize_one(_histo(0.0, 1.0, [0.5], [1.0, 2.0, 3.0]))


# --- image / audio --------------------------------------------------------------------------


def test_image_becomes_width_height_encoded_string_vector() -> None:
    image = Summary.Image(height=3, width=4, colorspace=3, encoded_image_string=b"\x89PNG...")
    value = _normalize_one(Summary.Value(tag="img", image=image))
    assert value.tensor.dtype == DT_STRING
    assert make_ndarray(value.tensor).tolist() == [b"4", b"3", b"\x89PNG..."]
    assert value.metadata.plugin_data.plugin_name == "images"
    assert ImagePluginData.FromString(value.metadata.plugin_data.content).converted_to_tensor
    assert value.metadata.data_class == BLOB_SEQUENCE


def test_legacy_audio_becomes_rank1_vector_of_clips() -> None:
    audio = Summary.Audio(sample_rate=8000, num_channels=1, encoded_audio_string=b"RIFF...")
    value = _normalize_one(Summary.Value(tag="a", audio=audio))
    assert make_ndarray(value.tensor).tolist() == [b"RIFF..."]
    content = AudioPluginData.FromString(value.metadata.plugin_data.content)
    assert content.encoding == AudioPluginData.Encoding.WAV
    assert content.converted_to_tensor
    assert value.metadata.data_class == BLOB_SEQUENCE


def test_audio_tensor_k_by_2_keeps_clips_and_drops_labels() -> None:
    value = Summary.Value(tag="a", metadata=_metadata("audio"))
    value.tensor.CopyFrom(string_tensor([b"c1", b"label1", b"c2", b"label2"], shape=[2, 2]))
    value = _normalize_one(value)
    assert tensor_shape(value.tensor) == (2,)
    assert list(value.tensor.string_val) == [b"c1", b"c2"]
    assert value.metadata.data_class == BLOB_SEQUENCE


def test_audio_projection_applies_to_later_values_without_metadata() -> None:
    normalizer = RunNormalizer()
    first = Summary.Value(tag="a", metadata=_metadata("audio"))
    first.tensor.CopyFrom(string_tensor([b"c1", b""], shape=[1, 2]))
    _normalize_one(first, normalizer)
    later = Summary.Value(tag="a")
    later.tensor.CopyFrom(string_tensor([b"c2", b"", b"c3", b""], shape=[2, 2]))
    assert list(_normalize_one(later, normalizer).tensor.string_val) == [b"c2", b"c3"]


def test_audio_tensor_with_trailing_dimensions_keeps_the_first_element_per_clip() -> None:
    value = Summary.Value(tag="a", metadata=_metadata("audio"))
    strings = [b"c1", b"x", b"y", b"z", b"c2", b"x", b"y", b"z"]
    value.tensor.CopyFrom(string_tensor(strings, shape=[2, 2, 2]))
    value = _normalize_one(value)
    assert tensor_shape(value.tensor) == (2,)
    assert list(value.tensor.string_val) == [b"c1", b"c2"]


def test_audio_tensor_of_rank1_is_unchanged() -> None:
    value = Summary.Value(tag="a", metadata=_metadata("audio"))
    value.tensor.CopyFrom(string_tensor([b"c1", b"c2"]))
    assert list(_normalize_one(value).tensor.string_val) == [b"c1", b"c2"]


# --- data classes and the first metadata of a tag ---------------------------------------------


@pytest.mark.parametrize(
    ("plugin", "data_class"),
    [
        ("scalars", SCALAR),
        ("histograms", TENSOR),
        ("text", TENSOR),
        ("pr_curves", TENSOR),
        ("mesh", TENSOR),
        ("custom_scalars", TENSOR),
        ("hparams", TENSOR),
        ("images", BLOB_SEQUENCE),
        ("audio", BLOB_SEQUENCE),
        ("graph_run_metadata", BLOB_SEQUENCE),
        ("graph_run_metadata_graph", BLOB_SEQUENCE),
        ("graph_keras_model", BLOB_SEQUENCE),
        ("tensor", UNKNOWN),
        ("my_plugin", UNKNOWN),
        ("", UNKNOWN),
    ],
)
def test_data_class_is_assigned_by_plugin_name(
    plugin: str, data_class: DataClass.ValueType
) -> None:
    assert data_class_for_plugin(plugin) == data_class
    value = Summary.Value(tag="t", metadata=_metadata(plugin))
    value.tensor.CopyFrom(string_tensor([b"x"]))
    normalizer = RunNormalizer()
    assert _normalize_one(value, normalizer).metadata.data_class == data_class
    metadata = normalizer.metadata("t")
    assert metadata is not None
    assert metadata.data_class == data_class


def test_first_metadata_of_a_tag_wins_over_later_metadata() -> None:
    normalizer = RunNormalizer()
    first = Summary.Value(tag="t", metadata=_metadata("text"))
    first.tensor.CopyFrom(string_tensor([b"hello"]))
    _normalize_one(first, normalizer)
    later = Summary.Value(tag="t", metadata=_metadata("images"))
    later.tensor.CopyFrom(string_tensor([b"1", b"1", b"png"]))
    later = _normalize_one(later, normalizer)
    assert later.metadata.data_class == TENSOR
    assert normalizer.metadata("t") == _metadata("text", data_class=TENSOR)


def test_value_without_metadata_of_a_known_tag_stays_without_metadata() -> None:
    normalizer = RunNormalizer()
    first = Summary.Value(tag="t", metadata=_metadata("text"))
    first.tensor.CopyFrom(string_tensor([b"a"]))
    _normalize_one(first, normalizer)
    later = Summary.Value(tag="t")
    later.tensor.CopyFrom(string_tensor([b"b"]))
    assert not _normalize_one(later, normalizer).HasField("metadata")


def test_written_data_class_is_kept_and_the_series_left_as_written() -> None:
    # TensorBoard migrates nothing of a series whose first metadata names a data class.
    normalizer = RunNormalizer()
    value = Summary.Value(tag="a", metadata=_metadata("audio", data_class=TENSOR))
    value.tensor.CopyFrom(string_tensor([b"c1", b"label"], shape=[1, 2]))
    value = _normalize_one(value, normalizer)
    assert value.metadata.data_class == TENSOR
    assert tensor_shape(value.tensor) == (1, 2)
    later = Summary.Value(tag="a", metadata=_metadata("audio"))
    later.tensor.CopyFrom(string_tensor([b"c2", b"label"], shape=[1, 2]))
    later = _normalize_one(later, normalizer)
    assert later.metadata.data_class == UNKNOWN
    assert tensor_shape(later.tensor) == (1, 2)


def test_tags_lists_tags_in_order_of_first_appearance() -> None:
    normalizer = RunNormalizer()
    normalizer.normalize(_event(Summary.Value(tag="b", simple_value=1.0)))
    normalizer.normalize(
        _event(Summary.Value(tag="a", simple_value=1.0), Summary.Value(tag="b", simple_value=2.0))
    )
    assert normalizer.tags == ["b", "a"]
    assert normalizer.metadata("missing") is None


def test_each_run_needs_its_own_normalizer() -> None:
    for _ in range(2):
        value = _normalize_one(Summary.Value(tag="loss", simple_value=1.0), RunNormalizer())
        assert value.HasField("metadata")


# --- hparams and graph sub-plugins ----------------------------------------------------------


def test_hparams_value_without_tensor_gets_the_empty_float_tensor() -> None:
    value = _normalize_one(Summary.Value(tag="_hparams_/experiment", metadata=_metadata("hparams")))
    assert value.tensor.dtype == DT_FLOAT
    assert tensor_shape(value.tensor) == (0,)
    assert value.metadata.data_class == TENSOR


def test_hparams_value_with_a_tensor_keeps_it() -> None:
    value = Summary.Value(tag="_hparams_/experiment", metadata=_metadata("hparams"))
    value.tensor.CopyFrom(TensorProto(dtype=DT_DOUBLE, double_val=[1.0]))
    assert _normalize_one(value).tensor == TensorProto(dtype=DT_DOUBLE, double_val=[1.0])


@pytest.mark.parametrize(
    "plugin", ["graph_run_metadata", "graph_run_metadata_graph", "graph_keras_model"]
)
def test_graph_sub_plugin_scalar_string_gets_shape_1(plugin: str) -> None:
    value = Summary.Value(tag="trace", metadata=_metadata(plugin, b"1"))
    value.tensor.CopyFrom(TensorProto(dtype=DT_STRING, string_val=[b"graph"]))
    value = _normalize_one(value)
    assert tensor_shape(value.tensor) == (1,)
    assert make_ndarray(value.tensor).tolist() == [b"graph"]
    assert value.metadata.data_class == BLOB_SEQUENCE


def test_graph_sub_plugin_tensor_with_a_shape_keeps_it() -> None:
    value = Summary.Value(tag="trace", metadata=_metadata("graph_run_metadata", b"1"))
    value.tensor.CopyFrom(string_tensor([b"a", b"b"]))
    assert tensor_shape(_normalize_one(value).tensor) == (2,)


# --- graph_def and tagged_run_metadata events -----------------------------------------------


def test_graph_def_becomes_run_graph_blob_sequence_event() -> None:
    normalizer = RunNormalizer()
    event = normalizer.normalize(Event(step=3, wall_time=7.25, graph_def=b"graph bytes"))
    assert (event.step, event.wall_time) == (3, 7.25)
    value = _only_value(event)
    assert value.tag == RUN_GRAPH_TAG == "__run_graph__"
    assert make_ndarray(value.tensor).tolist() == [b"graph bytes"]
    assert value.metadata == _metadata("graphs", data_class=BLOB_SEQUENCE)
    assert not event.graph_def


def test_second_graph_def_of_a_run_carries_no_metadata() -> None:
    normalizer = RunNormalizer()
    normalizer.normalize(Event(graph_def=b"g1"))
    value = _only_value(normalizer.normalize(Event(graph_def=b"g2")))
    assert not value.HasField("metadata")
    assert make_ndarray(value.tensor).tolist() == [b"g2"]


def test_tagged_run_metadata_becomes_blob_sequence_under_its_tag() -> None:
    trm = TaggedRunMetadata(tag="step1", run_metadata=b"run metadata")
    event = RunNormalizer().normalize(Event(step=1, tagged_run_metadata=trm))
    value = _only_value(event)
    assert value.tag == "step1"
    assert make_ndarray(value.tensor).tolist() == [b"run metadata"]
    assert value.metadata == _metadata("graph_tagged_run_metadata", data_class=BLOB_SEQUENCE)


# --- tags and events without summaries ------------------------------------------------------


def test_node_name_is_the_tag_when_tag_is_empty() -> None:
    value = _normalize_one(Summary.Value(node_name="old/op", simple_value=1.0))
    assert value.tag == "old/op"
    assert value.metadata.display_name == "old/op"


def test_tag_wins_over_node_name() -> None:
    value = _normalize_one(Summary.Value(tag="new", node_name="old", simple_value=1.0))
    assert value.tag == "new"


@pytest.mark.parametrize(
    "event",
    [
        Event(wall_time=1.0, file_version="brain.Event:2"),
        Event(step=4, session_log=SessionLog(status=SessionLog.SessionStatus.START)),
        Event(log_message=LogMessage(level=LogMessage.Level.WARN, message="hi")),
        Event(meta_graph_def=b"meta graph"),
        Event(step=2, wall_time=3.0),
    ],
    ids=["file_version", "session_log", "log_message", "meta_graph_def", "empty"],
)
def test_events_without_summary_are_unchanged(event: Event) -> None:
    before = event.SerializeToString()
    normalizer = RunNormalizer()
    assert normalizer.normalize(event) is event
    assert event.SerializeToString() == before
    assert normalizer.tags == []


def test_modern_value_is_rewritten_in_place() -> None:
    event = _event(Summary.Value(tag="loss", simple_value=1.0))
    value = event.summary.value[0]
    assert RunNormalizer().normalize(event) is event
    assert value.HasField("tensor")


def test_value_without_any_payload_is_left_alone() -> None:
    value = _normalize_one(Summary.Value(tag="nothing"))
    assert value.WhichOneof("value") is None
    assert not value.HasField("metadata")
