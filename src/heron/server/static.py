"""The built web UI (``heron/_web``, made by ``make web`` or the hatch build hook) at ``/``.

``index.html`` is read on each request (it is small), so a UI rebuilt while the server runs is
picked up, and the window title is injected into it so that the first paint already shows it.
Vite names every asset by its content hash, so assets may be cached forever (``immutable``);
the index must not be cached, since it names the current hashes.

Only files under ``_web/assets`` are served, and only by a path of plain components: no ``..``,
``.``, empty component, backslash or NUL, and the resolved file must still be inside the folder
(a symlink pointing out is refused). Percent-encoded slashes arrive decoded, so they meet the
same checks.
"""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from heron.errors import NotFoundError
from heron.server.config import ServerConfig
from heron.server.responses import NO_CACHE, text_response

__all__ = ["WEB_DIR", "asset_path", "index_html", "static_routes"]

#: Where the build lands: ``src/heron/_web`` in a checkout, ``heron/_web`` in a wheel.
WEB_DIR = Path(__file__).resolve().parent.parent / "_web"
ASSET_CACHE = "public, max-age=31536000, immutable"
NOT_BUILT = (
    "The web UI is not built. Run `make web` in Heron's source folder "
    "(or `npm ci && npm run build` in web/), then reload this page.\n\n"
)


def asset_path(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``root``, or None if it is not a plain path to one."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return None
    try:
        base = root.resolve()
        candidate = (base / relative).resolve()
        if not candidate.is_relative_to(base) or not candidate.is_file():
            return None
    except OSError:
        # A name no file can have (ENAMETOOLONG, ...) names no file: not found, not a 500.
        return None
    return candidate


def index_html(template: str, window_title: str) -> str:
    """``template`` with its ``<title>`` replaced by ``window_title`` (escaped), if one is set."""
    if not window_title:
        return template
    start = template.find("<title>")
    end = template.find("</title>", start)
    if start < 0 or end < 0:
        return template
    return template[: start + len("<title>")] + html.escape(window_title) + template[end:]


def static_routes(
    config: ServerConfig, *, fallback_text: str, web_dir: Path | None = None
) -> list[BaseRoute]:
    """``/`` (the UI, or ``fallback_text`` with how to build it) and ``/assets/...``."""
    root = web_dir if web_dir is not None else WEB_DIR
    assets = root / "assets"

    def index(request: Request) -> Response:
        try:
            template = (root / "index.html").read_text("utf-8")
        except FileNotFoundError:
            return text_response(NOT_BUILT + fallback_text)
        return Response(
            index_html(template, config.window_title), media_type="text/html", headers=NO_CACHE
        )

    def asset(request: Request) -> Response:
        relative = str(request.path_params["path"])
        path = asset_path(assets, relative)
        if path is None:
            raise NotFoundError(f"no such file: assets/{relative}")
        return FileResponse(path, headers={"Cache-Control": ASSET_CACHE})

    return [Route("/", index), Route("/assets/{path:path}", asset)]
