"""The embedding projector's data routes, TensorBoard-compatible (reference §5.14)."""

from heron.plugins.projector.data import (
    bookmarks,
    metadata,
    projector_info,
    projector_runs,
    sprite_image,
    tensor_bytes,
)
from heron.plugins.projector.routes import ProjectorPlugin

__all__ = [
    "ProjectorPlugin",
    "bookmarks",
    "metadata",
    "projector_info",
    "projector_runs",
    "sprite_image",
    "tensor_bytes",
]
