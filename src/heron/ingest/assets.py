"""Keeping the projector's assets in step with their files, pass after pass, cheaply.

Each pass gets the runs that have projector configs from discovery. A run's
assets are built again (config parsed, named files resolved and checked)
only when one of its inputs changed: a config or a named file got another
version (device, inode, size or mtime — a ``stat`` each), appeared or
disappeared. Rebuilt rows that equal the stored ones commit nothing, so the
first pass after a restart (which rebuilds everything, having no stat cache)
writes nothing when nothing changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from heron.ingest.discovery import ConfigFiles
from heron.ingest.projector import PLUGIN_NAME, ProjectorAssets, build_assets, stat_key
from heron.storage.batch import AssetRow, AssetSet

__all__ = ["AssetTracker"]


class AssetTracker:
    """The projector assets the store holds, and what they were built from."""

    def __init__(self, stored: Mapping[tuple[str, str], tuple[AssetRow, ...]]) -> None:
        self._stored = {
            run: rows for (plugin, run), rows in stored.items() if plugin == PLUGIN_NAME
        }
        self._built: dict[str, tuple[ConfigFiles, ProjectorAssets]] = {}

    def changes(self, configs: Mapping[str, ConfigFiles]) -> list[AssetSet]:
        """The asset sets that bring the store in line with ``configs`` (to be committed)."""
        changed: list[AssetSet] = []
        for run in sorted(set(self._stored) - set(configs)):
            changed.append(AssetSet(PLUGIN_NAME, run, ()))
            del self._stored[run]
            self._built.pop(run, None)
        for run, files in configs.items():
            built = self._built.get(run)
            if built is not None and built[0] == files and _unchanged(built[1]):
                continue
            assets = build_assets(files)
            self._built[run] = (files, assets)
            if self._stored.get(run) != assets.rows:
                changed.append(AssetSet(PLUGIN_NAME, run, assets.rows))
                self._stored[run] = assets.rows
        return changed


def _unchanged(assets: ProjectorAssets) -> bool:
    return all(stat_key(path) == key for path, key in assets.inputs)
