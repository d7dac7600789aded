"""The review schedule: which policies are overdue, due soon, or later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Handbook, PolicyVersion, title_key

DUE_SOON_DAYS = 90
# (state, heading) in the order the page and the terminal list them.
SCHEDULE_BUCKETS = (("overdue", "Overdue"), ("due-soon", "Due soon"), ("later", "Later"), ("no-date", "No review date"))


@dataclass(frozen=True, slots=True)
class ReviewRow:
    version: PolicyVersion
    due: dt.date | None
    days_left: int | None

    @property
    def state(self) -> str:
        if self.due is None or self.days_left is None:
            return "no-date"
        if self.days_left < 0:
            return "overdue"
        if self.days_left <= DUE_SOON_DAYS:
            return "due-soon"
        return "later"


@dataclass(frozen=True, slots=True)
class ReviewSchedule:
    today: dt.date
    rows: tuple[ReviewRow, ...]

    def bucket(self, state: str) -> tuple[ReviewRow, ...]:
        return tuple(row for row in self.rows if row.state == state)

    @property
    def overdue(self) -> tuple[ReviewRow, ...]:
        return self.bucket("overdue")


def next_review(version: PolicyVersion) -> dt.date | None:
    """The stated next review, else effective date plus the review cycle."""
    if version.review.next:
        return version.review.next
    if version.effective is None:
        return None
    months = version.effective.month - 1 + version.review.cycle_months
    year, month = version.effective.year + months // 12, months % 12 + 1
    day = min(version.effective.day, 28)
    return dt.date(year, month, day)


def build_schedule(handbook: Handbook, today: dt.date) -> ReviewSchedule:
    """Every policy in force, soonest review first."""
    rows = []
    for policy in handbook.policies:
        version = policy.adopted
        if version is None:
            continue
        due = next_review(version)
        rows.append(ReviewRow(version, due, (due - today).days if due else None))
    rows.sort(key=lambda row: (row.due is None, row.due or today, title_key(row.version.title, row.version.policy_id)))
    return ReviewSchedule(today, tuple(rows))
