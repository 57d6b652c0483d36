"""Construction, flush, close, reopen, exit, fork and threads."""

import gc
import glob
import os
import re
import subprocess
import sys
import textwrap
import threading

import pytest

from heron import SummaryWriter
from heron.formats.proto.event_pb2 import Event, SessionLog
from heron.formats.proto.summary_pb2 import Summary

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "src")


def event_files(directory):
    return sorted(glob.glob(os.path.join(str(directory), "*tfevents*")))


def run_python(code, cwd):
    env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_event_file_exists_as_soon_as_the_writer_does(logdir):
    writer = SummaryWriter(logdir, filename_suffix=".v2")
    try:
        (path,) = event_files(logdir)
        assert path == writer.event_file
        name = os.path.basename(path)
        assert re.fullmatch(rf"events\.out\.tfevents\.\d{{10}}\..+\.{os.getpid()}\.\d+\.v2", name)
    finally:
        writer.close()


def test_the_first_record_names_the_file_version_and_writer(logdir):
    from heron.formats.events import EventReader

    with SummaryWriter(logdir) as writer:
        path = writer.event_file
    ((_, first),) = list(EventReader(path))
    assert first.file_version == "brain.Event:2"
    assert first.source_metadata.writer == "heron"


def test_default_log_dir_is_runs_date_host_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_lr0.1")
    writer.close()
    (directory,) = os.listdir(tmp_path / "runs")
    assert re.fullmatch(r"[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_.+_lr0\.1", directory)
    assert writer.get_logdir() == os.path.join("runs", directory)


def test_a_pathlike_log_dir_is_accepted(tmp_path):
    with SummaryWriter(tmp_path / "p") as writer:
        assert writer.get_logdir() == str(tmp_path / "p")


def test_purge_step_starts_the_file_with_pytorchs_markers(logdir, events_of):
    with SummaryWriter(logdir, purge_step=40) as writer:
        writer.add_scalar("x", 1.0, 40)
    version, start, point = events_of(logdir, include_first=True)[1:]
    assert (version.step, version.file_version) == (40, "brain.Event:2")
    assert (start.step, start.session_log.status) == (40, SessionLog.START)
    assert point.step == 40


def test_close_writes_everything_and_twice_is_harmless(logdir, scalars_of):
    writer = SummaryWriter(logdir, max_queue=1000, flush_secs=3600)
    for step in range(100):
        writer.add_scalar("x", float(step), step)
    writer.close()
    writer.close()
    writer.flush()  # a closed writer has nothing to flush, as in PyTorch
    assert [s for s, _ in scalars_of(logdir)["x"]] == list(range(100))


def test_flush_makes_everything_visible_without_closing(writer, logdir, scalars_of):
    writer.add_scalar("x", 1.0, 1)
    writer.flush()
    assert scalars_of(logdir) == {"x": [(1, 1.0)]}


def test_using_a_closed_writer_opens_a_new_file_like_pytorch(logdir, scalars_of):
    writer = SummaryWriter(logdir, purge_step=5)
    writer.add_scalar("x", 1.0, 1)
    writer.close()
    writer.add_scalar("x", 2.0, 2)
    writer.close()
    assert len(event_files(logdir)) == 2
    assert scalars_of(logdir) == {"x": [(1, 1.0), (2, 2.0)]}


def test_max_queue_items_reach_the_disk_without_a_flush(logdir, scalars_of):
    import time

    with SummaryWriter(logdir, max_queue=5, flush_secs=3600) as writer:
        for step in range(5):
            writer.add_scalar("x", 1.0, step)
        deadline = time.monotonic() + 10
        while len(scalars_of(logdir).get("x", [])) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(scalars_of(logdir)["x"]) == 5


def test_flush_secs_writes_a_lone_point(logdir, scalars_of):
    import time

    with SummaryWriter(logdir, max_queue=1000, flush_secs=0.05) as writer:
        writer.add_scalar("x", 1.0, 1)
        deadline = time.monotonic() + 10
        while not scalars_of(logdir) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert scalars_of(logdir) == {"x": [(1, 1.0)]}


def test_flush_secs_zero_writes_every_point_at_once(logdir, scalars_of):
    import time

    with SummaryWriter(logdir, flush_secs=0) as writer:
        writer.add_scalar("x", 1.0, 1)
        deadline = time.monotonic() + 10
        while not scalars_of(logdir) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert scalars_of(logdir) == {"x": [(1, 1.0)]}


@pytest.mark.parametrize(("option", "value"), [("max_pending", 0), ("flush_secs", -1)])
def test_nonsense_options_raise(logdir, option, value):
    with pytest.raises(ValueError, match=option):
        SummaryWriter(logdir, **{option: value})


def test_a_full_queue_makes_the_caller_wait_and_drops_nothing(logdir, scalars_of):
    from heron.writer.tasks import ActionTask

    release = threading.Event()
    writer = SummaryWriter(logdir, max_pending=50)
    writer._live().put_task(ActionTask("stall", lambda out: release.wait(30)))
    done = threading.Event()

    def produce():
        for step in range(200):
            writer.add_scalar("x", float(step), step)
        done.set()

    producer = threading.Thread(target=produce)
    producer.start()
    assert not done.wait(0.3), "the producer should be waiting for room"
    assert len(writer._pipe.queue) <= 51
    release.set()
    assert done.wait(30)
    producer.join()
    writer.close()
    assert [s for s, _ in scalars_of(logdir)["x"]] == list(range(200))


def test_queued_points_are_written_at_interpreter_exit(tmp_path, scalars_of):
    result = run_python(
        """
        from heron import SummaryWriter
        writer = SummaryWriter("logs", max_queue=10**6, flush_secs=3600)
        for step in range(1000):
            writer.add_scalar("x", float(step), step)
        # no close(), no flush(): the writer is still referenced at exit
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert len(scalars_of(tmp_path / "logs")["x"]) == 1000


def test_a_forgotten_writer_is_written_when_collected(logdir, scalars_of):
    writer = SummaryWriter(logdir, max_queue=10**6, flush_secs=3600)
    writer.add_scalar("x", 1.0, 1)
    del writer
    gc.collect()
    assert scalars_of(logdir) == {"x": [(1, 1.0)]}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_after_fork_parent_and_child_each_write_their_own_points(logdir, scalars_of):
    writer = SummaryWriter(logdir, max_queue=10**6, flush_secs=3600)
    for step in range(10):
        writer.add_scalar("parent", 1.0, step)  # still queued at fork time
    pid = os.fork()
    if pid == 0:  # the child: its inherited queue is the parent's business
        try:
            writer.add_scalar("child", 2.0, 0)
            writer.close()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert status == 0
    writer.close()
    points = scalars_of(logdir)
    assert [s for s, _ in points["parent"]] == list(range(10))  # once, not twice
    assert points["child"] == [(0, 2.0)]
    assert len(event_files(logdir)) == 2


def test_threads_share_a_writer_without_losing_or_mixing_points(writer, logdir, scalars_of):
    def produce(thread):
        for step in range(500):
            writer.add_scalar(f"t{thread}", float(thread), step)
            if step % 100 == 0:
                writer.add_text(f"note{thread}", "x", step)

    threads = [threading.Thread(target=produce, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.flush()
    points = scalars_of(logdir)
    for index in range(8):
        assert points[f"t{index}"] == [(step, float(index)) for step in range(500)]


def test_the_file_writer_takes_foreign_summary_protos(writer, logdir, values_of, events_of):
    pytest.importorskip("tensorboard")
    from tensorboard.compat.proto.summary_pb2 import Summary as TBSummary

    file_writer = writer._get_file_writer()
    assert file_writer.get_logdir() == logdir
    file_writer.add_summary(TBSummary(value=[TBSummary.Value(tag="tb", simple_value=2.0)]), 3)
    file_writer.add_summary(Summary(value=[Summary.Value(tag="ours", simple_value=1.0)]), 4, 7.0)
    file_writer.add_event(Event(step=1), step=9, walltime=1.0)
    file_writer.flush()
    assert values_of(logdir)["tb"][0][0] == 3
    assert values_of(logdir)["ours"][0][0] == 4
    assert events_of(logdir)[-1].step == 9
    with pytest.raises(TypeError, match="protobuf Summary"):
        file_writer.add_summary({"tag": 1})
    assert writer.file_writer is not None
    writer.close()
    assert writer.file_writer is None


def test_logging_after_the_exit_time_close_opens_a_new_file(logdir, scalars_of):
    writer = SummaryWriter(logdir)
    writer.add_scalar("x", 1.0, 1)
    writer._holder.close()  # what the finalizer does at interpreter exit
    writer.add_scalar("x", 2.0, 2)  # e.g. from an atexit handler registered earlier
    writer.close()
    assert scalars_of(logdir) == {"x": [(1, 1.0), (2, 2.0)]}
    assert len(event_files(logdir)) == 2


def test_a_taken_file_name_is_skipped(logdir, monkeypatch):
    import heron.writer.event_files as event_files_module

    names = iter(["events.out.tfevents.taken", "events.out.tfevents.free"])
    monkeypatch.setattr(event_files_module, "event_file_name", lambda **_: next(names))
    os.makedirs(logdir)
    with open(os.path.join(logdir, "events.out.tfevents.taken"), "wb") as taken:
        taken.write(b"someone else's")
    with SummaryWriter(logdir) as writer:
        assert os.path.basename(writer.event_file) == "events.out.tfevents.free"
