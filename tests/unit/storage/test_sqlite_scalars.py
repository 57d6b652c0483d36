"""Scalars in the SQLite index: full fidelity, the restart rule, summaries kept right."""

from __future__ import annotations

import itertools
import math
import sqlite3

import numpy as np
import pytest

from heron.core.values import DataClass, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError
from heron.storage import CommitBatch, ScalarColumns
from heron.storage.scalar_chunks import CHUNK_POINTS

KEY = SeriesKey("train", "loss")


def _read(store, **options):
    return store.reader().read_scalars([KEY], **options)[KEY]


def test_every_point_is_kept_across_many_commits_and_chunks(store, filler):
    total = CHUNK_POINTS * 3 + 17
    for start in range(0, total, 700):
        steps = np.arange(start, min(start + 700, total))
        filler.scalars("train", "loss", steps)
    points = _read(store)
    assert points.steps.tolist() == list(range(total))
    assert points.values.tolist() == [s * 0.5 for s in range(total)]
    assert points.wall_times.tolist() == [s + 1000.0 for s in range(total)]


def test_a_restart_in_a_later_commit_hides_the_overwritten_tail(store, filler):
    filler.scalars("train", "loss", np.arange(0, 601), values=np.zeros(601))
    filler.scalars("train", "loss", np.arange(400, 801), values=np.ones(401))
    points = _read(store)
    assert points.steps.tolist() == list(range(801))
    assert points.values.tolist() == [0.0] * 400 + [1.0] * 401
    everything = _read(store, include_hidden=True)
    assert len(everything) == 601 + 401
    # Equal steps: the hidden (earlier written) point comes first.
    at_450 = np.flatnonzero(everything.steps == 450)
    assert everything.values[at_450].tolist() == [0.0, 1.0]


def test_a_restart_within_one_commit_hides_the_same_points(store, filler):
    steps = np.concatenate([np.arange(0, 601), np.arange(400, 801)])
    values = np.concatenate([np.zeros(601), np.ones(401)])
    filler.scalars("train", "loss", steps, values=values)
    points = _read(store)
    assert points.steps.tolist() == list(range(801))
    assert points.values.tolist() == [0.0] * 400 + [1.0] * 401
    assert len(_read(store, include_hidden=True)) == 1002


def test_a_step_written_twice_keeps_the_latest_value(store, filler):
    filler.scalars("train", "loss", [0, 1, 2, 2, 2], values=[0.0, 1.0, 2.0, 3.0, 4.0])
    assert _read(store).values.tolist() == [0.0, 1.0, 4.0]
    assert _read(store, include_hidden=True).values.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_summary_is_recomputed_when_a_restart_hides_the_extremes(store, filler):
    filler.scalars("train", "loss", np.arange(0, 3000), values=np.arange(0, 3000) * 1.0)
    summary = store.reader().run_summaries()[0].scalars["loss"]
    assert (summary.count, summary.max_value, summary.last_step) == (3000, 2999.0, 2999)
    filler.scalars("train", "loss", [100, 101], values=[-5.0, 7.0], walls=[5.0, 6.0])
    summary = store.reader().run_summaries()[0].scalars["loss"]
    assert summary.count == 102
    assert summary.min_value == -5.0
    assert summary.max_value == 99.0
    assert (summary.first_step, summary.last_step) == (0, 101)
    assert (summary.first_value, summary.last_value, summary.last_wall_time) == (0.0, 7.0, 6.0)
    assert store.reader().run_summaries()[0].last_step == 101


def test_nan_and_infinities_round_trip_and_summaries_ignore_nan(store, filler):
    values = [np.nan, 1.0, np.inf, -np.inf, np.nan]
    filler.scalars("train", "loss", range(5), values=values)
    got = _read(store).values
    assert np.isnan(got[0])
    assert np.isnan(got[4])
    assert got[1:4].tolist() == [1.0, np.inf, -np.inf]
    summary = store.reader().run_summaries()[0].scalars["loss"]
    assert (summary.min_value, summary.max_value) == (-np.inf, np.inf)
    assert math.isnan(summary.first_value)
    assert math.isnan(summary.last_value)


def test_an_all_nan_series_has_nan_extremes(store, filler):
    filler.scalars("train", "loss", range(3), values=[np.nan] * 3)
    summary = store.reader().run_summaries()[0].scalars["loss"]
    assert math.isnan(summary.min_value)
    assert math.isnan(summary.max_value)


def test_downsampled_read_keeps_spikes_and_the_last_point(store, filler):
    values = np.zeros(20_000)
    values[12_345] = 99.0
    filler.scalars("train", "loss", np.arange(20_000), values=values)
    points = _read(store, max_points=100)
    assert len(points) <= 100
    assert 12_345 in points.steps.tolist()
    assert points.steps[-1] == 19_999


def test_step_range_restricts_before_downsampling(store, filler):
    filler.scalars("train", "loss", np.arange(10_000))
    points = _read(store, step_range=(2500, 2600))
    assert points.steps.tolist() == list(range(2500, 2601))
    assert _read(store, step_range=(20_000, 30_000)).steps.tolist() == []


def test_returned_arrays_are_read_only(store, filler):
    filler.scalars("train", "loss", np.arange(10))
    points = _read(store)
    with pytest.raises(ValueError, match="read-only"):
        points.values[0] = 1.0


def test_unknown_series_and_bad_arguments_are_errors(store, filler):
    filler.scalars("train", "loss", [1])
    with pytest.raises(NotFoundError, match="nope"):
        store.reader().read_scalars([SeriesKey("train", "nope")])
    with pytest.raises(InvalidArgumentError):
        store.reader().read_scalars([KEY], max_points=1)
    with pytest.raises(InvalidArgumentError):
        store.reader().read_scalars([KEY], step_range=(5, 1))


def test_one_batch_appending_to_many_series_cuts_each_into_its_own_chunks(store, filler):
    sizes = {"a": 3, "b": CHUNK_POINTS, "c": CHUNK_POINTS + 1, "d": 2 * CHUNK_POINTS + 7}
    for tag in sizes:
        filler.declare("run", tag, DataClass.SCALAR, "scalars")
    for round_ in range(3):  # new series, then partial tails, then tails of other sizes
        columns = []
        for tag, size in sizes.items():
            steps = np.arange(round_ * 1000, round_ * 1000 + size + round_, dtype=np.int64)
            ids = np.full(len(steps), filler.series["run", tag], dtype=np.int64)
            columns.append(ScalarColumns(ids, steps, steps + 0.5, steps * 2.0))
        store.commit(CommitBatch(scalars=tuple(columns)))
    keys = [SeriesKey("run", tag) for tag in sizes]
    read = store.reader().read_scalars(keys)
    with sqlite3.connect(store.path) as db:
        for tag, size in sizes.items():
            expected = np.concatenate([np.arange(r * 1000, r * 1000 + size + r) for r in range(3)])
            points = read[SeriesKey("run", tag)]
            assert points.steps.tolist() == expected.tolist()
            assert points.values.tolist() == (expected * 2.0).tolist()
            chunks = db.execute(
                "SELECT count, first_step, last_step FROM scalar_chunks WHERE series_id = ? "
                "ORDER BY first_step",
                (filler.series["run", tag],),
            ).fetchall()
            assert sum(c[0] for c in chunks) == len(expected)
            assert all(0 < c[0] <= CHUNK_POINTS for c in chunks)
            assert all(a[2] < b[1] for a, b in itertools.pairwise(chunks))
    summaries = {s.tag: s for s in store.reader().list_series()}
    assert {tag: summaries[tag].count for tag in sizes} == {
        tag: 3 * size + 3 for tag, size in sizes.items()
    }
