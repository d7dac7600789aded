"""The date a handbook is built as of: the review schedule and checklists depend on it."""

from __future__ import annotations

import datetime as dt
import os
import re

#: The build dates a command or ``mkdocs.yml`` may give: wider than any handbook's life, narrow enough to catch a slip.
TODAY_RANGE = (dt.date(1900, 1, 1), dt.date(2200, 12, 31))


def strict_date(text: str) -> dt.date | None:
    """``text`` as a YYYY-MM-DD date, else ``None`` (``date.fromisoformat`` also reads 20261121 and 2026-W47-6)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def build_date(configured: str | dt.date | None = None) -> dt.date:
    """The date given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else today.

    Raises:
        ValueError: ``configured`` is not a YYYY-MM-DD date, or the epoch is not a number.
    """
    if isinstance(configured, dt.date):
        return configured
    if configured:
        return dt.date.fromisoformat(configured)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()
