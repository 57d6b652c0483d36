"""Image summaries: DT_STRING ``[width, height, png_1, ..., png_k]``, data class BLOB_SEQUENCE."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from heron.formats.proto.images_plugin_pb2 import ImagePluginData
from heron.formats.proto.summary_pb2 import DATA_CLASS_BLOB_SEQUENCE, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

if TYPE_CHECKING:
    import numpy.typing as npt

PLUGIN_NAME: Final = "images"


def encode_png(pixels: npt.ArrayLike) -> bytes:
    """PNG bytes of an ``[H, W]`` or ``[H, W, C]`` (C in 1, 3, 4) uint8 array."""
    import numpy as np
    from PIL import Image

    array = np.asarray(pixels)
    if array.dtype != np.uint8:
        raise TypeError(f"encode_png needs uint8 pixels, got {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def image(
    tag: str,
    encoded: Sequence[bytes],
    *,
    width: int,
    height: int,
    description: str = "",
) -> Summary.Value:
    """One step's images of a tag, already encoded (PNG, JPEG, GIF...), all the same size."""
    content = ImagePluginData().SerializeToString()
    return Summary.Value(
        tag=tag,
        tensor=string_tensor([str(width).encode(), str(height).encode(), *encoded]),
        metadata=plugin_metadata(
            PLUGIN_NAME, DATA_CLASS_BLOB_SEQUENCE, content=content, description=description
        ),
    )
