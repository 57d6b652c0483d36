"""No URL parameter reaches a file outside the logdir (DESIGN.md: "a URL parameter never reaches
the filesystem as a path").

Every route the app mounts (enumerated from ``route_paths``, so routes added by new plugins are
covered without editing this file) gets traversal attempts in every parameter that could name a
file: ``..``, absolute paths, percent-encoded and double-encoded separators, backslashes, NUL
bytes, very long values, paths through symlinks. Files outside the logdir hold a unique marker,
and so does a plain file *inside* it (a parameter must not name any path, not only outside ones);
no response may contain a marker or ``/etc/passwd``, and no answer may be a 500.

Symlinks the *user* placed inside the logdir are followed, as TensorBoard does: a run directory
symlinked to a directory elsewhere, and an event file symlinked to a file elsewhere, are read and
served under their names inside the logdir. That is the user's choice, made on disk; what is
tested is that a request can only name what the logdir walk indexed.

Requests are sent as raw ASGI calls (in-process) and raw HTTP bytes (to the real ``heron serve``),
so that no client normalises ``..`` or re-encodes the path on the way.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urlencode

import anyio
import numpy as np
import pytest
from starlette.applications import Starlette

import heron
from heron import SummaryWriter
from heron.core.provider import ReadProvider
from heron.errors import InvalidArgumentError, NotFoundError
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app, route_paths
from heron.server.encoding import dumps
from heron.server.responses import error_response
from heron.server.static import static_routes

from .test_server_command import _free_port, _poll

#: Planted in files outside the logdir (and one inside it that no event file is): never served.
OUTSIDE_MARKER = f"HERON-OUTSIDE-{uuid.uuid4().hex}"
INSIDE_MARKER = f"HERON-INSIDE-{uuid.uuid4().hex}"
#: What /etc/passwd starts with on every Unix.
PASSWD = b"root:"

#: Parameter names that could name a file somewhere: every route gets each of them.
PARAMETERS = (
    "run",
    "tag",
    "name",
    "blob_key",
    "imageId",
    "sample",
    "runs",
    "path",
    "file",
    "key",
    "content_type",
    "experiment",
    "session",
    "step",
)
#: What a request names when it is not attacking: a real run and tag.
BENIGN = {"run": "train", "tag": "loss", "content_type": "audio/wav"}
#: The largest blob id a key can encode: beyond SQLite's signed 64-bit integers.
HUGE_BLOB_KEY = base64.urlsafe_b64encode(struct.pack("<QI", 2**64 - 1, 0)).decode()


def hostile_values(world: World) -> list[str]:
    """Values as the server decodes them (each is percent-encoded once on the wire)."""
    secret = str(world.outside / "secret.txt")
    return [
        "..",
        "../..",
        "../../../../../../../../etc/passwd",
        "/etc/passwd",
        secret,
        "../outside/secret.txt",
        "train/../../outside/secret.txt",
        "linked/secret.txt",
        "train/notes.txt",
        "train/escape/secret.txt",
        "linked/../../outside/secret.txt",
        "..\\..\\..\\etc\\passwd",
        "C:\\Windows\\win.ini",
        # Already-encoded text: a server that decodes twice would see "../".
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2f..%2f..%2fetc%2fpasswd",
        "%252e%252e%252fetc%252fpasswd",
        "\x00",
        "train\x00../../etc/passwd",
        "file:///etc/passwd",
        "~/.ssh/id_rsa",
        "./train",
        "train/",
        "a" * 10_000,
        "../" * 2_000 + "etc/passwd",
        "-1",
        "99999999999999999999999999",
        HUGE_BLOB_KEY,
        base64.urlsafe_b64encode(b"../../etc/passwd").decode(),
    ]


#: Raw query strings, sent byte for byte: encodings a client would otherwise normalise.
RAW_QUERIES = (
    "run=%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd&tag=loss",
    "run=train&tag=..%2f..%2f..%2fetc%2fpasswd",
    "run=%252e%252e%252f%252e%252e%252fetc%252fpasswd&tag=loss",
    "run=..%5c..%5c..%5cetc%5cpasswd&tag=loss",
    "run=train%00../../etc/passwd&tag=loss",
    "run=%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd&tag=loss",
    "run=%ff%fe&tag=%80",
    "blob_key=..%2f..%2fetc%2fpasswd&content_type=audio%2fwav",
    "blob_key=%2fetc%2fpasswd&imageId=%2fetc%2fpasswd&name=%2e%2e",
    "run=train&tag=loss&sample=..%2f..",
)

#: Paths outside every route: a static-file server must not resolve any of them.
RAW_PATHS = (
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/..%5c..%5c..%5cetc%5cpasswd",
    "//etc/passwd",
    "/static/../../../../etc/passwd",
    "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/data/../../../../etc/passwd",
    "/data/plugin/..%2f..%2f..%2fetc%2fpasswd",
    "/train/notes.txt",
    "/logs/train/notes.txt",
    "/linked/secret.txt",
    "/index.html%00.txt",
    "/%00",
    "/" + "a" * 5_000,
)


@dataclass(frozen=True)
class World:
    """A logdir with symlinks out of it, and the files a traversal would be after."""

    logdir: Path
    outside: Path
    db: Path


def build_world(base: Path) -> World:
    """The logdir, the outside directories it links to, and secrets on both sides.

    * ``logs/train``: every kind of data the core plugins serve (so blob routes have keys), a
      ``notes.txt`` holding ``INSIDE_MARKER``, a symlink ``secret.txt`` to the outside secret
      a symlink ``escape`` to the outside directory (no event files there: not a run), and a
      ``projector_config.pbtxt`` whose files are the outside secret, by absolute path, by
      ``../``, and through both links (the projector must refuse each: its files are read by
      reference, and only inside the logdir);
    * ``logs/linked`` -> ``outside_run/``: a run directory elsewhere, with its own secret file;
    * ``logs/filelink/events.out.tfevents...`` -> an event file in ``outside_files/``.
    """
    logdir, outside = base / "logs", base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{OUTSIDE_MARKER}\n")
    with SummaryWriter(logdir / "train") as writer:
        for step in range(5):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
            writer.add_histogram("weights", np.arange(10.0) + step, step)
            writer.add_image("digit", np.zeros((1, 4, 4), np.uint8), step)
            writer.add_audio("click", np.zeros(80), step, sample_rate=8000)
            writer.add_text("notes", f"step {step}", step)
    (logdir / "train" / "notes.txt").write_text(f"{INSIDE_MARKER}\n")
    (logdir / "train" / "secret.txt").symlink_to(outside / "secret.txt")
    (logdir / "train" / "escape").symlink_to(outside, target_is_directory=True)
    secret = outside / "secret.txt"
    (logdir / "train" / "projector_config.pbtxt").write_text(
        f'embeddings {{ tensor_name: "absolute" tensor_path: "{secret}" metadata_path: "{secret}"'
        f' bookmarks_path: "{secret}" sprite {{ image_path: "{secret}" single_image_dim: 1'
        " single_image_dim: 1 } }\n"
        'embeddings { tensor_name: "up" tensor_path: "../../outside/secret.txt"'
        ' metadata_path: "../../outside/secret.txt" }\n'
        'embeddings { tensor_name: "linked" tensor_path: "secret.txt"'
        ' metadata_path: "escape/secret.txt" }\n'
    )

    outside_run = base / "outside_run"
    with SummaryWriter(outside_run) as writer:
        for step in range(3):
            writer.add_scalar("linked_loss", float(step), step)
    (outside_run / "secret.txt").write_text(f"{OUTSIDE_MARKER}\n")
    (logdir / "linked").symlink_to(outside_run, target_is_directory=True)

    outside_files = base / "outside_files"
    with SummaryWriter(outside_files) as writer:
        writer.add_scalar("file_loss", 7.0, 0)
    (event_file,) = outside_files.glob("events.out.tfevents.*")
    (logdir / "filelink").mkdir()
    (logdir / "filelink" / event_file.name).symlink_to(event_file)
    return World(logdir=logdir, outside=outside, db=base / "index.sqlite")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("path_safety"))


@pytest.fixture(scope="module")
def provider(world: World) -> Iterator[ReadProvider]:
    with heron.open(world.logdir, db=world.db) as experiment:
        yield experiment.provider


def make_app(provider: ReadProvider) -> Starlette:
    return create_app(ServerConfig(logdir="logs"), provider, plugins=default_plugins())


def _all_paths() -> list[str]:
    """Every route of the app with the default plugins; the provider is not called to list them."""
    return route_paths(make_app(cast(ReadProvider, object())).routes)


ROUTES = _all_paths()


# --- a raw in-process ASGI request ---------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    #: The exception the app raised, if any (Starlette answers it with a 500, then re-raises).
    error: str = ""

    def leaks(self) -> list[str]:
        """What must never be in a response, found in this one."""
        found = [m for m in (OUTSIDE_MARKER, INSIDE_MARKER) if m.encode() in self.body]
        if self.body.startswith(PASSWD) or b"\nroot:" in self.body or b"root:x:0:0" in self.body:
            found.append("/etc/passwd")
        return found


async def asgi_request(
    app: Starlette,
    method: str,
    target: str,
    *,
    body: bytes = b"",
    content_type: str = "",
) -> Answer:
    """``target`` (path and query, already encoded) handed to the app as uvicorn would.

    The path is percent-decoded once (uvicorn's rule) and nothing else: no ``..`` resolution,
    no re-encoding. An event stream is answered by its headers; then the client disconnects.
    """
    raw_path, _, query = target.encode("ascii").partition(b"?")
    headers = [(b"host", b"testserver")]
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    headers.append((b"content-length", str(len(body)).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        "query_string": query,
        "headers": headers,
        "state": {},
    }
    finished = anyio.Event()
    request_sent = False
    answer = Answer(0, b"", "")

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            for name, value in message.get("headers", []):
                if name.lower() == b"content-type":
                    answer.content_type = value.decode("latin-1")
            if answer.content_type.startswith("text/event-stream"):
                finished.set()
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")
            if not message.get("more_body", False):
                finished.set()

    with anyio.fail_after(30):
        try:
            await app(scope, receive, send)  # type: ignore[arg-type]
        except Exception as error:  # what uvicorn would log under a 500
            answer.error = f"{type(error).__name__}: {error}"
            answer.status = answer.status or 500
    return answer


def fill(route: str, value: str = "x", *, safe: str = "") -> str:
    """``route`` with each ``{parameter}`` of its path replaced by ``value``, percent-encoded
    except for ``safe`` characters (so ``safe="/"`` sends real slashes)."""
    return re.sub(r"\{[^}]*\}", lambda _: quote(value, safe=safe), route)


def _query(values: dict[str, str]) -> str:
    return urlencode(values, quote_via=quote, safe="")


def _post_bodies(value: str) -> list[tuple[bytes, str]]:
    """A form and a JSON body carrying ``value`` everywhere a POST route could read a name.

    Besides the flat parameters: TensorBoard's ``scalars_multirun`` (``runs``, ``tag``), the
    time-series ``requests`` list, and the hparams shapes (``experimentName``, ``sessionName``,
    ``metricName``).
    """
    fields = dict.fromkeys(PARAMETERS, value)
    nested: dict[str, Any] = {
        **fields,
        "runs": [value, "train"],
        "experimentName": value,
        "sessionName": value,
        "metricName": {"tag": value, "group": value},
        "requests": [{"plugin": "scalars", "run": value, "tag": value}],
    }
    form = {**fields, "requests": json.dumps(nested["requests"])}
    return [
        (_query(form).encode(), "application/x-www-form-urlencoded"),
        (dumps(nested), "application/json"),
    ]


# --- in-process: every route, every parameter -------------------------------------------------


def test_routes_are_enumerated():
    """The enumeration works and sees at least the core and the first plugins' routes."""
    assert "/data/runs" in ROUTES
    assert "/data/plugin/scalars/scalars" in ROUTES
    assert "/data/plugin/images/individualImage" in ROUTES


def test_symlinked_run_directory_and_event_file_are_followed(provider: ReadProvider):
    """The documented choice: links the user made inside the logdir are read, as TensorBoard does,
    and named by where they are in the logdir, not where they point."""
    client = make_app(provider)
    runs = json.loads(anyio.run(asgi_request, client, "GET", "/data/runs").body)
    assert {"train", "linked", "filelink"} <= set(runs)
    assert not any("outside" in run or run.startswith("/") for run in runs)
    scalars = anyio.run(
        asgi_request, client, "GET", "/data/plugin/scalars/scalars?run=linked&tag=linked_loss"
    )
    assert scalars.status == 200
    assert [step for _, step, _ in json.loads(scalars.body)] == [0, 1, 2]
    linked_file = anyio.run(
        asgi_request, client, "GET", "/data/plugin/scalars/scalars?run=filelink&tag=file_loss"
    )
    assert json.loads(linked_file.body)[0][2] == 7.0
    # A directory link holding no event file is not a run, as any other directory.
    assert "train/escape" not in runs


@dataclass
class Sweep:
    """The problems one route showed under every hostile request, by kind."""

    leaks: list[str]
    statuses: list[str]
    requests: int


async def sweep_route(app: Starlette, route: str, values: list[str]) -> Sweep:
    """Every hostile request to ``route``: each parameter alone (beside a real run and tag), as
    query parameters; for a POST-only route also as a form and a JSON body; then raw queries."""
    sweep = Sweep([], [], 0)

    async def send(method: str, target: str, **body: Any) -> None:
        answer = await asgi_request(app, method, target, **body)
        sweep.requests += 1
        shown = target if len(target) < 160 else target[:160] + "..."
        if body:
            shown += f" + {body['content_type']} body"
        if leaks := answer.leaks():
            sweep.leaks.append(f"{method} {shown}: {answer.status}, contains {leaks}")
        allowed = {405} if post_only and method == "GET" else {200, 400, 404}
        if answer.status not in allowed:
            why = answer.error or repr(answer.body[:200])
            sweep.statuses.append(f"{method} {shown}: {answer.status}: {why}")

    path = fill(route)
    post_only = (await asgi_request(app, "GET", path)).status == 405
    for value in values:
        if path != route:  # a path parameter (static files): the value in the path itself
            await send("GET", fill(route, value))
            await send("GET", fill(route, value, safe="/\\:~"))
        for name in PARAMETERS:
            await send("GET", f"{path}?{_query({**BENIGN, name: value})}")
            if post_only:
                await send("POST", f"{path}?{_query({**BENIGN, name: value})}")
        if post_only:
            for body, content_type in _post_bodies(value):
                await send("POST", path, body=body, content_type=content_type)
    for query in RAW_QUERIES:
        await send("POST" if post_only else "GET", f"{path}?{query}")
    return sweep


@pytest.fixture(scope="module")
def sweeps(provider: ReadProvider, world: World) -> Callable[[str], Sweep]:
    """Each route is swept once; the leak test and the status test read the same results."""
    done: dict[str, Sweep] = {}

    def sweep_of(route: str) -> Sweep:
        if route not in done:
            done[route] = anyio.run(sweep_route, make_app(provider), route, hostile_values(world))
        return done[route]

    return sweep_of


@pytest.mark.parametrize("route", ROUTES)
def test_no_parameter_of_any_route_reaches_a_file(route: str, sweeps: Callable[[str], Sweep]):
    """Traversal in every parameter of ``route``: no marker and no /etc/passwd in any answer.

    A 200 is allowed (routes that ignore a parameter, or a TensorBoard route that answers ``[]``
    for an unknown run) as long as nothing planted is in it.
    """
    sweep = sweeps(route)
    assert sweep.requests > 0
    assert not sweep.leaks, "\n".join(sweep.leaks)


@pytest.mark.parametrize("route", ROUTES)
def test_hostile_parameters_get_400_or_404_never_500(route: str, sweeps: Callable[[str], Sweep]):
    """Bad input is a 400, an unknown name a 404 (a 200 where a route ignores the parameter);
    never a 500, whose traceback would be the only trace of what the server tried to open."""
    statuses = sweeps(route).statuses
    assert not statuses, "\n".join(statuses)


@pytest.mark.parametrize("embedding", ["absolute", "up", "linked"])
@pytest.mark.parametrize("asset", ["tensor", "metadata", "bookmarks", "sprite_image"])
def test_projector_files_the_config_names_outside_the_logdir_are_refused(
    asset: str, embedding: str, provider: ReadProvider
):
    """Not a URL parameter but a path in a file: the projector's config may name any file, and
    the projector serves only those inside the logdir (TensorBoard's rule); a link out is out."""
    route = f"/data/plugin/projector/{asset}"
    if route not in ROUTES:
        pytest.skip(f"no {route} route")
    target = f"{route}?{_query({'run': 'train', 'name': embedding})}"
    answer = anyio.run(asgi_request, make_app(provider), "GET", target)
    assert (answer.status, answer.leaks()) == (404, []), answer.body[:200]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/data/plugin/scalars/scalars?run=..&tag=loss", 404),
        ("/data/plugin/scalars/scalars?run=%2fetc%2fpasswd&tag=loss", 404),
        ("/data/plugin/scalars/scalars?run=linked%2f..%2f..%2foutside&tag=loss", 404),
        ("/data/plugin/scalars/scalars?run=train&tag=..%2f..%2fetc%2fpasswd", 404),
        ("/data/plugin/images/images?run=..&tag=digit", 404),
        ("/data/plugin/images/images?run=train&tag=digit&sample=..", 400),
        ("/data/plugin/images/individualImage?blob_key=..%2f..%2fetc%2fpasswd", 404),
        ("/data/plugin/images/individualImage?blob_key=%2fetc%2fpasswd", 404),
        ("/data/plugin/images/individualImage?blob_key=", 400),
        ("/data/plugin/audio/individualAudio?blob_key=..&content_type=audio%2fwav", 404),
        ("/data/plugin/histograms/histograms?run=%2e%2e%2f%2e%2e&tag=weights", 404),
        ("/api/v1/scalars?run=..%2f..%2fetc%2fpasswd&tag=loss", 404),
        ("/api/v1/scalars?run=train%00&tag=loss", 404),
    ],
)
def test_traversal_in_a_name_is_an_unknown_name(target: str, expected: int, provider: ReadProvider):
    """Where a route looks a name up, a path-like name is simply not found (or malformed): the
    exact status the API documents for unknown runs, tags and keys."""
    answer = anyio.run(asgi_request, make_app(provider), "GET", target)
    assert (answer.status, answer.leaks()) == (expected, []), answer.body[:200]


def test_a_blob_key_beyond_sqlite_integers_is_not_found(provider: ReadProvider):
    """A well-formed key whose id does not fit SQLite's INTEGER is a 404 like any unknown key."""
    app = make_app(provider)
    for route in ("/data/plugin/images/individualImage", "/data/plugin/audio/individualAudio"):
        target = f"{route}?{_query({'blob_key': HUGE_BLOB_KEY, 'content_type': 'audio/wav'})}"
        answer = anyio.run(asgi_request, app, "GET", target)
        assert answer.status == 404, answer.body[:200]


@pytest.mark.parametrize("path", RAW_PATHS)
def test_paths_outside_every_route_serve_nothing(path: str, provider: ReadProvider):
    """Static-file style traversal: no file is served for it; at most the index page (a web UI
    may answer unknown paths with its single page)."""
    app = make_app(provider)
    index = anyio.run(asgi_request, app, "GET", "/")
    answer = anyio.run(asgi_request, app, "GET", path)
    assert answer.leaks() == []
    assert answer.status in (400, 404) or (answer.status, answer.body) == (200, index.body), (
        answer.status,
        answer.body[:200],
    )


def test_static_assets_are_plain_files_inside_the_ui_folder(world: World, tmp_path: Path):
    """The one route that does open files by a URL path (``/assets/...``): only plain files
    inside the UI's assets folder; symlinks in it that point out are refused, unlike the logdir
    (the UI folder is Heron's, not the user's)."""
    web = tmp_path / "_web"
    assets = web / "assets"
    assets.mkdir(parents=True)
    (web / "index.html").write_text("<title>Heron</title>")
    (assets / "app.js").write_text("console.log('heron')")
    (assets / "link.js").symlink_to(world.outside / "secret.txt")
    (assets / "out").symlink_to(world.outside, target_is_directory=True)
    app = Starlette(
        routes=static_routes(ServerConfig(logdir="logs"), fallback_text="", web_dir=web),
        exception_handlers={NotFoundError: error_response, InvalidArgumentError: error_response},
    )
    assert anyio.run(asgi_request, app, "GET", "/assets/app.js").status == 200
    up = "..%2f" * len(assets.parts)
    for target in [
        "/assets/link.js",
        "/assets/out/secret.txt",
        "/assets/../../outside/secret.txt",
        "/assets/..%2f..%2f..%2foutside%2fsecret.txt",
        f"/assets/{up}{quote(str(world.outside / 'secret.txt').lstrip('/'), safe='')}",
        f"/assets/{quote(str(world.outside / 'secret.txt'), safe='')}",
        "/assets/.%2fapp.js",
        "/assets/app.js%00.png",
        "/assets/..%5capp.js",
    ]:
        answer = anyio.run(asgi_request, app, "GET", target)
        assert (answer.status, answer.leaks()) == (404, []), (target, answer.body[:200])


def test_an_asset_name_longer_than_the_filesystem_allows_is_not_found(tmp_path: Path):
    """A path component over NAME_MAX is a file that cannot exist: a 404, not a 500."""
    (tmp_path / "assets").mkdir()
    app = Starlette(
        routes=static_routes(ServerConfig(logdir="logs"), fallback_text="", web_dir=tmp_path),
        exception_handlers={NotFoundError: error_response},
    )
    answer = anyio.run(asgi_request, app, "GET", "/assets/" + "a" * 300)
    assert answer.status == 404, answer.error


# --- the real command, raw bytes on a socket ------------------------------------------------


def raw_http(port: int, target: bytes, *, method: bytes = b"GET") -> Answer:
    """One request with ``target`` sent exactly as given (``http.client`` refuses NUL bytes and
    spaces in a URL; a browser would normalise ``..``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Length: 0\r\nConnection: close\r\n\r\n"
        )
        response = http.client.HTTPResponse(sock)
        try:
            response.begin()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            # The server dropped a request it could not parse: nothing was served.
            return Answer(0, b"", "")
        content_type = response.getheader("Content-Type", "") or ""
        if content_type.startswith("text/event-stream"):
            return Answer(response.status, b"", content_type)
        return Answer(response.status, response.read(), content_type)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``heron serve`` on a free port over its own copy of the world; stopped with SIGINT."""
    world = build_world(tmp_path_factory.mktemp("path_safety_served"))
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "heron", "serve", "--logdir", str(world.logdir)),
            *("--host", "127.0.0.1", "--port", str(port), "--db", str(world.db)),
            *("--reload_interval", "0"),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while set(_poll(f"http://127.0.0.1:{port}/data/runs")) != {"train", "linked", "filelink"}:
            assert time.monotonic() < deadline, "the logdir was never indexed"
            time.sleep(0.1)
        yield port
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_real_server_serves_nothing_outside_for_raw_requests(served: int):
    """Raw bytes through uvicorn's parser: encoded traversal in the query of every route, literal
    NUL bytes, backslashes and unnormalised ``..`` in the path, overlong request lines."""
    targets = [f"{fill(route)}?{query}".encode() for route in ROUTES for query in RAW_QUERIES]
    targets += [path.encode() for path in RAW_PATHS]
    targets += [
        b"/data/plugin/scalars/scalars?run=train\x00/../../etc/passwd&tag=loss",
        b"/data/plugin/scalars/scalars?run=..\\..\\etc\\passwd&tag=loss",
        b"/data/../../../etc/passwd",
        b"/..\\..\\..\\etc\\passwd",
        b"/data/plugin/images/individualImage?blob_key=" + b"A" * 60_000,
    ]
    problems = []
    for target in targets:
        answer = raw_http(served, target)
        shown = target[:160]
        if answer.leaks():
            problems.append(f"{shown!r}: {answer.status} leaks {answer.leaks()}")
        # 0: the connection was dropped unanswered; 405: a GET to a POST-only route.
        if answer.status >= 500 or answer.status not in (0, 200, 400, 404, 405, 414, 431):
            problems.append(f"{shown!r}: status {answer.status}: {answer.body[:200]!r}")
    assert not problems, "\n".join(problems)
