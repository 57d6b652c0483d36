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

A commit that touched a few runs need not cost a rebuild of values over all
100,000: when the new table was refreshed from an older one
(``heron.core.run_table_lineage``), the new state inherits the values of the
nearest older state that kept them, each with the names of the runs changed
since, and ``IndexState.evolve`` lets the caller update such a value for just
those runs. An inherited value is let go once the new one is built.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from heron.core.provider import ReadProvider
from heron.core.run_table import RunTable
from heron.core.run_table_lineage import MAX_ANCESTORS, MAX_CHANGED, ancestors, token

__all__ = ["IndexState", "index_state"]

T = TypeVar("T")

_lock = threading.Lock()
#: By table token (``run_table_lineage.token``): ``id()`` is reused once a table is freed.
_states: dict[int, IndexState] = {}


class IndexState:
    """The values kept for one state of a provider's index (one run table object)."""

    __slots__ = ("_inherited", "_table", "_values")

    def __init__(self, table: RunTable) -> None:
        self._table = weakref.ref(table)
        self._values: dict[Hashable, Any] = {}
        #: Values of an older state, each with the runs changed since it and how many
        #: states ago it was built.
        self._inherited: dict[Hashable, tuple[Any, frozenset[str], int]] = {}

    def _handed_down(
        self, changed: frozenset[str]
    ) -> dict[Hashable, tuple[Any, frozenset[str], int]]:
        """What a state ``changed`` runs later inherits from this one (under ``_lock``).

        A value nobody asked for again is let go after ``MAX_ANCESTORS`` states, or
        once so many runs changed that updating it would cost a rebuild.
        """
        found = {
            key: (value, union, age + 1)
            for key, (value, since, age) in self._inherited.items()
            if age < MAX_ANCESTORS and len(union := since | changed) <= MAX_CHANGED
        }
        found.update((key, (value, changed, 1)) for key, value in self._values.items())
        return found

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
            self._inherited.pop(key, None)
            return self._values.setdefault(key, value)  # type: ignore[no-any-return]

    def evolve(
        self,
        key: Hashable,
        build: Callable[[], T],
        update: Callable[[T, frozenset[str]], T | None],
    ) -> T:
        """Like ``get``, but built by ``update(older, changed)`` from an inherited value.

        ``older`` is the value an older state kept under ``key`` and ``changed``
        the names of the runs changed since; ``update`` returns the value of
        this state (never mutating ``older``), or ``None`` to have it built
        from scratch.
        """
        with _lock:
            if key in self._values:
                return self._values[key]  # type: ignore[no-any-return]
            inherited = self._inherited.get(key)
        value = None if inherited is None else update(inherited[0], inherited[1])
        if value is None:
            value = build()
        with _lock:
            self._inherited.pop(key, None)
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
    key = token(table)
    # States of tables gone are dropped here, in a call that builds anyway (and outside
    # the lock): freeing 100,000 sessions' groups takes a while, and must not land on
    # whichever request happens to replace the run table (the runs table's next page).
    dead: list[IndexState] = []
    with _lock:
        state = _states.get(key)
        if state is None:
            state = _states[key] = IndexState(table)
            # Nearest ancestor first: its values are the freshest.
            for ancestor, changed in reversed(ancestors(table)):
                older = _states.get(ancestor)
                if older is not None:
                    state._inherited.update(older._handed_down(changed))
            dead = [
                _states.pop(kept_key)
                for kept_key, kept in list(_states.items())
                if kept.matches_nothing()
            ]
    dead.clear()
    return state
