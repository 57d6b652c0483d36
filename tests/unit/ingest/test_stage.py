"""What ingest makes of each kind of summary: data classes, tensors, blobs, run summaries."""

from __future__ import annotations

import numpy as np
import pytest

from heron.core.values import DataClass, SeriesKey
from heron.errors import NotFoundError
from heron.formats.proto.summary_pb2 import Summary, SummaryMetadata
from heron.formats.summaries.histograms import legacy_histogram
from heron.formats.summaries.hparams import session_end, session_start
from heron.formats.summaries.images import image
from heron.formats.summaries.scalars import scalar
from heron.formats.summaries.text import text
from heron.formats.tensors import make_tensor_proto
from heron.ingest.stage import INLINE_BLOB_LIMIT

from .conftest import append, event_file, record, replace_atomically, scalars


def test_series_take_their_data_class_from_their_first_metadata(index, logdir):
    path = event_file(logdir)
    append(
        path,
        record(scalar("new", 1.0), step=0),
        record(text("notes", "*hi*"), step=0),
        record(Summary.Value(tag="mystery", metadata=_plugin("unknown_plugin")), step=0),
    )
    scalars(path, "legacy", range(3))
    index.ingest()
    series = {s.tag: s for s in index.reader.list_series()}
    assert {t: (s.plugin_name, s.data_class) for t, s in series.items()} == {
        "new": ("scalars", DataClass.SCALAR),
        "legacy": ("scalars", DataClass.SCALAR),
        "notes": ("text", DataClass.TENSOR),
    }  # a plugin without a data class is remembered but never listed
    assert series["legacy"].count == 3
    assert series["legacy"].max_step == 2


def test_tensors_are_stored_per_point_with_the_restart_rule(index, logdir):
    path = event_file(logdir)
    append(
        path,
        *(record(text("notes", f"step {s}"), step=s) for s in range(5)),
        *(record(text("notes", f"again {s}"), step=s) for s in range(3, 6)),
    )
    index.ingest()
    key = SeriesKey(".", "notes")
    points = index.reader.read_tensors([key])[key]
    assert [p.step for p in points] == [0, 1, 2, 3, 4, 5]
    assert [p.value.item() for p in points] == [
        b"step 0",
        b"step 1",
        b"step 2",
        b"again 3",
        b"again 4",
        b"again 5",
    ]
    assert [p.step for p in index.reader.read_tensors([key], max_points=2)[key]] == [0, 5]


def test_legacy_histograms_become_tensors(index, logdir):
    histogram = legacy_histogram(
        "weights",
        min=-1.0,
        max=1.0,
        num=4,
        sum=0.0,
        sum_squares=2.0,
        bucket_limits=[-0.5, 0.0, 0.5, 1.0],
        bucket_counts=[1, 1, 1, 1],
    )
    append(event_file(logdir), record(histogram, step=3))
    index.ingest()
    key = SeriesKey(".", "weights")
    (point,) = index.reader.read_tensors([key])[key]
    assert point.step == 3
    assert point.value.shape == (4, 3)
    assert point.value[:, 2].tolist() == [1, 1, 1, 1]


def test_images_are_kept_by_reference_and_read_back_verified(index, logdir):
    big = bytes(range(256)) * (INLINE_BLOB_LIMIT // 64)
    small = b"tiny png"
    path = event_file(logdir)
    append(path, record(image("sample", [big, small], width=4, height=3), step=7))
    index.ingest()
    key = SeriesKey(".", "sample")
    (point,) = index.reader.read_blob_sequences([key])[key]
    assert point.step == 7
    assert [ref.size for ref in point.blobs] == [1, 1, len(big), len(small)]
    assert [index.reader.read_blob(ref.key) for ref in point.blobs] == [b"4", b"3", big, small]
    assert all("/" not in ref.key and "logs" not in ref.key for ref in point.blobs)
    series = index.reader.list_series(data_class=DataClass.BLOB_SEQUENCE)
    assert series[0].max_length == 4
    # The event file changes under the index: the blob is refused, never wrong.
    replace_atomically(path, path.read_bytes().replace(big, bytes(len(big))))
    with pytest.raises(NotFoundError, match=r"rewritten|gone"):
        index.reader.read_blob(point.blobs[2].key)
    assert index.reader.read_blob(point.blobs[3].key) == small  # copied into the index


def test_blob_keys_that_are_not_keys_are_not_found(index, logdir):
    append(event_file(logdir), record(image("sample", [b"x"], width=1, height=1), step=0))
    index.ingest()
    for key in ["", "../../etc/passwd", "AAAAAAAAAAAAAAAA", "not base64!"]:
        with pytest.raises(NotFoundError):
            index.reader.read_blob(key)


def test_hparams_and_session_status_reach_the_run_summary(index, logdir):
    path = event_file(logdir / "trial")
    append(
        path,
        record(session_start({"lr": 0.1, "optimizer": "adam", "warmup": True}), step=0),
    )
    scalars(path, "loss", range(10))
    append(path, record(session_end("success"), step=9))
    index.ingest()
    (summary,) = index.reader.run_summaries()
    assert summary.hparams == {"lr": 0.1, "optimizer": "adam", "warmup": True}
    assert summary.session_status == "success"
    assert summary.last_step == 9
    assert summary.start_time == 1_700_000_000.0
    assert summary.last_wall_time == 1_700_000_009.0
    assert summary.scalars["loss"].count == 10


def test_a_resumed_ingest_classifies_later_values_as_before(index, logdir):
    """Values after the first carry no metadata; after a restart the index must still know them."""
    path = event_file(logdir)
    ones = make_tensor_proto(np.ones((2, 3), np.float32))
    first = Summary.Value(tag="hist", tensor=ones, metadata=_plugin("histograms"))
    append(path, record(first, step=0))
    index.ingest()
    later = Summary.Value(tag="hist", tensor=make_tensor_proto(np.zeros((2, 3), np.float32)))
    append(path, record(later, step=1))
    index.reopen()  # a new process: the normaliser is rebuilt from the index
    index.ingest()
    key = SeriesKey(".", "hist")
    points = index.reader.read_tensors([key])[key]
    assert [p.step for p in points] == [0, 1]
    assert points[1].value.tolist() == [[0.0] * 3] * 2


def test_new_data_is_announced_per_run(index, logdir):
    scalars(event_file(logdir / "a"), "loss", range(3))
    scalars(event_file(logdir / "b"), "loss", range(3))
    index.ingest()
    assert frozenset().union(*index.notified) == {"a", "b"}
    index.notified.clear()
    index.ingest()
    assert index.notified == []
    scalars(next((logdir / "b").iterdir()), "loss", range(3, 5))
    index.ingest()
    assert index.notified == [frozenset({"b"})]


def _plugin(name: str) -> SummaryMetadata:
    metadata = SummaryMetadata()
    metadata.plugin_data.plugin_name = name
    return metadata
