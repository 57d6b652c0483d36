"""kill -9 at any moment, then restart: exactly the data of an uninterrupted ingest."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest

from heron.ingest import EventFileRecords
from heron.storage import open_store

from ._ingest_helpers import append_scalars, dump, write_mixed_logdir

INGEST = """
import sys
from heron.ingest import BatchLimits, EventFileRecords, Ingester, IngestOptions, LogdirRoot
from heron.storage import open_store

logdir, db, points = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store("sqlite:" + db, experiment=logdir, records=EventFileRecords())
options = IngestOptions(reload_interval=0, progress=False, limits=BatchLimits(points=points))
Ingester(store, [LogdirRoot(logdir)], options=options).run_once()
store.close()
"""
MAX_ATTEMPTS = 15


def _ingest(logdir, db, points=500):
    return subprocess.Popen(
        [sys.executable, "-c", INGEST, str(logdir), str(db), str(points)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _finish(process, logdir, db):
    """Run an ingest to its end; on failure, rerun it to show its error."""
    if process.wait(timeout=120) != 0:
        rerun = subprocess.run(
            [sys.executable, "-c", INGEST, str(logdir), str(db), "500"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        raise AssertionError(f"ingest failed: {rerun.stderr}")


def _contents(logdir, db):
    store = open_store(f"sqlite:{db}", experiment=str(logdir), records=EventFileRecords())
    try:
        return dump(store.reader())
    finally:
        store.close()


def _kill_until_done(logdir, db, rng, duration, *, between=None):
    """Start ingests and SIGKILL them at random moments until one finishes; count the kills."""
    kills = 0
    for attempt in range(MAX_ATTEMPTS):
        process = _ingest(logdir, db)
        try:
            process.wait(timeout=rng.uniform(0.1, duration))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            if between is not None:
                between(attempt)
            continue
        _finish(process, logdir, db)
        return kills
    _finish(_ingest(logdir, db), logdir, db)
    return kills


def _interrupted_index(tmp_path, logdir, rng, duration, *, between=None):
    """An index built by kill-until-done in which at least three kills landed mid-ingest.

    On a shared machine an ingest can outrun the random kill times; such a try
    proves nothing, so it is repeated on a fresh index with earlier kill times.
    """
    for attempt in range(3):
        db = tmp_path / f"interrupted-{attempt}.sqlite"
        if _kill_until_done(logdir, db, rng, duration / 2**attempt, between=between) >= 3:
            return db
    pytest.fail("no kill landed while ingesting in 3 tries: the test proved nothing")


@pytest.mark.slow
def test_killing_ingest_at_random_moments_loses_and_duplicates_nothing(tmp_path):
    logdir = tmp_path / "logs"
    write_mixed_logdir(logdir, runs=4, steps=2000)
    reference = tmp_path / "reference.sqlite"
    started = time.monotonic()
    _finish(_ingest(logdir, reference), logdir, reference)
    duration = time.monotonic() - started

    interrupted = _interrupted_index(tmp_path, logdir, random.Random(4), duration)
    assert _contents(logdir, interrupted) == _contents(logdir, reference)


@pytest.mark.slow
def test_killing_ingest_while_the_logs_grow_and_restart_loses_nothing(tmp_path):
    """Between kills, training goes on: files grow, and runs restart from an earlier step.

    Only each run's newest file grows, as with a real writer: the restart rule
    follows write order, and files of one run written at the same time have none.
    """
    logdir = tmp_path / "logs"
    write_mixed_logdir(logdir, runs=3, steps=1200)
    started = time.monotonic()
    _finish(_ingest(logdir, tmp_path / "timing.sqlite"), logdir, tmp_path / "timing.sqlite")
    duration = time.monotonic() - started
    growing = [sorted(run.iterdir())[-1] for run in sorted(logdir.glob("*/*"))]

    def grow(attempt):
        path = growing[attempt % len(growing)]
        first = 2500 + attempt * 50 - (300 if attempt % 3 == 0 else 0)  # sometimes a restart
        append_scalars(path, "loss", range(first, first + 200))

    interrupted = _interrupted_index(tmp_path, logdir, random.Random(7), duration, between=grow)
    reference = tmp_path / "reference.sqlite"
    _finish(_ingest(logdir, reference), logdir, reference)
    assert _contents(logdir, interrupted) == _contents(logdir, reference)
