"""Thin HTTP wrappers over ``heron.plugins.distributions.data`` (``/data/plugin/distributions``)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.plugins.distributions.data import distributions
from heron.plugins.histograms.data import PLUGIN_NAME as HISTOGRAMS
from heron.plugins.histograms.data import histogram_tags
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required

__all__ = ["DistributionsPlugin"]


class DistributionsPlugin:
    """TensorBoard's distributions dashboard data: ``/tags``, ``/distributions``."""

    name = "distributions"
    tab_name = "Distributions"

    def __init__(self) -> None:
        self.loading_mechanism = {
            "type": "CUSTOM_ELEMENT",
            "element_name": "tf-distribution-dashboard",
        }

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=HISTOGRAMS, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/tags", _tags), Route("/distributions", _distributions)]


def _tags(request: Request) -> Response:
    return json_response(histogram_tags(provider_of(request)), safe=True)


def _distributions(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    result = distributions(provider_of(request), run, tag, max_points=max_points)
    return json_response(result, safe=True)
