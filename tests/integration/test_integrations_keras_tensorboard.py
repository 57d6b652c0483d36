"""A logdir written by Keras's own TensorBoard callback (TensorFlow backend) loads in Heron."""

import textwrap

import pytest

from ._series import has_module, run_script

pytestmark = pytest.mark.skipif(
    not (has_module("keras") and has_module("tensorflow")), reason="needs keras and tensorflow"
)

TRAIN = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import keras

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
    callback = keras.callbacks.TensorBoard(
        sys.argv[1], histogram_freq=1, write_images=True, update_freq=2, write_graph=True,
        profile_batch=(2, 3),
    )
    model.fit(x, y, epochs=2, batch_size=12, validation_split=0.25, verbose=0,
              callbacks=[callback])
    print(json.dumps({"backend": keras.backend.backend()}))
    """
)


@pytest.mark.slow
def test_keras_tensorboard_callback_logdir_reads_back(tmp_path):
    logdir = tmp_path / "logs"
    assert run_script(TRAIN, str(logdir), env={"KERAS_BACKEND": "tensorflow"}) == {
        "backend": "tensorflow"
    }
    import heron
    from heron.plugins import default_plugins
    from heron.server import ServerConfig, create_app
    from heron.testing.asgi import TestClient

    with heron.open(logdir, db=tmp_path / "index.db", progress=False) as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )

        def get(path):
            response = client.get(path)
            assert response.status_code == 200, response.text
            return response.json()

        assert get("/data/runs") == ["train", "validation"]
        scalars = get("/data/plugin/scalars/tags")
        assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= set(scalars["train"])
        assert {"epoch_loss", "evaluation_loss_vs_iterations"} <= set(scalars["validation"])
        # Keras 3.15's callback itself writes the last epoch's summaries only (and batch ones).
        points = get("/data/plugin/scalars/scalars?run=train&tag=batch_loss")
        assert [step for _, step, _ in points] == [2, 4, 6]
        weights = ["sequential/conv/kernel", "sequential/conv/bias", "sequential/output/kernel",
                   "sequential/output/bias"]  # fmt: skip
        histograms = get("/data/plugin/histograms/tags")["train"]
        assert sorted(histograms) == sorted(f"{weight}/histogram" for weight in weights)
        images = get("/data/plugin/images/tags")["train"]
        assert sorted(images) == sorted(f"{weight}/image" for weight in weights)
        graphs = get("/data/plugin/graphs/info")["train"]
        assert graphs["tags"]["keras"]["conceptual_graph"] is True
        graph = client.get("/data/plugin/graphs/graph?run=train&tag=keras&conceptual=true")
        assert graph.status_code == 200, graph.text
        assert 'name: "sequential/output"' in graph.text

        # profile_batch: tf.profiler's XPlane capture, under train/plugins/profile/<session>/.
        (profiled,) = get("/data/plugin/profile/runs")
        assert profiled["run"] == "train"
        (session,) = profiled["sessions"]
        assert [host["format"] for host in session["hosts"]] == ["xplane"]
        overview = get(f"/data/plugin/profile/overview?run=train&session={session['session']}")
        assert [step["name"] for step in overview["steps"]] == ["Profiled batch"] * 2
        events = client.get(
            f"/data/plugin/profile/trace/window?run=train&session={session['session']}"
        )
        assert events.status_code == 200, events.text


@pytest.mark.slow
def test_keras_tensorboard_profile_trace_graph_reads_back(tmp_path):
    """At update_freq="epoch", Keras's profile_batch also calls ``tf.summary.trace_export``
    (tag ``batch_<stop>``) beside the XPlane capture. Its train function was traced before
    ``trace_on``, so the RunMetadata holds no graph: listed, served empty, never an error."""
    logdir = tmp_path / "logs"
    code = TRAIN.replace("histogram_freq=1, write_images=True, update_freq=2, ", "")
    code = code.replace("validation_split=0.25, ", "")
    assert run_script(code, str(logdir), env={"KERAS_BACKEND": "tensorflow"}) == {
        "backend": "tensorflow"
    }
    import heron
    from heron.plugins import default_plugins
    from heron.server import ServerConfig, create_app
    from heron.testing.asgi import TestClient

    with heron.open(logdir, db=tmp_path / "index.db", progress=False) as experiment:
        client = TestClient(
            create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        )
        tags = client.get("/data/plugin/graphs/info").json()["train"]["tags"]
        assert tags["batch_3"]["op_graph"] is True
        traced = client.get("/data/plugin/graphs/graph?run=train&tag=batch_3")
        assert traced.status_code == 200, traced.text
        assert traced.text == ""
        (profiled,) = client.get("/data/plugin/profile/runs").json()
        assert profiled["run"] == "train"
        assert len(profiled["sessions"]) == 1
