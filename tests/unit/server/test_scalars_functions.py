"""The scalars plugin's plain functions, over a real index."""

from __future__ import annotations

import pytest

from heron.errors import NotFoundError
from heron.plugins.scalars import scalar_csv, scalar_tags, scalar_triples, scalars_multirun


def test_tags_leave_out_runs_without_scalars(provider):
    tags = scalar_tags(provider)
    assert set(tags) == {"alpha", "zeta"}
    assert set(tags["alpha"]) == {"acc", "loss"}
    assert set(tags["zeta"]["loss"]) == {"displayName", "description"}


def test_triples_are_wall_time_step_value_with_every_point(provider):
    triples = scalar_triples(provider, "alpha", "loss")
    assert len(triples) == 200
    wall, step, value = triples[1]
    assert step == 1
    assert value == pytest.approx(1.0)
    assert wall > 1e9


def test_triples_carry_non_finite_values_as_strings(provider):
    assert [v for _, _, v in scalar_triples(provider, "zeta", "loss")[-3:]] == [
        "NaN",
        "Infinity",
        "-Infinity",
    ]


def test_triples_downsample_only_when_asked(provider):
    assert len(scalar_triples(provider, "alpha", "loss", max_points=20)) <= 20


def test_csv_has_tensorboards_header_and_crlf_lines(provider):
    text = scalar_csv(provider, "alpha", "acc")
    lines = text.split("\r\n")
    assert lines[0] == "Wall time,Step,Value"
    assert lines[1].split(",")[1:] == ["0", "0.0"]
    assert len([line for line in lines if line]) == 201


def test_unknown_tag_is_not_found(provider):
    with pytest.raises(NotFoundError):
        scalar_triples(provider, "alpha", "nope")


def test_multirun_leaves_out_runs_without_the_tag(provider):
    result = scalars_multirun(provider, "acc", ["alpha", "zeta", "ghost"])
    assert list(result) == ["alpha"]
    assert len(result["alpha"]) == 200
