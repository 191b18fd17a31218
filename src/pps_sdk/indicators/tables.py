"""Evaluated values out, as a CSV or XLSX table in which no cell is a live formula."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from ..errors import FormatError, UnwritableError
from ..formats import write_atomically
from ..formats.tables import csv_text, inert
from .evaluation import EvaluatedValue, Evaluation

EVALUATED_COLUMNS = (
    "indicator", "period", "start", "end", "channel", "segment", "provider", "centre", "value", "unit", "derived",
    "status", "reason", "target", "previous", "change_from_previous", "year_earlier", "change_from_year_earlier",
    "alarm_procedure", "analysed_by", "source",
)


def evaluated_rows(evaluation: Evaluation) -> list[list[Any]]:
    """One row per value, columns as `EVALUATED_COLUMNS`, the critical values first."""
    return [_row(value) for value in evaluation.alarms_first()]


def _row(v: EvaluatedValue) -> list[Any]:
    b = v.breakdown
    return [v.indicator, v.period.label, v.period.start.isoformat(), v.period.end.isoformat(), b.channel, b.segment,
            b.provider, b.centre, v.value, v.unit, "yes" if v.derived else "no", v.status.value, v.reason, v.target,
            v.previous, v.change_from_previous, v.year_earlier, v.change_from_year_earlier,
            v.alarm.procedure if v.alarm else None, v.alarm.analysed_by if v.alarm else None, v.source]


def write_evaluated(evaluation: Evaluation, path: str | os.PathLike[str]) -> Path:
    """Write the evaluated values to `path`, a .csv or .xlsx file, replacing it whole.

    Text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-` or `@`) is
    written as plain text. Raises FormatError for another suffix, UnwritableError when the
    file cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        write_atomically(target, csv_text(EVALUATED_COLUMNS, evaluated_rows(evaluation)))
    elif suffix == ".xlsx":
        _write_xlsx(target, evaluated_rows(evaluation))
    else:
        raise FormatError(f"{target}: evaluated values are written as .csv or .xlsx, not {suffix or 'a file without a suffix'}")
    return target


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)  # streamed row by row: time and memory in proportion to the rows
    sheet = book.create_sheet("evaluated")
    sheet.append(list(EVALUATED_COLUMNS))

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", inert(value)))
        text.data_type = "s"  # openpyxl takes text starting with "=" for a formula; keep it text
        return text

    for row in rows:
        sheet.append([cell(value) for value in row])
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise OSError(f"{path} is not a regular file")
        book.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise UnwritableError(f"{path}: cannot write ({exc.strerror or exc})") from None
