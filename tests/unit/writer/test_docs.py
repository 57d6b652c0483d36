"""Every public SummaryWriter call is documented in docs/python-api.md with its exact signature."""

import inspect
import re
from pathlib import Path

import pytest

from heron import SummaryWriter

DOC = (Path(__file__).parents[3] / "docs" / "python-api.md").read_text()
PUBLIC = sorted(
    name
    for name, member in inspect.getmembers(SummaryWriter, inspect.isfunction)
    if not name.startswith("_") and name.startswith("add_")
)


def test_the_calls_are_all_found():
    assert len(PUBLIC) == 24  # PyTorch's 22 and Heron's add_html, add_table


@pytest.mark.parametrize("name", PUBLIC)
def test_every_add_call_has_a_section_with_its_signature(name):
    heading = re.search(rf"^### `{name}\((.*)\)`", DOC, re.MULTILINE)
    assert heading, f"docs/python-api.md has no section for {name}"
    documented = [
        part.strip().split("=")[0].lstrip("*").strip() for part in heading.group(1).split(",")
    ]
    documented = [part for part in documented if part]
    parameters = [
        p.name for p in inspect.signature(getattr(SummaryWriter, name)).parameters.values()
    ][1:]
    assert documented == parameters


def test_the_constructor_is_documented_with_every_argument():
    for parameter in list(inspect.signature(SummaryWriter.__init__).parameters)[1:]:
        assert f"| `{parameter}` |" in DOC


@pytest.mark.parametrize("method", ["flush", "close", "get_logdir"])
def test_lifecycle_methods_are_documented(method):
    assert f"`{method}()`" in DOC
