"""Thin HTTP wrappers over ``heron.plugins.custom_scalars.data``, at its plugin path."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.custom_scalars.data import PLUGIN_NAME, layout, scalars_matching
from heron.plugins.scalars.data import scalar_csv, scalar_triples
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required, text_response

__all__ = ["CustomScalarsPlugin"]


class CustomScalarsPlugin:
    """TensorBoard's custom-scalars data: ``/layout``, ``/scalars``, ``/download_data``."""

    name = PLUGIN_NAME
    tab_name = "Custom Scalars"

    def __init__(self) -> None:
        self.loading_mechanism = {
            "type": "CUSTOM_ELEMENT",
            "element_name": "tf-custom-scalar-dashboard",
        }

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/layout", _layout),
            Route("/scalars", _scalars),
            Route("/download_data", _download_data),
        ]


def _layout(request: Request) -> Response:
    return json_response(layout(provider_of(request)))


def _scalars(request: Request) -> Response:
    params = request.query_params
    run = required(params, "run")
    max_points = optional_int(params, "max_points", minimum=2)
    result = scalars_matching(
        provider_of(request), run, params.get("tag", ""), max_points=max_points
    )
    return json_response(result, safe=True)


def _download_data(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    fmt = params.get("format") or "json"
    if fmt == "csv":
        text = scalar_csv(provider_of(request), run, tag, max_points=max_points)
        return text_response(text, media_type="text/csv")
    if fmt != "json":
        raise InvalidArgumentError(f"format must be json or csv, not {fmt!r}")
    triples = scalar_triples(provider_of(request), run, tag, max_points=max_points)
    return json_response(triples, safe=True)
