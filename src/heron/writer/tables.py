"""``add_table``'s input: rows and columns from lists, dicts or a pandas DataFrame.

Accepted shapes of ``rows``:

* a list of rows, each a list or tuple (``columns`` names them; default
  ``"0"``, ``"1"``...), or each a dict (columns: every key, in first-seen order;
  a missing key is an empty cell);
* a dict of columns, ``{name: [cells]}``, all of one length;
* a pandas ``DataFrame``.

A cell is a string, number, bool or None; numpy scalars and one-element
tensors are numbers; a PIL image, a matplotlib figure or a ``TableImage``
(an array with its ``dataformats``) is an image, encoded as PNG on the
background thread; anything else is shown as ``str(cell)``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heron.formats.summaries.table import Cell, ImageRef
from heron.writer import inputs
from heron.writer.images import hwc_image

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["CapturedTable", "TableImage", "capture_table"]


@dataclass(frozen=True, slots=True)
class TableImage:
    """An image cell of ``add_table``: pixels with their layout, as ``add_image`` takes them."""

    data: Any
    dataformats: str = "CHW"


@dataclass(frozen=True, slots=True)
class CapturedTable:
    columns: list[str]
    rows: list[list[Cell]]
    #: ``[H, W, C]`` pixels of the image cells, in ``ImageRef`` order.
    images: list[npt.NDArray[Any]]

    @property
    def nbytes(self) -> int:
        return sum(int(image.nbytes) for image in self.images)


def _is_image(cell: object) -> bool:
    return isinstance(cell, TableImage) or inputs.is_pil_image(cell) or inputs.is_figure(cell)


def _cell(value: object, images: list[npt.NDArray[Any]]) -> Cell:
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, numbers.Real):
        return float(value) if not isinstance(value, numbers.Integral) else int(value)
    if _is_image(value):
        if isinstance(value, TableImage):
            pixels = hwc_image(*inputs.image_array(value.data, value.dataformats))
        else:
            pixels = hwc_image(*inputs.image_array(value, "HWC"))
        images.append(pixels)
        return ImageRef(len(images) - 1)
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "item") and math.prod(shape) == 1:
        return _cell(value.item(), images)
    return str(value)


def capture_table(rows: Any, columns: Sequence[str] | None = None) -> CapturedTable:
    """Validate and convert ``add_table``'s input (see the module docstring)."""
    header: list[str]
    body: list[Sequence[Any]]
    if inputs.framework_of(rows) == "pandas" and hasattr(rows, "itertuples"):
        header = [str(name) for name in rows.columns]
        body = [list(row) for row in rows.itertuples(index=False, name=None)]
    elif isinstance(rows, Mapping):
        header = [str(name) for name in rows]
        cells = [list(column) for column in rows.values()]
        lengths = {len(column) for column in cells}
        if len(lengths) > 1:
            raise ValueError(f"table columns have different lengths: {sorted(lengths)}")
        body = [list(row) for row in zip(*cells, strict=True)]
    elif isinstance(rows, Sequence) and not isinstance(rows, str | bytes):
        if rows and all(isinstance(row, Mapping) for row in rows):
            header = []
            for row in rows:
                header.extend(str(key) for key in row if str(key) not in header)
            body = [
                [{str(k): v for k, v in row.items()}.get(name) for name in header] for row in rows
            ]
        else:
            body = []
            for number, row in enumerate(rows):
                if isinstance(row, str | bytes) or not isinstance(row, Sequence):
                    raise TypeError(f"table row {number} must be a list or tuple of cells")
                body.append(list(row))
            width = len(columns) if columns is not None else max((len(r) for r in body), default=0)
            header = (
                [str(name) for name in columns]
                if columns is not None
                else [str(i) for i in range(width)]
            )
    else:
        raise TypeError(
            "add_table takes a list of rows, a dict of columns or a pandas DataFrame, "
            f"got {type(rows).__name__}"
        )
    if columns is not None and len(columns) != len(header):
        raise ValueError(f"{len(columns)} column names for {len(header)} columns")
    if columns is not None:
        header = [str(name) for name in columns]
    for number, row in enumerate(body):
        if len(row) != len(header):
            raise ValueError(f"table row {number} has {len(row)} cells, expected {len(header)}")
    images: list[npt.NDArray[Any]] = []
    converted = [[_cell(value, images) for value in row] for row in body]
    return CapturedTable(header, converted, images)
