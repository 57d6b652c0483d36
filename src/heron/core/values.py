"""The domain values every reader of Heron's data sees.

They are frozen: a value handed out by a ``ReadProvider`` is a snapshot that
no later ingest changes. Arrays inside them are read-only numpy arrays.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "Asset",
    "BlobRef",
    "BlobSequencePoint",
    "DataClass",
    "FileHealth",
    "HParamValue",
    "IngestHealth",
    "Run",
    "RunSummary",
    "ScalarPoints",
    "ScalarSummary",
    "Series",
    "SeriesKey",
    "TensorPoint",
]

#: An hparam value as the hparams plugin records it (google.protobuf.Value kinds).
HParamValue = str | float | bool


class DataClass(enum.Enum):
    """How a series' values are shaped, and so how they are stored and read.

    The values match TensorBoard's ``DataClass`` enum numbers.
    """

    #: (step, wall_time, float) points.
    SCALAR = 1
    #: Small arrays per step: histogram buckets, PR-curve tables, text.
    TENSOR = 2
    #: Per step, a sequence of large payloads (images, audio, graphs) read one by one.
    BLOB_SEQUENCE = 3


class SeriesKey(NamedTuple):
    """Names one series: a tag within a run."""

    run: str
    tag: str


@dataclass(frozen=True, slots=True)
class Run:
    """A directory holding event files, named by its path relative to the logdir ("." itself)."""

    name: str
    #: Wall time of the run's first event; ``None`` until one has been read.
    start_time: float | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """A (run, tag) and what its first metadata said about it."""

    run: str
    tag: str
    plugin_name: str
    data_class: DataClass
    #: The plugin's own metadata bytes (e.g. a serialized ``PrCurvePluginData``).
    plugin_content: bytes = b""
    display_name: str = ""
    description: str = ""
    #: Visible points (see ``ReadProvider`` on restarts).
    count: int = 0
    max_step: int = 0
    max_wall_time: float = 0.0
    #: For blob sequences: the most blobs any step holds.
    max_length: int = 0

    @property
    def key(self) -> SeriesKey:
        return SeriesKey(self.run, self.tag)


@dataclass(frozen=True, slots=True)
class ScalarPoints:
    """Points of one scalar series, columnar, sorted by step."""

    steps: npt.NDArray[np.int64]
    wall_times: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.steps)


@dataclass(frozen=True, slots=True)
class TensorPoint:
    """One step of a tensor series. String tensors are object arrays of ``bytes``."""

    step: int
    wall_time: float
    value: npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class BlobRef:
    """A handle on one blob; ``ReadProvider.read_blob(ref.key)`` fetches its bytes.

    Keys are opaque, URL-safe strings: pass them around, never parse them.
    """

    key: str
    #: Size in bytes when known without reading the blob, else -1.
    size: int = -1


@dataclass(frozen=True, slots=True)
class BlobSequencePoint:
    """One step of a blob-sequence series: e.g. ``[width, height, png, png, ...]`` for images."""

    step: int
    wall_time: float
    blobs: tuple[BlobRef, ...]


@dataclass(frozen=True, slots=True)
class ScalarSummary:
    """Aggregates of one scalar series, maintained while ingesting (never by scanning points)."""

    count: int
    first_step: int
    last_step: int
    first_value: float
    last_value: float
    min_value: float
    max_value: float
    last_wall_time: float


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a runs table shows about a run, without touching its points."""

    run: str
    start_time: float | None
    last_wall_time: float | None
    last_step: int | None
    #: From the hparams plugin's session start info, if the run has one.
    hparams: dict[str, HParamValue] = field(default_factory=dict)
    #: hparams plugin session status ("success", "failure", "running", "unknown") if recorded.
    session_status: str | None = None
    scalars: dict[str, ScalarSummary] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Asset:
    """A file a plugin reads beside the event files (TensorBoard's "plugin assets").

    The projector, for one, reads no events: its config names tensor, metadata,
    sprite and bookmarks files. Ingest checks each such file (it must stay
    inside the logdir) and indexes it under a ``name`` chosen by the plugin's
    conventions, so that readers fetch bytes by (plugin, run, name) and never
    by a path. Read the bytes with ``ReadProvider.read_asset``.
    """

    plugin_name: str
    #: The run it belongs to; may be a logdir root without event files (``"."``).
    run: str
    name: str
    #: What the bytes are, as ingest found them (e.g. ``"image/png"``).
    media_type: str
    #: Size in bytes (-1 when the asset cannot be read).
    size: int
    #: Why the asset cannot be read (e.g. its path leaves the logdir), or ``None``.
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FileHealth:
    """How reading one event file (or a file a plugin asset comes from) is going.

    A plugin asset that cannot be served (a path leaving the logdir, a missing
    file, a config that does not parse) appears here with ``error`` set and
    ``size = offset = 0``, ``path`` being the file that named it.
    """

    run: str
    path: str
    size: int
    #: Bytes consumed so far (records read or skipped); ``size - offset`` is the backlog.
    offset: int
    records: int
    corrupt_records: int
    #: The last problem met (a framing error, an I/O error), or ``None``.
    error: str | None = None


@dataclass(frozen=True, slots=True)
class IngestHealth:
    """The state of ingestion, for a health page and ``/api/v1/health``."""

    files: tuple[FileHealth, ...]
    #: Seconds since the last completed discovery pass, or ``None`` before the first.
    seconds_since_last_pass: float | None = None

    @property
    def corrupt_records(self) -> int:
        return sum(f.corrupt_records for f in self.files)

    @property
    def backlog_bytes(self) -> int:
        return sum(max(f.size - f.offset, 0) for f in self.files)
