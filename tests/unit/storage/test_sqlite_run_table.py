"""The reader's run table: the same facts as run_summaries(), kept per generation, never stale."""

from __future__ import annotations

import json
import math
import sqlite3

import numpy as np

from heron.core.run_query import compile_filter
from heron.core.run_table import build_run_table
from heron.core.values import DataClass
from heron.storage import CommitBatch, RunInfo
from heron.storage.sqlite.listings import GENERATION_KEY


def _same(a, b) -> bool:
    """Summaries equal, NaN equal to NaN (repr spells NaN alike)."""
    return repr(a) == repr(b)


def _everything(reader):
    table = reader.run_table()
    return table, table.summaries(range(len(table)))


def _fill(store, filler):
    filler.scalars("b", "loss", [1, 2, 3], values=[3.0, math.nan, 2.0])
    filler.scalars("b", "acc", [1], values=[0.5])
    filler.scalars("a", "loss", [5, 6])
    filler.scalars("c/d", "acc", [1, 2], values=[math.nan, math.nan])
    filler.declare("c/d", "empty", DataClass.SCALAR, "scalars")  # no points: not a metric
    infos = [
        RunInfo(filler.runs["a"], 5.0, 9.0, {"lr": 0.1, "opt": "adam", "deep": True, "n": 3}),
        RunInfo(filler.runs["b"], None, 7.0, {"lr": "auto", "opt": "sgd", "odd": math.nan}),
        RunInfo(filler.runs["c/d"], 2.0, None, {"lr": math.inf, "deep": False}, "failure"),
    ]
    store.commit(CommitBatch(run_info=tuple(infos)))


def test_the_table_holds_exactly_what_run_summaries_returns(store, filler):
    _fill(store, filler)
    reader = store.reader()
    table, summaries = _everything(reader)
    assert table.names == ("a", "b", "c/d")
    assert _same(summaries, list(reader.run_summaries()))
    # Hparams SQLite's JSON cannot parse (NaN, Infinity) are read too, with the right kinds.
    assert {name: (c.type, c.runs) for name, c in table.hparams.items()} == {
        "deep": ("boolean", 2),
        "lr": ("mixed", 3),
        "n": ("number", 1),
        "odd": ("number", 1),
        "opt": ("string", 2),
    }
    # ... and the SQL-built table filters as one built row by row from the same summaries.
    rows = [
        (s.run, s.start_time, s.last_wall_time, s.last_step, _json(s.hparams), s.session_status)
        for s in summaries
    ]
    series = [
        (row, tag, m.count, m.first_step, m.last_step, *_floats(m))
        for row, s in enumerate(summaries)
        for tag, m in sorted(s.scalars.items())
    ]
    plain = build_run_table(rows, series)
    for query in [
        "lr > 0",
        "lr == 'auto'",
        "deep == false",
        "max(acc) >= 0.5",
        "has(empty)",
        "odd == nan",
        "first(acc) < 1",
        "status == 'failed'",
        "opt ~ 'a'",
    ]:
        compiled = compile_filter(query, now=100.0)
        assert compiled.mask(table).tolist() == compiled.mask(plain).tolist(), query
        assert compiled.mask(table).tolist() == [compiled(s) for s in summaries], query


def _json(hparams):
    return json.dumps(hparams, sort_keys=True) if hparams else None


def _floats(m):
    values = (m.first_value, m.last_value, m.min_value, m.max_value, m.last_wall_time)
    return tuple(None if math.isnan(v) else v for v in values)


def test_the_table_is_kept_until_a_commit_changes_the_runs(store, filler):
    filler.scalars("a", "loss", [1, 2])
    reader = store.reader()
    first = reader.run_table()
    assert reader.run_table() is first  # cached for the generation
    store.commit(CommitBatch(pass_completed_at=123.0))  # a pass that found nothing new
    assert reader.run_table() is first
    filler.scalars("a", "loss", [3], values=[9.0])  # new points
    fresh = reader.run_table()
    assert fresh is not first
    assert fresh.metrics["loss"].max.tolist() == [9.0]
    assert fresh.metrics["loss"].count.tolist() == [3]
    filler.scalars("b", "acc", [1])  # a new run
    assert reader.run_table().names == ("a", "b")


def test_a_deleted_run_leaves_the_table(store, filler):
    filler.scalars("a", "loss", [1])
    filler.scalars("b", "loss", [1])
    reader = store.reader()
    assert reader.run_table().names == ("a", "b")
    store.commit(CommitBatch(removed_runs=(filler.runs["a"],)))
    table = reader.run_table()
    assert table.names == ("b",)
    assert table.metrics["loss"].rows.tolist() == [0]
    assert compile_filter("has(loss)").mask(table).tolist() == [True]


def test_an_older_index_without_a_generation_is_read_and_then_invalidated(store, filler):
    filler.scalars("a", "loss", [1])
    with sqlite3.connect(store.path) as db:  # as an index written before the counter existed
        db.execute("DELETE FROM meta WHERE key = ?", (GENERATION_KEY,))
    db.close()
    reader = store.reader()
    old = reader.run_table()
    assert old.names == ("a",)
    assert reader.run_table() is old
    filler.scalars("b", "loss", [1])  # the first commit that creates the counter
    assert reader.run_table().names == ("a", "b")


def test_a_reader_in_an_older_snapshot_never_caches_over_a_newer_table(store, filler):
    filler.scalars("a", "loss", [1])
    reader = store.reader()
    reader.run_table()
    filler.scalars("a", "loss", [2], values=[7.0])
    newer = reader.run_table()
    # The cached table follows the newest generation seen, and answers it.
    assert reader.run_table() is newer
    assert np.isclose(newer.metrics["loss"].last[0], 7.0)


def test_steps_beyond_float_precision_stay_exact(store, filler):
    big = 2**60 + 1
    filler.scalars("a", "loss", [big])
    (summary,) = _everything(store.reader())[1]
    assert summary.last_step == big
    assert summary.scalars["loss"].first_step == summary.scalars["loss"].last_step == big
    assert _same([summary], list(store.reader().run_summaries()))


def test_has_series_is_answered_per_generation_and_forgets_deleted_runs(store, filler):
    filler.declare("a", "image", DataClass.BLOB_SEQUENCE, "images")
    filler.scalars("b", "loss", [1])
    reader = store.reader()
    assert reader.has_series(plugin_name="images", data_class=DataClass.BLOB_SEQUENCE)
    assert not reader.has_series(plugin_name="images", data_class=DataClass.TENSOR)
    store.commit(CommitBatch(removed_runs=(filler.runs["a"],)))
    assert not reader.has_series(plugin_name="images")
    assert reader.has_series(plugin_name="scalars")
