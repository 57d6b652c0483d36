"""`import heron` in a training script must stay light."""

import json
import subprocess
import sys

import pytest

HEAVY = ["numpy", "PIL", "heron.cli", "heron.server", "sqlite3", "psycopg", "torch", "tensorflow"]


def _modules_after(statement: str) -> set[str]:
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(output))


@pytest.mark.parametrize(
    "statement",
    [
        "import heron",
        "import heron.formats.events",
        "import heron.formats.compat",
        "import heron.formats.summaries.scalars",
        "from heron import SummaryWriter",
        "import heron.writer",
        # A training script that logs scalars and text: the writer's whole path, thread included.
        "import tempfile\n"
        "from heron import SummaryWriter\n"
        "with SummaryWriter(tempfile.mkdtemp()) as writer:\n"
        "    for step in range(100):\n"
        "        writer.add_scalar('loss', 1.0 / (step + 1), step)\n"
        "        writer.add_scalar('lr', 0.1, global_step=step, walltime=1.0)\n"
        "    writer.add_scalars('acc', {'train': 0.5, 'val': 0.25}, 100)\n"
        "    writer.add_text('notes', 'hello', 100)\n"
        "    writer.add_hparams({'lr': 0.1}, {'acc': 0.5})\n"
        "    writer.flush()",
    ],
)
def test_import_pulls_in_no_heavy_module(statement):
    loaded = _modules_after(statement)
    assert not [name for name in HEAVY if name in loaded]
