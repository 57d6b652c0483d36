"""The PR-curves dashboard's routes, TensorBoard-compatible (reference §5.9)."""

from heron.plugins.pr_curves.data import pr_curve_entry, pr_curve_tags, pr_curves
from heron.plugins.pr_curves.routes import PrCurvesPlugin

__all__ = ["PrCurvesPlugin", "pr_curve_entry", "pr_curve_tags", "pr_curves"]
