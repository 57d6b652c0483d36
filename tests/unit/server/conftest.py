"""A small real logdir written by Heron's SummaryWriter, indexed into a real SQLite store."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

import heron
from heron import SummaryWriter


def write_logdir(root):
    """Runs "zeta" (started first), "alpha" and "notes_only" (text, no scalars)."""
    with SummaryWriter(root / "zeta") as writer:
        for step in range(0, 300, 3):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
        writer.add_scalar("loss", math.nan, 300)
        writer.add_scalar("loss", math.inf, 301)
        writer.add_scalar("loss", -math.inf, 302)
    time.sleep(0.01)
    with SummaryWriter(root / "alpha") as writer:
        for step in range(200):
            writer.add_scalar("loss", 2.0 / (step + 1), step)
            writer.add_scalar("acc", step / 200, step)
    with SummaryWriter(root / "notes_only") as writer:
        writer.add_text("notes", "hello", 0)


@pytest.fixture(scope="package")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("server") / "logs"
    write_logdir(root)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


def write_media_logdir(root):
    """Run "hist": histogram "w" at steps 0-4 (0.5, 1.5, 3, 3.5 in buckets [0, 1, 2, 4]).

    Run "pics": image "red" (one 5x4 PNG) at steps 0-2. Run "words": text
    "notes" (PyTorch's tag "notes/text_summary") at steps 0, 1. Run "sounds": audio "beep" (one WAV
    clip) at steps 0, 1. Run "alpha" holds scalars only.
    """
    with SummaryWriter(root / "hist") as writer:
        for step in range(5):
            writer.add_histogram("w", [0.5, 1.5, 3.0, 3.5], step, bins=[0.0, 1.0, 2.0, 4.0])
        writer.add_scalar("loss", 1.0, 0)
    with SummaryWriter(root / "pics") as writer:
        for step in range(3):
            writer.add_image("red", np.full((3, 4, 5), [[[255]], [[0]], [[0]]], np.uint8), step)
    with SummaryWriter(root / "words") as writer:
        writer.add_text("notes", "# Step 0\n<script>alert(1)</script>", 0)
        writer.add_text("notes", "*step* 1", 1)
    with SummaryWriter(root / "sounds") as writer:
        for step in range(2):
            writer.add_audio("beep", np.sin(np.arange(800) / 10.0) * 0.5, step, sample_rate=8000)
    with SummaryWriter(root / "alpha") as writer:
        writer.add_scalar("loss", 1.0, 0)


@pytest.fixture(scope="package")
def media_provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("media") / "logs"
    write_media_logdir(root)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider
