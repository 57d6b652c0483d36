"""Failures on the background thread raise on the caller's next call; nothing is lost silently."""

import errno
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from heron import SummaryWriter
from heron.writer import SummaryEncodingError, WriterError
from heron.writer.inputs import DeferredScalar

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "src"))


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_a_full_disk_raises_on_the_next_call_and_flush_retries(tmp_path, scalars_of):
    code = textwrap.dedent(
        """
        import errno, os, resource, signal
        from heron import SummaryWriter
        from heron.writer import WriterError

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # let write() fail with EFBIG instead
        writer = SummaryWriter("logs", max_queue=10**6, flush_secs=3600)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        limit = os.path.getsize(writer.event_file) + 1000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        for step in range(1000):
            writer.add_scalar("x", float(step), step)
        try:
            writer.flush()
        except WriterError as error:
            assert error.errno == errno.EFBIG, error
            assert error.filename == writer.event_file
            assert "kept in memory" in str(error), error
            print("flush raised")
        try:
            writer.add_scalar("x", -1.0, 10**6)
        except WriterError:
            print("next call raised")
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))  # space again
        writer.flush()
        writer.add_scalar("x", 1000.0, 1000)
        writer.close()
        print("recovered")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": SRC},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["flush raised", "next call raised", "recovered"]
    assert [s for s, _ in scalars_of(tmp_path / "logs")["x"]] == list(range(1001))


def test_a_deleted_log_directory_raises_then_flush_writes_to_a_new_file(logdir, scalars_of):
    writer = SummaryWriter(logdir)
    writer.add_scalar("x", 1.0, 1)
    writer.flush()
    shutil.rmtree(logdir)
    writer.add_scalar("x", 2.0, 2)
    with pytest.raises(WriterError, match="deleted") as raised:
        writer.flush()
    assert raised.value.errno == errno.ENOENT
    with pytest.raises(WriterError):  # every call raises until a flush succeeds
        writer.add_scalar("x", 3.0, 3)
    with pytest.raises(WriterError):
        writer.add_text("t", "x", 3)
    writer.flush()  # the retry: a new file in the re-created directory
    writer.add_scalar("x", 4.0, 4)
    writer.close()
    assert scalars_of(logdir) == {"x": [(2, 2.0), (4, 4.0)]}


def test_close_raises_a_failure_that_is_left(logdir):
    writer = SummaryWriter(logdir)
    writer.flush()
    shutil.rmtree(logdir)
    with open(logdir, "w") as blocker:  # a file where the directory was: no new file either
        blocker.write("in the way")
    writer.add_scalar("x", 2.0, 2)
    with pytest.raises(WriterError, match="could not start a new event file"):
        writer.close()
    writer.close()  # closed for good: nothing more to raise


class BrokenDeviceScalar:
    def item(self):
        raise RuntimeError("CUDA error: device-side assert triggered")


def test_an_encoding_failure_raises_once_and_the_writer_goes_on(writer, logdir, scalars_of):
    pipe = writer._live()
    pipe.put_scalar((pipe.tag_id("x"), DeferredScalar(BrokenDeviceScalar(), None), 1, 1.0))
    with pytest.raises(SummaryEncodingError, match="device-side assert"):
        writer.flush()
    writer.add_scalar("x", 2.0, 2)
    writer.flush()
    assert scalars_of(logdir) == {"x": [(2, 2.0)]}


def test_a_failing_task_is_reported_with_its_label(writer, logdir):
    writer._submit("image 'broken'", lambda: 1 / 0, global_step=1, walltime=None)
    with pytest.raises(SummaryEncodingError, match=r"image 'broken'.*division by zero"):
        writer.flush()
    writer.flush()


def test_a_call_racing_with_close_raises_instead_of_vanishing(logdir):
    writer = SummaryWriter(logdir)
    pipe = writer._pipe
    writer.close()
    with pytest.raises(RuntimeError, match="closed by another thread"):
        pipe.put_scalar(b"\0" * 32)


def test_a_log_dir_that_cannot_be_created_raises_in_the_constructor(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OSError, match=r"(exists|Not a directory)"):
        SummaryWriter(blocker / "logs")


def test_a_sub_run_that_cannot_be_created_is_kept_and_retried(logdir, scalars_of):
    writer = SummaryWriter(logdir)
    blocker = os.path.join(logdir, "m_a")
    with open(blocker, "w") as stream:  # a file where the sub-run's directory must go
        stream.write("in the way")
    writer.add_scalars("m", {"a": 1.0}, 1)
    with pytest.raises(WriterError):
        writer.flush()
    os.remove(blocker)
    writer.flush()  # the retry creates the sub-run and writes the kept point
    writer.close()
    assert scalars_of(os.path.join(logdir, "m_a")) == {"m": [(1, 1.0)]}


def test_an_hparams_sub_run_that_cannot_be_created_is_kept_and_retried(logdir, values_of):
    writer = SummaryWriter(logdir)
    blocker = os.path.join(logdir, "trial")
    with open(blocker, "w") as stream:
        stream.write("in the way")
    writer.add_hparams({"lr": 0.1}, {"acc": 0.5}, run_name="trial")
    with pytest.raises(WriterError):
        writer.flush()
    os.remove(blocker)
    writer.close()  # close retries too
    assert "_hparams_/session_start_info" in values_of(blocker)


def test_projector_files_that_cannot_be_written_are_reported_once(writer, logdir, scalars_of):
    import numpy as np

    os.makedirs(os.path.join(logdir, "projector_config.pbtxt"))  # a directory in the way
    writer.add_embedding(np.eye(2))
    with pytest.raises(WriterError, match="embedding 'default'"):
        writer.flush()
    writer.add_scalar("x", 1.0, 1)
    writer.flush()
    assert scalars_of(logdir) == {"x": [(1, 1.0)]}
