"""The embedded SQLite backend (``sqlite:`` URIs): schema, writer, reader."""

from heron.storage.sqlite.store import IndexBusyError, SqliteStore

__all__ = ["IndexBusyError", "SqliteStore"]
