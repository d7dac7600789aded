"""Turn validated YAML data into the frozen model."""

from __future__ import annotations

import string

from ..dates import PolicyDate, parse_date
from ..model import (
    Approval, BasedOn, Category, Clause, Committee, Definition, GovernorsReview, Handbook, Legislation,
    LoggedVersion, Obligation, Organisation, Policy, PolicyVersion, Review, Role, Scope,
    Section, Signatory, SourceRef, Status, Visibility, version_key,
)
from .yaml_source import YamlFile

DEFAULT_REVIEW_MONTHS = 12


def build_handbook(settings: YamlFile, versions: list[YamlFile]) -> Handbook:
    """Build the model; the data must already have passed every check."""
    data = settings.data
    default_months = data.get("default_review_months", DEFAULT_REVIEW_MONTHS)
    by_policy: dict[str, list[PolicyVersion]] = {}
    for doc in versions:
        version = build_version(doc, default_months)
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

        vocabulary=tuple((word, tuple(terms)) for word, terms in (data.get("vocabulary") or {}).items()),
    )


def build_version(doc: YamlFile, default_review_months: int = DEFAULT_REVIEW_MONTHS) -> PolicyVersion:
    data = doc.data
    scope = Scope(tuple(data["scope"]["roles"]), tuple(data["scope"].get("contexts", ())))
    sections = []
    for s_index, (raw_section, number) in enumerate(zip(data["sections"], section_numbers(data["sections"]))):
        binding = raw_section.get("binding", True)
        clauses = tuple(
            _clause(doc, ("sections", s_index, "clauses", c_index), raw, f"{number}.{c_index + 1}", scope, binding)
            for c_index, raw in enumerate(raw_section["clauses"])
        )
        sections.append(Section(
            id=raw_section["id"], title=raw_section["title"], number=number,
            clauses=clauses, binding=binding, visibility=_visibility(raw_section.get("visibility")),
        ))
    review = data.get("review", {})
    approval = data.get("approval")
    based_on = data.get("based_on")
    governors = review.get("governors")
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
        related=tuple(data.get("related", ())),
        legislation=tuple(data.get("legislation", ())),
        keywords=tuple(data.get("keywords", ())),
        definitions=tuple(Definition(d["term"], d["meaning"]) for d in data.get("definitions", ())),
        visibility=_visibility(data.get("visibility")) or Visibility.STAFF,
        master_copy=data.get("master_copy"),
        signatories=tuple(Signatory(s["role"], _date(s["date"]), s.get("name")) for s in data.get("signatories", ())),
        history=tuple(LoggedVersion(h["version"], h["description"], _date(h.get("date"))) for h in data.get("history", ())),
        source=SourceRef(doc.path),
    )


def _clause(doc: YamlFile, path: tuple, raw: dict, number: str, scope: Scope, section_binding: bool) -> Clause:
    line, column = doc.source.locate(path)
    return Clause(
        id=raw["id"],
        text=raw["text"],
        number=number,
        items=tuple(raw.get("items", ())),
        item_style=raw.get("item_style", "bullet"),
        obligation=Obligation(raw["obligation"]) if raw.get("obligation") else None,
        applies_to=tuple(raw.get("applies_to") or scope.roles),
        applies_to_explicit="applies_to" in raw,
        responsible=tuple(raw.get("responsible", ())),
        deadline=raw.get("deadline"),
        checklist=raw.get("checklist"),
        binding=raw.get("binding", section_binding),
        visibility=_visibility(raw.get("visibility")),
        keywords=tuple(raw.get("keywords", ())),
        source=SourceRef(doc.path, line, column),
        title=raw.get("title"),
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


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


def _date(value) -> PolicyDate | None:
    return parse_date(value)[0] if value is not None else None


def _visibility(value: str | None) -> Visibility | None:
    return Visibility(value) if value else None
