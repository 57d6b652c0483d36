"""Text summaries: a DT_STRING tensor; rank 0 is rendered as Markdown, rank 1–2 as a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

__all__ = ["PLUGIN_NAME", "text"]

PLUGIN_NAME: Final = "text"


def text(
    tag: str, markdown: str, *, description: str = "", shape: Sequence[int] = ()
) -> Summary.Value:
    """One Markdown string; ``shape=(1,)`` is the one-cell table PyTorch's ``add_text`` writes."""
    return Summary.Value(
        tag=tag,
        tensor=string_tensor([markdown.encode("utf-8")], shape=shape),
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_TENSOR, description=description),
    )
