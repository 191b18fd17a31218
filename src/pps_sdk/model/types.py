"""Constrained scalar types shared by the models: identifiers, links, codes, durations."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from ..vocab import LANGUAGES

# Identifiers become parts of IRIs and XML ids later, so they keep to URL-safe characters.
_IDENTIFIER_CHARACTERS = "A-Za-z0-9._~-"
IDENTIFIER_PATTERN = rf"^[A-Za-z0-9][{_IDENTIFIER_CHARACTERS}]{{0,127}}$"
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
"""An object's identifier: letters, digits, `.`, `_`, `~`, `-`; starts with a letter or digit."""

_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_NOT_IN_IDENTIFIER = re.compile(f"[^{_IDENTIFIER_CHARACTERS}]+")


def is_identifier(value: str) -> bool:
    """Whether `value` can be an object's identifier as it is."""
    return _IDENTIFIER.match(value) is not None


def identifier_stem(text: str) -> str:
    """`text` with every run of characters an identifier cannot hold made a `-`, and trimmed
    of punctuation at either end: the stem of an identifier made from a name or an IRI (it
    may be empty, and is not cut to length)."""
    return _NOT_IN_IDENTIFIER.sub("-", text).strip("-._~")

SourceId = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=r"\S")]
"""An identifier in someone else's system (the holder's own service number, for instance)."""

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=r"\S")]


# Characters RFC 3987 does not allow in an IRI; links become IRIs in RDF, so they are refused.
_NOT_IN_IRI = set('<>"{}|\\^`')


def is_link(value: str) -> bool:
    """Whether `value` is an absolute http(s) link that can also be written as an IRI."""
    parts = urlsplit(value)
    return (parts.scheme in ("http", "https") and bool(parts.netloc)
            and not any(c.isspace() or c in _NOT_IN_IRI or ord(c) < 32 for c in value))


def _http_url(value: str) -> str:
    if not is_link(value):
        raise ValueError(f"{value!r} is not an http(s) link")
    return value


Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url)]
"""An absolute http or https link, kept exactly as given."""

Email = Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Telephone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{2,24}$")]

# ISO 8601 duration as xsd:duration, plus weeks (P4W), which CPSV-AP examples use. Digits
# are ASCII ([0-9], not \d, which in Python also matches other scripts' digits).
# Weeks are stored as days: xsd:duration, which CPSV-AP and our XSD require, has no weeks.
_DURATION = re.compile(r"^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$")


_WEEKS = re.compile(r"([0-9]+)W")
_DAYS = re.compile(r"([0-9]+)D")


def xsd_duration(duration: str) -> str:
    """An ISO 8601 duration as xsd:duration, which has no weeks: P4W → P28D, P1W2D → P9D."""
    weeks = _WEEKS.search(duration)
    if not weeks:
        return duration
    date_part, _, time_part = duration.partition("T")
    days_match = _DAYS.search(date_part)
    days = int(weeks.group(1)) * 7 + (int(days_match.group(1)) if days_match else 0)
    date_part = re.sub(r"[0-9]+[WD]", "", date_part) + f"{days}D"
    return date_part + (f"T{time_part}" if time_part else "")


def _duration(value: str) -> str:
    found = _DURATION.match(value)
    if not found:
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as P14D, P1M or PT2H")
    _within_range(value, found)
    return xsd_duration(value)


def _within_range(value: str, found: re.Match[str]) -> None:
    """Refuse days, hours, minutes and seconds beyond 999,999,999 days in all: RDF tools
    (rdflib, pyshacl) hold them as a time span of at most that, and call the literal
    ill-typed, so the description would fail the CPSV-AP shapes."""
    weeks, days, _, hours, minutes, seconds = (found.group(i) for i in (3, 4, 5, 6, 7, 8))
    try:
        timedelta(weeks=int((weeks or "0W")[:-1]), days=int((days or "0D")[:-1]), hours=int((hours or "0H")[:-1]),
                  minutes=int((minutes or "0M")[:-1]), seconds=float((seconds or "0S")[:-1]))
    except (OverflowError, ValueError):
        raise ValueError(f"{value!r} is too long: its days, hours, minutes and seconds must add up to "
                         "at most 999,999,999 days") from None


Duration = Annotated[str, AfterValidator(_duration)]
"""A positive ISO 8601 duration (`P14D`, `P1M`, `PT30M`), kept as written except that weeks
become days (`P4W` is stored as `P28D`), as in xsd:duration."""

COUNTRY = "LV"
ATVK_CODE = "[0-9]{7}"
"""A municipality's code in the classification of territorial units (ATVK)."""
Territory = Annotated[str, StringConstraints(pattern=f"^({COUNTRY}|{ATVK_CODE})$")]
"""Where something applies: `LV` for the whole country, or a municipality's 7-digit ATVK code."""

RegistrationNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{11}$")]
"""An 11-digit Latvian registration number (institutions, companies)."""


def _known_language(value: str) -> str:
    code = value.lower()
    if code not in LANGUAGES:
        raise ValueError(f"{value!r} is not a known ISO 639-1 language code (known: {', '.join(sorted(LANGUAGES))})")
    return code


LanguageCode = Annotated[str, AfterValidator(_known_language)]
"""A language a service is offered in, as an ISO 639-1 code (`lv`, `en`, `ru`)."""

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code."""

def number_as_given(value: Any) -> Any:
    """Let a number through; refuse text and booleans instead of reading `"2"` or `true` as a number.

    Readers of formats that carry numbers as text (XML) convert them before validation.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number_type", "Input should be a number, not text or true/false")
    return value


def whole_number_as_given(value: Any) -> Any:
    """Let a whole number through; refuse text, booleans and fractions (`"2"`, `true`, `2.0`)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "Input should be a whole number, not text, true/false or a fraction")
    return value


Number = Annotated[float, BeforeValidator(number_as_given), Field(allow_inf_nan=False)]
"""A finite number (no NaN or infinity, which JSON and XML cannot carry faithfully), given
as a number: `"2.5"` and `true` are refused."""


def _not_a_number(value: Any) -> Any:
    # pydantic would read a number as seconds since 1970; a date or a time is written as text.
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_type", "Input should be a date or time written as text (2026-01-31, 08:30)")
    return value


Day = Annotated[date, BeforeValidator(_not_a_number)]
"""A calendar date, given as a date or as ISO 8601 text (`2026-01-31`); never a number."""

ClockTime = Annotated[time, BeforeValidator(_not_a_number)]
"""A time of day, given as a time or as ISO 8601 text (`08:30`); never a number."""
