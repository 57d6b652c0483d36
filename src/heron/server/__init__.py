"""Heron's HTTP server: TensorBoard-compatible ``/data`` routes and Heron's ``/api/v1``.

It reads only through ``heron.core.provider.ReadProvider``; it never imports
storage or ingest (an import-linter contract checks it). Dashboard kinds plug
in through ``heron.server.plugin.Plugin``.
"""

from heron.server.app import create_app, route_paths
from heron.server.config import ServerConfig, normalize_path_prefix
from heron.server.plugin import Plugin

__all__ = ["Plugin", "ServerConfig", "create_app", "normalize_path_prefix", "route_paths"]
