"""Run the tools' recipes into logdirs, write the golden folders, and the command line."""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import shutil
import sys
from pathlib import Path

from .pytorch_style import TENSORBOARDX, TORCH
from .records import Recorder, Tool
from .tf1 import TF1
from .tf2 import TF2

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "compat" / "golden"

TOOLS: dict[str, Tool] = {tool.name: tool for tool in (TENSORBOARDX, TORCH, TF2, TF1)}


def missing_modules(names: tuple[str, ...]) -> list[str]:
    """The modules among ``names`` that do not import."""
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def write_logdir(
    tool: Tool, logdir: Path, kinds: list[str] | None = None
) -> tuple[Recorder, list[str]]:
    """Run the recipes (all, or ``kinds``) into ``logdir``; return the records and skipped kinds."""
    recorder = Recorder()
    skipped: list[str] = []
    logdir.mkdir(parents=True, exist_ok=True)
    with tool.open(logdir) as writer:
        for kind, recipe in tool.recipes.items():
            if kinds is not None and kind not in kinds:
                continue
            if missing_modules(tool.needs.get(kind, ())):
                skipped.append(kind)
                continue
            recipe(writer, logdir, recorder)
    return recorder, skipped


def write_golden(tool: Tool, out: Path) -> Path:
    """Rewrite ``out/<tool>/`` (logdir + expected.json) from scratch."""
    folder = out / tool.name
    if folder.exists():
        shutil.rmtree(folder)
    recorder, skipped = write_logdir(tool, folder / "logdir")
    expected = {
        "tool": tool.name,
        "package": tool.package,
        "version": importlib.metadata.version(tool.package),
        "skipped_kinds": skipped,
        "records": recorder.records,
    }
    path = folder / "expected.json"
    path.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None, *, description: str | None = None) -> int:
    """The command line of ``tools/make_golden_logdirs.py``, which passes its summary line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("tools", nargs="*", metavar="TOOL", help=f"any of {', '.join(TOOLS)}")
    parser.add_argument("--out", type=Path, default=GOLDEN_DIR, help="default: %(default)s")
    options = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    names = options.tools or list(TOOLS)
    unknown = sorted(set(names) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)} (choose from {', '.join(TOOLS)})")
    for name in names:
        tool = TOOLS[name]
        missing = missing_modules(tool.modules)
        if missing:
            print(f"{name}: cannot run, missing {', '.join(missing)}", file=sys.stderr)
            return 1
        folder = write_golden(tool, options.out)
        print(f"{name}: wrote {folder} ({_folder_size(folder) / 1024:.1f} KB)")
    print(f"total: {_folder_size(options.out) / 1024:.1f} KB")
    return 0
