"""Heron reads the committed golden logdirs of the real writers with every value intact.

The logdirs under ``golden/`` were written by tensorboardX, torch.utils.tensorboard,
TF2 ``tf.summary`` and TF1 ``tf.compat.v1.summary`` (``make golden`` rewrites
them); ``expected.json`` beside each says what the writer was asked to write.
These tests need none of the writers: only Heron, and TensorBoard for the
cross-check that Heron's normalised events equal what TensorBoard's own loader
yields.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from ._expectations import check_coverage, check_record, load_expected, record_id
from ._readers import RunRead, assert_same_as_tensorboard, read_logdir, run_files

pytestmark = pytest.mark.compat

GOLDEN = Path(__file__).parent / "golden"
TOOLS = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.json").is_file())
#: Kinds every golden logdir of a tool must hold, so a regeneration cannot silently lose one.
REQUIRED_KINDS = {
    "tensorboardx": {"scalar", "histogram", "histogram_raw", "image", "text", "pr_curve", "graph"},
    "torch": {
        "scalar",
        "histogram",
        "histogram_raw",
        "image",
        "audio",
        "text",
        "pr_curve",
        "graph",
    },
    "tf2": {"scalar", "histogram", "image", "audio", "text", "graph_run_metadata", "mesh"},
    "tf1": {"scalar", "histogram", "image", "audio", "text", "pr_curve", "graph", "session_log"},
}


@functools.cache
def _runs(tool: str) -> dict[str, RunRead]:
    return read_logdir(GOLDEN / tool / "logdir")


def _record_cases() -> list[object]:
    return [
        pytest.param(tool, record, id=f"{tool}-{record_id(record)}")
        for tool in TOOLS
        for record in load_expected(GOLDEN / tool)["records"]
    ]


def _run_cases() -> list[object]:
    return [
        pytest.param(tool, run, id=f"{tool}-{run}")
        for tool in TOOLS
        for run in run_files(GOLDEN / tool / "logdir")
    ]


def test_every_writer_has_a_golden_logdir() -> None:
    assert set(TOOLS) == set(REQUIRED_KINDS)


@pytest.mark.parametrize("tool", TOOLS)
def test_golden_logdir_covers_the_kinds_its_writer_supports(tool: str) -> None:
    kinds = {r["kind"] for r in load_expected(GOLDEN / tool)["records"]}
    assert REQUIRED_KINDS[tool] <= kinds


def test_golden_folder_stays_small() -> None:
    size = sum(p.stat().st_size for p in GOLDEN.rglob("*") if p.is_file())
    assert size < 300 * 1024


@pytest.mark.parametrize(("tool", "record"), _record_cases())
def test_heron_reads_golden_value_intact(tool: str, record: dict[str, object]) -> None:
    check_record(_runs(tool), record)


@pytest.mark.parametrize("tool", TOOLS)
def test_heron_reads_exactly_the_golden_series_and_no_more(tool: str) -> None:
    check_coverage(_runs(tool), load_expected(GOLDEN / tool)["records"])


@pytest.mark.parametrize(("tool", "run"), _run_cases())
def test_tensorboard_loader_yields_what_heron_reads(tool: str, run: str) -> None:
    pytest.importorskip("tensorboard")
    read = _runs(tool)[run]
    assert len(read.files) == 1, "compare one file per run: TensorBoard keys metadata per file"
    assert assert_same_as_tensorboard(read) > 1
