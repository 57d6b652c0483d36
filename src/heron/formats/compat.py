"""Legacy → modern normalisation: one shape of data for every later layer.

Event files in the wild mix two generations of summaries. TF1 and PyTorch
write ``simple_value``, ``histo``, ``image`` and ``audio``; TF2 writes tensors
with ``SummaryMetadata`` naming a plugin. ``RunNormalizer`` rewrites the first
kind into the second, then assigns each tag a data class, following
TensorBoard's own two passes (``data_compat`` then ``dataclass_compat``) so that
Heron shows exactly what TensorBoard shows:

* ``simple_value`` → rank-0 DT_FLOAT tensor, plugin ``scalars``;
* ``histo`` → float32 ``[k, 3]`` tensor of ``[left, right, count]`` rows, empty
  buckets at both ends dropped, outer edges at ``histo.min`` / ``histo.max``;
* ``image`` → DT_STRING ``[width, height, encoded]``, plugin ``images``;
* ``audio`` → DT_STRING ``[encoded]``, plugin ``audio`` (WAV);
* ``Event.graph_def`` → tag ``__run_graph__``, plugin ``graphs``;
* ``Event.tagged_run_metadata`` → its tag, plugin ``graph_tagged_run_metadata``.

The data class of a tag is decided by the *first* metadata seen for it in a
run; later metadata is ignored, as TensorBoard does. That is why normalising is
stateful: use one ``RunNormalizer`` per run, and feed it the run's events in
file order. A series whose first metadata already names a data class is left
exactly as written (no tensor fixes), again as TensorBoard does.

Unlike TensorBoard's Python loader, a migrated legacy value carries metadata
only the first time its tag appears (later values of the tag have none, like
values from modern writers): metadata is per series, and copying it onto
millions of scalar points would only cost time. ``RunNormalizer.metadata(tag)``
gives the series' metadata at any point.
"""

from __future__ import annotations

import math
from typing import Final

from heron.errors import FormatError
from heron.formats.proto.audio_plugin_pb2 import AudioPluginData
from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.images_plugin_pb2 import ImagePluginData
from heron.formats.proto.summary_pb2 import DataClass, Summary, SummaryMetadata
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DT_FLOAT, DT_STRING
from heron.formats.tensors import string_tensor, tensor_shape

__all__ = ["RUN_GRAPH_TAG", "RunNormalizer", "data_class_for_plugin"]

RUN_GRAPH_TAG: Final = "__run_graph__"

_SCALAR: Final = DataClass.DATA_CLASS_SCALAR
_TENSOR: Final = DataClass.DATA_CLASS_TENSOR
_BLOB_SEQUENCE: Final = DataClass.DATA_CLASS_BLOB_SEQUENCE
_UNKNOWN: Final = DataClass.DATA_CLASS_UNKNOWN

_GRAPH_SUB_PLUGINS: Final = frozenset(
    {"graph_run_metadata", "graph_run_metadata_graph", "graph_keras_model"}
)
_CLASS_BY_PLUGIN: Final[dict[str, DataClass.ValueType]] = {
    "scalars": _SCALAR,
    "histograms": _TENSOR,
    "text": _TENSOR,
    "pr_curves": _TENSOR,
    "mesh": _TENSOR,
    "custom_scalars": _TENSOR,
    "hparams": _TENSOR,
    "images": _BLOB_SEQUENCE,
    "audio": _BLOB_SEQUENCE,
    **dict.fromkeys(_GRAPH_SUB_PLUGINS, _BLOB_SEQUENCE),
}


def data_class_for_plugin(plugin_name: str) -> DataClass.ValueType:
    """The data class TensorBoard assigns to a legacy series of this plugin (UNKNOWN if none)."""
    return _CLASS_BY_PLUGIN.get(plugin_name, _UNKNOWN)


class RunNormalizer:
    """Normalises the events of one run, in order; see the module docstring."""

    def __init__(self) -> None:
        self._metadata: dict[str, SummaryMetadata] = {}
        # Tags whose first metadata came with a data class: left exactly as written.
        self._as_written: set[str] = set()

    def metadata(self, tag: str) -> SummaryMetadata | None:
        """The series metadata of ``tag`` (with its data class), once the tag has been seen."""
        return self._metadata.get(tag)

    @property
    def tags(self) -> list[str]:
        """Tags seen so far, in order of first appearance."""
        return list(self._metadata)

    def normalize(self, event: Event) -> Event:
        """Rewrite ``event`` into the modern shape, in place, and return it.

        Events without summary data (``file_version``, ``session_log``, …) are
        returned unchanged. ``graph_def`` and ``tagged_run_metadata`` events
        become summary events whose single value holds the serialized proto.

        Raises ``FormatError`` for a legacy histogram with fewer bucket limits
        than it needs; the event is then partly normalised and should be skipped.
        """
        kind = event.WhichOneof("what")
        if kind == "summary":
            for value in event.summary.value:
                self._normalize_value(value)
        elif kind == "graph_def":
            self._wrap_blob(event, RUN_GRAPH_TAG, "graphs", event.graph_def)
        elif kind == "tagged_run_metadata":
            trm = event.tagged_run_metadata
            self._wrap_blob(event, trm.tag, "graph_tagged_run_metadata", trm.run_metadata)
        return event

    def _wrap_blob(self, event: Event, tag: str, plugin: str, blob: bytes) -> None:
        # Adding to `summary` replaces the graph_def / tagged_run_metadata oneof member.
        value = event.summary.value.add(tag=tag)
        if tag not in self._metadata:
            metadata = SummaryMetadata(data_class=_BLOB_SEQUENCE)
            metadata.plugin_data.plugin_name = plugin
            self._metadata[tag] = metadata
            value.metadata.CopyFrom(metadata)
        _set_string_vector(value, [blob])

    def _normalize_value(self, value: Summary.Value) -> None:
        if not value.tag and value.node_name:
            value.tag = value.node_name
        tag = value.tag
        kind = value.WhichOneof("value")
        known = self._metadata.get(tag)
        if kind == "simple_value":
            # The hot path (TF1 / PyTorch scalars): mutate in place, no temporaries.
            number = value.simple_value
            tensor = value.tensor  # writing to it replaces simple_value in the oneof
            tensor.dtype = DT_FLOAT
            tensor.float_val.append(number)
            self._set_legacy_metadata(value, known, "scalars", b"", _SCALAR)
            return
        if kind == "histo":
            value.tensor.CopyFrom(_histogram_tensor(value))
            self._set_legacy_metadata(value, known, "histograms", b"", _TENSOR)
            return
        if kind == "image":
            image = value.image
            elements = [str(image.width).encode(), str(image.height).encode()]
            elements.append(image.encoded_image_string)
            _set_string_vector(value, elements)
            content = ImagePluginData(converted_to_tensor=True).SerializeToString()
            self._set_legacy_metadata(value, known, "images", content, _BLOB_SEQUENCE)
            return
        if kind == "audio":
            _set_string_vector(value, [value.audio.encoded_audio_string])
            content = AudioPluginData(
                encoding=AudioPluginData.Encoding.WAV, converted_to_tensor=True
            ).SerializeToString()
            self._set_legacy_metadata(value, known, "audio", content, _BLOB_SEQUENCE)
            return
        if known is None:
            known = SummaryMetadata()
            known.CopyFrom(value.metadata)
            self._metadata[tag] = known
            if known.data_class != _UNKNOWN:
                # The writer chose the data class: TensorBoard migrates nothing of such a series.
                self._as_written.add(tag)
                return
            known.data_class = data_class_for_plugin(known.plugin_data.plugin_name)
        elif tag in self._as_written:
            return
        if value.HasField("metadata"):
            value.metadata.data_class = known.data_class
        _fix_tensor(value, known)

    def _set_legacy_metadata(
        self,
        value: Summary.Value,
        known: SummaryMetadata | None,
        plugin: str,
        content: bytes,
        data_class: DataClass.ValueType,
    ) -> None:
        if known is not None:
            if value.HasField("metadata"):
                value.ClearField("metadata")
            return
        metadata = SummaryMetadata(
            display_name=value.metadata.display_name or value.tag,
            summary_description=value.metadata.summary_description,
            data_class=data_class,
        )
        metadata.plugin_data.plugin_name = plugin
        metadata.plugin_data.content = content
        value.metadata.CopyFrom(metadata)
        self._metadata[value.tag] = metadata


def _set_string_vector(value: Summary.Value, elements: list[bytes]) -> None:
    """Make ``value`` hold a rank-1 DT_STRING tensor of ``elements``, in place.

    Filling the oneof member directly copies each (possibly large) blob once,
    where building a TensorProto and copying it in would copy it twice more.
    """
    tensor = value.tensor  # mutating it replaces the legacy member of the oneof
    tensor.dtype = DT_STRING
    tensor.string_val.extend(elements)
    tensor.tensor_shape.dim.add(size=len(elements))


def _fix_tensor(value: Summary.Value, metadata: SummaryMetadata) -> None:
    """Per-plugin tensor fixes of TensorBoard's data-class migration."""
    plugin = metadata.plugin_data.plugin_name
    if plugin == "audio":
        shape = tensor_shape(value.tensor)
        if len(shape) > 1 and value.tensor.dtype == DT_STRING:
            # [k, 2] (clip, label) → [k] clips; labels are not part of the blob sequence.
            # Any trailing dimensions are projected out the same way (first element kept).
            stride = math.prod(shape[1:])
            clips = list(value.tensor.string_val)[::stride] if stride else []
            value.tensor.CopyFrom(string_tensor(clips))
    elif plugin == "hparams":
        if not value.HasField("tensor"):
            empty = TensorProto(dtype=DT_FLOAT)
            empty.tensor_shape.dim.add(size=0)
            value.tensor.CopyFrom(empty)
    elif plugin in _GRAPH_SUB_PLUGINS and not value.tensor.tensor_shape.dim:
        value.tensor.tensor_shape.dim.add(size=1)


def _histogram_tensor(value: Summary.Value) -> TensorProto:
    """The ``[k, 3]`` float32 ``[left, right, count]`` tensor of a legacy histogram."""
    histo = value.histo
    counts = list(histo.bucket)
    limits = list(histo.bucket_limit)
    nonzero = [i for i, count in enumerate(counts) if count > 0]
    tensor = TensorProto(dtype=DT_FLOAT)
    if not nonzero:
        tensor.tensor_shape.dim.add(size=0)
        tensor.tensor_shape.dim.add(size=3)
        return tensor
    first, last = nonzero[0], nonzero[-1]
    if len(limits) < last:
        raise FormatError(
            f"histogram {value.tag!r} has {len(counts)} buckets but {len(limits)} bucket limits"
        )
    inner = limits[first:last]
    lefts = [histo.min, *inner]
    rights = [*inner, histo.max]
    for left, right, count in zip(lefts, rights, counts[first : last + 1], strict=True):
        tensor.float_val.extend((left, right, count))
    tensor.tensor_shape.dim.add(size=last - first + 1)
    tensor.tensor_shape.dim.add(size=3)
    return tensor
