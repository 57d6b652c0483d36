"""``watch(model, writer, freq)``: weight and gradient histograms of a PyTorch module.

A training loop rarely has a good place for "log every parameter now", and
gradients exist only between ``backward()`` and ``zero_grad()``. So ``watch``
hooks the module instead: a forward pre-hook counts training forward passes
(the step), and every ``freq`` passes it logs each parameter's histogram and
arms the parameters' gradient hooks, which log each gradient as autograd
produces it in the following backward pass. Forward passes in eval mode
(validation) are not counted. Nothing else runs between logging steps.

Tags: ``parameters/<name>`` and ``gradients/<name>``, with the parameter names
of ``model.named_parameters()``. torch is imported by the functions, not here.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from heron.writer import SummaryWriter

__all__ = ["Watch", "watch"]

What = Literal["gradients", "parameters", "all"]


class Watch:
    """The hooks ``watch`` installed; ``remove()`` takes them off (also a context manager)."""

    def __init__(self, model: Any, writer: SummaryWriter, freq: int, what: What) -> None:
        self.writer = writer
        self.freq = freq
        self.step = -1  # training forward passes seen, minus one: the step being logged
        self._parameters = what in ("parameters", "all")
        self._gradients = what in ("gradients", "all")
        self._lock = threading.Lock()
        self._armed: set[str] = set()
        self._named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
        self._handles = [model.register_forward_pre_hook(self._on_forward)]
        if self._gradients:
            for name, parameter in self._named:
                self._handles.append(parameter.register_hook(self._gradient_hook(name)))

    def _on_forward(self, module: Any, args: Any) -> None:
        if not module.training:
            return
        self.step += 1
        if self.step % self.freq:
            return
        torch = importlib.import_module("torch")
        with torch.no_grad():
            for name, parameter in self._named:
                if self._parameters:
                    self._histogram(f"parameters/{name}", parameter)
        if self._gradients:
            with self._lock:
                self._armed = {name for name, _ in self._named}

    def _gradient_hook(self, name: str) -> Any:
        def hook(gradient: Any) -> None:
            with self._lock:
                if name not in self._armed:
                    return
                self._armed.discard(name)
            self._histogram(f"gradients/{name}", gradient)

        return hook

    def _histogram(self, tag: str, tensor: Any) -> None:
        values = tensor.detach()
        if values.numel() == 0 or not bool(values.isfinite().all()):
            return  # a histogram needs finite values; a NaN gradient shows in the loss anyway
        self.writer.add_histogram(tag, values, self.step)

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def watch(model: Any, writer: SummaryWriter, freq: int = 100, *, log: What = "all") -> Watch:
    """Log histograms of ``model``'s parameters and/or gradients every ``freq`` training steps.

    ``log``: ``"gradients"``, ``"parameters"`` or ``"all"``. A step is one
    forward pass of ``model`` in training mode, so call ``watch`` on the module
    your loop calls. Returns the ``Watch``; ``remove()`` stops it.
    """
    if freq < 1:
        raise ValueError("freq must be a positive number of steps")
    if log not in ("gradients", "parameters", "all"):
        raise ValueError('log must be "gradients", "parameters" or "all"')
    return Watch(model, writer, freq, log)
