"""Reusable pieces for Heron's tests (and for tests of code built on Heron); needs the dev extra."""
