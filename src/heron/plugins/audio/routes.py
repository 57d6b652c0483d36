"""Thin HTTP wrappers over ``heron.plugins.audio.data``, mounted at ``/data/plugin/audio``."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heron.core.provider import ReadProvider
from heron.core.values import DataClass
from heron.plugins.audio.data import PLUGIN_NAME, audio_bytes, audio_clips, audio_tags
from heron.server.plugin import provider_of
from heron.server.responses import blob_response, json_response, optional_int, required

__all__ = ["AudioPlugin"]


class AudioPlugin:
    """TensorBoard's audio dashboard data: ``/tags``, ``/audio``, ``/individualAudio``."""

    name = PLUGIN_NAME
    tab_name = "Audio"

    def __init__(self) -> None:
        self.loading_mechanism = {"type": "CUSTOM_ELEMENT", "element_name": "tf-audio-dashboard"}

    def is_active(self, provider: ReadProvider) -> bool:
        return provider.has_series(plugin_name=PLUGIN_NAME, data_class=DataClass.BLOB_SEQUENCE)

    def routes(self) -> Sequence[BaseRoute]:
        return [
            Route("/tags", _tags),
            Route("/audio", _audio),
            Route("/individualAudio", _individual_audio),
        ]


def _tags(request: Request) -> Response:
    return json_response(audio_tags(provider_of(request)), safe=True)


def _audio(request: Request) -> Response:
    params = request.query_params
    run, tag = required(params, "run"), required(params, "tag")
    sample = optional_int(params, "sample") or 0
    max_points = optional_int(params, "max_points", minimum=2)
    clips = audio_clips(provider_of(request), run, tag, sample=sample, max_points=max_points)
    return json_response(clips)


def _individual_audio(request: Request) -> Response:
    params = request.query_params
    mime = required(params, "content_type")
    data = audio_bytes(provider_of(request), required(params, "blob_key"), mime)
    return blob_response(request, data, mime)
