"""Decoding TSV tensors for the projector: numpy's fast path, clear errors, and the decode cache."""

from __future__ import annotations

import numpy as np
import pytest

from heron.errors import InvalidArgumentError
from heron.plugins.projector.tensors import TensorCache, tsv_to_float32


def decode(text: str, num_rows: int | None = None) -> np.ndarray:
    return np.frombuffer(tsv_to_float32(text.encode(), num_rows, run="r", name="t"), "<f4")


def test_tsv_rows_become_row_major_float32_skipping_blank_lines_and_crlf() -> None:
    assert decode("1\t2.5\r\n\n-3\tnan\n1e3\t-inf\n").tolist()[:3] == [1, 2.5, -3]
    values = decode("1\t2.5\r\n\n-3\tnan\n1e3\t-inf\n")
    assert values.shape == (6,)
    assert np.isnan(values[3])
    assert values[4:].tolist() == [1000, -np.inf]


def test_num_rows_keeps_only_the_first_rows() -> None:
    assert decode("1\t2\n3\t4\n5\t6\n", num_rows=2).tolist() == [1, 2, 3, 4]


def test_an_empty_file_is_an_empty_tensor() -> None:
    assert decode("\n\n").size == 0


def test_a_cell_that_is_not_a_number_is_named_in_the_error() -> None:
    with pytest.raises(InvalidArgumentError, match=r"line 2 holds b'oops'"):
        decode("1\t2\n3\toops\n")


def test_rows_of_different_lengths_are_an_error() -> None:
    with pytest.raises(InvalidArgumentError, match="rows of different lengths"):
        decode("1\t2\n3\n4\t5\n")


def test_the_cache_decodes_the_same_bytes_once_and_new_bytes_again() -> None:
    cache = TensorCache()
    first = cache.decoded(b"1\t2\n", None, run="r", name="t")
    assert cache.decoded(b"1\t2\n", None, run="r", name="t") is first
    changed = cache.decoded(b"7\t8\n", None, run="r", name="t")
    assert np.frombuffer(changed, "<f4").tolist() == [7, 8]


def test_the_cache_stays_under_its_byte_budget_dropping_the_oldest() -> None:
    cache = TensorCache(max_bytes=16)  # two 2-float rows
    a = cache.decoded(b"1\t2\n", None, run="r", name="a")
    cache.decoded(b"3\t4\n", None, run="r", name="b")
    cache.decoded(b"5\t6\n", None, run="r", name="c")  # evicts a
    assert cache.decoded(b"1\t2\n", None, run="r", name="a") is not a
