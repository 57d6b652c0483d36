"""JSON as TensorBoard sends it."""

from __future__ import annotations

import json
import math

import numpy as np

from heron.server.encoding import dumps, float_list, json_safe


def test_non_finite_floats_become_tensorboards_strings():
    encoded = dumps(json_safe({"a": [math.nan, math.inf, -math.inf, 1.5]}))
    assert json.loads(encoded) == {"a": ["NaN", "Infinity", "-Infinity", 1.5]}


def test_float_columns_keep_finite_values_exact():
    values = np.array([0.1, 1e300, -2.5])
    assert float_list(values) == [0.1, 1e300, -2.5]


def test_float_columns_replace_only_non_finite_values():
    values = np.array([0.5, np.nan, np.inf, -np.inf])
    assert float_list(values) == [0.5, "NaN", "Infinity", "-Infinity"]


def test_tuples_sets_and_bytes_are_json_ready():
    assert json_safe({"t": (1, 2), "s": {"b", "a"}, "b": b"caf\xc3\xa9"}) == {
        "t": [1, 2],
        "s": ["a", "b"],
        "b": "café",
    }
