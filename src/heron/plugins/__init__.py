"""Dashboard kinds, one folder each, plugged into the server through ``heron.server.Plugin``."""

from __future__ import annotations

from heron.plugins.scalars import ScalarsPlugin
from heron.server.plugin import Plugin

__all__ = ["default_plugins"]


def default_plugins() -> list[Plugin]:
    """The plugins ``heron serve`` mounts, in TensorBoard's tab order."""
    return [ScalarsPlugin()]
