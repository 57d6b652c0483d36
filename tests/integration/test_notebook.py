"""%load_ext heron, %heron and heron.notebook.display in IPython's shell, with a real server."""

import json
import subprocess
import sys
import time
import urllib.request

import pytest

IPython = pytest.importorskip("IPython")
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402


@pytest.fixture
def info_dir(tmp_path, monkeypatch):
    """Instance info files in a folder of this test; every server started is stopped after it."""
    folder = tmp_path / "info"
    monkeypatch.setenv("HERON_NOTEBOOK_DIR", str(folder))
    monkeypatch.delenv("HERON_PROXY_URL", raising=False)
    yield folder
    import heron.notebook

    for instance in heron.notebook.list():
        heron.notebook.stop(instance)


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


@pytest.fixture
def logdir(tmp_path):
    from heron import SummaryWriter

    with SummaryWriter(tmp_path / "logs" / "run1") as writer:
        writer.add_scalar("loss", 0.5, 1)
    return tmp_path / "logs"


def _runs(port):
    """The server's runs, once its first ingest pass has found some (it runs in the background)."""
    deadline = time.monotonic() + 20
    while True:
        with urllib.request.urlopen(f"http://localhost:{port}/data/runs", timeout=10) as response:
            runs = json.loads(response.read())
        if runs or time.monotonic() > deadline:
            return runs
        time.sleep(0.1)


def _serve_args(logdir, tmp_path):
    return f"--logdir {logdir} --db {tmp_path / 'index.db'} --port 0 --reload_interval 0"


@pytest.mark.slow
def test_magic_starts_one_server_and_reuses_it(shell, info_dir, logdir, tmp_path):
    import heron.notebook

    shell.run_line_magic("load_ext", "heron")
    with capture_output() as first:
        shell.run_line_magic("heron", _serve_args(logdir, tmp_path))
    (instance,) = heron.notebook.list()
    assert first.stdout.strip() == f"Heron is at {instance.url}"  # not a kernel: the URL
    assert _runs(instance.port) == ["run1"]

    with capture_output() as second:
        shell.run_line_magic("heron", _serve_args(logdir, tmp_path))
    assert f"Reusing Heron on port {instance.port} (pid {instance.pid})" in second.stdout
    assert heron.notebook.list() == [instance]

    assert heron.notebook.stop(instance.port)
    assert heron.notebook.list() == []
    assert not heron.notebook.stop(instance.port)


@pytest.mark.slow
def test_display_embeds_an_iframe_in_a_kernel_and_honours_the_proxy(
    shell, info_dir, logdir, tmp_path, monkeypatch
):
    import heron.notebook

    instance, reused = heron.notebook.start(_serve_args(logdir, tmp_path))
    assert not reused
    shell.kernel = object()  # what a Jupyter / VS Code kernel's shell has
    with capture_output() as shown:
        heron.notebook.display(height=600)
    (output,) = shown.outputs
    frame = output.data["text/html"]
    assert frame.strip().startswith("<iframe")
    assert f'src="{instance.url}"' in frame
    assert 'height="600"' in frame
    monkeypatch.setenv("HERON_PROXY_URL", "/user/me/proxy/{port}/")
    with capture_output() as proxied:
        heron.notebook.display(port=instance.port)
    assert f'src="/user/me/proxy/{instance.port}/"' in proxied.outputs[0].data["text/html"]


RACER = """
import json, os, sys, time
import heron.notebook
go = sys.argv[1]
while not os.path.exists(go):  # the barrier: both processes are imported and waiting
    time.sleep(0.005)
instance, reused = heron.notebook.start(sys.argv[2])
print(json.dumps({"pid": instance.pid, "port": instance.port, "reused": reused}))
"""


@pytest.mark.slow
def test_two_processes_starting_at_once_share_one_server(info_dir, logdir, tmp_path):
    """Two kernels run the same %heron at the same moment: one starts a server, one reuses it."""
    import heron.notebook

    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go), _serve_args(logdir, tmp_path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        for _ in range(2)
    ]  # fmt: skip
    time.sleep(2.0)  # both interpreters up and polling for the barrier
    go.touch()
    reports = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))

    assert sorted(report["reused"] for report in reports) == [False, True]
    assert reports[0]["port"] == reports[1]["port"]
    assert reports[0]["pid"] == reports[1]["pid"]
    (instance,) = heron.notebook.list()
    assert instance.pid == reports[0]["pid"]
    assert _runs(instance.port) == ["run1"]


def test_a_held_start_lock_times_out_with_a_clear_message(info_dir):
    """A start stuck behind another process's lock gives up with a message naming the lock."""
    import heron.notebook

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, heron.notebook\n"
         "with heron.notebook._start_lock('k', 5):\n"
         "    print('held', flush=True); time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(TimeoutError, match=r"still holds .*k\.lock"),
            heron.notebook._start_lock("k", 0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.communicate()
    with heron.notebook._start_lock("k", 5):  # released with the holder's file descriptor
        pass


def test_dead_instances_are_forgotten(info_dir):
    import heron.notebook

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    info_dir.mkdir()
    stale = info_dir / "stale.json"
    stale.write_text(json.dumps({
        "pid": int(finished.stdout), "port": 1, "url": "http://localhost:1/", "args": [],
        "cwd": "/", "started": 0.0, "log_file": "",
    }))  # fmt: skip
    assert heron.notebook.list() == []
    assert not stale.exists()


def test_display_without_ipython_prints_the_url(info_dir, capsys, monkeypatch):
    """Outside IPython (a script, a terminal) the URL is printed; IPython is not imported."""
    code = (
        "import sys, heron.notebook\n"
        "heron.notebook.display(port=6123)\n"
        "print('IPython' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.splitlines() == ["Heron is at http://localhost:6123/", "False"]


def test_a_failing_server_reports_its_error(shell, info_dir, tmp_path):
    shell.run_line_magic("load_ext", "heron")
    with capture_output() as shown:
        shell.run_line_magic("heron", "--reload_interval -1 --logdir x")
    assert "heron serve exited with status" in shown.stdout
    assert "--reload_interval must be 0 or more" in shown.stdout


@pytest.mark.slow
def test_example_notebook_runs_in_a_real_kernel_and_shows_an_iframe(
    tmp_path, info_dir, monkeypatch
):
    """examples/notebook.ipynb in a real Jupyter kernel: %heron's output is the dashboard iframe."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from pathlib import Path

    import heron.notebook

    # The kernel inherits the environment: its server's index goes in this test's folder.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()

    (instance,) = heron.notebook.list()
    assert instance.args == ("--logdir", "logs/notebook")
    assert instance.cwd == str(tmp_path)
    magic = next(cell for cell in notebook.cells if cell.source.startswith("%heron"))
    (output,) = magic.outputs
    assert output.output_type == "display_data"
    frame = output.data["text/html"]
    assert "<iframe" in frame
    assert f'src="{instance.url}"' in frame
    assert _runs(instance.port) == ["run1"]
