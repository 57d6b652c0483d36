"""Thin HTTP wrappers over ``heron.plugins.projector.data``, at ``/data/plugin/projector``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.plugins.projector.data import (
    PLUGIN_NAME,
    bookmarks,
    metadata,
    projector_info,
    projector_runs,
    sprite_image,
    tensor_bytes,
)
from heron.plugins.projector.tensors import TensorCache
from heron.server.plugin import provider_of
from heron.server.responses import NO_CACHE, json_response, optional_int, required, text_response

__all__ = ["ProjectorPlugin"]

#: Float32 noise barely compresses (a few percent) but gzip at 128 MB costs seconds on both ends
#: and a second copy of the body in the middleware: the encoding header makes it pass through.
_UNCOMPRESSED = {**NO_CACHE, "Content-Encoding": "identity"}


class ProjectorPlugin:
    """TensorBoard's projector data: ``/runs``, ``/info``, ``/tensor``, ``/metadata``, ...

    TensorBoard's iframe assets (``/index.js`` ...) are not served: Heron's own
    UI renders the projector from these routes.
    """

    name = PLUGIN_NAME
    tab_name = "Projector"

    def __init__(self) -> None:
        self._tensors = TensorCache()
        self.loading_mechanism = {
            "type": "CUSTOM_ELEMENT",
            "element_name": "vz-projector-dashboard",
        }

    def is_active(self, provider: ReadProvider) -> bool:
        return bool(projector_runs(provider))

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/runs", _runs),
            Route("/info", _info),
            Route("/tensor", self._tensor),
            Route("/metadata", _metadata),
            Route("/bookmarks", _bookmarks),
            Route("/sprite_image", _sprite_image),
        ]

    def _tensor(self, request: Request) -> Response:
        run, name = _run_and_name(request)
        num_rows = optional_int(request.query_params, "num_rows", minimum=1)
        provider = provider_of(request)
        data = tensor_bytes(provider, run, name, num_rows=num_rows, cache=self._tensors)
        return Response(data, media_type="application/octet-stream", headers=_UNCOMPRESSED)


def _run_and_name(request: Request) -> tuple[str, str]:
    params = request.query_params
    return required(params, "run"), required(params, "name")


def _runs(request: Request) -> Response:
    return json_response(projector_runs(provider_of(request)))


def _info(request: Request) -> Response:
    run = required(request.query_params, "run")
    return json_response(projector_info(provider_of(request), run))


def _metadata(request: Request) -> Response:
    run, name = _run_and_name(request)
    num_rows = optional_int(request.query_params, "num_rows", minimum=1)
    return text_response(metadata(provider_of(request), run, name, num_rows=num_rows))


def _bookmarks(request: Request) -> Response:
    run, name = _run_and_name(request)
    data = bookmarks(provider_of(request), run, name)
    return Response(data, media_type="application/json", headers=NO_CACHE)


def _sprite_image(request: Request) -> Response:
    run, name = _run_and_name(request)
    data, media_type = sprite_image(provider_of(request), run, name)
    return Response(data, media_type=media_type, headers=NO_CACHE)
