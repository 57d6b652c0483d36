"""HeronCallback's op graph (TensorFlow backend) and ``profile_batch`` on each Keras backend.

Each fit runs in a fresh process (a backend is chosen once per process, and TensorFlow and
torch must never share one); what it wrote is then read through Heron's own HTTP routes.
"""

import textwrap

import pytest

from ._series import has_module, run_script

pytestmark = pytest.mark.skipif(not has_module("keras"), reason="needs keras")

TRAIN = textwrap.dedent(
    """
    import json, os, sys
    import numpy as np
    import keras
    from heron.integrations.keras import HeronCallback

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((6, 6, 1)),
        keras.layers.Conv2D(2, 3, activation="relu", name="conv"),
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax", name="output"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.rand(48, 6, 6, 1).astype("float32")
    y = np.random.randint(0, 3, 48)
    callback = HeronCallback(sys.argv[1], profile_batch=(2, 3))
    assert not callback.async_safe  # a profile starts and stops at the batches themselves
    model.fit(x, y, epochs=2, batch_size=12, validation_split=0.25, verbose=0,
              callbacks=[callback])
    print(json.dumps({"backend": keras.backend.backend()}))
    """
)


def _client(logdir, db):
    """A TestClient on Heron's app over ``logdir``, and the ``heron.open`` context to close."""
    import heron
    from heron.plugins import default_plugins
    from heron.server import ServerConfig, create_app
    from heron.testing.asgi import TestClient

    experiment = heron.open(logdir, db=db, progress=False)
    app = create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
    return experiment, TestClient(app)


def _fit(backend, logdir):
    if not has_module(backend):
        pytest.skip(f"Keras backend {backend} is not installed")
    report = run_script(TRAIN, str(logdir), env={"KERAS_BACKEND": backend})
    assert report == {"backend": backend}


def _profile_sessions(client):
    response = client.get("/data/plugin/profile/runs")
    assert response.status_code == 200, response.text
    return {entry["run"]: entry["sessions"] for entry in response.json()}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_profile_batch_capture_is_listed_by_the_profile_plugin(backend, tmp_path):
    logdir = tmp_path / "logs"
    _fit(backend, logdir)
    experiment, client = _client(logdir, tmp_path / "index.db")
    with experiment:
        sessions = _profile_sessions(client)
        assert list(sessions) == ["train"]
        (session,) = sessions["train"]
        hosts = session["hosts"]
        # torch: one chrome trace; TensorFlow: XPlane; JAX: XPlane and its trace-event export.
        expected = "trace_json" if backend == "torch" else "xplane"
        assert expected in {host["format"] for host in hosts}
        assert all(host["readable"] and host["size"] > 0 for host in hosts)
        overview = client.get(
            f"/data/plugin/profile/overview?run=train&session={session['session']}"
        )
        assert overview.status_code == 200, overview.text
        # Batches 2 and 3 of the fit, each marked as a step for the overview.
        assert [step["step"] for step in overview.json()["steps"]] == [2, 3]


@pytest.mark.slow
def test_op_graph_of_the_train_step_is_written_on_tensorflow(tmp_path):
    logdir = tmp_path / "logs"
    _fit("tensorflow", logdir)
    experiment, client = _client(logdir, tmp_path / "index.db")
    with experiment:
        info = client.get("/data/plugin/graphs/info").json()
        assert info["train"]["run_graph"] is True
        assert info["train"]["tags"]["keras"]["conceptual_graph"] is True
        graph = client.get("/data/plugin/graphs/graph?run=train")
        assert graph.status_code == 200, graph.text
        assert 'op: "MatMul"' in graph.text
        assert 'op: "Conv2D"' in graph.text
        assert "validation" not in info or not info["validation"].get("run_graph")


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_other_backends_write_the_conceptual_graph_only(backend, tmp_path):
    logdir = tmp_path / "logs"
    _fit(backend, logdir)
    experiment, client = _client(logdir, tmp_path / "index.db")
    with experiment:
        info = client.get("/data/plugin/graphs/info").json()
        assert info["train"]["tags"]["keras"]["conceptual_graph"] is True
        assert not info["train"]["run_graph"]


def test_profile_batch_is_checked_like_keras():
    pytest.importorskip("keras")
    from heron.integrations._keras_profile import batch_range

    assert batch_range(0) == (0, 0)
    assert batch_range(5) == (5, 5)
    assert batch_range((10, 20)) == (10, 20)
    assert batch_range("3,4") == (3, 4)
    for bad in (-1, (5, 2), (0, 3), "a,b", (1, 2, 3), True):
        with pytest.raises(ValueError, match="profile_batch"):
            batch_range(bad)
