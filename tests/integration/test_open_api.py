"""heron.open(logdir): runs, tags and DataFrames, indexed once and reopened instantly."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

import heron
from heron.errors import InvalidArgumentError

from ._ingest_helpers import append_scalars, write_mixed_logdir


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    path = tmp_path_factory.mktemp("open") / "logs"
    write_mixed_logdir(path, runs=3, steps=400)
    return path


def test_open_lists_runs_and_tags(logdir, tmp_path):
    with heron.open(logdir, db=tmp_path / "index.sqlite") as experiment:
        assert experiment.runs() == ["group0/run0", "group0/run2", "group1/run1"]
        assert experiment.tags() == [
            "_hparams_/session_end_info",
            "_hparams_/session_start_info",
            "acc",
            "loss",
            "lr",
            "notes",
            "sample",
        ]
        assert "loss" in experiment.tags("group0/run0")


def test_scalars_come_as_one_row_per_visible_point(logdir, tmp_path):
    with heron.open(logdir, db=tmp_path / "index.sqlite") as experiment:
        frame = experiment.scalars(runs="group0/run0", tags=["acc"])
        assert list(frame.columns) == ["run", "tag", "step", "wall_time", "value"]
        assert frame["step"].tolist() == list(range(400 + 500))
        assert frame["value"].tolist() == [float(s) for s in range(900)]
        assert set(experiment.scalars()["tag"]) == {"acc", "loss", "lr"}
        small = experiment.scalars(tags="acc", max_points=10)
        assert small.groupby("run").size().max() <= 10
        hidden = experiment.scalars(runs="group0/run0", tags="acc", include_hidden=True)
        assert len(hidden) > len(frame)


def test_tensors_and_images(logdir, tmp_path):
    with heron.open(logdir, db=tmp_path / "index.sqlite") as experiment:
        notes = experiment.tensors(runs="group0/run2", tags="notes")
        assert notes["value"].iloc[0].item() == b"2/0/0"
        images = experiment.images(runs="group0/run0")
        assert list(images.columns) == [
            "run",
            "tag",
            "step",
            "wall_time",
            "index",
            "width",
            "height",
            "image",
        ]
        assert images["step"].tolist() == [0, 500]
        assert (images["width"].tolist(), images["height"].tolist()) == ([2, 2], [1, 1])
        assert all(len(data) == 2000 for data in images["image"])
        assert experiment.images(tags="nothing").empty


def test_a_second_open_reads_only_new_bytes(logdir, tmp_path):
    db = tmp_path / "index.sqlite"
    with heron.open(logdir, db=db) as experiment:
        assert experiment.refresh().bytes_read == 0
    with heron.open(logdir, db=db) as experiment:
        assert experiment._ingester.stats.bytes_read == 0
        summaries = {s.run: s for s in experiment.run_summaries()}
        assert summaries["group0/run0"].hparams == {"lr": 1.0, "seed": 0.0}
        assert summaries["group0/run0"].session_status == "success"


def test_reload_keeps_indexing_in_the_background(tmp_path):
    logdir = tmp_path / "live"
    write_mixed_logdir(logdir, runs=1, steps=50)
    with heron.open(logdir, db=tmp_path / "index.sqlite", reload=0.05) as experiment:
        before = len(experiment.scalars(tags="acc"))
        newest = sorted((logdir / "group0" / "run0").iterdir())[-1]
        append_scalars(newest, "acc", range(1000, 1010))
        deadline = time.monotonic() + 10
        while len(experiment.scalars(tags="acc")) < before + 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(experiment.scalars(tags="acc")) == before + 10


def test_bad_arguments_are_explained(tmp_path):
    with pytest.raises(InvalidArgumentError, match="not a directory"):
        heron.open(tmp_path / "missing")
    with pytest.raises(InvalidArgumentError, match="exactly one"):
        heron.open()


def test_logdir_spec_names_runs(logdir, tmp_path):
    spec = f"a:{logdir / 'group0'},b:{logdir / 'group1'}"
    with heron.open(logdir_spec=spec, db=tmp_path / "index.sqlite") as experiment:
        assert experiment.runs() == ["a/run0", "a/run2", "b/run1"]


def test_without_pandas_the_dataframe_methods_say_what_to_install(logdir, tmp_path):
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import heron\n"
        f"experiment = heron.open({str(logdir)!r}, db={str(tmp_path / 'i.sqlite')!r})\n"
        "print(experiment.runs())\n"
        "try:\n"
        "    experiment.scalars()\n"
        "except ImportError as error:\n"
        "    print(error)\n"
        "experiment.close()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "group0/run0" in result.stdout
    assert "pip install 'heron[pandas]'" in result.stdout


def test_importing_heron_does_not_import_the_read_api():
    code = "import heron, sys; print('heron.experiment' in sys.modules, 'numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"]


def test_iterating_scalars_streams_one_series_at_a_time(logdir, tmp_path):
    with heron.open(logdir, db=tmp_path / "index.sqlite") as experiment:
        seen = [(key, len(points)) for key, points in experiment.iter_scalars(tags="lr")]
        assert [key.run for key, _ in seen] == experiment.runs()
        assert all(isinstance(count, int) and count > 0 for _, count in seen)
        assert np.all(np.diff(next(experiment.iter_scalars(tags="lr"))[1].steps) > 0)
