"""Raw tensors: any array, plugin ``tensor`` (what PyTorch's ``add_tensor`` writes).

TensorBoard has no dashboard for them; they are there for scripts that read
event files, and for Heron's generic tensor views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import make_tensor_proto

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["PLUGIN_NAME", "tensor"]

PLUGIN_NAME: Final = "tensor"


def tensor(tag: str, array: npt.NDArray[Any], *, description: str = "") -> Summary.Value:
    return Summary.Value(
        tag=tag,
        tensor=make_tensor_proto(array),
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_TENSOR, description=description),
    )
