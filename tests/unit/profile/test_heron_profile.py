"""``heron.profile()`` with real torch: what it writes shows in the Profile routes.

The capture runs in a subprocess: a process that imported TensorFlow (another
test may have) crashes when it later imports ``torch._dynamo``.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import heron
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

pytest.importorskip("torch")

_SCRIPT = textwrap.dedent(
    """
    import sys
    import torch
    import heron

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 4))
    x = torch.randn(16, 32)
    with heron.SummaryWriter(sys.argv[1]) as writer:
        with heron.profile(writer) as prof:
            for _ in range(6):
                model(x).sum().backward()
                prof.step()
        writer.add_scalar("loss", 1.0, 0)
    with heron.profile(logdir=sys.argv[2], run="by-name", active=2) as prof:
        for _ in range(5):
            model(x).sum().backward()
            prof.step()
    """
)


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    logs = tmp_path_factory.mktemp("heron_profile") / "logs"
    subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(logs / "writer-run"), str(logs)],
        check=True,
        timeout=300,
        env={"CUDA_VISIBLE_DEVICES": "", "PATH": "/usr/bin:/bin"},
    )
    return logs


def _trace(directory: Path) -> list[dict]:
    (path,) = directory.glob("*.pt.trace.json.gz")
    return json.loads(gzip.decompress(path.read_bytes()))["traceEvents"]


def test_the_default_schedule_records_three_steps_after_wait_and_warmup(logdir: Path) -> None:
    steps = sorted(
        e["name"] for e in _trace(logdir / "writer-run") if e["name"].startswith("ProfilerStep#")
    )
    assert steps == ["ProfilerStep#2", "ProfilerStep#3", "ProfilerStep#4"]


def test_memory_and_shapes_are_off_by_default(logdir: Path) -> None:
    events = _trace(logdir / "writer-run")
    assert not [e for e in events if e["name"] == "[memory]"]
    assert not [e for e in events if "Input Dims" in e.get("args", {})]


def test_the_runs_appear_in_the_profile_routes_with_steps_and_top_ops(
    logdir: Path, tmp_path: Path
) -> None:
    with heron.open(logdir, db=tmp_path / "index.sqlite") as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )
        runs = {r["run"]: r for r in client.get("/data/plugin/profile/runs").json()}
        assert set(runs) == {"writer-run", "by-name"}
        for run, count in (("writer-run", 3), ("by-name", 2)):
            session = runs[run]["sessions"][0]["session"]
            query = {"run": run, "session": session}
            overview = client.get("/data/plugin/profile/overview", params=query).json()
            raw = _trace(next((logdir / run).glob("*.pt.trace.json.gz")).parent)
            durations = sorted(
                (int(e["name"].split("#")[1]), e["dur"])
                for e in raw
                if e["name"].startswith("ProfilerStep#")
            )
            assert len(overview["steps"]) == count
            assert [s["duration_us"] for s in overview["steps"]] == pytest.approx(
                [d for _, d in durations]
            )
            names = {op["name"] for op in overview["top_ops"]}
            assert names & {"aten::addmm", "aten::mm", "aten::linear"}


def test_a_run_outside_the_logdir_is_refused(tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError, match="relative path"),
        heron.profile(logdir=tmp_path, run="../x"),
    ):
        pass


def test_a_writer_and_a_logdir_together_are_refused(tmp_path: Path) -> None:
    writer = heron.SummaryWriter(tmp_path / "a")
    try:
        with pytest.raises(TypeError, match="not both"), heron.profile(writer, logdir=tmp_path):
            pass
    finally:
        writer.close()


def test_heron_profile_is_lazy_and_imports_no_torch() -> None:
    code = "import sys, heron\nheron.profile\nprint('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"
