"""Every route of the app is documented in docs/http-api.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app, route_paths

HTTP_DOC = (Path(__file__).parents[3] / "docs" / "http-api.md").read_text()


def _paths():
    app = create_app(ServerConfig(), provider=None, plugins=default_plugins())  # type: ignore[arg-type]
    return route_paths(app.routes)


@pytest.mark.parametrize("path", _paths())
def test_route_is_documented(path):
    assert f"`{path}`" in HTTP_DOC
