"""Per-run staging: events become series, scalar columns, tensor rows, blob refs and run info.

One ``RunStage`` per run holds the run's ``RunNormalizer`` (the first
metadata of each tag decides its data class, so normalising is stateful) and
the data staged since the last batch. Scalars are staged *columnar*: four
growing typed arrays (series id, step, wall time, value), or whole numpy
blocks from the compiled scanner via ``add_scalar_block``, never one Python
object per point.

After a restart, ``RunStage`` is rebuilt from the store: each series' first
metadata (kept as its ``ingest_state``) is replayed into a fresh normaliser,
so later values of the tag are classified exactly as before the restart.
"""

from __future__ import annotations

import array
import functools
import itertools
import threading
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
from google.protobuf.message import DecodeError

from heron.core.values import DataClass, HParamValue
from heron.errors import FormatError
from heron.formats.compat import RunNormalizer
from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.hparams_api_pb2 import Status
from heron.formats.proto.hparams_plugin_pb2 import HParamsPluginData
from heron.formats.proto.summary_pb2 import DataClass as ProtoDataClass
from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
from heron.formats.proto.types_pb2 import DT_STRING
from heron.formats.scan import ScanBatch
from heron.formats.tensors import make_ndarray, scalar_value
from heron.ingest.records import record_check
from heron.ingest.tail import FileCursor
from heron.storage.batch import (
    BlobSequenceRow,
    FileSlice,
    NewRun,
    NewSeries,
    RecordCheck,
    RunInfo,
    ScalarColumns,
    TensorRow,
)
from heron.storage.protocol import SeriesState

__all__ = ["INLINE_BLOB_LIMIT", "IdSource", "RunStage", "Staged"]

#: Blobs smaller than this are copied into the index; larger ones are kept as
#: references into their event file (images are not copied).
INLINE_BLOB_LIMIT: Final = 1024
_LEGACY_KINDS: Final = frozenset({"simple_value", "histo", "image", "audio"})
_DATA_CLASSES: Final = {
    ProtoDataClass.DATA_CLASS_SCALAR: DataClass.SCALAR,
    ProtoDataClass.DATA_CLASS_TENSOR: DataClass.TENSOR,
    ProtoDataClass.DATA_CLASS_BLOB_SEQUENCE: DataClass.BLOB_SEQUENCE,
}
_STATUS: Final = {
    Status.STATUS_SUCCESS: "success",
    Status.STATUS_FAILURE: "failure",
    Status.STATUS_RUNNING: "running",
    Status.STATUS_UNKNOWN: "unknown",
}


class IdSource:
    """Hands out ids for new runs / series / files (the ingester is the only writer)."""

    def __init__(self, next_id: int) -> None:
        self._counter = itertools.count(next_id)
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            return next(self._counter)


class Staged:
    """What a run has staged since its last batch (taken with ``RunStage.take``)."""

    __slots__ = ("blobs", "run", "run_info", "scalars", "series", "tensors")

    def __init__(
        self,
        run: NewRun | None,
        series: list[NewSeries],
        scalars: list[ScalarColumns],
        tensors: list[TensorRow],
        blobs: list[BlobSequenceRow],
        run_info: RunInfo | None,
    ) -> None:
        self.run = run
        self.series = series
        self.scalars = scalars
        self.tensors = tensors
        self.blobs = blobs
        self.run_info = run_info


class RunStage:
    """Normalises and classifies one run's events, staging them until the next batch."""

    def __init__(
        self,
        run_id: int,
        name: str,
        *,
        series_ids: IdSource,
        known: Mapping[str, SeriesState] | None = None,
        new: bool = False,
    ) -> None:
        self.run_id = run_id
        self.name = name
        self._series_ids = series_ids
        self._normalizer = RunNormalizer()
        self._series: dict[str, int] = {}
        #: Tag (UTF-8) -> series id of every SCALAR series: the scanner's fast path.
        self.scalar_tags: dict[bytes, int] = {}
        self._classes: dict[str, DataClass | None] = {}
        self._plugins: dict[str, str] = {}
        for tag, state in (known or {}).items():
            self._prime(tag, state)
        self._new_run = NewRun(run_id, name) if new else None
        self._reset_pending()

    def _prime(self, tag: str, state: SeriesState) -> None:
        metadata = SummaryMetadata.FromString(state.ingest_state)
        self._normalizer.normalize(
            Event(summary=Summary(value=[Summary.Value(tag=tag, metadata=metadata)]))
        )
        self._series[tag] = state.series_id
        self._classes[tag] = state.data_class
        if state.data_class is DataClass.SCALAR:
            self.scalar_tags[tag.encode()] = state.series_id
        self._plugins[tag] = metadata.plugin_data.plugin_name

    def _reset_pending(self) -> None:
        self._new_series: list[NewSeries] = []
        self._ids = array.array("q")
        self._steps = array.array("q")
        self._walls = array.array("d")
        self._values = array.array("d")
        self._blocks: list[ScalarColumns] = []
        self._tensors: list[TensorRow] = []
        self._blobs: list[BlobSequenceRow] = []
        self._first_wall: float | None = None
        self._last_wall: float | None = None
        self._hparams: dict[str, HParamValue] | None = None
        self._status: str | None = None
        self.pending_points = 0
        self.pending_bytes = 0

    def add_scan(self, cursor: FileCursor, batch: ScanBatch) -> None:
        """Stage one scanner batch: its scalar columns, then its residual record, in file order."""
        if len(batch):
            self.add_scalar_block(
                ScalarColumns(
                    series_ids=batch.series.astype(np.int64),
                    steps=batch.steps,
                    wall_times=batch.wall_times,
                    values=batch.values,
                )
            )
        if batch.residual is not None:
            self.add_record(cursor, *batch.residual)

    def add_scalar_block(self, block: ScalarColumns) -> None:
        """Columns of scalar points decoded elsewhere (the compiled scanner), in write order."""
        self._flush_scalars()
        self._blocks.append(block)
        self.pending_points += len(block)
        if len(block):
            self._wall_range(float(block.wall_times.min()), float(block.wall_times.max()))

    def add_record(self, cursor: FileCursor, offset: int, payload: bytes) -> None:
        try:
            event = Event.FromString(payload)
        except DecodeError as error:
            cursor.reject(f"record at byte {offset} is not an Event: {error}")
            return
        self._wall_range(event.wall_time, event.wall_time)
        kind = event.WhichOneof("what")
        if kind not in ("summary", "graph_def", "tagged_run_metadata"):
            return
        first_seen = {}
        for value in event.summary.value:
            tag = value.tag or value.node_name
            if tag not in self._series and tag not in first_seen:
                first_seen[tag] = value.WhichOneof("value") not in _LEGACY_KINDS and (
                    value.metadata.data_class != ProtoDataClass.DATA_CLASS_UNKNOWN
                )
        try:
            self._normalizer.normalize(event)
        except FormatError as error:
            cursor.reject(f"record at byte {offset}: {error}")
            return
        step, wall = event.step, event.wall_time
        check = None
        for value in event.summary.value:
            tag = value.tag
            series_id = self._series.get(tag)
            if series_id is None:
                series_id = self._add_series(tag, first_seen.get(tag, True))
                if series_id is None:
                    continue
            data_class = self._classes[tag]
            if data_class is DataClass.SCALAR:
                try:
                    number = scalar_value(value.tensor)
                except FormatError:
                    continue
                self._ids.append(series_id)
                self._steps.append(step)
                self._walls.append(wall)
                self._values.append(number)
                self.pending_points += 1
            elif data_class is DataClass.TENSOR:
                self._add_tensor(series_id, tag, step, wall, value)
            elif data_class is DataClass.BLOB_SEQUENCE:
                if check is None:
                    check = record_check(offset, payload)
                self._add_blobs(series_id, step, wall, value, payload, cursor.file_id, check)

    def _add_series(self, tag: str, as_written: bool) -> int | None:
        metadata = self._normalizer.metadata(tag)
        if metadata is None:
            return None
        series_id = self._series_ids()
        serialized = metadata.SerializeToString()
        if len(serialized) <= _MEMO_METADATA_BYTES:
            facts = _memo_series_facts(serialized, as_written)
        else:
            facts = _series_facts(serialized, as_written)
        self._series[tag] = series_id
        self._classes[tag] = facts.data_class
        self._plugins[tag] = facts.plugin_name
        if facts.data_class is DataClass.SCALAR:
            self.scalar_tags[tag.encode()] = series_id
        self._new_series.append(
            NewSeries(
                series_id,
                self.run_id,
                tag,
                facts.plugin_name,
                facts.data_class,
                facts.plugin_content,
                facts.display_name,
                facts.description,
                facts.ingest_state,
            )
        )
        return series_id

    def _add_tensor(
        self, series_id: int, tag: str, step: int, wall: float, value: Summary.Value
    ) -> None:
        if self._plugins[tag] == "hparams" and value.HasField("metadata"):
            self._read_hparams(value.metadata.plugin_data.content)
        try:
            array_value = make_ndarray(value.tensor)
        except FormatError:
            return
        array_value.flags.writeable = False
        self._tensors.append(TensorRow(series_id, step, wall, array_value))
        self.pending_points += 1
        self.pending_bytes += array_value.nbytes

    def _read_hparams(self, content: bytes) -> None:
        try:
            data = HParamsPluginData.FromString(content)
        except DecodeError:
            return
        which = data.WhichOneof("data")
        if which == "session_start_info":
            hparams: dict[str, HParamValue] = {}
            for name, value in data.session_start_info.hparams.items():
                kind = value.WhichOneof("kind")
                if kind == "number_value":
                    hparams[name] = value.number_value
                elif kind == "string_value":
                    hparams[name] = value.string_value
                elif kind == "bool_value":
                    hparams[name] = value.bool_value
            self._hparams = hparams
        elif which == "session_end_info":
            self._status = _STATUS.get(data.session_end_info.status, "unknown")

    def _add_blobs(
        self,
        series_id: int,
        step: int,
        wall: float,
        value: Summary.Value,
        payload: bytes,
        file_id: int,
        check: RecordCheck,
    ) -> None:
        if value.tensor.dtype != DT_STRING:
            return
        blobs: list[bytes | FileSlice] = []
        for element in value.tensor.string_val:
            start = payload.find(element) if len(element) >= INLINE_BLOB_LIMIT else -1
            if start < 0:
                blobs.append(bytes(element))
                self.pending_bytes += len(element)
            else:
                blobs.append(
                    FileSlice(
                        file_id, check.offset, check.length, check.crc, start, start + len(element)
                    )
                )
        self._blobs.append(BlobSequenceRow(series_id, step, wall, tuple(blobs)))
        self.pending_points += 1

    def _wall_range(self, low: float, high: float) -> None:
        if self._first_wall is None or low < self._first_wall:
            self._first_wall = low
        if self._last_wall is None or high > self._last_wall:
            self._last_wall = high

    def _flush_scalars(self) -> None:
        if not self._steps:
            return
        self._blocks.append(
            ScalarColumns(
                series_ids=_frozen(np.frombuffer(self._ids, dtype=np.int64)),
                steps=_frozen(np.frombuffer(self._steps, dtype=np.int64)),
                wall_times=_frozen(np.frombuffer(self._walls, dtype=np.float64)),
                values=_frozen(np.frombuffer(self._values, dtype=np.float64)),
            )
        )
        self._ids = array.array("q")
        self._steps = array.array("q")
        self._walls = array.array("d")
        self._values = array.array("d")

    def take(self) -> Staged:
        """Everything staged since the last ``take``, and start afresh."""
        self._flush_scalars()
        info = None
        if self._first_wall is not None or self._hparams is not None or self._status is not None:
            info = RunInfo(
                self.run_id, self._first_wall, self._last_wall, self._hparams, self._status
            )
        staged = Staged(
            self._new_run,
            self._new_series,
            self._blocks,
            self._tensors,
            self._blobs,
            info,
        )
        self._new_run = None
        self._reset_pending()
        return staged


class _SeriesFacts(NamedTuple):
    data_class: DataClass | None
    plugin_name: str
    plugin_content: bytes
    display_name: str
    description: str
    ingest_state: bytes


def _series_facts(metadata: bytes, as_written: bool) -> _SeriesFacts:
    """What a new series records of its first metadata (serialized)."""
    parsed = SummaryMetadata.FromString(metadata)
    facts = _SeriesFacts(
        _DATA_CLASSES.get(parsed.data_class),
        parsed.plugin_data.plugin_name,
        parsed.plugin_data.content,
        parsed.display_name,
        parsed.summary_description,
        metadata,
    )
    if as_written:
        return facts
    # Replaying it without a data class lets the normaliser derive the class
    # and apply its tensor fixes, as it did the first time.
    parsed.data_class = ProtoDataClass.DATA_CLASS_UNKNOWN
    return facts._replace(ingest_state=parsed.SerializeToString())


#: The runs of a sweep start the same tags with the same metadata (20,000 new series at
#: 5,000 runs x 4 tags): a lookup is cheaper than reading the fields of a protobuf message
#: and serialising a copy. Small metadata only, so the memo stays small (~4 MiB at most).
_MEMO_METADATA_BYTES: Final = 1024
_memo_series_facts: Final = functools.lru_cache(maxsize=4096)(_series_facts)


def _frozen(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    values.flags.writeable = False
    return values
