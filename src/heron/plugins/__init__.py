"""Dashboard kinds, one folder each, plugged into the server through ``heron.server.Plugin``."""

from __future__ import annotations

from heron.plugins.audio import AudioPlugin
from heron.plugins.custom_scalars import CustomScalarsPlugin
from heron.plugins.distributions import DistributionsPlugin
from heron.plugins.graphs import GraphsPlugin
from heron.plugins.histograms import HistogramsPlugin
from heron.plugins.hparams import HParamsPlugin
from heron.plugins.html import HtmlPlugin
from heron.plugins.images import ImagesPlugin
from heron.plugins.mesh import MeshPlugin
from heron.plugins.pr_curves import PrCurvesPlugin
from heron.plugins.profile import ProfilePlugin
from heron.plugins.projector import ProjectorPlugin
from heron.plugins.scalars import ScalarsPlugin
from heron.plugins.table import TablePlugin
from heron.plugins.text import TextPlugin
from heron.plugins.timeseries import TimeSeriesPlugin
from heron.plugins.video import VideoPlugin
from heron.server.plugin import Plugin

__all__ = ["default_plugins"]


def default_plugins() -> list[Plugin]:
    """The plugins ``heron serve`` mounts, in TensorBoard's tab order (Heron's own video,
    HTML and tables beside their kin)."""
    return [
        TimeSeriesPlugin(),
        ScalarsPlugin(),
        CustomScalarsPlugin(),
        ImagesPlugin(),
        AudioPlugin(),
        VideoPlugin(),
        GraphsPlugin(),
        DistributionsPlugin(),
        HistogramsPlugin(),
        TextPlugin(),
        HtmlPlugin(),
        TablePlugin(),
        PrCurvesPlugin(),
        HParamsPlugin(),
        MeshPlugin(),
        ProjectorPlugin(),
        ProfilePlugin(),
    ]
