"""Dashboard kinds, one folder each, plugged into the server through ``heron.server.Plugin``."""

from __future__ import annotations

from heron.plugins.audio import AudioPlugin
from heron.plugins.distributions import DistributionsPlugin
from heron.plugins.histograms import HistogramsPlugin
from heron.plugins.images import ImagesPlugin
from heron.plugins.scalars import ScalarsPlugin
from heron.plugins.text import TextPlugin
from heron.server.plugin import Plugin

__all__ = ["default_plugins"]


def default_plugins() -> list[Plugin]:
    """The plugins ``heron serve`` mounts, in TensorBoard's tab order."""
    return [
        ScalarsPlugin(),
        ImagesPlugin(),
        AudioPlugin(),
        DistributionsPlugin(),
        HistogramsPlugin(),
        TextPlugin(),
    ]
