"""Thin HTTP wrappers over ``heron.plugins.scalars.data``, mounted at ``/data/plugin/scalars``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.scalars.data import (
    PLUGIN_NAME,
    scalar_csv,
    scalar_tags_json,
    scalar_triples,
    scalars_multirun,
)
from heron.server.plugin import provider_of
from heron.server.responses import (
    NO_CACHE,
    json_response,
    optional_int,
    required,
    text_response,
)

__all__ = ["ScalarsPlugin"]


class ScalarsPlugin:
    """TensorBoard's scalars dashboard data: ``/tags``, ``/scalars``, ``/scalars_multirun``."""

    name = PLUGIN_NAME
    tab_name = "Scalars"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-scalar-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.SCALAR)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/tags", _tags),
            Route("/scalars", _scalars),
            Route("/scalars_multirun", _multirun, methods=["POST"]),
        ]


def _tags(request: Request) -> Response:
    # Kept encoded (``heron.plugins.scalars.tag_listing``): 16 MB at 300,000 series.
    body = scalar_tags_json(provider_of(request))
    return Response(body, media_type="application/json", headers=NO_CACHE)


def _scalars(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    max_points = optional_int(params, "max_points", minimum=2)
    fmt = params.get("format", "json")
    if fmt == "csv":
        text = scalar_csv(provider_of(request), run, tag, max_points=max_points)
        return text_response(text, media_type="text/csv")
    if fmt != "json":
        raise InvalidArgumentError(f"format must be json or csv, not {fmt!r}")
    triples = scalar_triples(provider_of(request), run, tag, max_points=max_points)
    return json_response(triples, safe=True)


async def _multirun(request: Request) -> Response:
    form = await request.form()
    tags = [value for value in form.getlist("tag") if isinstance(value, str)]
    if len(tags) != 1:
        raise InvalidArgumentError(f"give the tag exactly once, not {len(tags)} times")
    runs = [value for value in form.getlist("runs") if isinstance(value, str)]
    max_points = optional_int(request.query_params, "max_points", minimum=2)
    result = await run_in_threadpool(
        scalars_multirun, provider_of(request), tags[0], runs, max_points=max_points
    )
    return json_response(result, safe=True)
