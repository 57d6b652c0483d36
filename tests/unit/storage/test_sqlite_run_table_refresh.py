"""After a commit, the reader's run table is the previous one with the changed runs replaced.

The refreshed table must equal, field by field, the table read from scratch in
the same snapshot, whatever the commits did: new runs and points, hparams of
every kind (NaN, infinity, null, mixed types), statuses, runs removed or reset,
tags and hparam values that disappear with the last run holding them.
"""

from __future__ import annotations

import math
import random
import sqlite3

import numpy as np
import pytest

from heron.core.run_table import RunTable
from heron.storage import CommitBatch, RunInfo
from heron.storage.sqlite import listings, run_snapshot
from heron.storage.sqlite.run_snapshot import query_run_table

_QUERY_SERIES = listings.query_series  # as read from scratch, whatever a test patches
_HPARAM_VALUES = [0.1, 1, 3, -2.5, math.nan, math.inf, "adam", "sgd", True, False, None]


def _arrays_equal(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    return a.shape == b.shape and bool(np.array_equal(a, b))


def assert_same_table(got: RunTable, want: RunTable) -> None:
    assert got.names == want.names
    for field in ("start_time", "last_wall_time", "last_step", "has_last_step"):
        assert _arrays_equal(getattr(got, field), getattr(want, field)), field
    for a, b in [(got.session_status, want.session_status)] + [
        (got.hparams[n].text, want.hparams[n].text) for n in want.hparams if n in got.hparams
    ]:
        assert (a.rows.tolist(), a.codes.tolist(), a.values) == (
            b.rows.tolist(),
            b.codes.tolist(),
            b.values,
        )
    assert sorted(got.hparams) == sorted(want.hparams)
    for name, column in want.hparams.items():
        mine = got.hparams[name]
        assert (mine.runs, mine.type) == (column.runs, column.type), name
        for pair in ("numbers", "flags"):
            for x, y in zip(getattr(mine, pair), getattr(column, pair), strict=True):
                assert _arrays_equal(x, y), (name, pair)
    assert sorted(got.metrics) == sorted(want.metrics)
    for tag, column in want.metrics.items():
        for field in column.__dataclass_fields__:
            assert _arrays_equal(getattr(got.metrics[tag], field), getattr(column, field)), tag
    assert repr(got.summaries(range(len(got)))) == repr(want.summaries(range(len(want))))
    # The row index is canonical (entries by row, then tag), so it matches exactly.
    mine, theirs = got._index, want._index
    assert mine.tag_names == theirs.tag_names == tuple(want.metrics)
    for field in ("starts", "tags", "at"):
        assert _arrays_equal(getattr(mine, field), getattr(theirs, field)), field


def _scratch(store) -> RunTable:
    with sqlite3.connect(f"file:{store.path}?mode=ro", uri=True) as db:
        return query_run_table(db)


def _random_commit(store, filler, rng: random.Random, step: list[int]) -> None:
    names = [f"run-{i:02d}" for i in range(12)] + ["a/b", "a/b/c"]
    action = rng.random()
    run = rng.choice(names)
    if action < 0.45 or run not in filler.runs:
        step[0] += 1
        value = rng.choice([rng.random(), math.nan, -1.0])
        filler.scalars(run, rng.choice(["loss", "acc", "rare/" + run]), [step[0]], values=[value])
    elif action < 0.8:
        hparams = {k: rng.choice(_HPARAM_VALUES) for k in rng.sample(["lr", "opt", "x", "y"], 2)}
        status = rng.choice([None, "success", "failure", "running"])
        first = rng.choice([None, 10.0 * step[0]])
        info = RunInfo(filler.runs[run], first, 10.0 * step[0] + 5, hparams, status)
        store.commit(CommitBatch(run_info=(info,)))
    elif action < 0.9:
        store.commit(CommitBatch(reset_runs=(filler.runs[run],)))
        filler.series = {key: i for key, i in filler.series.items() if key[0] != run}
    else:
        store.commit(CommitBatch(removed_runs=(filler.runs.pop(run),)))
        filler.series = {key: i for key, i in filler.series.items() if key[0] != run}


@pytest.mark.parametrize("seed", range(6))
def test_a_refreshed_table_equals_the_table_read_from_scratch(store, filler, seed, monkeypatch):
    calls = {"full": 0}
    full = run_snapshot.query_run_table

    def counted(db, run_ids=None):
        calls["full"] += run_ids is None
        return full(db, run_ids)

    monkeypatch.setattr(run_snapshot, "query_run_table", counted)
    rng = random.Random(seed)
    step = [0]
    for _ in range(14):  # some runs first, so that later commits touch few of many
        filler.scalars(f"run-{len(filler.runs):02d}", "loss", [0], values=[rng.random()])
    reader = store.reader()
    reader.run_table()
    assert calls["full"] == 1
    for _ in range(60):
        _random_commit(store, filler, rng, step)
        assert_same_table(reader.run_table(), _scratch(store))
    assert calls["full"] <= 3  # merged, not rebuilt (a removal of most runs may rebuild)


def test_a_commit_touching_one_run_of_many_reads_only_that_run(store, filler, monkeypatch):
    for index in range(200):
        filler.scalars(f"run-{index:03d}", "loss", [0])
    reader = store.reader()
    before = reader.run_table()
    read: list[object] = []
    original = run_snapshot.query_run_table
    monkeypatch.setattr(
        run_snapshot,
        "query_run_table",
        lambda db, run_ids=None: read.append(run_ids) or original(db, run_ids),
    )
    filler.scalars("run-007", "loss", [1], values=[42.0])
    after = reader.run_table()
    assert read == [[filler.runs["run-007"]]]
    assert after is not before
    assert after.metrics["loss"].max.tolist()[7] == 42.0
    assert_same_table(after, _scratch(store))


def test_the_change_log_names_removed_runs_and_stamps_the_generation(store, filler):
    filler.scalars("a", "loss", [0])
    filler.scalars("b", "loss", [0])
    store.commit(CommitBatch(removed_runs=(filler.runs["a"],)))
    with sqlite3.connect(store.path) as db:
        generation = int(
            db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
        )
        logged = db.execute("SELECT name, generation FROM run_changes ORDER BY name").fetchall()
    assert logged == [("a", generation), ("b", generation - 1)]


def test_a_schema_2_index_is_migrated_and_its_runs_refresh_from_then_on(tmp_path):
    from heron.storage import NewRun, open_store
    from heron.storage.sqlite.schema import _RUN_CHANGES_V3, SCHEMA, SCHEMA_VERSION, open_index

    path = tmp_path / "index.sqlite"
    schema_2 = SCHEMA.removesuffix(_RUN_CHANGES_V3)
    assert "run_changes" not in schema_2
    connection = open_index(path, experiment="exp", version=2, schema=schema_2)
    connection.execute("INSERT INTO runs (id, name, last_step) VALUES (1, 'kept', 4)")
    connection.execute("INSERT INTO meta (key, value) VALUES ('generation', '7')")
    connection.commit()
    connection.close()

    store = open_store(f"sqlite:{path}", experiment="exp")
    try:
        reader = store.reader()
        assert reader.run_table().names == ("kept",)
        store.commit(CommitBatch(runs=(NewRun(2, "new"),)))
        store.commit(CommitBatch(run_info=(RunInfo(1, 1.0, 2.0, {"lr": 0.5}),)))
        table = reader.run_table()
        assert table.names == ("kept", "new")
        assert table.hparams["lr"].numbers[1].tolist() == [0.5]
        assert_same_table(table, _scratch(store))
    finally:
        store.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert check.execute("SELECT name, generation FROM run_changes ORDER BY name").fetchall() == [
        ("kept", 9),
        ("new", 8),
    ]
    check.close()


def _listed(store, **filters):
    from heron.storage.sqlite.listings import _series_where

    key = (filters.get("plugin_name"), filters.get("data_class"))
    with sqlite3.connect(f"file:{store.path}?mode=ro", uri=True) as db:
        return _QUERY_SERIES(db, *_series_where(key))


@pytest.mark.parametrize("seed", range(3))
def test_series_listings_after_commits_equal_listings_read_from_scratch(
    store, filler, seed, monkeypatch
):
    from heron.core.values import DataClass

    queried: list[int] = []
    original = listings.query_series
    monkeypatch.setattr(
        listings,
        "query_series",
        lambda db, where, params: queried.append(len(where)) or original(db, where, params),
    )
    rng = random.Random(seed)
    step = [0]
    for index in range(14):
        filler.scalars(f"run-{index:02d}", "loss", [0])
    filler.declare("run-03", "picture", DataClass.BLOB_SEQUENCE, "images")
    reader = store.reader()
    for _ in range(40):
        _random_commit(store, filler, rng, step)
        assert reader.list_series() == _listed(store)
        scalars = reader.list_series(plugin_name="scalars", data_class=DataClass.SCALAR)
        assert scalars == _listed(store, plugin_name="scalars", data_class=DataClass.SCALAR)
    # After the first listing, each is the previous one with the changed runs read again.
    assert all(conditions > 0 for conditions in queried[2:]), queried
