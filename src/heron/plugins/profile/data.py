"""Plain functions over ``ReadProvider`` behind the profile routes (no HTTP, no paths).

A request names a run, a session and optionally a host; the file is looked up
among the run's indexed assets (``sessions.find_host``), read with
``read_asset``, decoded and prepared once (``TraceCache``), then analysed.
Times in answers are µs from the trace's earliest event.
"""

from __future__ import annotations

from typing import Any

from heron.core.provider import ReadProvider
from heron.errors import NotFoundError
from heron.formats.trace_events import TraceFormatError, decode_trace
from heron.formats.xplane import decode_xspace
from heron.plugins.profile.analysis import (
    op_stats,
    recommendations,
    step_breakdown,
    summary_percent,
)
from heron.plugins.profile.memory import memory_series
from heron.plugins.profile.model import TraceCache, TraceModel, prepare
from heron.plugins.profile.sessions import PLUGIN_NAME, find_host, list_sessions
from heron.plugins.profile.timeline import window

__all__ = ["load", "memory", "ops", "overview", "runs", "trace_window"]

#: How many ops the overview lists.
TOP_OPS = 10


def runs(provider: ReadProvider) -> list[dict[str, Any]]:
    """Runs with profiler sessions: ``[{"run", "sessions": [{"session", "hosts"}]}]``."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for session in list_sessions(provider):
        grouped.setdefault(session.run, []).append(
            {
                "session": session.name,
                "hosts": [
                    {"host": f.host, "format": f.format, "readable": f.readable, "size": f.size}
                    for f in session.hosts
                ],
            }
        )
    return [{"run": run, "sessions": sessions} for run, sessions in grouped.items()]


def load(
    provider: ReadProvider,
    cache: TraceCache,
    run: str,
    session: str,
    host: str | None,
    *,
    format: str | None = None,
) -> TraceModel:
    """The prepared trace of (run, session, host), decoded at most once per file version."""
    file = find_host(provider, run, session, host, format=format)

    def read() -> TraceModel:
        data = provider.read_asset(PLUGIN_NAME, run, file.asset)
        try:
            decode = decode_xspace if file.format == "xplane" else decode_trace
            return prepare(decode(data))
        except TraceFormatError as error:
            raise NotFoundError(
                f"the trace {file.asset!r} of run {run!r} is unreadable: {error}"
            ) from None

    return cache.get((run, file.asset, file.size), read)


def _op_row(op: Any, total_self: float) -> dict[str, Any]:
    return {
        "name": op.name,
        "category": op.category,
        "device": "device" if op.device else "host",
        "calls": op.calls,
        "self_us": op.self_time,
        "total_us": op.total_time,
        "self_percent": 100.0 * op.self_time / total_self if total_self > 0 else 0.0,
    }


def ops(model: TraceModel) -> dict[str, Any]:
    """Every op with calls, self / total time (µs) and its share of all ops' self time."""
    stats = op_stats(model)
    total_self = sum(op.self_time for op in stats)
    return {"ops": [_op_row(op, total_self) for op in stats], "total_self_us": total_self}


def _environment(model: TraceModel) -> dict[str, Any]:
    meta = model.trace.metadata
    return {
        "host_name": meta.get("host_name"),
        "devices": meta.get("deviceProperties") or [],
        "distributed": meta.get("distributedInfo"),
        "schema_version": meta.get("schemaVersion"),
        "record_shapes": bool(meta.get("record_shapes")),
        "profile_memory": bool(meta.get("profile_memory")),
        "processes": sorted({t.process for t in model.tracks}),
        "threads": len(model.tracks),
        "spans": len(model.trace.spans),
        "duration_us": model.extent,
        "skipped_events": model.trace.skipped,
    }


def overview(model: TraceModel) -> dict[str, Any]:
    """Steps with their breakdown, the breakdown summed, top ops, recommendations, environment."""
    steps = step_breakdown(model)
    all_ops = ops(model)
    has_device = any(row["device"] == "device" for row in all_ops["ops"])
    return {
        "steps": [
            {
                "step": s.step,
                "name": s.name,
                "start_us": s.start,
                "duration_us": s.duration,
                "parts_us": s.parts,
            }
            for s in steps
        ],
        "breakdown": summary_percent(steps),
        "average_step_us": sum(s.duration for s in steps) / len(steps) if steps else None,
        "top_ops": all_ops["ops"][:TOP_OPS],
        "recommendations": recommendations(steps, has_device=has_device),
        "environment": _environment(model),
    }


def memory(model: TraceModel) -> dict[str, Any]:
    """Memory per device over time, with its peak."""
    return {"devices": memory_series(model)}


def trace_window(
    model: TraceModel, *, start: float | None, end: float | None, width: int
) -> dict[str, Any]:
    """The trace viewer's window (see ``heron.plugins.profile.timeline``)."""
    return window(model, start=start, end=end, width=width)
