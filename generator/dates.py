"""Dates as policies give them: a day, a month, a school term or a year.

Real documents say "reviewed January 2018" or "next review Spring 2016"; an
author made to type a day would invent one. A :class:`PolicyDate` keeps the
precision the author gave: the first and last day it may mean, and the text
as written. It is ordered by its first day (then its last), and a deadline
written with it falls due on its last day: a review "by January 2018" is due
on 31 January 2018.

Terms are those of English schools, by whole months: spring term January to
March, summer term April to July, autumn term September to December.

Numbers-only dates ("06.05.18", "01/07/2024") are refused, not guessed:
read in the United States they are 5 June and 7 January. The message names
both readings, the unambiguous ways to write them, and the handbook's
``date_order`` setting: a handbook that says which comes first
(:class:`DateOrder`) has them read that way, and shown as written. A
two-digit year is 2000-2069 for 00-69 and 1970-1999 for 70-99 (the POSIX
rule, as ``strptime``'s ``%y``): school records are of this century.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import Enum

__all__ = ["ACCEPTED_FORMS", "DateOrder", "PolicyDate", "Precision", "numbers_only", "parse_date"]

ACCEPTED_FORMS = "a day (2025-09-01, or 1 September 2025), a month (January 2018), a term (Spring term 2016) or a year (2016)"


class Precision(str, Enum):
    DAY = "day"
    MONTH = "month"
    TERM = "term"
    YEAR = "year"


class DateOrder(str, Enum):
    """How a handbook's numbers-only dates are read (``date_order`` in handbook.yaml)."""

    DAY_FIRST = "day-first"
    """06.05.18 is 6 May 2018, as in the United Kingdom."""
    MONTH_FIRST = "month-first"
    """06.05.18 is 5 June 2018, as in the United States."""

    @classmethod
    def setting(cls, value) -> "DateOrder | None":
        """handbook.yaml's ``date_order`` (validated by the schema), or ``None`` when it is not set."""
        return cls(value) if value in cls._value2member_map_ else None


#: Term name -> (first month, last month).
TERMS = {"spring": (1, 3), "summer": (4, 7), "autumn": (9, 12)}
_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


@dataclass(frozen=True, slots=True, order=True)
class PolicyDate:
    """A date with the precision its author gave; ordered by its first day."""

    start: dt.date
    """The first day it may mean."""
    end: dt.date
    """The last day it may mean: when something due "by" it falls due."""
    precision: Precision
    written: str
    """As the author wrote it (spaces tidied): shown in messages."""

    @property
    def exact(self) -> bool:
        return self.precision is Precision.DAY

    @property
    def label(self) -> str:
        """For readers: ``18 January 2017``, or the period as written (``Spring term 2016``)."""
        if self.exact:
            return f"{self.start.day} {self.start:%B %Y}"
        if self.precision is Precision.MONTH:
            return f"{self.start:%B %Y}"
        if self.precision is Precision.YEAR:
            return str(self.start.year)
        return f"{_term_name(self.start.month)} term {self.start.year}"

    @property
    def iso(self) -> str:
        """``2017-01-18``; ``2018-01`` for a month, ``2016`` for a year, as written for a term."""
        if self.exact:
            return self.start.isoformat()
        if self.precision is Precision.MONTH:
            return f"{self.start:%Y-%m}"
        if self.precision is Precision.YEAR:
            return str(self.start.year)
        return self.label

    def __str__(self) -> str:
        return self.written

    @classmethod
    def of_day(cls, day: dt.date) -> "PolicyDate":
        return cls(day, day, Precision.DAY, day.isoformat())

    def plus_months(self, months: int) -> "PolicyDate":
        """The same period ``months`` later (a day past the 28th becomes the 28th, as the review cycle always did)."""
        start = _add_months(self.start, months)
        if self.exact:
            return PolicyDate.of_day(start)
        end = _add_months(self.end.replace(day=1), months)
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
        moved = PolicyDate(start, end, self.precision, "")
        return replace(moved, written=moved.label)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def _term_name(month: int) -> str:
    return next(name.capitalize() for name, (first, last) in TERMS.items() if first <= month <= last)


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_WORDS = re.compile(r"(\d{1,2})\s*(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", re.ASCII)
_MONTH = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})", re.ASCII)
_TERM = re.compile(r"(spring|summer|autumn)(?:\s+term)?,?\s+(\d{4})", re.ASCII | re.IGNORECASE)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})", re.ASCII)


def parse_date(value, order: DateOrder | None = None) -> tuple[PolicyDate | None, str | None]:
    """``value`` (YAML text, or a whole number for a year) as a date, or why it is not one.

    Args:
        order: how to read a numbers-only date; without it one is refused.

    Returns:
        The date and ``None``, or ``None`` and the reason (for a message that
        goes on to name :data:`ACCEPTED_FORMS`).
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, "is not a date"
    written = " ".join(str(value).split())
    try:
        return _parse(written, order), None
    except ValueError as error:
        return None, str(error)


def numbers_only(text: str) -> bool:
    """Whether ``text`` is a date in numbers only (06.05.18, 06/05/2018), read by the handbook's ``date_order``."""
    return bool(_NUMERIC.fullmatch(text.strip()))


def _parse(text: str, order: DateOrder | None) -> PolicyDate:
    if found := _ISO.fullmatch(text):
        return _day(text, *map(int, found.groups()))
    if found := _WORDS.fullmatch(text):
        return _day(text, int(found[3]), _month(found[2]), int(found[1]))
    if found := _TERM.fullmatch(text):
        first, last = TERMS[found[1].casefold()]
        year = int(found[2])
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return PolicyDate(dt.date(year, first, 1), end, Precision.TERM, text)
    if found := _MONTH.fullmatch(text):
        if found[1].casefold() == "winter":
            raise ValueError("is not a school term (a winter spans two years)")
        year, month = int(found[2]), _month(found[1])
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        return PolicyDate(dt.date(year, month, 1), end, Precision.MONTH, text)
    if _YEAR.fullmatch(text):
        year = int(text)
        return PolicyDate(dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR, text)
    if found := _NUMERIC.fullmatch(text):
        first, second, year = found.groups()
        if order is None:
            raise ValueError(_numeric_reason(first, second, year))
        day, month = (first, second) if order is DateOrder.DAY_FIRST else (second, first)
        try:
            return _day(text, full_year(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"is not a real date read {order.value} (as date_order in handbook.yaml says)") from None
    raise ValueError("is not a date")


def _day(text: str, year: int, month: int, day: int) -> PolicyDate:
    try:
        found = dt.date(year, month, day)
    except ValueError:
        raise ValueError("is not a real date") from None
    return PolicyDate(found, found, Precision.DAY, text)


def _month(name: str) -> int:
    try:
        return _MONTHS[name.casefold()]
    except KeyError:
        raise ValueError(f"does not name a month ('{name}')") from None


def full_year(year: str) -> int:
    """``18`` is 2018, ``75`` is 1975 (00-69 -> 20xx, 70-99 -> 19xx); four digits stay as they are."""
    if len(year) != 2:
        return int(year)
    return int(year) + (2000 if int(year) < 70 else 1900)


#: Said after every refusal of a numbers-only date: the setting that makes it readable.
SETTING_HINT = "or say how the handbook writes dates with date_order: day-first (or month-first) in handbook.yaml"


def _numeric_reason(first: str, second: str, year: str) -> str:
    readings = []
    for day, month in ((int(first), int(second)), (int(second), int(first))):
        try:
            found = dt.date(full_year(year), month, day)
        except ValueError:
            continue
        if found not in (reading for reading, _ in readings):
            readings.append((found, f"{found.day} {found:%B %Y}"))
    if not readings:
        return "is not a real date"
    if len(readings) == 1:
        found, words = readings[0]
        return f"is written with numbers only: write it as {found.isoformat()} or '{words}', {SETTING_HINT}"
    (a, a_words), (b, b_words) = readings
    return (f"could be {a_words} or {b_words} (day or month first): "
            f"write it as {a.isoformat()} or '{a_words}' (or {b.isoformat()}), {SETTING_HINT}")
