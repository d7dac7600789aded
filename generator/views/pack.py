"""The governors' pack: what a board reads before it approves a version.

Everything here is read off a :class:`~policybook.views.compare.Comparison`;
no change is worked out a second time. What this adds is the board's view
of it: whether the change is editorial only (so the board may delegate it),
which duties it adds or strengthens, the clauses in reading order under
their section headings, and redlines whose list items keep the numbering
(a), i., 1.) the policy prints them with.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Policy, PolicyVersion, Status, version_key
from .compare import (  # noqa: F401 - Piece, item_label and redline_pieces are part of the pack's interface
    ADDED, REMOVED, STRENGTHENED, WEAKENED, ClauseChange, Comparison, FieldChange, Piece, item_label, redline_pieces,
)

RECORD_FIELDS = ("effective", "approval.", "review.next", "review.with_staff", "review.governors.", "signatories",
                 "master_copy", "history", "amendments")
"""Field keys (or key prefixes) of the governance record: when and by whom a version was approved,
reviewed and signed. A draft always differs from the adopted version in them, and they change no
one's duties, so they never make a change more than editorial."""


@dataclass(frozen=True, slots=True)
class SectionChanges:
    """The clauses of one section in reading order, for the full text with changes."""

    number: str
    title: str
    changes: tuple[ClauseChange, ...]


@dataclass(frozen=True, slots=True)
class GovernorsPack:
    comparison: Comparison
    full: bool = False
    """Also print the full text with changes, section by section."""

    @property
    def old(self) -> PolicyVersion:
        return self.comparison.old

    @property
    def new(self) -> PolicyVersion:
        return self.comparison.new

    @property
    def detail_changes(self) -> tuple[FieldChange, ...]:
        """The policy details that changed, the governance record (:data:`RECORD_FIELDS`) left out."""
        return tuple(f for f in self.comparison.fields if not f.key.startswith(RECORD_FIELDS))

    @property
    def editorial_only(self) -> bool:
        """Clauses changed, none materially, and no policy detail changed: the board may delegate it."""
        return bool(self.comparison.editorial) and not self.comparison.material and not self.detail_changes

    @property
    def duties_added(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.comparison.clauses if ADDED in c.kinds and c.new.is_duty)

    @property
    def duties_removed(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.comparison.clauses if REMOVED in c.kinds and c.old.is_duty)

    @property
    def strengthened(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.comparison.clauses if STRENGTHENED in c.kinds)

    @property
    def weakened(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.comparison.clauses if WEAKENED in c.kinds)

    @property
    def sections(self) -> tuple[SectionChanges, ...]:
        """Every clause under its section in the new version; a removed clause stays where it stood."""
        return full_text_sections(self.comparison)

    def redline(self, change: ClauseChange) -> tuple[Piece, ...]:
        return redline_pieces(change)


def build_pack(comparison: Comparison, *, full: bool = False) -> GovernorsPack:
    return GovernorsPack(comparison, full)


def pack_pairs(policy: Policy, pairs, *, drafts_only: bool = False) -> tuple[tuple[PolicyVersion, PolicyVersion], ...]:
    """The pairs of ``pairs`` that get a pack page in the site: the decisions in hand.

    A board decides a version against the one it replaces: the draft in front
    of it now, or the adopted version it approved last. ``drafts_only`` (a
    big handbook, where every page costs build time) keeps the drafts' packs.
    Any other pair is one ``policybook pack`` away.
    """
    wanted = {Status.DRAFT} if drafts_only else {Status.DRAFT, Status.ADOPTED}
    return tuple((old, new) for old, new in pairs
                 if new.status in wanted and version_key(old.version) < version_key(new.version))


def full_text_sections(comparison: Comparison) -> tuple[SectionChanges, ...]:
    section_of = {c.id: s for s in comparison.new.sections for c in s.clauses}
    old_section_of = {c.id: s for s in comparison.old.sections for c in s.clauses}
    groups: list[tuple[object, list[ClauseChange]]] = []
    for change in comparison.clauses:
        section = section_of.get(change.new.id) if change.new else None
        if section is None and not groups:
            section = old_section_of.get(change.old.id)
        if section is None or (groups and groups[-1][0] is section):
            groups[-1][1].append(change)
        else:
            groups.append((section, [change]))
    return tuple(SectionChanges(s.number, s.title, tuple(changes)) for s, changes in groups)
