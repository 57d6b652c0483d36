"""How Heron reads a logdir for the compat tests, and how its reading is held against TensorBoard's.

Heron's side is what its ingest will do: walk the logdir, treat every directory
that directly holds an event file as a run, read the run's files in name order
with ``EventReader`` and normalise them with one ``RunNormalizer`` per run.

TensorBoard's side is its own ``EventFileLoader`` (``data_compat`` then
``dataclass_compat``). ``assert_same_as_tensorboard`` compares the two event by
event. The known, intended differences are:

* TensorBoard keeps a ``graph_def`` event *and* adds a ``__run_graph__`` summary
  event after it; Heron turns the event itself into the summary event.
* TensorBoard repeats a migrated legacy value's metadata on every value; Heron
  writes it on the first value of the tag only (``RunNormalizer.metadata``
  holds it for the series).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from heron.formats.compat import RunNormalizer
from heron.formats.events import EventReader, is_summary_event_file
from heron.formats.proto.event_pb2 import Event
from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
from heron.formats.tensors import make_ndarray


@dataclass
class Point:
    """One normalised summary value with the event that carried it."""

    step: int
    wall_time: float
    value: Summary.Value


@dataclass
class RunRead:
    """Everything Heron read from one run."""

    files: list[Path]
    events: list[Event] = field(default_factory=list)
    series: dict[str, list[Point]] = field(default_factory=dict)
    metadata: dict[str, SummaryMetadata] = field(default_factory=dict)
    #: Events that carry no summary (session_log, meta_graph_def...), file_version excluded.
    others: list[Event] = field(default_factory=list)


def run_files(logdir: Path) -> dict[str, list[Path]]:
    """Runs of ``logdir`` (``"."`` for the logdir itself) and their event files, in name order."""
    runs: dict[str, list[Path]] = {}
    for directory, _, names in os.walk(logdir):
        files = sorted(Path(directory) / name for name in names if is_summary_event_file(name))
        if files:
            run = Path(directory).relative_to(logdir).as_posix()
            runs[run] = files
    return dict(sorted(runs.items()))


def read_run(files: list[Path]) -> RunRead:
    """Read and normalise one run's files with a single ``RunNormalizer``, as ingest does."""
    normalizer = RunNormalizer()
    run = RunRead(files=files)
    for path in files:
        reader = EventReader(path)
        for _, event in reader:
            normalizer.normalize(event)
            run.events.append(event)
            if event.WhichOneof("what") == "summary":
                for value in event.summary.value:
                    run.series.setdefault(value.tag, []).append(
                        Point(event.step, event.wall_time, value)
                    )
            elif event.WhichOneof("what") != "file_version":
                run.others.append(event)
        assert not reader.corruptions, reader.corruptions
    for tag in normalizer.tags:
        metadata = normalizer.metadata(tag)
        assert metadata is not None
        run.metadata[tag] = metadata
    return run


def read_logdir(logdir: Path) -> dict[str, RunRead]:
    return {run: read_run(files) for run, files in run_files(logdir).items()}


# ---------------------------------------------------------------------------------------------
# Comparison with TensorBoard's EventFileLoader


def tensorboard_events(path: Path) -> list[Any]:
    """The events TensorBoard's loader yields for one file (TensorBoard's own protos)."""
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

    return list(EventFileLoader(str(path)).Load())


def arrays_equal(heron: np.ndarray, tensorboard: np.ndarray) -> bool:
    """Same dtype, shape and values (NaN equal to NaN)."""
    if heron.dtype != tensorboard.dtype or heron.shape != tensorboard.shape:
        return False
    if heron.dtype.kind in "fc":
        return bool(np.array_equal(heron, tensorboard, equal_nan=True))
    return bool(np.array_equal(heron, tensorboard))


def _same_bytes(heron: Any, tensorboard: Any) -> bool:
    """Two protos of the same schema (Heron's and TensorBoard's copies) hold the same data."""
    return heron.SerializeToString(deterministic=True) == tensorboard.SerializeToString(
        deterministic=True
    )


def assert_same_as_tensorboard(run: RunRead, *, file_index: int = 0) -> int:
    """Heron's normalised read of one file of ``run`` equals TensorBoard's; return events compared.

    ``run`` must hold a single file for the per-tag first metadata to line up:
    TensorBoard keys it per file, Heron per run.
    """
    from tensorboard.util import tensor_util

    path = run.files[file_index]
    theirs = [e for e in tensorboard_events(path) if e.WhichOneof("what") != "graph_def"]
    ours = run.events
    assert len(ours) == len(theirs), f"{path}: Heron read {len(ours)} events, TB {len(theirs)}"
    first_metadata: dict[str, Any] = {}
    for index, (mine, tb) in enumerate(zip(ours, theirs, strict=True)):
        where = f"{path.name} event {index}"
        assert mine.wall_time == tb.wall_time, where
        assert mine.step == tb.step, where
        kind = mine.WhichOneof("what")
        assert kind == tb.WhichOneof("what"), where
        if kind != "summary":
            assert _same_bytes(mine, tb), where
            continue
        assert len(mine.summary.value) == len(tb.summary.value), where
        for value, tb_value in zip(mine.summary.value, tb.summary.value, strict=True):
            at = f"{where} tag {value.tag!r}"
            # TensorBoard's loader leaves an empty tag empty; Heron falls back to node_name.
            assert value.tag == (tb_value.tag or tb_value.node_name), at
            assert value.WhichOneof("value") == tb_value.WhichOneof("value"), at
            if value.HasField("tensor"):
                assert value.tensor.dtype == tb_value.tensor.dtype, at
                ours_array = make_ndarray(value.tensor)
                tb_array = tensor_util.make_ndarray(tb_value.tensor)
                assert arrays_equal(ours_array, tb_array), f"{at}: {ours_array!r} != {tb_array!r}"
            if value.HasField("metadata"):
                assert _same_bytes(value.metadata, tb_value.metadata), at
            elif tb_value.HasField("metadata"):
                # A migrated legacy value: TB repeats the series metadata, Heron keeps it once.
                assert _same_bytes(run.metadata[value.tag], tb_value.metadata), at
            if tb_value.HasField("metadata"):
                first_metadata.setdefault(value.tag, tb_value.metadata)
    for tag, tb_metadata in first_metadata.items():
        assert run.metadata[tag].data_class == tb_metadata.data_class, tag
        assert _same_bytes(run.metadata[tag].plugin_data, tb_metadata.plugin_data), tag
    return len(ours)
