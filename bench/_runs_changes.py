"""runs_scale.py's rows for what a dashboard pays at 100,000 runs besides the runs table.

* ``/data/plugin/scalars/tags`` (300,000 scalar series) and the hparams plugin's
  ``/experiment`` and ``/session_groups`` (a filtered + sorted page, TensorBoard's request
  shape), each warm: ``--repeat`` calls after one.
* After a commit: one run gets a new event file, an ingest pass commits it, and the first
  ``/api/v1/runs`` page, hparams ``/experiment``, ``session_groups``, ``scalars/tags`` and a
  filtered + sorted ``/api/v1/runs`` page after it are timed, in that order (the caches
  behind them are per state of the index and follow a commit incrementally). Repeated
  ``--repeat`` times; the ingest pass itself (a ``stat`` of every run's files) is not timed.
* The process's peak RSS once everything was asked for.

Kept apart from runs_scale.py so that each file stays small; it takes the script's helpers.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Get = Callable[[str, list[tuple[str, str]]], None]
Post = Callable[[str, dict[str, Any]], None]

ALL_STATUSES = ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]
#: A page of sessions with lr <= 0.005, sorted by val/acc descending (40 % of the sessions).
SESSION_PAGE = {
    "allowedStatuses": ALL_STATUSES,
    "colParams": [
        {"hparam": "lr", "filterInterval": {"minValue": 0, "maxValue": 0.005}},
        {"metric": {"tag": "val/acc"}, "order": "ORDER_DESC"},
    ],
    "startIndex": 0,
    "sliceSize": 100,
}
FIRST_PAGE = [("summary", "true"), ("limit", "200")]
#: runs_scale.py's "filtered + sorted" query: reads hparam and metric columns of the new table.
FILTERED_PAGE = [
    *FIRST_PAGE,
    ("where", 'lr < 0.01 and opt == "adam" and max(val/acc) > 0.5'),
    ("sort", "-max(val/acc)"),
    ("metric", "val/acc"),
    ("metric", "loss"),
]


def rows(get: Get, post: Post) -> list[tuple[str, Callable[[], None]]]:
    """(label, call) of the warm rows."""
    return [
        ("scalars/tags (300k)", lambda: get("/data/plugin/scalars/tags", [])),
        ("hparams experiment", lambda: post("/data/plugin/hparams/experiment", {})),
        ("session_groups page", lambda: post("/data/plugin/hparams/session_groups", SESSION_PAGE)),
    ]


def after_commits(
    experiment: Any, root: Path, get: Get, post: Post, repeat: int
) -> dict[str, list[float]]:
    """ms of the first calls after each of ``repeat`` commits that change one run."""
    from heron import SummaryWriter

    calls = {
        "runs page": lambda: get("/api/v1/runs", FIRST_PAGE),
        "hparams experiment": lambda: post("/data/plugin/hparams/experiment", {}),
        "session_groups": lambda: post("/data/plugin/hparams/session_groups", SESSION_PAGE),
        "scalars/tags": lambda: get("/data/plugin/scalars/tags", []),
        # Last, so that the rows above keep their meaning: the columns a filter and a sort
        # read are patched, not rebuilt, so this costs what it costs before a commit.
        "runs filtered + sorted": lambda: get("/api/v1/runs", FILTERED_PAGE),
    }
    found: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(repeat):
        step = int(time.time() * 1000)  # later than any step written before: nothing is hidden
        with SummaryWriter(root / "sweep" / "run-000007", flush_secs=3600) as writer:
            writer.add_scalar("loss", 0.5, step)
        experiment.refresh()
        for label, call in calls.items():
            started = time.perf_counter()
            call()
            found[label].append((time.perf_counter() - started) * 1000)
    return found


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
