"""Thin HTTP wrappers over ``heron.plugins.pr_curves.data``, at ``/data/plugin/pr_curves``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.errors import InvalidArgumentError
from heron.plugins.pr_curves.data import PLUGIN_NAME, pr_curve_tags, pr_curves
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required

__all__ = ["PrCurvesPlugin"]


class PrCurvesPlugin:
    """TensorBoard's PR-curves dashboard data: ``/tags``, ``/pr_curves``."""

    name = PLUGIN_NAME
    tab_name = "PR Curves"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-pr-curve-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)

    def routes(self) -> Sequence[BaseRoute]:
        return [Route("/tags", _tags), Route("/pr_curves", _pr_curves)]


def _tags(request: Request) -> Response:
    return json_response(pr_curve_tags(provider_of(request)), safe=True)


def _pr_curves(request: Request) -> Response:
    params = request.query_params
    runs = params.getlist("run")
    if not runs:
        raise InvalidArgumentError("missing required parameter: run (give it once per run)")
    tag = required(params, "tag")
    if not tag:
        raise InvalidArgumentError("tag must not be empty")
    max_points = optional_int(params, "max_points", minimum=2)
    curves = pr_curves(provider_of(request), runs, tag, max_points=max_points)
    return json_response(curves, safe=True)
