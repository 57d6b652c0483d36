"""The ``ReadProvider`` of the SQLite index: each call reads one snapshot on a pooled connection."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Sequence
from typing import Final

from heron.core.downsample import MIN_POINTS, even_indices
from heron.core.run_table import RunTable
from heron.core.values import (
    Asset,
    BlobRef,
    BlobSequencePoint,
    DataClass,
    FileHealth,
    IngestHealth,
    Run,
    RunSummary,
    ScalarPoints,
    ScalarSummary,
    Series,
    SeriesKey,
    TensorPoint,
)
from heron.errors import InvalidArgumentError, NotFoundError
from heron.storage.batch import RecordCheck
from heron.storage.blob_keys import decode_blob_key, encode_blob_key
from heron.storage.protocol import RecordSource
from heron.storage.sqlite import asset_reader
from heron.storage.sqlite.connections import ReaderPool
from heron.storage.sqlite.listings import ListingCache, query_series
from heron.storage.sqlite.scalar_reader import READ_WHOLE_LIMIT, read_series, read_whole
from heron.storage.tensor_codec import decode_tensor

__all__ = ["SqliteReader"]

_NAN: Final = float("nan")


def _float(value: float | None) -> float:
    """SQLite stores NaN as NULL."""
    return _NAN if value is None else float(value)


class SqliteReader:
    """Implements ``heron.core.ReadProvider`` (read its docstring for the contract)."""

    def __init__(self, pool: ReaderPool, records: RecordSource | None) -> None:
        self._pool = pool
        self._records = records
        self._listings = ListingCache()

    def list_runs(self) -> Sequence[Run]:
        with self._pool.snapshot() as db:
            return self._listings.runs(db)

    def list_series(
        self,
        *,
        runs: Collection[str] | None = None,
        plugin_name: str | None = None,
        data_class: DataClass | None = None,
    ) -> Sequence[Series]:
        with self._pool.snapshot() as db:
            if runs is None:
                return self._listings.series(db, (plugin_name, data_class))
            # A few runs (the live feed, one dashboard card): an indexed query, not a cache.
            where = ["r.name IN (SELECT value FROM json_each(?))"]
            params: list[object] = [json.dumps(sorted(runs))]
            if plugin_name is not None:
                where.append("s.plugin_name = ?")
                params.append(plugin_name)
            if data_class is not None:
                where.append("s.data_class = ?")
                params.append(data_class.value)
            return query_series(db, where, params)

    def has_series(
        self, *, plugin_name: str | None = None, data_class: DataClass | None = None
    ) -> bool:
        with self._pool.snapshot() as db:
            kinds = self._listings.series_kinds(db)
        return any(
            (plugin_name is None or plugin == plugin_name)
            and (data_class is None or value == data_class.value)
            for plugin, value in kinds
        )

    def read_scalars(
        self,
        keys: Sequence[SeriesKey],
        *,
        max_points: int | None = None,
        step_range: tuple[int, int] | None = None,
        include_hidden: bool = False,
    ) -> dict[SeriesKey, ScalarPoints]:
        _check_max_points(max_points)
        if step_range is not None and step_range[0] > step_range[1]:
            raise InvalidArgumentError(f"empty step range {step_range}")
        with self._pool.snapshot() as db:
            ids = _series_ids(db, keys, DataClass.SCALAR)
            whole = {
                ids[key][0]
                for key in keys
                if not include_hidden
                and step_range is None
                and (max_points is None or ids[key][1] <= READ_WHOLE_LIMIT)
            }
            together = read_whole(db, sorted(whole), max_points) if whole else {}
            return {
                key: together[ids[key][0]]
                if ids[key][0] in together
                else read_series(
                    db,
                    *ids[key],
                    max_points=max_points,
                    step_range=step_range,
                    include_hidden=include_hidden,
                )
                for key in keys
            }

    def read_tensors(
        self, keys: Sequence[SeriesKey], *, max_points: int | None = None
    ) -> dict[SeriesKey, list[TensorPoint]]:
        _check_max_points(max_points)
        result: dict[SeriesKey, list[TensorPoint]] = {}
        with self._pool.snapshot() as db:
            ids = _series_ids(db, keys, DataClass.TENSOR)
            for key in keys:
                chosen = _visible_points(db, "tensor_points", ids[key][0], max_points)
                points = []
                for point_id, step, wall_time in chosen:
                    dtype, shape, data = db.execute(
                        "SELECT dtype, shape, data FROM tensor_points WHERE id = ?", (point_id,)
                    ).fetchone()
                    points.append(TensorPoint(step, wall_time, decode_tensor(dtype, shape, data)))
                result[key] = points
        return result

    def read_blob_sequences(
        self, keys: Sequence[SeriesKey], *, max_points: int | None = None
    ) -> dict[SeriesKey, list[BlobSequencePoint]]:
        _check_max_points(max_points)
        result: dict[SeriesKey, list[BlobSequencePoint]] = {}
        with self._pool.snapshot() as db:
            ids = _series_ids(db, keys, DataClass.BLOB_SEQUENCE)
            for key in keys:
                points = []
                for point_id, step, wall_time in _visible_points(
                    db, "blob_points", ids[key][0], max_points
                ):
                    blobs = tuple(
                        BlobRef(encode_blob_key(blob_id, check), size)
                        for blob_id, check, size in db.execute(
                            "SELECT id, check_value, size FROM blobs WHERE point_id = ? "
                            "ORDER BY position",
                            (point_id,),
                        )
                    )
                    points.append(BlobSequencePoint(step, wall_time, blobs))
                result[key] = points
        return result

    def read_blob(self, key: str) -> bytes:
        blob_id, check = decode_blob_key(key)
        with self._pool.snapshot() as db:
            row = db.execute(
                "SELECT b.check_value, b.data, f.path, b.record_offset, b.record_length, "
                "b.record_crc, b.start, b.stop, b.file_id "
                "FROM blobs b LEFT JOIN files f ON f.id = b.file_id WHERE b.id = ?",
                (blob_id,),
            ).fetchone()
        if row is None or row[0] != check:
            raise NotFoundError(f"no blob with key {key!r}")
        if row[1] is not None:
            return bytes(row[1])
        path = row[2]
        if path is None or self._records is None:
            raise NotFoundError(f"blob {key!r}: its event file is no longer indexed")
        payload = self._records.read_record(path, RecordCheck(row[3], row[4], row[5]))
        return payload[row[6] : row[7]]

    def list_assets(
        self, plugin_name: str, *, runs: Collection[str] | None = None
    ) -> Sequence[Asset]:
        with self._pool.snapshot() as db:
            return asset_reader.list_assets(db, plugin_name, runs)

    def read_asset(self, plugin_name: str, run: str, name: str) -> bytes:
        with self._pool.snapshot() as db:
            row = asset_reader.find_asset(db, plugin_name, run, name)
        return asset_reader.asset_bytes(row, run)

    def run_summaries(self, runs: Collection[str] | None = None) -> Sequence[RunSummary]:
        where, params = "", []
        if runs is not None:
            where = "WHERE r.name IN (SELECT value FROM json_each(?))"
            params = [json.dumps(sorted(runs))]
        with self._pool.snapshot() as db:
            run_rows = db.execute(
                "SELECT r.id, r.name, r.start_time, r.last_wall_time, r.last_step, r.hparams, "
                f"r.session_status FROM runs r {where} ORDER BY r.name",
                params,
            ).fetchall()
            scalars: dict[int, dict[str, ScalarSummary]] = {}
            for row in db.execute(
                "SELECT s.run_id, s.tag, s.count, s.first_step, s.last_step, s.first_value, "
                "s.last_value, s.min_value, s.max_value, s.last_wall_time "
                f"FROM series s JOIN runs r ON r.id = s.run_id {where} "
                f"{'AND' if where else 'WHERE'} s.data_class = 1 AND s.count > 0",
                params,
            ):
                scalars.setdefault(row[0], {})[row[1]] = ScalarSummary(
                    count=row[2],
                    first_step=row[3],
                    last_step=row[4],
                    first_value=_float(row[5]),
                    last_value=_float(row[6]),
                    min_value=_float(row[7]),
                    max_value=_float(row[8]),
                    last_wall_time=_float(row[9]),
                )
        return [
            RunSummary(
                run=name,
                start_time=start,
                last_wall_time=last_wall,
                last_step=last_step,
                hparams=json.loads(hparams) if hparams else {},
                session_status=status,
                scalars=dict(sorted(scalars.get(run_id, {}).items())),
            )
            for run_id, name, start, last_wall, last_step, hparams, status in run_rows
        ]

    def run_table(self) -> RunTable:
        with self._pool.snapshot() as db:
            return self._listings.run_table(db)

    def health(self) -> IngestHealth:
        with self._pool.snapshot() as db:
            files = tuple(
                FileHealth(*row)
                for row in db.execute(
                    "SELECT r.name, f.path, f.size, f.offset, f.records, f.corrupt_records, "
                    "f.error FROM files f JOIN runs r ON r.id = f.run_id ORDER BY r.name, f.path"
                )
            ) + tuple(asset_reader.asset_problems(db))
            row = db.execute("SELECT value FROM meta WHERE key = 'last_pass'").fetchone()
        since = max(time.time() - float(row[0]), 0.0) if row else None
        return IngestHealth(files=files, seconds_since_last_pass=since)


def _check_max_points(max_points: int | None) -> None:
    if max_points is not None and max_points < MIN_POINTS:
        raise InvalidArgumentError(f"max_points must be at least {MIN_POINTS}, got {max_points}")


def _series_ids(
    db: sqlite3.Connection, keys: Sequence[SeriesKey], data_class: DataClass
) -> dict[SeriesKey, tuple[int, int]]:
    """``(series id, visible points)`` of ``keys``; ``NotFoundError`` for a key naming no series."""
    wanted = json.dumps([[key.run, key.tag] for key in keys])
    found = {
        SeriesKey(run, tag): (series_id, count)
        for series_id, count, run, tag in db.execute(
            "SELECT s.id, s.count, r.name, s.tag FROM json_each(?) AS k "
            "JOIN runs r ON r.name = json_extract(k.value, '$[0]') "
            "JOIN series s ON s.run_id = r.id AND s.tag = json_extract(k.value, '$[1]') "
            "WHERE s.data_class = ?",
            (wanted, data_class.value),
        )
    }
    for key in keys:
        if key not in found:
            kind = data_class.name.lower().replace("_", " ")
            raise NotFoundError(f"no {kind} series {key.tag!r} in run {key.run!r}")
    return found


def _visible_points(
    db: sqlite3.Connection, table: str, series_id: int, max_points: int | None
) -> list[tuple[int, int, float]]:
    rows = db.execute(
        f"SELECT id, step, wall_time FROM {table} WHERE series_id = ? AND hidden = 0 ORDER BY step",
        (series_id,),
    ).fetchall()
    if max_points is None:
        return rows
    return [rows[i] for i in even_indices(len(rows), max_points)]
