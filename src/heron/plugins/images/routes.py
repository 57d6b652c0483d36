"""Thin HTTP wrappers over ``heron.plugins.images.data``, mounted at ``/data/plugin/images``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.plugins.images.data import PLUGIN_NAME, image_bytes, image_tags, images
from heron.server.plugin import provider_of
from heron.server.responses import blob_response, json_response, optional_int, required

__all__ = ["ImagesPlugin"]


class ImagesPlugin:
    """TensorBoard's images dashboard data: ``/tags``, ``/images``, ``/individualImage``."""

    name = PLUGIN_NAME
    tab_name = "Images"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-image-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.BLOB_SEQUENCE)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/tags", _tags),
            Route("/images", _images),
            Route("/individualImage", _individual_image),
        ]


def _tags(request: Request) -> Response:
    return json_response(image_tags(provider_of(request)), safe=True)


def _images(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    sample = optional_int(params, "sample") or 0
    max_points = optional_int(params, "max_points", minimum=2)
    return json_response(
        images(provider_of(request), run, tag, sample=sample, max_points=max_points)
    )


def _individual_image(request: Request) -> Response:
    data, media_type = image_bytes(provider_of(request), required(request.query_params, "blob_key"))
    return blob_response(request, data, media_type)
