"""Plain functions over ``ReadProvider`` behind the scalars routes (no HTTP here).

Difference from TensorBoard by design: every point is returned unless
``max_points`` asks for the min/max envelope (TensorBoard samples 1,000 at
random and may hide a spike).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from typing import Any

from heron.core.provider import ReadProvider
from heron.core.state_cache import index_state
from heron.core.values import DataClass, ScalarPoints, SeriesKey
from heron.plugins.scalars.tag_listing import PLUGIN_NAME, TagListing, build_listing, updated
from heron.server.encoding import float_list

__all__ = [
    "PLUGIN_NAME",
    "scalar_csv",
    "scalar_tags",
    "scalar_tags_json",
    "scalar_triples",
    "scalars_multirun",
]

#: TensorBoard's CSV header for a scalar series download.
CSV_HEADER = ("Wall time", "Step", "Value")


def _scalar_series(provider: ReadProvider, runs: Collection[str] | None = None) -> list[Any]:
    return list(
        provider.list_series(runs=runs, plugin_name=PLUGIN_NAME, data_class=DataClass.SCALAR)
    )


def scalar_tags(provider: ReadProvider) -> dict[str, dict[str, dict[str, str]]]:
    """``{run: {tag: {"displayName", "description"}}}``; runs without scalars are left out.

    Kept until the index changes (``heron.core.state_cache``): 300,000 series took
    0.2-0.6 s a call to arrange. The value is shared: never mutate it.
    """
    return index_state(provider).get("scalars/tags", lambda: _as_dict(_listing(provider)))


def scalar_tags_json(provider: ReadProvider) -> bytes:
    """``scalar_tags`` encoded as JSON, kept per state of the index and updated run by run."""
    return _listing(provider).body


def _as_dict(listing: TagListing) -> dict[str, dict[str, dict[str, str]]]:
    return dict(zip(listing.runs, listing.tags, strict=True))


def _listing(provider: ReadProvider) -> TagListing:
    return index_state(provider).evolve(
        "scalars/tag listing",
        lambda: build_listing(provider),
        lambda older, changed: updated(provider, older, changed),
    )


def _triples(points: ScalarPoints) -> list[list[Any]]:
    return [
        list(row)
        for row in zip(
            float_list(points.wall_times),
            points.steps.tolist(),
            float_list(points.values),
            strict=True,
        )
    ]


def scalar_triples(
    provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None
) -> list[list[Any]]:
    """``[[wall_time, step, value], ...]`` of one series (``NotFoundError`` if there is none)."""
    key = SeriesKey(run, tag)
    return _triples(provider.read_scalars([key], max_points=max_points)[key])


def scalar_csv(provider: ReadProvider, run: str, tag: str, *, max_points: int | None = None) -> str:
    """The series as TensorBoard's CSV download (header ``Wall time,Step,Value``, CRLF lines)."""
    key = SeriesKey(run, tag)
    points = provider.read_scalars([key], max_points=max_points)[key]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(
        zip(points.wall_times.tolist(), points.steps.tolist(), points.values.tolist(), strict=True)
    )
    return out.getvalue()


def scalars_multirun(
    provider: ReadProvider, tag: str, runs: Sequence[str], *, max_points: int | None = None
) -> dict[str, list[list[Any]]]:
    """``{run: triples}`` for one tag over several runs; runs without the tag are left out."""
    present = {series.run for series in _scalar_series(provider, runs) if series.tag == tag}
    keys = [SeriesKey(run, tag) for run in dict.fromkeys(runs) if run in present]
    if not keys:
        return {}
    points = provider.read_scalars(keys, max_points=max_points)
    return {key.run: _triples(points[key]) for key in keys}
