"""Thin HTTP wrappers over ``heron.plugins.table.data``, mounted at ``/data/plugin/table``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.table.data import (
    PLUGIN_NAME,
    SERIES_PLUGIN,
    table_at,
    table_image,
    table_steps,
    table_tags,
)
from heron.server.plugin import provider_of
from heron.server.responses import blob_response, json_response, optional_int, required

__all__ = ["TablePlugin"]


class TablePlugin:
    """Heron's tables dashboard data (``add_table``): ``/tags``, ``/tables``, ``/table``,
    ``/individualImage``."""

    name = PLUGIN_NAME
    tab_name = "Tables"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "NONE"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=SERIES_PLUGIN, data_class=DataClass.BLOB_SEQUENCE)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/tags", _tags),
            Route("/tables", _tables),
            Route("/table", _table),
            Route("/individualImage", _individual_image),
        ]


def _tags(request: Request) -> Response:
    return json_response(table_tags(provider_of(request)), safe=True)


def _tables(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    return json_response(table_steps(provider_of(request), run, tag, max_points=max_points))


def _table(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    step = optional_int(params, "step", minimum=-(1 << 63))
    if step is None:
        raise InvalidArgumentError("missing required parameter: step")
    return json_response(table_at(provider_of(request), run, tag, step))


def _individual_image(request: Request) -> Response:
    data, media_type = table_image(provider_of(request), required(request.query_params, "blob_key"))
    return blob_response(request, data, media_type)
