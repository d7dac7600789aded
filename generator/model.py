"""The handbook model: frozen data classes built from validated YAML.

Everything here is plain data. Identity lives in ``id`` fields (stable across
versions); display numbers such as ``4.2`` are derived by position and never
typed by authors.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field, replace
from enum import Enum

from .dates import DateOrder, PolicyDate


class Obligation(str, Enum):
    """How strongly a clause binds; ``None`` on a clause means information."""

    MUST = "must"
    MUST_NOT = "must-not"
    SHOULD = "should"
    SHOULD_NOT = "should-not"
    MAY = "may"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    @property
    def negative(self) -> bool:
        return self.value.endswith("-not")

    @property
    def strength(self) -> int:
        """may < should < must, the same scale for the negative forms."""
        # ``_value_``, not ``value`` (a descriptor call): checklists and
        # comparisons ask this of every duty, 200,000 times at 100 policies.
        return _STRENGTHS[self._value_]


_STRENGTHS = {"may": 1, "should": 2, "should-not": 2, "must": 3, "must-not": 3}


class Status(str, Enum):
    DRAFT = "draft"
    ADOPTED = "adopted"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class Visibility(str, Enum):
    PUBLIC = "public"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was written, for messages and edit links."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    master_copy: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    description: str | None = None
    aliases: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Committee:
    """A governance body (the full board, a committee) that owns, reviews or approves policies.

    Not a role: it holds no duties and gets no checklist page.
    """

    id: str
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Legislation:
    id: str
    title: str
    kind: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """The school's adoption: who approved the version, when, and the minute recording it."""

    body: str | None
    """The approving body in words; ``None`` when ``committee`` names it."""
    date: PolicyDate
    minute: str | None = None
    committee: str | None = None
    """Id of a committee in handbook.yaml."""


@dataclass(frozen=True, slots=True)
class GovernorsReview:
    """The governors' review before adoption, often by a committee."""

    date: PolicyDate
    body: str | None = None
    committee: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    lead: str | None
    cycle_months: int
    statutory: bool = False
    next: PolicyDate | None = None
    with_staff: PolicyDate | None = None
    """When the version was reviewed with staff."""
    governors: GovernorsReview | None = None


@dataclass(frozen=True, slots=True)
class BasedOn:
    """The model policy adopted from: the publisher's release, not the school's adoption."""

    publisher: str
    title: str | None = None
    version: str | None = None
    changes: str | None = None
    released: PolicyDate | None = None
    """When the publisher released that version of the model."""


@dataclass(frozen=True, slots=True)
class Signatory:
    role: str
    """A role id: who signed, e.g. the headteacher."""
    date: PolicyDate
    name: str | None = None


@dataclass(frozen=True, slots=True)
class LoggedVersion:
    """A version in the policy's version log whose text the school does not hold."""

    version: str
    description: str
    date: PolicyDate | None = None


@dataclass(frozen=True, slots=True)
class Amendment:
    """A row of the document's amendment record: a change made to a version after it was issued."""

    date: PolicyDate
    description: str
    by: str | None = None
    """Who made or authorised it, as the record says (a name, initials or a role)."""
    clause: str | None = None
    """Id of the clause amended, checked against the version's clauses."""
    page: str | None = None
    """Where in the document, when the record gives a page or paragraph instead."""


@dataclass(frozen=True, slots=True)
class Definition:
    term: str
    meaning: str
    id: str | None = None
    """Set when the term names a group of people that clauses use in ``applies_to``."""
    roles: tuple[str, ...] = ()
    """The handbook roles the term covers in this policy ("Staff" includes governors...)."""


@dataclass(frozen=True, slots=True)
class Scope:
    roles: tuple[str, ...]
    contexts: tuple[str, ...] = ()


class Holder(str, Enum):
    """Who a duty falls on when it is not a list of roles."""

    ORGANISATION = "organisation"
    """The organisation itself acts ("The school reserves the right to monitor")."""
    UNNAMED = "unnamed"
    """The document does not say who: recorded as such, never defaulted to everyone in scope."""


@dataclass(frozen=True, slots=True)
class Option:
    """One wording of a clause that a model policy offers alternatives for ("Or ...")."""

    text: str
    obligation: Obligation | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """One item of a clause's list that places a duty of its own (step 3 of a procedure)."""

    obligation: Obligation | None = None
    applies_to: tuple[str, ...] = ()
    """The clause's holders unless the step names its own."""
    responsible: tuple[str, ...] = ()
    deadline: str | None = None
    checklist: str | None = None


@dataclass(frozen=True, slots=True)
class Clause:
    """One numbered paragraph of a policy; the unit of duties and of diffs."""

    id: str
    text: str
    number: str
    """Display number such as ``4.2`` (derived from position, or as the source
    numbers it); empty in an unnumbered document."""
    items: tuple[str, ...] = ()
    item_style: str = "bullet"
    obligation: Obligation | None = None
    applies_to: tuple[str, ...] = ()
    """Roles the duty falls on; the policy scope when the author gave none."""
    applies_to_explicit: bool = False
    responsible: tuple[str, ...] = ()
    deadline: str | None = None
    checklist: str | None = None
    binding: bool = True
    visibility: Visibility | None = None
    keywords: tuple[str, ...] = ()
    section: str = ""
    """Id of the (innermost) section that holds the clause."""
    section_title: str = ""
    holder: Holder | None = None
    """Set instead of roles: the organisation acts, or no holder is named (``applies_to`` is then empty)."""
    terms: tuple[str, ...] = ()
    """Policy-defined terms named in ``applies_to`` (their roles are in ``applies_to``)."""
    options: tuple[Option, ...] = ()
    """Alternative wordings left in from a model policy; ``text`` is the chosen one's."""
    chosen: int | None = None
    """Which option (1 = first) the school chose; ``None`` while unresolved."""
    placeholders: tuple[str, ...] = ()
    """Blanks left unfilled in the text or items, such as ``[name of the agreement]``."""
    steps: tuple[Step | None, ...] = ()
    """Per item, its own duty (``None`` for a plain item); empty when no item has one."""
    step: int | None = None
    """Set on the clause a checklist shows for one step: the step's number (1 = first item)."""
    source: SourceRef | None = field(default=None, compare=False)
    title: str | None = None
    """A short title shown in the contents, search results and checklists."""

    @property
    def is_duty(self) -> bool:
        """A binding clause with an obligation places a duty on someone."""
        return self.obligation is not None and self.binding

    @property
    def unresolved(self) -> bool:
        """Options are offered and none is chosen: the clause is in force in no wording."""
        return bool(self.options) and self.chosen is None

    @property
    def label(self) -> str:
        """How readers cite the clause: its number, else (unnumbered) its section's title."""
        cited = self.number or self.section_title
        return f"{cited}, step {self.step}" if self.step else cited

    def duties(self):
        """``(step, clause)`` for each duty the clause places: itself (step ``None``), then each step with one of its own.

        What a checklist lists, and what a comparison counts per role.
        """
        if self.is_duty:
            yield None, self
        yield from self.step_duties()

    def step_duties(self):
        """``(number, clause)`` for each item with a duty of its own: the clause as that step's duty."""
        for number, step in enumerate(self.steps, 1):
            if step is not None and step.obligation is not None and self.binding:
                yield number, replace(
                    self, text=self.items[number - 1], items=(), steps=(), step=number, obligation=step.obligation,
                    applies_to=step.applies_to, responsible=step.responsible, deadline=step.deadline,
                    checklist=step.checklist,
                )


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    number: str
    """``3``, ``3.4`` for a sub-section; empty in an unnumbered document."""
    clauses: tuple[Clause, ...]
    binding: bool = True
    visibility: Visibility | None = None
    sections: tuple["Section", ...] = ()
    """Sub-sections, after the section's own clauses (a heading with sub-headings may have no clauses)."""

    def walk(self, depth: int = 0):
        """``(section, depth)`` for this section and every sub-section, in reading order."""
        yield self, depth
        for sub in self.sections:
            yield from sub.walk(depth + 1)

    @property
    def all_clauses(self) -> tuple[Clause, ...]:
        """The section's clauses and its sub-sections', in reading order."""
        return tuple(clause for section, _ in self.walk() for clause in section.clauses)


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """One version of one policy, as written in one YAML file."""

    policy_id: str
    version: str
    title: str
    category: str
    status: Status
    owner: str
    scope: Scope
    sections: tuple[Section, ...]
    review: Review
    effective: PolicyDate | None = None
    approval: Approval | None = None
    based_on: BasedOn | None = None
    changes: str | None = None
    summary: str | None = None
    related: tuple[str, ...] = ()
    legislation: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    definitions: tuple[Definition, ...] = ()
    visibility: Visibility = Visibility.STAFF
    master_copy: str | None = None
    """Where this policy's signed master copy is kept (default: the organisation's)."""
    signatories: tuple[Signatory, ...] = ()
    history: tuple[LoggedVersion, ...] = ()
    """Earlier versions known only from the document's version log."""
    amendments: tuple[Amendment, ...] = ()
    """The amendment record: changes made to this version since it was issued, in the record's order."""
    placeholders: tuple[str, ...] = ()
    """Blanks left unfilled in the version's texts outside its clauses (summary, changes, definitions...)."""
    numbering: str = "derived"
    """``derived`` (from position), ``source`` (as the document numbers it) or ``none``."""
    related_titles: tuple[str, ...] = ()
    """Related policies that are not (yet) in the handbook: titles, shown without a link."""
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(clause for section, _ in self.walk() for clause in section.clauses)

    @property
    def all_sections(self) -> tuple[Section, ...]:
        """Every section and sub-section, in reading order."""
        return tuple(section for section, _ in self.walk())

    def walk(self):
        """``(section, depth)`` for every section and sub-section (depth 0 at the top), in reading order."""
        for section in self.sections:
            yield from section.walk()

    def clause(self, clause_id: str) -> Clause | None:
        return next((clause for clause in self.clauses if clause.id == clause_id), None)

    @property
    def commitments(self) -> tuple[Clause, ...]:
        """Duties the organisation itself takes on: listed on the policy page, on no checklist."""
        return tuple(c for c in self.clauses if c.is_duty and c.holder is Holder.ORGANISATION)

    @property
    def slug(self) -> str:
        """The version as used in file names and URLs: ``v5``."""
        return f"v{self.version}"


@dataclass(frozen=True, slots=True)
class Policy:
    """All versions of one policy, oldest first."""

    id: str
    versions: tuple[PolicyVersion, ...]

    @property
    def adopted(self) -> PolicyVersion | None:
        return next((v for v in self.versions if v.status is Status.ADOPTED), None)

    @property
    def drafts(self) -> tuple[PolicyVersion, ...]:
        return tuple(v for v in self.versions if v.status is Status.DRAFT)

    @property
    def current(self) -> PolicyVersion:
        """The version the policy page shows: adopted, else the newest."""
        return self.adopted or self.versions[-1]

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def log(self) -> tuple[LoggedVersion, ...]:
        """Versions known only from a version log, oldest first.

        Each version's file may carry the log of the versions before it; a
        version logged in several files is taken from the newest.
        """
        rows: dict[str, LoggedVersion] = {}
        for version in self.versions:
            rows.update((row.version, row) for row in version.history)
        return tuple(sorted(rows.values(), key=lambda row: version_key(row.version)))

    def version(self, label: str) -> PolicyVersion | None:
        """The version labelled ``label``; ``v5`` and ``5`` both find version 5.

        The label itself wins: beside versions "1" and "v1", ``v1`` is "v1".
        """
        return (next((v for v in self.versions if v.version == label), None)
                or next((v for v in self.versions if v.slug == label), None))


@dataclass(frozen=True, slots=True)
class Handbook:
    """The whole validated handbook: settings plus every policy."""

    organisation: Organisation
    roles: tuple[Role, ...]
    categories: tuple[Category, ...]
    legislation: tuple[Legislation, ...]
    default_review_months: int
    policies: tuple[Policy, ...]
    committees: tuple[Committee, ...] = ()

    vocabulary: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Search synonyms from handbook.yaml: a word staff type -> the handbook's words for it."""

    date_order: DateOrder | None = None
    """How numbers-only dates (06.05.18) read, from handbook.yaml; none: they are refused."""

    _by_id: dict = field(init=False, repr=False, compare=False, hash=False)
    """Indexes by id, built once: lookups are O(1) however big the handbook."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {
            "roles": _index(self.roles),
            "policies": _index(self.policies),
            "categories": _index(self.categories),
            "legislation": _index(self.legislation),
            "committees": _index(self.committees),
            "closures": _role_closures(self.roles),
        })
        takers: dict[str, set[str]] = {}
        for role_id, closure in self._by_id["closures"].items():
            for taken in closure:
                takers.setdefault(taken, set()).add(role_id)
        self._by_id["takers"] = {role_id: frozenset(ids) for role_id, ids in takers.items()}

    def role(self, role_id: str) -> Role:
        return self._by_id["roles"][role_id]

    def policy(self, policy_id: str) -> Policy | None:
        return self._by_id["policies"].get(policy_id)

    def committee(self, committee_id: str) -> Committee | None:
        return self._by_id["committees"].get(committee_id)

    def body_name(self, ident: str) -> str:
        """The name of a role or committee (an owner may be either)."""
        found = self.committee(ident)
        return found.name if found is not None else self.role(ident).name

    def category(self, category_id: str) -> Category:
        return self._by_id["categories"][category_id]

    def law(self, legislation_id: str) -> Legislation:
        return self._by_id["legislation"][legislation_id]

    def role_closure(self, role_id: str) -> tuple[str, ...]:
        """The role and every role it includes, directly or indirectly, breadth first."""
        return self._by_id["closures"].get(role_id, ())

    def role_takers(self, role_id: str) -> frozenset[str]:
        """Every role whose closure holds ``role_id``: the roles that take on its duties."""
        return self._by_id["takers"].get(role_id, frozenset())


def _role_closures(roles: tuple[Role, ...]) -> dict[str, tuple[str, ...]]:
    """Every role's closure (itself first, then its includes breadth first), all at once.

    Checklists and comparisons ask for every role's closure; computed one by
    one with a list as the queue, a lattice of 430 roles each including all
    earlier ones took minutes. Here each closure is also kept as a bit set
    (bit n: the n-th role): a role whose own closure is already all visited
    adds nothing, so it is not expanded, and its includes need not be read
    again. Roles are done includes first, so those bit sets are known.
    """
    position = {role.id: n for n, role in enumerate(roles)}
    includes = {role.id: [r for r in role.includes if r in position] for role in roles}
    bits: dict[str, int] = {}
    closures: dict[str, tuple[str, ...]] = {}
    for role_id in _includes_first(includes):
        visited, order, queue = 1 << position[role_id], [role_id], deque([role_id])
        while queue:
            current = queue.popleft()
            known = bits.get(current)
            if known is not None and not known & ~visited:
                continue
            for included in includes[current]:
                bit = 1 << position[included]
                if not visited & bit:
                    visited |= bit
                    order.append(included)
                    queue.append(included)
        bits[role_id] = visited
        closures[role_id] = tuple(order)
    return closures


def _includes_first(includes: dict[str, list[str]]) -> list[str]:
    """Role ids in depth-first post-order: a role after the roles it includes (loops broken)."""
    done: set[str] = set()
    order: list[str] = []
    for root in includes:
        if root in done:
            continue
        done.add(root)
        stack = [(root, iter(includes[root]))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in done), None)
            if child is None:
                stack.pop()
                order.append(node)
            else:
                done.add(child)
                stack.append((child, iter(includes[child])))
    return order


def _index(items) -> dict:
    return {item.id: item for item in items}


_VERSION_PART = re.compile(r"(\d+)|(\D+)")


def version_key(version: str) -> tuple:
    """Sort key that orders ``2`` before ``10`` and ``1.2`` before ``1.10``."""
    return tuple(
        (0, int(number), "") if number else (1, 0, text)
        for number, text in _VERSION_PART.findall(version)
    )


def role_key(text: str) -> str:
    """How a role's id, name or alias is matched when someone names the role (``policybook checklist DSL``)."""
    return " ".join(text.split()).casefold()


def title_key(title: str, ident: str) -> tuple:
    """Alphabetical order by title, total: "Data protection" and "Data Protection"
    are ordered by their exact text, then by id, never by the order of a set
    (which changes with ``PYTHONHASHSEED`` from one build to the next)."""
    return (title.casefold(), title, ident)
