"""The mesh dashboard's routes, TensorBoard-compatible (reference §5.13)."""

from heron.plugins.mesh.data import mesh_data, mesh_tags, meshes
from heron.plugins.mesh.routes import MeshPlugin

__all__ = ["MeshPlugin", "mesh_data", "mesh_tags", "meshes"]
