"""Heron's own media plugins (video, HTML, tables): plain functions and routes over a real index."""

from __future__ import annotations

import math
from urllib.parse import parse_qs

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.summaries.video import available_codec
from heron.plugins import default_plugins
from heron.plugins.html import html_fragments, html_tags
from heron.plugins.table import table_at, table_image, table_steps, table_tags
from heron.plugins.video import sniff_video_type, video_bytes, video_tags, videos
from heron.plugins.video.ranges import byte_range
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient
from heron.writer import TableImage

needs_mp4 = pytest.mark.skipif(available_codec("mp4") is None, reason="PyAV with H.264 is missing")
FRAGMENT = "<p id='x'>hello</p><script>document.body.dataset.ran = '1'</script>"


def frames(seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).random((1, 4, 3, 16, 16)) * 255).astype(np.uint8)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("heron-media") / "logs"
    with SummaryWriter(root / "clips") as writer:
        if available_codec("mp4") is not None:
            for step in (0, 5):
                writer.add_video("moves", frames(step), step, fps=4, format="mp4")
        writer.add_video("gif", frames(1), 0, fps=4)  # an image, not a video series
    with SummaryWriter(root / "pages") as writer:
        writer.add_html("report", FRAGMENT, 0)
        writer.add_html("report", "<b>step one</b>", 1)
    with SummaryWriter(root / "grids") as writer:
        red = TableImage(np.full((4, 4, 3), [255, 0, 0], np.uint8), dataformats="HWC")
        for step in (0, 3):
            writer.add_table(
                "results",
                [["cat", 0.5 + step, red], ["dog", math.nan, None]],
                step,
                columns=["name", "score", "picture"],
            )
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(provider):
    return TestClient(create_app(ServerConfig(), provider, plugins=default_plugins()))


@needs_mp4
def test_video_series_list_mp4_steps_and_serve_their_bytes(provider):
    assert video_tags(provider) == {
        "clips": {"moves": {"displayName": "", "description": "", "samples": 1}}
    }
    entries = videos(provider, "clips", "moves")
    assert [entry["step"] for entry in entries] == [0, 5]
    (key,) = parse_qs(entries[-1]["query"])["blob_key"]
    data, mime = video_bytes(provider, key)
    assert mime == "video/mp4"
    assert data[4:8] == b"ftyp"
    assert videos(provider, "clips", "moves", sample=1) == []


@pytest.mark.parametrize(
    ("run", "tag"), [("clips", "gif"), ("ghost", "moves"), ("pages", "report")]
)
def test_unknown_or_non_video_tag_is_not_found(provider, run, tag):
    with pytest.raises(NotFoundError):
        videos(provider, run, tag)


def test_video_bytes_need_a_known_key(provider):
    with pytest.raises(InvalidArgumentError):
        video_bytes(provider, "")
    with pytest.raises(NotFoundError):
        video_bytes(provider, "AAAA")


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"\x00\x00\x00\x20ftypisom", "video/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f", "video/webm"),
        (b"GIF89a..", "image/gif"),
        (b"<html>", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_video_type_is_sniffed_from_the_bytes(data, mime):
    assert sniff_video_type(data) == mime


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-", (0, 9)),
        ("bytes=2-4", (2, 4)),
        ("bytes=5-100", (5, 9)),
        ("bytes=-3", (7, 9)),
        ("bytes=-30", (0, 9)),
        ("bytes=10-", "unsatisfiable"),
        ("bytes=4-2", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=0-1,3-4", "whole"),
        ("items=0-1", "whole"),
        ("bytes=-", "whole"),
    ],
)
def test_byte_ranges(header, expected):
    assert byte_range(header, 10) == expected


@needs_mp4
def test_video_route_answers_ranges_with_206_and_caches(client):
    entries = client.get("/data/plugin/video/videos?run=clips&tag=moves").json()
    url = "/data/plugin/video/individualVideo?" + entries[0]["query"]
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    assert "immutable" in whole.headers["cache-control"]
    part = client.get(url, headers={"Range": "bytes=0-99", "Accept-Encoding": "identity"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 0-99/{len(whole.content)}"
    assert part.content == whole.content[:100]
    beyond = client.get(url, headers={"Range": f"bytes={len(whole.content)}-"})
    assert beyond.status_code == 416
    again = client.get(url, headers={"If-None-Match": whole.headers["etag"]})
    assert again.status_code == 304


def test_html_fragments_are_returned_as_written(provider):
    assert html_tags(provider) == {"pages": {"report": {"displayName": "", "description": ""}}}
    fragments = html_fragments(provider, "pages", "report")
    assert [(f["step"], f["html"]) for f in fragments] == [(0, FRAGMENT), (1, "<b>step one</b>")]
    with pytest.raises(NotFoundError):
        html_fragments(provider, "pages", "nope")


def test_tables_list_steps_and_resolve_image_cells(provider):
    assert table_tags(provider) == {"grids": {"results": {"displayName": "", "description": ""}}}
    assert [s["step"] for s in table_steps(provider, "grids", "results")] == [0, 3]
    table = table_at(provider, "grids", "results", 3)
    assert table["columns"] == ["name", "score", "picture"]
    assert table["rows"][1] == ["dog", "NaN", None]
    name, score, picture = table["rows"][0]
    assert (name, score) == ("cat", 3.5)
    (key,) = parse_qs(picture["image"])["blob_key"]
    data, mime = table_image(provider, key)
    assert mime == "image/png"
    assert data.startswith(b"\x89PNG")


def test_table_at_a_missing_step_or_tag_is_not_found(provider):
    with pytest.raises(NotFoundError):
        table_at(provider, "grids", "results", 1)
    with pytest.raises(NotFoundError):
        table_steps(provider, "grids", "nope")
    with pytest.raises(InvalidArgumentError):
        table_image(provider, "")


def test_listing_enables_only_the_tabs_with_data(client):
    listing = client.get("/data/plugins_listing").json()
    assert listing["html"]["enabled"] is True
    assert listing["table"]["enabled"] is True
    assert listing["video"]["enabled"] is (available_codec("mp4") is not None)
    assert listing["html"]["tab_name"] == "HTML"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/data/plugin/video/videos?run=clips", 400),
        ("/data/plugin/video/videos?run=clips&tag=moves&sample=-1", 400),
        ("/data/plugin/video/videos?run=ghost&tag=moves", 404),
        ("/data/plugin/video/individualVideo", 400),
        ("/data/plugin/video/individualVideo?blob_key=AAAA", 404),
        ("/data/plugin/html/html?run=pages", 400),
        ("/data/plugin/html/html?run=pages&tag=nope", 404),
        ("/data/plugin/html/html?run=pages&tag=report&max_points=1", 400),
        ("/data/plugin/table/table?run=grids&tag=results", 400),
        ("/data/plugin/table/table?run=grids&tag=results&step=x", 400),
        ("/data/plugin/table/table?run=grids&tag=results&step=1", 404),
        ("/data/plugin/table/tables?run=grids&tag=nope", 404),
        ("/data/plugin/table/individualImage?blob_key=", 400),
        ("/data/plugin/table/individualImage?blob_key=%00%ff", 404),
    ],
)
def test_bad_requests_are_400_or_404_never_500(client, path, status):
    assert client.get(path).status_code == status


def test_table_route_serves_the_table_and_its_images(client):
    steps = client.get("/data/plugin/table/tables?run=grids&tag=results").json()
    assert [s["step"] for s in steps] == [0, 3]
    table = client.get("/data/plugin/table/table?run=grids&tag=results&step=0").json()
    image = client.get("/data/plugin/table/individualImage?" + table["rows"][0][2]["image"])
    assert image.headers["content-type"] == "image/png"
    assert "immutable" in image.headers["cache-control"]
    html = client.get("/data/plugin/html/html?run=pages&tag=report").json()
    assert html[0]["html"] == FRAGMENT
