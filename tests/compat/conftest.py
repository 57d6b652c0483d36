"""Puts tools/ first on sys.path, as running its scripts does: the recipes import as `golden`."""

import sys
from pathlib import Path

TOOLS_DIR = str(Path(__file__).resolve().parents[2] / "tools")
if TOOLS_DIR not in sys.path:
    sys.path.insert(0, TOOLS_DIR)
