"""The date a handbook is built as of: the review schedule and checklists depend on it."""

from __future__ import annotations

import datetime as dt
import os


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
