"""TensorBoard's core routes (``/data/environment``, ``/data/runs``, ...): functions + routes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import Run
from heron.server.config import ServerConfig
from heron.server.plugin import Plugin
from heron.server.responses import json_response

__all__ = ["core_routes", "environment", "plugins_listing", "sorted_run_names"]


def environment(config: ServerConfig) -> dict[str, Any]:
    """TensorBoard's ``/data/environment`` object (``creation_time`` 0: a logdir has none)."""
    return {
        "version": config.version,
        "data_location": config.data_location or config.logdir,
        "window_title": config.window_title,
        "experiment_name": config.experiment_name,
        "experiment_description": config.experiment_description,
        "creation_time": 0.0,
    }


def sorted_run_names(runs: Sequence[Run]) -> list[str]:
    """Run names by start time (runs without one last), then name — TensorBoard's order."""

    def key(run: Run) -> tuple[bool, float, str]:
        missing = run.start_time is None
        return (missing, 0.0 if run.start_time is None else run.start_time, run.name)

    return [run.name for run in sorted(runs, key=key)]


def plugins_listing(plugins: Sequence[Plugin], provider: ReadProvider) -> dict[str, Any]:
    """Every plugin, in the app's order, with TensorBoard's listing fields.

    As in TensorBoard, a plugin without data is listed with ``enabled: false``
    (its tab is hidden, but a client knows the dashboard exists).
    """
    return {
        plugin.name: {
            "disable_reload": bool(getattr(plugin, "disable_reload", False)),
            "enabled": plugin.is_active(provider),
            "loading_mechanism": plugin.loading_mechanism,
            "remove_dom": False,
            "tab_name": plugin.tab_name,
        }
        for plugin in plugins
    }


def core_routes(
    config: ServerConfig, provider: ReadProvider, plugins: Sequence[Plugin]
) -> list[BaseRoute]:
    def environment_route(request: Request) -> Response:
        return json_response(environment(config))

    def runs_route(request: Request) -> Response:
        return json_response(sorted_run_names(provider.list_runs()))

    def logdir_route(request: Request) -> Response:
        return json_response({"logdir": config.logdir})

    def window_properties_route(request: Request) -> Response:
        return json_response({"window_title": config.window_title})

    def plugins_listing_route(request: Request) -> Response:
        return json_response(plugins_listing(plugins, provider))

    return [
        Route("/data/environment", environment_route),
        Route("/data/runs", runs_route),
        Route("/data/logdir", logdir_route),
        Route("/data/window_properties", window_properties_route),
        Route("/data/plugins_listing", plugins_listing_route),
    ]
