"""Handbook-wide indexes: legislation and guidance cited, and a glossary.

Both are built from the versions in force only (``Policy.adopted``): an
index that sent staff to superseded or draft text would defeat its purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import urls
from ..model import Clause, Definition, Handbook, Legislation, PolicyVersion, title_key

# Register kinds, in the order the index lists them.
OTHER = "other"
KIND_TITLES = {
    "act": "Acts of Parliament",
    "regulation": "Regulations",
    "statutory-guidance": "Statutory guidance",
    "guidance": "Guidance",
}
OTHER_TITLE = "Other legislation and guidance"


@dataclass(frozen=True, slots=True)
class Citation:
    """One policy that cites a law, and the clauses that name it in their text."""

    version: PolicyVersion
    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class LawEntry:
    law: Legislation
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class LawGroup:
    kind: str
    """The register's ``kind`` (``act``, ``guidance``...), ``other`` for the rest; used as the anchor."""
    title: str
    entries: tuple[LawEntry, ...]


@dataclass(frozen=True, slots=True)
class GlossaryUse:
    version: PolicyVersion
    definition: Definition


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One term; policies that define it differently each keep their meaning."""

    term: str
    anchor: str
    uses: tuple[GlossaryUse, ...]


def build_legislation_index(handbook: Handbook) -> tuple[LawGroup, ...]:
    """Each act or guidance cited by a policy in force, grouped by kind.

    A policy cites a law through its ``legislation`` list; within it, the
    clauses whose text names the law's title are listed too, so a reader can
    jump to the exact duty.
    """
    in_force = _in_force(handbook)
    # Each law's bare title and each clause's words once, not once per law and clause.
    texts = {id(c): " ".join((c.text, *c.items)).casefold() for version in in_force for c in version.clauses}
    entries: dict[str, list[LawEntry]] = {}
    for law in handbook.legislation:
        title = _bare_title(law)
        citations = tuple(
            Citation(version, tuple(c for c in version.clauses if title and title in texts[id(c)]))
            for version in in_force if law.id in version.legislation
        )
        if citations:
            kind = law.kind if law.kind in KIND_TITLES else OTHER
            entries.setdefault(kind, []).append(LawEntry(law, citations))
    titles = {**KIND_TITLES, OTHER: OTHER_TITLE}
    return tuple(
        LawGroup(kind, title, tuple(sorted(entries[kind], key=lambda e: title_key(e.law.title, e.law.id))))
        for kind, title in titles.items() if kind in entries
    )


def build_glossary(handbook: Handbook) -> tuple[GlossaryEntry, ...]:
    """Every term defined by a policy in force, alphabetically."""
    terms: dict[str, list[GlossaryUse]] = {}
    for version in _in_force(handbook):
        for definition in version.definitions:
            terms.setdefault(definition.term.casefold(), []).append(GlossaryUse(version, definition))
    entries, anchors = [], set()
    for key, uses in sorted(terms.items()):
        # "E-safety" and "E safety", or terms with no Latin letters, slug
        # alike: number the repeats, as ids in the page must be unique.
        anchor = base = "term-" + (urls.slug(key) or "term")
        count = 1
        while anchor in anchors:
            count += 1
            anchor = f"{base}-{count}"
        anchors.add(anchor)
        entries.append(GlossaryEntry(uses[0].definition.term, anchor, tuple(uses)))
    return tuple(entries)


def _in_force(handbook: Handbook) -> tuple[PolicyVersion, ...]:
    versions = [p.adopted for p in handbook.policies if p.adopted is not None]
    return tuple(sorted(versions, key=lambda v: title_key(v.title, v.policy_id)))


def _bare_title(law: Legislation) -> str:
    """The title without its glosses in brackets, as clause text usually names the law.

    Titles often carry a gloss ("... 2015 (the Prevent duty)"). No gloss ends
    after the last ")", and cutting the title there first keeps the search
    linear: each "(" with no ")" after it was searched to the end of the title.
    """
    title = law.title
    cut = title.rfind(")") + 1
    cut += len(title[cut:]) - len(title[cut:].lstrip())
    return (re.sub(r"\s*\(.*?\)\s*", " ", title[:cut]) + title[cut:]).strip().casefold()

