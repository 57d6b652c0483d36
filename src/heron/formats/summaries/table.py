"""Table summaries (a Heron extra): plugin ``heron_table``, data class BLOB_SEQUENCE.

The tensor is a rank-1 DT_STRING vector: element 0 is the table as UTF-8 JSON,
``{"columns": [name, ...], "rows": [[cell, ...], ...]}``, and elements 1.. are
PNG images. A cell is a JSON string, number, boolean or null, or
``{"image": i}`` for blob ``i`` (1-based, an index into the tensor).
Non-finite numbers are written as the strings ``"NaN"``, ``"Infinity"``,
``"-Infinity"`` (JSON has no such numbers). TensorBoard ignores the series.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from heron.formats.proto.summary_pb2 import DATA_CLASS_BLOB_SEQUENCE, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

__all__ = ["PLUGIN_NAME", "Cell", "ImageRef", "table"]

PLUGIN_NAME: Final = "heron_table"
_CONTENT: Final = json.dumps({"version": 1}).encode()


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A cell showing image ``index`` of the ``images`` passed to ``table`` (0-based there)."""

    index: int


Cell = str | int | float | bool | None | ImageRef


def _cell(value: Cell) -> object:
    if isinstance(value, ImageRef):
        return {"image": value.index + 1}
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def table(
    tag: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    images: Sequence[bytes] = (),
    description: str = "",
) -> Summary.Value:
    """One table; every row has one cell per column."""
    for number, row in enumerate(rows):
        if len(row) != len(columns):
            raise ValueError(
                f"row {number} has {len(row)} cells, the table has {len(columns)} columns"
            )
    document = {
        "columns": [str(name) for name in columns],
        "rows": [[_cell(cell) for cell in row] for row in rows],
    }
    encoded = json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return Summary.Value(
        tag=tag,
        tensor=string_tensor([encoded, *images]),
        metadata=plugin_metadata(
            PLUGIN_NAME, DATA_CLASS_BLOB_SEQUENCE, content=_CONTENT, description=description
        ),
    )
