"""Plain functions over ``ReadProvider`` behind the text routes (no HTTP here).

A text series is a tensor series of plugin ``text`` holding strings (an
object array of ``bytes``). Rank 0 is rendered as Markdown; ranks 1 and 2 as
an HTML table whose cells are rendered as Markdown; higher ranks as a warning
and the 2-D slice at index 0 of the leading dimensions (TensorBoard's rules).
Markdown is CommonMark plus tables (markdown-it-py) with raw HTML escaped, and
the result is sanitised with nh3 to TensorBoard's allow-list. Every step is
returned unless ``max_points`` asks for fewer (TensorBoard keeps 100).
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey

__all__ = ["PLUGIN_NAME", "markdown_to_safe_html", "text_array_to_html", "text_tags", "texts"]

PLUGIN_NAME = "text"
#: TensorBoard's allow-list (``plugin_util``), plus the table parts a Markdown table needs.
_TAGS = {
    "ul", "ol", "li", "p", "pre", "code", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "br", "strong", "em", "a", "img", "table", "thead", "tbody", "td", "tr", "th",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "title", "alt"}}


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _sanitize(fragment: str) -> str:
    import nh3

    return nh3.clean(fragment, tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None)


def _decode(value: Any) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def markdown_to_safe_html(text: str | bytes) -> str:
    """Markdown as sanitised HTML (NUL characters dropped, raw HTML escaped)."""
    source = _decode(text).replace("\x00", "")
    return _sanitize(str(_markdown().render(source)))


def _table(cells: npt.NDArray[Any]) -> str:
    rows = "".join(
        "<tr>\n" + "".join(f"<td>{cell}</td>\n" for cell in row) + "</tr>\n" for row in cells
    )
    return f"<table>\n<tbody>\n{rows}</tbody>\n</table>"


def text_array_to_html(array: npt.NDArray[Any], *, markdown: bool = True) -> str:
    """One step's string tensor as sanitised HTML (see the module docstring)."""
    array = np.asarray(array, dtype=object)

    def render(value: Any) -> str:
        text = _decode(value)
        return markdown_to_safe_html(text) if markdown else html.escape(text)

    if array.ndim == 0:
        return render(array.item())
    warning = ""
    if array.ndim > 2:
        warning = markdown_to_safe_html(
            f"**Warning:** this text summary has rank {array.ndim}; only its 2-D slice at index "
            "0 of the leading dimensions is shown."
        )
        array = array[(0,) * (array.ndim - 2)]
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    cells = np.array([[render(value) for value in row] for row in array], dtype=object)
    return warning + _sanitize(_table(cells))


def text_tags(provider: ReadProvider) -> dict[str, list[str]]:
    """``{run: [tag, ...]}``; runs without text are left out."""
    tags: dict[str, list[str]] = {}
    for series in provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR):
        tags.setdefault(series.run, []).append(series.tag)
    return tags


def texts(
    provider: ReadProvider,
    run: str,
    tag: str,
    *,
    markdown: bool = True,
    max_points: int | None = None,
) -> list[dict[str, Any]]:
    """``[{"wall_time", "step", "text": html}]`` sorted by step; ``[]`` for an unknown series."""
    found = provider.list_series(runs=[run], plugin_name=PLUGIN_NAME, data_class=DataClass.TENSOR)
    if not any(series.tag == tag for series in found):
        return []
    key = SeriesKey(run, tag)
    return [
        {
            "wall_time": point.wall_time,
            "step": point.step,
            "text": text_array_to_html(point.value, markdown=markdown),
        }
        for point in provider.read_tensors([key], max_points=max_points)[key]
    ]
