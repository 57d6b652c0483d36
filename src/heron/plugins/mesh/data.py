"""Plain functions over ``ReadProvider`` behind the mesh routes (no HTTP here).

A mesh named ``name`` is stored as up to three tensor series of plugin
``mesh``, one per component — ``<name>_VERTEX`` (float32 ``[B, N, 3]``),
``<name>_FACE`` (int32 ``[B, F, 3]``), ``<name>_COLOR`` (uint8 ``[B, N, 3]``)
— each with a ``MeshPluginData`` naming the mesh, its component, the bitmask
of components present and the three.js scene config. The routes speak of
meshes by name, so every function first finds the series carrying that name.
Difference from TensorBoard by design: every step is returned unless
``max_points`` asks for fewer (TensorBoard keeps a random 100).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from google.protobuf.message import DecodeError

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey, TensorPoint
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.mesh_plugin_pb2 import MeshPluginData

__all__ = ["CONTENT_TYPES", "PLUGIN_NAME", "mesh_data", "mesh_tags", "meshes"]

PLUGIN_NAME = "mesh"
#: The only MeshPluginData version defined; TensorBoard skips series of a newer one.
_KNOWN_VERSION = 0
#: Component name (the ``content_type`` parameter of ``/data``) → value and wire dtype.
CONTENT_TYPES: dict[str, tuple[int, str]] = {
    "VERTEX": (MeshPluginData.VERTEX, "<f4"),
    "FACE": (MeshPluginData.FACE, "<i4"),
    "COLOR": (MeshPluginData.COLOR, "<u1"),
}
#: Old writers left ``components`` at 0, which TensorBoard reads as "all three".
_ALL_COMPONENTS = sum(1 << value for value, _ in CONTENT_TYPES.values())


@dataclass(frozen=True, slots=True)
class _Component:
    """One series of a mesh and what its metadata says."""

    key: SeriesKey
    name: str
    content_type: int
    components: int
    config: str
    shape: tuple[int, ...]


def _components(provider: ReadProvider, runs: list[str] | None = None) -> list[_Component]:
    """Every readable mesh series (bad or newer-version metadata is skipped, as TB does)."""
    found = []
    for series in provider.list_series(
        runs=runs, plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR
    ):
        try:
            meta = MeshPluginData.FromString(series.plugin_content)
        except DecodeError:
            continue
        if meta.version > _KNOWN_VERSION:
            continue
        found.append(
            _Component(
                key=series.key,
                name=meta.name,
                content_type=meta.content_type,
                components=meta.components or _ALL_COMPONENTS,
                config=meta.json_config,
                shape=tuple(meta.shape),
            )
        )
    return found


def mesh_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, int]]]:
    """``{run: {mesh name: {"samples": B}}}``; runs without meshes are left out.

    ``samples`` is the batch size in the first metadata of the mesh's series.
    """
    tags: dict[str, dict[str, dict[str, int]]] = {}
    for part in _components(provider):
        samples = part.shape[0] if part.shape else 0
        tags.setdefault(part.key.run, {})[part.name] = {"samples": samples}
    return tags


def _mesh_parts(provider: ReadProvider, run: str, name: str) -> list[_Component]:
    parts = [part for part in _components(provider, [run]) if part.name == name]
    if not parts:
        raise NotFoundError(f"no mesh named {name!r} in run {run!r}")
    return parts


def _read(
    provider: ReadProvider, parts: list[_Component], max_points: int | None
) -> list[tuple[_Component, TensorPoint]]:
    """(component, step) pairs sorted by step, then in VERTEX, FACE, COLOR order."""
    points = provider.read_tensors([part.key for part in parts], max_points=max_points)
    pairs = [(part, point) for part in parts for point in points[part.key]]
    pairs.sort(key=lambda pair: (pair[1].step, pair[0].content_type))
    return pairs


def meshes(
    provider: ReadProvider, run: str, name: str, *, max_points: int | None = None
) -> list[dict[str, Any]]:
    """One entry per component per step, sorted by step, as TensorBoard's ``/meshes``.

    ``data_shape`` is the shape of that step's tensor (TensorBoard repeats
    the first step's, which is wrong for point clouds whose size changes).
    """
    return [
        {
            "wall_time": point.wall_time,
            "step": point.step,
            "content_type": part.content_type,
            "components": part.components,
            "config": part.config,
            "data_shape": list(point.value.shape),
        }
        for part, point in _read(provider, _mesh_parts(provider, run, name), max_points)
    ]


def mesh_data(
    provider: ReadProvider, run: str, name: str, *, content_type: str, step: float, sample: int = 0
) -> bytes:
    """One sample of one component at one step, flattened, as little-endian bytes.

    float32 for ``VERTEX``, int32 for ``FACE``, uint8 for ``COLOR``. An
    unknown ``content_type`` is an ``InvalidArgumentError``; a component, step
    or sample the mesh lacks is a ``NotFoundError``. The read contract cannot
    fetch one step of a tensor series, so the component's steps are all read
    and one is kept (TensorBoard reads its 100 sampled steps the same way).
    """
    if content_type not in CONTENT_TYPES:
        choices = ", ".join(CONTENT_TYPES)
        raise InvalidArgumentError(f"content_type must be one of {choices}, not {content_type!r}")
    if sample < 0:
        raise InvalidArgumentError(f"sample must be at least 0, not {sample}")
    wanted, dtype = CONTENT_TYPES[content_type]
    parts = [part for part in _mesh_parts(provider, run, name) if part.content_type == wanted]
    if not parts:
        raise NotFoundError(f"mesh {name!r} in run {run!r} has no {content_type} component")
    at_step = [point for _, point in _read(provider, parts, None) if point.step == step]
    if not at_step:
        raise NotFoundError(f"mesh {name!r} in run {run!r} has no {content_type} at step {step:g}")
    chunks = []
    for point in at_step:
        batch = point.value.shape[0] if point.value.ndim else 0
        if sample >= batch:
            raise NotFoundError(
                f"mesh {name!r} has {batch} sample(s) at step {step:g}; there is no sample {sample}"
            )
        chunks.append(np.asarray(point.value[sample]).astype(dtype).reshape(-1).tobytes())
    return b"".join(chunks)
