"""Which run tables a table was refreshed from, and which runs changed since each.

``replace_rows`` (``heron.core.run_table_merge``) builds the table of a new
index state from the previous one and the names of the runs a commit
touched. Values derived from a table (``heron.core.state_cache``) can then be
updated for those runs instead of rebuilt from all 100,000: this module keeps,
per table, its recent ancestors, each with the runs changed since it.

Tables are told apart by a *token* (a serial number) rather than by ``id()``,
which Python reuses once a table is freed; entries go with their tables (held
weakly). A table read in full has no ancestors: whatever derives from it is
built from scratch.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Collection

from heron.core.run_table import RunTable

__all__ = ["MAX_ANCESTORS", "MAX_CHANGED", "Ancestor", "ancestors", "record_refresh", "token"]

#: (token of an ancestor table, names of the runs changed since it).
Ancestor = tuple[int, frozenset[str]]

#: How far back a table remembers; past this many commits values are rebuilt anyway.
MAX_ANCESTORS = 16
#: Past this many changed runs since an ancestor, updating is no cheaper than rebuilding.
MAX_CHANGED = 20_000

_lock = threading.Lock()
_serial = itertools.count(1)
_tokens: weakref.WeakKeyDictionary[RunTable, int] = weakref.WeakKeyDictionary()
_ancestors: weakref.WeakKeyDictionary[RunTable, tuple[Ancestor, ...]] = weakref.WeakKeyDictionary()


def token(table: RunTable) -> int:
    """The table's serial number, given the first time it is asked for."""
    with _lock:
        found = _tokens.get(table)
        if found is None:
            found = _tokens[table] = next(_serial)
        return found


def record_refresh(old: RunTable, changed: Collection[str], new: RunTable) -> None:
    """``new`` is ``old`` with the runs named in ``changed`` read again (or removed)."""
    names = frozenset(changed)
    chain: list[Ancestor] = [(token(old), names)]
    with _lock:
        for ancestor, since in _ancestors.get(old, ()):
            union = since | names
            if len(chain) >= MAX_ANCESTORS or len(union) > MAX_CHANGED:
                break
            chain.append((ancestor, union))
        if new is not old:
            _ancestors[new] = tuple(chain)


def ancestors(table: RunTable) -> tuple[Ancestor, ...]:
    """The tables ``table`` was refreshed from, nearest first, each with the runs changed since."""
    with _lock:
        return _ancestors.get(table, ())
