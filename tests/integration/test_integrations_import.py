"""Heron's framework and notebook support stays out of the way until it is used."""

import json
import subprocess
import sys

import pytest

FRAMEWORKS = ["keras", "tensorflow", "torch", "jax", "lightning", "transformers", "xgboost",
              "IPython", "numpy", "psutil", "pynvml", "heron.server", "heron.storage"]  # fmt: skip


@pytest.mark.parametrize(
    "statement",
    [
        "import heron.integrations",
        "import heron.integrations.torch",  # watch() imports torch when called
        "import heron.integrations.system",  # psutil / NVML only once sampling starts
        "import heron.notebook",
        "import heron; heron.load_ipython_extension",
    ],
)
def test_importing_the_support_imports_no_framework(statement):
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert [name for name in FRAMEWORKS if name in loaded] == []
