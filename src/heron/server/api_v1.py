"""Heron's own API under ``/api/v1``: paged runs, batched scalar columns, ingest health.

Unlike the ``/data`` routes (TensorBoard's shapes, kept for compatibility),
these answer in columns (``steps``, ``wall_times``, ``values``), which are
smaller to send and faster for a chart library to consume.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import SeriesKey
from heron.errors import InvalidArgumentError
from heron.server.encoding import float_list
from heron.server.responses import json_response, optional_int

__all__ = ["api_routes", "health", "page_runs", "scalar_columns"]

DEFAULT_PAGE = 100
MAX_PAGE = 10_000


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
    provider: ReadProvider, *, offset: int = 0, limit: int = DEFAULT_PAGE, regex: str | None = None
) -> dict[str, Any]:
    """Runs sorted by name, filtered by ``re.search(regex, name)``, one page of them."""
    if limit < 1 or limit > MAX_PAGE:
        raise InvalidArgumentError(f"limit must be between 1 and {MAX_PAGE}, not {limit}")
    runs = list(provider.list_runs())
    if regex:
        try:
            pattern = re.compile(regex)
        except re.error as error:
            raise InvalidArgumentError(f"invalid regex {regex!r}: {error}") from None
        runs = [run for run in runs if pattern.search(run.name)]
    runs.sort(key=lambda run: run.name)
    page = runs[offset : offset + limit]
    return {
        "total": len(runs),
        "offset": offset,
        "limit": limit,
        "runs": [{"name": run.name, "start_time": run.start_time} for run in page],
    }


def scalar_columns(
    provider: ReadProvider, keys: Sequence[SeriesKey], *, max_points: int | None = None
) -> dict[str, Any]:
    """Each series as columns, downsampled to the min/max envelope when ``max_points`` is given."""
    if not keys:
        raise InvalidArgumentError("give at least one run and tag pair")
    points = provider.read_scalars(keys, max_points=max_points)
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


def _keys(request: Request) -> list[SeriesKey]:
    runs = request.query_params.getlist("run")
    tags = request.query_params.getlist("tag")
    if len(runs) != len(tags):
        raise InvalidArgumentError(
            f"run and tag are paired: give as many of each (got {len(runs)} and {len(tags)})"
        )
    return [SeriesKey(run, tag) for run, tag in zip(runs, tags, strict=True)]


def api_routes(provider: ReadProvider) -> list[BaseRoute]:
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
            )
        )

    def scalars_route(request: Request) -> Response:
        max_points = optional_int(request.query_params, "max_points", minimum=2)
        result = scalar_columns(provider, _keys(request), max_points=max_points)
        return json_response(result, safe=True)

    return [
        Route("/api/v1/health", health_route),
        Route("/api/v1/runs", runs_route),
        Route("/api/v1/scalars", scalars_route),
    ]
