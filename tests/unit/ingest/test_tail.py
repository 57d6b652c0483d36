"""Tailing event files: partial records wait, corruption is skipped and counted, replaced files."""

from __future__ import annotations

import os

import numpy as np

from heron.core.values import SeriesKey

from .conftest import append, event_file, flip_byte, replace_atomically, scalars

LOSS = SeriesKey(".", "loss")


def _steps(index, key=LOSS, **options):
    return index.reader.read_scalars([key], **options)[key].steps.tolist()


def test_a_partial_last_record_waits_for_the_rest(index, logdir):
    path = event_file(logdir)
    scalars(path, "loss", range(10))
    complete = path.read_bytes()
    scalars(path, "loss", range(10, 11))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(complete) + 7])  # the writer is mid-flush
    index.ingest()
    assert _steps(index) == list(range(10))
    path.write_bytes(whole)
    index.ingest()
    assert _steps(index) == list(range(11))
    (health,) = index.reader.health().files
    assert (health.offset, health.size, health.corrupt_records) == (len(whole), len(whole), 0)


def test_a_corrupt_record_is_skipped_counted_and_the_rest_loads(index, logdir):
    path = event_file(logdir)
    scalars(path, "loss", range(5))
    before = path.stat().st_size
    scalars(path, "loss", range(5, 10))
    flip_byte(path, before + 14)  # inside the payload of step 5's record
    index.ingest()
    assert _steps(index) == [0, 1, 2, 3, 4, 6, 7, 8, 9]
    (health,) = index.reader.health().files
    assert health.corrupt_records == 1
    assert "corrupt" in health.error
    assert index.reader.health().corrupt_records == 1


def test_a_damaged_length_stops_the_file_and_says_where(index, logdir):
    path = event_file(logdir)
    scalars(path, "loss", range(3))
    damaged_at = path.stat().st_size
    scalars(path, "loss", range(3, 6))
    flip_byte(path, damaged_at + 2)  # inside the length field
    index.ingest()
    assert _steps(index) == [0, 1, 2]
    (health,) = index.reader.health().files
    assert health.offset == damaged_at
    assert f"byte {damaged_at}" in health.error


def test_reopening_an_unchanged_logdir_reads_nothing(index, logdir):
    scalars(event_file(logdir / "a"), "loss", range(100))
    scalars(event_file(logdir / "b"), "loss", range(100))
    first = index.ingest()
    assert first.bytes_read > 0
    assert first.points == 200
    index.reopen()
    again = index.ingest()
    assert (again.bytes_read, again.points, again.runs_read) == (0, 0, 0)
    scalars(next((logdir / "a").iterdir()), "loss", range(100, 110))
    grown = index.ingest()
    assert grown.points == 10
    assert grown.runs_read == 1


def test_a_file_replaced_by_a_longer_copy_continues_from_its_offset(index, logdir):
    path = event_file(logdir)
    scalars(path, "loss", range(50))
    index.ingest()
    size = path.stat().st_size
    content = path.read_bytes()
    scalars(path, "loss", range(50, 60))
    grown = path.read_bytes()
    path.write_bytes(content)
    replace_atomically(path, grown)  # new inode, same name, same first bytes
    stats = index.ingest()
    assert stats.bytes_read == len(grown) - size
    assert _steps(index) == list(range(60))
    assert len(index.reader.read_scalars([LOSS], include_hidden=True)[LOSS]) == 60


def test_a_file_replaced_with_other_content_makes_the_run_read_again(index, logdir):
    path = event_file(logdir)
    scalars(path, "loss", range(50))
    scalars(event_file(logdir, 1_700_000_500), "other", range(5))
    index.ingest()
    fresh = event_file(logdir / "scratch")
    scalars(fresh, "loss", range(20), offset=1000.0)
    replace_atomically(path, fresh.read_bytes())
    fresh.unlink()
    (logdir / "scratch").rmdir()
    index.ingest()
    points = index.reader.read_scalars([LOSS], include_hidden=True)[LOSS]
    assert points.steps.tolist() == list(range(20))
    assert points.values[0] == 1000.0
    assert _steps(index, SeriesKey(".", "other")) == list(range(5))


def test_a_deleted_file_takes_its_points_with_it(index, logdir):
    first = event_file(logdir, 1_700_000_000)
    scalars(first, "loss", range(600))
    second = event_file(logdir, 1_700_000_600)
    scalars(second, "loss", range(400, 800), offset=0.5)
    index.ingest()
    assert len(index.reader.read_scalars([LOSS], include_hidden=True)[LOSS]) == 1000
    second.unlink()
    index.ingest()
    points = index.reader.read_scalars([LOSS], include_hidden=True)[LOSS]
    assert points.steps.tolist() == list(range(600))  # nothing hidden any more
    assert len(index.reader.health().files) == 1


def test_a_deleted_run_disappears(index, logdir):
    scalars(event_file(logdir / "keep"), "loss", range(3))
    gone = event_file(logdir / "gone")
    scalars(gone, "loss", range(3))
    index.ingest()
    assert [r.name for r in index.reader.list_runs()] == ["gone", "keep"]
    gone.unlink()
    os.rmdir(logdir / "gone")
    index.ingest()
    assert [r.name for r in index.reader.list_runs()] == ["keep"]
    assert {s.run for s in index.reader.list_series()} == {"keep"}


def test_files_of_a_run_are_read_in_name_order_whatever_their_age(index, logdir):
    later = event_file(logdir, 1_700_000_600)
    scalars(later, "loss", range(400, 800), offset=0.5)
    earlier = event_file(logdir, 1_700_000_000)
    scalars(earlier, "loss", range(600))
    index.ingest()
    points = index.reader.read_scalars([LOSS])[LOSS]
    assert points.steps.tolist() == list(range(800))
    expected = np.concatenate([np.arange(400.0), np.arange(400, 800) + 0.5])
    np.testing.assert_array_equal(points.values, expected)


def test_appending_in_small_pieces_loses_and_duplicates_nothing(index, logdir):
    path = event_file(logdir)
    for start in range(0, 300, 7):
        scalars(path, "loss", range(start, min(start + 7, 300)))
        index.ingest()
    assert _steps(index) == list(range(300))
    append(path, b"\x00" * 5)  # a torn header: waits
    index.ingest()
    assert _steps(index) == list(range(300))
