"""How ``HeronCallback`` hands Keras's log values to its writers, and the writers it uses.

Kept apart from the callback so that its module stays about the hooks: which values are
read on the training thread (a host sync on JAX) and which the writer reads later, and
the ``SummaryWriter`` subclass whose thread starts only on demand.
"""

from __future__ import annotations

from typing import Any

from heron.writer import SummaryWriter

__all__ = ["CallbackWriter", "as_number", "log_value"]


def as_number(value: Any) -> float | None:
    """A log value as a float, or None when it is not one number (Keras may log arrays)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def log_value(value: Any) -> Any:
    """A log value as the writer should get it, or None when it is not one number.

    A one-element JAX or torch array goes to the writer as it is: the writer reads it
    when it writes (``heron.writer.inputs``), so the training loop does not wait on the
    device for each logged batch (``float()`` here would be a host sync). A batch's logs
    are outputs of its step, not the state buffers that Keras donates to the next step on
    JAX (a deferred read of those fails: see ``_learning_rate``); epoch logs, rare and
    possibly metric state, are read at once.
    """
    module = type(value).__module__
    if module.startswith(("jax", "jaxlib", "torch")) and _size(value) == 1:
        return value
    return as_number(value)


def _size(value: Any) -> int | None:
    try:
        return int(value.numel()) if hasattr(value, "numel") else int(value.size)
    except (AttributeError, TypeError, ValueError):
        return None


class CallbackWriter(SummaryWriter):
    """A ``SummaryWriter`` whose thread starts only when needed (``heron.writer.pipeline``).

    The callback flushes its runs itself (epoch ends, at most once a second) and closes
    them when fit ends, so a timer thread adds nothing; without one, a short fit never
    pays for starting and joining two threads while the backend's threads keep the cores
    busy (about a millisecond each, measured on JAX).
    """

    _thread_on_demand = True
