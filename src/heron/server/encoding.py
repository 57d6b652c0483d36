"""JSON as TensorBoard sends it: non-finite floats as the strings "NaN", "Infinity", "-Infinity".

orjson is used because responses carry up to millions of numbers; it writes
NaN as ``null``, which TensorBoard's frontend would read as a gap rather than a
value, so non-finite floats are replaced before encoding. Point columns go
through ``float_list``, which only pays for the replacement when a series has
a non-finite value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["dumps", "float_list", "json_safe"]


def _float(value: float) -> float | str:
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def float_list(values: npt.NDArray[np.float64]) -> list[float | str]:
    """A column of floats as JSON-ready Python values (non-finite ones as TB's strings)."""
    import numpy as np

    items: list[float | str] = values.tolist()
    if not bool(np.isfinite(values).all()):
        items = [_float(value) for value in values.tolist()]
    return items


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite float replaced, tuples and sets as lists, bytes as text."""
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, set | frozenset):
        return [json_safe(item) for item in sorted(value)]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def dumps(value: Any) -> bytes:
    """Encode ``value`` (already made safe by ``json_safe`` or ``float_list``) as UTF-8 JSON."""
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)
