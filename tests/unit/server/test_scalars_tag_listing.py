"""The scalars ``/tags`` answer follows commits run by run, and equals the answer built anew.

It is kept encoded per state of the index (``heron.plugins.scalars.tag_listing``)
and, after a commit, only the runs the commit changed are listed again. The
bytes served must be exactly the encoding of the answer built from the whole
series listing, whatever the commits did: runs added, removed or given new
tags, tags with a display name and description, runs without scalars.
"""

from __future__ import annotations

import json
import random
import shutil

import orjson
import pytest

import heron
from heron import SummaryWriter
from heron.core.values import DataClass
from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
from heron.plugins.scalars import data, scalar_tags
from heron.plugins.scalars.data import scalar_tags_json
from heron.plugins.scalars.tag_listing import TagListing, updated


def _scratch(provider) -> bytes:
    """The answer as the plugin built it before it was kept: from every scalar series."""
    tags: dict[str, dict[str, dict[str, str]]] = {}
    for series in provider.list_series(plugin_name="scalars", data_class=DataClass.SCALAR):
        tags.setdefault(series.run, {})[series.tag] = {
            "displayName": series.display_name,
            "description": series.description,
        }
    return orjson.dumps(tags)


def _described(writer, step: int) -> None:
    metadata = SummaryMetadata(display_name="Loss (train)", summary_description="per batch")
    value = Summary.Value(tag="described", simple_value=1.0, metadata=metadata)
    writer.file_writer.add_summary(Summary(value=[value]), global_step=step)


def _commit(root, rng: random.Random, runs: set[str], step: int) -> None:
    run = rng.choice(sorted(runs))
    action = rng.random()
    if action < 0.35:
        with SummaryWriter(root / run) as writer:
            writer.add_scalar(rng.choice(["loss", "acc"]), rng.random(), step)
    elif action < 0.55:
        name = rng.choice(["a", "m/n", "zz", "é-run", "b/c/d"]) + f"-{step}"
        with SummaryWriter(root / name) as writer:
            writer.add_scalar("loss", rng.random(), step)
            if rng.random() < 0.5:
                _described(writer, step)
        runs.add(name)
    elif action < 0.7:
        with SummaryWriter(root / run) as writer:
            writer.add_scalar(f"rare-{step}", 1.0, step)
    elif action < 0.8:
        with SummaryWriter(root / f"text-{step}") as writer:  # a run without scalars
            writer.add_text("notes", "hello", step)
    elif len(runs) > 2:
        shutil.rmtree(root / run)
        runs.discard(run)


@pytest.mark.parametrize("seed", range(3))
def test_the_kept_answer_equals_the_answer_built_anew_after_every_commit(
    tmp_path, seed, monkeypatch
):
    builds: list[object] = []
    build = data.build_listing
    monkeypatch.setattr(data, "build_listing", lambda provider: builds.append(1) or build(provider))
    rng = random.Random(seed)
    root = tmp_path / "logs"
    runs = {f"run-{i}" for i in range(6)}
    for index, run in enumerate(sorted(runs)):
        with SummaryWriter(root / run) as writer:
            writer.add_scalar("loss", 0.5, index)
            _described(writer, index)
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        provider = experiment.provider
        assert b"per batch" in scalar_tags_json(provider)
        for step in range(10, 40):
            _commit(root, rng, runs, step)
            experiment.refresh()
            body = scalar_tags_json(provider)
            assert body == _scratch(provider)
            assert scalar_tags(provider) == json.loads(body)
    assert len(builds) == 1  # every later answer was updated, not built again


def test_an_update_reads_only_the_changed_runs_and_shares_the_others_parts():
    class Provider:
        def __init__(self) -> None:
            self.asked: list[object] = []

        def list_series(self, *, runs=None, plugin_name=None, data_class=None):
            self.asked.append(sorted(runs))
            return []

    older = TagListing(["a", "b", "c"], [{}, {}, {}], [b'"a":{}', b'"b":{}', b'"c":{}'], b"")
    provider = Provider()

    newer = updated(provider, older, frozenset({"b"}))  # type: ignore[arg-type]

    assert provider.asked == [["b"]]
    assert newer is not None
    assert newer.runs == ["a", "c"]
    assert newer.parts[0] is older.parts[0]
    assert newer.body == b'{"a":{},"c":{}}'
    assert updated(provider, older, frozenset()) is older  # type: ignore[arg-type]
