"""uvicorn's server, taught to end Heron's open event streams when shutdown starts.

uvicorn's graceful shutdown waits for in-flight responses; a live event stream
never finishes by itself, so without this Ctrl-C would wait for the graceful
timeout and then cancel the streams mid-response. Imported lazily by
``heron serve`` so that other commands do not load uvicorn.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FrameType

import uvicorn

__all__ = ["StreamingServer"]


class StreamingServer(uvicorn.Server):
    """Calls ``on_exit`` (e.g. ``LiveFeed.close``) before uvicorn begins to shut down."""

    def __init__(self, config: uvicorn.Config, *, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)
