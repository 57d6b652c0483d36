"""Thin HTTP wrappers over ``heron.plugins.text.data``, mounted at ``/data/plugin/text``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.text.data import PLUGIN_NAME, text_tags, texts
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required

__all__ = ["TextPlugin"]


class TextPlugin:
    """TensorBoard's text dashboard data: ``/tags``, ``/text``."""

    name = PLUGIN_NAME
    tab_name = "Text"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-text-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/tags", _tags), Route("/text", _text)]


def _tags(request: Request) -> Response:
    return json_response(text_tags(provider_of(request)), safe=True)


def _text(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    flag = params.get("markdown", "true").lower()
    if flag not in ("true", "false"):
        raise InvalidArgumentError(f"markdown must be true or false, not {flag!r}")
    max_points = optional_int(params, "max_points", minimum=2)
    result = texts(provider_of(request), run, tag, markdown=flag == "true", max_points=max_points)
    return json_response(result)
