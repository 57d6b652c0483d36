"""Which profiler captures an experiment holds: runs, sessions, hosts (from the index's assets).

Ingest indexes profiler files as assets of plugin ``profile`` named by their
path relative to the run (``heron.ingest.profiles``). Two layouts:

* torch: ``<worker>.<id>.pt.trace.json[.gz]`` — each file is a session (named
  by the file without its suffix) with one host, ``worker``;
* TensorFlow / JAX: ``plugins/profile/<session>/<host>.xplane.pb`` and
  ``<host>.trace.json[.gz]`` — a session is a directory, one file per host
  and format.

Both formats are decoded; when a host has both (JAX writes both), the
trace-event file is read (it is what the profiler itself exported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from heron.core.provider import ReadProvider
from heron.errors import NotFoundError

__all__ = ["PLUGIN_NAME", "HostFile", "Session", "find_host", "list_sessions"]

PLUGIN_NAME: Final = "profile"
_TORCH_SUFFIXES: Final = (".pt.trace.json.gz", ".pt.trace.json")
_SESSION_SUFFIXES: Final = (".trace.json.gz", ".trace.json", ".xplane.pb")
_SESSION_PREFIX: Final = "plugins/profile/"


@dataclass(frozen=True, slots=True)
class HostFile:
    """One file of a session: the host (or worker) it describes, and its format."""

    host: str
    format: str  # "trace_json" or "xplane"
    asset: str
    size: int

    @property
    def readable(self) -> bool:
        return self.format in ("trace_json", "xplane")


@dataclass(frozen=True, slots=True)
class Session:
    run: str
    name: str
    hosts: tuple[HostFile, ...]


def _split(name: str) -> tuple[str, str, str] | None:
    """(session, host, format) of an asset name, or ``None`` for a name of no known layout."""
    if name.startswith(_SESSION_PREFIX):
        session, _, file_name = name[len(_SESSION_PREFIX) :].partition("/")
        for suffix in _SESSION_SUFFIXES:
            if file_name.endswith(suffix) and "/" not in file_name:
                kind = "xplane" if suffix == ".xplane.pb" else "trace_json"
                return session, file_name[: -len(suffix)], kind
        return None
    for suffix in _TORCH_SUFFIXES:
        if name.endswith(suffix) and "/" not in name:
            stem = name[: -len(suffix)]
            return stem, stem.partition(".")[0], "trace_json"
    return None


def list_sessions(provider: ReadProvider, *, runs: list[str] | None = None) -> list[Session]:
    """Every session with at least one indexed file, sorted by (run, session)."""
    grouped: dict[tuple[str, str], list[HostFile]] = {}
    for asset in provider.list_assets(PLUGIN_NAME, runs=runs):
        split = _split(asset.name)
        if asset.error is not None or split is None:
            continue
        session, host, kind = split
        grouped.setdefault((asset.run, session), []).append(
            HostFile(host, kind, asset.name, asset.size)
        )
    return [
        Session(run, name, tuple(sorted(files, key=lambda f: (f.host, f.format))))
        for (run, name), files in sorted(grouped.items())
    ]


def find_host(
    provider: ReadProvider, run: str, session: str, host: str | None, *, format: str | None = None
) -> HostFile:
    """The file of (run, session, host) to read: the first host when ``host`` is None, and of a
    host's files the trace-event one before the XSpace one."""
    for found in list_sessions(provider, runs=[run]):
        if found.name != session:
            continue
        files = [
            f
            for f in found.hosts
            if f.readable
            and (host is None or f.host == host)
            and (format is None or f.format == format)
        ]
        files.sort(key=lambda f: (f.host, f.format != "trace_json"))
        if files:
            return files[0]
        raise NotFoundError(
            f"no readable trace of host {host!r} (format {format!r}) in session {session!r}"
        )
    raise NotFoundError(f"no profile session {session!r} in run {run!r}")
