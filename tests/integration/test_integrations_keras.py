"""heron.integrations.keras.HeronCallback on each Keras 3 backend, each in a fresh process."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from ._series import has_module, scalar_values, series_of

# Found, not imported: collecting this module must not load TensorFlow into the test process.
pytestmark = pytest.mark.skipif(not has_module("keras"), reason="needs keras")

TRAIN = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import keras
    from heron.integrations.keras import HeronCallback

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((6, 6, 1)),
        keras.layers.Conv2D(2, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.rand(48, 6, 6, 1).astype("float32")
    y = np.random.randint(0, 3, 48)
    hooked = []
    callback = HeronCallback(
        sys.argv[1], histogram_freq=1, write_images=True, update_freq=2,
        epoch_hook=lambda cb, epoch, logs: (
            hooked.append(epoch), cb.validation_writer.add_text("hook", str(epoch), epoch)),
    )
    history = model.fit(
        x, y, epochs=2, batch_size=12, validation_split=0.25, verbose=0, callbacks=[callback]
    )
    print(json.dumps({"backend": keras.backend.backend(), "hooked": hooked,
                      "loss": history.history["loss"], "val_loss": history.history["val_loss"]}))
    """
)


def _backend_available(backend):
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}[backend]
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_callback_logs_keras_layout_on_every_backend(backend, tmp_path):
    if not _backend_available(backend):
        pytest.skip(f"Keras backend {backend} is not installed")
    logdir = tmp_path / "logs"
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", TRAIN, str(logdir)],
        env=env, capture_output=True, text=True, check=False, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["backend"] == backend
    assert report["hooked"] == [0, 1]

    found = series_of(logdir, tmp_path / "index.db")
    # 36 training samples in batches of 12: 3 batches an epoch, 6 in all, logged every 2nd.
    for tag in ("batch_loss", "batch_accuracy"):
        assert found[("train", tag)] == ("scalars", 3, 6)
    for tag in ("epoch_loss", "epoch_accuracy", "epoch_learning_rate"):
        assert found[("train", tag)] == ("scalars", 2, 1)
    for tag in ("epoch_loss", "epoch_accuracy"):
        assert found[("validation", tag)] == ("scalars", 2, 1)
    assert found[("validation", "evaluation_loss_vs_iterations")] == ("scalars", 2, 6)
    for layer_weight in ("conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias"):
        weight = f"sequential/{layer_weight}"
        assert found[("train", f"{weight}/histogram")] == ("histograms", 2, 1)
        assert found[("train", f"{weight}/image")] == ("images", 2, 1)
    assert found[("train", "keras")] == ("graph_keras_model", 1, 0)
    assert found[("validation", "hook/text_summary")][0] == "text"

    db = tmp_path / "index.db"
    losses = [value for _, value in scalar_values(logdir, db, "train", "epoch_loss")]
    assert losses == pytest.approx(report["loss"], rel=1e-5)
    val_losses = [value for _, value in scalar_values(logdir, db, "validation", "epoch_loss")]
    assert val_losses == pytest.approx(report["val_loss"], rel=1e-5)
    rates = scalar_values(logdir, db, "train", "epoch_learning_rate")
    assert [value for _, value in rates] == pytest.approx([0.001, 0.001])


def test_model_config_is_drawn_as_the_conceptual_graph(tmp_path):
    """The ``keras`` tag holds model.to_json(), which Heron's graphs plugin turns into layers."""
    keras = pytest.importorskip("keras")
    from heron.integrations.keras import HeronCallback

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="out")], name="tiny")
    callback = HeronCallback(tmp_path / "logs")
    callback.set_model(model)
    callback.on_train_begin()
    callback.on_train_end()

    import heron
    from heron.plugins.graphs.data import graph_text

    with heron.open(tmp_path / "logs", db=tmp_path / "index.db", progress=False) as experiment:
        text = graph_text(experiment.provider, "train", "keras", conceptual=True)
    assert 'name: "tiny/out"' in text
    assert json.loads(model.to_json())["config"]["name"] == "tiny"


def test_update_freq_and_histogram_freq_are_checked():
    pytest.importorskip("keras")
    from heron.integrations.keras import HeronCallback

    with pytest.raises(ValueError, match="update_freq"):
        HeronCallback(update_freq=0)
    with pytest.raises(ValueError, match="histogram_freq"):
        HeronCallback(histogram_freq=-1)


def test_default_settings_log_per_epoch_only_and_stay_async_safe(tmp_path):
    """At update_freq="epoch" Keras may run batch hooks on threads; steps still come out right."""
    keras = pytest.importorskip("keras")
    import numpy as np

    from heron.integrations.keras import HeronCallback

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    callback = HeronCallback(tmp_path / "logs", write_steps_per_second=True)
    assert callback.async_safe
    assert not HeronCallback(update_freq="batch").async_safe
    x, y = np.zeros((40, 4), "float32"), np.zeros((40, 1), "float32")
    model.fit(x, y, epochs=2, batch_size=10, validation_split=0.25, verbose=0, callbacks=[callback])
    db = tmp_path / "index.db"
    found = series_of(tmp_path / "logs", db)
    assert not [tag for _, tag in found if tag.startswith("batch_")]
    evaluation = scalar_values(tmp_path / "logs", db, "validation", "evaluation_loss_vs_iterations")
    assert [step for step, _ in evaluation] == [3, 6]
    assert found[("train", "epoch_steps_per_second")] == ("scalars", 2, 1)


def test_embeddings_reach_the_projector(tmp_path):
    keras = pytest.importorskip("keras")
    import numpy as np

    import heron
    from heron.integrations.keras import HeronCallback

    model = keras.Sequential(
        [
            keras.Input((3,), dtype="int32"),
            keras.layers.Embedding(5, 2, name="words"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    labels = tmp_path / "words.tsv"
    labels.write_text("".join(f"word{i}\n" for i in range(5)))
    callback = HeronCallback(tmp_path / "logs", embeddings_freq=2, embeddings_metadata=str(labels))
    x, y = np.zeros((8, 3), "int32"), np.zeros((8, 1), "float32")
    model.fit(x, y, epochs=3, batch_size=4, verbose=0, callbacks=[callback])

    config = (tmp_path / "logs" / "train" / "projector_config.pbtxt").read_text()
    assert config.count("tensor_name") == 2  # epochs 0 and 2
    assert (tmp_path / "logs/train/00002/words/metadata.tsv").read_text().split() == [
        f"word{i}" for i in range(5)
    ]
    from heron.plugins import default_plugins
    from heron.server import ServerConfig, create_app
    from heron.testing.asgi import TestClient

    with heron.open(tmp_path / "logs", db=tmp_path / "index.db", progress=False) as experiment:
        app = create_app(ServerConfig(), experiment.provider, plugins=default_plugins())
        assert TestClient(app).get("/data/plugin/projector/runs").json() == ["train"]


def test_a_short_fit_at_epoch_level_starts_no_writer_thread_and_writes_everything(tmp_path):
    """The callback's runs write on flush / close when nothing else wakes them: no thread to
    start and join (costly while the backend's threads hold the cores), nothing lost."""
    keras = pytest.importorskip("keras")
    import threading

    import numpy as np

    from heron.integrations.keras import HeronCallback

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    seen = []
    callback = HeronCallback(
        tmp_path / "logs",
        epoch_hook=lambda cb, epoch, logs: seen.append(
            [t.name for t in threading.enumerate() if t.name.startswith("heron-writer")]
        ),
    )
    x, y = np.zeros((40, 4), "float32"), np.zeros((40, 1), "float32")
    model.fit(x, y, epochs=3, batch_size=10, validation_split=0.25, verbose=0, callbacks=[callback])
    assert seen == [[], [], []]
    found = series_of(tmp_path / "logs", tmp_path / "index.db")
    assert found[("train", "epoch_loss")] == ("scalars", 3, 2)
    assert found[("validation", "epoch_loss")] == ("scalars", 3, 2)
    assert found[("validation", "evaluation_loss_vs_iterations")] == ("scalars", 3, 9)


def test_flush_without_a_writer_thread_writes_on_the_calling_thread(tmp_path):
    """An epoch-end flush (or yours) writes what waits even though no thread was started."""
    pytest.importorskip("keras")
    import threading

    from heron.integrations.keras import HeronCallback

    callback = HeronCallback(tmp_path / "logs")
    callback.train_writer.add_scalar("x", 1.5, 3)
    callback.train_writer.flush()
    assert not [t for t in threading.enumerate() if t.name.startswith("heron-writer")]
    assert scalar_values(tmp_path / "logs", tmp_path / "index.db", "train", "x") == [(3, 1.5)]
    callback.on_train_end()


def test_many_points_still_wake_the_writer_thread(tmp_path):
    """Past ``max_queue`` waiting points the thread starts, as for any SummaryWriter."""
    pytest.importorskip("keras")
    import threading

    from heron.integrations.keras import HeronCallback

    callback = HeronCallback(tmp_path / "logs", update_freq="batch")
    writer = callback.train_writer
    for step in range(25):
        writer.add_scalar("x", float(step), step)
    names = [t.name for t in threading.enumerate()]
    assert "heron-writer:train" in names
    callback.on_train_end()
    found = series_of(tmp_path / "logs", tmp_path / "index.db")
    assert found[("train", "x")] == ("scalars", 25, 24)


BATCH_VALUES = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import keras
    from heron.integrations.keras import HeronCallback

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(float(logs["loss"])))
    x, y = np.random.rand(40, 4).astype("float32"), np.random.rand(40, 1).astype("float32")
    model.fit(x, y, epochs=3, batch_size=8, verbose=0,
              callbacks=[HeronCallback(sys.argv[1], update_freq="batch"), record])
    print(json.dumps(seen))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_batch_values_handed_to_the_writer_unread_are_the_ones_keras_logged(backend, tmp_path):
    """Per-batch device values go to the writer as arrays (no host sync per batch); read
    when written, after later steps ran, they are still each batch's own value."""
    if not _backend_available(backend):
        pytest.skip(f"Keras backend {backend} is not installed")
    from ._series import run_script

    logged = run_script(BATCH_VALUES, str(tmp_path / "logs"), env={"KERAS_BACKEND": backend})
    written = scalar_values(tmp_path / "logs", tmp_path / "index.db", "train", "batch_loss")
    assert [step for step, _ in written] == list(range(1, 16))
    assert [value for _, value in written] == pytest.approx(logged, rel=1e-6)
