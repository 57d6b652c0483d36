"""Discovery and indexing of profiler files: both layouts, the logdir boundary, changes."""

from __future__ import annotations

import os

from heron.ingest.discovery import Discoverer, LogdirRoot
from heron.ingest.profiles import PLUGIN_NAME, ProfileTracker


def _touch(path, data=b"[]"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_torch_files_and_plugin_sessions_are_found_under_their_runs(tmp_path):
    logs = tmp_path / "logs"
    _touch(logs / "a" / "w0.1.pt.trace.json.gz")
    _touch(logs / "a" / "notes.trace.json")  # not torch's name, not in a session folder
    _touch(logs / "b" / "plugins" / "profile" / "s1" / "host.xplane.pb")
    _touch(logs / "b" / "plugins" / "profile" / "s1" / "host.trace.json.gz")
    _touch(logs / "plugins" / "profile" / "s0" / "h.xplane.pb")
    discoverer = Discoverer([LogdirRoot(str(logs))])
    discoverer.scan()
    found = {run: [name for name, _ in f.files] for run, f in discoverer.profile_files.items()}
    assert found == {
        ".": ["plugins/profile/s0/h.xplane.pb"],
        "a": ["w0.1.pt.trace.json.gz"],
        "b": ["plugins/profile/s1/host.trace.json.gz", "plugins/profile/s1/host.xplane.pb"],
    }


def test_logdir_spec_names_prefix_profile_runs(tmp_path):
    _touch(tmp_path / "x" / "r" / "w.1.pt.trace.json")
    discoverer = Discoverer([LogdirRoot(str(tmp_path / "x"), "exp")])
    discoverer.scan()
    assert list(discoverer.profile_files) == ["exp/r"]


def test_a_file_resolving_outside_the_logdir_is_refused(tmp_path):
    logs = tmp_path / "logs"
    outside = _touch(tmp_path / "secret.pt.trace.json")
    (logs / "a").mkdir(parents=True)
    os.symlink(outside, logs / "a" / "link.pt.trace.json")
    inside = _touch(logs / "a" / "ok.pt.trace.json")
    discoverer = Discoverer([LogdirRoot(str(logs))])
    discoverer.scan()
    (changes,) = ProfileTracker({}).changes(discoverer.profile_files)
    rows = {row.name: row for row in changes.assets}
    assert rows["link.pt.trace.json"].error == "it resolves outside the logdir"
    assert rows["ok.pt.trace.json"].error is None
    assert rows["ok.pt.trace.json"].path == os.path.realpath(inside)
    assert changes.plugin_name == PLUGIN_NAME


def test_rows_change_only_when_files_do(tmp_path):
    logs = tmp_path / "logs"
    trace = _touch(logs / "a" / "w.1.pt.trace.json")
    discoverer = Discoverer([LogdirRoot(str(logs))])
    tracker = ProfileTracker({})
    discoverer.scan()
    assert len(tracker.changes(discoverer.profile_files)) == 1
    discoverer.scan()
    assert tracker.changes(discoverer.profile_files) == []
    trace.write_bytes(b"[{}]")
    discoverer.scan()
    (grown,) = tracker.changes(discoverer.profile_files)
    assert grown.assets[0].size == 4
    trace.unlink()
    discoverer.scan()
    (removed,) = tracker.changes(discoverer.profile_files)
    assert (removed.run, removed.assets) == ("a", ())
