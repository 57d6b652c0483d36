"""Real restart logs: a torch job that crashed at step 600 and resumed from a checkpoint at 400."""

from __future__ import annotations

import numpy as np
import pytest

from heron.core.values import SeriesKey
from heron.ingest import EventFileRecords, Ingester, IngestOptions, LogdirRoot
from heron.storage import open_store

pytestmark = pytest.mark.compat


def _write_restarted_run(logdir):
    tensorboard = pytest.importorskip("torch.utils.tensorboard")
    first = tensorboard.SummaryWriter(str(logdir))
    for step in range(601):
        first.add_scalar("loss", step * 1.0, step)
    first.add_text("note", "first attempt", 600)
    first.close()
    second = tensorboard.SummaryWriter(str(logdir))
    for step in range(400, 801):
        second.add_scalar("loss", -step * 1.0, step)
    second.add_text("note", "second attempt", 500)
    second.close()


def test_a_resumed_torch_run_shows_the_first_attempt_before_the_restart_and_the_second_after(
    tmp_path,
):
    logdir = tmp_path / "logs"
    _write_restarted_run(logdir)
    assert len(list(logdir.iterdir())) == 2
    store = open_store(
        f"sqlite:{tmp_path / 'index.sqlite'}", experiment=str(logdir), records=EventFileRecords()
    )
    try:
        Ingester(store, [LogdirRoot(str(logdir))], options=IngestOptions(progress=False)).run_once()
        reader = store.reader()
        key = SeriesKey(".", "loss")
        visible = reader.read_scalars([key])[key]
        assert visible.steps.tolist() == list(range(801))
        expected = np.concatenate([np.arange(400.0), -np.arange(400.0, 801.0)])
        np.testing.assert_array_equal(visible.values, expected)
        everything = reader.read_scalars([key], include_hidden=True)[key]
        assert len(everything) == 601 + 401
        hidden_steps = sorted(set(range(400, 601)))
        for step in hidden_steps[:3]:
            assert everything.values[everything.steps == step].tolist() == [step, -step]
        summary = reader.run_summaries()[0].scalars["loss"]
        assert (summary.count, summary.last_step, summary.min_value) == (801, 800, -800.0)
        assert summary.max_value == 399.0
        note = SeriesKey(".", "note/text_summary")  # torch add_text appends the suffix
        (text_point,) = reader.read_tensors([note])[note]  # step 600 hidden by step 500
        assert text_point.step == 500
    finally:
        store.close()
