"""Videos: animated GIF for TensorBoard's images dashboard, MP4 / WebM for Heron's own.

PyTorch's ``add_video`` stores an animated GIF as an image, which TensorBoard
shows as a moving picture. GIF has 256 colours per frame: frames with at most
256 distinct colours in all are stored exactly (one shared palette), others
are quantised frame by frame.

MP4 (H.264) and WebM (VP9) keep every colour at a fraction of the size; they
need PyAV (``pip install heron[video]``) and go to plugin ``heron_video``
(TensorBoard ignores it), as DT_STRING ``[width, height, video]`` like images.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal

from heron.formats.proto.summary_pb2 import DATA_CLASS_BLOB_SEQUENCE, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["MIME_TYPES", "PLUGIN_NAME", "VideoFormat", "encode_gif", "encode_video", "video"]

PLUGIN_NAME: Final = "heron_video"
VideoFormat = Literal["mp4", "webm"]
MIME_TYPES: Final[dict[str, str]] = {"gif": "image/gif", "mp4": "video/mp4", "webm": "video/webm"}
# Codec candidates per container, best first.
_CODECS: Final[dict[str, tuple[str, ...]]] = {
    "mp4": ("libx264", "h264", "mpeg4"),
    "webm": ("libvpx-vp9", "libvpx"),
}


def encode_gif(frames: npt.NDArray[np.uint8], fps: float) -> bytes:
    """An endlessly looping GIF of ``[T, H, W, C]`` uint8 frames (C = 1 or 3; alpha is dropped)."""
    import numpy as np
    from PIL import Image

    if frames.ndim != 4 or frames.shape[0] == 0:
        raise ValueError(
            f"frames must have shape [T, H, W, C] with T >= 1, got {list(frames.shape)}"
        )
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    rgb = frames[..., :3] if frames.shape[3] >= 3 else np.repeat(frames[..., :1], 3, axis=3)
    packed = (
        (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
    )
    colors, indices = np.unique(packed, return_inverse=True)
    images: list[Image.Image]
    if len(colors) <= 256:
        palette = np.stack([colors >> 16, (colors >> 8) & 0xFF, colors & 0xFF], axis=1)
        palette_bytes = palette.astype(np.uint8).tobytes()
        images = []
        for frame in indices.reshape(packed.shape).astype(np.uint8):
            image = Image.fromarray(frame)
            image.putpalette(palette_bytes)  # an "L" image with a palette becomes "P"
            images.append(image)
    else:
        images = [Image.fromarray(np.ascontiguousarray(frame)).quantize(256) for frame in rgb]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=max(10, round(1000 / fps)),
        loop=0,
    )
    return buffer.getvalue()


def available_codec(container: VideoFormat) -> str | None:
    """The codec PyAV would use for ``container``, or None (PyAV missing, or no encoder)."""
    try:
        import av
    except ImportError:
        return None
    for name in _CODECS[container]:
        try:
            av.codec.Codec(name, "w")
        except Exception:  # any failure means "not this one"
            continue
        return name
    return None


def encode_video(frames: npt.NDArray[np.uint8], fps: float, container: VideoFormat) -> bytes:
    """MP4 (H.264) or WebM (VP9) of ``[T, H, W, C]`` uint8 frames, through PyAV.

    Odd widths and heights are padded by one black pixel (4:2:0 chroma needs
    even sizes). Raises ``RuntimeError`` when PyAV or an encoder is missing.
    """
    import numpy as np

    codec = available_codec(container)
    if codec is None:
        raise RuntimeError(
            f"add_video(format={container!r}) needs PyAV with a {container} encoder: "
            "pip install 'heron[video]'"
        )
    import av

    rgb = frames[..., :3] if frames.shape[3] >= 3 else np.repeat(frames[..., :1], 3, axis=3)
    height, width = rgb.shape[1], rgb.shape[2]
    padded = np.zeros((rgb.shape[0], height + height % 2, width + width % 2, 3), dtype=np.uint8)
    padded[:, :height, :width] = rgb
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream: Any = output.add_stream(codec, rate=Fraction(fps).limit_denominator(1000))
        stream.width = padded.shape[2]
        stream.height = padded.shape[1]
        stream.pix_fmt = "yuv420p"
        for frame in padded:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return buffer.getvalue()


def video(
    tag: str,
    encoded: bytes,
    *,
    width: int,
    height: int,
    container: VideoFormat,
    fps: float,
    description: str = "",
) -> Summary.Value:
    content = json.dumps({"version": 1, "mime_type": MIME_TYPES[container], "fps": fps}).encode()
    return Summary.Value(
        tag=tag,
        tensor=string_tensor([str(width).encode(), str(height).encode(), encoded]),
        metadata=plugin_metadata(
            PLUGIN_NAME, DATA_CLASS_BLOB_SEQUENCE, content=content, description=description
        ),
    )
