"""A small real logdir written by Heron's SummaryWriter, indexed into a real SQLite store."""

from __future__ import annotations

import math
import time

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
