"""A real SQLite store in a temporary directory, and a tiny writer to fill it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from heron.core.values import DataClass
from heron.storage import CommitBatch, NewRun, NewSeries, ScalarColumns, open_store


class Filler:
    """Commits runs, series and points with ids chosen the way the ingester chooses them."""

    def __init__(self, store):
        self.store = store
        self.runs: dict[str, int] = {}
        self.series: dict[tuple[str, str], int] = {}
        self._ids = itertools.count(1)

    def _ensure(self, run, tag, data_class, plugin):
        new_runs, new_series = [], []
        if run not in self.runs:
            self.runs[run] = next(self._ids)
            new_runs.append(NewRun(self.runs[run], run))
        if (run, tag) not in self.series:
            self.series[run, tag] = next(self._ids)
            new_series.append(
                NewSeries(self.series[run, tag], self.runs[run], tag, plugin, data_class)
            )
        return tuple(new_runs), tuple(new_series)

    def scalars(self, run, tag, steps, values=None, walls=None):
        steps = np.asarray(steps, dtype=np.int64)
        values = np.asarray(values if values is not None else steps * 0.5, dtype=np.float64)
        walls = np.asarray(walls if walls is not None else steps + 1000.0, dtype=np.float64)
        runs, series = self._ensure(run, tag, DataClass.SCALAR, "scalars")
        ids = np.full(len(steps), self.series[run, tag], dtype=np.int64)
        self.store.commit(
            CommitBatch(
                runs=runs, series=series, scalars=(ScalarColumns(ids, steps, walls, values),)
            )
        )

    def declare(self, run, tag, data_class, plugin):
        runs, series = self._ensure(run, tag, data_class, plugin)
        self.store.commit(CommitBatch(runs=runs, series=series))
        return self.series[run, tag]


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:{tmp_path / 'index.sqlite'}", experiment=str(tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def filler(store):
    return Filler(store)
