"""A synchronous in-process client for Heron's ASGI app (needs httpx, from the dev extra)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx

__all__ = ["TestClient"]


class TestClient:
    """A synchronous client for an ASGI app, without sockets.

    Starlette's own TestClient now wants the httpx2 fork; httpx's ASGI transport
    is the same idea, driven here one request per event loop.
    """

    __test__ = False

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                response = await c.request(method, path, **kwargs)
                await response.aread()
                return response

        return anyio.run(send)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)
