"""What a policy page tells its reader beside the text: whose duty differs, what is new."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Clause, Policy, PolicyVersion, Scope, version_key
from .compare import ADDED, MATERIAL_KINDS, MOVED, compare_versions

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
    """Clause id -> mark, for the adopted version's new and changed clauses while it is recent.

    Recent means ``today`` is less than ``days`` after the version took
    effect (or before it does); ``days`` of 0 marks nothing. Changes are
    counted against the version just before it, whose comparison page every
    policy has. Editorial changes and moves alone are not marked: the duty
    reads the same.
    """
    version = policy.adopted
    if version is None or version.effective is None or days <= 0 or today >= version.effective + dt.timedelta(days=days):
        return {}
    previous = _previous(policy, version)
    if previous is None:
        return {}
    marks = {}
    for change in compare_versions(previous, version).clauses:
        if change.new is None or not [kind for kind in change.kinds if kind in MATERIAL_KINDS and kind != MOVED]:
            continue
        kind = "new" if change.old is None or ADDED in change.kinds else "changed"
        marks[change.new.id] = ClauseMark(kind, version.version, previous.version, change.anchor)
    return marks


def _previous(policy: Policy, version: PolicyVersion) -> PolicyVersion | None:
    earlier = [v for v in policy.versions if version_key(v.version) < version_key(version.version)]
    return max(earlier, key=lambda v: version_key(v.version)) if earlier else None
