"""Parsed traces kept per file *content*, within a memory bound.

The key is the file's content, not its name and size: a trace rewritten in place with the same
size (a profiler run again with the same schedule) must not be served from the old parse.
``ReadProvider`` hands out bytes, not file stats, so the identity is a BLAKE2b digest of the
bytes. Reading and hashing a 135 MB trace costs 0.3 s on a quiet machine (seconds on a busy
one), too much for every window of a zoom gesture, so a request for a (run, asset, size) whose
parse is cached is answered at once; when its digest was last checked more than
``revalidate_seconds`` ago, a background thread reads and hashes the file again, and a changed
digest drops the memo so that the next request parses the new content.

Entries are evicted least recently used first once their ``nbytes`` exceed ``max_bytes``
(the newest is always kept). One parse runs at a time, so two tabs opening the same large
trace parse it once instead of holding two half-built copies.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from heron.plugins.profile.columnar import ColumnarTrace

__all__ = ["ColumnarCache", "ContentCache"]

#: Default memory bound: a 1,000,000-span trace holds ~80 MB as columns.
MAX_BYTES = 1 << 30
T = TypeVar("T")


class ContentCache(Generic[T]):
    """``get(name, read, build)``: what ``build`` made of the bytes ``read()`` returns.

    ``size`` says how many bytes an entry holds (for the bound).
    """

    def __init__(
        self,
        size: Callable[[T], int],
        *,
        max_bytes: int = MAX_BYTES,
        revalidate_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        background: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self._max_bytes = max_bytes
        self._revalidate = revalidate_seconds
        self._clock = clock
        self._size = size
        self._items: OrderedDict[bytes, T] = OrderedDict()
        self._digests: dict[tuple[str, ...], tuple[bytes, float]] = {}
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._checking: set[tuple[str, ...]] = set()
        self._background = background or _thread

    def get(
        self,
        name: tuple[str, ...],
        read: Callable[[], bytes],
        build: Callable[[bytes], T],
    ) -> T:
        """``name`` says which file (run, asset, size...); ``read`` gives its bytes now."""
        now = self._clock()
        with self._lock:
            known = self._digests.get(name)
            stale = known is not None and now - known[1] >= self._revalidate
            if stale and name not in self._checking:
                self._checking.add(name)
            else:
                stale = False
        if stale:
            self._background(lambda: self._check(name, read))
        with self._lock:
            known = self._digests.get(name)
            found = None if known is None else self._items.get(known[0])
            if known is not None and found is not None:
                self._items.move_to_end(known[0])
                return found
        data = read()
        digest = hashlib.blake2b(data, digest_size=16).digest()
        with self._lock:
            self._digests[name] = (digest, now)
            found = self._items.get(digest)
            if found is not None:
                self._items.move_to_end(digest)
                return found
        with self._build_lock:
            with self._lock:
                found = self._items.get(digest)
            if found is None:
                found = build(data)
                del data
                with self._lock:
                    self._items[digest] = found
                    self._evict()
        return found

    def _check(self, name: tuple[str, ...], read: Callable[[], bytes]) -> None:
        """Hash the file again; forget its digest if the content changed (or cannot be read)."""
        try:
            digest: bytes | None = hashlib.blake2b(read(), digest_size=16).digest()
        except Exception:  # the next request reads it in the open and reports the error
            digest = None
        with self._lock:
            self._checking.discard(name)
            known = self._digests.get(name)
            if known is None:
                return
            if digest == known[0]:
                self._digests[name] = (digest, self._clock())
            else:
                del self._digests[name]

    def _evict(self) -> None:
        total = sum(self._size(t) for t in self._items.values())
        while len(self._items) > 1 and total > self._max_bytes:
            _, dropped = self._items.popitem(last=False)
            total -= self._size(dropped)
        live = set(self._items)
        self._digests = {k: v for k, v in self._digests.items() if v[0] in live}


class ColumnarCache(ContentCache[ColumnarTrace]):
    """The trace viewer's columnar traces, bounded by their ``nbytes``."""

    def __init__(
        self,
        *,
        max_bytes: int = MAX_BYTES,
        revalidate_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        background: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        super().__init__(
            lambda trace: trace.nbytes,
            max_bytes=max_bytes,
            revalidate_seconds=revalidate_seconds,
            clock=clock,
            background=background,
        )


def _thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="heron-trace-revalidate", daemon=True).start()
