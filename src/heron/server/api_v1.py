"""Heron's own API under ``/api/v1``: paged runs, batched scalar columns, ingest health.

Unlike the ``/data`` routes (TensorBoard's shapes, kept for compatibility),
these answer in columns (``steps``, ``wall_times``, ``values``), which are
smaller to send and faster for a chart library to consume.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from heron.core.downsample import bucket_stats
from heron.core.provider import ReadProvider
from heron.core.run_query import compile_filter, compile_sort, sort_table
from heron.core.run_status import run_status
from heron.core.run_table import RunTable
from heron.core.values import RunSummary, ScalarPoints, SeriesKey
from heron.errors import InvalidArgumentError
from heron.server.binary_columns import MEDIA_TYPE as BINARY_MEDIA_TYPE
from heron.server.binary_columns import encode_columns, gzip_fast
from heron.server.encoding import float_list
from heron.server.live import LiveFeed, format_event
from heron.server.responses import (
    MAX_INT,
    NO_CACHE,
    json_response,
    optional_bool,
    optional_int,
)

__all__ = [
    "api_routes",
    "compile_regex",
    "health",
    "matching_rows",
    "page_runs",
    "scalar_binary",
    "scalar_columns",
]

DEFAULT_PAGE = 100
MAX_PAGE = 10_000
#: More buckets than any screen has pixels is a mistake, not a chart.
MAX_BUCKETS = 100_000
#: ``format`` of /api/v1/scalars: JSON columns (the default) or binary float64 columns.
SCALAR_FORMATS = ("json", "binary")
#: Smaller binary answers go out uncompressed (as the app's gzip middleware does).
GZIP_MINIMUM = 500


def health(provider: ReadProvider) -> dict[str, Any]:
    """Ingest progress and problems: totals, then one entry per event file."""
    state = provider.health()
    return {
        "seconds_since_last_pass": state.seconds_since_last_pass,
        "corrupt_records": state.corrupt_records,
        "backlog_bytes": state.backlog_bytes,
        "files": [asdict(file) for file in state.files],
    }


def page_runs(
    provider: ReadProvider,
    *,
    offset: int = 0,
    limit: int = DEFAULT_PAGE,
    regex: str | None = None,
    where: str | None = None,
    sort: str | None = None,
    summary: bool = False,
    metrics: Sequence[str] = (),
) -> dict[str, Any]:
    """One page of runs, filtered by ``regex`` (on the name) and ``where`` (see run_query).

    Sorted by name unless ``sort`` says otherwise. Only a ``where``, a
    ``sort``, a ``summary`` or ``metrics`` read the run summaries; a plain
    listing reads run names only. Summaries are filtered and sorted as columns
    of the provider's ``run_table()``, and only the page becomes JSON.
    """
    if limit < 1 or limit > MAX_PAGE:
        raise InvalidArgumentError(f"limit must be between 1 and {MAX_PAGE}, not {limit}")
    pattern = compile_regex(regex) if regex else None
    if not (where or sort or summary or metrics):
        runs = [run for run in provider.list_runs() if pattern is None or pattern.search(run.name)]
        runs.sort(key=lambda run: run.name)
        return {
            "total": len(runs),
            "offset": offset,
            "limit": limit,
            "runs": [
                {"name": run.name, "start_time": run.start_time}
                for run in runs[offset : offset + limit]
            ],
        }
    predicate = compile_filter(where or "")
    keys = compile_sort(sort) if sort else []
    table = provider.run_table()
    ordered = sort_table(table, matching_rows(table, predicate.mask(table), pattern), keys)
    return {
        "total": len(ordered),
        "offset": offset,
        "limit": limit,
        "runs": [
            _run_entry(run, summary=summary, metrics=metrics)
            for run in table.summaries(ordered[offset : offset + limit])
        ],
    }


def matching_rows(table: RunTable, mask: Any, pattern: re.Pattern[str] | None) -> Any:
    """Rows (ascending) set in ``mask`` whose run name ``pattern`` finds."""
    import numpy as np

    rows = np.flatnonzero(mask)
    if pattern is None:
        return rows
    names = table.names
    return rows[
        np.fromiter((pattern.search(names[row]) is not None for row in rows), bool, len(rows))
    ]


def compile_regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as error:
        raise InvalidArgumentError(f"invalid regex {text!r}: {error}") from None


def _run_entry(run: RunSummary, *, summary: bool, metrics: Sequence[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": run.run, "start_time": run.start_time}
    if summary:
        entry.update(
            last_wall_time=run.last_wall_time,
            last_step=run.last_step,
            status=run_status(run, now=time.time()),
            session_status=run.session_status,
            hparams=run.hparams,
        )
    if metrics:
        entry["metrics"] = {
            tag: {
                "count": found.count,
                "first_step": found.first_step,
                "last_step": found.last_step,
                "first": found.first_value,
                "last": found.last_value,
                "min": found.min_value,
                "max": found.max_value,
            }
            for tag in metrics
            if (found := run.scalars.get(tag)) is not None
        }
    return entry


def scalar_columns(
    provider: ReadProvider,
    keys: Sequence[SeriesKey],
    *,
    max_points: int | None = None,
    buckets: int | None = None,
    step_range: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Each series as columns: every point, its min/max envelope, or per-bucket statistics.

    With ``max_points`` the columns hold the envelope's real points; with
    ``buckets`` each series instead carries ``buckets`` (step range, min, max,
    mean and count per bucket) and its ``last`` point, for a mean line drawn
    inside a min–max band.
    """
    if not keys:
        raise InvalidArgumentError("give at least one run and tag pair")
    if max_points is not None and buckets is not None:
        raise InvalidArgumentError("give max_points or buckets, not both")
    points = provider.read_scalars(keys, max_points=max_points, step_range=step_range)
    if buckets is None:
        return {
            "series": [
                {
                    "run": key.run,
                    "tag": key.tag,
                    "steps": points[key].steps.tolist(),
                    "wall_times": float_list(points[key].wall_times),
                    "values": float_list(points[key].values),
                }
                for key in keys
            ]
        }
    return {"series": [_bucketed(key, points[key], buckets) for key in keys]}


def scalar_binary(
    provider: ReadProvider,
    keys: Sequence[SeriesKey],
    *,
    max_points: int | None = None,
    step_range: tuple[int, int] | None = None,
) -> bytes:
    """``scalar_columns``' points in the binary form (``heron.server.binary_columns``).

    The same read and the same envelope as the JSON form: only the encoding differs.
    """
    if not keys:
        raise InvalidArgumentError("give at least one run and tag pair")
    points = provider.read_scalars(keys, max_points=max_points, step_range=step_range)
    return encode_columns([(key, points[key]) for key in keys])


def _scalar_format(request: Request) -> str:
    text = request.query_params.get("format", "json")
    if text not in SCALAR_FORMATS:
        raise InvalidArgumentError(
            f"format must be one of {', '.join(SCALAR_FORMATS)}, not {text!r}"
        )
    return text


def _binary_response(request: Request, body: bytes) -> Response:
    """Compressed here at gzip level 1 (the app's middleware passes encoded bodies through)."""
    headers = {**NO_CACHE, "Vary": "Accept-Encoding"}
    if len(body) >= GZIP_MINIMUM and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip_fast(body)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=BINARY_MEDIA_TYPE, headers=headers)


def _bucketed(key: SeriesKey, points: ScalarPoints, buckets: int) -> dict[str, Any]:
    stats = bucket_stats(points.steps, points.values, buckets)
    last = None
    if len(points.steps):
        last = {
            "step": int(points.steps[-1]),
            "wall_time": float_list(points.wall_times[-1:])[0],
            "value": float_list(points.values[-1:])[0],
        }
    return {
        "run": key.run,
        "tag": key.tag,
        "buckets": {
            "first_step": stats.first_steps.tolist(),
            "last_step": stats.last_steps.tolist(),
            "min": float_list(stats.mins),
            "max": float_list(stats.maxs),
            "mean": float_list(stats.means),
            "count": stats.counts.tolist(),
        },
        "last": last,
    }


def _keys(request: Request) -> list[SeriesKey]:
    runs = request.query_params.getlist("run")
    tags = request.query_params.getlist("tag")
    if len(runs) != len(tags):
        raise InvalidArgumentError(
            f"run and tag are paired: give as many of each (got {len(runs)} and {len(tags)})"
        )
    return [SeriesKey(run, tag) for run, tag in zip(runs, tags, strict=True)]


def api_routes(provider: ReadProvider, live: LiveFeed) -> list[BaseRoute]:
    def health_route(request: Request) -> Response:
        return json_response(health(provider))

    def runs_route(request: Request) -> Response:
        params = request.query_params
        return json_response(
            page_runs(
                provider,
                offset=optional_int(params, "offset") or 0,
                limit=optional_int(params, "limit", minimum=1) or DEFAULT_PAGE,
                regex=params.get("regex"),
                where=params.get("where"),
                sort=params.get("sort"),
                summary=optional_bool(params, "summary"),
                metrics=params.getlist("metric"),
            )
        )

    def scalars_route(request: Request) -> Response:
        max_points = optional_int(request.query_params, "max_points", minimum=2)
        buckets = optional_int(request.query_params, "buckets", minimum=1)
        if buckets is not None and buckets > MAX_BUCKETS:
            raise InvalidArgumentError(f"buckets must be at most {MAX_BUCKETS}, not {buckets}")
        first = optional_int(request.query_params, "start_step", minimum=-MAX_INT - 1)
        last = optional_int(request.query_params, "end_step", minimum=-MAX_INT - 1)
        step_range = None
        if first is not None or last is not None:
            step_range = (
                -MAX_INT - 1 if first is None else first,
                MAX_INT if last is None else last,
            )
            if step_range[0] > step_range[1]:
                raise InvalidArgumentError(f"start_step {first} is after end_step {last}")
        keys = _keys(request)
        if _scalar_format(request) == "binary":
            if buckets is not None:
                raise InvalidArgumentError(
                    "format=binary carries points: give max_points, not buckets"
                )
            body = scalar_binary(provider, keys, max_points=max_points, step_range=step_range)
            return _binary_response(request, body)
        result = scalar_columns(
            provider, keys, max_points=max_points, buckets=buckets, step_range=step_range
        )
        return json_response(result, safe=True)

    async def events_route(request: Request) -> Response:
        async def stream() -> AsyncIterator[bytes]:
            yield b"retry: 2000\n\n"
            async for message in live.subscribe():
                yield b": ping\n\n" if message.event == "ping" else format_event(message)

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    return [
        Route("/api/v1/events", events_route),
        Route("/api/v1/health", health_route),
        Route("/api/v1/runs", runs_route),
        Route("/api/v1/scalars", scalars_route),
    ]
