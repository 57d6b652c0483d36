"""Every script in examples/ runs offline in seconds, and its logdir reads back through /data."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ._series import has_module

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(script, logdir, *args):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--logdir", str(logdir), *args],
        env=env, capture_output=True, text=True, check=False, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


class _Data:
    """Heron's TensorBoard-compatible routes over the example's logdir, in-process."""

    def __init__(self, logdir, db):
        import heron
        from heron.plugins import default_plugins
        from heron.server import ServerConfig, create_app
        from heron.testing.asgi import TestClient

        self._experiment = heron.open(logdir, db=db, progress=False)
        app = create_app(ServerConfig(), self._experiment.provider, plugins=default_plugins())
        self.client = TestClient(app)

    def get(self, path):
        response = self.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path, body):
        response = self.client.post(path, content=json.dumps(body))
        assert response.status_code == 200, response.text
        return response.json()

    def close(self):
        self._experiment.close()


@pytest.fixture
def data(tmp_path):
    opened = []

    def open_data(logdir):
        opened.append(_Data(logdir, tmp_path / "index.db"))
        return opened[-1]

    yield open_data
    for item in opened:
        item.close()


def _skip_without(*modules):
    """Skip unless installed; found without importing (the examples run in their own process)."""
    missing = [module for module in modules if not has_module(module)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


@pytest.mark.slow
def test_keras_callback_example(tmp_path, data):
    _skip_without("keras", "tensorflow", "sklearn", "matplotlib")
    _run("keras_callback.py", tmp_path / "logs", "--epochs", "2")
    api = data(tmp_path / "logs")
    assert api.get("/data/runs") == ["train", "validation"]
    scalars = api.get("/data/plugin/scalars/tags")
    assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate", "batch_loss"} <= set(
        scalars["train"]
    )
    assert {"epoch_loss", "epoch_accuracy"} <= set(scalars["validation"])
    images = api.get("/data/plugin/images/tags")
    assert "training_samples" in images["train"]
    assert "sequential/hidden/kernel/image" in images["train"]
    assert "confusion_matrix" in images["validation"]
    assert "sequential/hidden/kernel/histogram" in api.get("/data/plugin/histograms/tags")["train"]
    assert api.get("/data/plugin/graphs/info")["train"]["tags"]["keras"]["conceptual_graph"] is True


@pytest.mark.slow
def test_hparams_sweep_example(tmp_path, data):
    _skip_without("keras", "tensorflow", "sklearn")
    _run("hparams_sweep.py", tmp_path / "logs", "--epochs", "1", "--runs", "2")
    api = data(tmp_path / "logs")
    assert api.get("/data/runs") == ["run-0", "run-1"]
    experiment = api.post("/data/plugin/hparams/experiment", {"experimentName": ""})
    assert sorted(info["name"] for info in experiment["hparamInfos"]) == [
        "dropout", "optimizer", "units"
    ]  # fmt: skip
    assert [info["name"]["tag"] for info in experiment["metricInfos"]] == ["accuracy"]


def test_pytorch_writer_example(tmp_path, data):
    _skip_without("torch", "sklearn")
    _run("pytorch_writer.py", tmp_path / "logs", "--epochs", "1")
    api = data(tmp_path / "logs")
    assert sorted(api.get("/data/plugin/scalars/tags")["."]) == ["accuracy/test", "loss/train"]
    histograms = api.get("/data/plugin/histograms/tags")["."]
    assert {"parameters/0.weight", "gradients/2.bias"} <= set(histograms)
    assert api.get("/data/plugin/graphs/info")["."]["run_graph"] is True


def test_xgboost_callback_example(tmp_path, data):
    _skip_without("xgboost", "sklearn")
    _run("xgboost_callback.py", tmp_path / "logs", "--rounds", "3")
    api = data(tmp_path / "logs")
    scalars = api.get("/data/plugin/scalars/tags")
    assert {run: sorted(tags) for run, tags in scalars.items()} == {
        "train": ["merror", "mlogloss"], "validation": ["merror", "mlogloss"]
    }  # fmt: skip
    points = api.get("/data/plugin/scalars/scalars?run=validation&tag=mlogloss")
    assert [step for _, step, _ in points] == [0, 1, 2]


@pytest.mark.slow
def test_lightning_logger_example(tmp_path, data):
    _skip_without("lightning", "sklearn")
    _run("lightning_logger.py", tmp_path / "logs", "--epochs", "1")
    api = data(tmp_path / "logs")
    run = "lightning_logs/version_0"
    assert api.get("/data/runs") == [run]
    tags = set(api.get("/data/plugin/scalars/tags")[run])
    assert {"loss/train", "loss/validation", "hp_metric", "epoch"} <= tags
    experiment = api.post("/data/plugin/hparams/experiment", {"experimentName": ""})
    assert sorted(info["name"] for info in experiment["hparamInfos"]) == ["hidden", "lr"]
    assert api.get("/data/plugin/graphs/info")[run]["run_graph"] is True


@pytest.mark.slow
def test_transformers_callback_example(tmp_path, data):
    _skip_without("transformers", "accelerate", "torch")
    _run("transformers_callback.py", tmp_path / "logs", "--epochs", "1")
    api = data(tmp_path / "logs")
    tags = set(api.get("/data/plugin/scalars/tags")["."])
    assert {"train/loss", "train/learning_rate", "train/grad_norm", "eval/loss"} <= tags
    assert {"args/text_summary", "model_config/text_summary"} <= set(
        api.get("/data/plugin/text/tags")["."]
    )
