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
        str(run_dir), size_guidance={event_accumulator.TENSORS: 0}
    )
    accumulator.Reload()
    tags = set(accumulator.Tags()["tensors"])
    assert {
        "loss/train",
        "loss/validation",
        "accuracy/train",
        "accuracy/validation",
        "learning_rate",
        "weights/layer1",
        "weights/layer2",
        "confusion_matrix",
        "config",
    } <= tags
    losses = accumulator.Tensors("loss/train")
    assert [e.step for e in losses] == list(range(400))
    assert all(e.tensor_proto.float_val for e in losses)
