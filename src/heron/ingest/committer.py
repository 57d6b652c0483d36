"""The commit thread: the one place batches become transactions.

Run tasks (on worker threads) put batches on a bounded queue, which holds
back a decoder that runs ahead of the store. The thread merges consecutive
queued batches into one transaction while they are small, which keeps the
transaction rate (and so SQLite's per-commit cost) low when many runs have a
little new data each. A batch that removes or resets a run is never merged
behind other batches, so a reset can never be applied before data it follows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from heron.storage.batch import CommitBatch
from heron.storage.protocol import Store

__all__ = ["Committer", "merge_batches"]

_STOP: Final = object()


@dataclass(frozen=True, slots=True)
class _Item:
    batch: CommitBatch
    runs: frozenset[str]


class Committer:
    """Commits batches in the order they were put, from one thread."""

    def __init__(
        self,
        store: Store,
        *,
        merge_points: int,
        on_commit: Callable[[frozenset[str], CommitBatch], None] | None = None,
        depth: int = 4,
    ) -> None:
        self._store = store
        self._merge_points = merge_points
        self._on_commit = on_commit
        self._queue: queue.Queue[_Item | object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="heron-commit", daemon=True)
        self._thread.start()

    @property
    def failed(self) -> bool:
        return self._error is not None

    def put(self, batch: CommitBatch, runs: frozenset[str] = frozenset()) -> None:
        """Queue ``batch`` (blocks while the queue is full); raises if committing has failed."""
        self._raise_if_failed()
        self._queue.put(_Item(batch, runs))

    def drain(self) -> None:
        """Wait until everything put so far is committed; raise the commit error, if any."""
        self._queue.join()
        self._raise_if_failed()

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise RuntimeError("committing to the index failed") from self._error

    def _loop(self) -> None:
        carry: _Item | object | None = None
        while True:
            item = carry if carry is not None else self._queue.get()
            carry = None
            if item is _STOP:
                self._queue.task_done()
                return
            assert isinstance(item, _Item)
            items = [item]
            points = item.batch.point_count
            while points < self._merge_points:
                try:
                    following = self._queue.get_nowait()
                except queue.Empty:
                    break
                if (
                    not isinstance(following, _Item)
                    or following.batch.reset_runs
                    or following.batch.removed_runs
                ):
                    carry = following
                    break
                items.append(following)
                points += following.batch.point_count
            self._commit(items)
            for _ in items:
                self._queue.task_done()

    def _commit(self, items: list[_Item]) -> None:
        if self._error is not None:
            return  # drop: the caller learns of the failure from put() or drain()
        batch = items[0].batch if len(items) == 1 else merge_batches([i.batch for i in items])
        try:
            self._store.commit(batch)
        except BaseException as error:
            self._error = error
            return
        runs = frozenset().union(*(i.runs for i in items))
        if self._on_commit is not None:
            self._on_commit(runs, batch)


def merge_batches(batches: list[CommitBatch]) -> CommitBatch:
    """One batch doing what ``batches`` do in order.

    Resets and removals are applied before any data, so no batch may reset or
    remove a run that an earlier one of ``batches`` writes to.
    """
    completed = [b.pass_completed_at for b in batches if b.pass_completed_at is not None]
    return CommitBatch(
        removed_runs=tuple(r for b in batches for r in b.removed_runs),
        reset_runs=tuple(r for b in batches for r in b.reset_runs),
        runs=tuple(r for b in batches for r in b.runs),
        series=tuple(s for b in batches for s in b.series),
        scalars=tuple(c for b in batches for c in b.scalars),
        tensors=tuple(t for b in batches for t in b.tensors),
        blob_sequences=tuple(s for b in batches for s in b.blob_sequences),
        run_info=tuple(i for b in batches for i in b.run_info),
        files=tuple(f for b in batches for f in b.files),
        asset_sets=tuple(a for b in batches for a in b.asset_sets),
        pass_completed_at=completed[-1] if completed else None,
    )
