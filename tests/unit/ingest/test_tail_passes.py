"""Quick passes between full ones: runs being written to show new points within a second."""

from __future__ import annotations

import threading
import time

from heron.core.values import SeriesKey
from heron.ingest import Ingester, IngestOptions, LogdirRoot

from .conftest import event_file, scalars


def _steps(ingester: Ingester, run: str, tag: str = "loss") -> list[int]:
    key = SeriesKey(run, tag)
    return ingester._store.reader().read_scalars([key])[key].steps.tolist()


def test_a_quick_pass_reads_what_a_recently_read_run_appended(index, logdir):
    path = event_file(logdir / "live")
    scalars(path, "loss", range(3))
    ingester = index.ingester
    ingester.run_once()
    scalars(path, "loss", range(3, 6))
    stats = ingester.run_tail()
    assert stats.bytes_read > 0
    assert _steps(ingester, "live") == list(range(6))
    assert ingester.stats.passes == 1
    assert ingester.stats.tail_passes == 1


def test_a_quick_pass_leaves_new_runs_and_idle_runs_to_the_full_pass(index, logdir):
    scalars(event_file(logdir / "old"), "loss", range(3))
    ingester = index.ingester
    ingester.run_once()
    ingester.run_once()  # nothing new: "old" was not read, so it is not hot any more
    ingester._hot.clear()  # as after hot_seconds without growth
    scalars(event_file(logdir / "new"), "loss", range(2))
    assert ingester.run_tail().bytes_read == 0
    assert [run.name for run in ingester._store.reader().list_runs()] == ["old"]
    ingester.run_once()
    assert _steps(ingester, "new") == [0, 1]


def test_a_quick_pass_skips_a_run_whose_file_vanished(index, logdir):
    path = event_file(logdir / "gone")
    scalars(path, "loss", range(3))
    ingester = index.ingester
    ingester.run_once()
    path.unlink()
    assert ingester.run_tail().bytes_read == 0
    ingester.run_once()  # the full pass notices the removal
    assert ingester._store.reader().list_runs() == []


def test_the_background_loop_picks_up_appends_well_before_the_reload_interval(index, logdir):
    path = event_file(logdir / "live")
    scalars(path, "loss", range(3))
    seen = threading.Event()
    ingester = Ingester(
        index.store,
        [LogdirRoot(str(logdir))],
        options=IngestOptions(reload_interval=30, tail_interval=0.2, progress=False),
        on_data=lambda runs: seen.set(),
    )
    ingester.start()
    try:
        assert seen.wait(10)
        seen.clear()
        scalars(path, "loss", range(3, 5))
        started = time.monotonic()
        assert seen.wait(10)
        assert time.monotonic() - started < 2.0
        assert _steps(ingester, "live") == list(range(5))
    finally:
        ingester.stop()
