"""Compare two versions of a policy clause by clause.

Clauses are aligned by their stable id; leftovers are paired by text
similarity (one-to-one, above a cutoff) and marked so a person can check.
Each aligned pair is diffed word by word: tokens are words, punctuation and
runs of white space, so a redline never splits a word.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..model import Clause, PolicyVersion

SIMILARITY_CUTOFF = 60.0
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

ADDED, REMOVED, REWORDED, EDITORIAL, MOVED = "added", "removed", "reworded", "editorial", "moved"
STRENGTHENED, WEAKENED = "obligation-strengthened", "obligation-weakened"
APPLIES_TO, RESPONSIBLE = "applies-to-changed", "responsible-changed"
DEADLINE, BINDING = "deadline-changed", "binding-changed"
MATERIAL_KINDS = (ADDED, REMOVED, STRENGTHENED, WEAKENED, APPLIES_TO, RESPONSIBLE, DEADLINE, BINDING, REWORDED, MOVED)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of tokens: ``equal``, ``insert`` or ``delete``."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class ClauseChange:
    old: Clause | None
    new: Clause | None
    kinds: tuple[str, ...]
    segments: tuple[Segment, ...]
    matched_by: str | None = None
    """``id`` or ``similarity``; ``None`` for added and removed clauses."""

    @property
    def clause_id(self) -> str:
        return (self.new or self.old).id

    @property
    def changed(self) -> bool:
        return bool(self.kinds)

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.number != self.new.number)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class Comparison:
    old: PolicyVersion
    new: PolicyVersion
    clauses: tuple[ClauseChange, ...]
    fields: tuple[FieldChange, ...] = field(default=())

    def count(self, kind: str) -> int:
        return sum(1 for change in self.clauses if kind in change.kinds)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.clauses:
            for kind in change.kinds:
                counts[kind] = counts.get(kind, 0) + 1
        return counts

    @property
    def changed(self) -> tuple[ClauseChange, ...]:
        return tuple(change for change in self.clauses if change.changed)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def clause_text(clause: Clause) -> str:
    """The words of a clause as one text: its paragraph, then its items."""
    return "\n".join([clause.text.strip(), *(f"- {item.strip()}" for item in clause.items)])


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments that rebuild ``old`` (without inserts) and ``new`` (without deletes)."""
    if old == new:  # most clauses carry over unchanged: skip the matcher
        return (Segment("equal", old),) if old else ()
    a, b = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []

    def push(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", a[i1:i2])
        else:
            push("delete", a[i1:i2])
            push("insert", b[j1:j2])
    return tuple(segments)


def compare_versions(old: PolicyVersion, new: PolicyVersion) -> Comparison:
    """Every clause of ``old`` and ``new``, aligned and classified, in new order."""
    pairs = _align(old.clauses, new.clauses)
    old_section = {c.id: s.id for s in old.sections for c in s.clauses}
    new_section = {c.id: s.id for s in new.sections for c in s.clauses}
    moved = _moved(pairs, old.clauses)

    changes: list[ClauseChange] = []
    for old_clause, new_clause, matched_by in pairs:
        if old_clause is None:
            changes.append(ClauseChange(None, new_clause, (ADDED,), (Segment("insert", clause_text(new_clause)),)))
            continue
        if new_clause is None:
            changes.append(ClauseChange(old_clause, None, (REMOVED,), (Segment("delete", clause_text(old_clause)),)))
            continue
        kinds = _kinds(old_clause, new_clause)
        if (old_clause.id, new_clause.id) in moved or old_section[old_clause.id] != new_section[new_clause.id]:
            kinds.append(MOVED)
        segments = diff_words(clause_text(old_clause), clause_text(new_clause))
        changes.append(ClauseChange(old_clause, new_clause, tuple(kinds), segments, matched_by))
    return Comparison(old, new, tuple(changes), _field_changes(old, new))


def _align(old: tuple[Clause, ...], new: tuple[Clause, ...]):
    """(old, new, how) triples in new order; removed clauses after their predecessor."""
    old_by_id = {c.id: c for c in old}
    matched: dict[str, tuple[Clause, str]] = {}
    for clause in new:
        if clause.id in old_by_id:
            matched[clause.id] = (old_by_id[clause.id], "id")
    used_old = {pair[0].id for pair in matched.values()}
    left_old = [c for c in old if c.id not in used_old]
    left_new = [c for c in new if c.id not in matched]
    for old_clause, new_clause in _similar_pairs(left_old, left_new):
        matched[new_clause.id] = (old_clause, "similarity")
        used_old.add(old_clause.id)

    result = []
    for clause in new:
        if clause.id in matched:
            old_clause, how = matched[clause.id]
            result.append((old_clause, clause, how))
        else:
            result.append((None, clause, None))
    # Place each removed clause after the clause that preceded it in the old version.
    for index, clause in enumerate(old):
        if clause.id in used_old:
            continue
        anchor = old[index - 1].id if index else None
        position = 0
        for at, (o, _, _) in enumerate(result):
            if anchor is not None and o is not None and o.id == anchor:
                position = at + 1
        result.insert(position, (clause, None, None))
    return result


def _similar_pairs(old: list[Clause], new: list[Clause]):
    """One-to-one pairs by text similarity, best first, above the cutoff."""
    scored = sorted(
        ((fuzz.ratio(clause_text(o), clause_text(n)), i, j) for i, o in enumerate(old) for j, n in enumerate(new)),
        reverse=True,
    )
    taken_old, taken_new = set(), set()
    for score, i, j in scored:
        if score < SIMILARITY_CUTOFF:
            break
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        yield old[i], new[j]


def _moved(pairs, old_clauses) -> set[tuple[str, str]]:
    """Matched pairs outside the longest run kept in the same relative order."""
    position = {c.id: i for i, c in enumerate(old_clauses)}
    matched = [(position[o.id], (o.id, n.id)) for o, n, _ in pairs if o is not None and n is not None]
    keep = _longest_increasing([p for p, _ in matched])
    return {ids for index, (_, ids) in enumerate(matched) if index not in keep}


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sort)."""
    import bisect

    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(values)
    for index, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[at] = value
            tail_index[at] = index
        parent[index] = tail_index[at - 1] if at else -1
    keep, index = set(), tail_index[-1] if tail_index else -1
    while index != -1:
        keep.add(index)
        index = parent[index]
    return keep


def _kinds(old: Clause, new: Clause) -> list[str]:
    kinds = []
    old_text, new_text = clause_text(old), clause_text(new)
    if old_text != new_text:
        kinds.append(EDITORIAL if _words(old_text) == _words(new_text) else REWORDED)
    if old.obligation != new.obligation:
        old_strength = old.obligation.strength if old.obligation else 0
        new_strength = new.obligation.strength if new.obligation else 0
        kinds.append(STRENGTHENED if new_strength >= old_strength else WEAKENED)
    if set(old.applies_to) != set(new.applies_to):
        kinds.append(APPLIES_TO)
    if set(old.responsible) != set(new.responsible):
        kinds.append(RESPONSIBLE)
    if (old.deadline or "") != (new.deadline or ""):
        kinds.append(DEADLINE)
    if old.binding != new.binding:
        kinds.append(BINDING)
    return kinds


def _words(text: str) -> list[str]:
    """Words only, lower-cased: equal lists mean an editorial change."""
    return [token.lower() for token in tokenize(text) if token[0].isalnum() or token[0] == "_"]


def _field_changes(old: PolicyVersion, new: PolicyVersion) -> tuple[FieldChange, ...]:
    checks = {
        "title": (old.title, new.title),
        "scope roles": (old.scope.roles, new.scope.roles),
        "scope contexts": (old.scope.contexts, new.scope.contexts),
        "owner": (old.owner, new.owner),
        "review cycle (months)": (old.review.cycle_months, new.review.cycle_months),
        "related policies": (old.related, new.related),
        "legislation": (old.legislation, new.legislation),
        "definitions": (tuple(d.term for d in old.definitions), tuple(d.term for d in new.definitions)),
        "sections": (tuple(s.title for s in old.sections), tuple(s.title for s in new.sections)),
    }
    return tuple(FieldChange(name, a, b) for name, (a, b) in checks.items() if a != b)
