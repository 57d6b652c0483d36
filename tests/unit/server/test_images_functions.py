"""The images plugin's plain functions, over a real index."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from heron.errors import InvalidArgumentError, NotFoundError
from heron.plugins.images import image_bytes, image_tags, images, sniff_image_type


def test_tags_count_images_per_step_and_leave_out_runs_without_images(media_provider):
    assert image_tags(media_provider) == {
        "pics": {"red": {"displayName": "", "description": "", "samples": 1}}
    }


def test_images_give_a_blob_query_per_step(media_provider):
    entries = images(media_provider, "pics", "red")
    assert [entry["step"] for entry in entries] == [0, 1, 2]
    assert entries[0]["wall_time"] > 1e9
    (key,) = parse_qs(entries[0]["query"])["blob_key"]
    data, mime = image_bytes(media_provider, key)
    assert mime == "image/png"
    assert data.startswith(b"\x89PNG")


def test_images_leave_out_steps_without_the_sample(media_provider):
    assert images(media_provider, "pics", "red", sample=1) == []


def test_images_downsample_only_when_asked(media_provider):
    entries = images(media_provider, "pics", "red", max_points=2)
    assert len(entries) <= 2
    assert entries[-1]["step"] == 2


@pytest.mark.parametrize(("run", "tag"), [("pics", "nope"), ("ghost", "red"), ("hist", "w")])
def test_unknown_or_non_image_tag_is_not_found(media_provider, run, tag):
    with pytest.raises(NotFoundError):
        images(media_provider, run, tag)


def test_unknown_blob_key_is_not_found_and_empty_is_invalid(media_provider):
    with pytest.raises(NotFoundError):
        image_bytes(media_provider, "AAAA")
    with pytest.raises(NotFoundError):
        image_bytes(media_provider, "../../etc/passwd")
    with pytest.raises(InvalidArgumentError):
        image_bytes(media_provider, "")


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"\x89PNG\r\n\x1a\nrest", "image/png"),
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"GIF87a...", "image/gif"),
        (b"GIF89a...", "image/gif"),
        (b"BM\x00\x00", "image/bmp"),
        (b"<svg>", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniffed_mime_types(data, mime):
    assert sniff_image_type(data) == mime
