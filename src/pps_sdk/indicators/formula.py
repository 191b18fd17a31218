"""Derived indicators: a passport's formula, computed by a small parser of our own.

A formula is arithmetic over numbers and `{indicator-id}` references: `+ - * /`, unary
minus and parentheses, e.g. `{cases-online} / {cases-total} * 100`. Formulas come from
documents written by others, so nothing in them is ever run as code: the text is split into
tokens, ordered into postfix form (Dijkstra's shunting-yard, without recursion, so deep
nesting cannot exhaust the stack) and computed on a stack of floats.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache

from ..errors import PPSError
from ..model.indicator import formula_references

_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?)|\{(?P<ref>[^{}]*)\}|(?P<op>[-+*/])|(?P<open>\()|(?P<close>\)))")
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3}
Step = tuple[str, float | str | None]  # ("num", 2.0), ("ref", "cases-total"), ("op", "+"), ("op", "neg")


class FormulaError(PPSError, ValueError):
    """A formula cannot be computed: bad syntax, an unknown reference, a cycle, a division by
    zero, or a result too large to hold."""


@lru_cache(maxsize=1024)
def compile_formula(formula: str) -> tuple[Step, ...]:
    """The formula's steps in postfix order. Raises FormulaError on bad syntax.

    The syntax is the one the model checks when a passport is loaded
    (`pps_sdk.model.indicator.formula_references`); it is asked first, so both say the same.
    """
    try:
        formula_references(formula)
    except ValueError as exc:
        raise FormulaError(f"formula {formula[:60]!r}: {exc}") from None
    steps: list[Step] = []
    pending: list[str] = []  # operators and "(" waiting for their right-hand side
    expect_operand, pos, text = True, 0, formula.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # formula_references accepted it, so this cannot happen; stay safe anyway
            raise FormulaError(f"formula {formula[:60]!r}: unexpected text at character {pos + 1}")
        pos, kind = match.end(), match.lastgroup
        if kind == "num":
            steps.append(("num", float(match["num"])))
            expect_operand = False
        elif kind == "ref":
            steps.append(("ref", match["ref"]))
            expect_operand = False
        elif kind == "open":
            pending.append("(")
        elif kind == "close":
            while pending and pending[-1] != "(":
                steps.append(("op", pending.pop()))
            if pending:
                pending.pop()
        elif expect_operand:  # a minus where a number is expected negates what follows
            pending.append("neg")
        else:
            op = match["op"]
            # neg is right-associative and binds tightest; + - * / are left-associative
            while pending and pending[-1] != "(" and _PRECEDENCE[pending[-1]] >= _PRECEDENCE[op]:
                steps.append(("op", pending.pop()))
            pending.append(op)
            expect_operand = True
    while pending:
        top = pending.pop()
        if top != "(":
            steps.append(("op", top))
    return tuple(steps)


def evaluate_formula(formula: str, values: Mapping[str, float]) -> float:
    """The formula's value, with each `{id}` taken from `values`.

    Raises FormulaError for bad syntax, a reference `values` does not hold, a division by
    zero, or a result that is not a finite number (too large to hold).
    """
    stack: list[float] = []
    for kind, item in compile_formula(formula):
        if kind == "num":
            stack.append(float(item))  # type: ignore[arg-type]
        elif kind == "ref":
            if item not in values:
                raise FormulaError(f"formula {formula[:60]!r} refers to {{{item}}}, which has no value")
            stack.append(float(values[item]))  # type: ignore[index]
        elif item == "neg":
            stack.append(-stack.pop())
        else:
            right, left = stack.pop(), stack.pop()
            stack.append(_apply(str(item), left, right, formula))
        if not math.isfinite(stack[-1]):
            raise FormulaError(f"formula {formula[:60]!r}: a value or result is too large to hold")
    return stack[0]


def _apply(op: str, left: float, right: float, formula: str) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        raise FormulaError(f"formula {formula[:60]!r}: division by zero")
    return left / right
