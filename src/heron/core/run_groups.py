"""Grouping runs by hparams or by a regex on their name, from run summaries alone.

A sweep's runs differ by a few hparams and a seed; comparing "lr = 0.1" with
"lr = 0.01" means pooling each value's seeds. Two ways to say what a group is:

* **by hparams**: runs with equal values of the named hparams form a group; a
  run lacking one of them is grouped under ``None`` for it (shown as "–"), so
  nothing silently disappears;
* **by a regex on the name**: the key is the text of the capture groups (all of
  them, joined by ", "), or the whole match when the pattern has none, so
  ``seed-\\d+`` style names group with ``^(.*)/seed-\\d+$``. Runs the pattern
  does not match are *ungrouped* and reported as such.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from heron.core.values import HParamValue, RunSummary
from heron.errors import InvalidArgumentError

__all__ = ["GroupKey", "RunGroup", "compile_grouping", "group_runs"]

GroupKey = tuple[HParamValue | None, ...]
KeyFunction = Callable[[RunSummary], GroupKey | None]


@dataclass(frozen=True, slots=True)
class RunGroup:
    """Runs sharing one key; ``label`` is how a legend shows it."""

    key: GroupKey
    label: str
    runs: tuple[str, ...]


def compile_grouping(
    *, hparams: Sequence[str] = (), name_regex: str | None = None
) -> tuple[KeyFunction, Callable[[GroupKey], str]]:
    """The key function and the labeller for one way of grouping (exactly one must be given)."""
    if bool(hparams) == (name_regex is not None):
        raise InvalidArgumentError("group by hparams or by a name regex: give exactly one")
    if name_regex is not None:
        try:
            pattern = re.compile(name_regex)
        except re.error as error:
            raise InvalidArgumentError(f"invalid regex {name_regex!r}: {error}") from None

        def by_name(run: RunSummary) -> GroupKey | None:
            match = pattern.search(run.run)
            if match is None:
                return None
            if pattern.groups == 0:
                return (match.group(0),)
            return tuple(part if part is not None else "" for part in match.groups())

        return by_name, lambda key: ", ".join(str(part) for part in key)
    names = tuple(hparams)
    if any(not name for name in names):
        raise InvalidArgumentError("an hparam to group by has an empty name")

    def by_hparams(run: RunSummary) -> GroupKey:
        return tuple(run.hparams.get(name) for name in names)

    def label(key: GroupKey) -> str:
        return ", ".join(f"{name}={_show(value)}" for name, value in zip(names, key, strict=True))

    return by_hparams, label


def _show(value: HParamValue | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def group_runs(
    runs: Sequence[RunSummary], key: KeyFunction, label: Callable[[GroupKey], str]
) -> tuple[list[RunGroup], list[str]]:
    """Groups sorted by key (numbers, then strings, missing values last), and ungrouped runs.

    Members keep the order of ``runs``.
    """
    members: dict[GroupKey, list[str]] = {}
    ungrouped: list[str] = []
    for run in runs:
        found = key(run)
        if found is None:
            ungrouped.append(run.run)
        else:
            members.setdefault(_normal(found), []).append(run.run)
    ordered = sorted(members, key=lambda k: tuple(_order(part) for part in k))
    return [RunGroup(k, label(k), tuple(members[k])) for k in ordered], ungrouped


def _normal(key: GroupKey) -> GroupKey:
    # 1 and 1.0 are one hparam value (JSON does not tell them apart); NaN equals
    # nothing, not even itself, so it would make a group per run: it counts as missing.
    return tuple(_normal_part(part) for part in key)


def _normal_part(part: HParamValue | None) -> HParamValue | None:
    if isinstance(part, bool) or not isinstance(part, int | float):
        return part
    return None if math.isnan(part) else float(part)


def _order(value: HParamValue | None) -> tuple[int, float, str]:
    if value is None:
        return (3, 0.0, "")
    if isinstance(value, bool):
        return (0, float(value), "")
    if isinstance(value, str):
        return (2, 0.0, value)
    return (1, float(value), "")
