"""Scalar summaries: a rank-0 float32 tensor, plugin ``scalars``, data class SCALAR.

``legacy_scalar`` writes the older ``simple_value`` form instead, which is what
PyTorch's and tensorboardX's ``add_scalar`` write by default; every reader
(TensorBoard's included) turns it into the tensor form.
"""

from __future__ import annotations

from typing import Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_SCALAR, Summary
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DT_DOUBLE
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import float_scalar_tensor

__all__ = ["PLUGIN_NAME", "legacy_scalar", "scalar"]

PLUGIN_NAME: Final = "scalars"


def scalar(
    tag: str, value: float, *, description: str = "", double_precision: bool = False
) -> Summary.Value:
    """One scalar point (the step and wall time live on the enclosing Event).

    ``double_precision`` stores a DT_DOUBLE tensor, as PyTorch's
    ``add_scalar(new_style=True, double_precision=True)`` does; TensorBoard's
    Python loader reads it, its Rust loader serves only DT_FLOAT.
    """
    if double_precision:
        tensor = TensorProto(dtype=DT_DOUBLE)
        tensor.double_val.append(float(value))
    else:
        tensor = float_scalar_tensor(float(value))
    return Summary.Value(
        tag=tag,
        tensor=tensor,
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_SCALAR, description=description),
    )


def legacy_scalar(tag: str, value: float) -> Summary.Value:
    """The ``simple_value`` form (float32, no metadata), as PyTorch writes by default."""
    return Summary.Value(tag=tag, simple_value=float(value))
