"""``heron.open(logdir)``: the Python read API — runs, tags and DataFrames, without the wait.

The first ``open`` of a logdir indexes it (with a progress bar on a
terminal); later opens read only bytes written since. Everything is read
through the ``ReadProvider`` contract, so a DataFrame holds exactly what the
dashboard shows: every point (no sampling), restarts resolved. pandas is
optional: only the DataFrame methods need it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, RunSummary, ScalarPoints, Series, SeriesKey
from heron.errors import InvalidArgumentError
from heron.ingest import Ingester, IngestOptions, PassStats, parse_logdir_spec
from heron.ingest.records import EventFileRecords
from heron.ingest.roots import logdir_root
from heron.storage import Store, open_store, store_uri

#: ``pandas.DataFrame`` (pandas is optional, and typed as ``Any`` so that
#: type-checking Heron needs neither pandas nor its stubs).
DataFrame = Any

__all__ = ["Experiment", "open_experiment"]

_PANDAS_HINT = (
    "this method returns a pandas DataFrame, and pandas is not installed: "
    "pip install 'heron[pandas]'"
)
#: Seconds between background passes for ``reload=True``.
DEFAULT_RELOAD_INTERVAL = 5.0
Names = str | Iterable[str] | None


def open_experiment(
    logdir: str | os.PathLike[str] | None = None,
    *,
    logdir_spec: str | None = None,
    db: str | os.PathLike[str] | None = None,
    reload: bool | float = False,
    progress: bool | None = None,
) -> Experiment:
    """Index ``logdir`` (or ``logdir_spec``, TensorBoard's ``name:path,...``) and open it.

    ``db`` is where the index lives (a path or a store URI; default: the user
    cache directory, one index per logdir). ``reload=True`` keeps indexing new
    data in a background thread every 5 s (a number: every that many seconds);
    ``False`` reads once, and ``Experiment.refresh()`` reads again on demand.
    ``progress``: draw a progress bar on stderr (default: when it is a terminal).
    """
    if (logdir is None) == (logdir_spec is None):
        raise InvalidArgumentError("give exactly one of logdir and logdir_spec")
    if logdir is not None:
        root = logdir_root(logdir)
        roots, experiment = [root], root.path
    else:
        assert logdir_spec is not None
        roots = parse_logdir_spec(logdir_spec)
        experiment = "spec:" + ",".join(f"{r.name or ''}:{r.path}" for r in roots)
    interval = 0.0 if reload is False else DEFAULT_RELOAD_INTERVAL if reload is True else reload
    store = open_store(store_uri(db, experiment), experiment=experiment, records=EventFileRecords())
    try:
        ingester = Ingester(
            store,
            roots,
            options=IngestOptions(reload_interval=float(interval), progress=progress),
        )
        ingester.run_once()
    except BaseException:
        store.close()
        raise
    opened = Experiment(store, ingester)
    if interval > 0:
        ingester.start()
    return opened


class Experiment:
    """An indexed logdir. Use as a context manager, or call ``close()``."""

    def __init__(self, store: Store, ingester: Ingester) -> None:
        self._store = store
        self._ingester = ingester
        self.provider: ReadProvider = store.reader()

    # -- lifecycle -----------------------------------------------------------------

    def refresh(self) -> PassStats:
        """Index whatever was written since the last pass."""
        return self._ingester.run_once()

    def close(self) -> None:
        self._ingester.stop()
        self._store.close()

    def __enter__(self) -> Experiment:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- listing -------------------------------------------------------------------

    def runs(self) -> list[str]:
        """Run names, sorted."""
        return [run.name for run in self.provider.list_runs()]

    def tags(self, run: str | None = None) -> list[str]:
        """Tags of ``run`` (of every run if ``None``), sorted and without repeats."""
        return sorted({s.tag for s in self.provider.list_series(runs=_names(run))})

    def series(self, runs: Names = None, *, plugin: str | None = None) -> list[Series]:
        """Every series (run, tag, plugin, data class, point count...), sorted by (run, tag)."""
        return list(self.provider.list_series(runs=_names(runs), plugin_name=plugin))

    def run_summaries(self, runs: Names = None) -> list[RunSummary]:
        """Per run: start time, last step, hparams, and first/last/min/max of each scalar."""
        return list(self.provider.run_summaries(_names(runs)))

    # -- reading -------------------------------------------------------------------

    def iter_scalars(
        self,
        runs: Names = None,
        tags: Names = None,
        *,
        max_points: int | None = None,
        include_hidden: bool = False,
    ) -> Iterator[tuple[SeriesKey, ScalarPoints]]:
        """Scalar series one at a time (memory stays bounded by the largest series)."""
        for key in self._keys(DataClass.SCALAR, runs, tags):
            points = self.provider.read_scalars(
                [key], max_points=max_points, include_hidden=include_hidden
            )
            yield key, points[key]

    def scalars(
        self,
        runs: Names = None,
        tags: Names = None,
        *,
        max_points: int | None = None,
        include_hidden: bool = False,
    ) -> DataFrame:
        """A DataFrame with columns run, tag, step, wall_time, value (one row per point)."""
        pd = _pandas()
        import numpy as np

        frames = [
            pd.DataFrame(
                {
                    "run": np.full(len(points), key.run, dtype=object),
                    "tag": np.full(len(points), key.tag, dtype=object),
                    "step": points.steps,
                    "wall_time": points.wall_times,
                    "value": points.values,
                }
            )
            for key, points in self.iter_scalars(
                runs, tags, max_points=max_points, include_hidden=include_hidden
            )
        ]
        if not frames:
            return _empty(pd, {"step": "int64", "wall_time": "float64", "value": "float64"})
        return pd.concat(frames, ignore_index=True)

    def tensors(
        self, runs: Names = None, tags: Names = None, *, max_points: int | None = None
    ) -> DataFrame:
        """Columns run, tag, step, wall_time, value (a numpy array per row)."""
        pd = _pandas()
        keys = self._keys(DataClass.TENSOR, runs, tags)
        rows = [
            (key.run, key.tag, point.step, point.wall_time, point.value)
            for key, points in self.provider.read_tensors(keys, max_points=max_points).items()
            for point in points
        ]
        columns = ["run", "tag", "step", "wall_time", "value"]
        if not rows:
            return _empty(pd, {"step": "int64", "wall_time": "float64", "value": "object"})
        return pd.DataFrame(rows, columns=columns)

    def images(
        self, runs: Names = None, tags: Names = None, *, max_points: int | None = None
    ) -> DataFrame:
        """Columns run, tag, step, wall_time, index, width, height, image (encoded bytes)."""
        pd = _pandas()
        keys = self._keys(DataClass.BLOB_SEQUENCE, runs, tags, plugin="images")
        rows: list[tuple[Any, ...]] = []
        read = self.provider.read_blob
        for key, points in self.provider.read_blob_sequences(keys, max_points=max_points).items():
            for point in points:
                if len(point.blobs) < 2:
                    continue
                width, height = (int(read(ref.key)) for ref in point.blobs[:2])
                for index, ref in enumerate(point.blobs[2:]):
                    rows.append(
                        (
                            key.run,
                            key.tag,
                            point.step,
                            point.wall_time,
                            index,
                            width,
                            height,
                            read(ref.key),
                        )
                    )
        columns = ["run", "tag", "step", "wall_time", "index", "width", "height", "image"]
        if not rows:
            return _empty(
                pd,
                {
                    "step": "int64",
                    "wall_time": "float64",
                    "index": "int64",
                    "width": "int64",
                    "height": "int64",
                    "image": "object",
                },
            )
        return pd.DataFrame(rows, columns=columns)

    def _keys(
        self,
        data_class: DataClass,
        runs: Names,
        tags: Names,
        *,
        plugin: str | None = None,
    ) -> list[SeriesKey]:
        wanted = _names(tags)
        return [
            s.key
            for s in self.provider.list_series(
                runs=_names(runs), data_class=data_class, plugin_name=plugin
            )
            if wanted is None or s.tag in wanted
        ]


def _names(names: Names) -> Collection[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        return {names}
    return set(names)


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as error:
        raise ImportError(_PANDAS_HINT) from error


def _empty(pd: Any, dtypes: dict[str, str]) -> Any:
    columns = {"run": pd.Series([], dtype=object), "tag": pd.Series([], dtype=object)}
    columns.update({name: pd.Series([], dtype=dtype) for name, dtype in dtypes.items()})
    return pd.DataFrame(columns)
