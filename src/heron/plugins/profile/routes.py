"""Thin HTTP wrappers over ``heron.plugins.profile.data``, at ``/data/plugin/profile``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.errors import InvalidArgumentError
from heron.plugins.profile.data import load, memory, ops, overview, runs
from heron.plugins.profile.model import TraceCache, TraceModel
from heron.plugins.profile.sessions import PLUGIN_NAME, list_sessions
from heron.plugins.profile.trace_cache import ColumnarCache
from heron.plugins.profile.trace_routes import trace_routes
from heron.server.plugin import provider_of
from heron.server.responses import json_response, required

__all__ = ["ProfilePlugin"]


class ProfilePlugin:
    """The profiler's routes: ``/runs``, ``/overview``, ``/ops``, ``/memory``, ``/trace/*``.

    Listed as enabled only when some run holds a profiler capture.
    """

    name = PLUGIN_NAME
    tab_name = "Profile"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "NONE"}
        self._cache = TraceCache()
        self._columns = ColumnarCache()

    def is_active(self, provider: ReadProvider) -> bool:
        return bool(list_sessions(provider))

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/runs", _runs),
            Route("/overview", self._overview),
            Route("/ops", self._ops),
            Route("/memory", self._memory),
            *trace_routes(self._columns),
        ]

    def _model(self, request: Request) -> TraceModel:
        params = request.query_params
        run, session = required(params, "run"), required(params, "session")
        file_format = params.get("format")
        if file_format not in (None, "trace_json", "xplane"):
            raise InvalidArgumentError(f"format must be trace_json or xplane, not {file_format!r}")
        provider = provider_of(request)
        return load(provider, self._cache, run, session, params.get("host"), format=file_format)

    def _overview(self, request: Request) -> Response:
        return json_response(overview(self._model(request)))

    def _ops(self, request: Request) -> Response:
        return json_response(ops(self._model(request)))

    def _memory(self, request: Request) -> Response:
        return json_response(memory(self._model(request)))


def _runs(request: Request) -> Response:
    return json_response(runs(provider_of(request)))
