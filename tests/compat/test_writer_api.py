"""heron.SummaryWriter takes every call PyTorch's writer takes: same names, order and defaults."""

import inspect

import pytest

from heron import SummaryWriter

pytestmark = pytest.mark.compat

torch_tensorboard = pytest.importorskip("torch.utils.tensorboard")
TorchWriter = torch_tensorboard.SummaryWriter

CALLS = sorted(
    name
    for name, _ in inspect.getmembers(TorchWriter, inspect.isfunction)
    if not name.startswith("_") or name in ("__init__", "_get_file_writer")
)


def test_there_are_calls_to_compare():
    assert {"add_scalar", "add_hparams", "add_embedding", "__init__", "flush", "close"} <= set(
        CALLS
    )


@pytest.mark.parametrize("name", CALLS)
def test_the_call_exists_with_pytorchs_parameters_first(name):
    theirs = list(inspect.signature(getattr(TorchWriter, name)).parameters.values())
    ours = list(inspect.signature(getattr(SummaryWriter, name)).parameters.values())
    for their, our in zip(theirs, ours[: len(theirs)], strict=True):
        assert (our.name, our.kind) == (their.name, their.kind), name
        assert our.default == their.default, f"{name}({their.name}=...)"
    extra = ours[len(theirs) :]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in extra), (name, extra)


def test_pytorchs_attributes_exist(tmp_path):
    ours = SummaryWriter(str(tmp_path / "ours"))
    theirs = TorchWriter(str(tmp_path / "theirs"))
    try:
        for attribute in ("log_dir", "purge_step", "max_queue", "flush_secs", "filename_suffix"):
            assert getattr(ours, attribute) == getattr(theirs, attribute) or attribute == "log_dir"
        assert ours.default_bins == theirs.default_bins
    finally:
        ours.close()
        theirs.close()
