"""Measured values in: CSV and XLSX tables, and the measurements a catalogue carries.

A table has one row per indicator and period, optionally broken down by channel, client
segment, provider or one-stop centre. Every row is checked against the indicator's passport;
every problem is reported with its file, row and column, and when any row is wrong nothing
is returned, so a half-read table never looks like a whole one.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import MalformedError, PPSError, UnreadableError
from ..formats import DEFAULT_MAX_BYTES, read_file
from ..model import Catalogue
from ..model.enums import ClientSegment, TargetKind
from ..model.indicator import Indicator
from ..wording import counted
from .numbers import shown as _shown
from .periods import PERIOD_FORMS, YEARS, Period, parse_period

COLUMNS = ("indicator", "period", "start", "end", "value", "unit", "channel", "segment", "provider", "centre")
BREAKDOWN = ("channel", "segment", "provider", "centre")
MAX_ROWS = 1_000_000
MAX_COLUMNS = len(COLUMNS) + 5  # XLSX cells read per row: the known columns, and a few to report as unknown
MAX_VALUE = 1e15  # sums and changes of such values stay finite, and charts can scale them
MAX_SHOWN = 100  # problems an error message lists; the error keeps them all
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")  # 1,000: a thousand, or one with three decimals
UNSAVED_FORMULA = "a formula without a saved value: open and save the workbook in a spreadsheet program"


@dataclass(frozen=True)
class Breakdown:
    """What part of the whole a value is for; all empty for the whole."""

    channel: str | None = None
    segment: str | None = None
    provider: str | None = None
    centre: str | None = None

    @property
    def label(self) -> str:
        """`channel ch-x, segment residents`, or `all` for the whole."""
        parts = [f"{name} {getattr(self, name)}" for name in BREAKDOWN if getattr(self, name)]
        return ", ".join(parts) or "all"

    @property
    def sort_key(self) -> tuple[str, ...]:
        """The whole first, then the parts in order of channel, segment, provider and centre."""
        return tuple(getattr(self, name) or "" for name in BREAKDOWN)


_WHOLE = Breakdown()


@dataclass(frozen=True)
class Reading:
    """One measured value of an indicator for a period and a breakdown, and where it was read."""

    indicator: str
    period: Period
    value: float
    breakdown: Breakdown = Breakdown()
    source: str = ""

    @property
    def key(self) -> tuple[str, Period, Breakdown]:
        return self.indicator, self.period, self.breakdown


@dataclass(frozen=True)
class ReadingProblem:
    """Something wrong with one measured value: the file, the row (or the path in a catalogue),
    the column, and what is wrong."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.path:
            where.append(self.path)
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class MeasurementsError(PPSError, ValueError):
    """Measurements were not read because some are wrong; `problems` lists every one."""

    def __init__(self, problems: list[ReadingProblem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            shown.append(f"… and {counted(len(self.problems) - MAX_SHOWN, 'more problem')}")
        return "\n  ".join([f"measurements not read: {counted(len(self.problems), 'problem')}", *shown])


def read_measurements(tables: Iterable[str | os.PathLike[str]], catalogue: Catalogue, *,
                      with_catalogue: bool = True, catalogue_name: str = "catalogue") -> list[Reading]:
    """Every measured value of the CSV and XLSX `tables` and (unless `with_catalogue` is false)
    the catalogue's own `measurements`, checked against the catalogue's passports.

    Raises MeasurementsError listing every wrong value (an unknown indicator, channel or client
    segment, a value that is not a number, a unit that disagrees with the passport, a period
    outside the measuring period or not one of its frequency, the same value twice), and
    FormatError when a table cannot be read at all. Nothing is returned when anything is wrong.
    """
    checker = _Checker(catalogue)
    if with_catalogue:
        for index, m in enumerate(catalogue.measurements):
            fields = {"indicator": m.indicator, "start": m.start, "end": m.end, "value": m.value,
                      "channel": m.channel, "segment": m.segment.value if m.segment else None}
            checker.add(fields, catalogue_name, path=f"measurements[{index}]")
    for table in tables:
        path = Path(table)
        header, rows, decimal_comma = _table_rows(path)
        before = len(checker.problems)
        unknown = [name for name in header if name and name not in COLUMNS]
        for name in unknown:
            checker.problems.append(ReadingProblem(str(path), f"unknown column; the columns are {', '.join(COLUMNS)}", 1, name))
        for name in sorted({name for name in header if name and header.count(name) > 1}):
            checker.problems.append(ReadingProblem(str(path), "the column is there twice; keep one", 1, name))
        for column in ("indicator", "value"):
            if column not in header:
                checker.problems.append(ReadingProblem(str(path), f"no {column!r} column", 1))
        if "period" not in header and not {"start", "end"} <= set(header):
            checker.problems.append(ReadingProblem(str(path), "no 'period' column (nor 'start' and 'end')", 1))
        if len(checker.problems) > before:  # rows of a table whose header is wrong mean nothing
            continue
        for number, cells in rows:
            beyond = next((n for n, cell in enumerate(cells[len(header):], start=len(header) + 1)
                           if cell not in (None, "") and str(cell).strip()), None)
            if beyond is not None:
                checker.problems.append(ReadingProblem(str(path), "a cell beyond the header: name its column in the "
                                                                  "first row, or clear it", number, f"#{beyond}"))
                continue
            checker.add(dict(zip(header, cells)), str(path), row=number, decimal_comma=decimal_comma)
    if checker.problems:
        raise MeasurementsError(checker.problems)
    return checker.readings


class _Checker:
    """Turns rows into readings, collecting every problem instead of stopping at the first."""

    def __init__(self, catalogue: Catalogue):
        self.indicators = {ind.id: ind for service in catalogue.services for ind in service.indicators}
        self.channels = {channel.id for channel in catalogue.channels}
        self.readings: list[Reading] = []
        self.problems: list[ReadingProblem] = []
        self.first_seen: dict[tuple[str, Period, Breakdown], str] = {}

    def add(self, fields: dict[str, Any], file: str, row: int | None = None, path: str | None = None,
            decimal_comma: bool = False) -> None:
        def problem(column: str | None, message: str) -> None:
            self.problems.append(ReadingProblem(file, message, row, column, path))

        before = len(self.problems)
        indicator = self._indicator(_text(fields.get("indicator")), problem)
        value = _number(fields.get("value"), problem, decimal_comma)
        period = _period(fields, problem)
        breakdown = self._breakdown(fields, problem)
        unit = _text(fields.get("unit"))
        if indicator is None or value is None or period is None:
            return
        if unit and unit.casefold() != indicator.unit.strip().casefold():
            problem("unit", f"unit {unit[:40]!r} disagrees with the passport of {indicator.id!r}, whose unit is {indicator.unit!r}")
        problem_with_period = _period_problem(indicator, period)
        if problem_with_period:
            problem("period" if "period" in fields and fields["period"] not in (None, "") else "start", problem_with_period)
        target = indicator.target
        if target is not None and target.kind is TargetKind.SCALE and target.minimum is not None and target.maximum is not None:
            if not target.minimum <= value <= target.maximum:
                problem("value", f"{_shown(value)} is off the rating scale {_shown(target.minimum)}…{_shown(target.maximum)}")
        reading = Reading(indicator.id, period, value, breakdown, f"{file}, {f'row {row}' if row is not None else path}")
        first = self.first_seen.setdefault(reading.key, reading.source)
        if first != reading.source:
            problem(None, f"{indicator.id!r} already has a value for {period.label} ({breakdown.label}) at {first}")
        if len(self.problems) == before:
            self.readings.append(reading)

    def _indicator(self, id: str | None, problem: Any) -> Indicator | None:
        if not id:
            problem("indicator", "no indicator named")
            return None
        if id not in self.indicators:
            problem("indicator", f"unknown indicator {id[:80]!r}; the catalogue has no passport with that identifier")
            return None
        return self.indicators[id]

    def _breakdown(self, fields: dict[str, Any], problem: Any) -> Breakdown:
        get = fields.get
        if not (get("channel") or get("segment") or get("provider") or get("centre")):  # most rows are for the whole
            return _WHOLE
        parts = {name: _text(fields.get(name)) for name in BREAKDOWN}
        if parts["channel"] and parts["channel"] not in self.channels:
            problem("channel", f"unknown channel {parts['channel'][:80]!r}; the catalogue has no channel with that identifier")
        if parts["segment"] and parts["segment"] not in ClientSegment.__members__.values():
            problem("segment", f"unknown client segment {parts['segment'][:80]!r}; known: {', '.join(s.value for s in ClientSegment)}")
        return Breakdown(**parts)


def _period_problem(indicator: Indicator, period: Period) -> str | None:
    if period.start < indicator.start or (indicator.end is not None and period.end > indicator.end):
        span = f"{indicator.start}…{indicator.end or ''}"
        return f"{period.label} is outside the measuring period of {indicator.id!r} ({span})"
    measuring, reporting = indicator.measuring_frequency, indicator.reporting_frequency
    if not (period.fits(measuring) or period.fits(reporting)):
        return (f"{period.label} is not one whole period of {indicator.id!r}, which is measured {measuring.value}"
                f" and reported {reporting.value}")
    return None


def _text(cell: Any) -> str | None:
    if cell is None:
        return None
    text = (cell.isoformat() if isinstance(cell, date | datetime) else str(cell)).strip()
    return text or None


def _number(cell: Any, problem: Any, decimal_comma: bool = False) -> float | None:
    if cell is _UNSAVED:
        problem("value", UNSAVED_FORMULA)
        return None
    if isinstance(cell, bool) or cell is None or cell == "":
        problem("value", "no value" if cell in (None, "") else f"{cell!r} is not a number")
        return None
    if isinstance(cell, int | float):
        try:
            number = float(cell)
        except OverflowError:  # a whole number with hundreds of digits
            number = math.inf
    elif isinstance(cell, str) and _THOUSANDS.match(cell.strip()):
        problem("value", f"{cell.strip()!r} may be a thousand or one: write a thousand as 1000, one as 1.0")
        return None
    elif isinstance(cell, str) and _NUMBER.match(cell.strip()) and (decimal_comma or "," not in cell):
        number = float(cell.strip().replace(",", "."))  # a decimal comma, as Latvian spreadsheets write it
    elif isinstance(cell, str) and _NUMBER.match(cell.strip()):
        problem("value", f"{cell.strip()!r}: a decimal comma is read only in a table separated by semicolons or tabs; "
                         "write a decimal point")
        return None
    else:
        problem("value", f"{str(cell)[:40]!r} is not a number (write 12.5 or 12,5, without thousands separators)")
        return None
    if not math.isfinite(number):
        problem("value", f"{str(cell)[:40]!r} is not a finite number")
        return None
    if abs(number) > MAX_VALUE:
        problem("value", f"{str(cell)[:40]!r} is too large for an indicator value (at most {MAX_VALUE:g} either way)")
        return None
    return number


def _period(fields: dict[str, Any], problem: Any) -> Period | None:
    label = _text(fields.get("period"))
    start, end = fields.get("start"), fields.get("end")
    if label and (_text(start) or _text(end)):
        problem("period", "give either a period or a start and an end, not both")
        return None
    if label:
        try:
            return parse_period(label)
        except ValueError as exc:
            problem("period", str(exc))
            return None
    days = [_day(fields.get(column), column, problem) for column in ("start", "end")]
    if None in days:
        return None
    first, last = days
    if last < first:  # type: ignore[operator]
        problem("end", f"the period ends ({last}) before it starts ({first})")
        return None
    return Period(first, last)  # type: ignore[arg-type]


def _day(cell: Any, column: str, problem: Any) -> date | None:
    day = _date(cell, column, problem)
    if day is not None and day.year not in YEARS:
        problem(column, f"{day} is not a date of the years {YEARS[0]} to {YEARS[-1]}")
        return None
    return day


def _date(cell: Any, column: str, problem: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    if not text:
        problem(column, f"no {column} date (or give a period: {PERIOD_FORMS})")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problem(column, f"{text[:40]!r} is not a date (write 2026-03-31)")
        return None


# -- tables ------------------------------------------------------------------------------------

class _UnsavedFormula:
    """An XLSX cell whose formula has no saved result (read as empty otherwise)."""

    def __str__(self) -> str:
        return "="


_UNSAVED = _UnsavedFormula()


def _sheet_rows(path: Path, book: Any) -> list[list[Any]]:
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # the size a workbook claims may be far larger than its cells, and rows are padded to it
    rows = []
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        rows.append(list(row))
        if len(rows) > MAX_ROWS + 1:
            raise UnreadableError(f"{path}: more than {MAX_ROWS:,} rows")
    return rows


def _empty_values(rows: list[list[Any]]) -> dict[int, list[int]]:
    """For each row below the header, the empty cells of its value columns (rows not blank)."""
    filled = [n for n, row in enumerate(rows) if any(cell not in (None, "") for cell in row)]
    if not filled:
        return {}
    header = [(_text(cell) or "").lower() for cell in rows[filled[0]]]
    columns = [n for n, name in enumerate(header) if name == "value"]
    empty = {n: [c for c in columns if c < len(rows[n]) and rows[n][c] is None] for n in filled[1:]}
    return {n: found for n, found in empty.items() if found}


def _table_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]], bool]:
    """The header (lower-cased names) and the numbered rows of a CSV or XLSX table, blank rows
    left out, and whether a decimal comma is read (a CSV table separated by semicolons or
    tabs). Raises FormatError when the file cannot be read as a table."""
    suffix = path.suffix.lower()
    decimal_comma = False
    if suffix == ".xlsx":
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows, decimal_comma = _csv_rows(path)
    else:
        raise UnreadableError(f"{path}: measurements are read from .csv or .xlsx tables, not {suffix or 'a file without a suffix'}")
    numbered = [(number, row) for number, row in enumerate(rows, start=1)
                if any(cell not in (None, "") and str(cell).strip() for cell in row)]
    if not numbered:
        raise MalformedError(f"{path}: the table is empty")
    if len(numbered) > MAX_ROWS + 1:
        raise UnreadableError(f"{path}: more than {MAX_ROWS:,} rows")
    (_, header), body = numbered[0], numbered[1:]
    names = [(_text(cell) or "").lower() for cell in header]
    while names and not names[-1]:  # the empty cells after the last column
        names.pop()
    return names, iter(body), decimal_comma


def _csv_rows(path: Path) -> tuple[list[list[str]], bool]:
    raw = read_file(path, DEFAULT_MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedError(f"{path}: not UTF-8 text (byte {exc.start + 1}); save the table as CSV UTF-8") from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Latvian write CSV with semicolons, since the comma is the decimal mark.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter != ","
    except csv.Error as exc:
        raise MalformedError(f"{path}: not a CSV table ({exc})") from None


def _xlsx_rows(path: Path) -> list[list[Any]]:
    """The first worksheet's rows, read without running anything: read-only, cached values only."""
    if not path.is_file():
        raise UnreadableError(f"{path}: no such file")
    if path.stat().st_size > DEFAULT_MAX_BYTES:
        raise UnreadableError(f"{path}: larger than the limit of {DEFAULT_MAX_BYTES:,} bytes")
    if not zipfile.is_zipfile(path):
        raise MalformedError(f"{path}: not an XLSX workbook")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a broken workbook; all mean the same
        raise MalformedError(f"{path}: not an XLSX workbook ({type(exc).__name__})") from None
    try:
        if not book.worksheets:
            raise MalformedError(f"{path}: the workbook has no worksheet")
        rows = _sheet_rows(path, book)
        empty = _empty_values(rows)
        if empty:  # formulas whose result was never saved read as empty cells: find them to say so
            with_formulas = load_workbook(path, read_only=True, data_only=False)
            try:
                for at, row in enumerate(_sheet_rows(path, with_formulas)):
                    for column in empty.get(at, ()):
                        if column < len(row) and isinstance(row[column], str) and row[column].startswith("="):
                            rows[at][column] = _UNSAVED
            finally:
                with_formulas.close()
        return rows
    except PPSError:
        raise
    except Exception as exc:
        raise MalformedError(f"{path}: the worksheet cannot be read ({type(exc).__name__})") from None
    finally:
        book.close()
