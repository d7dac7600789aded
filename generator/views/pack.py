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
from .compare import ADDED, REMOVED, STRENGTHENED, WEAKENED, ClauseChange, Comparison, FieldChange, Segment, tokenize

RECORD_FIELDS = ("effective", "approval.", "review.next", "review.with_staff", "review.governors.", "signatories",
                 "master_copy", "history", "amendments")
"""Field keys (or key prefixes) of the governance record: when and by whom a version was approved,
reviewed and signed. A draft always differs from the adopted version in them, and they change no
one's duties, so they never make a change more than editorial."""
_MARKER = ("\n", "-", " ")
"""The tokens ``clause_text`` puts before each list item (``\\n- item``)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of redline text; ``label`` marks a list item's number or bullet (``b)``, ``ii.``, ``3.``)."""

    op: str
    text: str
    label: bool = False


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


def redline_pieces(change: ClauseChange) -> tuple[Piece, ...]:
    """The change's segments, with each list item's ``- `` shown as the policy numbers it.

    An item that is in the new version takes its new number (so an inserted
    item renumbers the ones after it, as the new text prints), a deleted item
    its old one. Only the markers of the clause's ``items`` are replaced: a
    Markdown list inside the clause text stays as typed.
    """
    tokens = _tokens(change.segments)
    old_items = _item_starts(tokens, "insert", len(change.old.items) if change.old else 0)
    new_items = _item_starts(tokens, "delete", len(change.new.items) if change.new else 0)
    pieces: list[Piece] = []
    index = 0
    while index < len(tokens):
        op, text = tokens[index]
        clause, position = (change.new, new_items[index]) if index in new_items else (change.old, old_items.get(index))
        if position is not None:
            # Each of the marker's tokens keeps its own op: a bullet that became "b)" is an inserted label.
            (newline, _), (dash, _), (space, _) = tokens[index:index + len(_MARKER)]
            pieces.extend([Piece(newline, "\n"), Piece(dash, item_label(clause.item_style, position), label=True),
                           Piece(space, " ")])
            index += len(_MARKER)
            continue
        if pieces and pieces[-1].op == op and not pieces[-1].label:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))
        index += 1
    return tuple(pieces)


def item_label(style: str, position: int) -> str:
    """The label a list item prints with: ``c)``, ``iii.``, ``3.``, or a bullet (``position`` from 0)."""
    if style == "lettered":
        return _letters(position) + ")"
    if style == "roman":
        return _roman(position + 1) + "."
    if style == "steps":
        return f"{position + 1}."
    return "•"


def _tokens(segments: tuple[Segment, ...]) -> list[tuple[str, str]]:
    return [(segment.op, token) for segment in segments for token in tokenize(segment.text)]


def _item_starts(tokens: list[tuple[str, str]], skip: str, count: int) -> dict[int, int]:
    """Token index -> item position, for the last ``count`` item markers of one side's text.

    ``skip`` is the op the side does not contain (``insert`` for the old text).
    A marker's three tokens must follow one another in the redline too.
    """
    if not count:
        return {}
    side = [i for i, (op, _) in enumerate(tokens) if op != skip]
    starts = [
        side[k] for k in range(len(side) - 2)
        if tuple(tokens[side[k + n]][1] for n in range(3)) == _MARKER
        and side[k + 2] - side[k] == 2
    ]
    return {start: position for position, start in enumerate(starts[-count:], start=max(0, count - len(starts)))}


def _letters(position: int) -> str:
    # a ... z, aa, ab ...: as browsers count <ol type="a">.
    text = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _roman(number: int) -> str:
    text = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        text += letters * count
    return text

