"""The custom-scalars dashboard's routes, TensorBoard-compatible (reference §5.12)."""

from heron.plugins.custom_scalars.data import layout, merge_run_layouts, scalars_matching
from heron.plugins.custom_scalars.routes import CustomScalarsPlugin

__all__ = ["CustomScalarsPlugin", "layout", "merge_run_layouts", "scalars_matching"]
