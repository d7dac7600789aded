"""Turn validated YAML data into the frozen model."""

from __future__ import annotations

import re
import string

from ..dates import DateOrder, PolicyDate, parse_date
from ..model import (
    Amendment, Approval, BasedOn, Category, Clause, Committee, Definition, GovernorsReview, Handbook, Holder, Legislation,
    LoggedVersion, Obligation, Option, Organisation, Policy, PolicyVersion, Review, Role, Scope,
    Section, Signatory, SourceRef, Status, Step, Visibility, version_key,
)
from .yaml_source import YamlFile

DEFAULT_REVIEW_MONTHS = 12


def build_handbook(settings: YamlFile, versions: list[YamlFile], version_of=None) -> Handbook:
    """Build the model; the data must already have passed every check.

    Args:
        version_of: (document, default review months, date order) -> its version; by
            default :func:`build_version` (the loader passes one that reuses
            the versions of unchanged files).
    """
    version_of = version_of or build_version
    data = settings.data
    default_months, order = version_settings(settings)
    by_policy: dict[str, list[PolicyVersion]] = {}
    for doc in versions:
        version = version_of(doc, default_months, order)
        by_policy.setdefault(version.policy_id, []).append(version)
    policies = tuple(
        Policy(policy_id, tuple(sorted(items, key=lambda v: version_key(v.version))))
        for policy_id, items in sorted(by_policy.items())
    )
    return Handbook(
        organisation=Organisation(**data["organisation"]),
        roles=tuple(
            Role(
                id=r["id"], name=r["name"], description=r.get("description"),
                aliases=tuple(r.get("aliases", ())), includes=tuple(r.get("includes", ())),
            )
            for r in data["roles"]
        ),
        categories=tuple(Category(**c) for c in data["categories"]),
        legislation=tuple(Legislation(**item) for item in data.get("legislation", ())),
        default_review_months=default_months,
        policies=policies,
        committees=tuple(Committee(**c) for c in data.get("committees", ())),
        date_order=order,

        vocabulary=tuple((word, tuple(terms)) for word, terms in (data.get("vocabulary") or {}).items()),
    )


def version_settings(settings: YamlFile) -> tuple[int, DateOrder | None]:
    """What of handbook.yaml every version's model depends on: the default review months and the date order."""
    data = settings.data
    return data.get("default_review_months", DEFAULT_REVIEW_MONTHS), DateOrder.setting(data.get("date_order"))


def build_version(doc: YamlFile, default_review_months: int = DEFAULT_REVIEW_MONTHS,
                  order: DateOrder | None = None) -> PolicyVersion:
    data = doc.data

    def _date(value) -> PolicyDate | None:
        return parse_date(value, order)[0] if value is not None else None

    terms = policy_terms(data)
    scope = Scope(_expand(data["scope"]["roles"], terms)[0], tuple(data["scope"].get("contexts", ())))
    numbering = data.get("numbering", "derived")
    context = _Context(doc, scope, terms, numbering, tuple(data.get("placeholders", ())))
    sections = []
    for s_index, (raw_section, number) in enumerate(zip(data["sections"], section_numbers(data["sections"]))):
        binding = raw_section.get("binding", True)
        sections.append(_section(context, ("sections", s_index), raw_section, number, binding))
    review = data.get("review", {})
    approval = data.get("approval")
    based_on = data.get("based_on")
    governors = review.get("governors")
    related = data.get("related", ())
    return PolicyVersion(
        policy_id=data["policy"],
        version=data["version"],
        title=data["title"],
        category=data["category"],
        status=Status(data["status"]),
        owner=data["owner"],
        scope=scope,
        sections=tuple(sections),
        review=Review(
            lead=review.get("lead"),
            cycle_months=review.get("cycle_months", default_review_months),
            statutory=review.get("statutory", False),
            next=_date(review.get("next")),
            with_staff=_date(review.get("with_staff")),
            governors=GovernorsReview(_date(governors["date"]), governors.get("body"), governors.get("committee")) if governors else None,
        ),
        effective=_date(data.get("effective")),
        approval=Approval(approval.get("body"), _date(approval["date"]), approval.get("minute"), approval.get("committee")) if approval else None,
        based_on=BasedOn(**{**based_on, "released": _date(based_on.get("released"))}) if based_on else None,
        changes=data.get("changes"),
        summary=data.get("summary"),
        related=tuple(item for item in related if isinstance(item, str)),
        related_titles=tuple(item["title"] for item in related if isinstance(item, dict)),
        legislation=tuple(data.get("legislation", ())),
        keywords=tuple(data.get("keywords", ())),
        definitions=tuple(
            Definition(d["term"], d["meaning"], d.get("id"), tuple(d.get("roles", ())))
            for d in data.get("definitions", ())
        ),
        visibility=_visibility(data.get("visibility")) or Visibility.STAFF,
        master_copy=data.get("master_copy"),
        placeholders=find_placeholders([text for _, text in version_texts(data)], context.declared),
        signatories=tuple(Signatory(s["role"], _date(s["date"]), s.get("name")) for s in data.get("signatories", ())),
        history=tuple(LoggedVersion(h["version"], h["description"], _date(h.get("date"))) for h in data.get("history", ())),
        amendments=tuple(
            Amendment(_date(a["date"]), a["description"], a.get("by"), a.get("clause"), _page(a.get("page")))
            for a in data.get("amendments", ())
        ),
        numbering=numbering,
        source=SourceRef(doc.path),
    )


def policy_terms(data: dict) -> dict[str, tuple[str, ...]]:
    """Term id -> roles, for the definitions that name a group of people ("Staff" in this policy)."""
    return {d["id"]: tuple(d["roles"]) for d in data.get("definitions") or () if d.get("id") and d.get("roles")}


class _Context:
    """What every section and clause of one version is built with."""

    def __init__(self, doc: YamlFile, scope: Scope, terms: dict, numbering: str, declared: tuple[str, ...]):
        self.doc, self.scope, self.terms, self.numbering, self.declared = doc, scope, terms, numbering, declared

    def number(self, raw: dict, derived: str) -> str:
        if self.numbering == "source":
            return raw.get("number", "")
        return derived if self.numbering == "derived" else ""


def _section(context: _Context, path: tuple, raw: dict, number: str, binding: bool) -> Section:
    """A section and its sub-sections; sub-sections are numbered after the section's own clauses."""
    shown = context.number(raw, number)
    own = raw.get("clauses", ())
    clauses = tuple(
        _clause(context, (*path, "clauses", c_index), clause, f"{number}.{c_index + 1}", binding, raw)
        for c_index, clause in enumerate(own)
    )
    subsections = tuple(
        _section(context, (*path, "sections", index), sub, f"{number}.{len(own) + index + 1}", sub.get("binding", binding))
        for index, sub in enumerate(raw.get("sections", ()))
    )
    return Section(
        id=raw["id"], title=raw["title"], number=shown, clauses=clauses, binding=binding,
        visibility=_visibility(raw.get("visibility")), sections=subsections,
    )


def _clause(context: _Context, path: tuple, raw: dict, number: str, section_binding: bool, section: dict) -> Clause:
    line, column = context.doc.source.locate(path)
    # Every clause of a thousand versions passes here: the plain case (text, no
    # options, no steps, no terms) takes the short paths.
    raw_options = raw.get("options")
    steps = ()
    if raw_options:
        options = tuple(
            Option(o["text"], Obligation(o["obligation"]) if o.get("obligation") else None, tuple(o.get("items", ())))
            for o in raw_options
        )
        # The chosen wording is the clause; undecided, it is in force in none.
        chosen = raw.get("chosen")
        picked = options[chosen - 1] if chosen else Option("")
        text, obligation, items = picked.text, picked.obligation, picked.items
        shown = (text, *items) if chosen else (*(o.text for o in options), *(i for o in options for i in o.items))
    else:
        options, chosen = (), None
        text = raw["text"]
        items = tuple(raw.get("items", ()))
        obligation = Obligation(raw["obligation"]) if raw.get("obligation") else None
        if items and any(isinstance(item, dict) for item in items):
            steps, items = items, tuple(item if isinstance(item, str) else item["text"] for item in items)
        shown = (text, *items)
    holder = Holder(raw["holder"]) if raw.get("holder") else None
    if context.terms:
        applies_to, terms = _expand(raw.get("applies_to") or (), context.terms)
        responsible = _expand(raw.get("responsible", ()), context.terms)[0]
    else:
        applies_to, terms, responsible = tuple(raw.get("applies_to") or ()), (), tuple(raw.get("responsible", ()))
    if holder is None and not applies_to:
        applies_to = context.scope.roles
    if steps:
        steps = tuple(_step(item, applies_to, context) for item in steps)
    blanks = find_placeholders(shown, context.declared) if context.declared or any("[" in t for t in shown) else ()
    return Clause(
        id=raw["id"],
        text=text,
        number=context.number(raw, number),
        items=items,
        item_style=raw.get("item_style", "bullet"),
        obligation=obligation,
        applies_to=applies_to if holder is None else (),
        applies_to_explicit="applies_to" in raw or holder is not None,
        responsible=responsible,
        deadline=raw.get("deadline"),
        checklist=raw.get("checklist"),
        binding=raw.get("binding", section_binding),
        visibility=_visibility(raw.get("visibility")),
        keywords=tuple(raw.get("keywords", ())),
        section=section["id"],
        section_title=section["title"],
        holder=holder,
        terms=terms,
        options=options,
        chosen=chosen,
        placeholders=blanks,
        steps=steps,
        title=raw.get("title"),
        source=SourceRef(context.doc.path, line, column),
    )


def section_numbers(raw_sections: list) -> list[str]:
    """The number each section shows: 1, 2... for rules, A, B... for guidance (``binding: false``).

    Guidance appendices are lettered, as in real policies, so their advice is
    never mistaken for a numbered rule. Messages about files that failed the
    schema use this too, so a section is named as its page shows it.
    """
    numbers = []
    binding_number = appendix_number = 0
    for raw in raw_sections:
        if not isinstance(raw, dict) or raw.get("binding", True) is not False:
            binding_number += 1
            numbers.append(str(binding_number))
        else:
            numbers.append(_letters(appendix_number))
            appendix_number += 1
    return numbers


def _step(item, clause_roles: tuple[str, ...], context: _Context) -> Step | None:
    """The duty of one item written as a mapping; its holders are the clause's unless it names its own."""
    if isinstance(item, str):
        return None
    return Step(
        obligation=Obligation(item["obligation"]) if item.get("obligation") else None,
        applies_to=_expand(item["applies_to"], context.terms)[0] if item.get("applies_to") else clause_roles,
        responsible=_expand(item.get("responsible", ()), context.terms)[0],
        deadline=item.get("deadline"),
        checklist=item.get("checklist"),
    )


def _expand(names, terms: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Role ids with each policy-defined term replaced by its roles, and the terms named."""
    if not terms:  # most policies define none; the schema keeps role lists free of repeats
        return tuple(names), ()
    roles = []
    for name in names:
        roles.extend(terms.get(name, (name,)))
    return tuple(dict.fromkeys(roles)), tuple(name for name in names if name in terms)


#: ``[name of the agreement]``: how model policies mark a blank. Not a Markdown
#: link (``[text](url)``, ``[text][ref]``), nor a bracket escaped as ``\[``.
BRACKETED = re.compile(r"(?<!\\)\[([^\[\]\n]{1,200})\](?![(\[:])")


def version_texts(data: dict):
    """``(location, text)`` of each text of a version outside its clauses that the policy page shows."""
    for key in ("summary", "changes"):
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    based_on = data.get("based_on")
    if isinstance(based_on, dict) and isinstance(based_on.get("changes"), str):
        yield ("based_on", "changes"), based_on["changes"]
    for key, fields in (("definitions", ("term", "meaning")), ("amendments", ("description",))):
        for index, item in enumerate(data.get(key) or ()):
            for name in fields:
                if isinstance(item, dict) and isinstance(item.get(name), str):
                    yield (key, index, name), item[name]


def find_placeholders(texts, declared: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The unfilled blanks in ``texts``: bracketed ones, and the declared ones that appear."""
    # Asked of every clause twice (validate warns, the page marks): most texts hold no bracket at all.
    found = [match.group(0) for text in texts if "[" in text for match in BRACKETED.finditer(text)]
    if declared:
        found += [blank for blank in declared if any(blank in text for text in texts)]
    return tuple(dict.fromkeys(found)) if found else ()


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


def _page(value) -> str | None:
    """``page: 4`` reads as "page 4"; a page written in words ("p. 4", "Appendix B") stays as written."""
    return f"page {value}" if isinstance(value, int) else value


def _visibility(value: str | None) -> Visibility | None:
    return Visibility(value) if value else None
