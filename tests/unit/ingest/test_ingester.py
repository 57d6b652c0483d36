"""Many small runs: grouped into tasks, merged into few transactions, still exact and resumable."""

from __future__ import annotations

from heron.core.values import SeriesKey
from heron.ingest import Ingester, IngestOptions, LogdirRoot
from heron.ingest.ingester import _GROUP_RUNS, _groups
from heron.storage import open_store

from .conftest import Index, event_file, replace_atomically, scalars


def _many_runs(logdir, count: int, steps: int = 5) -> None:
    for run in range(count):
        scalars(event_file(logdir / f"sweep{run // 10}" / f"run{run}"), "loss", range(steps))


def _counting(store):
    commits = []
    commit = store.commit

    def counted(batch):
        commits.append(batch)
        commit(batch)

    store.commit = counted
    return commits


def test_many_small_runs_are_committed_in_a_few_transactions(index, logdir):
    _many_runs(logdir, 300)
    commits = _counting(index.store)
    stats = index.ingest()
    assert stats.points == 300 * 5
    assert len(commits) <= 10  # one per group of runs (and the pass marker), not one per run
    keys = [SeriesKey(f"sweep{run // 10}/run{run}", "loss") for run in range(300)]
    read = index.reader.read_scalars(keys)
    assert all(read[key].steps.tolist() == list(range(5)) for key in keys)
    assert set().union(*index.notified) == {key.run for key in keys}


def test_two_workers_read_many_small_runs_exactly(logdir, tmp_path):
    _many_runs(logdir, 2 * _GROUP_RUNS + 7, steps=3)
    store = open_store(f"sqlite:{tmp_path / 'index.sqlite'}", experiment=str(logdir))
    try:
        ingester = Ingester(
            store,
            [LogdirRoot(str(logdir))],
            options=IngestOptions(reload_interval=0, progress=False, workers=2),
        )
        assert ingester.run_once().points == (2 * _GROUP_RUNS + 7) * 3
        health = store.reader().health()
        assert len(health.files) == 2 * _GROUP_RUNS + 7
        assert all(f.offset == f.size and f.corrupt_records == 0 for f in health.files)
    finally:
        store.close()


def test_a_run_read_again_beside_runs_that_grew_in_the_same_group(index, logdir):
    _many_runs(logdir, 20)
    index.ingest()
    rewritten = logdir / "sweep0" / "run3"
    (path,) = rewritten.iterdir()
    fresh = event_file(logdir.parent / "scratch")
    scalars(fresh, "loss", range(2), offset=1000.0)
    replace_atomically(path, fresh.read_bytes())
    for run in (2, 4, 15):
        (grown,) = (logdir / f"sweep{run // 10}" / f"run{run}").iterdir()
        scalars(grown, "loss", range(5, 8))
    index.ingest()
    index.reopen()  # what a new process sees
    read = index.reader.read_scalars([SeriesKey("sweep0/run3", "loss")], include_hidden=True)
    points = read[SeriesKey("sweep0/run3", "loss")]
    assert points.steps.tolist() == [0, 1]
    assert points.values[0] == 1000.0
    for run in (2, 4, 15):
        key = SeriesKey(f"sweep{run // 10}/run{run}", "loss")
        assert index.reader.read_scalars([key])[key].steps.tolist() == list(range(8))
    assert index.ingest().runs_read == 0


def test_groups_bound_new_data_and_run_count_and_keep_run_order():
    work = [(f"run{i}", i) for i in range(300)]
    sizes = {5: 2 << 20, 6: 600_000, 7: 600_000}
    groups = _groups(work, lambda run, index: sizes.get(index, 10))  # type: ignore[arg-type]
    assert [item for group in groups for item in group] == work
    assert all(len(group) <= _GROUP_RUNS for group in groups)
    assert [len(group) for group in groups[:3]] == [5, 1, 2]  # a large run has its own task
    assert len(groups[3]) == _GROUP_RUNS


def test_a_reopened_index_resumes_where_the_merged_commits_left_off(logdir, tmp_path):
    _many_runs(logdir, 50)
    index = Index(logdir, tmp_path / "index.sqlite")
    try:
        index.ingest()
        for run in range(0, 50, 7):
            (path,) = (logdir / f"sweep{run // 10}" / f"run{run}").iterdir()
            scalars(path, "loss", range(5, 6))
        index.reopen()
        stats = index.ingest()
        assert (stats.runs_read, stats.points) == (8, 8)
    finally:
        index.close()


def test_a_restart_loads_the_series_of_the_runs_it_reads_only(logdir, tmp_path):
    _many_runs(logdir, 30)
    index = Index(logdir, tmp_path / "index.sqlite")
    try:
        index.ingest()
        grown = logdir / "sweep1" / "run12"
        (path,) = grown.iterdir()
        scalars(path, "loss", range(5, 7))
        scalars(path, "acc", range(2))
        index.reopen()
        asked: list[list[int]] = []
        load_series = index.store.load_series
        index.store.load_series = lambda run_ids: (
            asked.append(sorted(run_ids)) or load_series(run_ids)
        )
        assert index.ingest().points == 4
        assert asked == [[index.store.load_state().runs["sweep1/run12"]]]
        read = index.reader.read_scalars([SeriesKey("sweep1/run12", "loss")])
        assert read[SeriesKey("sweep1/run12", "loss")].steps.tolist() == list(range(7))
        assert len(index.reader.list_series(runs=["sweep1/run12"])) == 2
        assert index.ingest().points == 0
        assert len(asked) == 1  # loaded once, kept in memory after
    finally:
        index.close()
