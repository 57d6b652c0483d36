"""What the ingester hands the store: one atomic batch of changes, as frozen values.

A ``CommitBatch`` is applied in a single transaction, so the file offsets it
carries become durable together with the points read up to them; that is what
makes a ``kill -9`` at any moment safe (see ``Store.commit``).

Identifiers (run, series and file ids) are chosen by the ingester, the single
writer: it learns the next free ones from ``Store.load_state`` and numbers new
things itself. That lets it tag scalar points with their series id while
decoding, before anything reaches the store (the compiled scanner needs that).

Scalars travel as columns (``ScalarColumns``): numpy arrays of many points of
many series, in the order they were written. Nothing here holds one Python
object per scalar point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heron.core.values import DataClass, HParamValue

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "AssetRow",
    "AssetSet",
    "BlobSequenceRow",
    "CommitBatch",
    "FileProgress",
    "FileSlice",
    "NewRun",
    "NewSeries",
    "RecordCheck",
    "RunInfo",
    "ScalarColumns",
    "TensorRow",
]


@dataclass(frozen=True, slots=True)
class NewRun:
    run_id: int
    name: str


@dataclass(frozen=True, slots=True)
class NewSeries:
    """A (run, tag) seen for the first time, described by its first metadata.

    ``data_class`` is ``None`` for a tag whose plugin Heron cannot classify
    (TensorBoard's UNKNOWN): it is remembered, so that ingest resumes exactly,
    but it holds no points and readers never list it.
    """

    series_id: int
    run_id: int
    tag: str
    plugin_name: str
    data_class: DataClass | None
    plugin_content: bytes = b""
    display_name: str = ""
    description: str = ""
    #: Opaque to the store: what the ingester needs to classify this tag's later
    #: values the same way after a restart (returned by ``load_state``).
    ingest_state: bytes = b""


@dataclass(frozen=True, slots=True)
class ScalarColumns:
    """Scalar points of any number of series, one array element per point, in write order."""

    series_ids: npt.NDArray[np.int64]
    steps: npt.NDArray[np.int64]
    wall_times: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.steps)


@dataclass(frozen=True, slots=True)
class TensorRow:
    series_id: int
    step: int
    wall_time: float
    value: npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class FileSlice:
    """A blob kept in its event file: bytes ``[start, stop)`` of the record's payload.

    The record is identified by its offset, payload length and masked payload
    CRC, so a reader can tell when the file no longer holds that record.
    """

    file_id: int
    record_offset: int
    record_length: int
    record_crc: int
    start: int
    stop: int

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True, slots=True)
class BlobSequenceRow:
    """One step of a blob sequence; each blob is copied bytes or a ``FileSlice``."""

    series_id: int
    step: int
    wall_time: float
    blobs: tuple[bytes | FileSlice, ...]


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a batch learned about a run; merged into the run summary (min / max / latest)."""

    run_id: int
    first_wall_time: float | None = None
    last_wall_time: float | None = None
    hparams: dict[str, HParamValue] | None = None
    session_status: str | None = None


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """The last record consumed from a file, to recognise the file if it is replaced."""

    offset: int
    length: int
    crc: int


@dataclass(frozen=True, slots=True)
class FileProgress:
    """How far a file has been read: applied with the data read up to ``offset``."""

    file_id: int
    run_id: int
    path: str
    size: int
    offset: int
    records: int
    corrupt_records: int
    device: int = 0
    inode: int = 0
    error: str | None = None
    last_record: RecordCheck | None = None


@dataclass(frozen=True, slots=True)
class AssetRow:
    """One plugin asset as ingest found it (see ``heron.core.Asset``).

    Kept by reference (``data is None``): ``path`` is the file's resolved real
    path, already checked to lie inside the logdir, and (``size``,
    ``mtime_ns``, ``device``, ``inode``) identify the exact file a reader must
    find there. Stored (``data`` set): the bytes themselves (e.g. a config
    ingest has normalised), the stat fields describing the source file so the
    ingester can tell when to redo it. Refused (``error`` set): ``path`` is the
    file that named it, and nothing is served.
    """

    name: str
    media_type: str
    path: str
    size: int = 0
    mtime_ns: int = 0
    device: int = 0
    inode: int = 0
    data: bytes | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class AssetSet:
    """Every asset of one (plugin, run): replaces what is stored; no assets = remove them all."""

    plugin_name: str
    run: str
    assets: tuple[AssetRow, ...] = ()


@dataclass(frozen=True, slots=True)
class CommitBatch:
    """Changes applied atomically, in this order: removals, resets, new runs and
    series, points, run info, file progress, plugin assets.

    * ``removed_runs``: runs whose directory is gone; every trace is deleted.
    * ``reset_runs``: runs to be read again from scratch (a file was replaced
      or deleted): their series, points and files are deleted, the run stays.
    """

    removed_runs: tuple[int, ...] = ()
    reset_runs: tuple[int, ...] = ()
    runs: tuple[NewRun, ...] = ()
    series: tuple[NewSeries, ...] = ()
    scalars: tuple[ScalarColumns, ...] = ()
    tensors: tuple[TensorRow, ...] = ()
    blob_sequences: tuple[BlobSequenceRow, ...] = ()
    run_info: tuple[RunInfo, ...] = ()
    files: tuple[FileProgress, ...] = ()
    #: Plugin assets, replaced per (plugin, run); independent of the runs above.
    asset_sets: tuple[AssetSet, ...] = ()
    #: Set by the ingester when a discovery pass has completed (for ``health()``).
    pass_completed_at: float | None = None

    @property
    def point_count(self) -> int:
        return sum(len(c) for c in self.scalars) + len(self.tensors) + len(self.blob_sequences)

    def is_empty(self) -> bool:
        return not (
            self.removed_runs
            or self.reset_runs
            or self.runs
            or self.series
            or self.point_count
            or self.run_info
            or self.files
            or self.asset_sets
            or self.pass_completed_at is not None
        )
