"""Evaluated values out, as a CSV or XLSX table in which no cell is a live formula."""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections.abc import Sequence
from contextlib import suppress
from itertools import chain
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

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
    """The rows as a one-sheet workbook, its XML written here rather than cell by cell through
    openpyxl, which takes minutes for the 7 million cells of a large network's values; text is
    inline, so that no cell can be a formula (and it is made inert like the CSV's besides)."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise OSError(f"{path} is not a regular file")
        with zipfile.ZipFile(temporary, "w") as book:
            for name, text in _XLSX_PARTS.items():
                book.writestr(_zip_entry(name), text)
            with book.open(_zip_entry("xl/worksheets/sheet1.xml"), "w") as sheet:
                sheet.write(_SHEET_START.encode())
                written = []
                for number, row in enumerate(chain([EVALUATED_COLUMNS], rows), start=1):
                    written.append(_xlsx_row(number, row))
                    if len(written) == 1000:  # a thousand rows at a time: memory stays small
                        sheet.write("".join(written).encode())
                        written.clear()
                sheet.write(("".join(written) + "</sheetData></worksheet>").encode())
        os.replace(temporary, path)
    except OSError as exc:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise UnwritableError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:  # an interrupt (Ctrl-C) or an error half-way leaves no temporary file
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


_COLUMN_LETTERS = [chr(ord("A") + n) for n in range(len(EVALUATED_COLUMNS))]  # fewer than 26 columns
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # what XML cannot hold
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_XLSX_PARTS = {
    "[Content_Types].xml": _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": _HEAD + f'<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{_DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOCUMENT}">'
    '<sheets><sheet name="evaluated" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": _HEAD + f'<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{_DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
_SHEET_START = _HEAD + f'<worksheet xmlns="{_MAIN}"><sheetData>'


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # the same bytes for the same values
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _xlsx_row(number: int, row: Sequence[Any]) -> str:
    cells = []
    for letter, value in zip(_COLUMN_LETTERS, row):
        if value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
        else:
            text = escape(_ILLEGAL.sub("\ufffd", str(inert(value))))
            cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'
