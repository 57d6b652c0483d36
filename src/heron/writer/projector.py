"""Embedding-projector files: what ``add_embedding`` writes next to the event files.

TensorBoard's projector reads files, not events. Per call, in
``<log_dir>/<step, 5 digits>/<tag, with % / \\ escaped>/``:

* ``tensors.tsv`` — one point per line, tab-separated numbers;
* ``metadata.tsv`` — one label per line; with several columns the first line
  is the tab-separated header (the projector takes a first line holding a tab
  for a header, so a one-column header cannot be written: it is left out);
* ``sprite.png`` — the label images as one square-ish grid, ``ceil(sqrt(N))``
  per row;

and ``<log_dir>/projector_config.pbtxt`` lists every embedding logged into the
directory. It is rewritten (atomically) after each call, keeping what an
earlier writer had listed there and replacing an entry of the same name.
"""

from __future__ import annotations

import math
import os
import posixpath
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from google.protobuf import text_format

from heron.formats.proto.projector_config_pb2 import EmbeddingInfo, ProjectorConfig

if TYPE_CHECKING:
    import numpy.typing as npt

    from heron.writer.pipeline import Output

__all__ = ["CONFIG_NAME", "Embedding", "ProjectorFiles", "embedding_dir"]

CONFIG_NAME: Final = "projector_config.pbtxt"


def _escape(tag: str) -> str:
    return tag.replace("%", "%25").replace("/", "%2f").replace("\\", "%5c")


def embedding_dir(tag: str, step: int) -> str:
    """The directory of one embedding, relative to the log directory (``/``-separated)."""
    return f"{str(step).zfill(5)}/{_escape(tag)}"


@dataclass(frozen=True, slots=True)
class Embedding:
    """One ``add_embedding`` call, captured and validated on the caller's thread."""

    tag: str
    step: int
    matrix: npt.NDArray[Any]
    metadata: Sequence[Any] | None
    header: Sequence[str] | None
    label_images: npt.NDArray[Any] | None

    @property
    def nbytes(self) -> int:
        images = 0 if self.label_images is None else self.label_images.nbytes
        return int(self.matrix.nbytes) + images


def _cell(value: Any) -> str:
    """A TSV cell: tabs and line breaks inside a label would shift every later row."""
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _metadata_tsv(rows: Sequence[Any], header: Sequence[str] | None) -> bytes:
    if header and len(header) > 1:
        lines = ["\t".join(_cell(cell) for cell in row) for row in [list(header), *rows]]
    elif header:  # one column: the projector cannot tell its header from a label
        lines = [_cell(row[0]) for row in rows]
    else:
        lines = [_cell(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tensors_tsv(matrix: npt.NDArray[Any]) -> bytes:
    return "".join("\t".join(map(str, row)) + "\n" for row in matrix.tolist()).encode("utf-8")


def _sprite_png(images: npt.NDArray[Any]) -> bytes:
    """A grid of ``[N, C, H, W]`` thumbnails, ``ceil(sqrt(N))`` per row, on a black square."""
    import numpy as np

    from heron.formats.summaries.images import encode_png
    from heron.writer.images import make_grid

    columns = math.ceil(images.shape[0] ** 0.5)
    grid = make_grid(images, columns=columns)[:3].transpose(1, 2, 0)
    side = max(grid.shape[1], grid.shape[0])
    canvas = np.zeros((side, grid.shape[1], 3), dtype=np.float64)
    canvas[: grid.shape[0]] = grid
    if images.dtype == np.uint8:
        pixels = canvas.astype(np.uint8)
    else:
        pixels = (canvas * 255).clip(0, 255).astype(np.uint8)
    return encode_png(pixels)


class ProjectorFiles:
    """The projector configuration of one log directory, owned by the background thread."""

    def __init__(self, log_dir: str) -> None:
        self._log_dir = log_dir
        self._config: ProjectorConfig | None = None

    def _load(self) -> ProjectorConfig:
        if self._config is None:
            self._config = ProjectorConfig()
            path = os.path.join(self._log_dir, CONFIG_NAME)
            try:
                with open(path, encoding="utf-8") as stream:
                    text_format.Parse(stream.read(), self._config)
            except FileNotFoundError:
                pass
            except text_format.ParseError:
                warnings.warn(f"{path} is not a projector config; it is replaced", stacklevel=1)
                self._config = ProjectorConfig()
        return self._config

    def write(self, embedding: Embedding, out: Output) -> None:
        subdir = embedding_dir(embedding.tag, embedding.step)
        directory = os.path.join(self._log_dir, *subdir.split("/"))
        info = EmbeddingInfo(
            tensor_name=f"{embedding.tag}:{str(embedding.step).zfill(5)}",
            tensor_path=posixpath.join(subdir, "tensors.tsv"),
        )
        if embedding.metadata is not None:
            out.asset(
                os.path.join(directory, "metadata.tsv"),
                _metadata_tsv(embedding.metadata, embedding.header),
            )
            info.metadata_path = posixpath.join(subdir, "metadata.tsv")
        if embedding.label_images is not None:
            out.asset(os.path.join(directory, "sprite.png"), _sprite_png(embedding.label_images))
            info.sprite.image_path = posixpath.join(subdir, "sprite.png")
            height, width = embedding.label_images.shape[2:4]
            info.sprite.single_image_dim.extend([width, height])
        out.asset(os.path.join(directory, "tensors.tsv"), _tensors_tsv(embedding.matrix))
        config = self._load()
        kept = [entry for entry in config.embeddings if entry.tensor_name != info.tensor_name]
        del config.embeddings[:]
        config.embeddings.extend([*kept, info])
        out.asset(
            os.path.join(self._log_dir, CONFIG_NAME),
            text_format.MessageToString(config).encode("utf-8"),
        )


def check_embedding(
    matrix: npt.NDArray[Any],
    metadata: Sequence[Any] | None,
    header: Sequence[str] | None,
    label_images: npt.NDArray[Any] | None,
) -> None:
    """Raise ``ValueError`` for inputs the projector could not show."""
    import numpy as np

    if matrix.ndim != 2:
        raise ValueError(f"mat must be 2-D [N, D], got shape {list(matrix.shape)}")
    if matrix.shape[0] == 0:
        raise ValueError("mat has no points")
    if matrix.dtype.kind not in "biuf":
        raise TypeError(f"mat must hold numbers, got dtype {matrix.dtype}")
    if matrix.dtype.kind == "f" and not np.isfinite(matrix).all():
        raise ValueError("mat has NaN or infinite values")
    points = matrix.shape[0]
    if metadata is not None:
        if len(metadata) != points:
            raise ValueError(f"{len(metadata)} metadata rows for {points} points")
        if header:
            for number, row in enumerate(metadata):
                if isinstance(row, str) or len(row) != len(header):
                    raise ValueError(
                        f"metadata row {number} must have {len(header)} cells, like metadata_header"
                    )
    if label_images is not None:
        if label_images.ndim != 4 or label_images.shape[1] not in (1, 3):
            raise ValueError(
                f"label_img must be [N, C, H, W] with C = 1 or 3, got {list(label_images.shape)}"
            )
        if label_images.shape[0] != points:
            raise ValueError(f"{label_images.shape[0]} label images for {points} points")
        if label_images.dtype.kind == "f" and not np.isfinite(label_images).all():
            raise ValueError("label_img has NaN or infinite values")
