"""Every command and flag of the CLI is documented in docs/cli.md."""

import argparse
import re
from pathlib import Path

import pytest

from heron.cli import build_parser

CLI_DOC = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the heron parser has no subcommands")


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_has_a_section(command):
    assert re.search(rf"^## `heron {command}`", CLI_DOC, re.MULTILINE)


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        (command, flag)
        for command, sub in sorted(_subcommands().items())
        for action in sub._actions
        for flag in action.option_strings
        if flag.startswith("--") and flag != "--help"
    ],
)
def test_every_flag_is_documented_in_its_section(command, flag):
    section = CLI_DOC.split(f"## `heron {command}`", 1)[1].split("\n## ", 1)[0]
    assert f"`{flag}" in section
