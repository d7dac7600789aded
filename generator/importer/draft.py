"""The draft version file: today's schema, every guess marked by a comment on its line.

Values are written as double-quoted YAML scalars (JSON strings with C1 and
bidi controls escaped, see ``policybook.terminal.json_text``), so no text of
the document can end a value, start a key or fake a line. Comments are made
printable on one line for the same reason.

Text the schema has no field for is written by one *placer* per kind
(``place_unplaced``) as a comment block. What has a field is written there:
records (``records.py``, also kept as written below their fields),
alternatives as ``options``, a heading over sub-headings as ``sections``
(``nest``), the document's numbering (``numbering``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..terminal import json_text, printable
from .structure import Draft, DraftClause, DraftSection, Unplaced

RESERVED_IDS = {"definitions", "version-history", "compare-versions"}
_STOP = {"a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "any", "all", "this", "that", "is", "are",
         "be", "with", "by", "as", "at", "it", "its", "their", "they", "if", "from", "will", "should", "must", "not",
         "may", "can", "also", "which", "who", "when", "where", "there", "these", "those", "such"}
ID_WORDS = 5


@dataclass(frozen=True)
class Metadata:
    """The version's fields outside its sections, each with why it was chosen (``None``: not a guess)."""

    policy: str
    version: str
    category: tuple[str, str | None]
    owner: tuple[str, str | None]
    scope: tuple[tuple[str, ...], str | None]
    extra: tuple[tuple[str, str], ...] = ()
    """Fields carried from the version an import goes into: (key, YAML value)."""


def quote(text: str) -> str:
    return json_text(text, ensure_ascii=False)


def comment(text: str) -> str:
    return "# " + printable(" ".join(str(text).split()), newlines=False)


def slug(text: str, words: int = ID_WORDS) -> str:
    parts = [w for w in re.findall(r"[a-z0-9]+", text.casefold().replace("'", "").replace("\u2019", "")) if w not in _STOP]
    return "-".join(parts[:words])[:60].strip("-") or "clause"


def assign_ids(draft: Draft) -> None:
    """Section and clause ids from their words, unique, and never an anchor the policy page uses itself."""
    taken: set[str] = set()
    for section in draft.sections:
        section.id = unique_id(slug(section.title, 4) or "section", set(s.id for s in draft.sections if s.id))
        for clause in section.clauses:
            if not clause.id:
                base = slug(clause.text)
                clause.id = unique_id(base if not base.startswith("section-") else f"clause-{base}", taken)
            taken.add(clause.id)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... : the first not in ``taken`` (which it joins) nor reserved."""
    candidate, n = base, 2
    while candidate in taken or candidate in RESERVED_IDS:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def write_yaml(draft: Draft, meta: Metadata, *, schema_path: str, source_name: str) -> str:
    lines = [
        f"# yaml-language-server: $schema={schema_path}",
        comment(f"A DRAFT imported by 'policybook import' from {source_name}: review every line marked 'guessed', "
                "and the blocks marked 'could not place', before it goes for approval."),
        f"policy: {_id(meta.policy)}",
        f"version: {quote(meta.version)}",
        f"title: {quote(draft.title)}" + (f"  {comment('guessed: from the file name; the document has no title line')}" if draft.title_guessed else ""),
        _guessed(f"category: {_id(meta.category[0])}", meta.category[1]),
        "status: draft",
        _guessed(f"owner: {_id(meta.owner[0])}", meta.owner[1]),
        "scope:",
        _guessed(f"  roles: {yaml_ids(meta.scope[0])}", meta.scope[1]),
        *(f"{key}: {value}" for key, value in meta.extra),
        *draft.records,
    ]
    mode, why = numbering(draft)
    if mode != "derived":
        lines.append(_guessed(f"numbering: {mode}", why))
    for unplaced in draft.unplaced:
        if unplaced.after_clause is None and unplaced.before_section is None:
            lines += place_unplaced(unplaced, "")
    definitions = draft.definitions
    if definitions:
        lines.append("definitions:")
        for term, meaning, _ in definitions:
            lines += [f"  - term: {quote(term)}  {comment('guessed: a definition paragraph')}", f"    meaning: {quote(meaning)}"]
            if term.casefold() in draft.terms:
                ident, roles = draft.terms[term.casefold()]
                lines += [f"    id: {_id(ident)}  {comment('guessed: a group of people the policy names as one; duties on it name this id')}",
                          f"    roles: {yaml_ids(roles)}"]
    blanks = [p for c in draft.clauses for o in (c, *c.options) for p in o.placeholders if not p.startswith("[")]
    if blanks:
        lines.append(f"placeholders: [{', '.join(map(quote, dict.fromkeys(blanks)))}]  "
                     + comment("guessed: blanks left from a model policy, marked unfilled until the school fills them in"))
    lines.append("sections:")
    shown = written(draft)
    # Guessed from shared words only where the headings give no levels of their own.
    nested = nest(draft) if mode == "none" and not any(depth for _, depth in shown) else {}
    inside = {id(child) for parent in nested.values() for child in parent.children}
    for index, (section, depth) in enumerate(shown):
        for unplaced in draft.unplaced:
            if unplaced.before_section is section and not unplaced.mapped:
                lines += place_unplaced(unplaced, "  ")
        if id(section) in nested:
            parent = nested[id(section)]
            lines += [f"  - id: {_id(parent.id)}", f"    title: {quote(parent.lines[0])}",
                      f"    sections:  {comment(f'guessed: a heading with no text of its own over the {len(parent.children)} sections below, whose titles share its words')}"]
        pad = "    " * depth + ("    " if id(section) in inside else "")
        parent_of = index + 1 < len(shown) and shown[index + 1][1] > depth
        lines += [pad + line for line in _section(section, draft, mode == "source", parent_of)]
        if parent_of:
            lines.append(f"{pad}    sections:  {comment('the sub-headings under this heading')}")
    return "\n".join(lines) + "\n"


def nest(draft: Draft) -> dict[int, Unplaced]:
    """Map each heading over sub-headings (an unnumbered document's) to the sections under it, by its first one's id.

    Text alone does not say where the sub-sections end: they are the first
    section after the heading and those straight after it whose titles share
    one of its words ("Use of social media in practice" over "Personal use of
    social media"). Only where numbering is none: nesting renumbers derived numbers.
    """
    out: dict[int, Unplaced] = {}
    ids = {s.id for s in draft.sections}
    sections = [s for s, _ in written(draft)]
    for unplaced in draft.unplaced:
        first = unplaced.before_section
        if unplaced.kind != "nested-heading" or first not in sections or unplaced.mapped:
            continue
        words = set(slug(unplaced.lines[0], 20).split("-"))
        children = [first]
        for section in sections[sections.index(first) + 1:]:
            if not words & set(slug(section.title, 20).split("-")) or any(u.before_section is section for u in draft.unplaced):
                break
            children.append(section)
        unplaced.children, unplaced.mapped = children, True
        unplaced.id = unique_id(slug(unplaced.lines[0], 4) or "section", ids)
        out[id(first)] = unplaced
    return out


def written(draft: Draft) -> list[tuple[DraftSection, int]]:
    """The sections as the draft writes them, each with its depth (0 at the top); definitions are under definitions:.

    A section that holds only definitions is left out, and a heading over
    sub-sections stays with no clauses of its own.
    """
    kept = [s for n, s in enumerate(draft.sections)
            if _clauses(s) or any(_clauses(c) for c in _below(draft.sections, n))]
    out: list[tuple[DraftSection, int]] = []
    stack: list[int] = []  # levels of the open sections above
    for section in kept:
        while stack and stack[-1] >= section.level:
            stack.pop()
        out.append((section, len(stack)))
        stack.append(section.level)
    return out


def _clauses(section: DraftSection) -> list[DraftClause]:
    return [c for c in section.clauses if "definition" not in c.notes]


def _below(sections: list[DraftSection], index: int) -> list[DraftSection]:
    out = []
    for section in sections[index + 1:]:
        if section.level <= sections[index].level:
            break
        out.append(section)
    return out


def derived_numbers(draft: Draft) -> list[tuple[DraftSection, str, list[tuple[DraftClause, str]]]]:
    """Each written section with the number the loader derives for it and for its clauses (1, 1.2; A for guidance).

    Sub-sections are numbered after their section's own clauses, as the loader does.
    """
    out = []
    binding = appendix = 0
    path: list[tuple[str, int]] = []   # (number, sub-sections so far + own clauses) of the open sections
    for section, depth in written(draft):
        clauses = _clauses(section)
        del path[depth:]
        if depth == 0:
            if section.binding:
                binding += 1
                number = str(binding)
            else:
                number = chr(ord("A") + appendix) if appendix < 26 else f"A{appendix}"
                appendix += 1
        else:
            parent, count = path[-1]
            path[-1] = (parent, count + 1)
            number = f"{parent}.{count + 1}"
        path.append((number, len(clauses)))
        out.append((section, number, [(c, f"{number}.{j}") for j, c in enumerate(clauses, 1)]))
    return out


def numbering(draft: Draft) -> tuple[str, str | None]:
    """``none`` for a document that numbers nothing; ``source`` where its numbers are not the ones the order gives.

    Derived numbers (section 3, clause 3.2) are kept where the document's own
    agree with them, as readers and checklists cite them the same way; numbers
    given twice cannot be cited, so those stay comments under derived numbering.
    """
    numbered = derived_numbers(draft)
    given = [(s.number, n) for s, n, _ in numbered] + [(c.number, n) for _, _, cs in numbered for c, n in cs]
    if not any(number for number, _ in given):
        return "none", "the document numbers none of its sections and clauses"
    if all(number in (None, derived) for number, derived in given):
        return "derived", None
    sections = [s.number for s, _, _ in numbered if s.number]
    clauses = [c.number for _, _, cs in numbered for c, _ in cs if c.number]
    if len(set(sections)) < len(sections) or len(set(clauses)) < len(clauses):
        return "derived", None
    return "source", "the document's own numbers are not those its order gives (1, 1.1, 1.2, 2...): kept as number:"


def _id(ident: str) -> str:
    """An id as YAML text: bare where it cannot be read as anything else, else quoted ("1", "yes", "null")."""
    return ident if re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+|[a-z]*[a-z][a-z0-9]*", ident) and ident not in _YAML_WORDS \
        else quote(ident)


_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def yaml_ids(idents) -> str:
    return f"[{', '.join(map(_id, idents))}]"


def _guessed(line: str, why: str | None) -> str:
    return f"{line}  {comment('guessed: ' + why)}" if why else line


def _section(section: DraftSection, draft: Draft, numbered: bool = False, parent: bool = False) -> list[str]:
    clauses = _clauses(section)
    source = f"source {section.number}" if section.number and not numbered else ""
    if not clauses and not parent:
        return ["  " + comment(f"could not place: the section {' '.join(filter(None, [section.number, section.title]))} "
                               "holds only definitions, which are under definitions: above")]
    title_note = "guessed: the document gives this text no heading" if section.title_guessed else source
    lines = [f"  - id: {_id(section.id)}", f"    title: {quote(section.title)}" + (f"  {comment(title_note)}" if title_note else "")]
    if numbered and section.number:
        lines.append(f"    number: {quote(section.number)}")
    if not section.binding:
        lines.append(f"    binding: false  {comment('guessed: an appendix of guidance, advice rather than rules')}")
    if clauses:
        lines.append("    clauses:")
    for clause in clauses:
        lines += _clause(clause, numbered)
        for unplaced in draft.unplaced:
            if unplaced.after_clause is clause and not (unplaced.kind == "alternative" and unplaced.mapped):
                lines += place_unplaced(unplaced, "      ")
    return lines


def _clause(clause: DraftClause, numbered: bool = False) -> list[str]:
    pad = "        "
    head = f"      - id: {_id(clause.id)}"
    if clause.number and not numbered:
        head += f"  {comment(f'source {clause.number}')}"
    lines = [head, *([f"{pad}number: {quote(clause.number)}"] if clause.number and numbered else [])]
    if clause.options:
        lines.append(f"{pad}options:  " + comment("guessed: 'Or' left in from a model policy: the school chooses one "
                                                  "(chosen: 1 or 2); until then validate warns"))
        for option in (clause, *clause.options):
            lines.append(f"{pad}  - text: {quote(option.text)}")
            if option.items:
                lines.append(f"{pad}    items:")
                lines += [f"{pad}      - {quote(item)}" for item in option.items]
            if option.obligation:
                lines.append(f"{pad}    obligation: {option.obligation}  {comment(f'guessed from {option.cue!r}')}")
        if clause.placeholders:
            lines.append(pad + comment(f"placeholder to fill in: {', '.join(clause.placeholders)}"))
    else:
        lines.append(f"{pad}text: {quote(clause.text)}")
        if clause.placeholders:
            lines[-1] += "  " + comment(f"placeholder to fill in: {', '.join(clause.placeholders)}")
        if clause.items:
            lines.append(f"{pad}item_style: {clause.item_style}")
            lines.append(f"{pad}items:")
            lines += [f"{pad}  - {quote(item)}" for item in clause.items]
        if clause.obligation:
            lines.append(f"{pad}obligation: {clause.obligation}  {comment(f'guessed from {clause.cue!r}')}")
    if clause.holder and (clause.obligation or any(o.obligation for o in clause.options)):
        why = "is the organisation itself" if clause.holder == "organisation" else "is not a person: the document does not say who"
        lines.append(f"{pad}holder: {clause.holder}  {comment(f'guessed: {clause.holder_phrase!r} {why}')}")
    elif clause.obligation or any(o.obligation for o in clause.options):
        if clause.applies_to:
            why = "; ".join(f"{phrase!r} is {role}" for phrase, role in clause.holder_phrases)
            lines.append(f"{pad}applies_to: {yaml_ids(clause.applies_to)}  {comment('guessed: ' + why)}")
    if clause.deadline and (clause.obligation or any(o.obligation for o in clause.options)):
        lines.append(f"{pad}deadline: {quote(clause.deadline)}  {comment('guessed')}")
    if clause.responsible:
        why = "; ".join(f"{phrase!r} is {role}" for phrase, role in clause.responsible_phrases)
        lines.append(f"{pad}responsible: {yaml_ids(clause.responsible)}  {comment('guessed: ' + why)}")
    for phrase, suggestion in clause.unknown_roles:
        lines.append(pad + comment(f"not a role in the handbook: {phrase!r}: {suggestion}"))
    for note in clause.notes:
        lines.append(pad + comment(f"guessed: {note}"))
    return lines


# Text the schema has no field for: a comment block, headed by its kind ---------------------------

def _comment_block(title: str, unplaced: Unplaced, indent: str) -> list[str]:
    head = (f"{title}, line {unplaced.line}, mapped to the fields above (check them); as written"
            + (f", {len(unplaced.left)} rows not mapped" if unplaced.left else "") if unplaced.mapped
            else f"could not place ({title}, line {unplaced.line}): kept here word for word")
    return [indent + comment(head),
            *(indent + "#   " + printable(" ".join(line.split()), newlines=False) for line in unplaced.lines)]


_HEADINGS = {
    "document-control": "document-control record '{title}'",
    "version-log": "version log '{title}'",
    "signatories": "signatories '{title}'",
    "alternative": "an 'Or' alternative to the clause above, left in from a model policy: choose one",
    "nested-heading": "a heading over the sections below it, not made a section: to keep it, give it a section with "
                      "those sections under its sections:",
    "empty-heading": "a heading with no text under it; a section needs at least one clause",
    "table": "a table",
    "document-date": "a date on its own line, perhaps when the document was issued",
    "organisation": "the school's or organisation's name above the policy's name",
}
"""Unplaced kind -> the comment heading its block gets (``{title}``: the record's own title)."""


def place_unplaced(unplaced: Unplaced, indent: str) -> list[str]:
    """What has no field, as a comment block under the heading its kind gets."""
    return _comment_block(_HEADINGS[unplaced.kind].replace("{title}", unplaced.title), unplaced, indent)
