"""LiveFeed: ingest notifications become "these series changed" events, coalesced, per client."""

from __future__ import annotations

import asyncio
import shutil

import heron
from heron import SummaryWriter
from heron.server.live import CLIENT_BACKLOG, LiveFeed, LiveMessage, format_event


def _write(root, run, tag, steps):
    with SummaryWriter(root / run) as writer:
        for step in steps:
            writer.add_scalar(tag, float(step), step)


async def _next(stream, timeout=5.0):
    return await asyncio.wait_for(anext(stream), timeout)


def test_only_series_changed_after_subscribing_are_named(tmp_path):
    root = tmp_path / "logs"
    _write(root, "a", "loss", range(3))
    _write(root, "b", "loss", range(3))
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        feed = LiveFeed(experiment.provider, coalesce_seconds=0.01)
        feed.notify(["a", "b"])  # before anyone listens: part of the baseline

        async def scenario():
            stream = feed.subscribe()
            assert await _next(stream) == LiveMessage("hello")
            _write(root, "a", "acc", range(2))
            experiment.refresh()
            feed.notify(["a", "b"])
            message = await _next(stream)
            await stream.aclose()
            return message

        message = asyncio.run(scenario())
    assert message == LiveMessage("data", {"series": {"a": ["acc"]}, "runs_changed": False})


def test_new_and_removed_runs_say_the_run_list_changed(tmp_path):
    root = tmp_path / "logs"
    _write(root, "a", "loss", range(3))
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        feed = LiveFeed(experiment.provider, coalesce_seconds=0.01)

        async def scenario():
            stream = feed.subscribe()
            await _next(stream)
            _write(root, "new", "loss", range(2))
            experiment.refresh()
            feed.notify(["new"])
            added = await _next(stream)
            shutil.rmtree(root / "a")
            experiment.refresh()
            feed.notify(["a"])
            removed = await _next(stream)
            await stream.aclose()
            return added, removed

        added, removed = asyncio.run(scenario())
    assert added.data == {"series": {"new": ["loss"]}, "runs_changed": True}
    assert removed.data == {"series": {}, "runs_changed": True}


def test_a_burst_of_commits_is_one_event_and_a_stalled_client_is_told_to_resync(tmp_path):
    root = tmp_path / "logs"
    _write(root, "a", "loss", range(3))
    with heron.open(root, db=tmp_path / "index.sqlite") as experiment:
        feed = LiveFeed(experiment.provider, coalesce_seconds=0.05)

        async def scenario():
            fast, slow = feed.subscribe(), feed.subscribe()
            await _next(fast)
            await _next(slow)
            for step in range(CLIENT_BACKLOG + 5):
                _write(root, "a", f"t{step:03d}", [step])
                experiment.refresh()
                feed.notify(["a"])
                # Wait for that one event, so each write is its own burst.
                message = await _next(fast)
                assert message.data["series"] == {"a": [f"t{step:03d}"]}
            return await _next(slow)

        assert asyncio.run(scenario()).event == "resync"


def test_close_ends_every_stream():
    class Empty:
        def list_runs(self):
            return []

        def list_series(self, **filters):
            return []

    feed = LiveFeed(Empty())  # type: ignore[arg-type]

    async def scenario():
        stream = feed.subscribe()
        await _next(stream)
        feed.close()
        return [message async for message in stream]

    assert asyncio.run(scenario()) == []


def test_events_are_framed_as_server_sent_events():
    frame = format_event(LiveMessage("data", {"series": {"r": ["t"]}, "runs_changed": False}))
    assert frame == b'event: data\ndata: {"series":{"r":["t"]},"runs_changed":false}\n\n'
