"""The profiler dashboard: trace-event captures (torch, JAX), step breakdown, ops, memory."""

from heron.plugins.profile.routes import ProfilePlugin

__all__ = ["ProfilePlugin"]
