"""A one-line progress bar for long ingests, on an interactive terminal only.

It appears only when the pass is still running after ``DELAY`` seconds (so
a reopen that reads nothing prints nothing), is redrawn at most ``RATE``
times a second, and is erased when the pass ends. Off a terminal it is
silent: logs and notebooks stay clean.
"""

from __future__ import annotations

import threading
import time
from typing import Final, TextIO

__all__ = ["Progress"]

DELAY: Final = 0.5
RATE: Final = 8.0


class Progress:
    """Counts bytes and points from any thread and draws ``files · MB · points/s · ETA``."""

    def __init__(
        self, stream: TextIO | None, *, total_bytes: int, total_files: int, delay: float = DELAY
    ) -> None:
        self._stream = stream
        self._delay = delay
        self._total_bytes = max(total_bytes, 1)
        self._total_files = total_files
        self._bytes = 0
        self._points = 0
        self._files = 0
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._width = 0
        self._lock = threading.Lock()

    @classmethod
    def for_terminal(
        cls,
        stream: TextIO,
        *,
        enabled: bool | None,
        total_bytes: int,
        total_files: int,
        delay: float = DELAY,
    ) -> Progress:
        """Draw on ``stream`` if ``enabled`` (``None``: if it is a terminal)."""
        if enabled is None:
            enabled = bool(getattr(stream, "isatty", lambda: False)())
        return cls(
            stream if enabled else None,
            total_bytes=total_bytes,
            total_files=total_files,
            delay=delay,
        )

    def add(self, *, bytes_read: int = 0, points: int = 0, files: int = 0) -> None:
        with self._lock:
            self._bytes += bytes_read
            self._points += points
            self._files += files
            if self._stream is None:
                return
            now = time.monotonic()
            if now - self._started < self._delay or now - self._drawn_at < 1 / RATE:
                return
            self._drawn_at = now
            self._draw(now)

    def close(self) -> None:
        with self._lock:
            if self._stream is not None and self._width:
                self._stream.write("\r" + " " * self._width + "\r")
                self._stream.flush()
            self._width = 0

    def _draw(self, now: float) -> None:
        assert self._stream is not None
        elapsed = max(now - self._started, 1e-9)
        rate = self._bytes / elapsed
        remaining = max(self._total_bytes - self._bytes, 0)
        eta = f"{remaining / rate:.0f}s" if rate > 0 else "?"
        line = (
            f"heron: indexing {self._files}/{self._total_files} files · "
            f"{self._bytes / 1e6:,.1f}/{self._total_bytes / 1e6:,.1f} MB · "
            f"{self._points / elapsed:,.0f} points/s · ETA {eta}"
        )
        padding = " " * max(self._width - len(line), 0)
        self._width = len(line)
        self._stream.write("\r" + line + padding)
        self._stream.flush()
