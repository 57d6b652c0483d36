"""Thin HTTP wrappers over ``heron.plugins.histograms.data``, at ``/data/plugin/histograms``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.plugins.histograms.data import PLUGIN_NAME, histogram_tags, histograms
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required

__all__ = ["HistogramsPlugin"]


class HistogramsPlugin:
    """TensorBoard's histograms dashboard data: ``/tags``, ``/histograms``."""

    name = PLUGIN_NAME
    tab_name = "Histograms"

    def __init__(self) -> None:
        self.loading_mechanism = {
            "type": "CUSTOM_ELEMENT",
            "element_name": "tf-histogram-dashboard",
        }

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/tags", _tags), Route("/histograms", _histograms)]


def _tags(request: Request) -> Response:
    return json_response(histogram_tags(provider_of(request)), safe=True)


def _histograms(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    return json_response(
        histograms(provider_of(request), run, tag, max_points=max_points), safe=True
    )
