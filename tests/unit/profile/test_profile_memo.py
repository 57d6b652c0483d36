"""The analyses are computed once per prepared trace, and never served for another trace."""

from __future__ import annotations

import copy
import gzip
from pathlib import Path

from heron.formats.trace_events import decode_trace
from heron.plugins.profile import data
from heron.plugins.profile.memo import Memo
from heron.plugins.profile.model import prepare

GPU_FILE = (
    Path(__file__).parents[2]
    / "fixtures"
    / "profile_synthetic"
    / "gpu_synthetic"
    / "worker0.1.pt.trace.json.gz"
)


def test_a_view_is_computed_once_per_model() -> None:
    memo = Memo()
    model = prepare(decode_trace(gzip.decompress(GPU_FILE.read_bytes())))
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    first = memo.get(model, "ops", compute)
    assert memo.get(model, "ops", compute) is first
    assert calls == [1]


def test_another_model_gets_its_own_answer_and_old_models_are_dropped() -> None:
    memo = Memo(models=2)
    model = prepare(decode_trace(gzip.decompress(GPU_FILE.read_bytes())))
    a, b, c = model, copy.copy(model), copy.copy(model)
    assert memo.get(a, "x", lambda: "a") == "a"
    assert memo.get(b, "x", lambda: "b") == "b"
    assert memo.get(c, "x", lambda: "c") == "c"
    assert memo.get(a, "x", lambda: "a again") == "a again"  # evicted: recomputed
    assert memo.get(c, "x", lambda: "stale") == "c"


def test_the_plugin_answers_from_its_memo() -> None:
    model = prepare(decode_trace(gzip.decompress(GPU_FILE.read_bytes())))
    assert data.ops(model) is data.ops(model)
    assert data.overview(model)["top_ops"] == data.ops(model)["ops"][: data.TOP_OPS]
