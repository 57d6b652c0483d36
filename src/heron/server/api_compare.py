"""Comparing runs: the runs table's columns, and groups of runs aggregated into bands.

``/api/v1/runs/columns`` lists what a runs table can show (every hparam with
its type, every scalar tag) from run summaries alone. ``/api/v1/scalars/groups``
groups runs (by hparams or a name regex, see ``core.run_groups``) and reduces
each group's curves onto a common step grid (see ``core.aggregate`` for the
interpolation rule): a sweep of 500 runs becomes a handful of mean lines with
bands, computed where the points are instead of shipping them all to a browser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.aggregate import BANDS, CENTERS, Band, Center, aggregate, interpolate_on_grid
from heron.core.aggregate import step_grid as make_grid
from heron.core.provider import ReadProvider
from heron.core.run_groups import RunGroup, compile_grouping, group_runs
from heron.core.run_query import compile_filter
from heron.core.values import RunSummary, SeriesKey
from heron.errors import InvalidArgumentError
from heron.server.encoding import float_list, json_safe
from heron.server.responses import json_response, optional_int

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT_GRID",
    "MAX_GRID",
    "MAX_GROUP_RUNS",
    "MAX_GROUP_TAGS",
    "compare_routes",
    "group_scalars",
    "run_columns",
]

DEFAULT_GRID: Final = 200
MAX_GRID: Final = 10_000
#: Aggregation reads every point of every member run: past this, narrow with ``where``.
MAX_GROUP_RUNS: Final = 10_000
MAX_GROUP_TAGS: Final = 20
#: Series and points read per ``read_scalars`` call: every point is read (interpolating an
#: envelope would bias the mean), so batches keep memory bounded on long runs and big sweeps.
_READ_SERIES: Final = 256
_READ_POINTS: Final = 2_000_000


def run_columns(provider: ReadProvider) -> dict[str, Any]:
    """Every hparam (with its type and how many runs have it) and every scalar tag.

    A type is ``number``, ``string`` or ``boolean``, or ``mixed`` when runs
    disagree (the run query compares only values of one kind).
    """
    table = provider.run_table()
    return {
        "hparams": [
            {"name": name, "type": column.type, "runs": column.runs}
            for name, column in sorted(table.hparams.items())
        ],
        "metrics": [
            {"tag": tag, "runs": len(column.rows)} for tag, column in sorted(table.metrics.items())
        ],
    }


def _choice(value: str | None, choices: Sequence[str], name: str, default: str) -> str:
    if value is None:
        return default
    if value not in choices:
        raise InvalidArgumentError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _members(
    provider: ReadProvider,
    *,
    where: str | None,
    regex: str | None,
    runs: Sequence[str],
    exclude: Sequence[str] = (),
) -> list[RunSummary]:
    import numpy as np

    predicate = compile_filter(where or "")
    try:
        pattern = re.compile(regex) if regex else None
    except re.error as error:
        raise InvalidArgumentError(f"invalid regex {regex!r}: {error}") from None
    wanted = set(runs)
    table = provider.run_table()
    mask = predicate.mask(table)
    names = table.names
    if wanted:
        mask &= np.fromiter((name in wanted for name in names), bool, len(names))
    if exclude:
        unwanted = set(exclude)
        mask &= np.fromiter((name not in unwanted for name in names), bool, len(names))
    rows = np.flatnonzero(mask)
    if pattern is not None:
        rows = rows[
            np.fromiter((pattern.search(names[row]) is not None for row in rows), bool, len(rows))
        ]
    return table.summaries(rows)


def group_scalars(
    provider: ReadProvider,
    tags: Sequence[str],
    *,
    group_by: Sequence[str] = (),
    name_regex: str | None = None,
    where: str | None = None,
    regex: str | None = None,
    runs: Sequence[str] = (),
    exclude: Sequence[str] = (),
    center: Center = "mean",
    band: Band = "minmax",
    points: int = DEFAULT_GRID,
) -> dict[str, Any]:
    """Runs grouped, then per group and tag the centre line and band on a shared step grid.

    Runs considered: those named in ``runs`` (all when empty), minus those in
    ``exclude``, that match ``regex`` and the run query ``where`` (``exclude``
    lets a UI whose selection is "all but these" say so without listing the
    rest). The grid of a tag spans the steps of every considered run that has
    it, so all groups share it; each group's series keeps only the grid steps
    at least one of its runs covers.
    """
    if not tags:
        raise InvalidArgumentError("give at least one tag")
    if len(tags) > MAX_GROUP_TAGS:
        raise InvalidArgumentError(f"at most {MAX_GROUP_TAGS} tags at once, not {len(tags)}")
    if points < 2 or points > MAX_GRID:
        raise InvalidArgumentError(f"points must be between 2 and {MAX_GRID}, not {points}")
    key, label = compile_grouping(hparams=group_by, name_regex=name_regex)
    members = _members(provider, where=where, regex=regex, runs=runs, exclude=exclude)
    groups, ungrouped = group_runs(members, key, label)
    grouped = sum(len(group.runs) for group in groups)
    if grouped > MAX_GROUP_RUNS:
        raise InvalidArgumentError(
            f"{grouped} runs match; at most {MAX_GROUP_RUNS} can be aggregated at once "
            "(narrow them with where or regex)"
        )
    summaries = {run.run: run for run in members}
    series = {
        tag: _tag_lines(provider, tag, groups, summaries, center, band, points) for tag in tags
    }
    return {
        "center": center,
        "band": band,
        "groups": [
            {
                "key": json_safe(list(group.key)),
                "label": group.label,
                "runs": list(group.runs),
                "series": [series[tag][index] for tag in tags],
            }
            for index, group in enumerate(groups)
        ],
        "ungrouped": len(ungrouped),
    }


def _tag_lines(
    provider: ReadProvider,
    tag: str,
    groups: Sequence[RunGroup],
    summaries: dict[str, RunSummary],
    center: Center,
    band: Band,
    points: int,
) -> list[dict[str, Any]]:
    import numpy as np

    having = [run for group in groups for run in group.runs if tag in summaries[run].scalars]
    empty = {"tag": tag, "steps": [], "center": [], "lower": [], "upper": [], "count": []}
    if not having:
        return [dict(empty) for _ in groups]
    first = min(summaries[run].scalars[tag].first_step for run in having)
    last = max(summaries[run].scalars[tag].last_step for run in having)
    grid = make_grid(first, max(first, last), points)
    rows: dict[str, npt.NDArray[np.float64]] = {}
    for batch in _batches(having, [summaries[run].scalars[tag].count for run in having]):
        keys = [SeriesKey(run, tag) for run in batch]
        for found, read in provider.read_scalars(keys).items():
            rows[found.run] = interpolate_on_grid(read.steps, read.values, grid)
    lines: list[dict[str, Any]] = []
    for group in groups:
        matrix = [rows[run] for run in group.runs if run in rows]
        if not matrix:
            lines.append(dict(empty))
            continue
        line = aggregate(np.vstack(matrix), center=center, band=band)
        covered = line.count > 0
        lines.append(
            {
                "tag": tag,
                "steps": grid[covered].tolist(),
                "center": float_list(line.center[covered]),
                "lower": float_list(line.lower[covered]),
                "upper": float_list(line.upper[covered]),
                "count": line.count[covered].tolist(),
            }
        )
    return lines


def _batches(runs: Sequence[str], counts: Sequence[int]) -> list[list[str]]:
    """``runs`` cut into reads of at most ``_READ_SERIES`` series, ``_READ_POINTS`` points."""
    batches: list[list[str]] = []
    batch: list[str] = []
    points = 0
    for run, count in zip(runs, counts, strict=True):
        if batch and (len(batch) >= _READ_SERIES or points + count > _READ_POINTS):
            batches.append(batch)
            batch, points = [], 0
        batch.append(run)
        points += count
    if batch:
        batches.append(batch)
    return batches


def compare_routes(provider: ReadProvider) -> list[BaseRoute]:
    def columns_route(request: Request) -> Response:
        return json_response(run_columns(provider), safe=True)

    def groups_route(request: Request) -> Response:
        params = request.query_params
        points = optional_int(params, "points", minimum=2, maximum=MAX_GRID)
        center: Any = _choice(params.get("center"), CENTERS, "center", "mean")
        band: Any = _choice(params.get("band"), BANDS, "band", "minmax")
        result = group_scalars(
            provider,
            params.getlist("tag"),
            group_by=params.getlist("group_by"),
            name_regex=params.get("name_regex"),
            where=params.get("where"),
            regex=params.get("regex"),
            runs=params.getlist("run"),
            exclude=params.getlist("exclude"),
            center=center,
            band=band,
            points=DEFAULT_GRID if points is None else points,
        )
        return json_response(result, safe=True)

    return [
        Route("/api/v1/runs/columns", columns_route),
        Route("/api/v1/scalars/groups", groups_route),
    ]
