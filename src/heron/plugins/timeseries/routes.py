"""Thin HTTP wrappers over ``heron.plugins.timeseries.data``, at ``/data/plugin/timeseries``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.plugins.timeseries.data import (
    DATA_PLUGINS,
    PLUGIN_NAME,
    image_data,
    parse_requests,
    time_series,
    timeseries_tags,
)
from heron.server.plugin import provider_of
from heron.server.responses import blob_response, json_response, optional_int, required

__all__ = ["TimeSeriesPlugin"]


class TimeSeriesPlugin:
    """TensorBoard's Time Series dashboard data: ``/tags``, ``/timeSeries``, ``/imageData``."""

    name = PLUGIN_NAME
    tab_name = "Time Series"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "NG_COMPONENT"}

    def is_active(self, provider: ReadProvider) -> bool:
        return any(
            provider.has_series(plugin_name=plugin, data_class=data_class)
            for plugin, data_class in DATA_PLUGINS.items()
        )

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/tags", _tags),
            Route("/timeSeries", _time_series, methods=["GET", "POST"]),
            Route("/imageData", _image_data),
        ]


def _tags(request: Request) -> Response:
    return json_response(timeseries_tags(provider_of(request)), safe=True)


async def _time_series(request: Request) -> Response:
    if request.method == "POST":
        field = (await request.form()).get("requests")
        text = field if isinstance(field, str) else None
    else:
        text = request.query_params.get("requests")
    requests = parse_requests(text)
    max_points = optional_int(request.query_params, "max_points", minimum=2)
    result = await run_in_threadpool(
        time_series, provider_of(request), requests, max_points=max_points
    )
    return json_response(result, safe=True)


def _image_data(request: Request) -> Response:
    data, media_type = image_data(provider_of(request), required(request.query_params, "imageId"))
    return blob_response(request, data, media_type)
