"""The scalars plugin's ``/tags`` answer, kept encoded and updated run by run.

At 100,000 runs the answer lists 300,000 series (16 MB of JSON). Building it
from the series listing (a dict per series) and encoding it again took
0.2-0.6 s after every ingest commit, much of it the garbage collector walking
the new dicts. It is now kept per state of the index
(``heron.core.state_cache``) as one encoded fragment per run
(``"run":{...}``), sorted by run name as the index sorts them; after a commit
only the runs it changed are listed and encoded again (``updated``), and the
body is the fragments joined. Runs whose series all have the same display name
and description (the usual case) share one ``{"displayName", "description"}``
dict, so even a full build allocates about one dict per run, not per series.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from heron.core.provider import ReadProvider
from heron.core.values import DataClass, Series
from heron.server.encoding import dumps

__all__ = ["PLUGIN_NAME", "UPDATE_LIMIT", "RunTags", "TagListing", "build_listing", "updated"]

PLUGIN_NAME: Final = "scalars"
#: Past this many changed runs the answer is built again from the whole listing.
UPDATE_LIMIT: Final = 5_000

#: ``{tag: {"displayName": ..., "description": ...}}`` of one run.
RunTags = dict[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class TagListing:
    """The runs having scalars (sorted), their tags, and each run's encoded fragment.

    Shared between requests and states: never mutated (an update makes new lists).
    """

    runs: list[str]
    tags: list[RunTags]
    parts: list[bytes]
    #: The whole ``/tags`` answer: ``{`` + the parts joined by commas + ``}``.
    body: bytes


def build_listing(provider: ReadProvider) -> TagListing:
    """The answer of every run, from the provider's scalar series listing."""
    grouped = _grouped(provider.list_series(plugin_name=PLUGIN_NAME, data_class=DataClass.SCALAR))
    return _listing([run for run, _ in grouped], [tags for _, tags in grouped])


def updated(
    provider: ReadProvider, older: TagListing, changed: frozenset[str]
) -> TagListing | None:
    """``older`` with the runs in ``changed`` listed again (``None``: too many to be cheaper)."""
    if len(changed) > UPDATE_LIMIT:
        return None
    if not changed:
        return older
    series = provider.list_series(
        runs=changed, plugin_name=PLUGIN_NAME, data_class=DataClass.SCALAR
    )
    fresh = dict(_grouped(series))
    runs: list[str] = []
    tags: list[RunTags] = []
    parts: list[bytes] = []
    done = 0
    for name in sorted(changed):
        at = bisect_left(older.runs, name, lo=done)
        runs += older.runs[done:at]
        tags += older.tags[done:at]
        parts += older.parts[done:at]
        done = at + (at < len(older.runs) and older.runs[at] == name)
        if name in fresh:
            runs.append(name)
            tags.append(fresh[name])
            parts.append(_part(name, fresh[name]))
    runs += older.runs[done:]
    tags += older.tags[done:]
    parts += older.parts[done:]
    return TagListing(runs, tags, parts, _body(parts))


def _grouped(series: Iterable[Series]) -> list[tuple[str, RunTags]]:
    """Series (by run, then tag) grouped by run; equal tag infos share one dict."""
    found: list[tuple[str, RunTags]] = []
    infos: dict[tuple[str, str], dict[str, str]] = {}
    run: str | None = None
    current: RunTags = {}
    for entry in series:
        if entry.run != run:
            run, current = entry.run, {}
            found.append((run, current))
        key = (entry.display_name, entry.description)
        info = infos.get(key)
        if info is None:
            info = infos[key] = {"displayName": key[0], "description": key[1]}
        current[entry.tag] = info
    return found


def _listing(runs: list[str], tags: list[RunTags]) -> TagListing:
    parts = [_part(run, run_tags) for run, run_tags in zip(runs, tags, strict=True)]
    return TagListing(runs, tags, parts, _body(parts))


def _part(run: str, tags: RunTags) -> bytes:
    """``"run":{...}``, exactly as it appears in the encoding of the whole answer."""
    return dumps({run: tags})[1:-1]


def _body(parts: list[bytes]) -> bytes:
    # One join: the braces ride on the first and last parts (16 MB copied once, not thrice).
    if len(parts) < 2:
        return b"{" + b"".join(parts) + b"}"
    return b",".join([b"{" + parts[0], *parts[1:-1], parts[-1] + b"}"])
