"""Deterministic inputs for the recipes, and the record fields that describe them.

Fixed seeds, fixed wall times, tiny sizes: 4x3 images, 64-frame audio clips, a
two-op torch model and a four-vertex mesh.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .records import Recorder

#: Wall times handed to writers that accept one: far from "now", exact in a double.
BASE_WALL_TIME = 1_700_000_000.25
#: Every scalar recipe writes these (float32 rounding, sign, huge, tiny, non-finite).
SCALAR_VALUES = (1.0, 0.1, -2.5, 1e30, 1e-30, float("nan"), float("inf"))
IMAGE_HEIGHT, IMAGE_WIDTH = 3, 4
AUDIO_RATE, AUDIO_FRAMES = 8000, 64
TEXT = "Hello, **world** — ünïcode ✓"
PR_THRESHOLDS = 11


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(sum(name.encode()))


def image_batch(count: int, seed: str) -> np.ndarray:
    """``[count, H, W, 3]`` uint8: exact through every writer's PNG encoder."""
    return _rng(seed).integers(0, 256, size=(count, IMAGE_HEIGHT, IMAGE_WIDTH, 3), dtype=np.uint8)


def audio_clips(count: int, seed: str) -> np.ndarray:
    """``[count, frames]`` float32 in [-0.9, 0.9]."""
    rng = _rng(seed)
    return rng.uniform(-0.9, 0.9, size=(count, AUDIO_FRAMES)).astype(np.float32)


def histogram_data(seed: str, size: int = 200) -> np.ndarray:
    return _rng(seed).normal(loc=1.0, scale=2.0, size=size).astype(np.float32)


def pr_data(seed: str) -> tuple[np.ndarray, np.ndarray]:
    rng = _rng(seed)
    labels = rng.integers(0, 2, size=40).astype(bool)
    predictions = np.clip(labels * 0.4 + rng.uniform(0, 0.6, size=40), 0, 1).astype(np.float32)
    return labels, predictions


def hist_fields(data: np.ndarray) -> dict[str, Any]:
    return {
        "count": int(data.size),
        "min": float(data.min()) if data.size else 0.0,
        "max": float(data.max()) if data.size else 0.0,
        "sum": float(data.astype(np.float64).sum()),
    }


def image_fields(batch: np.ndarray) -> dict[str, Any]:
    return {
        "images": [
            {"width": int(img.shape[1]), "height": int(img.shape[0]), "pixels": img.tolist()}
            for img in batch
        ]
    }


def wall(step: int) -> float:
    return BASE_WALL_TIME + step


# A tiny network for graph recipes: two ops a graph viewer must show.
TORCH_MODEL_OPS = ("aten::linear", "aten::relu")


def torch_model() -> tuple[Any, Any]:
    import torch

    torch.manual_seed(0)

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = torch.nn.Linear(3, 2)

        def forward(self, x: Any) -> Any:
            return torch.relu(self.fc(x))

    return Tiny().eval(), torch.zeros(1, 3)


MESH_VERTICES = [[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]
MESH_FACES = [[[0, 1, 2], [0, 2, 3]]]
MESH_COLORS = [[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]]


def record_mesh(rec: Recorder, *, wall_time: float | None = None, numbered: bool = False) -> None:
    extra: dict[str, Any] = {} if wall_time is None else {"wall_time": wall_time}
    parts = (("VERTEX", MESH_VERTICES), ("FACE", MESH_FACES), ("COLOR", MESH_COLORS))
    for number, (content_type, values) in enumerate(parts, start=1):
        # tensorboardX suffixes the tag with the enum number, the others with its name.
        suffix = str(number) if numbered else content_type
        rec.add(
            "mesh", tag=f"mesh_{suffix}", step=0, content_type=content_type, values=values, **extra
        )
