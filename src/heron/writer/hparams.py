"""``add_hparams``: hyperparameter values and metrics as the HParams dashboard reads them.

PyTorch's rules, with two fixes:

* values may be bools, numbers (Python, numpy, one-element tensors), strings,
  or None (skipped); a bool is stored as a bool (PyTorch stores 1.0 / 0.0);
* a metric whose value is None is declared without a point: its value comes
  from the scalars logged under that tag (no duplicate point at the end).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries import hparams as encoder
from heron.formats.summaries.hparams import HParamValue
from heron.writer import inputs

__all__ = ["HParams", "capture_hparams"]


@dataclass(frozen=True, slots=True)
class HParams:
    """One ``add_hparams`` call, validated: typed values, domains and metric points."""

    values: Mapping[str, HParamValue]
    domains: Mapping[str, Sequence[HParamValue]]
    metrics: Sequence[str]
    points: Sequence[tuple[str, Any]]

    def summaries(self, *, wall_time: float) -> list[Summary.Value]:
        """Experiment, session start, session end: one value each (written as three events)."""
        infos = [
            encoder.hparam_info(name, value, domain=self.domains.get(name))
            for name, value in self.values.items()
        ]
        return [
            encoder.experiment(infos, self.metrics),
            encoder.session_start(self.values, start_time_secs=wall_time),
            encoder.session_end("success", end_time_secs=wall_time),
        ]


def _hparam(name: str, value: object) -> HParamValue:
    if isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Real):
        return float(value)
    if inputs.framework_of(value) in ("tensorflow", "keras") and hasattr(value, "numpy"):
        value = value.numpy()
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "item") and math.prod(shape) == 1:
        item = value.item()
        if isinstance(item, bool | str):
            return item
        if isinstance(item, numbers.Real):
            return float(item)
    raise ValueError(
        f"hparam {name!r}: a value must be a bool, a number, a string or None; "
        f"got {type(value).__name__} (pass str(value) to log it as text)"
    )


def capture_hparams(
    hparam_dict: Mapping[str, Any],
    metric_dict: Mapping[str, Any],
    hparam_domain_discrete: Mapping[str, Sequence[Any]] | None = None,
) -> HParams:
    """Validate and convert ``add_hparams``'s arguments on the caller's thread."""
    if not isinstance(hparam_dict, Mapping) or not isinstance(metric_dict, Mapping):
        raise TypeError("hparam_dict and metric_dict should be dictionaries")
    domains_in = hparam_domain_discrete or {}
    if not isinstance(domains_in, Mapping):
        raise TypeError("hparam_domain_discrete should be a dictionary")
    values = {
        str(name): _hparam(str(name), value)
        for name, value in hparam_dict.items()
        if value is not None
    }
    domains: dict[str, list[HParamValue]] = {}
    for name, domain in domains_in.items():
        if name not in values or not isinstance(domain, list | tuple):
            raise TypeError(
                f"hparam_domain_discrete[{name!r}] should be a list of values of hparam {name!r}"
            )
        converted = [_hparam(name, item) for item in domain]
        if not all(type(item) is type(values[name]) for item in converted):
            raise TypeError(
                f"hparam_domain_discrete[{name!r}] should hold values of the same type as "
                f"hparam_dict[{name!r}]"
            )
        domains[name] = converted
    points = [
        (str(tag), inputs.scalar(value)) for tag, value in metric_dict.items() if value is not None
    ]
    return HParams(values, domains, [str(tag) for tag in metric_dict], points)
