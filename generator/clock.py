"""The date a handbook is built as of: the review schedule and checklists depend on it."""

from __future__ import annotations

import datetime as dt
import os
import re

#: The build dates a command or ``mkdocs.yml`` may give: wider than any handbook's life, narrow enough to catch a
#: slip; near the ends of the calendar the review arithmetic (next review = date + cycle) would overflow.
TODAY_RANGE = (dt.date(1900, 1, 1), dt.date(2200, 12, 31))


def strict_date(text: str) -> dt.date | None:
    """``text`` as a YYYY-MM-DD date, else ``None`` (``date.fromisoformat`` also reads 20261121 and 2026-W47-6)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


class DateError(ValueError):
    """A build date that is not one; the message says what to write instead."""


def checked_date(text: str, *, fix: str = "write it as YYYY-MM-DD, e.g. 2026-09-01") -> dt.date:
    """``text`` as a YYYY-MM-DD date within :data:`TODAY_RANGE`; else :exc:`DateError`, ending with ``fix``."""
    date = strict_date(text)
    if date is None:
        raise DateError(f"{text!r} is not a date: {fix}")
    if not TODAY_RANGE[0] <= date <= TODAY_RANGE[1]:
        raise DateError(f"{date} is not between {TODAY_RANGE[0]} and {TODAY_RANGE[1]}")
    return date


def epoch_date(epoch: str) -> dt.date:
    """The UTC date of ``SOURCE_DATE_EPOCH``'s seconds since 1970, within :data:`TODAY_RANGE`; else :exc:`DateError`."""
    try:
        date = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date() if re.fullmatch(r"[0-9]+", epoch) else None
    except (ValueError, OverflowError, OSError):
        date = None
    if date is None or not TODAY_RANGE[0] <= date <= TODAY_RANGE[1]:
        raise DateError(f"SOURCE_DATE_EPOCH={epoch!r} is not a date between {TODAY_RANGE[0]} and {TODAY_RANGE[1]} in "
                        f"seconds since 1970; unset it, or give --today YYYY-MM-DD")
    return date


def build_date(configured: str | dt.date | None = None) -> dt.date:
    """The date given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else today.

    Raises:
        DateError: ``configured`` is not a YYYY-MM-DD date, or the epoch is not a date, within :data:`TODAY_RANGE`.
    """
    if isinstance(configured, dt.date):
        return configured
    if configured:
        return checked_date(configured)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:  # empty means unset
        return epoch_date(epoch)
    return dt.date.today()
