"""What plugins derive from the index, kept while the index does not change.

At 100,000 sessions, decoding every session's records took ~2 s and building
every ``SessionGroup`` another ~4 s, on every hparams ``/experiment`` and
``/session_groups`` call, and the scalars plugin's ``/tags`` answer (300,000
series) took ~0.5-3 s, although they only change when ingest commits. The
provider's run table (``ReadProvider.run_table()``) is kept by the provider
until its data changes and replaced by a new object when it does, so its
identity is the token of a state of the index: values derived from the
provider are kept per table object (held weakly, so a state's values go with
its table) and rebuilt for the next one.

The token is read *before* the values are built, so a value is never older
than the state it is filed under: a commit landing in between makes it newer,
and the next call, seeing a new table, builds again. Cached values are shared
between requests and threads and must not be mutated; values are built
outside the lock (two threads may build the same one; the first kept wins).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from heron.core.provider import ReadProvider
from heron.core.run_table import RunTable

__all__ = ["IndexState", "index_state"]

T = TypeVar("T")

_lock = threading.Lock()
_states: dict[int, IndexState] = {}


class IndexState:
    """The values kept for one state of a provider's index (one run table object)."""

    __slots__ = ("_table", "_values")

    def __init__(self, table: RunTable) -> None:
        self._table = weakref.ref(table)
        self._values: dict[Hashable, Any] = {}

    def matches(self, table: RunTable) -> bool:
        return self._table() is table

    def matches_nothing(self) -> bool:
        return self._table() is None

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value filed under ``key``, built by ``build()`` the first time."""
        with _lock:
            if key in self._values:
                return self._values[key]  # type: ignore[no-any-return]
        value = build()
        with _lock:
            return self._values.setdefault(key, value)  # type: ignore[no-any-return]

    def derived(self, key: Hashable, source: object, build: Callable[[], T]) -> T:
        """Like ``get`` for a value derived from ``source`` (say, the records a caller read).

        Kept only for the first ``source`` seen under ``key`` (compared by identity); a
        value of another source is built per call.
        """
        kept_source, value = self.get(key, lambda: (source, build()))
        return value if kept_source is source else build()


def index_state(provider: ReadProvider) -> IndexState:
    """The cache of the provider's current state (its current run table)."""
    table = provider.run_table()
    # States of tables gone are dropped here, in a call that builds anyway (and outside
    # the lock): freeing 100,000 sessions' groups takes a while, and must not land on
    # whichever request happens to replace the run table (the runs table's next page).
    dead: list[IndexState] = []
    with _lock:
        state = _states.get(id(table))
        if state is None or not state.matches(table):
            state = _states[id(table)] = IndexState(table)
            dead = [
                _states.pop(key) for key, kept in list(_states.items()) if kept.matches_nothing()
            ]
    dead.clear()
    return state
