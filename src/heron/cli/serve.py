"""``heron serve`` (and ``heron --logdir DIR``): compose store, ingester and app, run uvicorn.

The composition follows ``heron.open``: open the store for the experiment,
build an ``Ingester`` over the logdir roots. Unlike ``heron.open`` the first
pass runs in the background thread, so the server answers at once with what
is already indexed and fills in as ingest commits; on an index that already
holds data, the first requests' listings are built at start-up and the pass
starts a second later (``heron.cli.startup``). On SIGINT / SIGTERM uvicorn
finishes in-flight requests, then the ingester stops after committing the
batches in flight, so the index is consistent for the next start.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import socket
import sys
import threading
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from heron.errors import InvalidArgumentError

if TYPE_CHECKING:
    from heron.ingest import Ingester

__all__ = ["ServeOptions", "add_serve_arguments", "find_port", "serve"]

DEFAULT_PORT = 6006
#: How many ports after ``--port`` to try when it is taken.
PORT_ATTEMPTS = 10

#: TensorBoard's hint, printed when serving on loopback only.
_BIND_ALL_HINT = "Serving Heron on {host}; to expose to the network, use a proxy or pass --bind_all"


@dataclass(frozen=True, slots=True)
class ServeOptions:
    logdir: str | None
    logdir_spec: str | None
    host: str
    port: int
    reload_interval: float
    path_prefix: str
    window_title: str
    db: str | None
    open_browser: bool


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of ``heron serve``, named as TensorBoard's (reference §8.2)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--logdir", metavar="DIR", help="directory of runs to serve")
    source.add_argument(
        "--logdir_spec",
        metavar="SPEC",
        help="comma-separated name:path entries, as TensorBoard's --logdir_spec",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to serve on (default {DEFAULT_PORT}; if taken, the next free one is used)",
    )
    parser.add_argument(
        "--host", default=None, help="address to bind (default: localhost, this machine only)"
    )
    parser.add_argument(
        "--bind_all",
        action="store_true",
        help="serve on every network interface (IPv4 and IPv6), reachable from other machines",
    )
    parser.add_argument(
        "--reload_interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds between looks for new data (default 5; 0 = load once)",
    )
    parser.add_argument(
        "--path_prefix", default="", help="serve under this URL path, e.g. /heron (behind a proxy)"
    )
    parser.add_argument("--window_title", default="", help="title of the browser window")
    parser.add_argument(
        "--db", metavar="PATH|URI", help="the index (default: one per logdir in the cache dir)"
    )
    parser.add_argument(
        "--open", action="store_true", help="open the dashboard in a web browser once serving"
    )
    parser.add_argument(
        "--load_fast",
        default=None,
        metavar="MODE",
        help="accepted for TensorBoard compatibility; Heron always indexes incrementally",
    )
    parser.add_argument(
        "--samples_per_plugin",
        default=None,
        metavar="SPEC",
        help="accepted for TensorBoard compatibility; Heron keeps every point",
    )


def options_from(args: argparse.Namespace) -> ServeOptions:
    if args.logdir is None and args.logdir_spec is None:
        raise InvalidArgumentError("give --logdir DIR (or --logdir_spec SPEC)")
    if args.bind_all and args.host is not None:
        raise InvalidArgumentError("give at most one of --host and --bind_all")
    if args.reload_interval < 0:
        raise InvalidArgumentError("--reload_interval must be 0 or more")
    host = "::" if args.bind_all else (args.host or "localhost")
    return ServeOptions(
        logdir=args.logdir,
        logdir_spec=args.logdir_spec,
        host=host,
        port=args.port,
        reload_interval=args.reload_interval,
        path_prefix=args.path_prefix,
        window_title=args.window_title,
        db=args.db,
        open_browser=args.open,
    )


def compatibility_notes(args: argparse.Namespace) -> list[str]:
    """Why TensorBoard flags Heron accepts make no difference."""
    notes = []
    if args.load_fast is not None:
        notes.append("--load_fast: ignored; Heron indexes incrementally and reopens instantly.")
    if args.samples_per_plugin is not None:
        notes.append(
            "--samples_per_plugin: ignored; Heron keeps every point and downsamples "
            "only when a client asks (max_points)."
        )
    return notes


def find_port(host: str, first: int, attempts: int = PORT_ATTEMPTS) -> socket.socket:
    """A socket bound to the first free port from ``first`` (port 0: any free port)."""
    last_error: OSError | None = None
    for port in range(first, first + attempts) if first else [0]:
        for family, kind, proto, _, address in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        ):
            sock = socket.socket(family, kind, proto)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6 and host == "::":
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                sock.bind(address)
            except OSError as error:
                sock.close()
                last_error = error
                if error.errno != errno.EADDRINUSE:
                    break
                continue
            return sock
    raise OSError(f"no free port in {first}-{first + attempts - 1} on {host}: {last_error}")


def serve(args: argparse.Namespace, *, stderr: TextIO = sys.stderr) -> int:
    """Run the server until SIGINT / SIGTERM; returns the exit status."""
    from heron.cli.startup import FIRST_PASS_DELAY, DeferredIngest, warm_up
    from heron.core.values import Run
    from heron.ingest.discovery import parse_logdir_spec
    from heron.ingest.records import EventFileRecords
    from heron.ingest.roots import check_roots, logdir_root
    from heron.server import ServerConfig, create_app, normalize_path_prefix
    from heron.storage import Store, open_store, store_uri

    options = options_from(args)
    for note in compatibility_notes(args):
        print(f"heron: {note}", file=stderr)
    if options.logdir is not None:
        root = logdir_root(options.logdir)
        roots, experiment, described = [root], root.path, options.logdir
    else:
        assert options.logdir_spec is not None
        roots = parse_logdir_spec(options.logdir_spec)
        experiment = "spec:" + ",".join(f"{r.name or ''}:{r.path}" for r in roots)
        described = options.logdir_spec
    check_roots(roots)  # now, not when the ingester starts
    config = ServerConfig(
        logdir=described,
        window_title=options.window_title,
        path_prefix=normalize_path_prefix(options.path_prefix),
    )
    try:
        sock = find_port(options.host, options.port)
    except OSError:
        if not args.bind_all:
            raise
        sock = find_port("0.0.0.0", options.port)  # a host without IPv6
    # Listen now: a client that connects as soon as the banner is printed waits in the
    # backlog until uvicorn accepts, instead of being refused.
    sock.listen(2048)
    # uvicorn shuts down gracefully on SIGINT / SIGTERM, then re-raises the signal with
    # the handlers it found: make SIGTERM, like SIGINT, end in KeyboardInterrupt so that
    # the ingester is stopped and the store closed below, whenever the signal comes.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    store: Store | None = None
    warming: threading.Thread | None = None
    ingest: DeferredIngest | None = None
    try:
        store = open_store(
            store_uri(options.db, experiment), experiment=experiment, records=EventFileRecords()
        )
        reader = store.reader()
        indexed: list[Run] = []
        with _signals_deferred():
            warming = warm_up(reader, indexed)
        # The plugins' and uvicorn's imports overlap the warm-up (its queries release the GIL).
        import uvicorn

        from heron.cli.uvicorn_server import StreamingServer
        from heron.plugins import default_plugins
        from heron.server.live import LiveFeed

        live = LiveFeed(reader)
        app = create_app(config, reader, plugins=default_plugins(), live=live)
        warming.join()
        opened = store

        def make_ingester() -> Ingester:
            from heron.ingest import Ingester, IngestOptions

            return Ingester(
                opened,
                roots,
                options=IngestOptions(reload_interval=options.reload_interval, progress=None),
                on_data=live.notify,
            )

        # An index that holds data answers the first requests; a fresh one is read at once.
        ingest = DeferredIngest(make_ingester, delay=FIRST_PASS_DELAY if indexed else 0.0)
        port = sock.getsockname()[1]
        url = _url(options.host, port, config.path_prefix)
        if options.port and port != options.port:
            print(f"heron: port {options.port} is in use; using {port}", file=stderr)
        if not args.bind_all and options.host in ("localhost", "127.0.0.1", "::1"):
            print(_BIND_ALL_HINT.format(host=options.host), file=stderr)
        print(f"Heron serving {described} at {url} (press CTRL+C to quit)", file=stderr)
        with _signals_deferred():
            ingest.start()
        if options.open_browser:
            webbrowser.open(url)
        # Open event streams never finish by themselves: give them a moment, then close them.
        uvicorn_config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=2
        )
        server = StreamingServer(uvicorn_config, on_exit=live.close)
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # Ctrl-C before uvicorn took over the signals, or re-raised by it after shutdown.
    finally:
        if warming is not None:
            warming.join()  # before the store closes under it
        if ingest is not None:
            ingest.stop()
        if store is not None:
            store.close()
        sock.close()
        signal.signal(signal.SIGTERM, previous)
    print("heron: stopped; the index is saved.", file=stderr)
    return 0


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT / SIGTERM back while a thread starts (a Ctrl-C landing inside
    ``Thread.start`` leaves a thread that can be neither joined nor stopped); the
    new thread inherits the mask, so signals always reach the main thread."""
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _url(host: str, port: int, prefix: str) -> str:
    shown = socket.gethostname() if host in ("::", "0.0.0.0") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{prefix}/"
