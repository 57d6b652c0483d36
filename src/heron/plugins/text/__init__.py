"""The text dashboard's routes, TensorBoard-compatible (reference §5.8)."""

from heron.plugins.text.data import markdown_to_safe_html, text_array_to_html, text_tags, texts
from heron.plugins.text.routes import TextPlugin

__all__ = ["TextPlugin", "markdown_to_safe_html", "text_array_to_html", "text_tags", "texts"]
