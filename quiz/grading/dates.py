"""Dates as people type them, at the precision they give: a year, a month or a day.

`parse_date` reads `1991`, `December 2022`, `Dec. 2022`, `2022-12`, `12/2022`, `2022-12-05`,
`5 December 2022`, `December 5, 2022`, `5th Dec 2022`, `25/12/2022`; an all-number date whose
day and month could be swapped (`03/04/2023`) is refused. What cannot be read raises
`Unreadable` with a structured hint. `MONTH_NAMES` is the package's one table of month names.
Standard library only.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

from quiz.grading.hints import unreadable
from quiz.grading.text import DASHES

__all__ = ["MONTH_NAMES", "PartialDate", "month_number", "parse_date"]

# English month names, January first: the one table (not `calendar.month_name`, which follows
# the locale).
MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTHS[_name.casefold()] = _number
    _MONTHS[_name[:3].casefold()] = _number
_MONTHS["sept"] = 9


def month_number(word: str) -> int | None:
    """1..12 for a month's name or its usual abbreviation ("Dec", "Sept"), any case; else None."""
    return _MONTHS.get(word.strip().rstrip(".").casefold())


@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, a month or a day: the precision is part of the answer."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FILLER_WORDS = frozenset({day[:3] for day in _WEEKDAYS}) | frozenset(
    ("the", "of", "on", "in", "year", "tues", "thur", "thurs", *_WEEKDAYS)
)
_DAY_TOKEN_RE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")
_YEAR_TOKEN_RE = re.compile(r"[0-9]{4}")
_SEP = r"[-/.]"
_NUMERIC_DATES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"([0-9]{4})"), "y"),
    (re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}})"), "ym"),
    (re.compile(rf"([0-9]{{1,2}}){_SEP}([0-9]{{4}})"), "my"),
    (re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})"), "ymd"),
    (re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"), "ymd"),
    (re.compile(rf"([0-9]{{1,2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{4}})"), "??y"),
)


def parse_date(s: str) -> PartialDate:
    """Read a date at the precision given: a year, a month or a day. Raises `Unreadable`."""
    if not isinstance(s, str):
        raise unreadable("date.unreadable")
    text = unicodedata.normalize("NFKC", s).translate(DASHES)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".").strip()
    if not text:
        raise unreadable("date.unreadable")
    if re.search(r"[^\W\d_]", text):
        return _parse_worded_date(text)
    return _parse_numeric_date(text)


def _parse_numeric_date(text: str) -> PartialDate:
    compact = re.sub(r"\s*([-/.])\s*", r"\1", text)
    for pattern, shape in _NUMERIC_DATES:
        match = pattern.fullmatch(compact)
        if match is None:
            continue
        numbers = [int(group) for group in match.groups()]
        if shape == "y":
            return _checked_date(numbers[0])
        if shape == "ym":
            return _checked_date(numbers[0], numbers[1])
        if shape == "my":
            return _checked_date(numbers[1], numbers[0])
        if shape == "ymd":
            return _checked_date(numbers[0], numbers[1], numbers[2])
        first, second, year = numbers
        if first <= 12 and second <= 12 and first != second:
            # day/month or month/day: the learner's own numbers, read both ways
            raise unreadable("date.ambiguous", text=compact, first=first, second=second, year=year)
        if first > 12 >= second:
            return _checked_date(year, second, first)  # day/month/year
        if second > 12 >= first:
            return _checked_date(year, first, second)  # month/day/year
        if first == second:
            return _checked_date(year, first, first)
        raise unreadable("date.no_month_in", text=compact, first=first, second=second)
    raise unreadable("date.unreadable")


def _parse_worded_date(text: str) -> PartialDate:
    tokens = [token for token in re.split(r"[\s,./\-]+", text.casefold()) if token]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    for token in tokens:
        if token in _MONTHS:
            if month is not None:
                raise unreadable("date.two_months")
            month = _MONTHS[token]
        elif token in _FILLER_WORDS:
            continue
        elif _YEAR_TOKEN_RE.fullmatch(token):
            if year is not None:
                raise unreadable("date.two_years")
            year = int(token)
        elif match := _DAY_TOKEN_RE.fullmatch(token):
            if day is not None:
                raise unreadable("date.two_days")
            day = int(match.group(1))
        else:
            raise unreadable("date.unreadable")
    if year is None:
        raise unreadable("date.no_year")
    if month is None and day is not None:
        raise unreadable("date.no_month", day=day, year=year)
    return _checked_date(year, month, day)


def _checked_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    if not 1 <= year <= 9999:
        raise unreadable("date.bad_year", year=year)
    if month is not None and not 1 <= month <= 12:
        raise unreadable("date.bad_month", month=month)
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise unreadable("date.bad_day", day=day, month=month, year=year, last=last)
    return PartialDate(year, month, day)
