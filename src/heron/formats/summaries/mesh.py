"""Mesh summaries: one ``[B, N, 3]`` tensor per component (vertices, faces, colors).

Each component is its own series, tagged ``<name>_VERTEX``, ``<name>_FACE``,
``<name>_COLOR``, with the same ``MeshPluginData`` apart from ``content_type``;
``components`` is the bitmask of the parts present (``1 << content_type``).
Dtypes are TensorBoard's: float32 vertices, int32 faces, uint8 colors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from heron.formats.proto.mesh_plugin_pb2 import MeshPluginData
from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import make_tensor_proto

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["PLUGIN_NAME", "mesh"]

PLUGIN_NAME: Final = "mesh"

_PARTS: Final = (
    (MeshPluginData.VERTEX, "VERTEX", "float32"),
    (MeshPluginData.FACE, "FACE", "int32"),
    (MeshPluginData.COLOR, "COLOR", "uint8"),
)


def mesh(
    name: str,
    *,
    vertices: npt.NDArray[Any],
    faces: npt.NDArray[Any] | None = None,
    colors: npt.NDArray[Any] | None = None,
    json_config: str = "{}",
    display_name: str = "",
    description: str = "",
) -> list[Summary.Value]:
    """The values of one mesh (or point cloud, without faces); arrays are ``[B, N, 3]``."""
    import numpy as np

    arrays = {
        MeshPluginData.VERTEX: vertices,
        MeshPluginData.FACE: faces,
        MeshPluginData.COLOR: colors,
    }
    present = [(kind, label, dtype) for kind, label, dtype in _PARTS if arrays[kind] is not None]
    components = 0
    for kind, _, _ in present:
        components |= 1 << kind
    values = []
    for kind, label, dtype in present:
        array = np.asarray(arrays[kind]).astype(dtype)
        if array.ndim != 3 or array.shape[2] != 3:
            raise ValueError(
                f"mesh {label.lower()} must have shape [B, N, 3], got {list(array.shape)}"
            )
        content = MeshPluginData(
            version=0,
            name=name,
            content_type=kind,
            json_config=json_config,
            shape=list(array.shape),
            components=components,
        )
        values.append(
            Summary.Value(
                tag=f"{name}_{label}",
                tensor=make_tensor_proto(array),
                metadata=plugin_metadata(
                    PLUGIN_NAME,
                    DATA_CLASS_TENSOR,
                    content=content.SerializeToString(),
                    display_name=display_name,
                    description=description,
                ),
            )
        )
    return values
