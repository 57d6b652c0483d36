"""The histograms dashboard's routes, TensorBoard-compatible (reference §5.6)."""

from heron.plugins.histograms.data import histogram_tags, histograms
from heron.plugins.histograms.routes import HistogramsPlugin

__all__ = ["HistogramsPlugin", "histogram_tags", "histograms"]
