"""Heron reads what the installed tensorboardX, torch.utils.tensorboard and TensorFlow write now.

The golden logdirs pin the writer versions that made them; these tests run the
same recipes (``tools/golden``, behind ``tools/make_golden_logdirs.py``; the
conftest puts tools/ on sys.path) one kind at a time against
whatever writers are installed, into a fresh logdir, and check Heron's read
against what was asked, and against TensorBoard's loader. Each tool is skipped
when its package is missing; each kind when its extra dependency is (for
example tensorboardX's audio needs ``soundfile``, figures need matplotlib).
Embeddings are not event files and videos need moviepy: neither is covered.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from golden.driver import TOOLS, write_logdir

from ._expectations import check_coverage, check_record, load_expected
from ._readers import assert_same_as_tensorboard, read_logdir

pytestmark = pytest.mark.compat

GOLDEN = Path(__file__).parent / "golden"

CASES = [
    pytest.param(tool.name, kind, id=f"{tool.name}-{kind}")
    for tool in TOOLS.values()
    for kind in tool.recipes
]


@pytest.mark.parametrize(("tool_name", "kind"), CASES)
def test_heron_reads_what_the_installed_writer_writes(
    tool_name: str, kind: str, tmp_path: Path
) -> None:
    tool = TOOLS[tool_name]
    for module in (*tool.modules, *tool.needs.get(kind, ())):
        pytest.importorskip(module)
    recorder, skipped = write_logdir(tool, tmp_path, [kind])
    assert not skipped
    assert recorder.records, "a recipe must record what it wrote"

    runs = read_logdir(tmp_path)
    check_coverage(runs, recorder.records)
    for record in recorder.records:
        check_record(runs, record)
    if importlib.util.find_spec("tensorboard") is not None:
        for run in runs.values():
            assert_same_as_tensorboard(run)

    # The committed golden logdir was made by this same recipe: it is not stale.
    expected = load_expected(GOLDEN / tool_name)
    if kind not in expected["skipped_kinds"]:
        # Compared as JSON text, where NaN equals NaN.
        committed = {json.dumps(r, sort_keys=True) for r in expected["records"]}
        missing = [r for r in recorder.records if json.dumps(r, sort_keys=True) not in committed]
        assert not missing, f"golden/{tool_name} is stale: run `make golden`"
