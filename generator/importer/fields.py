"""The version's fields that the policy's own words name, outside its sections.

- **terms**: a group of people the policy names as one ("employees, governors
  and volunteers, collectively referred to as Staff", "Staff includes
  governors, volunteers and contractors") is a definition with an ``id`` and
  the handbook ``roles`` it covers; a duty on "Staff" then names the term;
- **placeholders**: blanks that are not in square brackets ("school/trust",
  "XXXX", "____") are declared under ``placeholders:`` so validate and the page
  mark them (bracketed ones are found without being listed);
- **related**: the other policies the text names, the handbook's by id, the
  others as ``{title: ...}``;
- **based_on**: the model policy's publisher ("Adopted the model policy from
  HfL", "NEU model policy for schools") and, where the document is the model
  itself, the date it carries on its own line as ``released``.

Each is a guess the draft marks on its line.
"""

from __future__ import annotations

import re

from ..dates import parse_date
from ..model import Handbook
from .draft import comment, quote, slug, unique_id, yaml_ids
from .obligations import RoleIndex
from .structure import Draft

_Q = "['\"\u2018\u2019\u201c\u201d]?"
_TERM = r"(?P<term>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)"
COLLECTIVE = re.compile(rf"\(?\s*(?:(?:collectively|together|jointly)\s+)?(?:referred\s+to|known)\s+(?:(?:collectively|together)\s+)?as\s+"
                        rf"(?:the\s+)?{_Q}{_TERM}{_Q}\s*\)?(?=[\s.,;:)]|$)", re.I)
"""``... (collectively referred to as 'Staff')``: the people named before it are the term."""
INCLUDES = re.compile(rf"^(?:(?:in|for the purposes of|throughout)\s+this\s+policy,?\s+)?{_Q}{_TERM}{_Q}\s+"
                      r"(?:includes?|means|covers|refers\s+to|is\s+used\s+to\s+mean)\s+(?P<rest>.+)$", re.I)
"""``Staff includes governors, volunteers and contractors``: the people named after it are the term."""
_NOT_TERMS = re.compile(r"(?i)^(?:this|the|it|that|these|which|who|in|for|throughout|within|under)\b|\bpolic(?:y|ies)\b")
MIN_TERM_ROLES = 2
"""A term that names one role is that role's other name (an alias), not a group."""

_POLICY = re.compile(
    r"\b(?:the|our|its|their|(?:the\s+)?(?:school|trust|academy)(?:/trust)?['\u2019]s)\s+"
    r"(?P<title>(?:[A-Za-z][\w-]*(?:/[A-Za-z][\w-]*)?\s+){1,6}?(?:[Pp]olicy(?:\s+and\s+[Pp]rocedures?)?|[Pp]OLICY)"
    r"|[Cc]ode\s+of\s+[Cc]onduct(?:\s+for\s+[a-z]+(?:\s+in\s+[a-z]+)?)?)\b")
"""A named policy: "the eSafety and data security policy", "the school's Behaviour Policy", "the code of conduct"."""
_NOT_NAMES = re.compile(r"(?i)^(?:this|that|any|other|each|every|relevant|existing|model|whole|same|above|following|"
                        r"new|current|school|trust|academy|such|appropriate)\b")
_OWN = re.compile(r"(?i)\b(?:this|these|those|that|of\s+the)\b")
"""Words that make "the scope of this policy" a part of this one, not another's title."""
_GENERIC = {"policy", "policies", "procedure", "procedures", "and", "the", "of", "for", "in", "school", "schools",
            "staff", "employees", "it", "on", "to", "a"}

_PUBLISHER = (
    re.compile(r"(?i:\bmodel\s+policy\s+(?:from|by|of|published\s+by|issued\s+by|provided\s+by)\s+(?:the\s+)?)"
               r"(?P<who>[A-Z][\w&\u2019'-]*(?:\s+(?:(?:of|for|and)\s+)?[A-Z][\w&\u2019'-]*){0,6})"),
    re.compile(r"(?P<who>\b[A-Z][A-Za-z&\u2019'-]*(?:\s+[A-Z][A-Za-z&\u2019'-]*){0,4})\s+(?i:model\s+policy)\b"),
    re.compile(r"(?i:\brecommended\s+for\s+adoption\s+by\s+(?:the\s+)?)(?P<who>[A-Z][\w&\u2019'-]*(?:\s+[A-Z][\w&\u2019'-]*){0,4})"),
)
"""Who published the model: "model policy from HfL", "NEU model policy", "recommended for adoption by HfL"."""
_NOT_PUBLISHERS = re.compile(r"(?i)^(?:this|the|a|an|our|new|social|media|policy|school|trust)$")
_RELEASED = re.compile(r"(?i)^(?:released|published|issued|date\s+of\s+(?:issue|publication|release))\s*(?:on|in|:)?\s*(?P<date>.{3,40}?)\.?$")
"""A line giving the model's release date: "Published: March 2024"."""


def collective_terms(draft: Draft, roles: RoleIndex, handbook: Handbook) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Term (as written) -> (id, roles) for each group of people the policy names as one.

    A definition paragraph whose meaning is a list of roles is one too. The
    sentence stays a clause of its own (or the definition) as written; the
    definitions list gains the term with the sentence as its meaning.
    """
    taken = {r.id for r in handbook.roles} | {c.id for c in handbook.committees}
    ids: set[str] = set(taken)
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    defined = {t.casefold(): n for n, (t, _, _) in enumerate(draft.definitions)}

    def add(term: str, people: str, meaning: str, line: int) -> None:
        term = " ".join(term.split())
        named, _ = roles.match(people, subject=False)
        group = tuple(dict.fromkeys(r for _, r in named))
        if len(group) < MIN_TERM_ROLES or _NOT_TERMS.match(term) or term.casefold() in {t.casefold() for t in found}:
            return
        base = slug(term, 3)
        ident = unique_id(base if base not in taken else f"{base}-in-this-policy", ids)
        found[term] = (ident, group)
        if term.casefold() not in defined:
            draft.definitions.append((term, meaning, line))
            defined[term.casefold()] = len(draft.definitions) - 1

    for term, meaning, line in list(draft.definitions):
        rest = re.sub(r"(?i)^(?:includes?|means|covers|refers\s+to)\s+", "", meaning)
        if roles.match(" ".join(rest.split()[:4]), subject=False)[0]:
            add(term, rest, meaning, line)
    for clause in draft.clauses:
        for sentence in _sentences(" ".join([clause.text, *clause.items])):
            if hit := COLLECTIVE.search(sentence):
                add(hit["term"], sentence[: hit.start()], sentence, clause.line)
            elif hit := INCLUDES.match(sentence):
                add(hit["term"], hit["rest"], sentence, clause.line)
    draft.terms = {t.casefold(): value for t, value in found.items()}
    return found


def related_policies(draft: Draft, handbook: Handbook) -> list[str | dict]:
    """Policy ids of the handbook and ``{"title": ...}`` of others that the text names, in order of first mention."""
    own = _words(draft.title)
    out: list[str | dict] = []
    seen: set[str] = set()
    texts = [" ".join([c.text, *c.items]) for c in draft.clauses]
    for text in texts:
        for hit in _POLICY.finditer(text):
            title = " ".join(hit["title"].split())
            words = _words(title)
            if _NOT_NAMES.match(title) or not words or words <= own or "/" in title or _OWN.search(title):
                continue
            match = next((p.id for p in handbook.policies if (theirs := _words(p.title))
                          and (words <= theirs or theirs <= words)), None)
            key = match or " ".join(sorted(words))
            if key in seen:
                continue
            seen.add(key)
            out.append(match if match else {"title": title if title[1:2].isupper() else title[:1].upper() + title[1:]})
    return out


def related_yaml(related: list[str | dict]) -> str:
    values = [yaml_ids([v])[1:-1] if isinstance(v, str) else f"{{title: {quote(v['title'])}}}" for v in related]
    return f"[{', '.join(values)}]  {comment('guessed: the policies the text names; a title is one the handbook does not hold')}"


def based_on(draft: Draft) -> list[str]:
    """Top-level YAML lines for ``based_on`` when the text names the model's publisher; marks a release date mapped."""
    sources = [draft.title, *(c.text for c in draft.clauses[:12]),
               *(line for u in draft.unplaced if u.kind in ("version-log", "document-control") for line in u.lines)]
    publisher = None
    for text in sources:
        for pattern in _PUBLISHER:
            hit = pattern.search(text)
            if hit and not _NOT_PUBLISHERS.match(hit["who"]) and len(hit["who"]) <= 80:
                publisher = hit["who"]
                break
        if publisher:
            break
    if publisher is None:
        return []
    lines = [f"based_on:  {comment('guessed: the model policy this document comes from, as its text names the publisher')}",
             f"  publisher: {quote(publisher)}"]
    is_model = bool(re.search(r"(?i)\bmodel\s+policy\b", " ".join([draft.title, *(c.text for c in draft.clauses[:3])])))
    for unplaced in draft.unplaced:
        text = " ".join(unplaced.lines)
        hit = _RELEASED.match(text) if unplaced.kind == "document-date" or _RELEASED.match(text) else None
        date = hit["date"] if hit else text if unplaced.kind == "document-date" and is_model else None
        if date and parse_date(date)[0] is not None:
            lines.append(f"  released: {quote(date)}  {comment(f'guessed: the date on its own at line {unplaced.line} of the model')}")
            unplaced.mapped = True
            break
    return lines


def _words(title: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", title.casefold().replace("-", " ")) if w not in _GENERIC)


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?;])\s+", text) if part]
