"""``/download_data``: the session-group table as CSV, JSON or LaTeX, as TensorBoard writes it.

Columns are the experiment's hparams then its metrics (display name, else
name / tag); ``columnsVisibility`` keeps column *i* when its *i*-th flag is
true (columns beyond the list are dropped, as TensorBoard's ``zip`` does). A
missing hparam is an empty string, a missing metric ``null`` (CSV: empty,
LaTeX: ``-``).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from heron.core.provider import ReadProvider
from heron.errors import InvalidArgumentError
from heron.formats.proto.hparams_api_pb2 import (
    Experiment,
    ListSessionGroupsRequest,
    SessionGroup,
)
from heron.plugins.hparams.columns import Cell, python_value
from heron.plugins.hparams.experiment import experiment_for, read_records, wants_metrics
from heron.plugins.hparams.session_groups import list_session_groups

__all__ = [
    "FORMATS",
    "Table",
    "download_table",
    "parse_visibility",
    "session_group_table",
    "table_csv",
    "table_latex",
]

#: ``format`` → media type.
FORMATS: Final = {"csv": "text/csv", "json": "application/json", "latex": "application/x-latex"}


@dataclass(frozen=True, slots=True)
class Table:
    """What every format prints: a header, then one row per group."""

    header: list[str]
    rows: list[list[Cell]]

    def as_json(self) -> dict[str, object]:
        return {"header": self.header, "rows": self.rows}


def _hparam_cell(group: SessionGroup, name: str) -> Cell:
    value = python_value(group.hparams[name]) if name in group.hparams else None
    return "" if value is None else value


def session_group_table(
    experiment: Experiment, groups: Sequence[SessionGroup], visibility: Sequence[bool]
) -> Table:
    """One row per group, the columns ``visibility`` keeps."""

    def visible(row: Sequence[Cell]) -> list[Cell]:
        return [cell for cell, shown in zip(row, visibility, strict=False) if shown]

    header: list[Cell] = [info.display_name or info.name for info in experiment.hparam_infos]
    header += [info.display_name or info.name.tag for info in experiment.metric_infos]
    rows = []
    for group in groups:
        row = [_hparam_cell(group, info.name) for info in experiment.hparam_infos]
        values = {(v.name.group, v.name.tag): v.value for v in group.metric_values}
        row += [values.get((info.name.group, info.name.tag)) for info in experiment.metric_infos]
        rows.append(visible(row))
    return Table([str(cell) for cell in visible(header)], rows)


def parse_visibility(text: str | None) -> list[bool]:
    """``columnsVisibility``: a JSON list of booleans."""
    try:
        flags = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        flags = None
    if not isinstance(flags, list) or not all(isinstance(flag, bool) for flag in flags):
        raise InvalidArgumentError(
            f"columnsVisibility must be a JSON list of booleans, not {text!r}"
        )
    return flags


def table_csv(table: Table) -> str:
    """Python's CSV dialect (CRLF line ends), a header line first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


def _latex_number(value: float) -> str:
    if math.isnan(value):
        return r"$\mathrm{NaN}$"
    if math.isinf(value):
        return r"$+\infty$" if value > 0 else r"$-\infty$"
    text = f"{value:.3g}"
    mantissa, marker, exponent = text.partition("e")
    if marker:
        return f"${mantissa}\\cdot 10^{{{int(exponent)}}}$"
    return f"${text}$"


def _latex_cell(cell: Cell) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, bool):
        return f"${int(cell)}$"
    if isinstance(cell, float):
        return _latex_number(cell)
    return cell.replace("_", "\\_").replace("%", "\\%")


def table_latex(table: Table) -> str:
    """A ``table`` / ``tabular`` environment, one left-aligned column per table column."""
    lines = [
        "\\begin{table}[tbp]",
        f"\\begin{{tabular}}{{{'l' * len(table.header)}}}",
        " & ".join(_latex_cell(cell) for cell in table.header) + " \\\\ \\hline",
        *(" & ".join(_latex_cell(cell) for cell in row) + " \\\\" for row in table.rows),
        "\\hline",
        "\\end{tabular}",
        "\\end{table}",
    ]
    return "\n".join(lines) + "\n"


def download_table(
    provider: ReadProvider, request: ListSessionGroupsRequest, visibility: Sequence[bool]
) -> Table:
    """The table of the page of groups ``/session_groups`` answers to ``request``."""
    records = read_records(provider)
    page = list_session_groups(provider, request, records).session_groups
    experiment = experiment_for(provider, records, include_metrics=wants_metrics(request))
    return session_group_table(experiment, page, visibility)
