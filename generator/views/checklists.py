"""Role checklists: every duty that the handbook places on one role."""

from __future__ import annotations

from dataclasses import dataclass

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
        return self.clause.checklist or self.clause.text

    @property
    def badge(self) -> Obligation:
        """The strength shown beside the wording.

        A ``checklist`` wording is an instruction that carries its own
        polarity ("Never share your password", "Check the consent list
        first"), so beside it a must-not shows as must: "MUST NOT Check the
        consent list" would say the opposite of the clause.
        """
        obligation = self.clause.obligation
        if self.clause.checklist and obligation.negative:
            return Obligation(obligation.value.removesuffix("-not"))
        return obligation


@dataclass(frozen=True, slots=True)
class PolicyDuties:
    """The duties one policy places on a role, in clause order."""

    version: PolicyVersion
    does: tuple[Duty, ...]
    """What the role must (not) do: the clause applies to it."""
    acts_on: tuple[Duty, ...]
    """What the role acts on when others report: it is responsible."""


@dataclass(frozen=True, slots=True)
class RoleChecklist:
    role: Role
    includes: tuple[Role, ...]
    """Every role whose duties this role inherits, nearest first."""
    groups: tuple[PolicyDuties, ...]

    @property
    def count(self) -> int:
        return sum(len(group.does) + len(group.acts_on) for group in self.groups)


def checklist_versions(handbook: Handbook, *, include_drafts: bool = False) -> tuple[PolicyVersion, ...]:
    """The versions duties come from: each policy's adopted one (drafts on request)."""
    versions = []
    for policy in handbook.policies:
        if include_drafts and policy.drafts:
            versions.append(policy.drafts[-1])
        elif policy.adopted is not None:
            versions.append(policy.adopted)
    return tuple(versions)


def build_checklist(handbook: Handbook, role_id: str, *, include_drafts: bool = False) -> RoleChecklist:
    """Every duty of ``role_id``, directly or through ``includes``, by policy."""
    closure = handbook.role_closure(role_id)
    # Named roles are listed in closure order; looking each clause's few roles
    # up here keeps a clause's cost independent of how many roles are included.
    rank = {role: index for index, role in enumerate(closure)}

    def in_closure(roles: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({r for r in roles if r in rank}, key=rank.__getitem__))

    groups = []
    for version in _in_handbook_order(handbook, checklist_versions(handbook, include_drafts=include_drafts)):
        does, acts_on = [], []
        for clause in _duties(version):
            named = in_closure(clause.applies_to)
            if named:
                does.append(Duty(version, clause, named))
            responsible = in_closure(clause.responsible)
            if responsible:
                acts_on.append(Duty(version, clause, responsible))
        if does or acts_on:
            groups.append(PolicyDuties(version, tuple(does), tuple(acts_on)))
    includes = tuple(handbook.role(r) for r in closure[1:])
    return RoleChecklist(handbook.role(role_id), includes, tuple(groups))


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
        if clause.is_duty:
            yield clause
        for _, step in clause.step_duties():
            yield step


def build_checklists(handbook: Handbook, *, include_drafts: bool = False) -> tuple[RoleChecklist, ...]:
    return tuple(build_checklist(handbook, role.id, include_drafts=include_drafts) for role in handbook.roles)


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
