"""A run's status for the runs table: running, finished or failed.

Training scripts rarely say how they ended, so the status is inferred:

1. The hparams plugin's *session end info* decides when it is conclusive:
   ``STATUS_SUCCESS`` → ``finished``, ``STATUS_FAILURE`` → ``failed``.
2. Otherwise (no session info, or a session that says ``running`` or
   ``unknown`` — a job that crashed never writes its end) the run is
   ``running`` while it wrote an event in the last ``IDLE_SECONDS`` (by its
   events' wall time, the newest of its last and first event), else
   ``finished``. A run with no event time yet is ``running``: it was just
   discovered.

Inactivity cannot tell a crash from a normal end; only session info can.
"""

from __future__ import annotations

from typing import Final, Literal

from heron.core.values import RunSummary

__all__ = ["IDLE_SECONDS", "STATUSES", "RunStatus", "run_status"]

RunStatus = Literal["running", "finished", "failed"]
STATUSES: Final[tuple[RunStatus, ...]] = ("running", "finished", "failed")
#: A run silent for this long is no longer running (the live tailer's "active run" window).
IDLE_SECONDS: Final = 300.0


def run_status(run: RunSummary, *, now: float, idle_seconds: float = IDLE_SECONDS) -> RunStatus:
    """The status of ``run`` at wall time ``now`` (seconds since the epoch)."""
    if run.session_status == "success":
        return "finished"
    if run.session_status == "failure":
        return "failed"
    latest = run.last_wall_time if run.last_wall_time is not None else run.start_time
    if latest is None:
        return "running"
    return "running" if now - latest <= idle_seconds else "finished"
