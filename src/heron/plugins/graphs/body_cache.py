"""Encoded ``graph_json`` answers, kept per exact stored bytes so they are never stale.

Building the JSON of a 20,000-node graph (decode, one dict per node, encode)
takes a few hundred milliseconds for ~6 MB of output, and the dashboard asks
for the same graph every time the tab or the page opens. A graph is one blob
that only changes when a new step (or a rewritten file) is indexed, so the
encoded body is kept under a digest of the very bytes it was built from: a
rewritten or newer graph has other bytes, hence another key, and is built
afresh — no generation counter or index hook has to be right for that.
Reading the blob and hashing it costs a few milliseconds; bodies are evicted
least recently used first beyond ``max_bytes``.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

__all__ = ["BodyCache", "digest"]


def digest(parts: Sequence[bytes | None]) -> bytes:
    """A 128-bit digest of ``parts``; lengths are hashed too, so no two splits collide."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        if part is None:
            hasher.update(b"\xff" * 8)
            continue
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.digest()


class BodyCache:
    """Encoded bodies by key, least recently used first out, at most ``max_bytes`` in total."""

    def __init__(self, max_bytes: int = 256 << 20) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """The body under ``key``, built by ``build()`` (outside the lock) when absent."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        body = build()
        if len(body) > self._max_bytes:
            return body
        with self._lock:
            if key not in self._entries:
                self._entries[key] = body
                self._size += len(body)
            while self._size > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)
        return body

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes held."""
        with self._lock:
            return self._size
