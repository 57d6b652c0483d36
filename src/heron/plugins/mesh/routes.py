"""Thin HTTP wrappers over ``heron.plugins.mesh.data``, mounted at ``/data/plugin/mesh``."""

from __future__ import annotations

import math
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.mesh.data import PLUGIN_NAME, mesh_data, mesh_tags, meshes
from heron.server.plugin import provider_of
from heron.server.responses import NO_CACHE, json_response, optional_int, required

__all__ = ["MeshPlugin"]

#: TensorBoard answers ``/data`` with this literal Content-Type; its frontend ignores it.
_DATA_MEDIA_TYPE = "arraybuffer"


class MeshPlugin:
    """TensorBoard's mesh dashboard data: ``/tags``, ``/meshes``, ``/data``."""

    name = PLUGIN_NAME
    #: TensorBoard gives the mesh dashboard no tab name, so its plugin name is shown.
    tab_name = PLUGIN_NAME

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "mesh-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/tags", _tags), Route("/meshes", _meshes), Route("/data", _data)]


def _tags(request: Request) -> Response:
    return json_response(mesh_tags(provider_of(request)), safe=True)


def _meshes(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    return json_response(meshes(provider_of(request), run, tag, max_points=max_points))


def _step(text: str | None) -> float:
    """The ``step`` parameter: TensorBoard's frontend may send it as a float (``"3.0"``)."""
    if text is None or text == "":
        return 0.0
    try:
        step = float(text)
    except ValueError:
        raise InvalidArgumentError(f"step must be a number, not {text!r}") from None
    if not math.isfinite(step):
        raise InvalidArgumentError(f"step must be finite, not {text!r}")
    return step


def _data(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    content_type = required(params, "content_type")
    sample = optional_int(params, "sample") or 0
    data = mesh_data(
        provider_of(request),
        run,
        tag,
        content_type=content_type,
        step=_step(params.get("step")),
        sample=sample,
    )
    return Response(data, media_type=_DATA_MEDIA_TYPE, headers=NO_CACHE)
