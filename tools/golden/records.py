"""What a recipe records, and what a tool is: record kinds, the Recorder, Recipe and Tool."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: What TensorBoard makes of each kind of record on read: (plugin, data class).
KIND_CLASSES: dict[str, tuple[str | None, str | None]] = {
    "scalar": ("scalars", "SCALAR"),
    "histogram": ("histograms", "TENSOR"),
    "histogram_raw": ("histograms", "TENSOR"),
    "image": ("images", "BLOB_SEQUENCE"),
    "audio": ("audio", "BLOB_SEQUENCE"),
    "text": ("text", "TENSOR"),
    "pr_curve": ("pr_curves", "TENSOR"),
    "hparams_experiment": ("hparams", "TENSOR"),
    "hparams_session_start": ("hparams", "TENSOR"),
    "hparams_session_end": ("hparams", "TENSOR"),
    "custom_scalars": ("custom_scalars", "TENSOR"),
    "mesh": ("mesh", "TENSOR"),
    "graph": ("graphs", "BLOB_SEQUENCE"),
    "run_metadata": ("graph_tagged_run_metadata", "BLOB_SEQUENCE"),
    "graph_run_metadata": ("graph_run_metadata_graph", "BLOB_SEQUENCE"),
    # torch's add_tensor: a plugin TensorBoard does not know, so no data class.
    "tensor": ("tensor", "UNKNOWN"),
    # Events without a summary.
    "session_log": (None, None),
    "meta_graph": (None, None),
}


@dataclass
class Recorder:
    """Collects what a recipe asked a writer to write, as JSON-ready records."""

    records: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, tag: str | None, step: int, *, run: str = ".", **fields: Any) -> None:
        plugin, data_class = KIND_CLASSES[kind]
        self.records.append(
            {
                "run": run,
                "tag": tag,
                "step": step,
                "kind": kind,
                "plugin": plugin,
                "data_class": data_class,
                **fields,
            }
        )


Recipe = Callable[[Any, Path, Recorder], None]
"""``recipe(writer, logdir, recorder)``: write one kind of summary, record what was asked."""


@dataclass(frozen=True)
class Tool:
    """A real writer: how to open it on a logdir, and what it can write."""

    name: str
    package: str  # distribution name, for the version in expected.json
    modules: tuple[str, ...]  # what must import for the tool to run at all
    open: Callable[[Path], contextlib.AbstractContextManager[Any]]
    recipes: dict[str, Recipe]
    #: Per recipe, extra modules it needs (skipped when they are missing).
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
