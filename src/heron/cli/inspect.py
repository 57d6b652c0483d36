"""``heron inspect``: a digest of what Heron reads from a logdir, like ``tensorboard --inspect``.

It reads every event file from the start, so it doubles as a health check:
corrupt records and truncated tails are listed per file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from heron.errors import FramingError
from heron.formats.compat import RunNormalizer
from heron.formats.events import EventReader, is_event_file, is_summary_event_file
from heron.formats.proto.summary_pb2 import DataClass, Summary
from heron.formats.tensors import scalar_value


@dataclass(slots=True)
class TagDigest:
    plugin: str
    data_class: str
    points: int = 0
    first_step: int = 0
    last_step: int = 0
    last_value: float | None = None
    min_value: float = math.inf
    max_value: float = -math.inf


@dataclass(slots=True)
class FileDigest:
    name: str
    size: int
    records: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RunDigest:
    name: str
    files: list[FileDigest] = field(default_factory=list)
    tags: dict[str, TagDigest] = field(default_factory=dict)


def discover_runs(logdir: Path) -> Iterator[tuple[str, Path]]:
    """Yield ``(run name, directory)`` for every directory directly holding event files.

    Follows symlinks but never enters the same directory twice, so symlink
    loops terminate. Run names are paths relative to ``logdir`` (``.`` for itself).
    """
    seen: set[str] = set()
    for directory, subdirs, files in os.walk(logdir, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:
            subdirs.clear()
            continue
        seen.add(real)
        subdirs.sort()
        if any(is_event_file(name) for name in files):
            yield os.path.relpath(directory, logdir), Path(directory)


def digest_run(name: str, directory: Path) -> RunDigest:
    run = RunDigest(name)
    normalizer = RunNormalizer()
    for path in sorted(p for p in directory.iterdir() if is_summary_event_file(p.name)):
        file = FileDigest(path.name, path.stat().st_size)
        run.files.append(file)
        reader = EventReader(path)
        try:
            for _, event in reader:
                file.records += 1
                normalizer.normalize(event)
                for value in event.summary.value:
                    _add_point(run, normalizer, value.tag, event.step, value)
        except FramingError as error:
            file.problems.append(f"unreadable after byte {error.offset}: {error.reason}")
        file.problems.extend(
            f"skipped record at byte {c.offset}: {c.reason}" for c in reader.corruptions
        )
        if reader.pending_bytes:
            file.problems.append(
                f"incomplete last record ({reader.pending_bytes} bytes; still being written?)"
            )
    return run


def _add_point(
    run: RunDigest, normalizer: RunNormalizer, tag: str, step: int, value: Summary.Value
) -> None:
    metadata = normalizer.metadata(tag)
    if metadata is None:
        return
    digest = run.tags.get(tag)
    if digest is None:
        digest = run.tags[tag] = TagDigest(
            plugin=metadata.plugin_data.plugin_name or "?",
            data_class=DataClass.Name(metadata.data_class).removeprefix("DATA_CLASS_").lower(),
            first_step=step,
        )
    digest.points += 1
    digest.last_step = step
    if metadata.data_class == DataClass.DATA_CLASS_SCALAR:
        number = scalar_value(value.tensor)
        digest.last_value = number
        digest.min_value = min(digest.min_value, number)
        digest.max_value = max(digest.max_value, number)


def format_digest(logdir: Path, runs: list[RunDigest]) -> str:
    files = [f for run in runs for f in run.files]
    lines = [
        f"{logdir}: {_count(len(runs), 'run')}, "
        f"{_count(sum(len(r.tags) for r in runs), 'series')}, "
        f"{_count(sum(f.records for f in files), 'event')} in {_count(len(files), 'file')} "
        f"({sum(f.size for f in files) / 1e6:.1f} MB)"
    ]
    for run in runs:
        lines.append("")
        lines.append(f"run {run.name}")
        for tag, digest in sorted(run.tags.items()):
            steps = (
                f"step {digest.first_step}"
                if digest.first_step == digest.last_step
                else f"steps {digest.first_step}..{digest.last_step}"
            )
            line = f"  {digest.plugin:<11} {tag:<28} {digest.points:>6} points  {steps}"
            if digest.last_value is not None:
                line += (
                    f"  last {digest.last_value:.4g}"
                    f"  min {digest.min_value:.4g}  max {digest.max_value:.4g}"
                )
            lines.append(line)
        for file in run.files:
            lines.extend(f"  ! {file.name}: {problem}" for problem in file.problems)
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    plural = noun if number == 1 or noun.endswith("s") else noun + "s"
    return f"{number:,} {plural}"


def inspect_logdir(logdir: Path) -> str:
    """The digest of every run under ``logdir``, as printed by ``heron inspect``."""
    runs = [digest_run(name, directory) for name, directory in discover_runs(logdir)]
    return format_digest(logdir, runs)
