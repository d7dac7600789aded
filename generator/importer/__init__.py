"""``policybook import``: a Word, PDF, text, Markdown or HTML policy in, a reviewed YAML draft out.

The pipeline, one module per stage:

    readers.py      the file format -> Blocks (heading, paragraph, list item, table row)
    noise.py        drop page headers, tables of contents, stray marks; fix split words
    structure.py    sections, clauses, lead-ins with items, appendix, records, alternatives
    obligations.py  strength, holder, responsible, deadline from the wording and the handbook's roles
    records.py      the document-control records onto history, changes, review, approval, signatories
    draft.py        the version YAML, every guess marked on its line
    report.py       the review report: found, guessed, could not place, dropped, words kept

Nothing is lost: every word of the document's body is in the draft (as a
field, or in a comment block where the schema has no field for it), except
the noise lines the report lists; the report counts the words to prove it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Handbook, Policy, PolicyVersion, version_key
from .blocks import Block, Dropped
from .draft import Metadata, assign_ids, slug, unique_id, write_yaml, yaml_ids
from .fields import based_on, collective_terms, related_policies, related_yaml
from .noise import clean
from .obligations import RoleIndex, find_obligation, placeholders, split_duties
from .readers import ImportRefused, read_document
from .records import map_records
from .structure import Draft, DraftClause, build_draft

__all__ = ["ImportRefused", "ImportResult", "import_document"]


@dataclass
class ImportResult:
    source: Path
    fmt: str
    draft: Draft
    meta: Metadata
    yaml: str
    dropped: list[Dropped]
    fixes: list[tuple[int, str]]
    words_in: int
    words_kept: int
    lost_words: list[str]
    carried: dict[str, str] = field(default_factory=dict)
    """New clause id -> how it was matched with the version imported into (``id`` or ``similarity``)."""
    into: PolicyVersion | None = None
    role_names: dict[str, str] = field(default_factory=dict)
    mapped: list[str] = field(default_factory=list)
    """The version's fields filled from the document-control records, one line each."""


def import_document(path: Path, handbook: Handbook, *, policy_id: str | None = None, version: str | None = None,
                    into: Policy | None = None, schema_path: str = "../../schema/policy.schema.json") -> ImportResult:
    """Read ``path`` and make a draft version of a policy of ``handbook``.

    Args:
        policy_id: the new policy's id (default: from the title).
        version: the version label (default: "1", or the next after ``into``'s newest).
        into: an existing policy: the draft is its next version, its clauses keep
            the ids of the clauses they carry on, and its metadata is the newest version's.

    Raises:
        ImportRefused: the file cannot be read (see ``readers``).
    """
    fmt, raw_blocks = read_document(path)
    blocks, dropped = clean(raw_blocks)
    if not blocks:
        raise ImportRefused(f"{path}: after removing page headers and other noise the document holds no text: nothing to import")
    draft = build_draft(blocks, _title_from_name(path))
    if not draft.sections:
        raise ImportRefused(f"{path}: the document holds no paragraphs of policy text (only headings or tables): nothing to import")
    roles = RoleIndex.of(handbook)
    roles = roles.with_terms(collective_terms(draft, roles, handbook))
    for section in draft.sections:
        for clause in list(section.clauses):
            parts = split_duties(clause, roles, binding=section.binding)
            if len(parts) > 1:
                at = section.clauses.index(clause)
                section.clauses[at:at + 1] = parts
                for unplaced in draft.unplaced:  # what followed the clause follows its last part
                    if unplaced.after_clause is clause:
                        unplaced.after_clause = parts[-1]
        for before, clause in zip([None, *section.clauses], section.clauses):
            find_obligation(clause, roles, binding=section.binding)
            placeholders(clause)
            if (clause.continues and before is not None and clause.obligation and not clause.applies_to and not clause.holder
                    and re.match(r"(?i)(?:they|he|she)\b", clause.text)):
                # "They must also ...": the people the part before it is about.
                clause.applies_to, clause.holder_phrases = list(before.applies_to), list(before.holder_phrases)
    _alternatives(draft, roles)
    assign_ids(draft)
    previous = _newest(into) if into is not None else None
    records = map_records(draft, roles, version or (_next_version(into) if into is not None else None),
                          frozenset(v.version for v in into.versions) if into is not None else frozenset(),
                          handbook.date_order)
    draft.records = records.lines + based_on(draft)
    meta = _metadata(draft, handbook, policy_id or (into.id if into else slug(draft.title, 6) or "imported-policy"),
                     version or records.version or _next_version(into), previous)
    result_yaml = write_yaml(draft, meta, schema_path=schema_path, source_name=path.name)
    carried: dict[str, str] = {}
    if previous is not None:
        carried = _carry_ids(draft, result_yaml, previous)
        result_yaml = write_yaml(draft, meta, schema_path=schema_path, source_name=path.name)
    words_in, kept, lost = _coverage(blocks, draft)
    return ImportResult(path, fmt, draft, meta, result_yaml, dropped,
                        [(b.line, fix) for b in blocks for fix in b.fixes], words_in, kept, lost, carried, previous,
                        {role.id: role.name for role in handbook.roles}, records.mapped)


def _alternatives(draft: Draft, roles: RoleIndex) -> None:
    """An "Or" alternative becomes the second option of the clause before it; which applies is the school's choice."""
    binding = {id(c): s.binding for s in draft.sections for c in s.clauses}
    for unplaced in draft.unplaced:
        clause = unplaced.after_clause
        if unplaced.kind != "alternative" or clause is None or len(unplaced.lines) < 2 or clause.options:
            continue
        option = DraftClause(unplaced.lines[1], unplaced.line,
                             items=[line.removeprefix("- ") for line in unplaced.lines[2:]])
        find_obligation(option, roles, binding=binding.get(id(clause), True))
        placeholders(option)
        clause.options = [option]
        clause.applies_to += [r for r in option.applies_to if r not in clause.applies_to]
        clause.holder_phrases += [p for p in option.holder_phrases if p[1] not in [r for _, r in clause.holder_phrases]]
        clause.placeholders += [p for p in option.placeholders if p not in clause.placeholders]
        unplaced.mapped = True


def _title_from_name(path: Path) -> str:
    # A file name may hold anything a title may not (control characters, line breaks).
    name = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", "", path.stem)
    return " ".join(re.sub(r"[_\-]+", " ", name).split())[:200] or "Imported policy"


def _newest(policy: Policy) -> PolicyVersion:
    return max(policy.versions, key=lambda v: version_key(v.version))


def _next_version(into: Policy | None) -> str:
    if into is None:
        return "1"
    newest = _newest(into).version
    head = re.match(r"\d+", newest)
    if not head:
        raise ImportRefused(f"the newest version of '{into.id}' is '{newest}': give the new one with --version")
    return str(int(head.group()) + 1)


def _metadata(draft: Draft, handbook: Handbook, policy_id: str, version: str, previous: PolicyVersion | None) -> Metadata:
    if previous is not None:
        extra = (("visibility", previous.visibility.value),) if previous.visibility.value == "public" else ()
        return Metadata(policy_id, version, (previous.category, None), (previous.owner, None),
                        (previous.scope.roles, None), extra)
    text = " ".join([draft.title, *(c.text for c in draft.clauses[:30])]).casefold()
    scores = [(sum(text.count(w) for w in re.findall(r"[a-z]{4,}", f"{c.title} {c.description or ''}".casefold())), -n, c.id)
              for n, c in enumerate(handbook.categories)]
    category = max(scores)[2]
    board = re.compile(r"govern\w* (board|body)|board of (governors|trustees)|trust board", re.I)
    owner = next((r.id for r in handbook.roles if board.search(r.name)),
                 next((r.id for r in handbook.roles if any(board.search(a) for a in r.aliases)), handbook.roles[0].id))
    holders = Counter(role for clause in draft.clauses for role in clause.applies_to)
    scope = tuple(role for role, _ in holders.most_common(6)) or (handbook.roles[0].id,)
    laws = _legislation(draft, handbook)
    related = related_policies(draft, handbook)
    extra = ((("related", related_yaml(related)),) if related else ()) + (
        (("legislation", f"{yaml_ids(laws)}  # guessed: named in the text as in the handbook's register"),) if laws else ())
    order = [x.id for x in handbook.roles] + [ident for ident, _ in draft.terms.values()]
    return Metadata(policy_id, version,
                    (category, "the category whose words the document uses most"),
                    (owner, "the governing body approves policies"),
                    (tuple(sorted(scope, key=order.index)),
                     "the roles the document's duties fall on"), extra)


def _legislation(draft: Draft, handbook: Handbook) -> list[str]:
    """Ids of the register's acts and guidance whose title (without a note in brackets) the document names."""
    text = " ".join(" ".join([c.text, *c.items]) for c in draft.clauses).casefold()
    return [law.id for law in handbook.legislation
            if re.sub(r"\s*\(.*?\)", "", law.title).casefold().removeprefix("the ") in text]


def _carry_ids(draft: Draft, yaml_text: str, previous: PolicyVersion) -> dict[str, str]:
    """Give each clause that carries on the id it had in ``previous``, aligned as ``policybook diff`` aligns."""
    from ..load.assemble import build_version
    from ..load.yaml_source import parse_yaml
    from ..views.compare import compare_versions

    doc, problems = parse_yaml(yaml_text.encode("utf-8"), "draft.yaml")
    if doc is None:  # pragma: no cover - the writer's output always parses
        raise ImportRefused("the draft could not be read back: " + "; ".join(p.message for p in problems))
    comparison = compare_versions(previous, build_version(doc))
    renamed: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    for change in comparison.clauses:
        if change.old is not None and change.new is not None and change.matched_by in ("id", "similarity"):
            if change.new.id not in renamed and change.old.id not in used:
                renamed[change.new.id] = (change.old.id, change.matched_by)
                used.add(change.old.id)
    carried: dict[str, str] = {}
    taken = set(used)
    for clause in draft.clauses:
        if clause.id in renamed:
            old_id, how = renamed[clause.id]
            clause.id, carried[old_id] = old_id, how
        else:
            clause.id = unique_id(clause.id, taken) if clause.id in taken else clause.id
            taken.add(clause.id)
    return carried


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _coverage(blocks: list[Block], draft: Draft) -> tuple[int, int, list[str]]:
    """Words of the cleaned document, how many of them the draft holds, and any it does not."""
    source = Counter()
    for block in blocks:
        source.update(_words(block.text))  # numbers ("4.2") are structure, kept as comments, not counted
    out = Counter(_words(draft.title))
    for section in draft.sections:
        out.update(_words(section.title))
        for clause in section.clauses:
            out.update(_words(" ".join([clause.text, *clause.items])))
    for unplaced in draft.unplaced:
        out.update(_words(" ".join([unplaced.title, *unplaced.lines])))
    kept = sum(min(count, out[word]) for word, count in source.items())
    lost = sorted(word for word, count in source.items() if out[word] < count)
    return sum(source.values()), kept, lost
