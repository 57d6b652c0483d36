"""``open_store(uri)``: the backend is chosen by the URI scheme.

* ``sqlite:PATH`` (or ``sqlite:///ABS/PATH``) — the embedded index (default);
* ``postgresql://...`` — team mode (not built yet).

``default_index_path(experiment)`` is where the embedded index of a logdir
lives when the user names none: ``$XDG_CACHE_HOME/heron/index/<hash>.sqlite``
(``~/.cache`` without ``XDG_CACHE_HOME``), keyed by the absolute logdir so
that every logdir has its own and reopening finds it again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from heron.errors import InvalidArgumentError
from heron.storage.protocol import RecordSource, Store

__all__ = ["default_index_path", "open_store", "store_uri"]


def default_index_path(experiment: str) -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(experiment.encode()).hexdigest()[:24]
    return Path(cache) / "heron" / "index" / f"{digest}.sqlite"


def store_uri(db: str | os.PathLike[str] | None, experiment: str) -> str:
    """The store URI for ``--db``: a URI as is, a path as ``sqlite:``, the default if ``None``."""
    if db is None:
        return f"sqlite:{default_index_path(experiment)}"
    text = os.fspath(db)
    if "://" in text or text.startswith("sqlite:"):
        return text
    return f"sqlite:{os.path.abspath(text)}"


def open_store(uri: str, *, experiment: str, records: RecordSource | None = None) -> Store:
    """Open (creating, migrating or rebuilding as needed) the store at ``uri``.

    ``experiment`` identifies what the store indexes (the absolute logdir, or
    the logdir spec); a store built for something else is rebuilt. ``records``
    lets the store read blobs it keeps by reference to event files.
    """
    scheme, _, rest = uri.partition(":")
    if scheme == "sqlite":
        from heron.storage.sqlite.store import SqliteStore

        path = rest[2:] if rest.startswith("//") else rest
        if not path:
            raise InvalidArgumentError(f"no path in store URI {uri!r}")
        return SqliteStore(Path(path).expanduser(), experiment=experiment, records=records)
    if scheme in ("postgresql", "postgres"):
        raise InvalidArgumentError("PostgreSQL stores are not available yet; use sqlite:PATH")
    raise InvalidArgumentError(f"unknown store URI scheme {scheme!r} in {uri!r} (try sqlite:PATH)")
