"""Heron: watch machine-learning training.

``import heron`` must stay light: it is imported by training scripts, so it never
pulls in the server, a database driver, numpy or PIL until they are needed.
Public names below the version are reached lazily (module ``__getattr__``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heron._version import __version__

if TYPE_CHECKING:
    from heron.experiment import open_experiment as open
    from heron.integrations.profiler import profile
    from heron.writer import SummaryWriter

__all__ = ["SummaryWriter", "__version__", "open", "profile"]


def __getattr__(name: str) -> Any:
    if name == "SummaryWriter":  # the logging library: heron.SummaryWriter(log_dir)
        from heron.writer import SummaryWriter

        return SummaryWriter
    if name == "open":  # the Python read API: heron.open(logdir)
        from heron.experiment import open_experiment

        return open_experiment
    if name == "profile":  # torch.profiler into a run: with heron.profile(writer) as prof
        from heron.integrations.profiler import profile

        return profile
    raise AttributeError(f"module 'heron' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext heron``: adds the ``%heron`` magic; the notebook support is imported only now."""
    from heron.notebook import load_ipython_extension as load

    load(ipython)


def __dir__() -> list[str]:
    return sorted(__all__)
