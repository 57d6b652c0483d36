"""Plugin assets in the SQLite index: schema 1 → 2 migration, replacement per (plugin, run)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from heron.errors import NotFoundError
from heron.storage import AssetRow, AssetSet, CommitBatch, NewRun, open_store
from heron.storage.sqlite.schema import (
    _ASSETS_V2,
    _RUN_CHANGES_V3,
    SCHEMA,
    SCHEMA_VERSION,
    open_index,
)


def _referenced(path, name="t"):
    status = os.stat(path)
    return AssetRow(
        name=name,
        media_type="text/plain",
        path=str(path),
        size=status.st_size,
        mtime_ns=status.st_mtime_ns,
        device=status.st_dev,
        inode=status.st_ino,
    )


def test_a_schema_1_index_is_migrated_and_keeps_its_runs(tmp_path):
    path = tmp_path / "index.sqlite"
    schema_1 = SCHEMA.removesuffix(_RUN_CHANGES_V3).removesuffix(_ASSETS_V2)
    assert "assets" not in schema_1
    connection = open_index(path, experiment="exp", version=1, schema=schema_1)
    connection.execute("INSERT INTO runs (id, name) VALUES (1, 'kept')")
    connection.commit()
    connection.close()

    store = open_store(f"sqlite:{path}", experiment="exp")
    try:
        assert [run.name for run in store.reader().list_runs()] == ["kept"]
        store.commit(
            CommitBatch(asset_sets=(AssetSet("p", "kept", (AssetRow("a", "x", "/c", data=b"1"),)),))
        )
        assert store.reader().read_asset("p", "kept", "a") == b"1"
    finally:
        store.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    check.close()


def test_an_asset_set_replaces_the_runs_assets_and_state_returns_them(tmp_path):
    data = tmp_path / "t.tsv"
    data.write_bytes(b"1\t2\n")
    store = open_store(f"sqlite:{tmp_path / 'index.sqlite'}", experiment="exp")
    try:
        store.commit(CommitBatch(runs=(NewRun(1, "r"),)))
        first = (_referenced(data), AssetRow("z", "x", "/cfg", data=b"{}"))
        store.commit(CommitBatch(asset_sets=(AssetSet("p", "r", first),)))
        assert store.load_state().assets == {("p", "r"): first}
        reader = store.reader()
        assert [(a.name, a.size) for a in reader.list_assets("p")] == [("t", 4), ("z", 2)]
        assert reader.read_asset("p", "r", "t") == b"1\t2\n"
        refused = (AssetRow("t", "x", "/cfg", error="outside"),)
        store.commit(CommitBatch(asset_sets=(AssetSet("p", "r", refused),)))
        assert [(a.name, a.size, a.error) for a in reader.list_assets("p")] == [
            ("t", -1, "outside")
        ]
        (problem,) = [f for f in reader.health().files if f.error]
        assert (problem.run, problem.path, problem.error) == ("r", "/cfg", "p asset 't': outside")
        with pytest.raises(NotFoundError, match="not served: outside"):
            reader.read_asset("p", "r", "t")
        store.commit(CommitBatch(asset_sets=(AssetSet("p", "r"),)))
        assert reader.list_assets("p") == []
        assert store.load_state().assets == {}
        with pytest.raises(NotFoundError):
            reader.read_asset("p", "r", "t")
    finally:
        store.close()


def test_a_referenced_file_must_still_be_the_one_indexed(tmp_path):
    data = tmp_path / "t.tsv"
    data.write_bytes(b"abcd")
    store = open_store(f"sqlite:{tmp_path / 'index.sqlite'}", experiment="exp")
    try:
        store.commit(CommitBatch(asset_sets=(AssetSet("p", ".", (_referenced(data),)),)))
        assert store.reader().read_asset("p", ".", "t") == b"abcd"
        data.write_bytes(b"abcde")
        with pytest.raises(NotFoundError, match="changed on disk"):
            store.reader().read_asset("p", ".", "t")
        replacement = tmp_path / "new.tsv"
        replacement.write_bytes(b"abcd")
        os.replace(replacement, data)  # same size, another inode
        with pytest.raises(NotFoundError, match="changed on disk"):
            store.reader().read_asset("p", ".", "t")
    finally:
        store.close()
