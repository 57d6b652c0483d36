"""A small query language over run summaries: filter and sort runs by name, hparams and metrics.

    lr < 0.01 and optimizer == "adam" and max(val/accuracy) > 0.9 and name ~ "seed-"

It works on ``RunSummary`` values alone (hparams, last step, per-scalar
first/last/min/max kept at ingest), so a query over 100,000 runs never reads a
point. The same parser serves the HTTP API's ``filter`` / ``sort`` parameters
and the Python API.

Grammar (keywords are lower case)::

    query      := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" query ")" | "has" "(" NAME ")" | comparison
    comparison := operand OP value        OP: == != < <= > >= ~ (regex search) !~
    operand    := FIELD | FUNC "(" NAME ")" | "hparam" "(" NAME ")" | NAME (an hparam)
    FIELD      := name | start_time | last_wall_time | duration | last_step | status
    FUNC       := first | last | min | max | count       (of the scalar series NAME)
    value      := NUMBER | "string" | 'string' | true | false

A NAME is letters, digits and ``_ . / -`` (not starting with a digit or
``-``), or any text between backticks. A run lacking the operand (no such
hparam, no such metric) never matches a comparison, whatever the operator;
values of different types (a string hparam against a number) do not match either.

``status`` is the inferred one of ``run_status`` (running / finished / failed)
at the time the query is compiled; ``duration`` is ``last_wall_time -
start_time`` in seconds.
"""

from __future__ import annotations

import math
import operator
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from heron.core import run_table_query as columns
from heron.core.run_status import run_status
from heron.core.run_table import RunTable
from heron.core.run_table_query import RunFilter, every_of, one_of
from heron.core.values import RunSummary
from heron.errors import InvalidArgumentError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "Operand",
    "RunFilter",
    "compile_filter",
    "compile_sort",
    "operand_value",
    "sort_runs",
    "sort_table",
]

Value = float | str | bool
Predicate = Callable[[RunSummary], bool]

FIELDS: Final = frozenset(
    {"name", "start_time", "last_wall_time", "duration", "last_step", "status"}
)
FUNCTIONS: Final = frozenset({"first", "last", "min", "max", "count"})
#: How deeply ``not`` and parentheses may nest.
MAX_NESTING: Final = 100
_KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false", "has", "hparam"})

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf\b|nan\b)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<quoted>`[^`]*`)
    | (?P<op>==|!=|<=|>=|!~|<|>|~|\(|\)|,)
    | (?P<name>[A-Za-z_][A-Za-z0-9_./-]*)
    )""",
    re.VERBOSE,
)
_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Operand:
    """What a comparison or a sort key reads from a run: a field, an hparam or a metric."""

    kind: str  # "field", "hparam" or one of FUNCTIONS
    name: str


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number, string, op, name, end
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            column = position + len(text[position:]) - len(text[position:].lstrip()) + 1
            raise InvalidArgumentError(f"at column {column}: unexpected {text[column - 1]!r}")
        kind = match.lastgroup or ""
        raw = match.group(kind)
        column = match.start(kind) + 1
        if kind == "quoted":
            kind, raw = "name", raw[1:-1]
        tokens.append(_Token(kind, raw, column))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str, *, now: float = 0.0) -> None:
        self._tokens = _tokens(text)
        self._index = 0
        self._now = now
        self._depth = 0

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _take(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _fail(self, expected: str) -> InvalidArgumentError:
        token = self._peek()
        found = "the end" if token.kind == "end" else repr(token.text)
        return InvalidArgumentError(f"at column {token.column}: expected {expected}, found {found}")

    def _keyword(self, word: str) -> bool:
        token = self._peek()
        if token.kind == "name" and token.text == word:
            self._index += 1
            return True
        return False

    def _symbol(self, symbol: str) -> None:
        if self._peek().kind != "op" or self._peek().text != symbol:
            raise self._fail(repr(symbol))
        self._index += 1

    def end(self) -> None:
        if self._peek().kind != "end":
            raise self._fail("'and', 'or' or the end of the query")

    def query(self) -> RunFilter:
        parts = [self._and()]
        while self._keyword("or"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else one_of(parts)

    def _and(self) -> RunFilter:
        parts = [self._not()]
        while self._keyword("and"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else every_of(parts)

    def _not(self) -> RunFilter:
        token = self._peek()
        self._depth += 1
        if self._depth > MAX_NESTING:
            # Evaluating a predicate nests as deeply as parsing it: keep both far from
            # Python's recursion limit, so that a malformed query is a 400, never a crash.
            raise InvalidArgumentError(
                f"at column {token.column}: the query nests deeper than {MAX_NESTING} levels"
            )
        try:
            if self._keyword("not"):
                inner = self._not()
                return RunFilter(lambda run: not inner.row(run), lambda table: ~inner.mask(table))
            if token.kind == "op" and token.text == "(":
                self._index += 1
                inner = self.query()
                self._symbol(")")
                return inner
        finally:
            self._depth -= 1
        if self._keyword("has"):
            tag = self._parenthesised_name()
            return RunFilter(
                lambda run: tag in run.scalars, lambda table: columns.has_mask(table, tag)
            )
        return self._comparison()

    def _parenthesised_name(self) -> str:
        self._symbol("(")
        token = self._take()
        if token.kind not in ("name", "string"):
            self._index -= 1
            raise self._fail("a name")
        self._symbol(")")
        return _unquote(token.text) if token.kind == "string" else token.text

    def operand(self) -> Operand:
        token = self._peek()
        if token.kind != "name" or token.text in _KEYWORDS - {"hparam"}:
            raise self._fail("a field, an hparam or a metric such as max(loss)")
        self._index += 1
        nxt = self._peek()
        is_call = nxt.kind == "op" and nxt.text == "("
        if token.text == "hparam" and is_call:
            return Operand("hparam", self._parenthesised_name())
        if token.text in FUNCTIONS and is_call:
            return Operand(token.text, self._parenthesised_name())
        if token.text in FIELDS:
            return Operand("field", token.text)
        return Operand("hparam", token.text)

    def _comparison(self) -> RunFilter:
        operand = self.operand()
        now = self._now
        token = self._take()
        if token.kind != "op" or token.text not in (*_COMPARE, "~", "!~"):
            self._index -= 1
            raise self._fail("a comparison (== != < <= > >= ~ !~)")
        value = self._value()
        if token.text in ("~", "!~"):
            if not isinstance(value, str):
                raise InvalidArgumentError(f"at column {token.column}: '~' needs a string regex")
            try:
                pattern = re.compile(value)
            except re.error as error:
                raise InvalidArgumentError(f"invalid regex {value!r}: {error}") from None
            negate = token.text == "!~"

            def matches(run: RunSummary) -> bool:
                found = operand_value(run, operand, now=now)
                return isinstance(found, str) and (pattern.search(found) is None) == negate

            return RunFilter(
                matches,
                lambda table: columns.regex_mask(table, operand, pattern, negate, now),
            )
        compare = _COMPARE[token.text]

        def compares(run: RunSummary) -> bool:
            found = operand_value(run, operand, now=now)
            return found is not None and _same_kind(found, value) and compare(found, value)

        return RunFilter(
            compares, lambda table: columns.compare_mask(table, operand, compare, value, now)
        )

    def _value(self) -> Value:
        token = self._take()
        if token.kind == "number":
            return float(token.text)
        if token.kind == "string":
            return _unquote(token.text)
        if token.kind == "name" and token.text in ("true", "false"):
            return token.text == "true"
        self._index -= 1
        raise self._fail("a number, a quoted string, true or false")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _same_kind(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    return isinstance(a, str) == isinstance(b, str)


def operand_value(run: RunSummary, operand: Operand, *, now: float | None = None) -> Value | None:
    """The operand's value for ``run``; ``None`` when the run lacks it (or it is NaN).

    ``now`` (default: the current time) is when ``status`` is judged.
    """
    value: Value | None
    if operand.kind == "field":
        value = _field(run, operand.name, time.time() if now is None else now)
    elif operand.kind == "hparam":
        value = run.hparams.get(operand.name)
    else:
        summary = run.scalars.get(operand.name)
        if summary is None:
            return None
        value = {
            "first": summary.first_value,
            "last": summary.last_value,
            "min": summary.min_value,
            "max": summary.max_value,
            "count": float(summary.count),
        }[operand.kind]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _field(run: RunSummary, name: str, now: float) -> Value | None:
    if name == "name":
        return run.run
    if name == "status":
        return run_status(run, now=now)
    if name == "duration":
        if run.start_time is None or run.last_wall_time is None:
            return None
        return run.last_wall_time - run.start_time
    return {
        "start_time": run.start_time,
        "last_wall_time": run.last_wall_time,
        "last_step": run.last_step,
    }[name]


def compile_filter(text: str, *, now: float | None = None) -> RunFilter:
    """A filter over run summaries; ``InvalidArgumentError`` names the offending column.

    ``now`` (default: the current time) is when ``status`` is judged.
    """
    parser = _Parser(text, now=time.time() if now is None else now)
    if parser._peek().kind == "end":
        return RunFilter(lambda run: True, columns.everything)
    predicate = parser.query()
    parser.end()
    return predicate


def compile_sort(text: str) -> list[tuple[Operand, bool]]:
    """``"-max(val/acc), name"`` → ``[(Operand("max", "val/acc"), True), (name, False)]``."""
    keys: list[tuple[Operand, bool]] = []
    for part in text.split(","):
        stripped = part.strip()
        if not stripped:
            raise InvalidArgumentError(f"empty sort key in {text!r}")
        descending = stripped.startswith("-")
        parser = _Parser(stripped.lstrip("-"))
        operand = parser.operand()
        parser.end()
        keys.append((operand, descending))
    return keys


def sort_runs(
    runs: Sequence[RunSummary],
    keys: Sequence[tuple[Operand, bool]],
    *,
    now: float | None = None,
) -> list[RunSummary]:
    """Runs ordered by ``keys`` (then name); runs lacking a key come last either way."""
    when = time.time() if now is None else now
    ordered = sorted(runs, key=lambda run: run.run)
    for operand, descending in reversed(keys):
        values = {run.run: operand_value(run, operand, now=when) for run in ordered}
        present = [run for run in ordered if values[run.run] is not None]
        missing = [run for run in ordered if values[run.run] is None]
        present.sort(key=lambda run: _sort_key(values[run.run]), reverse=descending)
        ordered = present + missing
    return ordered


def _sort_key(value: Value | None) -> tuple[int, float, str]:
    # Numbers before strings, so mixed-type hparams still sort without errors.
    if isinstance(value, str):
        return (1, 0.0, value)
    return (0, float(value or 0), "")


def sort_table(
    table: RunTable,
    rows: npt.NDArray[np.int64],
    keys: Sequence[tuple[Operand, bool]],
    *,
    now: float | None = None,
) -> npt.NDArray[np.int64]:
    """``sort_runs`` over rows of a table: ``rows`` (ascending) in the order of ``keys``."""
    return columns.sort_rows(table, rows, keys, time.time() if now is None else now)
