"""PR curves, custom-scalar layouts and meshes: the ``add_*`` calls that describe charts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from heron.formats.proto.custom_scalars_layout_pb2 import Layout
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries import custom_scalars, mesh, pr_curves
from heron.writer import inputs
from heron.writer.images import to_uint8
from heron.writer.model import ModelMethods

__all__ = ["ChartMethods"]


class ChartMethods(ModelMethods):
    """PR curves (``add_pr_curve``, ``_raw``), custom-scalar layouts, ``add_mesh``."""

    #: The custom-scalars layout so far; every call writes the merged whole.
    _layout: Layout | None = None

    # ---- PR curves ---------------------------------------------------------------------

    def add_pr_curve(
        self,
        tag: str,
        labels: Any,
        predictions: Any,
        global_step: Any = None,
        num_thresholds: int = 127,
        weights: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Log a precision–recall curve of ``predictions`` (in [0, 1]) against 0/1 ``labels``."""
        inputs.check_tag(tag)
        truth = inputs.to_numpy(labels)
        scores = inputs.to_numpy(predictions).astype(float)
        if truth.size != scores.size:
            raise ValueError(f"{truth.size} labels for {scores.size} predictions")
        if scores.size and (inputs.non_finite(scores) or scores.min() < 0 or scores.max() > 1):
            raise ValueError(f"add_pr_curve({tag!r}): predictions must be finite and in [0, 1]")
        if truth.dtype.kind not in "biuf":
            raise TypeError(f"add_pr_curve({tag!r}): labels must be 0/1 numbers or bools")
        weight = None if weights is None else inputs.to_numpy(weights).astype(float)
        if weight is not None and weight.size not in (1, scores.size):
            raise ValueError(f"{weight.size} weights for {scores.size} predictions")
        thresholds = _thresholds(num_thresholds)

        def build() -> list[Summary.Value]:
            rows = pr_curves.pr_curve_table(truth, scores, thresholds, weight)
            return [pr_curves.pr_curve(tag, rows, num_thresholds=thresholds)]

        self._submit(
            f"PR curve {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=truth.nbytes + scores.nbytes,
        )

    def add_pr_curve_raw(
        self,
        tag: str,
        true_positive_counts: Any,
        false_positive_counts: Any,
        true_negative_counts: Any,
        false_negative_counts: Any,
        precision: Any,
        recall: Any,
        global_step: Any = None,
        num_thresholds: int = 127,
        weights: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Log a precision–recall curve computed elsewhere: six arrays, one value per threshold."""
        import numpy as np

        inputs.check_tag(tag)
        columns = [
            inputs.to_numpy(values).reshape(-1)
            for values in (
                true_positive_counts,
                false_positive_counts,
                true_negative_counts,
                false_negative_counts,
                precision,
                recall,
            )
        ]
        if len({column.size for column in columns}) != 1:
            raise ValueError("the six PR-curve arrays must have the same length")
        rows = np.stack(columns).astype(np.float32)
        thresholds = _thresholds(num_thresholds)
        value = pr_curves.pr_curve(tag, rows, num_thresholds=thresholds)
        self._submit(
            f"PR curve {tag!r}", lambda: [value], global_step=global_step, walltime=walltime
        )

    # ---- custom scalars ----------------------------------------------------------------

    def add_custom_scalars(self, layout: Mapping[str, Mapping[str, Any]]) -> None:
        """Arrange scalar charts: ``{category: {chart title: ["Multiline" | "Margin", tags]}}``.

        Calls add up: categories merge, a chart with an existing title replaces it.
        """
        addition = custom_scalars.layout_from_dict(layout)
        with self._state_lock:  # merged and queued together, so the last queued is the fullest
            self._layout = custom_scalars.merge_layouts(self._layout or Layout(), addition)
            value = custom_scalars.layout_value(self._layout)
            self._submit("custom scalars layout", lambda: [value], global_step=None, walltime=None)

    def add_custom_scalars_multilinechart(
        self, tags: Sequence[str], category: str = "default", title: str = "untitled"
    ) -> None:
        """One chart drawing every scalar tag matching one of ``tags`` (regular expressions)."""
        self.add_custom_scalars({category: {title: ["Multiline", list(tags)]}})

    def add_custom_scalars_marginchart(
        self, tags: Sequence[str], category: str = "default", title: str = "untitled"
    ) -> None:
        """One chart of a value with a margin: ``tags`` = [value, lower bound, upper bound]."""
        if len(tags) != 3:
            raise ValueError(f"a margin chart takes 3 tags (value, lower, upper), got {len(tags)}")
        self.add_custom_scalars({category: {title: ["Margin", list(tags)]}})

    # ---- meshes ------------------------------------------------------------------------

    def add_mesh(
        self,
        tag: str,
        vertices: Any,
        colors: Any = None,
        faces: Any = None,
        config_dict: Mapping[str, Any] | None = None,
        global_step: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Log a mesh or point cloud: ``vertices`` ``[B, N, 3]``, optional ``faces`` / ``colors``.

        ``faces`` index vertices; ``colors`` are uint8 / integers in [0, 255] or
        floats in [0, 1]. ``config_dict`` configures three.js (camera, lights, material).
        """
        inputs.check_tag(tag)
        points = _mesh_part(inputs.to_numpy(vertices), "vertices")
        if points.dtype.kind == "f" and inputs.non_finite(points):
            raise ValueError("mesh vertices have NaN or infinite coordinates")
        triangles = None if faces is None else _mesh_part(inputs.to_numpy(faces), "faces")
        if (
            triangles is not None
            and triangles.size
            and (triangles.min() < 0 or triangles.max() >= points.shape[1])
        ):
            raise ValueError(f"mesh faces index vertices 0..{points.shape[1] - 1}")
        shades = None if colors is None else _mesh_colors(inputs.to_numpy(colors))
        config = "{}" if config_dict is None else json.dumps(config_dict, sort_keys=True)

        def build() -> list[Summary.Value]:
            return mesh.mesh(
                tag, vertices=points, faces=triangles, colors=shades, json_config=config
            )

        self._submit(
            f"mesh {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=points.nbytes,
        )


def _thresholds(num_thresholds: Any) -> int:
    count = int(num_thresholds)
    if count < 2:
        raise ValueError(f"num_thresholds must be at least 2, got {num_thresholds}")
    return count


def _mesh_part(array: Any, name: str) -> Any:
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"mesh {name} must have shape [B, N, 3], got {list(array.shape)}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"mesh {name} must be numbers, got dtype {array.dtype}")
    return array


def _mesh_colors(array: Any) -> Any:
    """uint8 colors: integers clipped to [0, 255], floats taken as [0, 1] (scaled like images)."""
    import numpy as np

    colors = _mesh_part(array, "colors")
    if colors.dtype.kind == "f":
        if inputs.non_finite(colors):
            raise ValueError("mesh colors have NaN or infinite values")
        return to_uint8(colors)
    return np.clip(colors, 0, 255).astype(np.uint8)
