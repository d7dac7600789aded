"""Compare two versions of a policy clause by clause.

Alignment:

1. Clauses are paired by their stable id.
2. Leftover clauses (an id changed, or imported text without ids) are paired
   by text: identical texts first, then by rapidfuzz similarity, one to one,
   above :data:`SIMILARITY_CUTOFF`. Such pairs are ``matched_by="similarity"``
   so a person can check them.
3. Leftover added clauses whose words are mostly contained in one old clause
   are parts of a *split*; leftover removed clauses mostly contained in one
   new clause were *merged* into it.

The similarity assignment is greedy by score rather than a Hungarian
(maximum-total) assignment, deliberately: with a symmetric score, taking the
best remaining pair first gives the *stable* matching (no two clauses would
both rather be paired with each other), which is the pairing a reader
expects and can check by eye; it is the same whichever version is called
"old", so A->B and B->A mirror exactly; and it needs no SciPy (O(k² log k)
for k leftovers, which the identical-text pass keeps small; past
:data:`PAIR_BUDGET` each clause meets only its neighbours). A maximum-total
assignment can pair a clause with a worse partner to raise the sum, which a
governor would read as a mistake.

Each pair is diffed word by word: tokens are words, punctuation and runs of
white space, so a redline never splits a word. A changed middle too big for
one word-level pass (:data:`WORD_DIFF_BUDGET`) is aligned sentence by
sentence first, and a run still too big is one deletion and one insertion.
Renumbering caused by inserts and deletes elsewhere is not a change; only
clauses outside the longest run kept in order (within their section), or in
another section, are ``moved``; reordered sections are a policy-level change
and move no clause.

Other decisions:

- ``applies-to-changed`` uses each clause's effective ``applies_to``, which
  already holds the policy scope when the author gave none: a duty that now
  falls on other people is material however it came about
  (``ClauseChange.applies_inherited`` says it came from the scope). It is
  reported only for clauses with an obligation on either side.
- ``must`` -> ``must not`` (equal strength, opposite duty) is both
  strengthened and weakened; the swap mirror still holds.
- A text change that is only the obligation word (``should`` -> ``must``)
  is the obligation change, not also ``reworded``.
- ``editorial`` allows near-miss spelling fixes (``recieve`` -> ``receive``:
  same first letter, edit distance 1, or 2 for words of six letters or more),
  never on duty words (must, should, not, ...) or numbers.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import operator
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..dates import PolicyDate
from ..model import Clause, Handbook, Holder, Obligation, Policy, PolicyVersion, Role, Section, version_key
from .handbook import comparison_pairs

SIMILARITY_CUTOFF = 60.0
"""rapidfuzz ``ratio`` (0-100) below which two clauses are not paired."""
REUSED_ID_SHARED = 0.25
"""Share of the shorter text's words (of four letters or more, so not "the" or
"to") found in the other, below which two texts under one id are different
clauses: the sample's rewordings share 0.44 and more, and nearly nine in ten
pairs of unrelated clauses less than 0.25. A clause that only grew shares all."""
REUSED_ID_MARGIN = 20.0
"""How much closer another clause must be for an id's two texts to count as different clauses."""
PART_CONTAINED = 0.8
"""Share of a clause's words found in another for it to be a split or merge part."""
PART_MAX_SHARE = 0.8
"""A part has at most this share of the whole's words (else it is a reword)."""
WORD_DIFF_BUDGET = 40_000
"""Old tokens x new tokens that one word-level difflib pass may compare.

difflib's worst case grows with the cube of the length: two clauses with no
word in common still share every space, and each shared space is a match it
searches for again (1,000 words each: 32 s). At this budget (about 100
changed words on each side) the worst case is a few hundredths of a second;
real rewordings are aligned sentence by sentence first (:func:`_middle_ops`).
"""
PAIR_BUDGET = 250_000
"""Leftover old x new clauses scored against every one (500 each way); beyond it, see :func:`_neighbours`."""
NEIGHBOURS = 50
"""Beyond :data:`PAIR_BUDGET`, how many places either way a clause looks for its partner."""
SIMILARITY_TEXT_LIMIT = 1_000
"""Characters of each clause that similarity compares: its opening says which clause it is."""
ALL_PAIRS_LIMIT = 8
"""Policies with at most this many versions get a page for every pair (n·(n-1)/2 ≤ 28)."""

ADDED, REMOVED, REWORDED, EDITORIAL, MOVED = "added", "removed", "reworded", "editorial", "moved"
SPLIT, MERGED = "split", "merged"
STRENGTHENED, WEAKENED = "obligation-strengthened", "obligation-weakened"
APPLIES_TO, RESPONSIBLE = "applies-to-changed", "responsible-changed"
DEADLINE, BINDING = "deadline-changed", "binding-changed"

KINDS = (
    STRENGTHENED, ADDED, APPLIES_TO, REMOVED, WEAKENED, RESPONSIBLE, DEADLINE, BINDING,
    SPLIT, MERGED, REWORDED, MOVED, EDITORIAL,
)
"""Every clause change kind, most material first (the summary's order)."""
MATERIAL_KINDS = KINDS[:-1]
_MATERIAL = frozenset(MATERIAL_KINDS)
MIRROR = {ADDED: REMOVED, REMOVED: ADDED, STRENGTHENED: WEAKENED, WEAKENED: STRENGTHENED, SPLIT: MERGED, MERGED: SPLIT}
"""How each kind reads when the versions are swapped; kinds not listed map to themselves."""

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
_SENTENCE_ENDS = frozenset(".!?;")
# Words whose change is never a spelling fix: they carry the duty.
_DUTY_WORDS = frozenset({"must", "should", "may", "shall", "will", "not", "never", "always", "can", "cannot", "might", "need", "required", "only"})


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of tokens: ``equal``, ``insert`` or ``delete``."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """One row of a comparison: an old clause, a new clause, or a pair."""

    old: Clause | None
    new: Clause | None
    kinds: tuple[str, ...]
    """Change kinds in :data:`KINDS` order; empty when nothing changed."""
    segments: tuple[Segment, ...]
    matched_by: str | None = None
    """``id`` or ``similarity``; ``None`` for added and removed clauses."""
    partners: tuple[str, ...] = ()
    """For a split, the ids of the other new parts; for a merge, of the other old sources."""
    partner_numbers: tuple[str, ...] = ()
    """Display numbers of ``partners`` (new numbers for a split, old for a merge)."""
    roles_added: tuple[str, ...] = ()
    roles_removed: tuple[str, ...] = ()
    applies_inherited: bool = False
    """The applies-to change comes from the policy scope, not the clause."""
    moved_from: str | None = None
    """Title of the old section when the clause moved to another section."""
    id_reused: bool = False
    """The clause's id names a different clause in the other version: shown as replaced, not reworded."""

    @property
    def clause_id(self) -> str:
        return (self.new or self.old).id

    @property
    def anchor(self) -> str:
        """A page-unique anchor, also for merge sources that share a new clause."""
        if self.old and self.new and self.old.id != self.new.id:
            return f"change-{self.old.id}--{self.new.id}"
        if self.id_reused and self.new is None:
            return f"change-{self.old.id}--removed"  # the added clause with this id has change-<id>
        return f"change-{self.clause_id}"

    @property
    def changed(self) -> bool:
        return bool(self.kinds)

    @property
    def pieces(self) -> tuple["Piece", ...]:
        """The redline as readers see it: each list item under the number or bullet it prints with (:func:`redline_pieces`)."""
        return redline_pieces(self)

    @property
    def material(self) -> bool:
        return not _MATERIAL.isdisjoint(self.kinds)

    @property
    def renumbered(self) -> bool:
        """Display number differs (a badge, not a change, unless also moved)."""
        return bool(self.old and self.new and self.old.number != self.new.number)

    @property
    def number(self) -> str:
        if self.renumbered:
            return f"{self.old.number} -> {self.new.number}"
        return (self.new or self.old).label


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A policy-level change: ``key`` is stable (JSON), ``label`` is for people."""

    key: str
    label: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RoleImpact:
    """What a version change means for one role (its included roles counted)."""

    role: Role
    added: tuple[ClauseChange, ...] = ()
    removed: tuple[ClauseChange, ...] = ()
    strengthened: tuple[ClauseChange, ...] = ()
    weakened: tuple[ClauseChange, ...] = ()
    reworded: tuple[ClauseChange, ...] = ()


@dataclass(frozen=True, slots=True)
class SectionChange:
    """A section added or removed as a whole ("new section: Recruitment"), with its clauses."""

    kind: str
    """``added`` or ``removed``."""
    section: Section
    changes: tuple[ClauseChange, ...]
    """The clause rows of its clauses (added, removed, or moved into or out of it); a row
    that belongs to an added and a removed section is under the added one only."""


@dataclass(frozen=True, slots=True)
class KindCount:
    kind: str
    changes: tuple[ClauseChange, ...]

    @property
    def material(self) -> bool:
        return self.kind in MATERIAL_KINDS


@dataclass(frozen=True, slots=True)
class Comparison:
    old: PolicyVersion
    new: PolicyVersion
    clauses: tuple[ClauseChange, ...]
    """Every clause, changed or not, in reading order (new order, removed after their predecessor)."""
    fields: tuple[FieldChange, ...] = field(default=())
    roles: tuple[RoleImpact, ...] = field(default=())
    """Roles affected, in handbook order; empty when no handbook was given."""
    sections: tuple[SectionChange, ...] = field(default=())
    """Sections added or removed, in reading order (a sub-section only when its parent stayed)."""

    @property
    def commitments(self) -> tuple[ClauseChange, ...]:
        """Changed duties that the organisation itself holds, on either side."""
        return tuple(
            change for change in self.clauses
            if change.changed and any(c is not None and c.is_duty and c.holder is Holder.ORGANISATION for c in (change.old, change.new))
        )

    @property
    def listed(self) -> tuple[tuple[ClauseChange, ...], tuple[ClauseChange, ...]]:
        """The changed clauses not shown under a section added or removed, as their material and their editorial
        changes (a comparison page's two lists)."""
        shown = {id(change) for section in self.sections for change in section.changes}
        return (tuple(change for change in self.material if id(change) not in shown),
                tuple(change for change in self.editorial if id(change) not in shown))

    def count(self, kind: str) -> int:
        return sum(1 for change in self.clauses if kind in change.kinds)

    @property
    def counts(self) -> dict[str, int]:
        return {row.kind: len(row.changes) for row in self.summary}

    @property
    def summary(self) -> tuple[KindCount, ...]:
        """Counts per kind with the changes, material kinds first."""
        # One pass over the clauses (a change's kinds are distinct kinds of KINDS), not one per kind.
        changes_of: dict[str, list[ClauseChange]] = {kind: [] for kind in KINDS}
        for change in self.clauses:
            for kind in change.kinds:
                changes_of[kind].append(change)
        return tuple(KindCount(kind, tuple(changes)) for kind, changes in changes_of.items() if changes)

    @property
    def changed(self) -> tuple[ClauseChange, ...]:
        """Changed clauses, material ones first, each group in reading order."""
        return self.material + self.editorial

    @property
    def material(self) -> tuple[ClauseChange, ...]:
        return tuple(change for change in self.clauses if change.material)

    @property
    def editorial(self) -> tuple[ClauseChange, ...]:
        return tuple(change for change in self.clauses if change.changed and not change.material)

    @property
    def unchanged(self) -> int:
        return sum(1 for change in self.clauses if not change.changed)


# Tokens and redlines --------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """Words, single punctuation marks and runs of white space; joined they give ``text``."""
    return _TOKEN.findall(text)


def clause_text(clause: Clause) -> str:
    """The words of a clause as one text: its paragraph, then its items.

    An unresolved clause (options, none chosen) reads as its options, so
    choosing one shows as a change of wording.
    """
    if clause.unresolved:
        return "\n".join(
            f"Option {number}: " + "\n".join([option.text.strip(), *(f"- {item.strip()}" for item in option.items)])
            for number, option in enumerate(clause.options, 1)
        )
    return "\n".join([clause.text.strip(), *(f"- {item.strip()}" for item in clause.items)])


_MARKER = ("\n", "-", " ")
"""The tokens ``clause_text`` puts before each list item (``\\n- item``)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of redline text; ``label`` marks a list item's number or bullet (``b)``, ``ii.``, ``3.``)."""

    op: str
    text: str
    label: bool = False


def redline_pieces(change: ClauseChange) -> tuple[Piece, ...]:
    """The change's segments, with each list item's ``- `` shown as the policy numbers it.

    The label is for display only: the texts compared hold the same ``- ``
    for every item, so an inserted step is one insertion, not a change to
    the number of every step after it; each label takes the op of the
    marker it replaces.

    An item that is in the new version takes its new number (so an inserted
    item renumbers the ones after it, as the new text prints), a deleted item
    its old one. Only the markers of the clause's ``items`` are replaced: a
    Markdown list inside the clause text stays as typed.
    """
    old_count = len(change.old.items) if change.old else 0
    new_count = len(change.new.items) if change.new else 0
    if not old_count and not new_count:
        # No item marker to replace (nine clauses in ten): the segments, runs of one op joined, are
        # what the token walk below would give, without splitting them into tokens and back.
        return _joined_runs(change.segments)
    return _labelled_pieces(change, old_count, new_count)


def _labelled_pieces(change: ClauseChange, old_count: int, new_count: int) -> tuple[Piece, ...]:
    """:func:`redline_pieces` token by token: the last ``old_count`` and ``new_count`` item markers labelled.

    Between two markers, the tokens of one op in a row are one piece; the
    space after a marker starts the piece of the item's first words. The
    tokens are found, and each stretch grouped, by C loops (``findall``,
    ``list.index``, ``groupby``) rather than a Python step per token: a
    clause with items has a hundred tokens or more.
    """
    if len(change.segments) == 1:
        return _one_run_pieces(change, change.segments[0], old_count, new_count)
    ops, texts = _tokens(change.segments)
    newlines = _indices(texts, _MARKER[0])
    old_items = _item_starts(ops, texts, newlines, "insert", old_count)
    new_items = _item_starts(ops, texts, newlines, "delete", new_count)
    pieces: list[Piece] = []
    start = 0  # the first token not yet in a piece
    for index in sorted(old_items.keys() | new_items.keys()):  # markers never overlap: each starts with a line break
        clause, position = (change.new, new_items[index]) if index in new_items else (change.old, old_items[index])
        _add_runs(pieces, ops[start:index], texts[start:index])
        # Each of the marker's tokens keeps its own op: a bullet that became "b)" is an inserted label.
        pieces += [Piece(ops[index], "\n"), Piece(ops[index + 1], item_label(clause.item_style, position), label=True)]
        start = index + 2  # the marker's space joins the item's words of the same op
    _add_runs(pieces, ops[start:], texts[start:])
    return tuple(pieces)


_ITEM_MARKER = re.compile(r"(?<!\s)\n- (?!\s)")
"""``\\n- `` where :func:`tokenize` makes it the three tokens of a marker (white space around would join them)."""


def _one_run_pieces(change: ClauseChange, segment: Segment, old_count: int, new_count: int) -> tuple[Piece, ...]:
    """:func:`_labelled_pieces` of a change of one segment (a clause with items unchanged, added or removed:
    nine in ten of those with items), by one search of its text instead of its tokens."""
    op, text = segment.op, segment.text
    starts = [match.start() for match in _ITEM_MARKER.finditer(text)]

    def last(count: int, skip: str) -> dict[int, int]:
        # As _item_starts: the side's last ``count`` markers, if the side holds this segment.
        if not count or op == skip:
            return {}
        return {start: position for position, start in enumerate(starts[-count:], start=max(0, count - len(starts)))}

    old_items, new_items = last(old_count, "insert"), last(new_count, "delete")
    pieces: list[Piece] = []
    start = 0
    for index in sorted(old_items.keys() | new_items.keys()):
        clause, position = (change.new, new_items[index]) if index in new_items else (change.old, old_items[index])
        if index > start:
            pieces.append(Piece(op, text[start:index]))
        pieces += [Piece(op, "\n"), Piece(op, item_label(clause.item_style, position), label=True)]
        start = index + 2  # the marker's space joins the item's words
    if start < len(text):
        pieces.append(Piece(op, text[start:]))
    return tuple(pieces)


def _add_runs(pieces: list[Piece], ops: list[str], texts: list[str]) -> None:
    """Append one piece per run of tokens with the same op, their texts joined."""
    end = 0
    for op, run in itertools.groupby(ops):
        start, end = end, end + len(list(run))
        pieces.append(Piece(op, "".join(texts[start:end])))


def _joined_runs(segments: tuple[Segment, ...]) -> tuple[Piece, ...]:
    """One piece per run of non-empty segments with the same op, their texts joined.

    ``diff_words`` makes no empty segment and no two of one op in a row, so
    this is one piece per segment; the loop joins them anyway for any others.
    """
    pieces: list[Piece] = []
    for segment in segments:
        if not segment.text:
            continue
        if pieces and pieces[-1].op == segment.op:
            pieces[-1] = Piece(segment.op, pieces[-1].text + segment.text)
        else:
            pieces.append(Piece(segment.op, segment.text))
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


def _tokens(segments: tuple[Segment, ...]) -> tuple[list[str], list[str]]:
    """Each token's op and its text (:func:`tokenize`), as two lists of the same length."""
    ops: list[str] = []
    texts: list[str] = []
    for segment in segments:
        found = tokenize(segment.text)
        texts += found
        ops += [segment.op] * len(found)
    return ops, texts


def _indices(items: list[str], value: str) -> list[int]:
    """Where ``value`` is in ``items``, found by ``list.index`` (a line break is one token in dozens)."""
    found: list[int] = []
    index = -1
    try:
        while True:
            index = items.index(value, index + 1)
            found.append(index)
    except ValueError:
        return found


def _item_starts(ops: list[str], texts: list[str], newlines: list[int], skip: str, count: int) -> dict[int, int]:
    """Token index -> item position, for the last ``count`` item markers of one side's text.

    ``newlines``: the indices of the line-break tokens, where a marker starts.
    ``skip`` is the op the side does not contain (``insert`` for the old text).
    A marker's three tokens must follow one another in the redline too.
    """
    if not count:
        return {}
    _, dash, space = _MARKER
    last = len(texts) - 2
    starts = [i for i in newlines if i < last and texts[i + 1] == dash and texts[i + 2] == space
              and ops[i] != skip and ops[i + 1] != skip and ops[i + 2] != skip]
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


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments that rebuild ``old`` (without inserts) and ``new`` (without deletes)."""
    if old == new:
        return (Segment("equal", old),) if old else ()
    a, b = tokenize(old), tokenize(new)
    # Most edits touch a few words: match the common head and tail directly and
    # leave difflib only the middle.
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    segments: list[Segment] = []
    for op, tokens in (
        ("equal", a[:head]),
        *_middle_ops(a[head:len(a) - tail], b[head:len(b) - tail]),
        ("equal", a[len(a) - tail:]),
    ):
        if not tokens:
            continue
        text = "".join(tokens)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))
    return tuple(segments)


def _middle_ops(a: list[str], b: list[str]) -> list[tuple[str, list[str]]]:
    """``(op, tokens)`` runs for the changed middle, in a bounded amount of work.

    Within :data:`WORD_DIFF_BUDGET` it is one word-level pass. Beyond it the
    middle is first aligned sentence by sentence, and each changed run of
    sentences gets a word-level pass if it fits the budget, else is shown as
    one deletion and one insertion (as it is when even the sentences are too
    many to align).
    """
    if len(a) * len(b) <= WORD_DIFF_BUDGET:
        return _word_ops(a, b)
    old_sentences, new_sentences = _sentences(a), _sentences(b)
    if len(old_sentences) * len(new_sentences) > WORD_DIFF_BUDGET:
        return [("delete", a), ("insert", b)]
    matcher = difflib.SequenceMatcher(None, old_sentences, new_sentences, autojunk=False)
    ops: list[tuple[str, list[str]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_run = [token for sentence in old_sentences[i1:i2] for token in sentence]
        new_run = [token for sentence in new_sentences[j1:j2] for token in sentence]
        if tag == "equal":
            ops.append(("equal", old_run))
        elif len(old_run) * len(new_run) <= WORD_DIFF_BUDGET:
            ops.extend(_word_ops(old_run, new_run))
        else:
            ops.extend([("delete", old_run), ("insert", new_run)])
    return ops


def _word_ops(a: list[str], b: list[str]) -> list[tuple[str, list[str]]]:
    # autojunk would treat frequent tokens (spaces, "the") as junk in long clauses.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops: list[tuple[str, list[str]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", a[i1:i2]))
        else:
            ops.extend([("delete", a[i1:i2]), ("insert", b[j1:j2])])
    return ops


def _sentences(tokens: list[str]) -> list[tuple[str, ...]]:
    """The tokens cut after each sentence end (``.``, ``!``, ``?``, ``;``) and line break."""
    sentences, start = [], 0
    for index, token in enumerate(tokens):
        if token in _SENTENCE_ENDS or (token.isspace() and "\n" in token):
            sentences.append(tuple(tokens[start:index + 1]))
            start = index + 1
    if start < len(tokens):
        sentences.append(tuple(tokens[start:]))
    return sentences


def old_text(segments) -> str:
    return "".join(s.text for s in segments if s.op != "insert")


def new_text(segments) -> str:
    return "".join(s.text for s in segments if s.op != "delete")


# Comparison -----------------------------------------------------------------


def compare_versions(old: PolicyVersion, new: PolicyVersion, *, handbook: Handbook | None = None) -> Comparison:
    """Every clause of ``old`` and ``new``, aligned and classified.

    Args:
        old: the version in force (or any earlier one).
        new: the proposed (or any later) version.
        handbook: gives roles and their ``includes`` for the per-role impact;
            without it ``Comparison.roles`` is empty.

    Returns:
        The comparison, clauses in reading order.
    """
    old_clauses, new_clauses = old.clauses, new.clauses
    old_texts = [clause_text(c) for c in old_clauses]
    new_texts = [clause_text(c) for c in new_clauses]
    pairs = _align(old_clauses, new_clauses, old_texts, new_texts)
    splits, merges = _splits_and_merges(
        pairs, old_texts, new_texts, [c.id for c in old_clauses], [c.id for c in new_clauses],
    )
    moved = _moved(pairs, old, new)
    scope_changed = set(old.scope.roles) != set(new.scope.roles)
    old_number = {c.id: c.number for c in old_clauses}
    old_title = [s.title for s in old.all_sections for _ in s.clauses]
    new_title = [s.title for s in new.all_sections for _ in s.clauses]
    new_number = {c.id: c.number for c in new_clauses}

    def pair_change(i: int, j: int, how: str, extra: tuple[str, ...] = (), partners: tuple[str, ...] = ()) -> ClauseChange:
        o, n = old_clauses[i], new_clauses[j]
        kinds = set(_kinds(o, n, old_texts[i], new_texts[j])) | set(extra)
        if (i, j) in moved:
            kinds.add(MOVED)
        roles_added = tuple(r for r in n.applies_to if r not in o.applies_to) if APPLIES_TO in kinds else ()
        roles_removed = tuple(r for r in o.applies_to if r not in n.applies_to) if APPLIES_TO in kinds else ()
        inherited = APPLIES_TO in kinds and scope_changed and not o.applies_to_explicit and not n.applies_to_explicit
        moved_from = old_title[i] if (i, j) in moved and old_title[i] != new_title[j] else None
        numbers = tuple(
            (new_number if SPLIT in kinds else old_number)[partner] for partner in partners
        )
        return ClauseChange(
            o, n, _ordered(kinds), diff_words(old_texts[i], new_texts[j]), how, partners, numbers,
            roles_added, roles_removed, inherited, moved_from,
        )

    split_of_new = {j: (i, parts) for i, parts in splits.items() for j in parts}
    merge_of_old = {i: (j, sources) for j, sources in merges.items() for i in sources}

    def split_part(j: int, how: str) -> ClauseChange:
        """New clause ``j`` against the old clause it was split from, the other parts as its partners."""
        source, parts = split_of_new[j]
        return pair_change(source, j, how, (SPLIT,), tuple(new_clauses[k].id for k in parts if k != j))

    def merge_source(i: int, how: str) -> ClauseChange:
        """Old clause ``i`` against the new clause it was merged into, the other sources as its partners."""
        target, sources = merge_of_old[i]
        return pair_change(i, target, how, (MERGED,), tuple(old_clauses[k].id for k in sources if k != i))

    changes: list[ClauseChange] = []
    for i, j, how in pairs:
        if i is not None and j is not None:
            if j in split_of_new and split_of_new[j][0] == i:
                changes.append(split_part(j, how))
            elif i in merge_of_old and merge_of_old[i][0] == j:
                changes.append(merge_source(i, how))
            else:
                changes.append(pair_change(i, j, how))
        elif j is not None:
            if j in split_of_new:
                changes.append(split_part(j, "similarity"))
            elif j in merges:
                continue  # every source is shown, each against this clause
            else:
                changes.append(ClauseChange(None, new_clauses[j], (ADDED,), diff_words("", new_texts[j]),
                                            roles_added=new_clauses[j].applies_to if new_clauses[j].is_duty else ()))
        else:
            if i in merge_of_old:
                changes.append(merge_source(i, "similarity"))
            elif i in splits:
                continue  # every part is shown, each against this clause
            else:
                changes.append(ClauseChange(old_clauses[i], None, (REMOVED,), diff_words(old_texts[i], ""),
                                            roles_removed=old_clauses[i].applies_to if old_clauses[i].is_duty else ()))
    old_ids, new_ids = {c.id for c in old_clauses}, {c.id for c in new_clauses}
    changes = [
        replace(change, id_reused=True) if _reuses_id(change, old_ids, new_ids) else change
        for change in changes
    ]
    roles = _role_impacts(handbook, changes) if handbook is not None else ()
    return Comparison(old, new, tuple(changes), _field_changes(old, new), roles, _section_changes(old, new, changes))


def _section_changes(old: PolicyVersion, new: PolicyVersion, changes: list[ClauseChange]) -> tuple[SectionChange, ...]:
    """Sections whose id is on one side only, each with the rows of the clauses it holds."""
    result = []
    shown: set[int] = set()  # a clause moved from a removed section into an added one is shown once, under the new
    for kind, version, other, side in (("added", new, old, "new"), ("removed", old, new, "old")):
        other_ids = {s.id for s in other.all_sections}
        for section in _outermost(version, other_ids):
            ids = {c.id for c in section.all_clauses}
            rows = tuple(c for c in changes if c.changed and id(c) not in shown
                         and getattr(c, side) is not None and getattr(c, side).id in ids)
            shown.update(map(id, rows))
            result.append(SectionChange(kind, section, rows))
    return tuple(result)


def _outermost(version: PolicyVersion, other_ids: set[str]) -> list[Section]:
    """Sections missing from the other version, leaving out those inside one that is missing too."""
    found = []

    def visit(sections):
        for section in sections:
            if section.id in other_ids:
                visit(section.sections)
            else:
                found.append(section)
    visit(version.sections)
    return found


def _reuses_id(change: ClauseChange, old_ids: set[str], new_ids: set[str]) -> bool:
    """Whether a clause's id is on the other side too, on a clause not paired with it."""
    old, new = change.old, change.new
    return bool((old and old.id in new_ids and not (new and new.id == old.id))
                or (new and new.id in old_ids and not (old and old.id == new.id)))


def _ordered(kinds) -> tuple[str, ...]:
    return tuple(kind for kind in KINDS if kind in kinds)


def _id_reused(i: int, j: int, old_texts: list[str], new_texts: list[str], unmatched_old, unmatched_new) -> bool:
    """Whether an id names a different clause in the new version (an author reused it).

    Paired by id, such a clause would read as reworded, strengthened and
    moved at once. It is a different clause when the two texts share almost
    no words, or when either text is far closer to a clause on the other
    side whose id is on that side only (the old wording carried on under a
    new id): the two are then aligned like any clause whose id changed, and
    shown as removed and added unless their wording pairs them with others.
    """
    old_text, new_text = old_texts[i], new_texts[j]
    if old_text == new_text:
        return False
    score = fuzz.ratio(old_text, new_text)
    if score >= SIMILARITY_CUTOFF:
        return False
    old_words, new_words = _content_words(old_text), _content_words(new_text)
    if old_words and new_words and len(old_words & new_words) < REUSED_ID_SHARED * min(len(old_words), len(new_words)):
        return True
    better = max(SIMILARITY_CUTOFF, score + REUSED_ID_MARGIN)
    return (any(fuzz.ratio(old_text, new_texts[k], score_cutoff=better) for k in unmatched_new)
            or any(fuzz.ratio(old_texts[k], new_text, score_cutoff=better) for k in unmatched_old))


def _align(old, new, old_texts, new_texts) -> list[tuple[int | None, int | None, str | None]]:
    """(old index, new index, how) in reading order: new order, removed after their predecessor."""
    new_for_old: dict[int, tuple[int, str]] = {}
    old_index = {c.id: i for i, c in enumerate(old)}
    new_ids = {c.id for c in new}
    unmatched_old = [i for i, c in enumerate(old) if c.id not in new_ids]
    unmatched_new = [j for j, c in enumerate(new) if c.id not in old_index]
    for j, clause in enumerate(new):
        i = old_index.get(clause.id)
        if i is not None and not _id_reused(i, j, old_texts, new_texts, unmatched_old, unmatched_new):
            new_for_old[i] = (j, "id")
    taken_new = {j for j, _ in new_for_old.values()}
    left_old = [i for i in range(len(old)) if i not in new_for_old]
    left_new = [j for j in range(len(new)) if j not in taken_new]
    if left_old and left_new:
        for i, j in _similar_pairs(left_old, left_new, old, new, old_texts, new_texts):
            new_for_old[i] = (j, "similarity")

    old_for_new = {j: (i, how) for i, (j, how) in new_for_old.items()}
    # A removed clause follows the nearest earlier old clause that survived.
    after: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(old)):
        if i in new_for_old:
            anchor = new_for_old[i][0]
        else:
            after.setdefault(anchor, []).append(i)
    result: list[tuple[int | None, int | None, str | None]] = [(i, None, None) for i in after.get(-1, ())]
    for j in range(len(new)):
        i, how = old_for_new.get(j, (None, None))
        result.append((i, j, how))
        result.extend((k, None, None) for k in after.get(j, ()))
    return result


def _similar_pairs(left_old, left_new, old, new, old_texts, new_texts):
    """One-to-one (old index, new index) pairs: identical texts, then greedy by similarity."""
    by_text: dict[str, list[int]] = {}
    for i in left_old:
        by_text.setdefault(old_texts[i], []).append(i)
    rest_new = []
    pairs = []
    for j in left_new:
        candidates = by_text.get(new_texts[j])
        if candidates:
            pairs.append((candidates.pop(0), j))
        else:
            rest_new.append(j)
    used = {i for i, _ in pairs}
    rest_old = [i for i in left_old if i not in used]
    scored = []
    # rapidfuzz's cost grows with the product of the two lengths: compare openings only.
    old_keys = {i: old_texts[i][:SIMILARITY_TEXT_LIMIT] for i in rest_old}
    new_keys = {j: new_texts[j][:SIMILARITY_TEXT_LIMIT] for j in rest_new}
    near = _neighbours(rest_old, rest_new, len(old), len(new))
    for i in rest_old:
        for j in near(i):
            score = fuzz.ratio(old_keys[i], new_keys[j], score_cutoff=SIMILARITY_CUTOFF)
            if score:
                # Ties break on the two ids in sorted order, so swapping versions picks the same pairs.
                scored.append((-score, min(old[i].id, new[j].id), max(old[i].id, new[j].id), i, j))
    scored.sort()
    taken_old, taken_new = set(), set()
    for _, _, _, i, j in scored:
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        pairs.append((i, j))
    return pairs


def _neighbours(keys: list[int], others: list[int], key_count: int, other_count: int):
    """``near(key)``: the ``others`` a clause of ``keys`` may be paired with.

    Every one while ``len(keys) * len(others)`` is within :data:`PAIR_BUDGET`.
    Beyond it (hundreds of clauses without a partner by id, as in an import
    without ids) scoring every pair grows with the square of the policy, so
    each clause meets only the clauses within :data:`NEIGHBOURS` places of
    its own relative place in the other version: a clause moved further is
    shown as removed and added. The test is the same whichever version is
    called old (positions are compared in whole numbers), so A->B and B->A
    still mirror. ``keys`` and ``others`` are clause indexes, ascending.
    """
    if len(keys) * len(others) <= PAIR_BUDGET:
        return lambda key: others
    # Place p of n, scaled to a common whole-number axis: (2p + 1) * other n.
    scaled = [(2 * other + 1) * key_count for other in others]
    reach = 2 * NEIGHBOURS * min(key_count, other_count)

    def near(key: int) -> list[int]:
        centre = (2 * key + 1) * other_count
        return others[bisect.bisect_left(scaled, centre - reach):bisect.bisect_right(scaled, centre + reach)]
    return near


def _content_words(text: str) -> set[str]:
    return {word for word in _words(text) if len(word) >= 4}


def _words(text: str) -> list[str]:
    """Words only, lower-cased: equal lists mean an editorial change."""
    return _WORD.findall(text.lower())


def _is_part(part: Counter, whole: Counter) -> bool:
    """``part``'s words are mostly in ``whole``, and ``part`` is clearly smaller."""
    size, whole_size = sum(part.values()), sum(whole.values())
    if size < 3 or size > PART_MAX_SHARE * whole_size:
        return False
    return sum((part & whole).values()) >= PART_CONTAINED * size


def _splits_and_merges(pairs, old_texts, new_texts, old_ids, new_ids):
    """``({old: new parts}, {new: old sources})``, each with at least two members.

    Only added or removed clauses, and pairs whose text changed, can take part:
    an unchanged clause was neither split nor merged. The two searches mirror
    each other, so a split read backwards is a merge.
    """
    partner_new = {i: j for i, j, _ in pairs if i is not None and j is not None}
    partner_old = {j: i for i, j in partner_new.items()}
    added = [j for i, j, _ in pairs if i is None]
    removed = [i for i, j, _ in pairs if j is None]
    if not added and not removed:
        return {}, {}
    changed_old = [i for i, j in partner_new.items() if old_texts[i] != new_texts[j]]
    changed_new = [partner_new[i] for i in changed_old]
    old_words = {i: Counter(_words(old_texts[i])) for i in [*removed, *changed_old]}
    new_words = {j: Counter(_words(new_texts[j])) for j in [*added, *changed_new]}

    def groups(loose, loose_words, wholes, whole_words, partner, partner_words, whole_ids, loose_count):
        found: dict[int, list[int]] = {}
        near = _neighbours(sorted(loose), sorted(wholes), loose_count, len(whole_ids))
        for k in loose:
            best = [w for w in near(k) if _is_part(loose_words[k], whole_words[w])]
            if best:
                # Ties break on the id, not the position, so a split read backwards is the same merge.
                whole = max(best, key=lambda w: (sum((loose_words[k] & whole_words[w]).values()), whole_ids[w]))
                found.setdefault(whole, []).append(k)
        result = {}
        for whole, parts in found.items():
            other = partner.get(whole)
            if other is not None and other in partner_words and _is_part(partner_words[other], whole_words[whole]):
                parts = [other, *parts]
            if len(parts) >= 2:
                result[whole] = tuple(sorted(parts))
        return result

    splits = groups(added, new_words, [*removed, *changed_old], old_words, partner_new, new_words, old_ids, len(new_ids))
    merges = groups(removed, old_words, [*added, *changed_new], new_words, partner_old, old_words, new_ids, len(old_ids))
    # A clause takes part in one split or one merge, not both. Where a split
    # and a merge claim the same clause neither is kept: preferring either
    # would make A->B and B->A disagree (a split read backwards is a merge).
    split_old, split_new = set(splits), {k for parts in splits.values() for k in parts}
    merge_new, merge_old = set(merges), {i for sources in merges.values() for i in sources}
    kept_splits = {w: parts for w, parts in splits.items() if w not in merge_old and not set(parts) & merge_new}
    kept_merges = {j: sources for j, sources in merges.items() if j not in split_new and not set(sources) & split_old}
    return kept_splits, kept_merges


def _moved(pairs, old: PolicyVersion, new: PolicyVersion) -> set[tuple[int, int]]:
    """Pairs in another section, or outside the longest in-order run of their section."""
    old_section = [s.id for s in old.all_sections for _ in s.clauses]
    new_section = [s.id for s in new.all_sections for _ in s.clauses]
    matched = [(i, j) for i, j, _ in pairs if i is not None and j is not None]
    section_map = _section_map(matched, old, new, old_section, new_section)
    moved = set()
    by_section: dict[str, list[tuple[int, int]]] = {}
    for i, j in matched:
        if section_map.get(old_section[i]) != new_section[j]:
            moved.add((i, j))
        else:
            by_section.setdefault(new_section[j], []).append((i, j))
    for members in by_section.values():
        members.sort(key=lambda pair: pair[1])
        keep = _longest_increasing([i for i, _ in members])
        moved.update(pair for index, pair in enumerate(members) if index not in keep)
    return moved


def _section_map(matched, old, new, old_section, new_section) -> dict[str, str]:
    """Old section id -> new section id: same id, else where most of its clauses went."""
    new_ids = {s.id for s in new.all_sections}
    mapping = {s.id: s.id for s in old.all_sections if s.id in new_ids}
    old_ids = {s.id for s in old.all_sections}
    votes: dict[str, Counter] = {}
    for i, j in matched:
        if old_section[i] not in mapping and new_section[j] not in old_ids:
            votes.setdefault(old_section[i], Counter())[new_section[j]] += 1
    for section, counter in votes.items():
        mapping[section] = counter.most_common(1)[0][0]
    return mapping


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sort)."""
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


def _kinds(old: Clause, new: Clause, old_words_text: str, new_words_text: str) -> list[str]:
    kinds = []
    if old_words_text != new_words_text:
        if _is_editorial(old_words_text, new_words_text):
            kinds.append(EDITORIAL)
        elif not (old.obligation != new.obligation and _only_duty_words_differ(old_words_text, new_words_text)):
            # "should" -> "must" alone is the obligation change, not a reword as well.
            kinds.append(REWORDED)
    elif old.items and old.item_style != new.item_style:
        kinds.append(EDITORIAL)
    if old.obligation != new.obligation:
        old_strength = old.obligation.strength if old.obligation else 0
        new_strength = new.obligation.strength if new.obligation else 0
        if new_strength >= old_strength:
            kinds.append(STRENGTHENED)
        if new_strength <= old_strength:
            # Equal strength means "must" became "must not": a different duty, so both.
            kinds.append(WEAKENED)
    # applies_to already holds the inherited policy scope; a duty that now falls
    # on other people is material however it came about.
    if (old.obligation or new.obligation) and (set(old.applies_to) != set(new.applies_to) or old.holder != new.holder):
        # The organisation itself, or nobody named, in place of roles is a duty on other people too.
        kinds.append(APPLIES_TO)
    if old.steps != new.steps:
        kinds.extend(_step_kinds(old, new))
    if set(old.responsible) != set(new.responsible):
        kinds.append(RESPONSIBLE)
    if " ".join((old.deadline or "").split()) != " ".join((new.deadline or "").split()):
        kinds.append(DEADLINE)
    if old.binding != new.binding:
        kinds.append(BINDING)
    return kinds


def _step_kinds(old: Clause, new: Clause) -> set[str]:
    """Duties of individual steps (items) that changed, step by step in order."""
    kinds = set()
    old_steps, new_steps = dict(old.step_duties()), dict(new.step_duties())
    for number in old_steps.keys() | new_steps.keys():
        was, now = old_steps.get(number), new_steps.get(number)
        before = was.obligation.strength if was else 0
        after = now.obligation.strength if now else 0
        if after > before or (was and now and was.obligation != now.obligation and after == before):
            kinds.add(STRENGTHENED)
        if after < before or (was and now and was.obligation != now.obligation and after == before):
            kinds.add(WEAKENED)
        if was and now and set(was.applies_to) != set(now.applies_to):
            kinds.add(APPLIES_TO)
    return kinds


def _strength_changes(before: dict, after: dict) -> tuple[bool, bool]:
    """Whether one role's part of a clause grew stronger, weaker (or both: "must" became "must not").

    A step duty the role gains is more to do; one it loses, less.
    """
    stronger = weaker = False
    for step in before.keys() | after.keys():
        was, now = before.get(step), after.get(step)
        if was == now:
            continue
        old_strength, new_strength = (was.strength if was else 0), (now.strength if now else 0)
        stronger |= new_strength >= old_strength
        weaker |= new_strength <= old_strength
    return stronger, weaker


def _is_editorial(old: str, new: str) -> bool:
    """Only spelling, punctuation, capitalisation or white space differ."""
    a, b = _words(old), _words(new)
    if a == b:
        return True
    if len(a) != len(b):
        return False
    return all(x == y or _spelling_fix(x, y) for x, y in zip(a, b))


def _only_duty_words_differ(old: str, new: str) -> bool:
    # The same words once the duty words are left out; linear, where an
    # alignment of the two texts can grow with the cube of their length.
    a, b = _words(old), _words(new)
    return [w for w in a if w not in _DUTY_WORDS] == [w for w in b if w not in _DUTY_WORDS]


def _spelling_fix(a: str, b: str) -> bool:
    """``recieve`` -> ``receive``: a near miss, never a duty word or a number."""
    if a in _DUTY_WORDS or b in _DUTY_WORDS or any(ch.isdigit() for ch in a + b):
        return False
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    return Levenshtein.distance(a, b) <= (1 if shorter < 6 else 2) and a[0] == b[0]


def _role_impacts(handbook: Handbook, changes: list[ClauseChange]) -> tuple[RoleImpact, ...]:
    # What each role holds of a clause, as its checklist lists it: the clause's
    # duty and the duties of single steps (step None is the clause itself), for
    # every role whose checklist takes the duties of a role they apply to.
    def held(clause: Clause | None) -> dict[str, dict[int | None, Obligation]]:
        out: dict[str, dict[int | None, Obligation]] = {}
        for step, duty in clause.duties() if clause is not None else ():
            for role_id in duty.applies_to:
                for taker in handbook.role_takers(role_id):
                    out.setdefault(taker, {})[step] = duty.obligation
        return out

    def terms(clause: Clause | None) -> list:
        # What held() reads of a clause: two clauses with the same terms are held alike by every role.
        return [(step, duty.obligation, duty.applies_to) for step, duty in clause.duties()] if clause is not None else []

    rows: dict[str, dict[str, list[ClauseChange]]] = {}
    for change in changes:
        # Most clauses are held as before and not reworded: they add to no role's row, so the roles
        # that hold them (every role, for an all-staff duty) need not be worked out.
        if REWORDED not in change.kinds and terms(change.old) == terms(change.new):
            continue
        was, now = held(change.old), held(change.new)
        for role_id in was.keys() | now.keys():
            row = rows.setdefault(role_id, {"added": [], "removed": [], "strengthened": [], "weakened": [], "reworded": []})
            if role_id not in was:
                row["added"].append(change)
            elif role_id not in now:
                row["removed"].append(change)
            else:
                stronger, weaker = _strength_changes(was[role_id], now[role_id])
                if stronger:
                    row["strengthened"].append(change)
                if weaker:
                    row["weakened"].append(change)
                if REWORDED in change.kinds:
                    row["reworded"].append(change)
    return tuple(
        RoleImpact(role, **{key: tuple(value) for key, value in rows[role.id].items()})
        for role in handbook.roles
        if role.id in rows and any(rows[role.id].values())
    )


def _field_changes(old: PolicyVersion, new: PolicyVersion) -> tuple[FieldChange, ...]:
    checks = [
        ("title", "Title", old.title, new.title),
        ("scope.roles", "Applies to (roles)", old.scope.roles, new.scope.roles),
        ("scope.contexts", "Covers (contexts)", old.scope.contexts, new.scope.contexts),
        ("owner", "Owner", old.owner, new.owner),
        ("review.lead", "Review lead", old.review.lead, new.review.lead),
        ("review.cycle_months", "Review cycle (months)", old.review.cycle_months, new.review.cycle_months),
        *_governance_checks(old, new),
        ("related", "Related policies", old.related + old.related_titles, new.related + new.related_titles),
        ("numbering", "Numbering", old.numbering, new.numbering),
        ("legislation", "Legislation and guidance", old.legislation, new.legislation),
        ("definitions", "Defined terms", tuple(d.term for d in old.definitions), tuple(d.term for d in new.definitions)),
    ]
    old_meanings = {d.term: d.meaning for d in old.definitions}
    for definition in new.definitions:
        before = old_meanings.get(definition.term)
        if before is not None and " ".join(before.split()) != " ".join(definition.meaning.split()):
            checks.append((f"definition:{definition.term}", f"Meaning of “{definition.term}”", before, definition.meaning))
    old_titles = {s.id: s.title for s in old.all_sections}
    for section in new.all_sections:
        if section.id in old_titles and old_titles[section.id] != section.title:
            checks.append((f"section-title:{section.id}", f"Section {section.number} title", old_titles[section.id], section.title))
    checks.append(("sections", "Sections", tuple(s.id for s in old.sections), tuple(s.id for s in new.sections)))
    changes = [FieldChange(key, label, a, b) for key, label, a, b in checks if a != b]
    # "sections" lists ids; say in words whether it was an order change only.
    for index, change in enumerate(changes):
        if change.key == "sections":
            kept_old = [s for s in change.old if s in change.new]
            kept_new = [s for s in change.new if s in change.old]
            if kept_old == kept_new:
                # Only sections added or removed: each is a section change of its own (Comparison.sections).
                del changes[index]
                break
            label = "Section order" if set(change.old) == set(change.new) else "Sections"
            changes[index] = FieldChange(
                "section-order" if label == "Section order" else "sections", label,
                tuple(s.title for s in old.sections), tuple(s.title for s in new.sections),
            )
    return tuple(changes)


def _governance_checks(old: PolicyVersion, new: PolicyVersion) -> list[tuple]:
    """The governance record, field by field: (key, label, old value, new value).

    Dates are compared as readers see them, with their precision: "January
    2018" is not "31 January 2018", but "2026-09-01" is "1 September 2026".
    Committees and roles are compared by id, as the owner is.
    """
    def approval(v, name):
        return getattr(v.approval, name) if v.approval else None

    def governors(v, name):
        return getattr(v.review.governors, name) if v.review.governors else None

    def based_on(v, name):
        return getattr(v.based_on, name) if v.based_on else None

    def signatories(v):
        return tuple(" ".join(filter(None, (s.role, f"({s.name})" if s.name else None, s.date.label))) for s in v.signatories)

    def log(v):
        return tuple(f"{row.version}: {row.description} ({row.date.label if row.date else 'no date'})" for row in v.history)

    def amendments(v):
        # Where by clause id, as the owner is compared by id: renumbering is not an amendment.
        return tuple(f"{a.date.label}: {a.description}" + "".join(f" ({part})" for part in (a.by, a.clause, a.page) if part)
                     for a in v.amendments)

    return [
        ("effective", "Effective from", _written(old.effective), _written(new.effective)),
        ("approval.body", "Approved by", approval(old, "body"), approval(new, "body")),
        ("approval.committee", "Approved by (committee)", approval(old, "committee"), approval(new, "committee")),
        ("approval.date", "Approval date", _written(approval(old, "date")), _written(approval(new, "date"))),
        ("approval.minute", "Approval minute", approval(old, "minute"), approval(new, "minute")),
        ("review.statutory", "Statutory review", old.review.statutory, new.review.statutory),
        ("review.next", "Next review", _written(old.review.next), _written(new.review.next)),
        ("review.with_staff", "Reviewed with staff", _written(old.review.with_staff), _written(new.review.with_staff)),
        ("review.governors.body", "Governors' review by", governors(old, "body"), governors(new, "body")),
        ("review.governors.committee", "Governors' review by (committee)", governors(old, "committee"), governors(new, "committee")),
        ("review.governors.date", "Governors' review date", _written(governors(old, "date")), _written(governors(new, "date"))),
        ("based_on.publisher", "Model policy publisher", based_on(old, "publisher"), based_on(new, "publisher")),
        ("based_on.title", "Model policy", based_on(old, "title"), based_on(new, "title")),
        ("based_on.version", "Model policy version", based_on(old, "version"), based_on(new, "version")),
        ("based_on.released", "Model policy released", _written(based_on(old, "released")), _written(based_on(new, "released"))),
        ("based_on.changes", "Our changes to the model", based_on(old, "changes"), based_on(new, "changes")),
        ("signatories", "Signatories", signatories(old), signatories(new)),
        ("master_copy", "Master copy", old.master_copy, new.master_copy),
        ("history", "Version log (versions without text)", log(old), log(new)),
        ("amendments", "Amendment record", amendments(old), amendments(new)),
    ]


def _written(date: PolicyDate | None) -> str | None:
    """A date as its reader sees it: ``1 September 2026``, ``January 2018``."""
    return date.label if date else None


# Which pages to build ---------------------------------------------------------


def picker_pairs(policy: Policy, limit: int = ALL_PAIRS_LIMIT) -> tuple[tuple[PolicyVersion, PolicyVersion], ...]:
    """Version pairs that get a comparison page, older first in each pair.

    Every pair while the policy has at most ``limit`` versions (at most 28
    pages, a few milliseconds each); beyond that consecutive versions and
    each draft against the adopted version only.
    """
    versions = sorted(policy.versions, key=lambda v: version_key(v.version))
    if len(versions) <= limit:
        return tuple((a, b) for index, a in enumerate(versions) for b in versions[index + 1:])
    pairs = []
    for old, new in comparison_pairs(policy):
        pair = (old, new) if version_key(old.version) < version_key(new.version) else (new, old)
        if pair not in pairs:
            pairs.append(pair)
    return tuple(pairs)


# The JSON contract ------------------------------------------------------------


def comparison_data(comparison: Comparison) -> dict:
    """The comparison as plain JSON data: the contract for tests and other tools.

    ``changes`` lists every changed clause (unchanged and renumbered-only
    clauses are left out) in reading order. Each has ``kind``: a list of the
    kind names in :data:`KINDS` order (several may apply); ``old_id`` and
    ``new_id`` (``null`` on the missing side); ``old_number`` and
    ``new_number``; ``matched_by`` (``id``, ``similarity`` or ``null``);
    ``partners`` for splits and merges; ``id_reused`` (the id names a
    different clause in the other version, so the clause is shown as removed
    and added, "replaced", not as reworded); and ``segments``, each
    ``{"op": "equal" | "insert" | "delete", "text": ...}``, whose non-insert
    texts join to the old clause text and non-delete texts to the new.
    """
    def obligation(clause):
        return clause.obligation.value if clause and clause.obligation else None

    old_section = {c.id: s.id for s in comparison.old.all_sections for c in s.clauses}
    new_section = {c.id: s.id for s in comparison.new.all_sections for c in s.clauses}

    def holder(clause):
        return clause.holder.value if clause and clause.holder else None

    return {
        "policy": comparison.new.policy_id,
        "old": comparison.old.version,
        "new": comparison.new.version,
        "author_summary": comparison.new.changes,
        "counts": comparison.counts,
        "unchanged": comparison.unchanged,
        "changes": [
            {
                "kind": list(change.kinds),
                "old_id": change.old.id if change.old else None,
                "new_id": change.new.id if change.new else None,
                "old_number": change.old.number if change.old else None,
                "new_number": change.new.number if change.new else None,
                "old_section": old_section.get(change.old.id) if change.old else None,
                "new_section": new_section.get(change.new.id) if change.new else None,
                "old_holder": holder(change.old),
                "new_holder": holder(change.new),
                "matched_by": change.matched_by,
                "material": change.material,
                "old_obligation": obligation(change.old),
                "new_obligation": obligation(change.new),
                "partners": list(change.partners),
                "id_reused": change.id_reused,
                "roles_added": list(change.roles_added),
                "roles_removed": list(change.roles_removed),
                "segments": [{"op": s.op, "text": s.text} for s in change.segments],
            }
            for change in comparison.clauses if change.changed
        ],
        "sections": [
            {
                "change": section.kind,
                "id": section.section.id,
                "title": section.section.title,
                "number": section.section.number,
                "clauses": [(c.new if section.kind == "added" else c.old).id for c in section.changes],
            }
            for section in comparison.sections
        ],
        "renumbered": [
            {"id": change.new.id, "old_number": change.old.number, "new_number": change.new.number}
            for change in comparison.clauses if change.renumbered and MOVED not in change.kinds
        ],
        "fields": [
            {"field": f.key, "label": f.label, "old": _plain(f.old), "new": _plain(f.new)} for f in comparison.fields
        ],
        "roles": [
            {
                "role": impact.role.id,
                **{
                    name: [(c.new or c.old).id for c in getattr(impact, name)]
                    for name in ("added", "removed", "strengthened", "weakened", "reworded")
                },
            }
            for impact in comparison.roles
        ],
    }


def _plain(value):
    return list(value) if isinstance(value, tuple) else value
