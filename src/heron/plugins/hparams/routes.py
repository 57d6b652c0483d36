"""Thin HTTP wrappers over the hparams functions, mounted at ``/data/plugin/hparams``.

Every route takes its request proto as JSON: the POST body (what TensorBoard's
frontend sends) or the URL-escaped query parameter ``request`` of a GET.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    GetExperimentRequest,
    ListMetricEvalsRequest,
    ListSessionGroupsRequest,
)
from heron.plugins.hparams.download import (
    FORMATS,
    download_table,
    parse_visibility,
    table_csv,
    table_latex,
)
from heron.plugins.hparams.experiment import PLUGIN_NAME, get_experiment
from heron.plugins.hparams.session_groups import list_session_groups, metric_evals
from heron.plugins.hparams.wire import M, parse_request, to_json
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, text_response

__all__ = ["HParamsPlugin"]

_METHODS = ["GET", "POST"]


class HParamsPlugin:
    """TensorBoard's HParams dashboard data: experiment, session groups, metric evals, downloads."""

    name = PLUGIN_NAME
    tab_name = "HParams"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-hparams-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/experiment", _experiment, methods=_METHODS),
            Route("/session_groups", _session_groups, methods=_METHODS),
            Route("/metric_evals", _metric_evals, methods=_METHODS),
            Route("/download_data", _download_data, methods=_METHODS),
        ]


async def _request_proto(request: Request, message_type: type[M]) -> M:
    if request.method == "POST":
        return parse_request(await request.body(), message_type)
    return parse_request(request.query_params.get("request"), message_type)


async def _experiment(request: Request) -> Response:
    proto = await _request_proto(request, GetExperimentRequest)
    experiment = await run_in_threadpool(get_experiment, provider_of(request), proto)
    return json_response(to_json(experiment))


async def _session_groups(request: Request) -> Response:
    proto = await _request_proto(request, ListSessionGroupsRequest)
    groups = await run_in_threadpool(list_session_groups, provider_of(request), proto)
    return json_response(to_json(groups))


async def _metric_evals(request: Request) -> Response:
    proto = await _request_proto(request, ListMetricEvalsRequest)
    max_points = optional_int(request.query_params, "max_points", minimum=2)
    points = await run_in_threadpool(
        metric_evals, provider_of(request), proto, max_points=max_points
    )
    return json_response(points, safe=True)


async def _download_data(request: Request) -> Response:
    params = request.query_params
    fmt = params.get("format", "")
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    visibility = parse_visibility(params.get("columnsVisibility"))
    proto = await _request_proto(request, ListSessionGroupsRequest)
    table = await run_in_threadpool(download_table, provider_of(request), proto, visibility)
    if fmt == "json":
        return json_response(table.as_json())
    text = table_csv(table) if fmt == "csv" else table_latex(table)
    return text_response(text, media_type=FORMATS[fmt])
