"""Measuring periods: how a table names them, whether they fit a frequency, which period
comes before and which is a year earlier.

A table of a thousand services has the same few dozen periods on every row, so what is
worked out from a period (its label, whether it fits a frequency, the periods before it)
and the period a label names are kept for the next time they are asked for."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, timedelta

from ..model.enums import Frequency

_LABEL = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|Q(?P<quarter>[1-4])|H(?P<half>[12])|W(?P<week>\d{2})))?$")
_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}
PERIOD_FORMS = "2026, 2026-H1, 2026-Q1, 2026-03, 2026-W05 or 2026-03-15"
YEARS = range(1900, 9999)  # 1900 to 9998: the periods before and after each stay within the calendar


@dataclass(frozen=True, order=True)
class Period:
    """A measuring period: its first and its last day, both included."""

    start: date
    end: date

    @property
    def label(self) -> str:
        """The shortest name of the period: `2026`, `2026-H1`, `2026-Q1`, `2026-03`, `2026-W05`,
        `2026-03-15`, or `2026-03-01..2026-03-20` for any other span."""
        return _label(self)

    def fits(self, frequency: Frequency) -> bool:
        """True when the period is one whole period of `frequency`: a calendar month for monthly,
        a calendar quarter for quarterly, Monday to Sunday for weekly, one day for daily; any
        period for continuous measuring."""
        return _fits(self, frequency)

    def previous(self) -> Period:
        """The period of the same kind right before this one (the month before a month…)."""
        return _previous(self)

    def year_earlier(self) -> Period | None:
        """The same period a year earlier (for an ISO week: the week of the same number in the
        ISO year before; None for week 53 when that year has only 52)."""
        return _year_earlier(self)


_REMEMBERED = 4096  # periods whose label, fits, previous and year earlier are kept


@lru_cache(maxsize=_REMEMBERED)
def _label(period: Period) -> str:
    months = _whole_months(period)
    year = period.start.year
    if months == 12 and period.start.month == 1:
        return str(year)
    if months == 6 and period.start.month in (1, 7):
        return f"{year}-H{1 if period.start.month == 1 else 2}"
    if months == 3 and period.start.month % 3 == 1:
        return f"{year}-Q{(period.start.month + 2) // 3}"
    if months == 1:
        return f"{year}-{period.start.month:02d}"
    if period.start == period.end:
        return period.start.isoformat()
    if _is_iso_week(period):
        iso_year, week, _ = period.start.isocalendar()
        return f"{iso_year}-W{week:02d}"
    return f"{period.start.isoformat()}..{period.end.isoformat()}"


@lru_cache(maxsize=_REMEMBERED)
def _fits(period: Period, frequency: Frequency) -> bool:
    if frequency is Frequency.CONTINUOUS:
        return True
    if frequency is Frequency.DAILY:
        return period.start == period.end
    if frequency is Frequency.WEEKLY:
        return _is_iso_week(period)
    months = _MONTHS[frequency]
    return _whole_months(period) == months and (period.start.month - 1) % months == 0


@lru_cache(maxsize=_REMEMBERED)
def _previous(period: Period) -> Period:
    months = _whole_months(period)
    if months:
        return Period(_add_months(period.start, -months), period.start - timedelta(days=1))
    length = period.end - period.start + timedelta(days=1)
    return Period(period.start - length, period.start - timedelta(days=1))


@lru_cache(maxsize=_REMEMBERED)
def _year_earlier(period: Period) -> Period | None:
    if _whole_months(period):
        return Period(_add_months(period.start, -12), _add_months(period.end + timedelta(days=1), -12) - timedelta(days=1))
    if _is_iso_week(period):
        iso_year, week, _ = period.start.isocalendar()
        try:
            monday = date.fromisocalendar(iso_year - 1, week, 1)
        except ValueError:  # week 53 of a year before one of 52 weeks
            return None
        return Period(monday, monday + timedelta(days=6))
    return Period(_a_year_before(period.start), _a_year_before(period.end))


@lru_cache(maxsize=_REMEMBERED)
def parse_period(text: str) -> Period:
    """The period a label names (see `PERIOD_FORMS`). Raises ValueError when it names none."""
    match = _LABEL.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a period; write it as {PERIOD_FORMS}")
    year = int(match["year"])
    if year not in YEARS:
        raise ValueError(f"{text!r} is not a period of the years {YEARS[0]} to {YEARS[-1]}")
    try:
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            return Period(day, day)
        if match["month"]:
            return _months(year, int(match["month"]), 1)
        if match["quarter"]:
            return _months(year, 3 * int(match["quarter"]) - 2, 3)
        if match["half"]:
            return _months(year, 6 * int(match["half"]) - 5, 6)
        if match["week"]:
            monday = date.fromisocalendar(year, int(match["week"]), 1)
            return Period(monday, monday + timedelta(days=6))
        return _months(year, 1, 12)
    except ValueError:
        raise ValueError(f"{text!r} is not a period of the calendar") from None


def _months(year: int, month: int, count: int) -> Period:
    start = date(year, month, 1)
    return Period(start, _add_months(start, count) - timedelta(days=1))


def _add_months(day: date, months: int) -> date:
    """`day` moved by whole months, kept within the month it lands in (31 March - 1 month is 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _whole_months(period: Period) -> int:
    """How many calendar months the period spans exactly, or 0 when it is not whole months."""
    if period.start.day != 1 or (period.end + timedelta(days=1)).day != 1:
        return 0
    after = period.end + timedelta(days=1)
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def _is_iso_week(period: Period) -> bool:
    return period.start.weekday() == 0 and period.end == period.start + timedelta(days=6)


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def enclosing(period: Period, frequency: Frequency) -> Period | None:
    """The month, quarter, half-year or year (`frequency`) that holds the whole of `period`,
    or None when `period` crosses its end (or `frequency` is not one of those)."""
    months = _MONTHS.get(frequency)
    if months is None:
        return None
    first = (period.start.month - 1) // months * months + 1
    whole = _months(period.start.year, first, months)
    return whole if period.end <= whole.end else None


def days(period: Period) -> int:
    """How many days the period has."""
    return (period.end - period.start).days + 1
