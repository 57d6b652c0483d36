"""The hparams of an experiment no run records, inferred from the sessions as TensorBoard does.

One hparam per name found in the sessions, typed by its values (mixed types
become strings; strings and bools get a discrete domain, numbers an
interval). Only the *distinct* values of each name matter, so they are kept
as counts (``HParamStats``): after a commit the sessions of the changed runs
are taken out and put back in, instead of reading 100,000 sessions again
(~0.6 s). One difference from TensorBoard's Python: NaN counts as one value
and is left out of an interval's bounds (its ``sorted`` leaves them
arbitrary).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from google.protobuf import json_format
from google.protobuf.struct_pb2 import Value

from heron.formats.proto.hparams_api_pb2 import (
    DATA_TYPE_BOOL,
    DATA_TYPE_FLOAT64,
    DATA_TYPE_STRING,
    HParamInfo,
)
from heron.formats.proto.hparams_plugin_pb2 import SessionStartInfo

__all__ = ["HParamStats"]

#: A value's kind ("n"umber, "s"tring, "b"ool, "u"nset: null, list, struct) and payload.
_Key = tuple[str, Any]
_NAN = "nan"
_TYPES = {"n": DATA_TYPE_FLOAT64, "s": DATA_TYPE_STRING, "b": DATA_TYPE_BOOL}


def _key(value: Value) -> _Key:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        number = value.number_value
        return ("n", _NAN if math.isnan(number) else number)
    if kind == "string_value":
        return ("s", value.string_value)
    if kind == "bool_value":
        return ("b", value.bool_value)
    return ("u", value.SerializeToString(deterministic=True))


def _number(key: _Key) -> float:
    """What TensorBoard reads as a number hparam's value (``number_value``: 0 when unset)."""
    if key[0] != "n":
        return 0.0
    return math.nan if key[1] == _NAN else float(key[1])


def _text(key: _Key) -> str | None:
    """A value as a string-typed hparam shows it; ``None`` for unset and non-finite values."""
    kind, payload = key
    if kind == "s":
        return str(payload)
    if kind == "b":
        return json_format.MessageToJson(Value(bool_value=payload))
    if kind == "n" and payload != _NAN and math.isfinite(payload):
        return json_format.MessageToJson(Value(number_value=payload))
    return None


class HParamStats:
    """How many sessions hold each distinct value of each hparam name. Never mutated once built."""

    __slots__ = ("_counts",)

    def __init__(self, counts: dict[str, Counter[_Key]]) -> None:
        self._counts = counts

    @classmethod
    def of(cls, sessions: Iterable[SessionStartInfo]) -> HParamStats:
        return cls({}).changed([], sessions)

    def changed(
        self, removed: Iterable[SessionStartInfo], added: Iterable[SessionStartInfo]
    ) -> HParamStats:
        """These counts without the ``removed`` sessions' values and with the ``added`` ones."""
        counts = dict(self._counts)
        copied: set[str] = set()
        for sign, starts in ((-1, removed), (1, added)):
            for start in starts:
                for name, value in start.hparams.items():
                    if name not in copied:
                        counts[name] = Counter(counts.get(name, ()))
                        copied.add(name)
                    counter = counts[name]
                    key = _key(value)
                    counter[key] += sign
                    if counter[key] <= 0:
                        del counter[key]
        return HParamStats({name: counter for name, counter in counts.items() if counter})

    def infos(self) -> list[HParamInfo]:
        """One ``HParamInfo`` per name holding a typed value, in name order."""
        return [info for name in sorted(self._counts) if (info := _info(name, self._counts[name]))]


def _info(name: str, counter: Counter[_Key]) -> HParamInfo | None:
    keys = list(counter)
    kinds = {kind for kind, _ in keys} - {"u"}
    if not kinds:
        return None
    data_type = _TYPES[kinds.pop()] if len(kinds) == 1 else DATA_TYPE_STRING
    info = HParamInfo(name=name, type=data_type)
    if data_type == DATA_TYPE_STRING:
        texts = {text for key in keys if (text := _text(key)) is not None}
        info.domain_discrete.extend(sorted(texts))
        info.differs = len(texts) > 1
    elif data_type == DATA_TYPE_BOOL:
        flags = {bool(payload) if kind == "b" else False for kind, payload in keys}
        info.domain_discrete.extend(sorted(flags))
        info.differs = len(flags) > 1
    else:
        numbers = {_number(key) for key in keys if key != ("n", _NAN)}
        info.domain_interval.min_value = min(numbers, default=math.nan)
        info.domain_interval.max_value = max(numbers, default=math.nan)
        info.differs = len(numbers) + (("n", _NAN) in counter) > 1
    return info
