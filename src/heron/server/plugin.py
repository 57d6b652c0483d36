"""The plugin interface: how a dashboard kind adds its routes to the app.

A plugin is a name, its Starlette routes (mounted at ``/data/plugin/<name>``)
and ``is_active(provider)`` — whether the experiment has data for it, which is
what ``/data/plugins_listing`` reports as ``enabled``. The server layer never
imports ``heron.plugins``; the composition root (the CLI, tests) passes plugin
instances to ``create_app``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from starlette.requests import Request
from starlette.routing import BaseRoute

from heron.core.provider import ReadProvider

__all__ = ["PLUGIN_NAME", "Plugin", "provider_of"]

#: TensorBoard's rule for plugin names (they become URL path segments).
PLUGIN_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@runtime_checkable
class Plugin(Protocol):
    """One dashboard kind; see the module docstring."""

    #: The URL segment and ``plugins_listing`` key, e.g. ``"scalars"``.
    name: str
    #: The tab label TensorBoard's frontend shows.
    tab_name: str
    #: TensorBoard's ``loading_mechanism`` (e.g. ``{"type": "CUSTOM_ELEMENT", ...}``).
    loading_mechanism: dict[str, str]

    # A plugin may also set ``disable_reload = True`` (TensorBoard's graphs does: its view
    # must not redraw on every reload); ``plugins_listing`` reports it.

    def routes(self) -> Sequence[BaseRoute]:
        """Routes relative to ``/data/plugin/<name>``; each a thin wrapper over plain functions."""
        ...

    def is_active(self, provider: ReadProvider) -> bool:
        """Whether the experiment holds data this plugin shows (cheap: list, never read points)."""
        ...


def provider_of(request: Request) -> ReadProvider:
    """The ReadProvider the app was built with: the one way a plugin route reaches the data."""
    provider: ReadProvider = request.app.state.provider
    return provider
