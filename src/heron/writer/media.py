"""Images, figures, videos and audio: the ``add_*`` calls whose payloads are encoded media.

On the caller's thread each call copies and validates its input (so errors
raise where the call is, and the caller may reuse its tensor at once); PNG,
GIF, MP4/WebM and WAV encoding happen on the background thread.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries.audio import audio as audio_value
from heron.formats.summaries.audio import encode_wav
from heron.formats.summaries.images import image as image_value
from heron.formats.summaries.video import available_codec, encode_gif, encode_video
from heron.formats.summaries.video import video as video_value
from heron.writer import inputs
from heron.writer.base import WriterBase
from heron.writer.images import encode_image, hwc_image
from heron.writer.video import video_frames

__all__ = ["MediaMethods"]

VideoFormat = Literal["gif", "mp4", "webm"]


class MediaMethods(WriterBase):
    """``add_image(s)``, ``add_image_with_boxes``, ``add_figure``, ``add_video``, ``add_audio``."""

    def _add_pixels(
        self,
        tag: str,
        img_tensor: Any,
        global_step: Any,
        walltime: float | None,
        dataformats: str,
        *,
        rescale: float = 1,
        boxes: Any = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        inputs.check_tag(tag)
        pixels = hwc_image(*inputs.image_array(img_tensor, dataformats))
        if rescale <= 0:
            raise ValueError(f"rescale must be positive, got {rescale}")

        def build() -> list[Summary.Value]:
            from heron.writer.images import to_uint8

            encoded, width, height = encode_image(
                to_uint8(pixels), rescale=rescale, boxes=boxes, labels=labels
            )
            return [image_value(tag, [encoded], width=width, height=height)]

        self._submit(
            f"image {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=pixels.nbytes,
        )

    def add_image(
        self,
        tag: str,
        img_tensor: Any,
        global_step: Any = None,
        walltime: float | None = None,
        dataformats: str = "CHW",
    ) -> None:
        """Log an image: ``dataformats`` names its axes (``CHW``, ``HWC``, ``HW``...).

        uint8 pixels are taken as they are, other types as values in [0, 1].
        PIL images and matplotlib figures carry their own layout.
        """
        self._add_pixels(tag, img_tensor, global_step, walltime, dataformats)

    def add_images(
        self,
        tag: str,
        img_tensor: Any,
        global_step: Any = None,
        walltime: float | None = None,
        dataformats: str = "NCHW",
    ) -> None:
        """Log a batch of images as one grid image, 8 per row (``NCHW``, ``NHWC``...)."""
        self._add_pixels(tag, img_tensor, global_step, walltime, dataformats)

    def add_image_with_boxes(
        self,
        tag: str,
        img_tensor: Any,
        box_tensor: Any,
        global_step: Any = None,
        walltime: float | None = None,
        rescale: float = 1,
        dataformats: str = "CHW",
        labels: str | Sequence[str] | None = None,
    ) -> None:
        """Log an image with boxes ``[N, 4]`` of ``(xmin, ymin, xmax, ymax)`` pixels drawn on it.

        ``labels`` (one per box) are written on the boxes; as in PyTorch, a
        list of the wrong length is ignored (with a warning here).
        """
        boxes = inputs.to_numpy(box_tensor)
        if boxes.size == 0:
            boxes = boxes.reshape(0, 4)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise ValueError(f"boxes must have shape [N, 4], got {list(boxes.shape)}")
        if boxes.dtype.kind == "f" and inputs.non_finite(boxes):
            raise ValueError("boxes have NaN or infinite coordinates")
        names: list[str] | None = None
        if labels is not None:
            names = [labels] if isinstance(labels, str) else [str(label) for label in labels]
            if len(names) != boxes.shape[0]:
                warnings.warn(
                    f"add_image_with_boxes: {len(names)} labels for {boxes.shape[0]} boxes; "
                    "labels ignored",
                    stacklevel=2,
                )
                names = None
        self._add_pixels(
            tag,
            img_tensor,
            global_step,
            walltime,
            dataformats,
            rescale=rescale,
            boxes=boxes,
            labels=names,
        )

    def add_figure(
        self,
        tag: str,
        figure: Any,
        global_step: Any = None,
        close: bool = True,
        walltime: float | None = None,
    ) -> None:
        """Log a matplotlib figure (or a list of them, as a grid), rendered now by Agg.

        ``close`` releases the figure afterwards, as PyTorch does.
        """
        import numpy as np

        figures = figure if isinstance(figure, list) else [figure]
        if not figures:
            raise ValueError("add_figure needs at least one figure")
        for item in figures:
            if not inputs.is_figure(item):
                raise TypeError(f"expected a matplotlib Figure, got {type(item).__name__}")
        rendered = [inputs.render_figure(item) for item in figures]
        if close:
            for item in figures:
                inputs.close_figure(item)
        if isinstance(figure, list):
            if len({image.shape for image in rendered}) > 1:
                raise ValueError("figures in one add_figure call must have the same pixel size")
            self._add_pixels(tag, np.stack(rendered), global_step, walltime, "NHWC")
        else:
            self._add_pixels(tag, rendered[0], global_step, walltime, "HWC")

    def add_video(
        self,
        tag: str,
        vid_tensor: Any,
        global_step: Any = None,
        fps: float = 4,
        walltime: float | None = None,
        *,
        format: VideoFormat = "gif",
        dataformats: str = "NTCHW",
    ) -> None:
        """Log a batch of videos ``[N, T, C, H, W]`` played side by side.

        ``format="gif"`` (the default) is what TensorBoard shows; ``"mp4"`` and
        ``"webm"`` keep every colour and are shown by Heron only (they need PyAV).
        """
        inputs.check_tag(tag)
        if format not in ("gif", "mp4", "webm"):
            raise ValueError(f"format must be 'gif', 'mp4' or 'webm', got {format!r}")
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        if format != "gif" and available_codec(format) is None:
            raise RuntimeError(
                f"add_video(format={format!r}) needs PyAV with a {format} encoder: "
                "pip install 'heron[video]'"
            )
        frames = video_frames(inputs.to_numpy(vid_tensor), dataformats)
        height, width = frames.shape[1], frames.shape[2]

        def build() -> list[Summary.Value]:
            if format == "gif":
                return [image_value(tag, [encode_gif(frames, fps)], width=width, height=height)]
            encoded = encode_video(frames, fps, format)
            return [
                video_value(tag, encoded, width=width, height=height, container=format, fps=fps)
            ]

        self._submit(
            f"video {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=frames.nbytes,
        )

    def add_audio(
        self,
        tag: str,
        snd_tensor: Any,
        global_step: Any = None,
        sample_rate: int = 44100,
        walltime: float | None = None,
    ) -> None:
        """Log a mono clip ``[L]`` (or ``[1, L]``) of samples in [-1, 1], as 16-bit WAV."""
        import numpy as np

        inputs.check_tag(tag)
        if int(sample_rate) != sample_rate or sample_rate <= 0:
            raise ValueError(f"sample_rate must be a positive integer, got {sample_rate}")
        samples = inputs.to_numpy(snd_tensor).squeeze()
        if samples.ndim != 1:
            raise ValueError(
                f"expected one channel of samples, [L] or [1, L]; got shape {list(samples.shape)}"
            )
        if samples.size == 0:
            raise ValueError("the audio clip has no samples")
        if samples.dtype.kind not in "biuf":
            raise TypeError(f"audio samples must be numbers, got dtype {samples.dtype}")
        if samples.dtype.kind == "f" and inputs.non_finite(samples):
            raise ValueError("the audio clip has NaN or infinite samples")
        if np.abs(samples).max() > 1:
            warnings.warn(f"add_audio({tag!r}): samples outside [-1, 1] are clipped", stacklevel=2)
            samples = samples.clip(-1, 1)
        rate = int(sample_rate)

        def build() -> list[Summary.Value]:
            scaled = samples if samples.dtype.kind == "f" else samples.astype(np.float64)
            pcm = (scaled * np.iinfo(np.int16).max).astype("<i2")
            return [audio_value(tag, [encode_wav(pcm, rate)])]

        self._submit(
            f"audio {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=samples.nbytes,
        )
