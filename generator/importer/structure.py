"""Structure: cleaned blocks to a draft policy of sections and clauses.

The decisions, in the order they are tried for each block:

- a **document-control** heading ("Review record", "Record of amendments",
  "Version history", "Signatories"...) opens a record that takes every
  following block until a section starts: it has no field in today's
  schema, so it is kept whole as :class:`Unplaced`;
- a **heading** is a heading style, a ``#``, an ``<h2>``, a number with a short
  title ("4. Prohibited use"), or, unnumbered, a short line without a final
  full stop (or all in bold) that the next block does not continue;
- a heading with no text of its own before the next heading is a **parent
  heading**: "Appendix" over "Guidance for staff" becomes one non-binding
  section, any other is kept as :class:`Unplaced` (nested sections are not
  in today's schema);
- every paragraph is a **clause**; list items join the clause before them
  (its lead-in), their style from their markers; a nested list is a Markdown
  list inside the item above it;
- "Or" alone on a line makes the next paragraph an **alternative** to the
  clause before it; a table outside a record, and a lone date, are kept as
  :class:`Unplaced` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import BULLET, HEADING, ITEM, PARAGRAPH, ROW, STEPS, Block

CONTROL = re.compile(r"review record|document control|document information|document history|policy details|"
                     r"record of (?:amendments|changes|review)|amendments? record|version (?:history|control|log)|"
                     r"revision history|change log|signator|signed by|approval record|adoption record", re.I)
SIGNATORIES_HEADER = re.compile(r"\bsignature\b|\bsigned\b|signator", re.I)
"""A table row that heads a signatories table (Role | Name | Signature | Date): its rows are never log rows."""
VERSION_LOG = re.compile(r"amendment|version|revision|change log|changes", re.I)
APPENDIX = re.compile(r"^(?:appendix|annex|annexe)\b", re.I)
DEFINITIONS = re.compile(r"^definitions?\b", re.I)
NAMES_POLICY = re.compile(r"\b(?:polic(?:y|ies)|procedures?|code|guidance|guidelines|statement|protocol|charter|"
                          r"agreement|plan|strategy|framework|arrangements)\b", re.I)
"""A word that says a line names the policy, not the school or council that heads the page."""
ORGANISATION = re.compile(r"\b(?:school|academy|college|council|trust|federation|nursery|diocese|authority|"
                          r"partnership|services?|ltd|limited)$", re.I)
"""How the name of a school, council or provider ends ("Ashgrove Primary School", "Northshire County Council")."""
ALTERNATIVE = re.compile(r"^or[:.]?$", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn|winter"
LONE_DATE = re.compile(rf"^(?:\d{{1,2}}\s*(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})(?:\s+term)?\s+\d{{4}}$|^\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}$", re.I)
PLACEHOLDER = re.compile(r"\[[^\]\n]{1,80}\]|\b(?:school|academy)/trust\b|\bX{3,}\b|_{4,}", re.I)
DEFINITION = re.compile(r"^(?P<term>[A-Z][\w'\u2019-]*(?: [\w'\u2019-]+){0,4}?)(?::\s+| (?:is|are|means|refers to) )(?P<rest>.+)$")
QUOTED_DEFINITION = re.compile(r"^(?:in this (?:policy|document|procedure),?\s+)?[\'\"\u2018\u201c](?P<term>[^\'\"\u2019\u201d]{1,60})"
                               r"[\'\"\u2019\u201d],?\s+(?:is|are|means|refers to|includes?|covers)\s+(?P<rest>.+)$", re.I)
"""A quoted term: "'Medication' means ...", "In this policy, 'parent' includes ..." (the sentence is the meaning)."""
HEADING_WORDS, HEADING_CHARS = 12, 100
SUB_HEADING_WORDS = 8
MAX_DEPTH = 2
"""Sub-sections nest two levels below a section at most (the schema's three levels)."""
MAX_TEXT = 19_000
"""A clause's text may hold 20,000 characters (the schema): a longer paragraph is split at sentence ends."""
LONG_PARAGRAPH = 20
"""A paragraph this long ends a document-control record: the policy's text has begun."""


@dataclass
class DraftClause:
    text: str
    line: int
    number: str | None = None
    items: list[str] = field(default_factory=list)
    item_style: str | None = None
    id: str = ""
    obligation: str | None = None
    cue: str | None = None
    applies_to: list[str] = field(default_factory=list)
    holder_phrases: list[tuple[str, str]] = field(default_factory=list)
    """(phrase as written, role id) for each holder found."""
    holder: str | None = None
    """``organisation`` when the sentence's subject is the organisation itself."""
    holder_phrase: str = ""
    unknown_roles: list[tuple[str, str]] = field(default_factory=list)
    """(phrase, suggestion) for people the handbook has no role for."""
    responsible: list[str] = field(default_factory=list)
    responsible_phrases: list[tuple[str, str]] = field(default_factory=list)
    deadline: str | None = None
    placeholders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Other guesses about this clause, shown as comments."""
    options: list[DraftClause] = field(default_factory=list)
    """Alternatives to this clause's wording left in from a model ("Or ..."): with it, the options to choose from."""
    numbered_list: bool = False
    """It is one of a section's paragraphs numbered 1., 2., 3. by a list of Word's, with no lead-in before them."""
    continues: bool = False
    """It is the rest of the clause before it, split off because it holds a duty of another strength."""


@dataclass
class DraftSection:
    title: str
    line: int
    number: str | None = None
    clauses: list[DraftClause] = field(default_factory=list)
    binding: bool = True
    id: str = ""
    title_guessed: bool = False
    level: int = 0
    """0 for a section, 1 for a sub-section, 2 below that: from the heading's style level or its number's depth."""


@dataclass
class Unplaced:
    """Text that today's schema has no field for; kept as a comment block and listed in the report.

    ``kind`` names the target it would map to in a richer model: document-control,
    version-log, signatories, alternative, nested-heading, table, document-date, organisation.
    """

    kind: str
    title: str
    line: int
    lines: list[str]
    after_clause: DraftClause | None = None
    before_section: DraftSection | None = None
    mapped: bool = False
    """Some of its rows were mapped onto the version's fields (``records``); it is still kept as written."""
    left: list[str] = field(default_factory=list)
    """The rows no field took, when ``mapped``."""
    children: list[DraftSection] = field(default_factory=list)
    """A nested heading's sub-sections, when ``mapped`` (from ``before_section`` on)."""
    id: str = ""
    """A nested heading's section id, when ``mapped``."""


@dataclass
class Draft:
    title: str
    title_guessed: bool
    sections: list[DraftSection]
    definitions: list[tuple[str, str, int]]
    unplaced: list[Unplaced]
    records: list[str] = field(default_factory=list)
    """Top-level YAML lines the records were mapped to (``records.map_records``)."""
    terms: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """A defined term (casefolded) naming a group of people -> (its id, the roles it covers) (``fields``)."""

    @property
    def clauses(self) -> list[DraftClause]:
        return [clause for section in self.sections for clause in section.clauses]


def document_clauses(clauses: list[DraftClause]) -> list[list[DraftClause]]:
    """The clauses as the document has them, each as its parts: one split for its duties of different
    strengths (``continues``) is one clause of the document."""
    groups: list[list[DraftClause]] = []
    for clause in clauses:
        if clause.continues and groups:
            groups[-1].append(clause)
        else:
            groups.append([clause])
    return groups


def build_draft(blocks: list[Block], fallback_title: str) -> Draft:
    """The draft structure of a cleaned document (obligations are found later)."""
    return _Builder(blocks, fallback_title).run()


def numbered_document(blocks: list[Block]) -> bool:
    """Whether the sections are numbered ("1. Introduction"): then an unnumbered short line is rarely a heading."""
    return sum(1 for n, b in enumerate(blocks) if b.number and "." not in b.number
               and is_heading(b, blocks[n + 1] if n + 1 < len(blocks) else None)) >= 2


def is_heading(block: Block, following: Block | None) -> bool:
    if block.kind == HEADING:
        return True
    if block.kind != PARAGRAPH:
        return False
    text = block.text.strip()
    if len(text.split()) > HEADING_WORDS or len(text) > HEADING_CHARS or ALTERNATIVE.match(text) or LONE_DATE.match(text):
        return False
    if block.number is not None:
        # "4. Prohibited use" is a heading, "4.2 Staff must..." a clause, "4.2 Reporting" over "4.2.1 ..." a sub-heading.
        sub = (following is not None and (following.number or "").startswith(f"{block.number}.")
               and len(text.split()) <= SUB_HEADING_WORDS and text[:1].isupper())
        return ("." not in block.number or sub) and not re.search(r"[.,;:!?]$", text)
    if block.bold:
        return not text.endswith(":")
    if re.search(r"[.,;:!?\u2026]$", text) or not text[:1].isupper():
        return False
    # A short line the next block continues ("and security ...") is the start of a paragraph.
    return following is None or not following.text[:1].islower()


def _pieces(text: str) -> list[str]:
    """``text`` in pieces of at most :data:`MAX_TEXT` characters, cut after a sentence where there is one."""
    pieces = []
    while len(text) > MAX_TEXT:
        cut = max(text.rfind(". ", 0, MAX_TEXT), text.rfind(" ", 0, MAX_TEXT))
        cut = cut + 1 if cut > 0 else MAX_TEXT
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*pieces, text]


class _Builder:
    def __init__(self, blocks: list[Block], fallback_title: str) -> None:
        self.blocks = blocks
        self.fallback_title = fallback_title
        self.sections: list[DraftSection] = []
        self.unplaced: list[Unplaced] = []
        self.definitions: list[tuple[str, str, int]] = []
        self.record: Unplaced | None = None
        self.alternative: Unplaced | None = None
        self.table: Unplaced | None = None
        self.in_appendix = False
        self.parent_heading: Unplaced | None = None
        self.numbered = numbered_document(blocks)
        self.previous: Block | None = None
        self.term: str | None = None
        self.inline_defined: DraftSection | None = None
        """A definitions section whose terms are defined in their own sentence: a short line after them is a heading."""
        self.top_level: int | None = None
        """The style level of the first section heading: sections below it are its sub-sections."""

    def run(self) -> Draft:
        blocks = self.blocks
        title, start, guessed = self._title()
        for index in range(start, len(blocks)):
            block, following = blocks[index], blocks[index + 1] if index + 1 < len(blocks) else None
            self._take(block, following)
            self.previous = block
        for index, section in enumerate(self.sections):
            if not section.clauses and any(s.clauses for s in self._children(index)):
                continue  # a heading over sub-sections: the schema lets it hold no clauses of its own
            if not section.clauses:
                # A heading with nothing under it (the document's last line, say): kept, as it cannot be a section.
                self.unplaced.append(Unplaced("empty-heading", "a heading with no text under it", section.line,
                                              [" ".join(filter(None, [section.number, section.title]))],
                                              after_clause=self._last_clause()))
        self.sections = [s for n, s in enumerate(self.sections) if s.clauses or any(c.clauses for c in self._children(n))]
        return Draft(title, guessed, self.sections, self.definitions, self.unplaced)

    def _title(self) -> tuple[str, int, bool]:
        blocks = self.blocks
        if (named := self._named_below_organisation()) is not None:
            return blocks[named].text, named + 1, False
        first = blocks[0]
        following = blocks[1] if len(blocks) > 1 else None
        if first.number is None and first.kind != ROW and is_heading(first, following) and not CONTROL.search(first.text):
            later = [b for b in blocks[1:] if b.kind == HEADING]
            styled_title = first.kind == HEADING and (first.level == 0 or any(b.level > first.level for b in later)
                                                      and not any(b.level == first.level for b in later))
            if (not first.heading_style or styled_title
                    or following is not None and (is_heading(following, None) or following.kind == ROW)):
                return first.text, 1, False
        return self.fallback_title, 0, True

    def _named_below_organisation(self) -> int | None:
        """The first lines' line naming the policy, when a line above it does not (the school's or council's name).

        The lines above it are kept, as a comment block: nothing is lost.
        """
        def title_like(block: Block) -> bool:
            text = block.text.strip()
            return (block.kind != ROW and block.number is None and 0 < len(text.split()) <= 12
                    and not text.endswith((".", ":")) and not CONTROL.search(text))

        head = self.blocks[:3]
        if not head or not title_like(head[0]) or NAMES_POLICY.search(head[0].text) or not ORGANISATION.search(head[0].text.strip()):
            return None
        for index, block in enumerate(head[1:], start=1):
            if not title_like(block):
                return None
            if NAMES_POLICY.search(block.text):
                self.unplaced.append(Unplaced("organisation", "the lines above the policy's name", head[0].line,
                                              [b.text.strip() for b in head[:index]]))
                return index
        return None

    # One block --------------------------------------------------------------------

    def _take(self, block: Block, following: Block | None) -> None:
        text = block.text.strip()
        heading = is_heading(block, following)
        if (heading and block.number is None and not block.heading_style and self.sections
                and DEFINITIONS.match(self.sections[-1].title) and self.inline_defined is not self.sections[-1]
                and following is not None and following.kind == PARAGRAPH
                and not is_heading(following, None)):
            self.term = text  # a term on its own line, its meaning in the paragraph below
            return
        if heading and self.numbered and block.number is None and not (
                block.heading_style or block.bold or self.in_appendix or APPENDIX.match(text) or DEFINITIONS.match(text)
                or CONTROL.search(text) or self.previous is None or self.previous.kind == HEADING
                or is_heading(self.previous, block)):
            heading = False  # in a numbered document a heading has a number, a style, or follows another heading

        if heading and CONTROL.search(text) and len(text.split()) <= 8:
            self._close_table()
            kind = "signatories" if re.search(r"signator|signed", text, re.I) else \
                "version-log" if VERSION_LOG.search(text) else "document-control"
            self.record = Unplaced(kind, text, block.line, [])
            self.unplaced.append(self.record)
            return
        if self.record is not None:
            starts_text = (heading and (block.number is not None or block.heading_style)) or \
                (block.kind == PARAGRAPH and len(text.split()) >= LONG_PARAGRAPH)
            if not starts_text:
                if block.kind == ROW and self._starts_signatories(block, self.record):
                    self.record = Unplaced("signatories", "a signatories table", block.line, [])
                    self.unplaced.append(self.record)
                self.record.lines.append(text)
                return
            self.record = None
        if block.kind == ROW:
            self._row(block)
            return
        self._close_table()
        if heading:
            self._heading(block)
        elif block.kind == PARAGRAPH and ALTERNATIVE.match(text):
            after = self._last_clause()
            self.alternative = Unplaced("alternative", "alternative to the clause before it", block.line, [text], after_clause=after)
            self.unplaced.append(self.alternative)
        elif self.alternative is not None and (block.kind == ITEM or not self.alternative.lines[1:]):
            self.alternative.lines.append(("- " if block.kind == ITEM else "") + text)
        elif block.kind == PARAGRAPH and LONE_DATE.match(text):
            self.alternative = None
            self.unplaced.append(Unplaced("document-date", "a date on its own", block.line, [text], after_clause=self._last_clause()))
        elif block.kind == ITEM:
            self.alternative = None
            self._item(block)
        else:
            self.alternative = None
            self._paragraph(block)

    def _heading(self, block: Block) -> None:
        self.alternative = None
        title = block.text.strip()
        level = self._level(block)
        current = self.sections[-1] if self.sections else None
        if current is not None and not current.clauses and not (level > current.level and not APPENDIX.match(current.title)):
            # The heading before this one has no text of its own, and this one is not its sub-heading: a parent heading.
            self.sections.pop()
            if APPENDIX.match(current.title) and not APPENDIX.match(title):
                title, level = f"{current.title}: {title}", current.level
            else:
                self.parent_heading = Unplaced("nested-heading", "a heading whose sub-sections follow", current.line,
                                               [" ".join(filter(None, [current.number, current.title]))])
                self.unplaced.append(self.parent_heading)
        if APPENDIX.match(title):
            self.in_appendix = True
        section = DraftSection(title, block.line, block.number, binding=not self.in_appendix, level=level)
        if self.parent_heading is not None and self.parent_heading.before_section is None:
            self.parent_heading.before_section = section
        self.sections.append(section)

    def _level(self, block: Block) -> int:
        """How deep a heading sits: its style level below the first section's (Heading 2 under Heading 1), else its
        number's depth ("4.2" under "4."); never more than one below the section before it."""
        if block.kind == HEADING and block.heading_style:
            if self.top_level is None or not self.sections:
                self.top_level = block.level
            depth = block.level - self.top_level
        elif block.number and re.fullmatch(r"\d+(?:\.\d+)+", block.number):
            depth = block.number.count(".")
        else:
            depth = 0
        before = self.sections[-1].level if self.sections else -1
        return max(0, min(depth, before + 1, MAX_DEPTH))

    def _children(self, index: int) -> list[DraftSection]:
        """The sub-sections (at any depth) under the section at ``index``."""
        level = self.sections[index].level
        out = []
        for section in self.sections[index + 1:]:
            if section.level <= level:
                break
            out.append(section)
        return out

    def _section(self, line: int) -> DraftSection:
        if not self.sections:
            # Text before the first heading: the schema needs a section title, so one is guessed.
            self.sections.append(DraftSection("About this policy", line, binding=not self.in_appendix, title_guessed=True))
        return self.sections[-1]

    def _paragraph(self, block: Block) -> None:
        section = self._section(block.line)
        text = block.text.strip()
        if self.term is not None and self.term.casefold() in {t.casefold() for t, _, _ in self.definitions}:
            self.term = None  # defined twice: the second stays a clause
            section.clauses.append(DraftClause(text, block.line, block.number))
            return
        if self.term is not None:
            term, self.term = self.term, None
            self.definitions.append((term, text, block.line))
            section.clauses.append(DraftClause(f"{term}: {text}", block.line, block.number, notes=["definition"]))
            return
        clause = section.clauses[-1] if section.clauses else None
        if (block.number and "." not in block.number and clause is not None
                and (clause.item_style == STEPS or block.number == "1" and not clause.items)):
            # "1. Check that ..." after a lead-in: a numbered step of a procedure.
            self._item(Block(ITEM, text, block.line, marker=STEPS, number=block.number))
            return
        if DEFINITIONS.match(section.title) and (quoted := QUOTED_DEFINITION.match(text)) and \
                quoted.group("term").casefold() not in {t.casefold() for t, _, _ in self.definitions}:
            self.definitions.append((quoted.group("term").strip(), text, block.line))
            section.clauses.append(DraftClause(text, block.line, block.number, notes=["definition"]))
            self.inline_defined = section
            return
        if DEFINITIONS.match(section.title):
            match = DEFINITION.match(text)
            if (match and not re.match(r"(?i)(this|the|it|there|within|for|in|many|all|a|an) ", text)
                    and match.group("term").casefold() not in {t.casefold() for t, _, _ in self.definitions}):
                term = match.group("term")
                meaning = match.group("rest") if text[len(term):].lstrip().startswith(":") else text
                self.definitions.append((term, meaning, block.line))
                section.clauses.append(DraftClause(text, block.line, block.number, notes=["definition"]))
                self.inline_defined = section
                return
        pieces = _pieces(text)
        section.clauses.append(DraftClause(pieces[0], block.line, block.number))
        for piece in pieces[1:]:
            section.clauses.append(DraftClause(piece, block.line, notes=["a paragraph too long for one clause, split at a sentence end"]))

    def _item(self, block: Block) -> None:
        section = self._section(block.line)
        clause = section.clauses[-1] if section.clauses else None
        if block.marker == STEPS and block.level == 0 and (clause is None or clause.numbered_list):
            # Numbered paragraphs straight under a heading are the section's clauses, not a procedure's steps.
            number = (block.number or "").rstrip(".)") or None
            section.clauses.append(DraftClause(block.text.strip(), block.line, number, numbered_list=True))
            return
        if clause is None or "definition" in clause.notes:
            # A list with no lead-in: its first item leads it.
            section.clauses.append(DraftClause(block.text.strip(), block.line, notes=["list without a lead-in: its first item is the clause's text"]))
            section.clauses[-1].item_style = block.marker
            return
        if block.level > 0 and clause.items:
            # A nested list stays a list, inside the item above it (an item's text is Markdown, which has lists).
            marker = "1." if block.marker == STEPS else "-"
            above = clause.items[-1]
            clause.items[-1] = f"{above}{chr(10) if chr(10) in above else chr(10) * 2}{'    ' * (block.level - 1)}{marker} {block.text.strip()}"
            if block.marker not in (STEPS, BULLET) and f"nested {block.marker} items" not in " ".join(clause.notes):
                clause.notes.append(f"nested {block.marker} items are written as a bulleted list inside the item above them")
            return
        if clause.item_style is None:
            clause.item_style = block.marker
        elif clause.item_style != block.marker:
            clause.notes.append(f"the list mixes {clause.item_style} and {block.marker} markers")
        clause.items.append(block.text.strip())

    @staticmethod
    def _starts_signatories(block: Block, current: Unplaced) -> bool:
        # A version log, then a signatories table below it: the second table's rows are not the log's.
        return current.kind != "signatories" and bool(SIGNATORIES_HEADER.search(" ".join(block.cells)))

    def _row(self, block: Block) -> None:
        if self.table is not None and self._starts_signatories(block, self.table):
            self.table = None
        if self.table is None:
            header = " ".join(block.cells)
            kind = "signatories" if SIGNATORIES_HEADER.search(header) else "version-log" if VERSION_LOG.search(header) and re.search(r"date|details|description", header, re.I) \
                else "document-control" if re.search(r"review|approv|adopt|owner|governor|ratif|policy", header, re.I) else "table"
            self.table = Unplaced(kind, "a table", block.line, [], after_clause=self._last_clause())
            self.unplaced.append(self.table)
        self.table.lines.append(" | ".join(block.cells))

    def _close_table(self) -> None:
        self.table = None

    def _last_clause(self) -> DraftClause | None:
        for section in reversed(self.sections):
            if section.clauses:
                return section.clauses[-1]
        return None

