"""heron serve's start-up: listings built before the first requests, the ingester started later."""

from __future__ import annotations

import threading
import time

from heron.cli.startup import DeferredIngest, warm_up
from heron.core.values import DataClass, Run
from heron.storage import CommitBatch, NewRun, NewSeries, open_store


class _FakeIngester:
    def __init__(self) -> None:
        self.started = threading.Event()
        self.stopped = False

    def start(self) -> None:
        self.started.set()

    def stop(self) -> None:
        self.stopped = True


def test_the_ingester_starts_after_the_delay_and_stops_with_the_server():
    made = _FakeIngester()
    ingest = DeferredIngest(lambda: made, delay=0.05)
    began = time.monotonic()
    ingest.start()
    assert made.started.wait(5)
    assert time.monotonic() - began >= 0.05
    assert ingest.ingester is made
    ingest.stop()
    assert made.stopped


def test_a_stop_during_the_delay_never_makes_the_ingester():
    calls: list[int] = []
    ingest = DeferredIngest(lambda: calls.append(1), delay=30.0)
    began = time.monotonic()
    ingest.start()
    ingest.stop()
    assert time.monotonic() - began < 5
    assert calls == []
    DeferredIngest(lambda: calls.append(1), delay=0.0).stop()
    assert calls == []  # never started


def test_warm_up_reports_the_indexed_runs_and_fills_the_listings(tmp_path):
    store = open_store(f"sqlite:{tmp_path / 'index.sqlite'}", experiment=str(tmp_path))
    try:
        store.commit(
            CommitBatch(
                runs=(NewRun(1, "b"), NewRun(2, "a")),
                series=(NewSeries(3, 1, "loss", "scalars", DataClass.SCALAR),),
            )
        )
        indexed: list[Run] = []
        warm_up(store.reader(), indexed).join()
        assert [run.name for run in indexed] == ["a", "b"]
        listed = store.reader().list_series()
        assert listed[0] is store.reader().list_series()[0]  # kept by the reader
    finally:
        store.close()
