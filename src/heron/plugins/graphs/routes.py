"""Thin HTTP wrappers over ``heron.plugins.graphs.data``, mounted at ``/data/plugin/graphs``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.graphs.data import (
    DATA_PLUGIN_NAMES,
    PLUGIN_NAME,
    graph_info,
    graph_text,
    run_metadata_text,
)
from heron.plugins.graphs.graph_json import graph_json_body
from heron.server.plugin import provider_of
from heron.server.responses import NO_CACHE, json_response, required, text_response

__all__ = ["GraphsPlugin"]

#: TensorBoard's MIME type for protobuf text format, which its graph dashboard expects.
PBTXT = "text/x-protobuf"


class GraphsPlugin:
    """TensorBoard's graphs dashboard data: ``/info``, ``/graph``, ``/run_metadata``; and
    Heron's ``/graph_json``, the same graph as compact JSON for Heron's own dashboard."""

    name = PLUGIN_NAME
    tab_name = "Graphs"
    #: As TensorBoard's: a graph view is not redrawn on every reload.
    disable_reload = True

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-graph-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return any(
            provider.has_series(plugin_name=name, data_class=DataClass.BLOB_SEQUENCE)
            for name in DATA_PLUGIN_NAMES
        )

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/info", _info),
            Route("/graph", _graph),
            Route("/run_metadata", _run_metadata),
            Route("/graph_json", _graph_json),
        ]


def _info(request: Request) -> Response:
    return json_response(graph_info(provider_of(request)))


def _limit(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidArgumentError("limit_attr_size must be an integer") from None


def _graph(request: Request) -> Response:
    params = request.query_params
    text = graph_text(
        provider_of(request),
        required(params, "run"),
        params.get("tag"),
        conceptual=params.get("conceptual") == "true",
        limit_attr_size=_limit(params.get("limit_attr_size")),
        large_attrs_key=params.get("large_attrs_key"),
    )
    return text_response(text, media_type=PBTXT)


def _run_metadata(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    return text_response(run_metadata_text(provider_of(request), run, tag), media_type=PBTXT)


def _graph_json(request: Request) -> Response:
    params = request.query_params
    conceptual = params.get("conceptual", "false")
    if conceptual not in ("true", "false"):
        raise InvalidArgumentError("conceptual must be true or false")
    body = graph_json_body(
        provider_of(request),
        required(params, "run"),
        params.get("tag") or None,
        conceptual=conceptual == "true",
    )
    return Response(body, media_type="application/json", headers=NO_CACHE)
