"""Plain functions over ``ReadProvider`` behind the Time Series routes (no HTTP here).

Time Series is TensorBoard's default dashboard: one card per tag, each
fetching scalars (of every run at once), a histogram or an image series (of
one run) through a batch of requests. Each request is answered on its own —
a malformed one gets an ``"error"`` string (TensorBoard's wording) while the
others are still answered, and an unknown run or tag gives an empty
``runToSeries`` as in TensorBoard. Difference by design: every point is
returned unless ``max_points`` asks for fewer (TensorBoard keeps 1,000
scalars, 51 histograms and 10 image steps, sampled at random).

The reading is shared with the scalars, histograms and images plugins: their
tag listings, histogram buckets and image bytes are reused, not re-derived.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, SeriesKey
from heron.errors import InvalidArgumentError, NotFoundError
from heron.plugins.histograms.data import buckets, histogram_points
from heron.plugins.images import image_bytes
from heron.plugins.timeseries.tags import timeseries_tags
from heron.server.encoding import float_list, json_safe

__all__ = [
    "DATA_PLUGINS",
    "PLUGIN_NAME",
    "image_data",
    "parse_requests",
    "time_series",
    "timeseries_tags",
]

PLUGIN_NAME = "timeseries"
SCALARS, HISTOGRAMS, IMAGES = "scalars", "histograms", "images"
#: The series plugins Time Series shows, with the data class each is read as.
DATA_PLUGINS = {
    SCALARS: DataClass.SCALAR,
    HISTOGRAMS: DataClass.TENSOR,
    IMAGES: DataClass.BLOB_SEQUENCE,
}
#: Blobs before the first image at each step of an image series: width and height.
_IMAGE_HEADER_BLOBS = 2


def parse_requests(text: str | None) -> list[dict[str, Any]]:
    """The ``requests`` field: a JSON list of request objects (``InvalidArgumentError`` if not)."""
    if not text:
        raise InvalidArgumentError("Missing 'requests' field")
    try:
        requests = json.loads(text)
    except ValueError:
        raise InvalidArgumentError("Unable to parse 'requests' as JSON") from None
    if not isinstance(requests, list) or not all(isinstance(item, dict) for item in requests):
        raise InvalidArgumentError("'requests' must be a JSON list of objects")
    return requests


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _request_error(request: dict[str, Any]) -> str | None:
    """TensorBoard's error string for a malformed request, checked in its order."""
    plugin: Any = request.get("plugin")
    run: Any = request.get("run")
    sample: Any = request.get("sample")
    if not isinstance(request.get("tag"), str):
        return "Missing tag"
    if not isinstance(plugin, str) or plugin not in DATA_PLUGINS:
        return "Invalid plugin"
    if plugin in (HISTOGRAMS, IMAGES) and not isinstance(run, str):
        return "Missing run"
    if plugin == IMAGES and not _is_int(sample):
        return "Missing sample"
    if plugin == IMAGES and sample < 0:
        # TensorBoard would hand out the width or height blob here.
        return "Invalid sample"
    return None


class _Listing:
    """Runs per (plugin, tag), listed once per batch however many requests it holds.

    A request for one run lists only that run's series, so that a histogram
    card costs nothing in the number of runs; a request for every run lists
    them all once, and later single-run requests reuse that listing.
    """

    def __init__(self, provider: ReadProvider) -> None:
        self._provider = provider
        self._by_tag: dict[tuple[str, str | None], dict[str, list[str]]] = {}

    def _list(self, plugin: str, run: str | None) -> dict[str, list[str]]:
        key = (plugin, run)
        if key not in self._by_tag:
            by_tag: dict[str, list[str]] = {}
            for series in self._provider.list_series(
                runs=None if run is None else [run],
                plugin_name=plugin,
                data_class=DATA_PLUGINS[plugin],
            ):
                by_tag.setdefault(series.tag, []).append(series.run)
            self._by_tag[key] = by_tag
        return self._by_tag[key]

    def runs(self, plugin: str, tag: str, run: str | None) -> list[str]:
        """The runs holding ``tag`` among ``run`` (``None``: every run), sorted."""
        if run is None or (plugin, None) in self._by_tag:
            present = self._list(plugin, None).get(tag, [])
            return present if run is None else [run] if run in present else []
        return self._list(plugin, run).get(tag, [])


def _scalar_series(
    provider: ReadProvider, runs: Sequence[str], tag: str, max_points: int | None
) -> dict[str, list[dict[str, Any]]]:
    keys = [SeriesKey(run, tag) for run in runs]
    if not keys:
        return {}
    read = provider.read_scalars(keys, max_points=max_points)
    result: dict[str, list[dict[str, Any]]] = {}
    for key in keys:
        points = read[key]
        columns = (float_list(points.wall_times), points.steps.tolist(), float_list(points.values))
        result[key.run] = [
            {"wallTime": wall_time, "step": step, "value": value}
            for wall_time, step, value in zip(*columns, strict=True)
        ]
    return result


def _histogram_series(
    provider: ReadProvider, run: str, tag: str, max_points: int | None
) -> dict[str, list[dict[str, Any]]]:
    try:
        points = histogram_points(provider, run, tag, max_points=max_points)
    except NotFoundError:
        return {}
    series = [
        {
            "wallTime": point.wall_time,
            "step": point.step,
            "bins": [
                {"min": left, "max": right, "count": count}
                for left, right, count in buckets(point).tolist()
            ],
        }
        for point in points
    ]
    return {run: json_safe(series)}


def _image_series(
    provider: ReadProvider, run: str, tag: str, sample: int, max_points: int | None
) -> dict[str, list[dict[str, Any]]]:
    key = SeriesKey(run, tag)
    index = _IMAGE_HEADER_BLOBS + sample
    series = [
        {"wallTime": point.wall_time, "step": point.step, "imageId": point.blobs[index].key}
        for point in provider.read_blob_sequences([key], max_points=max_points)[key]
        if len(point.blobs) > index
    ]
    # Runs whose steps all hold fewer images are left out, as TensorBoard does.
    return {run: series} if series else {}


def _answer(
    provider: ReadProvider, listing: _Listing, request: dict[str, Any], max_points: int | None
) -> dict[str, Any]:
    plugin: Any = request.get("plugin")
    tag: Any = request.get("tag")
    run: Any = request.get("run")
    sample: Any = request.get("sample")
    response: dict[str, Any] = {"plugin": plugin, "tag": tag}
    if isinstance(run, str):
        response["run"] = run
    if _is_int(sample):
        response["sample"] = sample
    error = _request_error(request)
    if error is not None:
        response["error"] = error
        return response
    if run and not isinstance(run, str):
        # A run that is not a name (a number, a list) names no run, as in TensorBoard.
        response["runToSeries"] = {}
        return response
    # No run (or an empty one, as TensorBoard reads it) means every run with the tag.
    present = listing.runs(plugin, tag, run or None)
    if plugin == SCALARS:
        response["runToSeries"] = _scalar_series(provider, present, tag, max_points)
    elif run not in present:
        response["runToSeries"] = {}
    elif plugin == HISTOGRAMS:
        response["runToSeries"] = _histogram_series(provider, run, tag, max_points)
    else:
        response["runToSeries"] = _image_series(provider, run, tag, sample, max_points)
    return response


def time_series(
    provider: ReadProvider, requests: Sequence[dict[str, Any]], *, max_points: int | None = None
) -> list[dict[str, Any]]:
    """One response per request, in order (reference §5.15); already JSON-safe.

    A request is ``{"plugin": "scalars"|"histograms"|"images", "tag", "run"?,
    "sample"?}``; its response echoes ``plugin``, ``tag`` (and ``run`` and
    ``sample`` when given) and holds either ``runToSeries`` — ``{run: [{"step",
    "wallTime", "value"}]}`` for scalars, ``[{"step", "wallTime", "bins":
    [{"min", "max", "count"}]}]`` for histograms, ``[{"step", "wallTime",
    "imageId"}]`` for images — or ``error``.
    """
    listing = _Listing(provider)
    return [_answer(provider, listing, request, max_points) for request in requests]


def image_data(provider: ReadProvider, image_id: str) -> tuple[bytes, str]:
    """The bytes of one image (``imageId`` is a blob key) and their sniffed MIME type."""
    if not image_id:
        raise InvalidArgumentError("Missing 'imageId' field")
    return image_bytes(provider, image_id)
