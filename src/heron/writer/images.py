"""Pixels as PyTorch's writer lays them out: layouts, grids, 8-bit scaling, boxes.

Every rule here is PyTorch's, so that one call gives the same picture with
either writer:

* ``dataformats`` names the axes (``CHW``, ``HWC``, ``HW``, ``WH``, ``NCHW``,
  ``NHWC``...); one-channel and two-axis images become RGB;
* a batch becomes one grid image, 8 columns wide (``make_grid``);
* ``uint8`` pixels are kept, anything else is taken as ``[0, 1]``: multiplied by
  255, clipped to ``[0, 255]`` and truncated to ``uint8``;
* boxes are red outlines two pixels wide, a label in black on red above the
  box's bottom-left corner.

The caller's thread validates and copies (``hwc_image``); the background
thread scales, draws and encodes (``encode_image``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["encode_image", "hwc_image", "make_grid", "to_uint8"]

_AXES: Final = {4: "NCHW", 3: "CHW", 2: "HW"}
GRID_COLUMNS: Final = 8


def _check_format(shape: tuple[int, ...], dataformats: str) -> str:
    layout = dataformats.upper()
    expected = _AXES.get(len(layout))
    if expected is None or sorted(layout) != sorted(expected):
        raise ValueError(f"dataformats {dataformats!r} is not an arrangement of NCHW, CHW or HW")
    if len(shape) != len(layout):
        raise ValueError(
            f"dataformats {dataformats!r} has {len(layout)} axes, the image has shape {list(shape)}"
        )
    return layout


def hwc_image(array: npt.NDArray[Any], dataformats: str) -> npt.NDArray[Any]:
    """``[H, W, C]`` pixels of an image or (4 axes) of a batch laid out as a grid.

    C is 3 (RGB) or 4 (RGBA); single-channel images become RGB. Raises
    ``ValueError`` for a wrong shape, an empty image, or non-finite values.
    """
    import numpy as np

    layout = _check_format(array.shape, dataformats)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"image pixels must be numbers, got dtype {array.dtype}")
    if array.size == 0:
        raise ValueError(f"the image is empty: shape {list(array.shape)}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError("the image has NaN or infinite pixels")
    if len(layout) == 4:
        batch = array.transpose([layout.index(axis) for axis in "NCHW"])
        return make_grid(batch).transpose(1, 2, 0)
    if len(layout) == 3:
        hwc = array.transpose([layout.index(axis) for axis in "HWC"])
        channels = hwc.shape[2]
        if channels == 1:
            return np.concatenate([hwc, hwc, hwc], axis=2)
        if channels not in (2, 3, 4):
            raise ValueError(
                f"an image has 1 to 4 channels (gray, gray+alpha, RGB, RGBA), got {channels}"
            )
        return hwc
    hw = array.transpose([layout.index(axis) for axis in "HW"])
    return np.stack([hw, hw, hw], axis=2)


def make_grid(batch: npt.NDArray[Any], columns: int = GRID_COLUMNS) -> npt.NDArray[Any]:
    """A ``[C, rows·H, cols·W]`` canvas of ``[N, C, H, W]`` images, row by row, black elsewhere."""
    import numpy as np

    count, channels, height, width = batch.shape
    if count == 0:
        raise ValueError("the batch holds no images")
    if channels == 1:
        batch = np.concatenate([batch, batch, batch], axis=1)
        channels = 3
    if channels not in (3, 4):
        raise ValueError(f"batched images have 1, 3 or 4 channels, got {channels}")
    columns = min(count, columns)
    rows = -(-count // columns)
    canvas = np.zeros((channels, height * rows, width * columns), dtype=batch.dtype)
    for index in range(count):
        row, column = divmod(index, columns)
        canvas[:, row * height : (row + 1) * height, column * width : (column + 1) * width] = batch[
            index
        ]
    return canvas


def to_uint8(pixels: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """``uint8`` pixels as they are; others (taken as [0, 1]) × 255, clipped, truncated."""
    import numpy as np

    if pixels.dtype == np.uint8:
        return pixels
    scaled = pixels.astype(np.float32) * 255
    return scaled.clip(0, 255).astype(np.uint8)


def encode_image(
    pixels: npt.NDArray[np.uint8],
    *,
    rescale: float = 1,
    boxes: npt.NDArray[Any] | None = None,
    labels: Sequence[str] | None = None,
) -> tuple[bytes, int, int]:
    """PNG bytes, width and height of ``[H, W, C]`` uint8 pixels, boxes drawn, then rescaled."""
    from PIL import Image

    image = Image.fromarray(pixels)
    if boxes is not None:
        image = _draw_boxes(image, boxes, labels)
    if rescale != 1:
        size = (int(image.width * rescale), int(image.height * rescale))
        if size[0] < 1 or size[1] < 1:
            raise ValueError(f"rescale={rescale} leaves no pixel of a {image.size} image")
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), image.width, image.height


def _draw_boxes(image: Any, boxes: npt.NDArray[Any], labels: Sequence[str] | None) -> Any:
    import math

    from PIL import ImageDraw, ImageFont

    font = ImageFont.load_default()
    draw = ImageDraw.Draw(image)
    for index, (left, top, right, bottom) in enumerate(boxes.tolist()):
        draw.line(
            [(left, top), (left, bottom), (right, bottom), (right, top), (left, top)],
            width=2,
            fill="Red",
        )
        label = labels[index] if labels is not None else None
        if label:
            x0, y0, x1, y1 = font.getbbox(label)
            text_width, text_height = x1 - x0, y1 - y0
            margin = math.ceil(0.05 * text_height)
            draw.rectangle(
                [(left, bottom - text_height - 2 * margin), (left + text_width, bottom)],
                fill="Red",
            )
            draw.text(
                (left + margin, bottom - text_height - margin), label, fill="black", font=font
            )
    return image
