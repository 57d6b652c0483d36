"""Runs as TensorBoard defines them, found without re-listing directories that did not change."""

from __future__ import annotations

import os

import pytest

from heron.errors import InvalidArgumentError
from heron.ingest.discovery import RECENT_SECONDS, Discoverer, LogdirRoot, parse_logdir_spec

from .conftest import event_file


class Clock:
    """Discovery trusts a directory listing only once its mtime is old enough."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _discoverer(*roots, clock=None):
    return Discoverer([LogdirRoot(str(r)) for r in roots], clock=clock or Clock())


def test_runs_are_directories_directly_holding_event_files(logdir):
    event_file(logdir)
    event_file(logdir / "a" / "train")
    event_file(logdir / "a" / "eval")
    (logdir / "empty" / "deeper").mkdir(parents=True)
    (logdir / "notes").mkdir()
    (logdir / "notes" / "readme.txt").write_text("not an event file")
    runs = _discoverer(logdir).scan()
    assert list(runs) == [".", "a/eval", "a/train"]
    assert runs["a/train"].directory == str(logdir / "a" / "train")


def test_files_are_listed_in_name_order_and_profile_markers_are_not_read(logdir):
    second = event_file(logdir / "run", 1_700_000_200)
    first = event_file(logdir / "run", 1_700_000_100)
    (logdir / "run" / "events.out.tfevents.1700000300.host.profile-empty").write_bytes(b"")
    (logdir / "profiled").mkdir()
    (logdir / "profiled" / "events.out.tfevents.1700000300.host.profile-empty").write_bytes(b"")
    runs = _discoverer(logdir).scan()
    assert [f.path for f in runs["run"].files] == [str(first), str(second)]
    assert runs["profiled"].files == ()


def test_symlink_loops_end_and_a_directory_reached_twice_is_one_run(logdir):
    event_file(logdir / "real")
    os.symlink(logdir, logdir / "real" / "loop")
    os.symlink(logdir / "real", logdir / "alias")
    runs = _discoverer(logdir).scan()
    assert list(runs) == ["alias"]  # "alias" sorts first; "real" is the same directory


def test_a_directory_reached_only_through_a_symlink_is_a_run(logdir, tmp_path):
    event_file(tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", logdir / "linked")
    assert list(_discoverer(logdir).scan()) == ["linked"]


def test_unchanged_directories_are_not_listed_again(logdir):
    for i in range(20):
        event_file(logdir / f"run{i:02d}")
    clock = Clock()
    clock.now = os.stat(logdir).st_mtime + RECENT_SECONDS + 1
    discoverer = _discoverer(logdir, clock=clock)
    assert len(discoverer.scan()) == 20
    assert discoverer.stats.directories_listed == 21
    assert len(discoverer.scan()) == 20
    assert discoverer.stats.directories_listed == 0
    assert discoverer.stats.files_checked == 20  # file sizes are still checked each pass
    event_file(logdir / "run05", 1_800_000_000)
    os.utime(logdir / "run05", (clock.now - 100, clock.now - 100))
    runs = discoverer.scan()
    assert discoverer.stats.directories_listed == 1
    assert len(runs["run05"].files) == 2


def test_a_directory_modified_just_before_it_was_listed_is_listed_again(logdir):
    event_file(logdir / "run")
    clock = Clock()
    clock.now = os.stat(logdir / "run").st_mtime + RECENT_SECONDS / 2
    discoverer = _discoverer(logdir, clock=clock)
    discoverer.scan()
    discoverer.scan()
    assert discoverer.stats.directories_listed >= 1


def test_deleted_runs_and_files_vanish_from_the_next_scan(logdir):
    keep = event_file(logdir / "keep")
    gone = event_file(logdir / "gone")
    discoverer = _discoverer(logdir)
    assert set(discoverer.scan()) == {"keep", "gone"}
    gone.unlink()
    (logdir / "gone").rmdir()
    assert set(discoverer.scan()) == {"keep"}
    keep.unlink()
    assert discoverer.scan() == {}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("a:/x,b:/y", [("/x", "a"), ("/y", "b")]),
        ("/abs/path", [("/abs/path", None)]),
        ("gs://bucket/logs", [("gs://bucket/logs", None)]),
        ("exp:s3://bucket/logs/", [("s3://bucket/logs", "exp")]),
        ("train:rel/dir", [(os.path.abspath("rel/dir"), "train")]),
        ("plain", [(os.path.abspath("plain"), None)]),
        (" a:/x , ", [("/x", "a")]),
    ],
)
def test_logdir_spec_is_parsed_as_tensorboard_does(spec, expected):
    assert [(r.path, r.name) for r in parse_logdir_spec(spec)] == expected


@pytest.mark.parametrize("spec", ["", ",", "name:"])
def test_an_empty_logdir_spec_is_invalid(spec):
    with pytest.raises(InvalidArgumentError):
        parse_logdir_spec(spec)


def test_named_roots_prefix_their_run_names(tmp_path):
    event_file(tmp_path / "x")
    event_file(tmp_path / "y" / "sub")
    roots = parse_logdir_spec(f"a:{tmp_path / 'x'},b:{tmp_path / 'y'}")
    assert list(Discoverer(roots).scan()) == ["a/.", "b/sub"]


def test_rsyncs_hidden_temporary_copy_is_not_read(logdir):
    real = event_file(logdir / "run")
    temporary = real.with_name(f".{real.name}.Xa3bQz")
    temporary.write_bytes(real.read_bytes())
    listing = _discoverer(logdir).scan()["run"]
    assert [f.path for f in listing.files] == [str(real)]
