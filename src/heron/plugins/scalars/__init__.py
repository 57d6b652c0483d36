"""The scalars dashboard's routes, TensorBoard-compatible (reference §5.3)."""

from heron.plugins.scalars.data import scalar_csv, scalar_tags, scalar_triples, scalars_multirun
from heron.plugins.scalars.routes import ScalarsPlugin

__all__ = ["ScalarsPlugin", "scalar_csv", "scalar_tags", "scalar_triples", "scalars_multirun"]
