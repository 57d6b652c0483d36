"""Heron's version, read by hatchling at build time and by ``heron --version``."""

__version__ = "0.1.0.dev0"
