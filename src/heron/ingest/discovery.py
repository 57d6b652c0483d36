"""Finding runs and their event files, as TensorBoard defines them, without re-walking everything.

A *run* is a directory that directly holds at least one file whose name
contains ``tfevents``; it is named by its path relative to the logdir (``.``
for the logdir itself). With ``--logdir_spec name:path,...`` run names get
the ``name/`` prefix (so the spec directory itself is ``name/.``), as in
TensorBoard. Directories are walked recursively, following symlinks; a
directory reached twice (a symlink loop, or two links to one place) is read
once.

**Change detection.** Listing 100,000 directories on every reload would take
seconds, so each directory's listing is remembered with its modification
time, and on the next pass a directory is listed again only if its mtime
changed. Limits of this, by design:

* creating, deleting or renaming an entry changes its parent directory's
  mtime; appending to a file does not, so every event file is still
  ``stat``-ed each pass (its size tells the tailer whether it grew);
* some filesystems keep mtimes with a coarse granularity (1-2 s on FAT and
  some network filesystems). A directory whose mtime is within
  ``RECENT_SECONDS`` of the moment it was listed is not trusted and is listed
  again next pass, so an entry added in the same tick is not missed;
* NFS clients cache attributes; a change may show up one attribute-cache
  period late. Nothing is lost: it shows up on a later pass.

**Projector configs.** The same walk notices ``projector_config.pbtxt``
files, where TensorBoard's projector looks for them: in each run directory,
in its ``plugins/org_tensorflow_tensorboard_projector/`` folder, and in the
logdir itself even when it holds no event file (the run ``.``). A directory
holding only a config, anywhere else, is not a run (as in TensorBoard).

**Profiler files.** The walk also notices what profilers write: torch's
``*.pt.trace.json[.gz]`` in any directory (that directory is the run), and
every ``*.xplane.pb`` / ``*.trace.json[.gz]`` in ``<run>/plugins/profile/<session>/``
(TensorFlow's and JAX's layout; the run is ``<run>``). See ``heron.ingest.profiles``.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from heron.errors import InvalidArgumentError
from heron.formats.events import is_event_file, is_summary_event_file

__all__ = [
    "PROFILE_DIR",
    "PROJECTOR_CONFIG",
    "PROJECTOR_PLUGIN_DIR",
    "RECENT_SECONDS",
    "ConfigFiles",
    "Discoverer",
    "DiscoveryStats",
    "EventFile",
    "LogdirRoot",
    "ProfileFiles",
    "RunListing",
    "parse_logdir_spec",
    "restat",
]

#: A directory modified this recently before being listed is listed again next pass.
RECENT_SECONDS: Final = 2.0
#: The projector's config file name, and the plugin-assets folder (under a run) that may hold it.
PROJECTOR_CONFIG: Final = "projector_config.pbtxt"
_PLUGINS_FOLDER: Final = "plugins"
PROJECTOR_PLUGIN_DIR: Final = os.path.join(_PLUGINS_FOLDER, "org_tensorflow_tensorboard_projector")
#: Where TensorFlow's and JAX's profilers write sessions, under a run.
PROFILE_DIR: Final = os.path.join(_PLUGINS_FOLDER, "profile")
_TORCH_TRACE_SUFFIXES: Final = (".pt.trace.json", ".pt.trace.json.gz")
_SESSION_SUFFIXES: Final = (".xplane.pb", ".trace.json", ".trace.json.gz")
_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# "C:\\logs" is a drive, not a run named "C"; "a:/x" is run "a" (a one-letter name).
_WINDOWS_DRIVE: Final = re.compile(r"^[A-Za-z]:\\")


@dataclass(frozen=True, slots=True)
class LogdirRoot:
    """A directory to walk; ``name`` prefixes its run names (``--logdir_spec``)."""

    path: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class EventFile:
    path: str
    size: int
    device: int
    inode: int

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


@dataclass(frozen=True, slots=True)
class RunListing:
    """A run and its summary event files in name (= chronological) order.

    ``.profile-empty`` files make a directory a run but hold no summaries,
    so they are not listed here.
    """

    name: str
    directory: str
    files: tuple[EventFile, ...]


@dataclass(frozen=True, slots=True)
class ConfigFiles:
    """The projector config files of one run, the preferred one first.

    ``root`` is the logdir (or ``--logdir_spec`` directory) the run was found
    in: every file a config names must resolve inside it (or inside the
    directory the config was found in; see ``heron.ingest.projector``).
    """

    run: str
    root: str
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProfileFiles:
    """One run's profiler files: (asset name = path relative to the run, path), by name.

    ``root`` is the logdir (or ``--logdir_spec`` directory) they were found
    in: a file is indexed only if it resolves inside it.
    """

    run: str
    root: str
    files: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class DiscoveryStats:
    """Work done by the last pass (tests and benchmarks read it)."""

    directories: int = 0
    directories_listed: int = 0
    files_checked: int = 0


@dataclass(frozen=True, slots=True)
class _Listing:
    mtime_ns: int
    trusted: bool
    subdirectories: tuple[str, ...]
    event_files: tuple[str, ...]
    has_projector_config: bool = False
    profile_files: tuple[str, ...] = ()


def parse_logdir_spec(spec: str) -> list[LogdirRoot]:
    """``"name:path,path2,..."`` as TensorBoard's ``--logdir_spec`` reads it.

    An entry's name is the text before its first ``:``, unless the entry is an
    absolute path, a URL (``scheme://``) or a Windows drive path; then it has
    no name and its runs are named by their relative paths only.
    """
    roots = []
    for entry in (e.strip() for e in spec.split(",")):
        if not entry:
            continue
        name: str | None = None
        path = entry
        if not (entry.startswith("/") or _SCHEME.match(entry) or _WINDOWS_DRIVE.match(entry)):
            head, colon, tail = entry.partition(":")
            if colon:
                name, path = head, tail
        if not path:
            raise InvalidArgumentError(f"--logdir_spec entry {entry!r} has no path")
        if _SCHEME.match(path):
            roots.append(LogdirRoot(path.rstrip("/"), name))
        else:
            roots.append(LogdirRoot(os.path.abspath(os.path.expanduser(path)), name))
    if not roots:
        raise InvalidArgumentError("--logdir_spec names no directory")
    return roots


class Discoverer:
    """Walks the roots; each ``scan()`` returns every run, re-listing only changed directories."""

    def __init__(
        self, roots: Sequence[LogdirRoot], *, clock: Callable[[], float] = time.time
    ) -> None:
        self._roots = list(roots)
        self._clock = clock
        self._listings: dict[str, _Listing] = {}
        self.stats = DiscoveryStats()
        #: Projector config files by run, as found by the last ``scan()``.
        self.projector_configs: dict[str, ConfigFiles] = {}
        #: Profiler files by run, as found by the last ``scan()``.
        self.profile_files: dict[str, ProfileFiles] = {}

    def scan(self) -> dict[str, RunListing]:
        """Runs by name, sorted by name. A run present in two roots keeps the first."""
        self.stats = DiscoveryStats()
        visited: set[tuple[int, int]] = set()
        listings: dict[str, _Listing] = {}
        runs: dict[str, RunListing] = {}
        configs: dict[str, ConfigFiles] = {}
        profiles: dict[str, tuple[str, dict[str, str]]] = {}
        for root in self._roots:
            # Walked paths are the root joined with entry names, so the run name is a
            # slice of the path (``os.path.relpath`` costs ~15 us a call: 75 ms at 5,000 runs).
            prefix = len(os.path.join(root.path, ""))
            for directory, listing in self._walk(root.path, visited, listings):
                if listing.profile_files:
                    _add_profile_files(profiles, root, directory, listing.profile_files)
                if not listing.event_files and directory != root.path:
                    continue
                relative = "." if directory == root.path else directory[prefix:]
                if os.sep != "/":
                    relative = relative.replace(os.sep, "/")
                name = relative if root.name is None else posixpath.join(root.name, relative)
                found = _projector_configs(directory, listing, listings)
                if found and name not in configs:
                    configs[name] = ConfigFiles(name, root.path, found)
                if listing.event_files and name not in runs:
                    runs[name] = RunListing(name, directory, self._stat_files(directory, listing))
        self._listings = listings
        self.projector_configs = dict(sorted(configs.items()))
        self.profile_files = {
            run: ProfileFiles(run, root_path, tuple(sorted(files.items())))
            for run, (root_path, files) in sorted(profiles.items())
        }
        return dict(sorted(runs.items()))

    def _walk(
        self, top: str, visited: set[tuple[int, int]], listings: dict[str, _Listing]
    ) -> list[tuple[str, _Listing]]:
        found = []
        stack = [top]
        while stack:
            directory = stack.pop()
            try:
                status = os.stat(directory)
            except OSError:
                continue
            identity = (status.st_dev, status.st_ino)
            if identity in visited:
                continue
            visited.add(identity)
            self.stats.directories += 1
            listing = self._listings.get(directory)
            if listing is None or not listing.trusted or listing.mtime_ns != status.st_mtime_ns:
                listing = self._list(directory, status.st_mtime_ns)
                if listing is None:
                    continue
            listings[directory] = listing
            found.append((directory, listing))
            # Reverse, so that popping from the stack visits subdirectories in name order.
            stack.extend(os.path.join(directory, d) for d in reversed(listing.subdirectories))
        return found

    def _list(self, directory: str, mtime_ns: int) -> _Listing | None:
        listed_at = self._clock()
        try:
            with os.scandir(directory) as entries:
                subdirectories, event_files = [], []
                has_projector_config = False
                profile_files = []
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=True):
                            subdirectories.append(entry.name)
                            continue
                    except OSError:
                        continue
                    if is_event_file(entry.name):
                        event_files.append(entry.name)
                    elif entry.name == PROJECTOR_CONFIG:
                        has_projector_config = True
                    elif entry.name.endswith(_SESSION_SUFFIXES):
                        profile_files.append(entry.name)
        except OSError:
            return None
        self.stats.directories_listed += 1
        return _Listing(
            mtime_ns=mtime_ns,
            trusted=listed_at - mtime_ns / 1e9 > RECENT_SECONDS,
            subdirectories=tuple(sorted(subdirectories)),
            event_files=tuple(sorted(event_files)),
            has_projector_config=has_projector_config,
            profile_files=tuple(sorted(profile_files)),
        )

    def _stat_files(self, directory: str, listing: _Listing) -> tuple[EventFile, ...]:
        files = []
        for name in listing.event_files:
            if not is_summary_event_file(name):
                continue
            path = os.path.join(directory, name)
            self.stats.files_checked += 1
            try:
                status = os.stat(path)
            except OSError:  # deleted since the listing: the next pass re-lists
                continue
            files.append(EventFile(path, status.st_size, status.st_dev, status.st_ino))
        return tuple(files)


def restat(listing: RunListing) -> RunListing | None:
    """``listing`` with each file's size and identity read again; ``None`` if a file is gone.

    For quick passes over runs being written to: one ``stat`` per known file,
    no directory listing (new files wait for the next full discovery).
    """
    files = []
    for known in listing.files:
        try:
            status = os.stat(known.path)
        except OSError:
            return None
        files.append(EventFile(known.path, status.st_size, status.st_dev, status.st_ino))
    return dataclasses.replace(listing, files=tuple(files))


def _projector_configs(
    directory: str, own: _Listing, listings: dict[str, _Listing]
) -> tuple[str, ...]:
    """A run directory's projector configs: the plugin-assets one first, as TensorBoard prefers."""
    if not own.has_projector_config and _PLUGINS_FOLDER not in own.subdirectories:
        return ()  # the common case, without building two paths per run
    found = []
    for folder in (os.path.join(directory, PROJECTOR_PLUGIN_DIR), directory):
        listing = listings.get(folder)
        if listing is not None and listing.has_projector_config:
            found.append(os.path.join(folder, PROJECTOR_CONFIG))
    return tuple(found)


def _add_profile_files(
    profiles: dict[str, tuple[str, dict[str, str]]],
    root: LogdirRoot,
    directory: str,
    names: Sequence[str],
) -> None:
    """Record a directory's profiler files under their run, by asset name."""
    parent, session = os.path.split(directory)
    in_session = parent.endswith(os.sep + PROFILE_DIR) and len(parent) - len(PROFILE_DIR) > len(
        root.path
    )
    if in_session:
        run_directory = parent[: -len(PROFILE_DIR) - 1]
        wanted = [(posixpath.join("plugins", "profile", session, n), n) for n in names]
    else:
        run_directory = directory
        wanted = [(n, n) for n in names if n.endswith(_TORCH_TRACE_SUFFIXES)]
    if not wanted:
        return
    if run_directory == root.path:
        relative = "."
    else:
        relative = run_directory[len(os.path.join(root.path, "")) :].replace(os.sep, "/")
    name = relative if root.name is None else posixpath.join(root.name, relative)
    found_in, files = profiles.setdefault(name, (root.path, {}))
    if found_in != root.path:
        return  # a run present in two roots keeps the first
    for asset, file_name in wanted:
        files.setdefault(asset, os.path.join(directory, file_name))
