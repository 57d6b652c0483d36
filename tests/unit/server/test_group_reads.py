"""Grouped scalars read every point, in batches that keep memory bounded."""

from __future__ import annotations

from heron.server import api_compare


def test_long_series_are_read_in_smaller_batches(monkeypatch):
    monkeypatch.setattr(api_compare, "_READ_POINTS", 100)
    monkeypatch.setattr(api_compare, "_READ_SERIES", 3)
    runs = ["a", "b", "c", "d", "e", "f"]
    counts = [10, 10, 10, 10, 150, 60]
    # Three series at most per read; a series longer than the budget is read alone.
    assert api_compare._batches(runs, counts) == [["a", "b", "c"], ["d"], ["e"], ["f"]]
    assert api_compare._batches([], []) == []
