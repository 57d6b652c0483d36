"""Helpers to read back what a writer wrote, with Heron's own reader (no TensorBoard here)."""

from __future__ import annotations

import glob
import os

import pytest

from heron.formats.events import EventReader
from heron.formats.proto.event_pb2 import Event
from heron.formats.tensors import make_ndarray


def read_events(run_dir, *, include_first=False) -> list[Event]:
    """Every event of a run, files in name order; the file_version records left out."""
    events = []
    for path in sorted(glob.glob(os.path.join(str(run_dir), "*tfevents*"))):
        reader = EventReader(path)
        for _, event in reader:
            if include_first or not event.file_version:
                events.append(event)
        assert not reader.corruptions, reader.corruptions
        assert reader.pending_bytes == 0, f"{path} ends with a partial record"
    return events


def summary_values(run_dir) -> dict[str, list[tuple[int, object]]]:
    """tag → [(step, value)], where value is the Summary.Value."""
    found: dict[str, list[tuple[int, object]]] = {}
    for event in read_events(run_dir):
        for value in event.summary.value:
            found.setdefault(value.tag, []).append((event.step, value))
    return found


def scalar_points(run_dir) -> dict[str, list[tuple[int, float]]]:
    points: dict[str, list[tuple[int, float]]] = {}
    for tag, values in summary_values(run_dir).items():
        for step, value in values:
            if value.HasField("simple_value"):
                number = value.simple_value
            elif value.metadata.plugin_data.plugin_name == "scalars":
                number = float(make_ndarray(value.tensor).reshape(()))
            else:
                continue
            points.setdefault(tag, []).append((step, number))
    return points


@pytest.fixture
def logdir(tmp_path):
    return str(tmp_path / "logs")


@pytest.fixture
def writer(logdir):
    from heron import SummaryWriter

    instance = SummaryWriter(logdir)
    yield instance
    instance.close()


@pytest.fixture
def events_of():
    """``events_of(run_dir)``: the run's events, file_version records left out."""
    return read_events


@pytest.fixture
def values_of():
    """``values_of(run_dir)``: tag → [(step, Summary.Value)]."""
    return summary_values


@pytest.fixture
def scalars_of():
    """``scalars_of(run_dir)``: tag → [(step, float)] for legacy and tensor scalars alike."""
    return scalar_points
