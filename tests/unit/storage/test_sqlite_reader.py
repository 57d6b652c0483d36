"""The SQLite index as a ReadProvider: the contract's filters, ordering and concurrency."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey
from heron.storage import CommitBatch, RunInfo, Store, TensorRow


def test_the_store_and_its_reader_implement_their_protocols(store):
    assert isinstance(store, Store)
    assert isinstance(store.reader(), ReadProvider)


def test_runs_and_series_are_sorted_and_filtered(store, filler):
    for run in ["b", "a", "c"]:
        filler.scalars(run, "z", [1])
        filler.scalars(run, "y", [1, 2])
    notes = filler.declare("a", "notes", DataClass.TENSOR, "text")
    store.commit(CommitBatch(tensors=(TensorRow(notes, 0, 1.0, np.array(b"x", dtype=object)),)))
    reader = store.reader()
    assert [r.name for r in reader.list_runs()] == ["a", "b", "c"]
    assert [(s.run, s.tag) for s in reader.list_series()] == [
        ("a", "notes"),
        ("a", "y"),
        ("a", "z"),
        ("b", "y"),
        ("b", "z"),
        ("c", "y"),
        ("c", "z"),
    ]
    assert [s.tag for s in reader.list_series(runs=["a"], data_class=DataClass.TENSOR)] == ["notes"]
    assert [s.run for s in reader.list_series(runs={"b", "nope"}, plugin_name="scalars")] == [
        "b",
        "b",
    ]
    assert reader.list_series(runs=[]) == []
    (y,) = reader.list_series(runs=["c"], plugin_name="scalars")[:1]
    assert (y.count, y.max_step, y.max_wall_time) == (2, 2, 1002.0)


def test_has_series_answers_what_list_series_would_without_listing(store, filler):
    reader = store.reader()
    assert not reader.has_series()
    filler.scalars("a", "loss", [1])
    assert reader.has_series()
    assert reader.has_series(plugin_name="scalars", data_class=DataClass.SCALAR)
    assert not reader.has_series(plugin_name="scalars", data_class=DataClass.TENSOR)
    assert not reader.has_series(plugin_name="images")


def test_run_summaries_merge_what_each_batch_learned(store, filler):
    filler.scalars("a", "loss", [1, 2, 3], values=[3.0, 1.0, 2.0])
    run_id = filler.runs["a"]
    store.commit(CommitBatch(run_info=(RunInfo(run_id, 50.0, 60.0, {"lr": 0.1}, None),)))
    store.commit(CommitBatch(run_info=(RunInfo(run_id, 40.0, 55.0, None, "running"),)))
    store.commit(CommitBatch(run_info=(RunInfo(run_id, None, None, None, "success"),)))
    (summary,) = store.reader().run_summaries(["a"])
    assert (summary.start_time, summary.last_wall_time) == (40.0, 60.0)
    assert summary.hparams == {"lr": 0.1}
    assert summary.session_status == "success"
    assert summary.last_step == 3
    loss = summary.scalars["loss"]
    assert (loss.first_value, loss.last_value, loss.min_value, loss.max_value) == (
        3.0,
        2.0,
        1.0,
        3.0,
    )
    assert store.reader().run_summaries(["nope"]) == []


def test_reads_never_wait_for_a_commit_in_progress(store, filler):
    filler.scalars("a", "loss", range(10))
    writer = store._writer  # the ingester's connection, mid-transaction
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM scalar_chunks")
    result = {}

    def read():
        key = SeriesKey("a", "loss")
        result["steps"] = store.reader().read_scalars([key])[key].steps.tolist()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=5)
    writer.execute("ROLLBACK")
    assert not thread.is_alive()
    assert result["steps"] == list(range(10))  # the last committed state


def test_reading_after_close_is_an_error(tmp_path):
    from heron.storage import open_store

    store = open_store(f"sqlite:{tmp_path / 'i.sqlite'}", experiment="x")
    reader = store.reader()
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        reader.list_runs()
