"""An index of another schema version is migrated or rebuilt, never misread."""

from __future__ import annotations

import sqlite3

import pytest

from heron.errors import InvalidArgumentError
from heron.storage import CommitBatch, NewRun, open_store, store_uri
from heron.storage.registry import default_index_path
from heron.storage.sqlite import IndexBusyError
from heron.storage.sqlite.schema import SCHEMA_VERSION, open_index


def _runs(path, experiment="exp"):
    store = open_store(f"sqlite:{path}", experiment=experiment)
    try:
        return [r.name for r in store.reader().list_runs()]
    finally:
        store.close()


def _with_run(path, experiment="exp"):
    store = open_store(f"sqlite:{path}", experiment=experiment)
    store.commit(CommitBatch(runs=(NewRun(1, "kept"),)))
    store.close()


def test_a_fresh_index_has_the_current_version_and_wal_mode(tmp_path):
    path = tmp_path / "index.sqlite"
    _with_run(path)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()
    assert _runs(path) == ["kept"]


def test_an_index_from_a_newer_heron_is_rebuilt(tmp_path):
    path = tmp_path / "index.sqlite"
    _with_run(path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    assert _runs(path) == []


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_a_corrupt_index_file_is_rebuilt(tmp_path, content):
    path = tmp_path / "index.sqlite"
    path.write_bytes(content)
    assert _runs(path) == []
    _with_run(path)
    assert _runs(path) == ["kept"]


def test_a_foreign_sqlite_database_is_not_read_as_an_index(tmp_path):
    path = tmp_path / "index.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE runs (name TEXT)")
    connection.execute("INSERT INTO runs VALUES ('intruder')")
    connection.commit()
    connection.close()
    assert _runs(path) == []


def test_an_index_built_for_another_logdir_is_rebuilt(tmp_path):
    path = tmp_path / "index.sqlite"
    _with_run(path, experiment="/logs/a")
    assert _runs(path, experiment="/logs/b") == []


def test_an_older_version_with_a_migration_is_migrated_in_place(tmp_path):
    path = tmp_path / "index.sqlite"
    old_schema = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    connection = open_index(path, experiment="exp", version=1, schema=old_schema)
    connection.execute("INSERT INTO meta VALUES ('note', 'carried over')")
    connection.close()

    def add_notes(db):
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes SELECT value FROM meta WHERE key = 'note'")

    connection = open_index(
        path, experiment="exp", version=2, schema=old_schema, migrations={1: add_notes}
    )
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    assert connection.execute("SELECT text FROM notes").fetchall() == [("carried over",)]
    connection.close()


def test_an_older_version_without_a_migration_is_rebuilt(tmp_path):
    path = tmp_path / "index.sqlite"
    old_schema = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    open_index(path, experiment="exp", version=1, schema=old_schema).close()
    connection = open_index(
        path,
        experiment="exp",
        version=2,
        schema=old_schema + "CREATE TABLE x (y);",
        migrations={},
    )
    assert connection.execute("SELECT count(*) FROM x").fetchone()[0] == 0
    connection.close()


def test_two_writers_cannot_open_one_index(tmp_path):
    path = tmp_path / "index.sqlite"
    store = open_store(f"sqlite:{path}", experiment="exp")
    try:
        with pytest.raises(IndexBusyError, match="pid"):
            open_store(f"sqlite:{path}", experiment="exp")
    finally:
        store.close()
    open_store(f"sqlite:{path}", experiment="exp").close()


def test_store_uris_choose_the_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    default = default_index_path("/some/logdir")
    assert default.parent == tmp_path / "cache" / "heron" / "index"
    assert default == default_index_path("/some/logdir") != default_index_path("/other")
    assert store_uri(None, "/some/logdir") == f"sqlite:{default}"
    assert store_uri("rel.sqlite", "x").startswith("sqlite:/")
    assert store_uri("sqlite:/a/b.sqlite", "x") == "sqlite:/a/b.sqlite"
    with pytest.raises(InvalidArgumentError, match="scheme"):
        open_store("mysql://nope", experiment="x")
    with pytest.raises(InvalidArgumentError, match="PostgreSQL"):
        open_store("postgresql://localhost/heron", experiment="x")
    store = open_store(f"sqlite:///{tmp_path}/three-slashes.sqlite", experiment="x")
    store.close()
    assert (tmp_path / "three-slashes.sqlite").exists()
