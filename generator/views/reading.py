"""What a policy page tells its reader beside the text: whose duty differs, what is new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Clause, Policy, PolicyVersion, Scope, version_key
from .compare import ADDED, MATERIAL_KINDS, MOVED, Comparison, compare_versions

MARK_CHANGES_DAYS = 180
"""How long after a version takes effect its new and changed clauses are marked.

Policies are mostly adopted for the start of a term, and staff meet them at
induction and refresher training across the next two terms: about six
months. After that a mark would flag as news what everyone has read."""


def roles_shown(clause: Clause, scope: Scope) -> tuple[str, ...]:
    """The roles to print beside a duty: its own, only where they differ from the policy's scope.

    Every duty of a policy usually falls on everyone the policy covers;
    repeating the whole scope under every clause hides the few that are
    narrower (or wider). Order does not count: the same roles are the same scope.
    """
    return () if set(clause.applies_to) == set(scope.roles) else clause.applies_to


@dataclass(frozen=True, slots=True)
class ClauseMark:
    """A clause that is new or changed in the version in force."""

    kind: str
    """``new`` or ``changed``."""
    version: str
    """The version that brought the change."""
    previous: str
    """The version it is compared with."""
    anchor: str
    """The clause's anchor on the comparison page of ``previous`` and ``version``."""


def recent_changes(policy: Policy, today: dt.date, days: int = MARK_CHANGES_DAYS) -> dict[str, ClauseMark]:
    """Clause id -> mark, for the adopted version's new and changed clauses while it is recent (see :func:`recent_pair`)."""
    pair = recent_pair(policy, today, days)
    return clause_marks(compare_versions(*pair)) if pair else {}


def recent_pair(policy: Policy, today: dt.date, days: int = MARK_CHANGES_DAYS) -> tuple[PolicyVersion, PolicyVersion] | None:
    """The versions to mark changes between: (the one before, the adopted one), while the adopted one is recent.

    Recent means ``today`` is less than ``days`` after the version took
    effect (or before it does); ``days`` of 0 marks nothing. The version just
    before it is the one compared with: every policy has that comparison page.
    """
    version = policy.adopted
    if version is None or version.effective is None or days <= 0 or today >= version.effective.start + dt.timedelta(days=days):
        return None
    earlier = [v for v in policy.versions if version_key(v.version) < version_key(version.version)]
    return (max(earlier, key=lambda v: version_key(v.version)), version) if earlier else None


def clause_marks(comparison: Comparison) -> dict[str, ClauseMark]:
    """Clause id -> mark for the new version's new and changed clauses.

    Editorial changes and moves alone are not marked: the duty reads the same.
    """
    marks = {}
    for change in comparison.clauses:
        if change.new is None or not [kind for kind in change.kinds if kind in MATERIAL_KINDS and kind != MOVED]:
            continue
        kind = "new" if change.old is None or ADDED in change.kinds else "changed"
        marks[change.new.id] = ClauseMark(kind, comparison.new.version, comparison.old.version, change.anchor)
    return marks
