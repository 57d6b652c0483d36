"""The run change log (``run_changes``): which runs each commit changed, for readers' caches.

A reader keeps its run table and series listings of one generation of the
index; after a commit it reads again only the runs stamped with a later
generation (``heron.storage.sqlite.listings``). The writer stamps them here, in
the commit's own transaction, right after bumping the generation counter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from heron.storage.batch import CommitBatch
from heron.storage.sqlite.listings import GENERATION_KEY

__all__ = ["log_run_changes", "run_names"]


def run_names(connection: sqlite3.Connection, run_ids: Sequence[int]) -> list[tuple[int, str]]:
    if not run_ids:
        return []
    return connection.execute(
        "SELECT id, name FROM runs WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(run_ids)),),
    ).fetchall()


def log_run_changes(
    connection: sqlite3.Connection,
    batch: CommitBatch,
    touched_series: set[int],
    removed: list[tuple[int, str]],
) -> None:
    """Stamp every run ``batch`` changed with the generation just written (``run_changes``).

    A reader holding the run table of generation *g* rebuilds only the rows of runs
    logged after *g*. Logging a run that did not change costs a row refresh; missing
    one would serve a stale row, so every part of a batch that reaches ``runs`` or a
    run's series summaries is counted.
    """
    run_ids = {
        *batch.reset_runs,
        *(run.run_id for run in batch.runs),
        *(series.run_id for series in batch.series),
        *(info.run_id for info in batch.run_info),
    }
    if touched_series:
        run_ids.update(
            run_id
            for (run_id,) in connection.execute(
                "SELECT DISTINCT run_id FROM series WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(touched_series)),),
            )
        )
    generation = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?)"
    upsert = (
        " ON CONFLICT (run_id) DO UPDATE SET name = excluded.name, generation = excluded.generation"
    )
    connection.executemany(
        f"INSERT INTO run_changes (run_id, name, generation) VALUES (?, ?, {generation}){upsert}",
        [(run_id, name, GENERATION_KEY) for run_id, name in removed],
    )
    if run_ids:
        connection.execute(
            f"INSERT INTO run_changes (run_id, name, generation) SELECT id, name, {generation} "
            f"FROM runs WHERE id IN (SELECT value FROM json_each(?)){upsert}",
            (GENERATION_KEY, json.dumps(sorted(run_ids))),
        )
