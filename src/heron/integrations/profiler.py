"""``heron.profile()``: ``torch.profiler`` with sensible defaults, writing into a Heron run.

Why: the profiler's useful setup takes a dozen lines (activities, a schedule
that skips the first slow steps, a trace handler pointed at the right
directory, gzip) and a wrong ``on_trace_ready`` path makes the Profile tab
stay empty. This wraps it so that

    with heron.profile(writer) as prof:
        for batch in loader:
            train_step(batch)
            prof.step()

writes ``<run>/<worker>.<id>.pt.trace.json.gz`` next to the writer's event
files, which Heron shows under run ``<run>`` in the Profile tab.

Defaults: ``schedule(wait=1, warmup=1, active=3, repeat=1)`` (the first step
is often slow — allocation, compilation, cache warm-up — and is skipped),
CPU activity plus CUDA when ``torch.cuda.is_available()``, gzip output, and
``record_shapes`` / ``profile_memory`` / ``with_stack`` off (each costs time
and trace size; turn them on by keyword). torch is imported only when the
function is called, so ``import heron`` stays light.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heron.writer import SummaryWriter

__all__ = ["profile"]


def _run_directory(
    writer: SummaryWriter | None, logdir: str | os.PathLike[str] | None, run: str | None
) -> str:
    if writer is not None:
        if logdir is not None or run is not None:
            raise TypeError("pass either a writer or logdir= (and run=), not both")
        return writer.get_logdir()
    if logdir is None:
        raise TypeError("heron.profile() needs a writer or logdir=")
    if run is not None and (os.path.isabs(run) or ".." in run.replace("\\", "/").split("/")):
        raise ValueError(f"run must be a relative path inside logdir, not {run!r}")
    return os.path.join(os.fspath(logdir), run) if run else os.fspath(logdir)


@contextmanager
def profile(
    writer: SummaryWriter | None = None,
    *,
    logdir: str | os.PathLike[str] | None = None,
    run: str | None = None,
    wait: int = 1,
    warmup: int = 1,
    active: int = 3,
    repeat: int = 1,
    record_shapes: bool = False,
    profile_memory: bool = False,
    with_stack: bool = False,
    activities: list[Any] | None = None,
    worker_name: str | None = None,
    use_gzip: bool = True,
    **kwargs: Any,
) -> Iterator[Any]:
    """Profile the enclosed steps with ``torch.profiler`` into the writer's run directory.

    Give a ``SummaryWriter`` (traces go to its ``log_dir``) or ``logdir=`` and
    optionally ``run=`` (traces go to ``logdir/run``). Yields the running
    ``torch.profiler.profile``: call ``.step()`` once per training step.
    Other keywords (``with_flops``, ``experimental_config``...) go to
    ``torch.profiler.profile`` as they are.
    """
    directory = _run_directory(writer, logdir, run)
    for name, value in (("wait", wait), ("warmup", warmup), ("active", active)):
        if value < (1 if name == "active" else 0):
            raise ValueError(f"{name} must be at least {1 if name == 'active' else 0}, not {value}")
    import torch
    from torch.profiler import ProfilerActivity, schedule, tensorboard_trace_handler
    from torch.profiler import profile as torch_profile

    if activities is None:
        activities = [ProfilerActivity.CPU]
        if torch.cuda.is_available():
            activities.append(ProfilerActivity.CUDA)
    os.makedirs(directory, exist_ok=True)
    with torch_profile(
        activities=activities,
        schedule=schedule(wait=wait, warmup=warmup, active=active, repeat=repeat),
        on_trace_ready=tensorboard_trace_handler(
            directory, worker_name=worker_name, use_gzip=use_gzip
        ),
        record_shapes=record_shapes,
        profile_memory=profile_memory,
        with_stack=with_stack,
        **kwargs,
    ) as prof:
        yield prof
