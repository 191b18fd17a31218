"""Tables the SDK writes for people (CSV), made safe to open in a spreadsheet.

A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` for a formula and runs it;
text from someone else's document could start that way. Such text is written with a leading
apostrophe, which spreadsheets show as text and do not run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """`value`, with text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a header row; no cell is a live formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([inert(value) for value in row] for row in rows)
    return buffer.getvalue()
