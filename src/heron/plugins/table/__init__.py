"""Heron's tables dashboard (``add_table``): its routes and plain functions."""

from heron.plugins.table.data import table_at, table_image, table_steps, table_tags
from heron.plugins.table.routes import TablePlugin

__all__ = ["TablePlugin", "table_at", "table_image", "table_steps", "table_tags"]
