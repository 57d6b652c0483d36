"""Thin HTTP wrappers over ``heron.plugins.video.data``, mounted at ``/data/plugin/video``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.plugins.video.data import PLUGIN_NAME, SERIES_PLUGIN, video_bytes, video_tags, videos
from heron.plugins.video.ranges import ranged_blob_response
from heron.server.plugin import provider_of
from heron.server.responses import json_response, optional_int, required

__all__ = ["VideoPlugin"]


class VideoPlugin:
    """Heron's video dashboard data (MP4 / WebM): ``/tags``, ``/videos``, ``/individualVideo``."""

    name = PLUGIN_NAME
    tab_name = "Video"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "NONE"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=SERIES_PLUGIN, data_class=DataClass.BLOB_SEQUENCE)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/tags", _tags),
            Route("/videos", _videos),
            Route("/individualVideo", _individual_video),
        ]


def _tags(request: Request) -> Response:
    return json_response(video_tags(provider_of(request)), safe=True)


def _videos(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    sample = optional_int(params, "sample") or 0
    max_points = optional_int(params, "max_points", minimum=2)
    return json_response(
        videos(provider_of(request), run, tag, sample=sample, max_points=max_points)
    )


def _individual_video(request: Request) -> Response:
    data, media_type = video_bytes(provider_of(request), required(request.query_params, "blob_key"))
    return ranged_blob_response(request, data, media_type)
