"""The Time Series dashboard's tag index: which runs hold which tags, and their descriptions.

Time Series shows one card per tag across runs, so descriptions are merged
per tag: one description shared by every run that has one is shown as is;
different ones become a Markdown document headed "# Multiple descriptions"
with a "## For run(s): ..." section each (TensorBoard's rule). Unlike
TensorBoard, which pools runs by description text over *all* tags, the runs
listed under a description are only those whose series of *this* tag has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heron.core.provider import ReadProvider
from heron.plugins.histograms import histogram_tags
from heron.plugins.images import image_tags
from heron.plugins.scalars import scalar_tags
from heron.plugins.text import markdown_to_safe_html

__all__ = ["combined_description", "tag_descriptions", "timeseries_tags"]

#: ``{run: {tag: {"description": ..., ...}}}``, as the scalars/histograms/images ``/tags`` give.
TagMapping = Mapping[str, Mapping[str, Mapping[str, Any]]]


def combined_description(runs_by_description: Mapping[str, set[str]]) -> str:
    """The Markdown description of a tag from its descriptions and the runs having each."""
    descriptions = sorted(runs_by_description)
    if len(descriptions) == 1:
        return descriptions[0]
    sections = []
    for description in descriptions:
        runs = sorted(runs_by_description[description])
        label = "runs" if len(runs) > 1 else "run"
        sections.append(f"## For {label}: {', '.join(runs)}\n{description}")
    return "# Multiple descriptions\n" + "\n".join(sections)


def tag_descriptions(mapping: TagMapping) -> dict[str, str]:
    """``{tag: sanitised HTML}`` for every tag that has a non-empty description in some run."""
    by_tag: dict[str, dict[str, set[str]]] = {}
    for run, tags in mapping.items():
        for tag, info in tags.items():
            description = info.get("description") or ""
            if description:
                by_tag.setdefault(tag, {}).setdefault(description, set()).add(run)
    return {
        tag: markdown_to_safe_html(combined_description(runs_by_description))
        for tag, runs_by_description in by_tag.items()
    }


def _run_tag_info(mapping: TagMapping) -> dict[str, list[str]]:
    return {run: sorted(tags) for run, tags in mapping.items()}


def timeseries_tags(provider: ReadProvider) -> dict[str, dict[str, Any]]:
    """TensorBoard's Time Series ``/tags`` object (reference §5.15).

    ``{"scalars": {"runTagInfo", "tagDescriptions"}, "histograms": {same},
    "images": {"tagDescriptions", "tagRunSampledInfo": {tag: {run: {"maxSamplesPerStep"}}}}}``.
    """
    scalars = scalar_tags(provider)
    histograms = histogram_tags(provider)
    images = image_tags(provider)
    sampled: dict[str, dict[str, dict[str, int]]] = {}
    for run, tags in images.items():
        for tag, info in tags.items():
            sampled.setdefault(tag, {})[run] = {"maxSamplesPerStep": info["samples"]}
    return {
        "scalars": {
            "runTagInfo": _run_tag_info(scalars),
            "tagDescriptions": tag_descriptions(scalars),
        },
        "histograms": {
            "runTagInfo": _run_tag_info(histograms),
            "tagDescriptions": tag_descriptions(histograms),
        },
        "images": {"tagDescriptions": tag_descriptions(images), "tagRunSampledInfo": sampled},
    }
