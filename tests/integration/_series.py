"""Reading back what an integration wrote, through ``heron.open`` (Heron's own reader)."""

from __future__ import annotations

from pathlib import Path


def series_of(logdir: Path, db: Path) -> dict[tuple[str, str], tuple[str, int, int]]:
    """{(run, tag): (plugin, point count, last step)} of every series in ``logdir``."""
    import heron

    with heron.open(logdir, db=db, progress=False) as experiment:
        return {(s.run, s.tag): (s.plugin_name, s.count, s.max_step) for s in experiment.series()}


def scalar_values(logdir: Path, db: Path, run: str, tag: str) -> list[tuple[int, float]]:
    """(step, value) of one scalar series, in step order."""
    import heron

    with heron.open(logdir, db=db, progress=False) as experiment:
        frame = experiment.scalars(runs=run, tags=tag)
        return [(int(s), float(v)) for s, v in zip(frame["step"], frame["value"], strict=True)]


def run_script(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; the JSON object its last output line prints.

    Frameworks that load torch._dynamo (Lightning, Transformers) crash a process that has
    already imported TensorFlow, as the compat tests do: their training runs apart.
    """
    import json
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def has_module(name: str) -> bool:
    """Whether ``name`` is installed, without importing it here."""
    import importlib.util

    return importlib.util.find_spec(name) is not None
