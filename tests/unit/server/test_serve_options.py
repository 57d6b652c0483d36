"""`heron serve` flags: TensorBoard's defaults, and the flags Heron accepts but explains."""

from __future__ import annotations

import pytest

from heron.cli import build_parser
from heron.cli.serve import compatibility_notes, options_from
from heron.errors import InvalidArgumentError


def _parse(*argv: str):
    return build_parser().parse_args(["serve", *argv])


def test_defaults_are_tensorboards():
    options = options_from(_parse("--logdir", "logs"))
    assert (options.host, options.port, options.reload_interval) == ("localhost", 6006, 5.0)


def test_bind_all_binds_every_interface():
    assert options_from(_parse("--logdir", "logs", "--bind_all")).host == "::"


def test_host_and_bind_all_conflict():
    with pytest.raises(InvalidArgumentError, match="--bind_all"):
        options_from(_parse("--logdir", "logs", "--bind_all", "--host", "0.0.0.0"))


def test_a_logdir_is_required():
    with pytest.raises(InvalidArgumentError, match="--logdir"):
        options_from(_parse())


def test_negative_reload_interval_is_refused():
    with pytest.raises(InvalidArgumentError):
        options_from(_parse("--logdir", "logs", "--reload_interval", "-1"))


def test_tensorboard_only_flags_are_accepted_and_explained():
    notes = compatibility_notes(
        _parse("--logdir", "logs", "--load_fast", "true", "--samples_per_plugin", "scalars=10")
    )
    assert len(notes) == 2
    assert any("keeps every point" in note for note in notes)


def test_no_note_without_those_flags():
    assert compatibility_notes(_parse("--logdir", "logs")) == []
