"""Video tensors as PyTorch's writer lays them out: ``[N, T, C, H, W]`` → ``[T, H', W', C]`` frames.

A batch of N clips plays side by side: N is padded with black clips to a
power of two, then laid out ``2^floor(log2(N) / 2)`` rows high, so 16 clips
make a 4 × 4 grid and 8 make 2 × 4. ``uint8`` values are kept exactly; other
values are taken as ``[0, 1]`` and scaled like images.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from heron.writer.images import to_uint8

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["video_frames"]

_AXES: Final = "NTCHW"


def video_frames(array: npt.NDArray[Any], dataformats: str = "NTCHW") -> npt.NDArray[np.uint8]:
    """uint8 ``[T, H, W, C]`` frames of a video batch; raises ``ValueError`` for bad input."""
    import numpy as np

    layout = dataformats.upper()
    if len(layout) == 4 and "N" not in layout:
        array, layout = array[None], "N" + layout
    if sorted(layout) != sorted(_AXES):
        raise ValueError(f"dataformats {dataformats!r} is not an arrangement of NTCHW or TCHW")
    if array.ndim != len(layout):
        raise ValueError(
            f"dataformats {dataformats!r} has {len(layout)} axes, the video has shape "
            f"{list(array.shape)}"
        )
    if array.dtype.kind not in "biuf":
        raise TypeError(f"video values must be numbers, got dtype {array.dtype}")
    video = array.transpose([layout.index(axis) for axis in _AXES])
    clips, frames, channels, height, width = video.shape
    if 0 in video.shape:
        raise ValueError(f"the video is empty: shape {list(video.shape)} (NTCHW)")
    if channels not in (1, 3, 4):
        raise ValueError(f"video frames have 1, 3 or 4 channels, got {channels}")
    if video.dtype.kind == "f" and not np.isfinite(video).all():
        raise ValueError("the video has NaN or infinite values")
    padded = 1 << (clips - 1).bit_length()
    if padded != clips:
        video = np.concatenate([video, np.zeros((padded - clips, *video.shape[1:]), video.dtype)])
    rows = 1 << ((clips.bit_length() - 1) // 2)
    columns = padded // rows
    grid = video.reshape(rows, columns, frames, channels, height, width)
    grid = grid.transpose(2, 0, 4, 1, 5, 3).reshape(
        frames, rows * height, columns * width, channels
    )
    return to_uint8(grid)
