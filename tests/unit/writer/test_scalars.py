"""add_scalar and add_scalars: every input kind, every error, the file layout."""

import decimal
import math
import os

import numpy as np
import pytest

from heron.formats.proto.types_pb2 import DT_DOUBLE, DT_FLOAT


class FakeCudaTensor:
    """Quacks like a one-element CUDA torch tensor; records whether it was read."""

    __module__ = "torch"

    def __init__(self, value, shape=()):
        self.value = value
        self.shape = shape
        self.device = type("Device", (), {"type": "cuda"})()
        self.reads = 0

    def numel(self):
        return math.prod(self.shape)

    def is_complex(self):
        return False

    def detach(self):
        return self

    def clone(self):
        copy = FakeCudaTensor(self.value, self.shape)
        copy.source = self
        return copy

    def item(self):
        self.reads += 1
        return self.value


class FakeJaxArray:
    __module__ = "jaxlib.xla_extension"

    def __init__(self, value, shape=()):
        self.value = np.asarray(value, dtype=np.float32).reshape(shape)
        self.shape = shape
        self.size = self.value.size

    def reshape(self, shape):
        return self.value.reshape(shape)


def test_points_round_trip_with_steps_and_wall_times(writer, logdir, scalars_of, events_of):
    for step in range(5):
        writer.add_scalar("loss", 1.0 / (step + 1), step)
    writer.add_scalar("loss", 9.0, 7, walltime=123.5)
    writer.flush()
    assert scalars_of(logdir)["loss"] == [(s, pytest.approx(1.0 / (s + 1))) for s in range(5)] + [
        (7, 9.0)
    ]
    assert events_of(logdir)[-1].wall_time == 123.5


def test_the_default_form_is_pytorchs_legacy_simple_value(writer, logdir, values_of):
    writer.add_scalar("loss", 0.5, 1)
    writer.flush()
    ((_, value),) = values_of(logdir)["loss"]
    assert value.HasField("simple_value")
    assert not value.HasField("metadata")


@pytest.mark.parametrize(("double", "dtype"), [(False, DT_FLOAT), (True, DT_DOUBLE)])
def test_new_style_writes_a_tensor_with_scalars_metadata(writer, logdir, values_of, double, dtype):
    writer.add_scalar("acc", 0.25, 3, new_style=True, double_precision=double)
    writer.flush()
    ((step, value),) = values_of(logdir)["acc"]
    assert step == 3
    assert value.tensor.dtype == dtype
    assert value.metadata.plugin_data.plugin_name == "scalars"


@pytest.mark.parametrize(
    "value",
    [
        3,
        True,
        2.5,
        np.float32(2.5),
        np.float64(2.5),
        np.int64(3),
        np.array(2.5),
        np.array([2.5]),
        np.array([[2.5]], dtype=np.float16),
        decimal.Decimal("2.5"),
    ],
    ids=lambda v: type(v).__name__ + str(getattr(v, "shape", "")),
)
def test_numbers_and_one_element_arrays_are_accepted(writer, logdir, scalars_of, value):
    writer.add_scalar("x", value, 1)
    writer.flush()
    assert scalars_of(logdir)["x"] == [(1, float(np.asarray(value, dtype=float).reshape(())))]


def test_torch_tensors_on_cpu_with_grad_are_read_now():
    torch = pytest.importorskip("torch")
    value = torch.tensor([1.5], requires_grad=True) * 2
    from heron.writer.inputs import scalar

    assert scalar(value) == 3.0
    assert scalar(torch.tensor(2, dtype=torch.bfloat16)) == 2.0


def test_a_device_scalar_is_read_on_the_background_thread(writer, logdir, scalars_of, monkeypatch):
    import sys
    import types

    class Event:
        def __init__(self):
            self.synchronized = False

        def record(self, stream):
            self.stream = stream

        def synchronize(self):
            self.synchronized = True

    fake_torch = types.SimpleNamespace(
        cuda=types.SimpleNamespace(Event=Event, current_stream=lambda device: "stream")
    )
    monkeypatch.setitem(sys.modules, "torch", fake_torch)
    tensor = FakeCudaTensor(4.5)
    writer.add_scalar("gpu", tensor, 2)
    assert tensor.reads == 0  # no device sync on the caller's thread
    writer.flush()
    assert scalars_of(logdir)["gpu"] == [(2, 4.5)]


def test_a_jax_array_is_read_later_because_it_is_immutable(writer, logdir, scalars_of):
    writer.add_scalar("jax", FakeJaxArray(1.25), 1)
    writer.flush()
    assert scalars_of(logdir)["jax"] == [(1, 1.25)]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinities_are_logged(writer, logdir, scalars_of, value):
    writer.add_scalar("loss", value, 1)
    writer.flush()
    ((_, written),) = scalars_of(logdir)["loss"]
    assert (math.isnan(value) and math.isnan(written)) or written == value


def test_values_beyond_float32_become_infinite_as_with_protobuf(writer, logdir, scalars_of):
    writer.add_scalar("big", 1e300, 1)
    writer.add_scalar("big", -(10**39), 2)
    writer.flush()
    assert scalars_of(logdir)["big"] == [(1, math.inf), (2, -math.inf)]


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("1.0", TypeError, "expected a number"),
        (None, TypeError, "expected a real number"),
        ([1.0, 2.0], TypeError, "expected a real number"),
        (np.zeros(2), ValueError, "single number"),
        (np.zeros((0,)), ValueError, "single number"),
        (FakeJaxArray([1, 2], (2,)), ValueError, "single number"),
        (10**400, ValueError, "too large"),
        (1 + 2j, TypeError, "real number"),
    ],
)
def test_what_is_not_one_number_raises_on_the_callers_thread(writer, value, error, match):
    with pytest.raises(error, match=match):
        writer.add_scalar("x", value, 1)


def test_wrong_shaped_tensors_raise(writer):
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="shape \\(2, 3\\)"):
        writer.add_scalar("x", torch.zeros(2, 3), 1)


@pytest.mark.parametrize(
    ("step", "written"),
    [
        (None, 0),
        (np.int64(5), 5),
        (7.9, 7),
        (np.array([3]), 3),
        (True, 1),
        ((1 << 63) - 1, (1 << 63) - 1),
        (-4, -4),
    ],
)
def test_steps_are_int64s_converted_as_pytorch_does(writer, logdir, events_of, step, written):
    writer.add_scalar("x", 1.0, step)
    writer.flush()
    assert events_of(logdir)[0].step == written


@pytest.mark.parametrize(
    ("step", "match"),
    [(1 << 63, "int64"), (math.nan, "integer"), ("3", "integer"), (np.zeros(2), "single number")],
)
def test_bad_steps_raise(writer, step, match):
    with pytest.raises((ValueError, TypeError), match=match):
        writer.add_scalar("x", 1.0, step)


@pytest.mark.parametrize(
    ("tag", "error"), [(3, TypeError), (b"x", TypeError), ("\ud800", ValueError)]
)
def test_bad_tags_raise(writer, tag, error):
    with pytest.raises(error):
        writer.add_scalar(tag, 1.0, 1)


def test_the_walltime_must_be_a_number(writer):
    with pytest.raises(TypeError, match="walltime"):
        writer.add_scalar("x", 1.0, 1, walltime="now")


def test_add_scalars_writes_one_sub_run_per_key_named_like_pytorch(
    writer, logdir, scalars_of, events_of
):
    writer.add_scalars("loss/all", {"train": 1.0, "val": np.float32(2.0)}, 4, walltime=99.0)
    writer.add_scalars("loss/all", {"train": 0.5}, 5)
    writer.flush()
    assert sorted(name for name in os.listdir(logdir) if "tfevents" not in name) == [
        "loss_all_train",
        "loss_all_val",
    ]
    assert scalars_of(os.path.join(logdir, "loss_all_train")) == {"loss/all": [(4, 1.0), (5, 0.5)]}
    assert scalars_of(os.path.join(logdir, "loss_all_val")) == {"loss/all": [(4, 2.0)]}
    assert events_of(os.path.join(logdir, "loss_all_val"))[0].wall_time == 99.0


def test_add_scalars_validates_every_value_before_writing_any(writer, logdir):
    with pytest.raises(TypeError):
        writer.add_scalars("m", {"a": 1.0, "b": "x"}, 1)
    writer.flush()
    assert not os.path.exists(os.path.join(logdir, "m_a"))
