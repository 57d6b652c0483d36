"""Profiler captures as assets of plugin ``profile``, kept in step with their files.

Profilers write files, not events: ``torch.profiler``'s
``tensorboard_trace_handler`` writes ``<run>/<worker>.<id>.pt.trace.json[.gz]``;
TensorFlow and JAX write ``<run>/plugins/profile/<session>/<host>.xplane.pb``
(and, for JAX, ``<host>.trace.json.gz``). Discovery finds them
(``Discoverer.profile_files``); this module turns each run's files into
``AssetRow`` s **by reference**, named by their path relative to the run
(``worker0.1.pt.trace.json.gz``, ``plugins/profile/2024_01_01/host.xplane.pb``),
so the plugin reads bytes by (plugin, run, name) and never by a path.

The safety rule is the projector's: a file is indexed only if its real path
(symlinks resolved) lies inside the logdir root it was found under; anything
else becomes a refused row with an ``error``. A run's rows are rebuilt only
when its listing or a file's version (device, inode, size, mtime) changed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

from heron.ingest.discovery import ProfileFiles
from heron.storage.batch import AssetRow, AssetSet

__all__ = ["PLUGIN_NAME", "ProfileTracker", "media_type_of"]

PLUGIN_NAME: Final = "profile"


def media_type_of(name: str) -> str:
    """What a profiler file holds, by its name (the plugin dispatches on it)."""
    if name.endswith(".gz"):
        return "application/gzip"
    if name.endswith(".json"):
        return "application/json"
    return "application/x-protobuf"


def _row(name: str, path: str, boundary: str) -> AssetRow:
    real = os.path.realpath(path)
    if not (real == boundary or real.startswith(boundary + os.sep)):
        return AssetRow(
            name=name,
            media_type=media_type_of(name),
            path=os.path.abspath(path),
            error="it resolves outside the logdir",
        )
    try:
        status = os.stat(real)
    except OSError as error:
        return AssetRow(
            name=name, media_type=media_type_of(name), path=real, error=f"unreadable: {error}"
        )
    return AssetRow(
        name=name,
        media_type=media_type_of(name),
        path=real,
        size=status.st_size,
        mtime_ns=status.st_mtime_ns,
        device=status.st_dev,
        inode=status.st_ino,
    )


def _version(path: str) -> tuple[int, int, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


class ProfileTracker:
    """The profile assets the store holds, and the file versions they were built from."""

    def __init__(self, stored: Mapping[tuple[str, str], tuple[AssetRow, ...]]) -> None:
        self._stored = {
            run: rows for (plugin, run), rows in stored.items() if plugin == PLUGIN_NAME
        }
        self._built: dict[str, tuple[ProfileFiles, tuple[object, ...]]] = {}

    def changes(self, found: Mapping[str, ProfileFiles]) -> list[AssetSet]:
        """The asset sets that bring the store in line with ``found`` (to be committed)."""
        changed: list[AssetSet] = []
        for run in sorted(set(self._stored) - set(found)):
            changed.append(AssetSet(PLUGIN_NAME, run, ()))
            del self._stored[run]
            self._built.pop(run, None)
        for run, files in found.items():
            versions = tuple(_version(path) for _, path in files.files)
            if self._built.get(run) == (files, versions):
                continue
            self._built[run] = (files, versions)
            boundary = os.path.realpath(files.root)
            rows = tuple(_row(name, path, boundary) for name, path in files.files)
            if self._stored.get(run) != rows:
                changed.append(AssetSet(PLUGIN_NAME, run, rows))
                self._stored[run] = rows
        return changed
