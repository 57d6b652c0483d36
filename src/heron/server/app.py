"""The ASGI app factory: ``create_app(config, provider, plugins=...)``.

Starlette rather than FastAPI: the TensorBoard-compatible ``/data`` routes
have fixed, hand-specified shapes (form posts, CSV, strings for NaN) that a
pydantic model layer would fight rather than help, and every response goes
through orjson with TensorBoard's NaN rule anyway. Starlette gives routing,
middleware and an in-process test client with a small dependency tree; an
OpenAPI schema for ``/api/v1`` can be published from the route docs later
without changing the handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heron.core.provider import ReadProvider
from heron.errors import InvalidArgumentError, NotFoundError
from heron.server.api_compare import compare_routes
from heron.server.api_run_table import run_table_routes
from heron.server.api_v1 import api_routes
from heron.server.config import ServerConfig
from heron.server.core_routes import core_routes
from heron.server.live import LiveFeed
from heron.server.openapi import openapi_document
from heron.server.plugin import PLUGIN_NAME, Plugin
from heron.server.responses import error_response, json_response
from heron.server.static import static_routes

__all__ = ["create_app", "route_paths"]


# Starlette's default, level 9, spent ~220 ms on 3 MB of scalar JSON where level 1 takes
# ~14 ms for a 12 % larger body: for a dashboard the server's CPU is the scarcer resource.
_GZIP_LEVEL = 1


class _NoSniff:
    """Adds ``X-Content-Type-Options: nosniff`` to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)


def _index_text(paths: Sequence[str]) -> str:
    lines = [
        "Heron is running. The web UI is not built yet; the HTTP API answers at:",
        "",
        *(f"  {path}" for path in paths),
        "",
        "See docs/http-api.md for parameters and response shapes.",
    ]
    return "\n".join(lines) + "\n"


def _routes(
    config: ServerConfig, provider: ReadProvider, plugins: Sequence[Plugin], live: LiveFeed
) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        *core_routes(config, provider, plugins),
        *api_routes(provider, live),
        *compare_routes(provider),
        *run_table_routes(provider),
        Route("/api/v1/openapi.json", _openapi_route(config)),
    ]
    for plugin in plugins:
        if not PLUGIN_NAME.match(plugin.name):
            raise ValueError(f"invalid plugin name {plugin.name!r}")
        routes.append(Mount(f"/data/plugin/{plugin.name}", routes=list(plugin.routes())))
    index = _index_text(route_paths(routes, prefix=config.path_prefix))

    # The web UI at "/" (or, until it is built, this text and how to build it).
    routes[0:0] = static_routes(config, fallback_text=index)
    return routes


def _openapi_route(config: ServerConfig) -> Callable[[Request], Response]:
    document = openapi_document(config.version)

    def openapi_route(request: Request) -> Response:
        return json_response(document)

    return openapi_route


def route_paths(routes: Sequence[BaseRoute], *, prefix: str = "") -> list[str]:
    """Every path of ``routes``, mounts expanded (for the index page and the docs test)."""
    paths: list[str] = []
    for route in routes:
        if isinstance(route, Mount):
            paths.extend(route_paths(route.routes, prefix=prefix + route.path))
        elif isinstance(route, Route):
            paths.append(prefix + route.path)
    return paths


def create_app(
    config: ServerConfig,
    provider: ReadProvider,
    *,
    plugins: Sequence[Plugin] = (),
    live: LiveFeed | None = None,
) -> Starlette:
    """The whole HTTP app, reading only through ``provider``.

    With ``config.path_prefix`` (e.g. ``"/heron"``) everything is served under
    it and the bare prefix redirects to ``prefix/``, as TensorBoard does.
    ``live`` is the feed the ingester notifies (``LiveFeed.notify``) so that
    ``/api/v1/events`` can push changes; without one the stream only pings.
    """
    live = live if live is not None else LiveFeed(provider)
    routes = _routes(config, provider, plugins, live)
    prefix = config.path_prefix
    if prefix:

        def to_root(request: Request) -> Response:
            return RedirectResponse(prefix + "/", status_code=301)

        routes = [Route(prefix, to_root), Mount(prefix, routes=routes)]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(_NoSniff),
            Middleware(GZipMiddleware, minimum_size=500, compresslevel=_GZIP_LEVEL),
        ],
        exception_handlers={
            InvalidArgumentError: error_response,
            NotFoundError: error_response,
        },
    )
    app.state.config = config
    # Plugins' routes are module functions; they find the provider here.
    app.state.provider = provider
    app.state.live = live
    return app
