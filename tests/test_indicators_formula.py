"""The formula of a derived indicator: computed by our own parser, never run as code."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pps_sdk.indicators import FormulaError, evaluate_formula
from pps_sdk.model.indicator import formula_references


@pytest.mark.parametrize("formula, expected", [
    ("{a} / {b} * 100", 25.0),
    ("1 + 2 * 3", 7.0),
    ("(1 + 2) * 3", 9.0),
    ("10 - 4 - 3", 3.0),
    ("64 / 4 / 2", 8.0),
    ("-{a} + 3", -7.0),
    ("2 * -(3 + {a})", -26.0),
    ("- - 2", 2.0),
    ("((({b})))", 40.0),
])
def test_arithmetic_follows_the_usual_rules(formula, expected):
    assert evaluate_formula(formula, {"a": 10, "b": 40}) == expected


@pytest.mark.parametrize("formula, message", [
    ("{a} / ({b} - 40)", "division by zero"),
    ("{a} + {missing}", "refers to {missing}, which has no value"),
    ("{a} +", "ends early"),
    ("__import__('os')", "unexpected"),
    ("2 ** 3", "expected a number"),
    ("9" * 400 + " * 1", "too large"),
])
def test_what_cannot_be_computed_says_why(formula, message):
    with pytest.raises(FormulaError, match=message.replace("(", r"\(").replace("{", r"\{")):
        evaluate_formula(formula, {"a": 10, "b": 40})


def test_deep_nesting_is_computed_without_recursion():
    assert evaluate_formula("(" * 900 + "1" + ")" * 900, {}) == 1.0
    assert evaluate_formula("-" * 1500 + "1", {}) == 1.0


# -- properties: only arithmetic, only our own error -------------------------------------------

_VALUES = {"a": Fraction(7), "b": Fraction(3), "zero": Fraction(0)}
_ATOMS = st.one_of(
    st.integers(0, 1000).map(lambda n: (str(n), Fraction(n))),
    st.sampled_from([(f"{{{name}}}", value) for name, value in _VALUES.items()] + [("{nope}", None), ("1.5", Fraction(3, 2))]),
)


def _combine(op, left, right):
    """The exact value of `left op right`, or None when it has none (an unknown reference, a division by zero)."""
    if left is None or right is None or (op == "/" and right == 0):
        return None
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right if right else None}[op]


def _expressions():
    """Formulas with their exact value, built side by side, so no parser is needed to know the answer."""
    return st.recursive(_ATOMS, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", _combine(t[1], t[0][1], t[2][1]))),
        inner.map(lambda e: (f"-{e[0]}", None if e[1] is None else -e[1])),
    ), max_leaves=12)


@given(_expressions())
def test_a_formula_computes_what_arithmetic_says_or_raises_only_formula_error(case):
    formula, exact = case
    values = {name: float(value) for name, value in _VALUES.items()}
    if exact is None:
        with pytest.raises(FormulaError):
            evaluate_formula(formula, values)
    else:
        assert math.isclose(evaluate_formula(formula, values), float(exact), rel_tol=1e-9, abs_tol=1e-9)


_PIECES = [*"{}()+-*/.0123456789 abxz_'\"[]=:;", "__import__", "lambda", "os", "{a}", "{b}"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_text_gives_a_number_or_formula_error(text):
    try:
        result = evaluate_formula(text, {"a": 1.0, "b": 2.0})
    except FormulaError:
        return
    assert isinstance(result, float) and math.isfinite(result)
    formula_references(text)  # what is computed, the model accepts as a formula


@pytest.mark.thorough
@settings(max_examples=2000)
@given(st.text(max_size=200))
def test_any_unicode_text_gives_a_number_or_formula_error(text):
    try:
        assert math.isfinite(evaluate_formula(text, {"a": 1.0}))
    except FormulaError:
        pass
