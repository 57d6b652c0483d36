"""The audio plugin's plain functions, over a real index."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from heron.errors import InvalidArgumentError, NotFoundError
from heron.plugins.audio import audio_bytes, audio_clips, audio_tags, content_type


def test_tags_count_clips_per_step(media_provider):
    assert audio_tags(media_provider) == {
        "sounds": {"beep": {"displayName": "", "description": "", "samples": 1}}
    }


def test_clips_give_a_wav_query_per_step(media_provider):
    clips = audio_clips(media_provider, "sounds", "beep")
    assert [clip["step"] for clip in clips] == [0, 1]
    assert {clip["contentType"] for clip in clips} == {"audio/wav"}
    assert clips[0]["label"] == ""
    query = parse_qs(clips[0]["query"])
    assert query["content_type"] == ["audio/wav"]
    data = audio_bytes(media_provider, query["blob_key"][0], "audio/wav")
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WAVE"


def test_clips_leave_out_steps_without_the_sample(media_provider):
    assert audio_clips(media_provider, "sounds", "beep", sample=1) == []


@pytest.mark.parametrize(("run", "tag"), [("sounds", "nope"), ("ghost", "beep"), ("pics", "red")])
def test_unknown_or_non_audio_tag_is_not_found(media_provider, run, tag):
    with pytest.raises(NotFoundError):
        audio_clips(media_provider, run, tag)


def test_individual_audio_checks_content_type_and_key(media_provider):
    key = parse_qs(audio_clips(media_provider, "sounds", "beep")[0]["query"])["blob_key"][0]
    assert audio_bytes(media_provider, key, "application/octet-stream")[:4] == b"RIFF"
    with pytest.raises(InvalidArgumentError):
        audio_bytes(media_provider, key, "text/html")
    with pytest.raises(InvalidArgumentError):
        audio_bytes(media_provider, "", "audio/wav")
    with pytest.raises(NotFoundError):
        audio_bytes(media_provider, "AAAA", "audio/wav")


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (b"\x10\x0b", "audio/wav"),  # encoding: WAV
        (b"\x08\x00\x10\x0b", "audio/wav"),  # version 0, then encoding
        (b"", "application/octet-stream"),  # encoding UNKNOWN
        (b"\x10\x00", "application/octet-stream"),
        (b"\x10", "application/octet-stream"),  # truncated
        (b"\x0a\x02ab\x10\x0b", "audio/wav"),  # an unknown length-delimited field first
    ],
)
def test_content_type_from_plugin_data(content, mime):
    assert content_type(content) == mime
