"""The ``heron`` command: the composition root; nothing imports it.

Subcommands:

* ``heron serve --logdir DIR`` (or just ``heron --logdir DIR``) serves the
  dashboard's HTTP API for a logdir, indexing it in the background;
* ``heron demo [--logdir DIR]`` writes a demo logdir and serves it;
* ``heron inspect --logdir DIR`` prints a digest of a logdir (runs, series,
  steps, last values, and any damaged or incomplete event files);
* ``heron export --logdir DIR --format csv|json|jsonl|parquet OUT`` writes every
  scalar point of a logdir to one file, through the persistent index.

The web UI is not built yet: ``heron serve`` answers the TensorBoard-compatible
``/data`` routes and Heron's ``/api/v1`` (docs/http-api.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from heron._version import __version__

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heron",
        description="Heron: watch machine-learning training. Reads and writes TensorBoard logdirs.",
    )
    parser.add_argument("--version", action="version", version=f"heron {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from heron.cli.serve import add_serve_arguments

    serve = commands.add_parser(
        "serve",
        help="serve a logdir over HTTP (the default: `heron --logdir DIR` means this)",
        description="Index LOGDIR in the background (only new bytes, if it was indexed before) "
        "and serve it: TensorBoard-compatible /data routes and Heron's /api/v1. New data is "
        "picked up every --reload_interval seconds. Stop with Ctrl-C.",
    )
    add_serve_arguments(serve)

    demo = commands.add_parser(
        "demo",
        help="write a demo logdir (a small sweep of training runs) and serve it",
        description="Train a small numpy network on synthetic data, once per point of a "
        "learning-rate x width sweep, logging scalars, histograms, images, audio, text, "
        "PR curves, an embedding and hparams to TensorBoard event files; then serve them "
        "as `heron --logdir` would (or, with --no-serve, print Heron's digest of them).",
    )
    demo.add_argument(
        "--logdir",
        type=Path,
        default=Path("demo_logs"),
        help="where to write the demo runs (default: ./demo_logs; existing runs are replaced)",
    )
    demo.add_argument(
        "--port", type=int, default=6006, help="port to serve on (default 6006, or the next free)"
    )
    demo.add_argument(
        "--open", action="store_true", help="open the dashboard in a web browser once serving"
    )
    demo.add_argument(
        "--no-serve",
        action="store_true",
        help="only write the runs and print what Heron reads from them",
    )

    inspect = commands.add_parser(
        "inspect",
        help="print a digest of a logdir: runs, series, steps, values, damaged files",
        description="Read every event file under LOGDIR and print, per run, each series "
        "with its plugin, point count, step range and (for scalars) last / min / max "
        "value, followed by any corrupt records or incomplete files found.",
    )
    inspect.add_argument("--logdir", type=Path, required=True, help="directory to read")

    export = commands.add_parser(
        "export",
        help="write every scalar point of a logdir to CSV, JSON, JSON Lines or Parquet",
        description="Index LOGDIR (only new bytes, if it was indexed before) and write every "
        "scalar point of every run, restarts resolved, as rows run, tag, step, wall_time, "
        "value to OUT ('-' for standard output).",
    )
    source = export.add_mutually_exclusive_group(required=True)
    source.add_argument("--logdir", type=Path, help="directory to export")
    source.add_argument(
        "--logdir_spec",
        metavar="SPEC",
        help="comma-separated name:path entries, as TensorBoard's --logdir_spec",
    )
    from heron.cli.export import FORMATS

    export.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from OUT's extension, else csv)",
    )
    export.add_argument(
        "--db", metavar="PATH", help="the index to use (default: one per logdir in the cache dir)"
    )
    export.add_argument("output", metavar="OUT", help="file to write, or - for standard output")
    return parser


#: Arguments that belong to ``heron`` itself, not to the default ``serve`` command.
_TOP_LEVEL_FLAGS = frozenset({"-h", "--help", "--version"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0].startswith("-") and args[0] not in _TOP_LEVEL_FLAGS:
        # `heron --logdir DIR` is `heron serve --logdir DIR`, as with `tensorboard --logdir`.
        args.insert(0, "serve")
    options = parser.parse_args(args)
    if options.command == "serve":
        return _serve(options)
    if options.command == "demo":
        return _demo(options, parser)
    if options.command == "inspect":
        return _inspect(options.logdir)
    if options.command == "export":
        return _export(options)
    parser.print_help()
    return 2


def _serve(options: argparse.Namespace) -> int:
    from heron.cli.serve import serve
    from heron.errors import HeronError

    try:
        return serve(options)
    except (HeronError, OSError) as error:
        print(f"heron: error: {error}", file=sys.stderr)
        return 2


def _demo(options: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import shutil

    from heron.cli.demo import SWEEP, write_demo_logdir
    from heron.cli.inspect import inspect_logdir

    logdir: Path = options.logdir
    for trial in SWEEP:
        shutil.rmtree(logdir / trial.run_name, ignore_errors=True)
    runs = write_demo_logdir(logdir)
    print(f"Wrote {len(runs)} demo runs to {logdir}/")
    if options.no_serve:
        print()
        print(inspect_logdir(logdir))
        print(f"\nLook again any time with: heron inspect --logdir {logdir}")
        return 0
    serve_args = ["serve", "--logdir", str(logdir), "--port", str(options.port)]
    return _serve(parser.parse_args(serve_args + (["--open"] if options.open else [])))


def _inspect(logdir: Path) -> int:
    from heron.cli.inspect import inspect_logdir

    if not logdir.is_dir():
        print(
            f"heron: error: logdir {logdir} does not exist or is not a directory", file=sys.stderr
        )
        return 2
    print(inspect_logdir(logdir))
    return 0


def _export(options: argparse.Namespace) -> int:
    from heron.cli.export import export_scalars, format_for
    from heron.errors import HeronError
    from heron.experiment import open_experiment

    fmt = options.format or format_for(options.output)
    try:
        with open_experiment(
            options.logdir, logdir_spec=options.logdir_spec, db=options.db
        ) as experiment:
            rows = export_scalars(experiment, options.output, fmt)
    except (HeronError, ImportError, OSError) as error:
        print(f"heron: error: {error}", file=sys.stderr)
        return 2
    if options.output != "-":
        print(f"Wrote {rows:,} scalar points to {options.output}", file=sys.stderr)
    return 0
