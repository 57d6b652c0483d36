"""A refreshed run table equals the table built from scratch, and shares what did not change.

``replace_rows`` patches the old columns when the changed runs keep their rows
and tags (``heron.core.run_table_patch``) and merges them otherwise
(``heron.core.run_table_rows``). Either way the result must be the table
``build_run_table`` makes of the same runs, field by field, while the old
table stays as it was (requests may still be reading it).
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import numpy as np
import pytest

from heron.core.run_table import RunRow, RunTable, SeriesRow, build_run_table
from heron.core.run_table_merge import replace_rows

TAGS = ["acc", "loss", "lr", "val/acc"]
HPARAMS = [0.1, 3, -2.5, math.nan, math.inf, "adam", "sgd", True, False, None]
STATUSES = [None, "success", "failure", "running"]

#: name -> (start, last wall time, last step, hparams JSON, status, {tag: aggregates}).
World = dict[str, tuple[Any, ...]]


def _state(table: RunTable) -> Any:
    """Every fact a table holds, as comparable Python values (NaN as its repr)."""

    def listed(array: Any) -> list[str]:
        return [repr(value) for value in np.asarray(array).tolist()]

    index = table._index
    return (
        table.names,
        [listed(getattr(table, f)) for f in ("start_time", "last_wall_time", "last_step")],
        listed(table.has_last_step),
        (listed(table.session_status.rows), listed(table.session_status.codes)),
        table.session_status.values,
        {
            name: (
                column.runs,
                column.type,
                [listed(array) for array in (*column.numbers, *column.flags)],
                (listed(column.text.rows), listed(column.text.codes), column.text.values),
            )
            for name, column in table.hparams.items()
        },
        {
            tag: [listed(array) for array in vars_of(column)]
            for tag, column in table.metrics.items()
        },
        list(table._hparams_json),
        (index.tag_names, listed(index.starts), listed(index.tags), listed(index.at)),
        repr(table.summaries(range(len(table)))),
    )


def vars_of(column: Any) -> list[Any]:
    return [getattr(column, field) for field in column.__dataclass_fields__]


def _table(world: World, names: list[str] | None = None) -> RunTable:
    names = sorted(world if names is None else names)
    runs: list[RunRow] = []
    series: list[SeriesRow] = []
    for row, name in enumerate(names):
        start, wall, step, hparams, status, metrics = world[name]
        runs.append((name, start, wall, step, hparams, status))
        for tag in sorted(metrics):
            series.append((row, tag, *metrics[tag]))
    return build_run_table(runs, series)


def _aggregates(rng: random.Random) -> tuple[Any, ...]:
    value = rng.choice([rng.random(), math.nan, None, -0.0, 1.0])
    return (rng.randint(1, 9), 0, rng.randint(0, 9), value, rng.random(), -1.0, value, 5.0)


def _run(rng: random.Random, tags: list[str]) -> tuple[Any, ...]:
    hparams = {key: rng.choice(HPARAMS) for key in rng.sample(["lr", "opt", "seed"], 2)}
    return (
        rng.choice([None, 1.0, 2.5]),
        rng.choice([None, 7.0]),
        rng.choice([None, 3, 2**60]),
        rng.choice([None, json.dumps(hparams)]),
        rng.choice(STATUSES),
        {tag: _aggregates(rng) for tag in tags},
    )


def _commit(world: World, rng: random.Random) -> set[str]:
    """Change a few runs the way ingest does; the names of the runs changed."""
    changed = set()
    for _ in range(rng.choice([1, 1, 2, 3])):
        name = rng.choice(sorted(world))
        start, wall, step, hparams, status, metrics = world[name]
        action = rng.random()
        if action < 0.45 and metrics:  # new points: same tags, new aggregates
            tag = rng.choice(sorted(metrics))
            metrics = {**metrics, tag: _aggregates(rng)}
            world[name] = (start, rng.random(), step, hparams, status, metrics)
        elif action < 0.65:  # run info: hparams, status, times; same tags
            world[name] = (*_run(rng, [])[:5], metrics)
        elif action < 0.8:  # a tag appears or goes
            tag = rng.choice(TAGS)
            metrics = {k: v for k, v in metrics.items() if k != tag}
            if rng.random() < 0.5:
                metrics[tag] = _aggregates(rng)
            world[name] = (start, wall, step, hparams, status, metrics)
        elif action < 0.9:  # a new run
            name = f"new-{rng.randrange(10**6):06d}"
            world[name] = _run(rng, rng.sample(TAGS, rng.randint(0, 3)))
        else:  # a run removed
            del world[name]
        changed.add(name)
    return changed


@pytest.mark.parametrize("seed", range(8))
def test_a_table_refreshed_commit_after_commit_equals_the_table_built_from_scratch(seed):
    rng = random.Random(seed)
    world: World = {
        f"run-{i:02d}": _run(rng, rng.sample(TAGS, rng.randint(0, 4))) for i in range(12)
    }
    table = _table(world)
    for _ in range(40):
        before = _state(table)
        changed = _commit(world, rng)
        refreshed = replace_rows(table, changed, _table(world, [n for n in changed if n in world]))
        assert _state(table) == before  # the old table is left as it was
        assert _state(refreshed) == _state(_table(world))
        table = refreshed


def test_new_points_in_one_tag_copy_that_tag_only_and_share_every_other_column():
    rng = random.Random(1)
    world: World = {f"run-{i:02d}": _run(rng, ["acc", "loss"]) for i in range(50)}
    table = _table(world)
    start, _, step, hparams, status, metrics = world["run-07"]
    world["run-07"] = (
        start,
        99.0,
        step,
        hparams,
        status,
        {**metrics, "loss": (9, 0, 8, *[0.5] * 5)},
    )

    refreshed = replace_rows(table, {"run-07"}, _table(world, ["run-07"]))

    assert _state(refreshed) == _state(_table(world))
    assert refreshed.metrics["acc"] is table.metrics["acc"]
    assert refreshed.hparams is table.hparams
    assert refreshed.session_status is table.session_status
    assert refreshed.start_time is table.start_time
    assert refreshed._index is table._index
    loss, old_loss = refreshed.metrics["loss"], table.metrics["loss"]
    assert loss.rows is old_loss.rows
    assert loss.first_step is old_loss.first_step
    assert loss.last is not old_loss.last
    assert loss.last[7] == 0.5 != old_loss.last[7]
    assert refreshed.last_wall_time[7] == 99.0 != table.last_wall_time[7]


def test_a_run_that_gains_a_tag_is_merged_in_and_the_index_rebuilt():
    rng = random.Random(2)
    world: World = {f"run-{i:02d}": _run(rng, ["loss"]) for i in range(20)}
    table = _table(world)
    world["run-03"][5]["acc"] = (1, 0, 0, 0.25, 0.25, 0.25, 0.25, 1.0)

    refreshed = replace_rows(table, {"run-03"}, _table(world, ["run-03"]))

    assert _state(refreshed) == _state(_table(world))
    assert refreshed._index is not table._index
    assert refreshed.summaries([3])[0].scalars["acc"].last_value == 0.25
