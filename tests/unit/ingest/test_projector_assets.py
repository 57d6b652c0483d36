"""Projector configs and the files they name, indexed as assets: found, checked, kept up to date.

Logdirs come from Heron's and PyTorch's ``add_embedding`` and from hand-written
configs; everything is indexed with ``heron.open`` into a real SQLite index.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.errors import NotFoundError
from heron.ingest import Discoverer, LogdirRoot
from heron.ingest.assets import AssetTracker
from heron.storage import open_store

from .conftest import event_file

PLUGIN = "projector"
CONFIG = "projector_config.json"


def _open(root: Path, tmp_path: Path) -> heron.Experiment:
    return heron.open(root, db=tmp_path / "index.sqlite")


def _assets(experiment, run: str | None = None) -> dict[str, object]:
    runs = None if run is None else [run]
    return {f"{a.run}|{a.name}": a for a in experiment.provider.list_assets(PLUGIN, runs=runs)}


def _document(experiment, run: str) -> dict:
    return json.loads(experiment.provider.read_asset(PLUGIN, run, CONFIG))


def _problems(experiment) -> list[str]:
    return [f.error for f in experiment.provider.health().files if f.error]


def _config(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "projector_config.pbtxt"
    path.write_text(text)
    return path


def _touch_later(path: Path) -> None:
    """Give ``path`` a clearly newer mtime (coarse filesystem clocks)."""
    later = time.time() + 5
    os.utime(path, (later, later))


def test_herons_add_embedding_is_indexed_with_its_files(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root / "run") as writer:
        writer.add_scalar("loss", 1.0, 0)
        writer.add_embedding(
            np.arange(12, dtype=np.float32).reshape(4, 3),
            metadata=[["a", 1], ["b", 2], ["c", 3], ["d", 4]],
            metadata_header=["name", "n"],
            label_img=np.zeros((4, 3, 2, 2), dtype=np.uint8),
            global_step=7,
            tag="emb",
        )
    with _open(root, tmp_path) as experiment:
        assets = _assets(experiment)
        assert set(assets) == {
            "run|embeddings/0/metadata",
            "run|embeddings/0/sprite",
            "run|embeddings/0/tensor",
            "run|projector_config.json",
        }
        assert assets["run|embeddings/0/tensor"].media_type == "text/tab-separated-values"
        assert assets["run|embeddings/0/sprite"].media_type == "image/png"
        config = _document(experiment, "run")["config"]
        (embedding,) = config["embeddings"]
        assert embedding["tensorName"] == "emb:00007"
        assert embedding["tensorShape"] == [4, 3]
        assert embedding["tensorPath"] == "00007/emb/tensors.tsv"
        assert embedding["sprite"]["singleImageDim"] == [2, 2]
        metadata = experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/metadata")
        assert metadata.decode().splitlines()[0] == "name\tn"
        assert _problems(experiment) == []


def test_torchs_add_embedding_is_indexed(tmp_path):
    torch = pytest.importorskip("torch")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    root = tmp_path / "logs"
    writer = TorchWriter(str(root / "torch_run"))
    writer.add_embedding(torch.ones(5, 2), metadata=list("abcde"), global_step=0, tag="first")
    writer.add_embedding(
        torch.zeros(3, 4), label_img=torch.rand(3, 3, 8, 8), global_step=1, tag="second"
    )
    writer.close()
    with _open(root, tmp_path) as experiment:
        document = _document(experiment, "torch_run")
        shapes = {e["tensorName"]: e["tensorShape"] for e in document["config"]["embeddings"]}
        assert shapes == {"first:00000": [5, 2], "second:00001": [3, 4]}
        assert document["assets"][1]["sprite"] == "embeddings/1/sprite"
        tensor = experiment.provider.read_asset(PLUGIN, "torch_run", "embeddings/0/tensor")
        assert tensor.decode().split("\n")[0].split("\t") == ["1.0", "1.0"]
        assert _problems(experiment) == []


def test_the_plugin_assets_folder_config_wins_over_the_run_directorys(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    (root / "run" / "a.tsv").write_text("1\t2\n")
    _config(root / "run", 'embeddings { tensor_name: "plain" tensor_path: "a.tsv" }')
    plugin_dir = root / "run" / "plugins" / "org_tensorflow_tensorboard_projector"
    _config(plugin_dir, 'embeddings { tensor_name: "from_plugin_dir" tensor_path: "../../a.tsv" }')
    with _open(root, tmp_path) as experiment:
        names = [e["tensorName"] for e in _document(experiment, "run")["config"]["embeddings"]]
        assert names == ["from_plugin_dir"]


def test_a_plugin_folder_config_naming_no_tensor_file_leaves_the_run_directorys(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    (root / "run" / "a.tsv").write_text("1\t2\n")
    _config(root / "run", 'embeddings { tensor_name: "plain" tensor_path: "a.tsv" }')
    plugin_dir = root / "run" / "plugins" / "org_tensorflow_tensorboard_projector"
    _config(plugin_dir, 'model_checkpoint_path: "model.ckpt"')
    with _open(root, tmp_path) as experiment:
        names = [e["tensorName"] for e in _document(experiment, "run")["config"]["embeddings"]]
        assert names == ["plain"]


def test_the_logdir_itself_is_run_dot_even_without_event_files(tmp_path):
    root = tmp_path / "logs"
    root.mkdir()
    (root / "t.tsv").write_text("1\t2\n3\t4\n")
    _config(root, 'embeddings { tensor_name: "w:0" tensor_path: "t.tsv" }')
    event_file(root / "other")
    with _open(root, tmp_path) as experiment:
        assert experiment.runs() == ["other"]  # not an event-file run
        (embedding,) = _document(experiment, ".")["config"]["embeddings"]
        assert embedding == {"tensorName": "w", "tensorPath": "t.tsv", "tensorShape": [2, 2]}


def test_a_directory_with_only_a_config_below_the_logdir_is_not_a_run(tmp_path):
    root = tmp_path / "logs"
    (root / "lonely").mkdir(parents=True)
    (root / "lonely" / "t.tsv").write_text("1\n")
    _config(root / "lonely", 'embeddings { tensor_path: "t.tsv" }')
    with _open(root, tmp_path) as experiment:
        assert _assets(experiment) == {}


def test_a_binary_tensor_needs_a_shape_matching_its_size(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    np.arange(6, dtype="<f4").tofile(root / "run" / "good.bin")
    np.arange(5, dtype="<f4").tofile(root / "run" / "short.bin")
    _config(
        root / "run",
        'embeddings { tensor_name: "good" tensor_path: "good.bin" tensor_shape: [3, 2] }\n'
        'embeddings { tensor_name: "short" tensor_path: "short.bin" tensor_shape: [3, 2] }\n'
        'embeddings { tensor_name: "shapeless" tensor_path: "good.bin" }',
    )
    with _open(root, tmp_path) as experiment:
        assets = _assets(experiment, "run")
        assert assets["run|embeddings/0/tensor"].media_type == "application/octet-stream"
        data = experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor")
        assert np.frombuffer(data, "<f4").tolist() == [0, 1, 2, 3, 4, 5]
        assert "do not hold" in assets["run|embeddings/1/tensor"].error
        assert "2-D tensor_shape" in assets["run|embeddings/2/tensor"].error
        with pytest.raises(NotFoundError, match="not served"):
            experiment.provider.read_asset(PLUGIN, "run", "embeddings/1/tensor")


# -- safety: nothing outside the logdir is ever indexed --------------------------------------


@pytest.fixture
def outside(tmp_path) -> Path:
    secret = tmp_path / "outside.tsv"
    secret.write_text("6\t6\n")
    return secret


def _refused(experiment, name: str) -> str:
    asset = _assets(experiment, "run")[f"run|{name}"]
    assert asset.size == -1
    with pytest.raises(NotFoundError):
        experiment.provider.read_asset(PLUGIN, "run", name)
    return str(asset.error)


def test_a_relative_path_leaving_the_logdir_is_refused_and_reported(tmp_path, outside):
    root = tmp_path / "logs"
    event_file(root / "run")
    (root / "run" / "ok.tsv").write_text("1\n")
    _config(
        root / "run",
        'embeddings { tensor_name: "ok" tensor_path: "ok.tsv" metadata_path: "../../outside.tsv" }',
    )
    with _open(root, tmp_path) as experiment:
        assert "outside the logdir" in _refused(experiment, "embeddings/0/metadata")
        # The rest of the config is still served.
        assert experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor") == b"1\n"
        (problem,) = _problems(experiment)
        assert "'../../outside.tsv'" in problem
        assert "outside the logdir" in problem


def test_an_absolute_path_outside_the_logdir_is_refused_inside_it_is_served(tmp_path, outside):
    root = tmp_path / "logs"
    event_file(root / "run")
    inside = root / "run" / "in.tsv"
    inside.write_text("1\t2\n")
    _config(
        root / "run",
        f'embeddings {{ tensor_name: "in" tensor_path: "{inside}" }}\n'
        f'embeddings {{ tensor_name: "out" tensor_path: "{outside}" }}',
    )
    with _open(root, tmp_path) as experiment:
        assert experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor") == b"1\t2\n"
        assert "outside the logdir" in _refused(experiment, "embeddings/1/tensor")


def test_a_symlink_leading_out_of_the_logdir_is_refused(tmp_path, outside):
    root = tmp_path / "logs"
    event_file(root / "run")
    (root / "run" / "link.tsv").symlink_to(outside)
    (root / "run" / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    _config(
        root / "run",
        'embeddings { tensor_name: "a" tensor_path: "link.tsv" }\n'
        'embeddings { tensor_name: "b" tensor_path: "dirlink/outside.tsv" }',
    )
    with _open(root, tmp_path) as experiment:
        assert "outside the logdir" in _refused(experiment, "embeddings/0/tensor")
        assert "outside the logdir" in _refused(experiment, "embeddings/1/tensor")
        assert len(_problems(experiment)) == 2


def test_a_config_that_is_a_symlink_out_of_the_logdir_is_not_read(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "t.tsv").write_text("1\n")
    _config(foreign, 'embeddings { tensor_name: "x" tensor_path: "t.tsv" }')
    (root / "run" / "projector_config.pbtxt").symlink_to(foreign / "projector_config.pbtxt")
    with _open(root, tmp_path) as experiment:
        (asset,) = experiment.provider.list_assets(PLUGIN)
        assert asset.name == CONFIG
        assert "link to a file outside the logdir" in str(asset.error)


def test_a_symlinked_run_directory_serves_its_own_files(tmp_path):
    """A run linked into the logdir (as discovery follows) keeps its projector working."""
    elsewhere = tmp_path / "elsewhere"
    event_file(elsewhere)
    (elsewhere / "t.tsv").write_text("1\t2\n")
    _config(elsewhere, 'embeddings { tensor_name: "x" tensor_path: "t.tsv" }')
    root = tmp_path / "logs"
    root.mkdir()
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    with _open(root, tmp_path) as experiment:
        assert experiment.provider.read_asset(PLUGIN, "linked", "embeddings/0/tensor") == (
            b"1\t2\n"
        )


def test_a_config_that_does_not_parse_is_reported_not_served(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    _config(root / "run", "embeddings { this is not text format")
    with _open(root, tmp_path) as experiment:
        (asset,) = experiment.provider.list_assets(PLUGIN)
        assert "not a projector config" in str(asset.error)
        (problem,) = _problems(experiment)
        assert problem.startswith("projector asset 'projector_config.json'")


# -- keeping up with changes ----------------------------------------------------------------


def test_a_changed_tensor_is_indexed_again_on_the_next_pass(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    tensor = root / "run" / "t.tsv"
    tensor.write_text("1\t2\n")
    _config(root / "run", 'embeddings { tensor_name: "x" tensor_path: "t.tsv" }')
    with _open(root, tmp_path) as experiment:
        assert _document(experiment, "run")["config"]["embeddings"][0]["tensorShape"] == [1, 2]
        tensor.write_text("1\t2\n3\t4\n5\t6\n")
        _touch_later(tensor)
        experiment.refresh()
        assert _document(experiment, "run")["config"]["embeddings"][0]["tensorShape"] == [3, 2]
        data = experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor")
        assert data == b"1\t2\n3\t4\n5\t6\n"


def test_a_file_changed_after_indexing_is_an_error_not_other_bytes(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    tensor = root / "run" / "t.tsv"
    tensor.write_text("1\t2\n")
    _config(root / "run", 'embeddings { tensor_name: "x" tensor_path: "t.tsv" }')
    with _open(root, tmp_path) as experiment:
        tensor.write_text("9\t9\n")  # same size: only the mtime tells
        _touch_later(tensor)
        with pytest.raises(NotFoundError, match="changed on disk"):
            experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor")
        tensor.unlink()
        with pytest.raises(NotFoundError, match="changed on disk"):
            experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor")


def test_a_file_replaced_by_a_symlink_after_indexing_is_not_followed(tmp_path, outside):
    root = tmp_path / "logs"
    event_file(root / "run")
    tensor = root / "run" / "t.tsv"
    tensor.write_text("1\t2\n")
    _config(root / "run", 'embeddings { tensor_name: "x" tensor_path: "t.tsv" }')
    with _open(root, tmp_path) as experiment:
        tensor.unlink()
        tensor.symlink_to(outside)
        with pytest.raises(NotFoundError, match="changed on disk"):
            experiment.provider.read_asset(PLUGIN, "run", "embeddings/0/tensor")
        experiment.refresh()
        assert "outside the logdir" in str(_assets(experiment)["run|embeddings/0/tensor"].error)


def test_a_config_edited_created_or_deleted_is_followed(tmp_path):
    root = tmp_path / "logs"
    event_file(root / "run")
    (root / "run" / "t.tsv").write_text("1\n")
    with _open(root, tmp_path) as experiment:
        assert _assets(experiment) == {}
        config = _config(root / "run", 'embeddings { tensor_name: "x" tensor_path: "t.tsv" }')
        experiment.refresh()
        assert "run|embeddings/0/tensor" in _assets(experiment)
        config.write_text(
            'embeddings { tensor_name: "x" tensor_path: "t.tsv" }\n'
            'embeddings { tensor_name: "y" tensor_path: "missing.tsv" }'
        )
        _touch_later(config)
        experiment.refresh()
        assert "does not exist" in str(_assets(experiment)["run|embeddings/1/tensor"].error)
        (root / "run" / "missing.tsv").write_text("2\n")
        experiment.refresh()
        assert _assets(experiment)["run|embeddings/1/tensor"].error is None
        config.unlink()
        experiment.refresh()
        assert _assets(experiment) == {}


def test_an_unchanged_logdir_commits_no_asset_change_even_after_a_restart(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root / "run") as writer:
        writer.add_embedding(np.ones((3, 2)), metadata=["a", "b", "c"], tag="emb")
    with _open(root, tmp_path) as experiment:
        assert experiment.provider.list_assets(PLUGIN)
    store = open_store(f"sqlite:{tmp_path / 'index.sqlite'}", experiment=str(root))
    try:
        discoverer = Discoverer([LogdirRoot(str(root))])
        discoverer.scan()
        tracker = AssetTracker(store.load_state().assets)
        assert tracker.changes(discoverer.projector_configs) == []
        assert tracker.changes(discoverer.projector_configs) == []
    finally:
        store.close()


def test_a_removed_run_loses_its_assets(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root / "run") as writer:
        writer.add_embedding(np.ones((3, 2)), tag="emb")
    with _open(root, tmp_path) as experiment:
        assert experiment.provider.list_assets(PLUGIN)
        for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        experiment.refresh()
        assert experiment.provider.list_assets(PLUGIN) == []
