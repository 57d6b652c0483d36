"""A state of the index inherits an older state's values with the runs changed since.

``replace_rows`` records which runs each refresh changed
(``heron.core.run_table_lineage``); ``heron.core.state_cache`` hands the values
of the nearest older state it kept to the new one, so that ``evolve`` updates
them instead of building them from scratch.
"""

from __future__ import annotations

from heron.core import state_cache
from heron.core.run_table import RunTable, build_run_table
from heron.core.run_table_lineage import ancestors, token
from heron.core.run_table_merge import replace_rows


def _table(*names: str) -> RunTable:
    return build_run_table([(name, None, None, None, None, None) for name in names], [])


class _Provider:
    """Only what ``index_state`` reads: the current run table."""

    def __init__(self, table: RunTable) -> None:
        self.table = table

    def run_table(self) -> RunTable:
        return self.table


def _commit(provider: _Provider, changed: set[str], *names: str) -> None:
    provider.table = replace_rows(provider.table, changed, _table(*names))


def test_a_refreshed_table_names_its_ancestors_with_the_runs_changed_since_each():
    first = _table("a", "b", "c")
    second = replace_rows(first, {"b"}, _table("b"))
    third = replace_rows(second, {"c"}, _table())
    assert ancestors(third) == (
        (token(second), frozenset({"c"})),
        (token(first), frozenset({"b", "c"})),
    )
    assert ancestors(first) == ()
    assert third.names == ("a", "b")


def test_evolve_updates_the_value_of_the_nearest_state_kept_across_states_never_asked_for():
    provider = _Provider(_table("a", "b", "c"))
    calls: list[object] = []

    def build() -> tuple[str, ...]:
        calls.append("build")
        return provider.table.names

    def update(older: tuple[str, ...], changed: frozenset[str]) -> tuple[str, ...]:
        calls.append((older, changed))
        return provider.table.names

    state_cache.index_state(provider).evolve("names", build, update)
    _commit(provider, {"b"}, "b")
    provider.run_table()  # a state nobody derives anything from
    _commit(provider, {"c", "d"}, "c", "d")
    _commit(provider, {"d"}, "d")
    value = state_cache.index_state(provider).evolve("names", build, update)
    assert calls == ["build", (("a", "b", "c"), frozenset({"b", "c", "d"}))]
    assert value == ("a", "b", "c", "d")


def test_a_table_read_in_full_builds_its_values_from_scratch():
    provider = _Provider(_table("a"))
    built: list[str] = []
    state_cache.index_state(provider).evolve("x", lambda: built.append("x") or 1, lambda o, c: 2)
    provider.table = _table("a", "b")  # no lineage: as after a refresh that read every run
    value = state_cache.index_state(provider).evolve("x", lambda: 3, lambda o, c: 2)
    assert value == 3
