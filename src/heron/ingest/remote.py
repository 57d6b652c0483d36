"""Logdirs on object stores and other remote filesystems (``s3://``, ``gs://``, ...), via fsspec.

Discovery on an object store cannot walk directories cheaply: every "directory
listing" is an API call. ``RemoteDiscoverer`` instead lists each root once per
pass with a recursive ``find`` (for S3, ``ListObjectsV2`` pages of 1,000 keys:
a logdir of 10,000 event files costs 10 calls) and groups the keys by their
parent "directory", with TensorBoard's rule: a directory directly holding an
event file is a run.

Objects have no inode: an object's identity is its ETag (or, failing that, its
modification time), so a re-uploaded file is a "different file under the same
name" and the tailer's usual check applies — if the last record read is
still there byte for byte the object only grew, and reading resumes at the
offset; otherwise the run is read again. Reads are ranged requests through
fsspec's buffered files. Projector assets are read from local logdirs only.

fsspec (and the filesystem's own package, e.g. s3fs) is imported only when a
remote logdir is used: ``pip install 'heron[s3]'``.
"""

from __future__ import annotations

import posixpath
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO, Final

from heron.errors import InvalidArgumentError
from heron.formats.events import is_event_file, is_summary_event_file
from heron.ingest.discovery import (
    ConfigFiles,
    DiscoveryStats,
    EventFile,
    LogdirRoot,
    ProfileFiles,
    RunListing,
)

__all__ = ["RemoteDiscoverer", "is_remote", "open_remote"]

_URL: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
#: Bytes fetched per ranged read: large enough that a pass over a grown file is a few requests.
_BLOCK_SIZE: Final = 8 << 20


def is_remote(path: str) -> bool:
    """Whether ``path`` is a URL of a non-local filesystem (``file://`` counts as local)."""
    match = _URL.match(path)
    return match is not None and match.group(1).lower() != "file"


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:
        raise InvalidArgumentError(
            f"{url} is a remote logdir: install fsspec and its filesystem package "
            "(for S3: pip install 'heron[s3]')"
        ) from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as error:
        raise InvalidArgumentError(f"cannot open {url}: {error}") from None
    return fs, str(path)


def open_remote(url: str) -> BinaryIO:
    """A seekable binary stream over ``url`` with ``readinto`` and ``size`` (fsspec's file)."""
    fs, path = _filesystem(url)
    stream: BinaryIO = fs.open(path, "rb", block_size=_BLOCK_SIZE, cache_type="readahead")
    return stream


def _identity(info: Mapping[str, Any]) -> int:
    """A 32-bit stand-in for an inode: what changes when the object is replaced."""
    tag = info.get("ETag") or info.get("etag") or info.get("md5Hash") or info.get("mtime")
    if tag is None:
        tag = info.get("LastModified") or info.get("last_modified") or ""
    return zlib.crc32(str(tag).encode())


class RemoteDiscoverer:
    """``Discoverer``'s counterpart for URLs: one recursive listing per root per pass."""

    def __init__(self, roots: Sequence[LogdirRoot]) -> None:
        self._roots = list(roots)
        self.stats = DiscoveryStats()
        #: Projector configs are read from local logdirs only.
        self.projector_configs: dict[str, ConfigFiles] = {}
        #: So are profiler captures.
        self.profile_files: dict[str, ProfileFiles] = {}

    def scan(self) -> dict[str, RunListing]:
        """Runs by name, sorted by name. A run present in two roots keeps the first."""
        self.stats = DiscoveryStats()
        runs: dict[str, RunListing] = {}
        for root in self._roots:
            for name, listing in self._scan_root(root).items():
                runs.setdefault(name, listing)
        return dict(sorted(runs.items()))

    def _scan_root(self, root: LogdirRoot) -> dict[str, RunListing]:
        fs, base = _filesystem(root.path)
        base = base.rstrip("/")
        # fsspec caches listings (and the ETags its reads send as If-Match): each pass must see
        # the objects as they are now, in every "directory" below the root.
        fs.invalidate_cache()
        try:
            found: dict[str, dict[str, Any]] = fs.find(base, detail=True)
        except FileNotFoundError:
            return {}
        self.stats.directories_listed += 1
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        by_directory: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for path, info in found.items():
            if info.get("type", "file") != "file":
                continue
            directory, name = posixpath.split(path.rstrip("/"))
            if is_event_file(name):
                by_directory.setdefault(directory, []).append((name, info))
        runs: dict[str, RunListing] = {}
        for directory, entries in sorted(by_directory.items()):
            relative = posixpath.relpath(directory, base) if directory != base else "."
            if relative.startswith(".."):
                continue
            name = relative if root.name is None else posixpath.join(root.name, relative)
            files = []
            for file_name, info in sorted(entries):
                if not is_summary_event_file(file_name):
                    continue
                self.stats.files_checked += 1
                url = f"{protocol}://{directory}/{file_name}"
                files.append(EventFile(url, int(info.get("size") or 0), 0, _identity(info)))
            runs[name] = RunListing(name, f"{protocol}://{directory}", tuple(files))
        return runs
