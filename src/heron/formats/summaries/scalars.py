"""Scalar summaries: a rank-0 float32 tensor, plugin ``scalars``, data class SCALAR."""

from __future__ import annotations

from typing import Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_SCALAR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import float_scalar_tensor

PLUGIN_NAME: Final = "scalars"


def scalar(tag: str, value: float, *, description: str = "") -> Summary.Value:
    """One scalar point (the step and wall time live on the enclosing Event)."""
    return Summary.Value(
        tag=tag,
        tensor=float_scalar_tensor(float(value)),
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_SCALAR, description=description),
    )
