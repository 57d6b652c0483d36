"""Every value the real writers wrote to the golden logdirs is readable through the index."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from heron.core.values import DataClass, SeriesKey
from heron.ingest import EventFileRecords, Ingester, IngestOptions, LogdirRoot
from heron.storage import open_store

from ._expectations import load_expected

pytestmark = pytest.mark.compat

GOLDEN = Path(__file__).parent / "golden"
TOOLS = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.json").is_file())


def _index(tool: str, db: str):
    logdir = GOLDEN / tool / "logdir"
    store = open_store(f"sqlite:{db}", experiment=str(logdir), records=EventFileRecords())
    Ingester(store, [LogdirRoot(str(logdir))], options=IngestOptions(progress=False)).run_once()
    return store


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    opened = {}

    def index(tool):
        if tool not in opened:
            opened[tool] = _index(tool, str(tmp_path_factory.mktemp(tool) / "index.sqlite"))
        return opened[tool]

    yield index
    for store in opened.values():
        store.close()


@pytest.mark.parametrize("tool", TOOLS)
def test_every_expected_series_is_indexed_with_its_plugin_and_data_class(tool, indexes):
    reader = indexes(tool).reader()
    series = {(s.run, s.tag): s for s in reader.list_series()}
    for record in load_expected(GOLDEN / tool)["records"]:
        if record.get("tag") is None or record.get("data_class") in (None, "UNKNOWN"):
            continue
        found = series.get((record["run"], record["tag"]))
        assert found is not None, f"{tool}: {record['run']}:{record['tag']} not indexed"
        assert found.plugin_name == record["plugin"]
        assert found.data_class is DataClass[record["data_class"]]


@pytest.mark.parametrize("tool", TOOLS)
def test_every_expected_scalar_point_is_indexed_exactly(tool, indexes):
    reader = indexes(tool).reader()
    records = [r for r in load_expected(GOLDEN / tool)["records"] if r["kind"] == "scalar"]
    assert records
    keys = sorted({SeriesKey(r["run"], r["tag"]) for r in records})
    points = reader.read_scalars(keys)
    for record in records:
        series = points[SeriesKey(record["run"], record["tag"])]
        at = series.steps.tolist().index(record["step"])
        got, want = series.values[at], record["value"]
        if isinstance(want, float) and math.isnan(want):
            assert math.isnan(got)
        else:
            assert got == pytest.approx(want, rel=1e-6)


@pytest.mark.parametrize("tool", TOOLS)
def test_every_blob_of_every_blob_sequence_reads_back(tool, indexes):
    reader = indexes(tool).reader()
    keys = [s.key for s in reader.list_series(data_class=DataClass.BLOB_SEQUENCE)]
    for points in reader.read_blob_sequences(keys).values():
        for point in points:
            for ref in point.blobs:
                assert len(reader.read_blob(ref.key)) == ref.size


@pytest.mark.parametrize("tool", TOOLS)
def test_a_golden_logdir_has_no_damaged_files(tool, indexes):
    health = indexes(tool).reader().health()
    assert health.corrupt_records == 0
    assert all(f.offset == f.size for f in health.files)
