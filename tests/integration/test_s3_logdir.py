"""A logdir on S3: listed in few API calls, tailed by ranged reads, re-uploads handled.

The S3 is moto's server (the real S3 HTTP protocol, on loopback, started by
the test); Heron talks to it through s3fs exactly as it would to AWS.
"""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

import heron
from heron import SummaryWriter
from heron.core.values import SeriesKey
from heron.errors import InvalidArgumentError
from heron.ingest import Ingester, IngestOptions
from heron.ingest.records import EventFileRecords
from heron.ingest.roots import logdir_root
from heron.storage import open_store

moto_server = pytest.importorskip("moto.server")
s3fs = pytest.importorskip("s3fs")
boto3 = pytest.importorskip("boto3")

BUCKET = "experiments"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port())
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint, monkeypatch):
    """A fresh bucket; the environment points botocore (and so s3fs) at the local server."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    client = boto3.client("s3", endpoint_url=endpoint)
    bucket = f"{BUCKET}-{time.monotonic_ns()}"
    client.create_bucket(Bucket=bucket)
    s3fs.S3FileSystem.clear_instance_cache()
    yield client, bucket
    s3fs.S3FileSystem.clear_instance_cache()


def _upload_logdir(client, bucket: str, local, prefix: str = "logs") -> None:
    for path in sorted(local.rglob("*")):
        if path.is_file():
            key = f"{prefix}/{path.relative_to(local).as_posix()}"
            client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())


def _write_local(root) -> None:
    for run, scale in (("a", 1.0), ("sweep/b", 2.0)):
        with SummaryWriter(root / run) as writer:
            for step in range(500):
                writer.add_scalar("loss", scale / (step + 1), step)
            writer.add_scalar("loss", math.nan, 500)
            writer.add_image("img", np.zeros((3, 4, 4), np.uint8), 0)


def test_heron_open_reads_every_point_of_an_s3_logdir_and_its_blobs(s3, tmp_path):
    client, bucket = s3
    local = tmp_path / "local"
    _write_local(local)
    _upload_logdir(client, bucket, local)
    with heron.open(f"s3://{bucket}/logs", db=tmp_path / "index.sqlite") as experiment:
        assert experiment.runs() == ["a", "sweep/b"]
        key = SeriesKey("sweep/b", "loss")
        points = experiment.provider.read_scalars([key])[key]
        assert len(points.steps) == 501
        assert points.values[0] == pytest.approx(2.0)
        assert math.isnan(points.values[-1])
        (image,) = experiment.provider.read_blob_sequences([SeriesKey("a", "img")])[
            SeriesKey("a", "img")
        ]
        png = experiment.provider.read_blob(image.blobs[-1].key)
        assert png.startswith(b"\x89PNG")
        assert experiment.provider.health().corrupt_records == 0


def test_a_re_uploaded_longer_file_is_read_from_where_it_stopped(s3, tmp_path):
    client, bucket = s3
    local = tmp_path / "local"
    writer = SummaryWriter(local / "live")
    for step in range(100):
        writer.add_scalar("loss", float(step), step)
    writer.flush()
    _upload_logdir(client, bucket, local)
    store = open_store(
        f"sqlite:{tmp_path / 'index.sqlite'}", experiment="s3", records=EventFileRecords()
    )
    ingester = Ingester(
        store,
        [logdir_root(f"s3://{bucket}/logs")],
        options=IngestOptions(reload_interval=0, progress=False),
    )
    try:
        ingester.run_once()
        first_pass = ingester.stats.last_pass
        assert first_pass is not None
        for step in range(100, 150):
            writer.add_scalar("loss", float(step), step)
        writer.flush()
        _upload_logdir(client, bucket, local)  # a sync tool re-uploads the grown file
        second = ingester.run_once()
        key = SeriesKey("live", "loss")
        steps = store.reader().read_scalars([key])[key].steps
        assert steps.tolist() == list(range(150))
        assert 0 < second.bytes_read < first_pass.bytes_read  # only the new records
    finally:
        writer.close()
        store.close()


def test_hundreds_of_runs_are_listed_in_one_request_not_one_per_directory(s3, tmp_path):
    client, bucket = s3
    local = tmp_path / "local"
    with SummaryWriter(local / "seed") as writer:
        writer.add_scalar("loss", 1.0, 0)
    (event_file,) = (local / "seed").iterdir()
    body = event_file.read_bytes()
    for run in range(250):
        client.put_object(Bucket=bucket, Key=f"logs/run{run:04d}/{event_file.name}", Body=body)
    calls: list[str] = []
    fs = s3fs.S3FileSystem()
    original = fs._call_s3

    async def counting(method, *args, **kwargs):
        calls.append(method)
        return await original(method, *args, **kwargs)

    fs._call_s3 = counting
    try:
        with heron.open(f"s3://{bucket}/logs", db=tmp_path / "index.sqlite") as experiment:
            assert len(experiment.runs()) == 250
    finally:
        del fs._call_s3
    listing_calls = [call for call in calls if call.startswith("list_objects")]
    assert len(listing_calls) == 1, listing_calls  # S3 pages hold 1,000 keys


def test_heron_serve_serves_an_s3_logdir(s3, endpoint, tmp_path):
    client, bucket = s3
    local = tmp_path / "local"
    _write_local(local)
    _upload_logdir(client, bucket, local)
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "heron", "--logdir", f"s3://{bucket}/logs"),
            *("--port", str(port), "--db", str(tmp_path / "index.sqlite")),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        from .test_server_command import _poll

        deadline = time.monotonic() + 60
        runs = _poll(f"http://localhost:{port}/data/runs", timeout=60)
        while runs != ["a", "sweep/b"] and time.monotonic() < deadline:
            time.sleep(0.2)
            runs = _poll(f"http://localhost:{port}/data/runs")
        assert runs == ["a", "sweep/b"]
        points = _poll(f"http://localhost:{port}/data/plugin/scalars/scalars?run=a&tag=loss")
        assert len(points) == 501
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr


def test_a_missing_fsspec_package_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "fsspec", None)
    with pytest.raises(InvalidArgumentError, match=r"pip install 'heron\[s3\]'"):
        heron.open("s3://bucket/logs", db=tmp_path / "index.sqlite")
