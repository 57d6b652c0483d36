"""Tests against the real third-party tools; a package so that they share helpers."""
