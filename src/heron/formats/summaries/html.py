"""HTML summaries (a Heron extra): a DT_STRING scalar of HTML, plugin ``heron_html``.

TensorBoard has no such plugin and ignores the series. Heron shows it in a
sandboxed frame (scripts only when the viewer opts in): the HTML is stored
exactly as given.
"""

from __future__ import annotations

import json
from typing import Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

__all__ = ["PLUGIN_NAME", "html"]

PLUGIN_NAME: Final = "heron_html"
_CONTENT: Final = json.dumps({"version": 1}).encode()


def html(tag: str, markup: str, *, description: str = "") -> Summary.Value:
    return Summary.Value(
        tag=tag,
        tensor=string_tensor([markup.encode("utf-8")], shape=()),
        metadata=plugin_metadata(
            PLUGIN_NAME, DATA_CLASS_TENSOR, content=_CONTENT, description=description
        ),
    )
