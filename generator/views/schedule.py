"""The review schedule: which policies are overdue, due soon, or later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dates import PolicyDate
from ..model import Handbook, PolicyVersion, title_key

DUE_SOON_DAYS = 90
# (state, heading) in the order the page and the terminal list them.
SCHEDULE_BUCKETS = (("overdue", "Overdue"), ("due-soon", "Due soon"), ("later", "Later"), ("no-date", "No review date"))


@dataclass(frozen=True, slots=True)
class ReviewRow:
    version: PolicyVersion
    next: PolicyDate | None
    """The next review as the policy gives it (``January 2018``) or as the cycle makes it."""
    days_left: int | None

    @property
    def due(self) -> dt.date | None:
        """The day the review falls due: a review "by January 2018" is due on 31 January."""
        return self.next.end if self.next else None

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


def next_review(version: PolicyVersion) -> PolicyDate | None:
    """The stated next review, else effective date plus the review cycle, as precise as the effective date."""
    if version.review.next:
        return version.review.next
    if version.effective is None:
        return None
    return version.effective.plus_months(version.review.cycle_months)


def build_schedule(handbook: Handbook, today: dt.date) -> ReviewSchedule:
    """Every policy in force, soonest review first."""
    rows = []
    for policy in handbook.policies:
        version = policy.adopted
        if version is None:
            continue
        due = next_review(version)
        rows.append(ReviewRow(version, due, (due.end - today).days if due else None))
    rows.sort(key=lambda row: (row.due is None, row.due or today, title_key(row.version.title, row.version.policy_id)))
    return ReviewSchedule(today, tuple(rows))
