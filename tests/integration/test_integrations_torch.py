"""heron.integrations.torch.watch: parameter and gradient histograms every N training steps."""

import pytest

from ._series import series_of

torch = pytest.importorskip("torch")


def _train(model, steps, *, evaluate_every=0):
    # Plain SGD by hand: torch.optim loads torch._dynamo, which crashes a process that has
    # imported TensorFlow (as the compat tests do) on machines with triton installed.
    inputs, targets = torch.randn(8, 4), torch.randn(8, 1)
    for step in range(steps):
        model.train()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        with torch.no_grad():
            for parameter in model.parameters():
                if parameter.grad is not None:
                    parameter -= 0.1 * parameter.grad
                    parameter.grad = None
        if evaluate_every and step % evaluate_every == 0:
            model.eval()
            with torch.no_grad():
                model(inputs)


def test_watch_logs_parameters_and_gradients_every_freq_training_steps(tmp_path):
    from heron import SummaryWriter
    from heron.integrations.torch import watch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    with SummaryWriter(tmp_path / "run") as writer:
        watcher = watch(model, writer, freq=3)
        _train(model, 7, evaluate_every=2)  # eval passes are not steps
        watcher.remove()
        _train(model, 5)  # after remove(): nothing more
    found = series_of(tmp_path, tmp_path / "index.db")
    names = ("0.weight", "0.bias", "2.weight", "2.bias")
    for kind in ("parameters", "gradients"):
        for name in names:
            assert found[("run", f"{kind}/{name}")] == ("histograms", 3, 6)  # steps 0, 3, 6
    assert len(found) == 8


def test_watch_logs_only_what_is_asked_and_skips_frozen_parameters(tmp_path):
    from heron import SummaryWriter
    from heron.integrations.torch import watch

    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 1))
    model[0].weight.requires_grad_(False)
    with SummaryWriter(tmp_path / "run") as writer, watch(model, writer, 1, log="gradients"):
        _train(model, 2)
    found = series_of(tmp_path, tmp_path / "index.db")
    assert sorted(tag for _, tag in found) == ["gradients/0.bias", "gradients/1.bias",
                                                "gradients/1.weight"]  # fmt: skip


def test_watch_checks_its_arguments(tmp_path):
    from heron import SummaryWriter
    from heron.integrations.torch import watch

    with SummaryWriter(tmp_path) as writer:
        with pytest.raises(ValueError, match="freq"):
            watch(torch.nn.Linear(1, 1), writer, 0)
        with pytest.raises(ValueError, match="log"):
            watch(torch.nn.Linear(1, 1), writer, log="weights")
