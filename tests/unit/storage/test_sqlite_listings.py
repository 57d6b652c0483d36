"""Run and series listings are cached per index generation, and never outlive it."""

from __future__ import annotations

import sqlite3
import threading

from heron.core.values import DataClass
from heron.storage import CommitBatch, RunInfo
from heron.storage.sqlite.listings import GENERATION_KEY


def _generation(store) -> str | None:
    with sqlite3.connect(store.path) as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
    return None if row is None else row[0]


def test_a_commit_of_new_points_shows_in_the_next_listing(store, filler):
    reader = store.reader()
    filler.scalars("a", "loss", [1, 2])
    assert [(s.tag, s.count, s.max_step) for s in reader.list_series()] == [("loss", 2, 2)]
    filler.scalars("a", "loss", [3])
    assert [(s.tag, s.count, s.max_step) for s in reader.list_series()] == [("loss", 3, 3)]
    filler.scalars("b", "acc", [5])
    assert [r.name for r in reader.list_runs()] == ["a", "b"]
    scalars = reader.list_series(plugin_name="scalars", data_class=DataClass.SCALAR)
    assert [(s.run, s.tag) for s in scalars] == [("a", "loss"), ("b", "acc")]


def test_run_info_and_removals_change_the_generation(store, filler):
    reader = store.reader()
    filler.scalars("a", "loss", [1])
    filler.scalars("b", "loss", [1])
    assert [r.start_time for r in reader.list_runs()] == [None, None]
    store.commit(CommitBatch(run_info=(RunInfo(filler.runs["a"], 5.0, 6.0),)))
    assert [r.start_time for r in reader.list_runs()] == [5.0, None]
    store.commit(CommitBatch(removed_runs=(filler.runs["b"],)))
    assert [r.name for r in reader.list_runs()] == ["a"]
    assert [s.run for s in reader.list_series()] == ["a"]


def test_a_pass_that_finds_nothing_new_keeps_the_cached_listings(store, filler):
    filler.scalars("a", "loss", [1, 2])
    before = _generation(store)
    assert before is not None
    reader = store.reader()
    first = reader.list_series()
    store.commit(CommitBatch(pass_completed_at=123.0))
    assert _generation(store) == before
    again = reader.list_series()
    assert again == first
    assert again[0] is first[0]  # served from the cache, not rebuilt
    again.clear()  # callers get their own list
    assert reader.list_series() == first


def test_filtered_listings_agree_with_the_unfiltered_one(store, filler):
    filler.scalars("a", "loss", [1])
    filler.declare("a", "notes", DataClass.TENSOR, "text")
    filler.declare("b", "image", DataClass.BLOB_SEQUENCE, "images")
    reader = store.reader()
    cold = {
        key: reader.list_series(plugin_name=key[0], data_class=key[1])
        for key in [("text", None), (None, DataClass.SCALAR), ("images", DataClass.BLOB_SEQUENCE)]
    }
    everything = reader.list_series()
    for (plugin, data_class), listed in cold.items():
        derived = reader.list_series(plugin_name=plugin, data_class=data_class)
        assert (
            derived
            == listed
            == [
                s
                for s in everything
                if plugin in (None, s.plugin_name) and data_class in (None, s.data_class)
            ]
        )


def test_listings_never_go_back_in_time_while_commits_land(store, filler):
    filler.scalars("a", "loss", [1])
    reader = store.reader()
    seen: dict[int, list[int]] = {}

    def list_counts(index: int) -> None:
        counts = seen[index] = []
        for _ in range(50):
            counts.append(sum(s.count for s in reader.list_series()))

    threads = [threading.Thread(target=list_counts, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for step in range(2, 30):
        filler.scalars("a", "loss", [step])
    for thread in threads:
        thread.join()
    for counts in seen.values():
        assert counts == sorted(counts)  # a cached listing never outlives its generation
    assert sum(s.count for s in reader.list_series()) == 29


def test_a_listing_too_long_to_keep_is_built_per_call(store, filler, monkeypatch):
    from heron.storage.sqlite import listings

    monkeypatch.setattr(listings, "MAX_CACHED", 1)
    filler.scalars("a", "loss", [1])
    filler.scalars("a", "acc", [1])
    reader = store.reader()
    first = reader.list_series()
    again = reader.list_series()
    assert again == first
    assert again[0] is not first[0]


def test_a_listing_shares_one_object_per_distinct_run_name_and_tag(store, filler):
    # What keeps a cached listing of 600,000 series near 100 MB: rows bring their own copies.
    for run in ("a", "b"):
        filler.scalars(run, "loss", [1])
        filler.scalars(run, "acc", [1])
    listed = store.reader().list_series()
    assert [(s.run, s.tag) for s in listed] == [
        ("a", "acc"),
        ("a", "loss"),
        ("b", "acc"),
        ("b", "loss"),
    ]
    assert listed[0].run is listed[1].run
    assert listed[0].tag is listed[2].tag
    assert listed[0].plugin_name is listed[3].plugin_name


def test_listings_of_more_than_200_000_series_are_still_kept():
    from heron.storage.sqlite import listings

    assert listings.MAX_CACHED >= 600_000
