"""Applying one ``CommitBatch`` to the SQLite index, inside one transaction."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Final

import numpy as np

from heron.core.values import DataClass
from heron.storage.batch import (
    AssetRow,
    AssetSet,
    BlobSequenceRow,
    CommitBatch,
    FileSlice,
    RecordCheck,
    RunInfo,
    TensorRow,
)
from heron.storage.protocol import FileState, SeriesState, StoreState
from heron.storage.scalar_chunks import hidden_by_later
from heron.storage.sqlite.change_log import log_run_changes, run_names
from heron.storage.sqlite.connections import transaction
from heron.storage.sqlite.listings import GENERATION_KEY
from heron.storage.sqlite.scalar_writer import append_scalars
from heron.storage.tensor_codec import encode_tensor

__all__ = ["apply_batch", "load_series", "load_state"]

_UNKNOWN_CLASS: Final = 0


def apply_batch(connection: sqlite3.Connection, batch: CommitBatch) -> None:
    """Apply ``batch`` atomically: all of it is committed, or (on any error) none of it."""
    with transaction(connection):
        # Their names, while their rows exist: the change log tells readers which rows to drop.
        removed = run_names(connection, batch.removed_runs)
        for run_id in batch.removed_runs:
            _delete_run(connection, run_id, keep_run=False)
        for run_id in batch.reset_runs:
            _delete_run(connection, run_id, keep_run=True)
        connection.executemany(
            "INSERT INTO runs (id, name) VALUES (?, ?)", ((r.run_id, r.name) for r in batch.runs)
        )
        connection.executemany(
            "INSERT INTO series (id, run_id, tag, plugin_name, data_class, plugin_content, "
            "display_name, description, ingest_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    s.series_id,
                    s.run_id,
                    s.tag,
                    s.plugin_name,
                    s.data_class.value if s.data_class is not None else _UNKNOWN_CLASS,
                    s.plugin_content,
                    s.display_name,
                    s.description,
                    s.ingest_state,
                )
                for s in batch.series
            ),
        )
        touched = append_scalars(
            connection, batch.scalars, new_series={s.series_id for s in batch.series}
        )
        touched |= _insert_tensors(connection, batch.tensors)
        touched |= _insert_blob_sequences(connection, batch.blob_sequences)
        _merge_run_info(connection, batch.run_info)
        _refresh_run_steps(connection, touched)
        connection.executemany(
            "INSERT OR REPLACE INTO files (id, run_id, path, size, offset, records, "
            "corrupt_records, device, inode, error, last_record_offset, last_record_length, "
            "last_record_crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    f.file_id,
                    f.run_id,
                    f.path,
                    f.size,
                    f.offset,
                    f.records,
                    f.corrupt_records,
                    f.device,
                    f.inode,
                    f.error,
                    *(
                        (f.last_record.offset, f.last_record.length, f.last_record.crc)
                        if f.last_record
                        else (None, None, None)
                    ),
                )
                for f in batch.files
            ),
        )
        _replace_assets(connection, batch.asset_sets)
        if _changes_listings(batch):
            connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, '1') "
                "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                (GENERATION_KEY,),
            )
            log_run_changes(connection, batch, touched, removed)
        if batch.pass_completed_at is not None:
            connection.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_pass', ?)",
                (repr(batch.pass_completed_at),),
            )


def _changes_listings(batch: CommitBatch) -> bool:
    """Whether ``batch`` changes what ``list_runs`` / ``list_series`` return (see ``listings``).

    File progress, assets and the end-of-pass mark do not, so a pass that finds
    nothing new keeps the readers' cached listings.
    """
    return bool(
        batch.removed_runs
        or batch.reset_runs
        or batch.runs
        or batch.series
        or batch.scalars
        or batch.tensors
        or batch.blob_sequences
        or batch.run_info
    )


def load_state(connection: sqlite3.Connection) -> StoreState:
    runs = dict(connection.execute("SELECT name, id FROM runs"))
    files: dict[int, dict[str, FileState]] = defaultdict(dict)
    for row in connection.execute(
        "SELECT id, run_id, path, size, offset, records, corrupt_records, device, inode, error, "
        "last_record_offset, last_record_length, last_record_crc FROM files"
    ):
        check = RecordCheck(row[10], row[11], row[12]) if row[10] is not None else None
        files[row[1]][row[2]] = FileState(
            file_id=row[0],
            run_id=row[1],
            path=row[2],
            size=row[3],
            offset=row[4],
            records=row[5],
            corrupt_records=row[6],
            device=row[7],
            inode=row[8],
            error=row[9],
            last_record=check,
        )
    assets: dict[tuple[str, str], list[AssetRow]] = defaultdict(list)
    for row in connection.execute(
        f"SELECT plugin_name, run, {_ASSET_COLUMNS} FROM assets ORDER BY plugin_name, run, name"
    ):
        assets[(row[0], row[1])].append(_asset_row(row[2:]))
    (max_run,) = connection.execute("SELECT coalesce(max(id), 0) FROM runs").fetchone()
    (max_series,) = connection.execute("SELECT coalesce(max(id), 0) FROM series").fetchone()
    (max_file,) = connection.execute("SELECT coalesce(max(id), 0) FROM files").fetchone()
    return StoreState(
        runs=runs,
        files=dict(files),
        assets={key: tuple(rows) for key, rows in assets.items()},
        next_run_id=max_run + 1,
        next_series_id=max_series + 1,
        next_file_id=max_file + 1,
    )


def load_series(
    connection: sqlite3.Connection, run_ids: Collection[int]
) -> dict[int, dict[str, SeriesState]]:
    """The series of ``run_ids`` by tag (one query, through the ``(run_id, tag)`` index)."""
    series: dict[int, dict[str, SeriesState]] = defaultdict(dict)
    if not run_ids:
        return {}
    for series_id, run_id, tag, data_class, ingest_state in connection.execute(
        "SELECT id, run_id, tag, data_class, ingest_state FROM series "
        "WHERE run_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(run_ids)),),
    ):
        series[run_id][tag] = SeriesState(
            series_id,
            tag,
            _DATA_CLASSES.get(data_class),
            bytes(ingest_state),
        )
    return dict(series)


_DATA_CLASSES: Final = {member.value: member for member in DataClass}
_ASSET_COLUMNS: Final = "name, media_type, path, size, mtime_ns, device, inode, data, error"


def _asset_row(row: Sequence[Any]) -> AssetRow:
    """An ``AssetRow`` from the ``_ASSET_COLUMNS`` of a row."""
    name, media_type, path, size, mtime_ns, device, inode, data, error = row
    return AssetRow(
        name=name,
        media_type=media_type,
        path=path,
        size=size,
        mtime_ns=mtime_ns,
        device=device,
        inode=inode,
        data=bytes(data) if data is not None else None,
        error=error,
    )


def _replace_assets(connection: sqlite3.Connection, sets: Sequence[AssetSet]) -> None:
    """Each set replaces every stored asset of its (plugin, run), so a set is never half-applied."""
    for asset_set in sets:
        connection.execute(
            "DELETE FROM assets WHERE plugin_name = ? AND run = ?",
            (asset_set.plugin_name, asset_set.run),
        )
        connection.executemany(
            f"INSERT INTO assets (plugin_name, run, {_ASSET_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    asset_set.plugin_name,
                    asset_set.run,
                    a.name,
                    a.media_type,
                    a.path,
                    a.size,
                    a.mtime_ns,
                    a.device,
                    a.inode,
                    a.data,
                    a.error,
                )
                for a in asset_set.assets
            ),
        )


def _delete_run(connection: sqlite3.Connection, run_id: int, *, keep_run: bool) -> None:
    of_run = "(SELECT id FROM series WHERE run_id = ?)"
    connection.execute(
        f"DELETE FROM blobs WHERE point_id IN "
        f"(SELECT id FROM blob_points WHERE series_id IN {of_run})",
        (run_id,),
    )
    for table in ("blob_points", "tensor_points", "scalar_chunks", "hidden_scalars"):
        connection.execute(f"DELETE FROM {table} WHERE series_id IN {of_run}", (run_id,))
    connection.execute("DELETE FROM series WHERE run_id = ?", (run_id,))
    connection.execute("DELETE FROM files WHERE run_id = ?", (run_id,))
    if keep_run:
        connection.execute(
            "UPDATE runs SET start_time = NULL, last_wall_time = NULL, last_step = NULL, "
            "hparams = NULL, session_status = NULL WHERE id = ?",
            (run_id,),
        )
    else:
        connection.execute("DELETE FROM runs WHERE id = ?", (run_id,))


def _hide(
    connection: sqlite3.Connection, table: str, series_id: int, steps: list[int]
) -> list[bool]:
    """Apply the restart rule to stored rows of ``table``; return which new rows are hidden."""
    connection.execute(
        f"UPDATE {table} SET hidden = 1 WHERE series_id = ? AND hidden = 0 AND step >= ?",
        (series_id, min(steps)),
    )
    return [bool(h) for h in hidden_by_later(np.asarray(steps, dtype=np.int64))]


def _grouped(rows: Iterable[TensorRow | BlobSequenceRow]) -> dict[int, list[int]]:
    positions: dict[int, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        positions[row.series_id].append(position)
    return positions


def _insert_tensors(connection: sqlite3.Connection, rows: Sequence[TensorRow]) -> set[int]:
    for series_id, positions in _grouped(rows).items():
        group = [rows[p] for p in positions]
        hidden = _hide(connection, "tensor_points", series_id, [r.step for r in group])
        connection.executemany(
            "INSERT INTO tensor_points (series_id, step, wall_time, hidden, dtype, shape, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (series_id, r.step, r.wall_time, h, *encode_tensor(r.value))
                for r, h in zip(group, hidden, strict=True)
            ),
        )
        _refresh_point_summary(connection, "tensor_points", series_id)
    return {r.series_id for r in rows}


def _insert_blob_sequences(
    connection: sqlite3.Connection, rows: Sequence[BlobSequenceRow]
) -> set[int]:
    for series_id, positions in _grouped(rows).items():
        group = [rows[p] for p in positions]
        hidden = _hide(connection, "blob_points", series_id, [r.step for r in group])
        for row, is_hidden in zip(group, hidden, strict=True):
            cursor = connection.execute(
                "INSERT INTO blob_points (series_id, step, wall_time, hidden, length) "
                "VALUES (?, ?, ?, ?, ?)",
                (series_id, row.step, row.wall_time, is_hidden, len(row.blobs)),
            )
            point_id = cursor.lastrowid
            connection.executemany(
                "INSERT INTO blobs (point_id, position, check_value, size, data, file_id, "
                "record_offset, record_length, record_crc, start, stop) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (point_id, position, secrets.randbits(32), *_blob_columns(blob))
                    for position, blob in enumerate(row.blobs)
                ),
            )
        _refresh_point_summary(connection, "blob_points", series_id)
    return {r.series_id for r in rows}


def _blob_columns(blob: bytes | FileSlice) -> tuple[object, ...]:
    if isinstance(blob, FileSlice):
        return (
            blob.size,
            None,
            blob.file_id,
            blob.record_offset,
            blob.record_length,
            blob.record_crc,
            blob.start,
            blob.stop,
        )
    return (len(blob), blob, None, None, None, None, None, None)


def _refresh_point_summary(connection: sqlite3.Connection, table: str, series_id: int) -> None:
    length = "max(length)" if table == "blob_points" else "0"
    count, first_step, last_step, latest, max_length = connection.execute(
        f"SELECT count(*), min(step), max(step), max(wall_time), coalesce({length}, 0) "
        f"FROM {table} WHERE series_id = ? AND hidden = 0",
        (series_id,),
    ).fetchone()
    last_wall = connection.execute(
        f"SELECT wall_time FROM {table} WHERE series_id = ? AND hidden = 0 "
        "ORDER BY step DESC LIMIT 1",
        (series_id,),
    ).fetchone()
    connection.execute(
        "UPDATE series SET count = ?, first_step = ?, last_step = ?, max_wall_time = ?, "
        "max_length = ?, last_wall_time = ? WHERE id = ?",
        (
            count,
            first_step,
            last_step,
            latest,
            max_length,
            last_wall[0] if last_wall else None,
            series_id,
        ),
    )


def _merge_run_info(connection: sqlite3.Connection, infos: Sequence[RunInfo]) -> None:
    # One statement for all runs: a pass over many small runs brings one RunInfo each.
    connection.executemany(
        "UPDATE runs SET "
        "start_time = CASE WHEN ?1 IS NULL THEN start_time "
        "  ELSE min(coalesce(start_time, ?1), ?1) END, "
        "last_wall_time = CASE WHEN ?2 IS NULL THEN last_wall_time "
        "  ELSE max(coalesce(last_wall_time, ?2), ?2) END, "
        "hparams = coalesce(?3, hparams), "
        "session_status = coalesce(?4, session_status) "
        "WHERE id = ?5",
        [
            (
                info.first_wall_time,
                info.last_wall_time,
                json.dumps(info.hparams, sort_keys=True) if info.hparams is not None else None,
                info.session_status,
                info.run_id,
            )
            for info in infos
        ],
    )


def _refresh_run_steps(connection: sqlite3.Connection, series_ids: set[int]) -> None:
    """Recompute ``runs.last_step`` of the runs owning ``series_ids``, in one statement.

    A merged commit of many small runs touches thousands of series; a query
    per series used to dominate its cost.
    """
    if not series_ids:
        return
    connection.execute(
        "UPDATE runs SET last_step = (SELECT max(last_step) FROM series WHERE run_id = runs.id) "
        "WHERE id IN (SELECT DISTINCT run_id FROM series "
        "  WHERE id IN (SELECT value FROM json_each(?)))",
        (json.dumps(sorted(series_ids)),),
    )
