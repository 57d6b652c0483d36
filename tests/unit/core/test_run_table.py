"""A run table answers every run query and sort exactly as the per-run evaluation does."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heron.core.run_query import compile_filter, compile_sort, sort_runs, sort_table
from heron.core.run_table import RunTable, build_run_table
from heron.core.values import RunSummary

NOW = 1_000.0
QUERIES = [
    "",
    'lr < 0.01 and optimizer == "adam"',
    "max(val/accuracy) > 0.9",
    'name ~ "seed-1$"',
    "name !~ '^adam'",
    'optimizer == "adam" or layers >= 4',
    "layers != 2",
    "not (layers == 2)",
    "has(loss)",
    "not has(loss)",
    "bn == true",
    "bn != false",
    "bn < true",
    "lr == 'auto'",
    "lr > 0",
    "lr != nan",
    "lr == nan",
    "min(loss) < 1",
    "last_step >= 50 and status == 'finished'",
    "status == 'running' or status == 'failed'",
    "status ~ 'fin'",
    "count(val/accuracy) == 10 and start_time > 1.5",
    "hparam(`lr`) != 0.1",
    "lr < 1e-2",
    "lr > -inf",
    "optimizer < 'b'",
    "optimizer ~ 'a' and not lr ~ 'x'",
    "duration >= 4",
    "first(loss) <= 0.5 or last(val/accuracy) > 0.5",
    "nothing == 1 or max(nothing) > 0 or has(nothing)",
    "name == 'sgd-seed-1'",
    "lr == true",
    "bn == 1",
]
SORTS = [
    "-max(val/accuracy)",
    "max(val/accuracy)",
    "lr",
    "-lr",
    "optimizer, -start_time",
    "-duration, name",
    "bn, -layers",
    "status, -last_step",
    "-name",
    "count(loss), nothing",
]

_hparam = st.one_of(
    st.booleans(),
    st.sampled_from(["adam", "sgd", "auto", "", "b"]),
    st.sampled_from([0.1, 0.001, 2.0, 4.0, -1.0, math.inf, math.nan, 0.0]),
    st.integers(-3, 5),
)
_float = st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0, 0.93]))
_metric = st.tuples(st.integers(1, 20), st.integers(0, 5), st.integers(5, 200), *([_float] * 5))


@st.composite
def _runs(draw: st.DrawFn) -> list[tuple[str, tuple, dict, dict]]:
    names = draw(
        st.lists(
            st.sampled_from(["adam-seed-1", "sgd-seed-1", "adam-seed-2", "b", "a/x", "z", "é"]),
            unique=True,
            max_size=7,
        )
    )
    result = []
    for name in sorted(names):
        times = (draw(_float), draw(_float), draw(st.one_of(st.none(), st.integers(0, 200))))
        status = draw(st.sampled_from([None, "success", "failure", "running", "unknown"]))
        hparams = draw(
            st.dictionaries(st.sampled_from(["lr", "optimizer", "layers", "bn"]), _hparam)
        )
        metrics = draw(st.dictionaries(st.sampled_from(["loss", "val/accuracy", "x"]), _metric))
        result.append((name, (*times, status), hparams, metrics))
    return result


def _table(runs: list[tuple[str, tuple, dict, dict]]) -> tuple[RunTable, list[RunSummary]]:
    run_rows = [
        (name, start, last_wall, step, json.dumps(hparams, sort_keys=True) if hparams else None, s)
        for name, (start, last_wall, step, s), hparams, _ in runs
    ]
    series = [
        (row, tag, *metric)
        for row, (_, _, _, metrics) in enumerate(runs)
        for tag, metric in sorted(metrics.items())
    ]
    table = build_run_table(run_rows, series)
    return table, table.summaries(range(len(table)))


@settings(max_examples=150, deadline=None)
@given(_runs())
def test_masks_and_table_sorts_agree_with_the_per_run_evaluation(runs):
    table, summaries = _table(runs)
    assert [s.run for s in summaries] == [name for name, *_ in runs]
    for query in QUERIES:
        compiled = compile_filter(query, now=NOW)
        expected = [s.run for s in summaries if compiled(s)]
        mask = compiled.mask(table)
        assert [table.names[i] for i in np.flatnonzero(mask)] == expected, query
    everything = np.arange(len(table), dtype=np.int64)
    for sort in SORTS:
        keys = compile_sort(sort)
        expected = [s.run for s in sort_runs(summaries, keys, now=NOW)]
        ordered = sort_table(table, everything, keys, now=NOW)
        assert [table.names[i] for i in ordered] == expected, sort


def test_summaries_rebuild_what_the_rows_said():
    table, (summary,) = _table(
        [
            (
                "a",
                (1.0, None, 7, "success"),
                {"lr": 0.1, "opt": "x"},
                {"loss": (3, 0, 2, None, 1.0, 0.5, 2.0, 9.0)},
            )
        ]
    )
    assert summary.run == "a"
    assert (summary.start_time, summary.last_wall_time, summary.last_step) == (1.0, None, 7)
    assert summary.session_status == "success"
    assert summary.hparams == {"lr": 0.1, "opt": "x"}
    loss = summary.scalars["loss"]
    assert (loss.count, loss.first_step, loss.last_step) == (3, 0, 2)
    assert math.isnan(loss.first_value)
    assert (loss.last_value, loss.min_value, loss.max_value, loss.last_wall_time) == (
        1.0,
        0.5,
        2.0,
        9.0,
    )
    assert table.hparams["lr"].type == "number"
    assert table.metrics["loss"].rows.tolist() == [0]


def test_columns_are_read_only():
    table, _ = _table([("a", (1.0, 2.0, 3, None), {"lr": 1}, {"loss": (1, 0, 0, 1, 1, 1, 1, 1)})])
    with pytest.raises(ValueError, match="read-only"):
        table.start_time[0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        table.metrics["loss"].max[0] = 5.0


@settings(max_examples=50, deadline=None)
@given(_runs())
def test_scalar_summaries_of_chosen_pairs_are_those_of_the_run_summaries(runs):
    table, summaries = _table(runs)
    keys = [(s.run, tag) for s in summaries for tag in ("loss", "val/accuracy", "x", "nothing")]
    keys.append(("no such run", "loss"))
    expected = {(s.run, tag): metric for s in summaries for tag, metric in s.scalars.items()}
    assert repr(sorted(table.scalar_summaries(keys).items())) == repr(sorted(expected.items()))
