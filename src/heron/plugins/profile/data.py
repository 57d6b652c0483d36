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
    OpStat,
    StepBreakdown,
    is_input,
    op_stats,
    op_type_shares,
    recommendations,
    step_breakdown,
    summary_percent,
)
from heron.plugins.profile.input_pipeline import input_pipeline
from heron.plugins.profile.kernels import kernel_stats
from heron.plugins.profile.memo import Memo
from heron.plugins.profile.memory import memory_series
from heron.plugins.profile.model import TraceCache, TraceModel, prepare
from heron.plugins.profile.sessions import PLUGIN_NAME, find_host, list_sessions

__all__ = ["load", "memory", "ops", "overview", "runs"]

#: How many ops the overview lists.
TOP_OPS = 10
#: The analyses of the last prepared traces (the trace viewer's windows are not kept).
_MEMO = Memo()


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

    def build(data: bytes) -> TraceModel:
        try:
            decode = decode_xspace if file.format == "xplane" else decode_trace
            return prepare(decode(data))
        except TraceFormatError as error:
            raise NotFoundError(
                f"the trace {file.asset!r} of run {run!r} is unreadable: {error}"
            ) from None

    return cache.get(
        (run, file.asset, str(file.size)),
        lambda: provider.read_asset(PLUGIN_NAME, run, file.asset),
        build,
    )


def _op_row(op: OpStat, total_self: float, step_total: float) -> dict[str, Any]:
    return {
        "name": op.name,
        "category": op.category,
        "device": "device" if op.device else "host",
        "calls": op.calls,
        "self_us": op.self_time,
        "total_us": op.total_time,
        "self_percent": 100.0 * op.self_time / total_self if total_self > 0 else 0.0,
        "step_percent": 100.0 * op.step_self_time / step_total if step_total > 0 else None,
    }


def _steps(model: TraceModel) -> list[StepBreakdown]:
    result: list[StepBreakdown] = _MEMO.get(model, "steps", lambda: step_breakdown(model))
    return result


def ops(model: TraceModel) -> dict[str, Any]:
    """``_ops``, computed once per prepared trace."""
    result: dict[str, Any] = _MEMO.get(model, "ops", lambda: _ops(model))
    return result


def _ops(model: TraceModel) -> dict[str, Any]:
    """Every op with calls, self / total time (µs), its share of all ops' self time and of step
    time; self time per op type (host, device) for the pie charts; GPU kernel statistics."""
    stats = op_stats(model)
    total_self = sum(op.self_time for op in stats)
    step_total = sum(s.duration for s in _steps(model))
    host = sum(op.self_time for op in stats if not op.device)
    return {
        "ops": [_op_row(op, total_self, step_total) for op in stats],
        "total_self_us": total_self,
        "host_device": {"host_us": host, "device_us": total_self - host},
        "op_types": {
            "host": op_type_shares(stats, device=False),
            "device": op_type_shares(stats, device=True),
        },
        **kernel_stats(model),
    }


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
    """``_overview``, computed once per prepared trace."""
    result: dict[str, Any] = _MEMO.get(model, "overview", lambda: _overview(model))
    return result


def _overview(model: TraceModel) -> dict[str, Any]:
    """Steps with their breakdown, the breakdown summed, top ops, recommendations, input
    pipeline, environment."""
    steps = _steps(model)
    all_ops = ops(model)
    has_input = any(is_input(span) for span in model.trace.spans)
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
        "recommendations": recommendations(
            steps,
            has_device=has_device,
            tf_data=any("IteratorGetNext" in span.name for span in model.trace.spans),
        ),
        "input_pipeline": input_pipeline(steps, has_input_events=has_input),
        "environment": _environment(model),
    }


def memory(model: TraceModel) -> dict[str, Any]:
    """Memory per device over time, with its peak and the allocations live at it."""
    result: dict[str, Any] = _MEMO.get(model, "memory", lambda: {"devices": memory_series(model)})
    return result
