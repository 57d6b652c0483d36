"""The read contract: how every reader of Heron's data (server, Python API, export) sees it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol, runtime_checkable

from heron.core.run_table import RunTable
from heron.core.values import (
    Asset,
    BlobSequencePoint,
    DataClass,
    IngestHealth,
    Run,
    RunSummary,
    ScalarPoints,
    Series,
    SeriesKey,
    TensorPoint,
)

__all__ = ["ReadProvider"]


@runtime_checkable
class ReadProvider(Protocol):
    """Read access to one experiment (a logdir, or a project in team mode).

    **Data model.** An experiment holds *runs*, named by their directory's
    path relative to the logdir (``"."`` for the logdir itself). A run holds
    *series*, one per tag, each with a plugin name, the plugin's metadata bytes
    and a *data class* taken from the first metadata seen for the tag in the run:

    * ``SCALAR``: (step, wall_time, value) points — read with ``read_scalars``;
    * ``TENSOR``: a small array per step — read with ``read_tensors``;
    * ``BLOB_SEQUENCE``: a sequence of blobs per step (images, audio, graphs) —
      read with ``read_blob_sequences``, then each blob with ``read_blob``.

    Some plugins (the projector) read files rather than events: those are
    *assets* of a (plugin, run), listed with ``list_assets`` and read with
    ``read_asset``. Their run may be the logdir itself (``"."``) even when it
    holds no event file, so asset runs need not appear in ``list_runs``.

    **Every point is kept.** Nothing is sampled away at ingest. When a training
    job restarts and writes a step again, a point at step ``s`` hides every
    point of its series written *earlier* with step ``>= s`` (TensorBoard's
    Rust loader rule): a job that crashed at step 600 and resumed from step 400
    shows steps 0–399 of the first attempt and 400+ of the second. Hidden
    points are still stored; ``include_hidden=True`` returns them too.

    **Ordering.** Runs and series are returned sorted by name (runs) and by
    (run, tag) (series). Points are sorted by step; visible points of a series
    have strictly increasing steps.

    **Downsampling.** ``max_points=None`` returns every point. Otherwise:

    * scalars: at most ``max_points`` points, all of them real points of the
      series (never interpolated). The step range is cut into buckets and each
      bucket contributes its minimum and maximum value points, so spikes stay
      visible at any zoom; the first and the **last** point are always present.
    * tensors and blob sequences: at most ``max_points`` steps, spread evenly
      over the series, always including the latest step.

    **Snapshots.** Each call sees a consistent state of the index; data
    ingested meanwhile shows up in later calls. Returned values are frozen.

    **Errors.** A run, series or blob key that does not exist raises
    ``heron.errors.NotFoundError``; a malformed argument (e.g. ``max_points <
    2``) raises ``heron.errors.InvalidArgumentError``. Series filters that match
    nothing are not errors: they give empty results. Damaged event files never
    surface as errors here; they appear in ``health()``.
    """

    def list_runs(self) -> Sequence[Run]:
        """Every run that has at least one event file, sorted by name."""
        ...

    def list_series(
        self,
        *,
        runs: Collection[str] | None = None,
        plugin_name: str | None = None,
        data_class: DataClass | None = None,
    ) -> Sequence[Series]:
        """Series matching every given filter (``None`` = no filter), sorted by (run, tag)."""
        ...

    def has_series(
        self, *, plugin_name: str | None = None, data_class: DataClass | None = None
    ) -> bool:
        """Whether ``list_series`` with these filters would be non-empty, without listing.

        What a dashboard asks to decide whether its tab is shown: on an
        experiment of 100,000 series it must not build them all.
        """
        ...

    def read_scalars(
        self,
        keys: Sequence[SeriesKey],
        *,
        max_points: int | None = None,
        step_range: tuple[int, int] | None = None,
        include_hidden: bool = False,
    ) -> dict[SeriesKey, ScalarPoints]:
        """Points of each scalar series asked for, downsampled per series.

        ``step_range`` (inclusive) restricts the points before downsampling,
        for zooming. With ``include_hidden=True`` a step may appear more than
        once: points of equal step come in the order they were written (so the
        visible one is last). A key that names no scalar series raises
        ``NotFoundError``.
        """
        ...

    def read_tensors(
        self, keys: Sequence[SeriesKey], *, max_points: int | None = None
    ) -> dict[SeriesKey, list[TensorPoint]]:
        """Visible steps of each tensor series asked for, sorted by step."""
        ...

    def read_blob_sequences(
        self, keys: Sequence[SeriesKey], *, max_points: int | None = None
    ) -> dict[SeriesKey, list[BlobSequencePoint]]:
        """Visible steps of each blob-sequence series asked for, with blob handles."""
        ...

    def read_blob(self, key: str) -> bytes:
        """The bytes of one blob; verified against its record's checksum when read from a file."""
        ...

    def list_assets(
        self, plugin_name: str, *, runs: Collection[str] | None = None
    ) -> Sequence[Asset]:
        """Files ``plugin_name`` reads beside the event files, sorted by (run, name).

        Assets are not series: the projector's config, tensors, metadata, sprites
        and bookmarks are files named by a config file, not events. Ingest checks
        each one (it must resolve, symlinks included, inside the logdir) and
        keeps assets it refused, with ``error`` set, so that a reader can say why
        something is missing. Cheap: lists the index, never opens a file.
        """
        ...

    def read_asset(self, plugin_name: str, run: str, name: str) -> bytes:
        """The bytes of one asset, exactly as ingest indexed them.

        Large assets are kept by reference to their file: the file is read now
        and must be the very file indexed (same identity, size and mtime);
        otherwise ``NotFoundError`` says it changed (the next ingest pass picks
        up the new version) rather than serving other bytes. An unknown asset,
        or one listed with an ``error``, also raises ``NotFoundError``.
        """
        ...

    def run_summaries(self, runs: Collection[str] | None = None) -> Sequence[RunSummary]:
        """Per-run aggregates (hparams, last step, per-scalar first/last/min/max), sorted by run."""
        ...

    def run_table(self) -> RunTable:
        """Every run summary as columns, rows sorted by name: ``run_summaries()`` at scale.

        The same facts as ``run_summaries()`` in the same snapshot, shaped for
        filtering and sorting 100,000 runs with numpy (``heron.core.run_query``'s
        ``RunFilter.mask`` and ``sort_table``); ``RunTable.summaries(rows)``
        gives the ``RunSummary`` values of the rows a page shows. Providers
        keep it until their data changes: it is never older than the call.
        """
        ...

    def health(self) -> IngestHealth:
        """Per-file ingest progress and problems (corrupt records, unreadable files)."""
        ...
