"""Heron's HTML dashboard (``add_html``): its routes and plain functions."""

from heron.plugins.html.data import html_fragments, html_tags
from heron.plugins.html.routes import HtmlPlugin

__all__ = ["HtmlPlugin", "html_fragments", "html_tags"]
