"""A refreshed table that keeps every row number: the old columns with a few values overwritten.

While runs train, each ingest commit touches a handful of runs that already
exist and keep their tags. Their rows keep their numbers, and so does every
entry of the metric columns, so the refreshed table needs no merge: a column
none of whose changed values differ is shared with the old table (most of
them: hparams and statuses rarely change, and a commit usually adds points to
one tag of a run), and a column that differs is copied with the new values
written over the old ones. At 100,000 runs and 300,000 series that is one
tag's arrays copied (a few MB) instead of every column (~40 MB, 20-100 ms
with the page faults of fresh memory).

Shared arrays are read-only, so the old table and the new one can live side by
side (requests still reading the old one are never disturbed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heron.core.run_table import METRIC_FIELDS, MetricColumn, RowIndex, RunTable, TextColumn
from heron.core.run_table_rows import RowMap, merge_hparams, merge_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]

__all__ = ["patch_rows"]


def patch_rows(old: RunTable, rows: RowMap, fresh: RunTable) -> RunTable | None:
    """``old`` with the rows of ``fresh`` written over its changed rows, or ``None``.

    ``None`` unless every changed run stays, no run comes (``RowMap.same_rows``)
    and each changed run has the same tags as before.
    """
    if not rows.same_rows(old, fresh):
        return None
    entries = _entries_of_same_tags(old._index, rows.dropped, fresh._index)
    if entries is None:
        return None
    changed = rows.dropped
    texts = [old._hparams_json[row] for row in changed.tolist()]
    if texts == list(fresh._hparams_json):
        hparams, hparams_json = old.hparams, old._hparams_json
    else:
        hparams = merge_hparams(old, rows, fresh)
        patched_json = list(old._hparams_json)
        for row, text in zip(changed.tolist(), fresh._hparams_json, strict=True):
            patched_json[row] = text
        hparams_json = patched_json
    return RunTable(
        names=old.names,
        start_time=_patched(old.start_time, changed, fresh.start_time),
        last_wall_time=_patched(old.last_wall_time, changed, fresh.last_wall_time),
        last_step=_patched(old.last_step, changed, fresh.last_step),
        has_last_step=_patched(old.has_last_step, changed, fresh.has_last_step),
        session_status=_status(old.session_status, rows, fresh.session_status),
        hparams=hparams,
        metrics=_metrics(old, fresh, entries),
        _hparams_json=hparams_json,
        _index=old._index,
    )


def _entries_of_same_tags(
    old: RowIndex, dropped: Ints, fresh: RowIndex
) -> tuple[Ints, Ints] | None:
    """The entries of the changed rows in ``old`` and in ``fresh``, aligned, if tags are equal."""
    import numpy as np

    old_lengths = old.starts[dropped + 1] - old.starts[dropped]
    if not np.array_equal(old_lengths, np.diff(fresh.starts)):
        return None
    code_of = {tag: code for code, tag in enumerate(old.tag_names)}
    as_old = np.asarray([code_of.get(tag, -1) for tag in fresh.tag_names], dtype=np.int64)
    mine = old.entries(dropped)
    if not np.array_equal(old.tags[mine], as_old[fresh.tags]):
        return None
    # Every entry of ``fresh``, row by row: the order ``mine`` lists the old ones in.
    return mine, np.arange(len(fresh.tags), dtype=np.int64)


def _metrics(old: RunTable, fresh: RunTable, entries: tuple[Ints, Ints]) -> dict[str, MetricColumn]:
    """Each tag's column: shared when the changed entries hold the same values, else patched."""
    import numpy as np

    mine, theirs = entries
    index, fresh_index = old._index, fresh._index
    codes = index.tags[mine]
    metrics = dict(old.metrics)
    for code in np.unique(codes).tolist():
        pick = np.flatnonzero(codes == code)
        tag = index.tag_names[code]
        column, update = old.metrics[tag], fresh.metrics[tag]
        at = index.at[mine[pick]]
        fresh_at = fresh_index.at[theirs[pick]]
        fields = [
            _patched(getattr(column, name), at, getattr(update, name)[fresh_at])
            for name in METRIC_FIELDS
        ]
        if any(
            new is not getattr(column, name)
            for new, name in zip(fields, METRIC_FIELDS, strict=True)
        ):
            metrics[tag] = MetricColumn(column.rows, *fields)
    return metrics


def _patched(old: npt.NDArray[Any], at: Ints, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``old`` itself if it holds ``values`` at ``at`` bit for bit, else a copy holding them."""
    import numpy as np

    values = np.ascontiguousarray(values, dtype=old.dtype)
    if np.ascontiguousarray(old[at]).tobytes() == values.tobytes():
        return old
    patched = old.copy()
    patched[at] = values
    patched.setflags(write=False)
    return patched


def _status(old: TextColumn, rows: RowMap, fresh: TextColumn) -> TextColumn:
    """The session statuses: shared unless a changed run's status changed."""
    import numpy as np

    at = np.searchsorted(old.rows, rows.dropped)
    held = np.zeros(len(rows.dropped), dtype=np.bool_)
    inside = at < len(old.rows)
    held[inside] = old.rows[at[inside]] == rows.dropped[inside]
    before = [
        old.values[int(old.codes[a])] if h else None
        for a, h in zip(at.tolist(), held.tolist(), strict=True)
    ]
    after: list[str | None] = [None] * len(rows.dropped)
    for row, code in zip(fresh.rows.tolist(), fresh.codes.tolist(), strict=True):
        after[row] = fresh.values[code]
    return old if before == after else merge_text(rows, old, fresh)
