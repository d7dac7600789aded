"""Role checklists: every duty that the handbook places on one role."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field

from ..model import Clause, Handbook, Obligation, PolicyVersion, Role, role_key, title_key


@dataclass(frozen=True, slots=True)
class Duty:
    """One clause seen from one role."""

    version: PolicyVersion
    clause: Clause
    via: tuple[str, ...]
    """The roles in the holder's closure that the clause names (e.g. all-staff)."""

    @property
    def wording(self) -> str:
        """The clause's ``checklist`` wording, else its text.

        Beside a must-not or should-not badge, a ``checklist`` wording is used
        only when it reads as a prohibition ("Never share your password"):
        "MUST NOT Keep your lanyard on" would say the opposite of the clause,
        so a positive wording gives way to the clause's own text there.
        """
        checklist = self.clause.checklist
        if checklist and self.clause.obligation.negative and not reads_as_prohibition(checklist):
            return self.clause.text
        return checklist or self.clause.text

    @property
    def badge(self) -> Obligation:
        """The strength shown beside the wording: the clause's own, as on the policy page."""
        return self.clause.obligation

    @property
    def short_form(self) -> bool:
        """In the short form (``--must-only``): a must or must-not duty."""
        return self.clause.obligation.strength == Obligation.MUST.strength


_PROHIBITION = re.compile(r"(never|do not|don't|don\u2019t|not|no|nothing|nobody|avoid)\b", re.IGNORECASE)


def reads_as_prohibition(wording: str) -> bool:
    """``wording`` starts by forbidding something ("Never ...", "Do not ...", "No ...")."""
    return _PROHIBITION.match(wording.lstrip("*_ ")) is not None


@dataclass(frozen=True, slots=True)
class DutyGroup:
    """One heading of a policy's duties on a checklist, and the duties under it."""

    title: str
    kind: str
    """``does`` (must, must not), ``should`` (should, should not), ``may`` or ``acts-on``: a CSS modifier."""
    duties: tuple[Duty, ...]

    @property
    def in_short_form(self) -> bool:
        """The heading keeps an item in the short form."""
        return any(duty.short_form for duty in self.duties)


#: The headings of what a role does, strongest first, by :attr:`Obligation.strength`.
#: A "may" is a permission: listed under "What you must do" it read as a rule.
STRENGTH_GROUPS = ((3, "What you must do", "does"), (2, "What you should do", "should"), (1, "What you may do", "may"))
ACTS_ON_TITLE = "What you act on when others report to you"


@dataclass(frozen=True, slots=True)
class PolicyDuties:
    """The duties one policy places on a role, in clause order."""

    version: PolicyVersion
    does: tuple[Duty, ...]
    """What the role must (not) do, should (not) do or may do: the clause applies to it."""
    acts_on: tuple[Duty, ...]
    """What the role acts on when others report: it is responsible."""

    @property
    def parts(self) -> tuple[DutyGroup, ...]:
        """The duties under their headings, as every checklist format shows them; empty headings left out."""
        groups = [
            DutyGroup(title, kind, tuple(d for d in self.does if d.clause.obligation.strength == strength))
            for strength, title, kind in STRENGTH_GROUPS
        ]
        groups.append(DutyGroup(ACTS_ON_TITLE, "acts-on", self.acts_on))
        return tuple(group for group in groups if group.duties)

    @property
    def in_short_form(self) -> bool:
        """The group keeps an item in the short form."""
        return any(duty.short_form for duty in (*self.does, *self.acts_on))


@dataclass(frozen=True, slots=True)
class RoleChecklist:
    role: Role
    includes: tuple[Role, ...]
    """Every role whose duties this role inherits, nearest first."""
    groups: tuple[PolicyDuties, ...]
    must_only: bool = False
    """The short form: must and must-not duties only (see :func:`short_form`)."""

    @property
    def count(self) -> int:
        return sum(len(group.does) + len(group.acts_on) for group in self.groups)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self)

    @property
    def short_fingerprint(self) -> str:
        """The fingerprint of this checklist's short form."""
        return fingerprint(short_form(self))

    @property
    def short_count(self) -> int:
        """How many items the short form has."""
        return sum(duty.short_form for group in self.groups for duty in (*group.does, *group.acts_on))


def short_form(checklist: RoleChecklist) -> RoleChecklist:
    """The checklist with its must and must-not duties only; policies left with none are dropped."""
    groups = []
    for group in checklist.groups:
        does = tuple(duty for duty in group.does if duty.short_form)
        acts_on = tuple(duty for duty in group.acts_on if duty.short_form)
        if does or acts_on:
            groups.append(PolicyDuties(group.version, does, acts_on))
    return dataclasses.replace(checklist, groups=tuple(groups), must_only=True)


def fingerprint(checklist: RoleChecklist) -> str:
    """A short hash of everything a signed checklist asks of its holder, such as ``3f2a-91bc-04de``.

    It covers the role, the form (full or short), each policy's id, version
    and effective date, and each item's clause, strength, wording, deadline
    and whether the role does it or acts on it; it leaves out the build date,
    numbering and layout. A signed sheet with the same fingerprint as
    today's page was signed for the same duties.
    """
    fields: list = []  # hashed in one piece: a digest update per field cost more than the hashing

    def add(*values) -> None:
        fields.extend(values)

    add(checklist.role.id, checklist.must_only)
    for group in checklist.groups:
        version = group.version
        add("policy", version.policy_id, version.version, version.effective.iso if version.effective else None,
            version.status.value)
        for kind, duties in (("does", group.does), ("acts-on", group.acts_on)):
            for duty in duties:
                add(kind, duty.clause.id, duty.badge.value, duty.wording, duty.clause.deadline,
                    *(() if duty.clause.checklist else duty.clause.items))
    # Each field as text and a unit separator after it, as the sheets signed so far were hashed.
    joined = "\x1f".join("" if value is None else str(value) for value in fields) + "\x1f"
    text = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]
    return "-".join(text[i:i + 4] for i in range(0, 12, 4))


def checklist_versions(handbook: Handbook, *, include_drafts: bool = False) -> tuple[PolicyVersion, ...]:
    """The versions duties come from: each policy's adopted one (drafts on request)."""
    versions = []
    for policy in handbook.policies:
        if include_drafts and policy.drafts:
            versions.append(policy.drafts[-1])
        elif policy.adopted is not None:
            versions.append(policy.adopted)
    return tuple(versions)


def build_checklist(handbook: Handbook, role_id: str, *, include_drafts: bool = False,
                    _shared: _Shared | None = None) -> RoleChecklist:
    """Every duty of ``role_id``, directly or through ``includes``, by policy.

    ``_shared`` is what :func:`build_checklists` finds once for every role:
    the versions in order, each version's duty clauses, and the duties of
    the last build to reuse.
    """
    shared = _shared if _shared is not None else _Shared.of(handbook, include_drafts, None)
    closure = handbook.role_closure(role_id)
    # Named roles are listed in closure order; looking each clause's few roles
    # up here keeps a clause's cost independent of how many roles are included.
    rank = {role: index for index, role in enumerate(closure)}
    named_by: dict[tuple[str, ...], tuple[str, ...]] = {}

    def in_closure(roles: tuple[str, ...]) -> tuple[str, ...]:
        # Clauses name the same few role lists ("all-staff") again and again.
        named = named_by.get(roles)
        if named is None:
            named = named_by[roles] = tuple(sorted({r for r in roles if r in rank}, key=rank.__getitem__))
        return named

    groups = []
    for version in shared.versions:
        key = (closure, version.policy_id, version.version)
        stored = shared.last.get(key)
        if stored is not None and stored[0] is version:  # the very version: its duties for this closure stand
            group = stored[1]
        else:
            group = _policy_duties(version, shared.clauses(version), in_closure)
        shared.made[key] = (version, group)
        if group is not None:
            groups.append(group)
    includes = tuple(handbook.role(r) for r in closure[1:])
    return RoleChecklist(handbook.role(role_id), includes, tuple(groups))


def _policy_duties(version: PolicyVersion, clauses, in_closure) -> PolicyDuties | None:
    does, acts_on = [], []
    for clause in clauses:
        named = in_closure(clause.applies_to)
        if named:
            does.append(Duty(version, clause, named))
        responsible = in_closure(clause.responsible)
        if responsible:
            acts_on.append(Duty(version, clause, responsible))
    return PolicyDuties(version, tuple(does), tuple(acts_on)) if does or acts_on else None


@dataclass
class _Shared:
    """What every role's checklist of one build reads."""

    versions: list
    """The versions duties come from, in handbook order."""
    last: dict
    """(role closure, policy id, version number) -> (version, its duties for that closure) of the last build."""
    made: dict = field(default_factory=dict)
    """The same, for this build."""
    duty_clauses: dict = field(default_factory=dict)
    """id(version) -> its duty clauses (ids stay valid: the handbook holds the versions)."""

    @classmethod
    def of(cls, handbook: Handbook, include_drafts: bool, memo: dict | None) -> _Shared:
        versions = _in_handbook_order(handbook, checklist_versions(handbook, include_drafts=include_drafts))
        return cls(versions, memo if memo is not None else {})

    def clauses(self, version: PolicyVersion) -> tuple:
        found = self.duty_clauses.get(id(version))
        if found is None:
            found = self.duty_clauses[id(version)] = tuple(_duties(version))
        return found


def roles_with_duties(handbook: Handbook, *, include_drafts: bool = False) -> frozenset[str]:
    """Ids of the roles whose checklist has a duty, without building every checklist.

    Every printed checklist needs this set (role links go to pages that
    exist); building all checklists for each one made ``checklist --all``
    grow with the square of the number of roles.
    """
    named = {
        role_id
        for version in checklist_versions(handbook, include_drafts=include_drafts)
        for clause in _duties(version)
        for role_id in (*clause.applies_to, *clause.responsible)
    }
    return frozenset().union(*(handbook.role_takers(role_id) for role_id in named))


def _duties(version: PolicyVersion):
    """Each clause that places a duty, and after it each of its steps that places one of its own."""
    for clause in version.clauses:
        for _, duty in clause.duties():
            yield duty


def build_checklists(handbook: Handbook, *, include_drafts: bool = False,
                     memo: dict | None = None) -> tuple[RoleChecklist, ...]:
    """Every role's checklist.

    Args:
        memo: kept between builds (``mkdocs serve``): each role's duties in
            a version are found again only for a version that is not the
            very object of the last build (the loader reuses an unchanged
            file's), or whose role's includes changed.
    """
    shared = _Shared.of(handbook, include_drafts, dict(memo) if memo is not None else None)
    checklists = tuple(build_checklist(handbook, role.id, include_drafts=include_drafts, _shared=shared)
                       for role in handbook.roles)
    if memo is not None:  # this build's only: a removed version's duties must not come back
        memo.clear()
        memo.update(shared.made)
    return checklists


def _in_handbook_order(handbook: Handbook, versions) -> list[PolicyVersion]:
    """Category order from handbook.yaml, then title, as on the home page."""
    rank = {category.id: index for index, category in enumerate(handbook.categories)}
    return sorted(versions, key=lambda v: (rank.get(v.category, len(rank)), title_key(v.title, v.policy_id)))


def find_role(handbook: Handbook, name: str) -> Role | None:
    """The role whose id, name or alias is ``name`` (case-insensitive), if any.

    Validation makes sure each of them names one role; an id is still tried
    before names and aliases, so an id can never be taken by another role.
    """
    wanted = role_key(name)
    for candidates in (lambda r: (r.id,), lambda r: (r.name, *r.aliases)):
        for role in handbook.roles:
            if wanted in map(role_key, candidates(role)):
                return role
    return None
