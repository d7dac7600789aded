"""Staff and public editions: one source, two handbooks.

The public edition is made by filtering the *model*, before any view or
page exists. Every later stage (pages, search index, sitemap, checklists,
comparisons, exports) then cannot leak staff-only material, because it never
sees it.

What the public edition leaves out:

- policies whose current version's ``visibility`` is ``staff`` (the default:
  publishing is opt-in), and any single version marked ``staff``;
- sections, sub-sections and clauses marked ``visibility: staff`` (unmarked ones inherit
  from their section, then their policy; a narrower level can hide, never
  reveal: a ``public`` clause in a ``staff`` section stays hidden);
- draft versions: a draft is internal until it is approved, whatever its
  visibility, so comparisons with drafts go too;
- staff-only fields: the approval minute reference and the ``master_copy``
  notes of the organisation and of each policy (where signed copies are kept
  in school);
- related-policy links to policies that are not published.

Clause numbers are kept as they are in the staff edition, so "4.3" means the
same clause in both; a hidden clause leaves a gap rather than renumbering.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from .model import Handbook, Policy, PolicyVersion, Section, Status, Visibility

__all__ = ["Edition", "select_edition", "public_edition"]


class Edition(str, Enum):
    """Which audience a build is for."""

    STAFF = "staff"
    PUBLIC = "public"


def select_edition(handbook: Handbook, edition: Edition | str) -> Handbook:
    """The handbook as the given edition's readers may see it."""
    return public_edition(handbook) if Edition(edition) is Edition.PUBLIC else handbook


def public_edition(handbook: Handbook) -> Handbook:
    """A copy of ``handbook`` holding only what may be published to parents."""
    policies = tuple(p for p in (_public_policy(p) for p in handbook.policies) if p is not None)
    published = {p.id for p in policies}
    policies = tuple(
        replace(p, versions=tuple(replace(v, related=tuple(r for r in v.related if r in published)) for v in p.versions))
        for p in policies
    )
    return replace(
        handbook,
        organisation=replace(handbook.organisation, master_copy=None),
        policies=policies,
    )


def _public_policy(policy: Policy) -> Policy | None:
    # The version in force decides: publishing an old public version of a
    # policy whose current version is staff-only would pass it off as current.
    if policy.current.visibility is not Visibility.PUBLIC:
        return None
    versions = tuple(
        _public_version(v) for v in policy.versions
        if v.visibility is Visibility.PUBLIC and v.status is not Status.DRAFT
    )
    return replace(policy, versions=versions) if versions else None


def _public_version(version: PolicyVersion) -> PolicyVersion:
    sections = tuple(s for s in (_public_section(s) for s in version.sections) if s is not None)
    approval = replace(version.approval, minute=None) if version.approval else None
    # An amendment to a staff-only clause describes that clause: it goes with it.
    kept = {clause.id for section in sections for clause in section.all_clauses}
    amendments = tuple(a for a in version.amendments if a.clause is None or a.clause in kept)
    return replace(version, sections=sections, approval=approval, master_copy=None, amendments=amendments)


def _public_section(section: Section) -> Section | None:
    if section.visibility is Visibility.STAFF:
        return None
    clauses = tuple(c for c in section.clauses if c.visibility is not Visibility.STAFF)
    subsections = tuple(s for s in (_public_section(s) for s in section.sections) if s is not None)
    return replace(section, clauses=clauses, sections=subsections) if clauses or subsections else None
