"""Heron: watch machine-learning training.

``import heron`` must stay light: it is imported by training scripts, so it never
pulls in the server, a database driver, numpy or PIL until they are needed.
"""

from __future__ import annotations

from heron._version import __version__

__all__ = ["__version__"]
