"""Answers computed from a prepared trace, kept while the trace is: one computation per view.

The overview, op / kernel statistics and memory views are pure functions of a ``TraceModel``,
and cost about a second per 200,000 spans in Python. Users switch between the views and back,
and the overview needs the op statistics too, so each answer is computed once per model and
kept for the last few models (holding the model itself, so its ``id`` cannot be reused while
its entry lives).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from heron.plugins.profile.model import TraceModel

__all__ = ["Memo"]


class Memo:
    """``get(model, name, compute)``: ``compute()`` once per (model, name), for the last models."""

    def __init__(self, models: int = 2) -> None:
        self._models = models
        self._items: OrderedDict[int, tuple[TraceModel, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, model: TraceModel, name: str, compute: Callable[[], Any]) -> Any:
        with self._lock:
            entry = self._items.get(id(model))
            if entry is not None and entry[0] is model:
                self._items.move_to_end(id(model))
                if name in entry[1]:
                    return entry[1][name]
        value = compute()
        with self._lock:
            entry = self._items.get(id(model))
            if entry is None or entry[0] is not model:
                entry = self._items[id(model)] = (model, {})
            entry[1][name] = value
            while len(self._items) > self._models:
                self._items.popitem(last=False)
        return value
