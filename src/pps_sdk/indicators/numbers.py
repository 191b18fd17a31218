"""How a value is written for people (the terminal, the HTML report, alarms and reasons)."""

from __future__ import annotations

import math


def shown(number: float) -> str:
    """`number` without an exponent: at most two decimals (12345, 1234567, 12.5), three
    significant digits below one (0.25, 0.00125)."""
    if abs(number) >= 1 or number == 0:
        text = f"{number:.2f}"
    else:
        text = f"{number:.{min(12, 2 - math.floor(math.log10(abs(number))))}f}"
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def shown_change(change: float) -> str:
    """A change with its sign: +3, -2.5, ±0."""
    return ("+" if change > 0 else "±" if change == 0 else "") + shown(change)
