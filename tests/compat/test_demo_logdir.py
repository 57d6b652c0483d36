"""TensorBoard reads the demo logdir and sees what Heron sees."""

import pytest

from heron.cli.demo import SWEEP, write_demo_logdir

pytestmark = pytest.mark.compat

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


@pytest.fixture(scope="module")
def demo_logdir(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("demo")
    write_demo_logdir(logdir)
    return logdir


def test_tensorboard_sees_every_demo_series(demo_logdir):
    run_dir = demo_logdir / SWEEP[0].run_name
    accumulator = event_accumulator.EventAccumulator(
        str(run_dir),
        size_guidance={event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0},
    )
    accumulator.Reload()
    found = accumulator.Tags()
    tags = {
        tag
        for kind in ("scalars", "tensors", "images", "audio", "histograms")
        for tag in found[kind]
    }
    assert {
        "loss/train",
        "loss/validation",
        "accuracy/train",
        "accuracy/validation",
        "learning_rate",
        "weights/layer1",
        "weights/layer2",
        "confusion_matrix",
        "config/text_summary",
        "pr/class_0",
        "done_chime",
        "_hparams_/session_start_info",
    } <= tags
    losses = accumulator.Scalars("loss/train")
    assert [e.step for e in losses] == list(range(400))
    assert all(e.value > 0 for e in losses)


def test_the_projector_finds_the_demo_embedding(demo_logdir):
    config = (demo_logdir / SWEEP[0].run_name / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "hidden_layer:' in config
    assert "metadata.tsv" in config
