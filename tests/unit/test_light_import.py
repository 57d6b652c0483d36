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
    ],
)
def test_import_pulls_in_no_heavy_module(statement):
    loaded = _modules_after(statement)
    assert not [name for name in HEAVY if name in loaded]
