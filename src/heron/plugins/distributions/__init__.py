"""The distributions dashboard's routes, TensorBoard-compatible (reference §5.7)."""

from heron.plugins.distributions.data import BASIS_POINTS, compress_histogram, distributions
from heron.plugins.distributions.routes import DistributionsPlugin

__all__ = ["BASIS_POINTS", "DistributionsPlugin", "compress_histogram", "distributions"]
