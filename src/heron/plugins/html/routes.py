"""Thin HTTP wrappers over ``heron.plugins.html.data``, mounted at ``/data/plugin/html``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.plugins.html.data import PLUGIN_NAME, SERIES_PLUGIN, html_fragments, html_tags
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required

__all__ = ["HtmlPlugin"]


class HtmlPlugin:
    """Heron's HTML dashboard data (``add_html``): ``/tags``, ``/html``."""

    name = PLUGIN_NAME
    tab_name = "HTML"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "NONE"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=SERIES_PLUGIN, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/tags", _tags), Route("/html", _html)]


def _tags(request: Request) -> Response:
    return json_response(html_tags(provider_of(request)), safe=True)


def _html(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    fragments = html_fragments(provider_of(request), run, tag, max_points=max_points)
    return json_response(fragments)
