"""Document structure and who a duty falls on: nested sections, numbering, alternatives,
placeholders, policy-defined terms, the organisation as holder, unnamed holders,
related policies outside the handbook, and section changes in comparisons."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap

import pytest
from click.testing import CliRunner

from policybook.cli import cli
from policybook.edition import public_edition
from policybook.load import load_handbook
from policybook.model import Holder
from policybook.outputs.compare_formats import render_comparison
from policybook.pages import SiteOptions, build_site
from policybook.views.checklists import build_checklist
from policybook.views.compare import compare_versions, comparison_data
from tests.conftest import ROOT, version_text

TODAY = dt.date(2026, 1, 1)
REFERENCE = ROOT.parent / "shared" / "reference"

def policy(body: str, version: str = "1", status: str = "adopted", effective: str = "2024-09-01") -> str:
    """The small handbook's demo policy with ``body`` (its sections and any other fields) in place of its sections."""
    head = version_text(version, status, effective).split("sections:\n")[0]
    return head + textwrap.dedent(body)


NESTED = """\
sections:
  - id: intro
    title: Introduction
    clauses:
      - id: purpose
        text: Why the policy exists.
  - id: responsibilities
    title: Responsibilities
    sections:
      - id: for-teachers
        title: Teachers
        clauses:
          - id: teachers-report
            obligation: must
            applies_to: [teacher]
            text: Teachers report worries the same day.
      - id: for-the-lead
        title: The safeguarding lead
        visibility: staff
        clauses:
          - id: lead-records
            obligation: must
            applies_to: [dsl]
            text: The lead keeps a record of every report.
"""


def load(handbook_dir, files: dict[str, str]):
    return load_handbook(handbook_dir(files))


def page(handbook, name: str = "policies/demo.md") -> str:
    site = build_site(handbook, SiteOptions(today=TODAY))
    return next(p for p in site.pages if p.path == name).markdown


# Nested sections -------------------------------------------------------------


def test_a_heading_with_sub_headings_and_no_text_of_its_own(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(NESTED)})
    assert result.ok, result.problems
    version = result.handbook.policies[0].current
    top = version.sections[1]
    assert top.clauses == () and [s.id for s in top.sections] == ["for-teachers", "for-the-lead"]
    assert [s.number for s in version.all_sections] == ["1", "2", "2.1", "2.2"]
    assert [c.number for c in version.clauses] == ["1.1", "2.1.1", "2.2.1"]
    assert version.clauses[1].section == "for-teachers"
    markdown = page(result.handbook)
    # Sub-sections one level below their section, their clauses one below that, anchors kept.
    assert "## 2. Responsibilities {#section-responsibilities}" in markdown
    assert "### 2.1 Teachers {#section-for-teachers}" in markdown
    assert re.search(r"^#### 2\.1\.1 .*\{#teachers-report \.pb-clause-heading\}$", markdown, re.M)
    checklist = build_checklist(result.handbook, "teacher")
    assert [d.clause.id for d in checklist.groups[0].does] == ["teachers-report"]


def test_public_edition_drops_a_staff_sub_section_only(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(NESTED + "visibility: public\n")})
    assert result.ok, result.problems
    public = public_edition(result.handbook).policies[0].current
    assert [s.id for s in public.all_sections] == ["intro", "responsibilities", "for-teachers"]


def test_a_section_needs_clauses_or_sub_sections(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy("sections:\n  - id: empty\n    title: Empty\n")})
    assert [p.message for p in result.problems] == ["section 'empty' has no clauses: add clauses, or sub-sections under sections:"]


def test_sub_section_ids_are_unique_across_levels(handbook_dir):
    body = NESTED.replace("id: for-the-lead", "id: intro")
    result = load(handbook_dir, {"demo/v1.yaml": policy(body)})
    assert any("section id 'intro' is used twice" in p.message for p in result.problems)


# Numbering ---------------------------------------------------------------------


def test_unnumbered_document_shows_no_invented_numbers(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy("numbering: none\n" + NESTED)})
    assert result.ok, result.problems
    version = result.handbook.policies[0].current
    assert {c.number for c in version.clauses} == {""} and {s.number for s in version.all_sections} == {""}
    markdown = page(result.handbook)
    assert "## Responsibilities {#section-responsibilities}" in markdown
    assert "2.1" not in markdown and "1.1" not in markdown
    assert "{#teachers-report .pb-clause-heading .pb-unnumbered}" in markdown  # the anchor stays
    role = page(result.handbook, "roles/teacher.md")
    assert 'demo.html#teachers-report">Demo policy Teachers</a>' in role  # cited by its section, linked by id


def test_numbers_kept_from_the_source(handbook_dir):
    body = NESTED.replace("      - id: purpose\n", "      - id: purpose\n        number: 1.a\n").replace(
        "    title: Responsibilities\n", "    title: Responsibilities\n    number: IV\n")
    result = load(handbook_dir, {"demo/v1.yaml": policy("numbering: source\n" + body)})
    assert result.ok, result.problems
    version = result.handbook.policies[0].current
    assert version.clauses[0].number == "1.a" and version.sections[1].number == "IV"
    assert version.clauses[1].number == ""  # not numbered in the source: none invented


def test_a_number_needs_source_numbering_and_is_unique(handbook_dir):
    body = NESTED.replace("      - id: purpose\n", "      - id: purpose\n        number: '1'\n")
    result = load(handbook_dir, {"demo/v1.yaml": policy(body)})
    assert "is only used with numbering: source" in result.problems[0].message
    twice = body.replace("            text: Teachers report", "            number: '1'\n            text: Teachers report")
    result = load(handbook_dir, {"demo/v1.yaml": policy("numbering: source\n" + twice)})
    assert [p.message.split(" (")[0] for p in result.problems] == ["number '1' is given twice"]


# Alternatives ("Or ...") --------------------------------------------------------

OPTIONS = """\
sections:
  - id: phones
    title: Phones
    clauses:
      - id: phones-in-class
        options:
          - text: Phones stay in the staff room during lessons.
            obligation: must
          - text: Phones may be carried on silent.
            obligation: may
{chosen}"""


def test_an_unresolved_alternative_warns_and_is_no_rule(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(OPTIONS.format(chosen=""))})
    assert result.ok, result.problems
    assert [w.message for w in result.warnings] == [
        "warning: clause 'phones-in-class' still offers 2 alternative wordings: it is shown as unresolved "
        "and places no duty until you choose one with chosen: <option number>"]
    clause = result.handbook.policies[0].current.clauses[0]
    assert clause.unresolved and not clause.is_duty
    assert build_checklist(result.handbook, "all-staff").groups == ()
    markdown = page(result.handbook)
    assert "Not yet decided" in markdown and "unresolved alternative" in markdown


def test_the_chosen_alternative_is_the_rule_in_force(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(OPTIONS.format(chosen="        chosen: 2\n"))})
    assert result.ok and not result.warnings, result.problems
    clause = result.handbook.policies[0].current.clauses[0]
    assert (clause.text, clause.obligation.value, clause.chosen) == ("Phones may be carried on silent.", "may", 2)
    assert "option 2 of 2 offered by the model policy" in page(result.handbook)


@pytest.mark.parametrize("extra, message", [
    ("        chosen: 3\n", "chosen: 3 but there are 2 options: choose 1 to 2"),
    ("        text: Both at once.\n", "the clause has options, so text belongs in each option: move it into the options"),
])
def test_alternatives_mistakes(handbook_dir, extra, message):
    result = load(handbook_dir, {"demo/v1.yaml": policy(OPTIONS.format(chosen=extra))})
    assert [p.message for p in result.problems] == [message]


def test_choosing_an_alternative_shows_in_the_comparison(handbook_dir):
    result = load(handbook_dir, {
        "demo/v1.yaml": policy(OPTIONS.format(chosen=""), status="superseded"),
        "demo/v2.yaml": policy(OPTIONS.format(chosen="        chosen: 1\n"), version="2", effective="2024-10-01"),
    })
    assert result.ok, result.problems
    old, new = result.handbook.policies[0].versions
    change = compare_versions(old, new).clauses[0]
    assert "obligation-strengthened" in change.kinds and "Option 2:" in "".join(s.text for s in change.segments if s.op == "delete")


# Placeholders --------------------------------------------------------------------

BLANKS = """\
placeholders: [school/trust]
sections:
  - id: agreements
    title: Agreements
    clauses:
      - id: agreement
        text: Parents sign the [Parent Agreement] kept by the school/trust, see [our site](https://example.org) and \\[sic].
"""


def test_placeholders_warn_and_are_marked_until_filled(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(BLANKS)})
    assert result.ok, result.problems
    assert [w.message.split(":")[1].strip() for w in result.warnings] == [
        "clause 'agreement' holds the unfilled placeholder '[Parent Agreement]'",
        "clause 'agreement' holds the unfilled placeholder 'school/trust'"]
    markdown = page(result.handbook)
    assert '<mark class="pb-placeholder" title="unfilled placeholder">[Parent Agreement]</mark>' in markdown
    assert '<mark class="pb-placeholder" title="unfilled placeholder">school/trust</mark>' in markdown
    assert markdown.count("<mark") == 2 and " and [sic].</p>" in markdown  # neither the link nor the escaped bracket
    filled = BLANKS.replace("[Parent Agreement]", "home-school agreement").replace("by the school/trust", "by the school")
    assert not load(handbook_dir, {"demo/v1.yaml": policy(filled)}).warnings


POLICY_TEXTS = """\
summary: How we use the [name of the reporting system] to record concerns.
changes: Now agreed with the school/trust.
definitions:
  - term: "[Local term]"
    meaning: Anyone the [local partnership] names <b>here</b>.
amendments:
  - date: 2024-10-01
    description: New contact for the [local authority team].
"""


def test_placeholders_in_the_policys_own_texts_warn_where_they_are_and_are_marked(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(POLICY_TEXTS + BLANKS.replace("[Parent Agreement] ", ""))})
    assert result.ok, result.problems
    found = [(w.line, w.message) for w in result.warnings if "clause" not in w.message]
    assert [message for _, message in found] == [
        "warning: the summary holds the unfilled placeholder '[name of the reporting system]': "
        "replace it with the school's own wording (write \\[ to show a bracket that is not a blank)",
        "warning: changes holds the unfilled placeholder 'school/trust': "
        "replace it with the school's own wording (write \\[ to show a bracket that is not a blank)",
    ] + [m for _, m in found[2:]]
    assert [m.split(" holds")[0] for _, m in found[2:]] == [
        "warning: the definition of '[Local term]'", "warning: the definition of '[Local term]'", "warning: amendments[1].description"]
    lines = policy(POLICY_TEXTS).splitlines()
    starts = ("summary:", "changes:", "  - term:", "    meaning:", "    description:")
    assert [line for line, _ in found] == [next(n for n, text in enumerate(lines, 1) if text.startswith(start)) for start in starts]
    markdown = page(result.handbook)
    mark = '<mark class="pb-placeholder" title="unfilled placeholder">{}</mark>'
    for blank in ("[name of the reporting system]", "school/trust", "[Local term]", "[local partnership]", "[local authority team]"):
        assert mark.format(blank) in markdown, blank
    assert "<b>here</b>" not in markdown  # author text is still escaped where its blanks are marked
    glossary = page(result.handbook, "glossary.md")
    assert mark.format("[local partnership]") in glossary


def test_a_placeholder_that_reads_like_markup_cannot_break_the_page(handbook_dir):
    body = BLANKS.replace("[school/trust]", "[href, amp, mark]").replace("Parents sign", "Parents & href mark sign")
    result = load(handbook_dir, {"demo/v1.yaml": policy(body)})
    markdown = page(result.handbook)
    assert 'Parents &amp; <mark class="pb-placeholder" title="unfilled placeholder">href</mark>' in markdown
    assert '<a href="https://example.org" rel="noopener noreferrer">our site</a>' in markdown


# Who a duty falls on ---------------------------------------------------------------

TERMS = """\
definitions:
  - term: Staff
    id: staff
    roles: [all-staff, governing-board]
    meaning: In this policy staff also means governors.
sections:
  - id: duties
    title: Duties
    clauses:
      - id: wear-badge
        obligation: must
        applies_to: [staff]
        text: Staff wear a badge on site.
      - id: school-monitors
        holder: organisation
        obligation: may
        text: The school may check how its systems are used.
      - id: records-kept
        holder: unnamed
        obligation: must
        text: Records of visitors must be kept.
"""


def test_a_policy_defined_term_names_a_set_of_roles(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(TERMS)})
    assert result.ok, result.problems
    clause = result.handbook.policies[0].current.clauses[0]
    assert clause.applies_to == ("all-staff", "governing-board") and clause.terms == ("staff",)
    assert [d.clause.id for d in build_checklist(result.handbook, "governing-board").groups[0].does] == ["wear-badge"]
    assert 'href="#term-staff">Staff</a> (as this policy defines it:' in page(result.handbook)


@pytest.mark.parametrize("definition, message", [
    ("    id: teacher\n    roles: [all-staff]\n", "term id 'teacher' is also a role in handbook.yaml"),
    ("    id: staff\n", "term 'Staff' has an id but no roles"),
    ("    id: staff\n    roles: [all-staf]\n", "unknown role 'all-staf'"),
])
def test_term_mistakes(handbook_dir, definition, message):
    body = f"definitions:\n  - term: Staff\n{definition}    meaning: Everyone.\n" + NESTED
    result = load(handbook_dir, {"demo/v1.yaml": policy(body)})
    assert any(p.message.startswith(message) for p in result.problems), result.problems


def test_the_organisation_and_unnamed_holders_are_on_no_checklist(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(TERMS)})
    version = result.handbook.policies[0].current
    assert [c.id for c in version.commitments] == ["school-monitors"]
    assert version.clauses[2].holder is Holder.UNNAMED and version.clauses[2].applies_to == ()
    for role in ("all-staff", "dsl", "governing-board"):
        ids = {d.clause.id for g in build_checklist(result.handbook, role).groups for d in (*g.does, *g.acts_on)}
        assert ids <= {"wear-badge"}
    markdown = page(result.handbook)
    assert "## What Testing School commits to {#commitments}" in markdown
    assert "Testing School (the organisation itself)" in markdown and "not named in the policy" in markdown


def test_holder_with_applies_to_is_refused(handbook_dir):
    body = TERMS.replace("        holder: unnamed\n", "        holder: unnamed\n        applies_to: [teacher]\n")
    result = load(handbook_dir, {"demo/v1.yaml": policy(body)})
    assert [p.message for p in result.problems] == ["holder: unnamed and applies_to both say who the duty falls on: keep one"]


def test_commitment_changes_are_compared(handbook_dir):
    before = TERMS.replace("        holder: organisation\n", "        applies_to: [dsl]\n")
    result = load(handbook_dir, {
        "demo/v1.yaml": policy(before, status="superseded"),
        "demo/v2.yaml": policy(TERMS, version="2", effective="2024-10-01"),
    })
    old, new = result.handbook.policies[0].versions
    comparison = compare_versions(old, new, handbook=result.handbook)
    assert [c.clause_id for c in comparison.commitments] == ["school-monitors"]
    assert "applies-to-changed" in comparison.commitments[0].kinds
    change = next(c for c in comparison_data(comparison)["changes"] if c["new_id"] == "school-monitors")
    assert (change["old_holder"], change["new_holder"]) == (None, "organisation")


def test_related_policies_outside_the_handbook_are_titles(handbook_dir):
    body = "related: [{title: Staff Disciplinary Procedure}]\n" + NESTED
    result = load(handbook_dir, {"demo/v1.yaml": policy(body)})
    assert result.ok, result.problems
    assert result.handbook.policies[0].current.related_titles == ("Staff Disciplinary Procedure",)
    assert "Staff Disciplinary Procedure <span class=\"pb-not-in-handbook\">(not in this handbook)</span>" in page(result.handbook)
    bad = load(handbook_dir, {"demo/v1.yaml": policy("related: [Code Of Conduct]\n" + NESTED)})
    assert "is not a valid id" in bad.problems[0].message


# Sections added and removed in comparisons -------------------------------------------

ADDED = NESTED + """\
  - id: recruitment
    title: Recruitment
    clauses:
      - id: online-checks
        obligation: must
        applies_to: [dsl]
        text: The lead checks what candidates post in public.
"""


def test_an_added_section_is_one_section_change_with_its_clauses(handbook_dir):
    result = load(handbook_dir, {
        "demo/v1.yaml": policy(NESTED, status="superseded"),
        "demo/v2.yaml": policy(ADDED, version="2", effective="2024-10-01"),
    })
    assert result.ok, result.problems
    old, new = result.handbook.policies[0].versions
    comparison = compare_versions(old, new)
    [section] = comparison.sections
    assert (section.kind, section.section.title, [c.clause_id for c in section.changes]) == ("added", "Recruitment", ["online-checks"])
    assert not any(f.key == "sections" for f in comparison.fields)  # not also as two lists of titles
    data = comparison_data(comparison)
    assert data["sections"] == [{"change": "added", "id": "recruitment", "title": "Recruitment", "number": "3", "clauses": ["online-checks"]}]
    assert data["changes"][0]["new_section"] == "recruitment" and data["changes"][0]["old_section"] is None
    removed = compare_versions(new, old)
    assert [(s.kind, s.section.id) for s in removed.sections] == [("removed", "recruitment")]
    site = build_site(result.handbook, SiteOptions(today=TODAY))
    markdown = next(p for p in site.pages if p.path == "policies/demo/compare-v1-v2.md").markdown
    assert "New section: 3 Recruitment</strong> (1 clause)" in markdown
    assert markdown.count('id="change-online-checks"') == 1


def test_diff_json_gives_each_clause_its_section(handbook_dir):
    root = handbook_dir({
        "demo/v1.yaml": policy(NESTED, status="superseded"),
        "demo/v2.yaml": policy(ADDED.replace("Teachers report worries", "Teachers report all worries"), version="2", effective="2024-10-01"),
    })
    output = CliRunner().invoke(cli, ["diff", "demo", "1", "2", "-p", str(root), "--format", "json"]).stdout
    changes = {c["new_id"]: (c["old_section"], c["new_section"]) for c in json.loads(output)["changes"]}
    assert changes == {"teachers-report": ("for-teachers", "for-teachers"), "online-checks": (None, "recruitment")}
    text = CliRunner().invoke(cli, ["diff", "demo", "1", "2", "-p", str(root)]).stdout
    assert "new section: 3 Recruitment (1 clause: 3.1)" in text


# The reference documents ------------------------------------------------------------

#: Each structure a real document may hold: how to spot it in extracted text, and a
#: fragment in the project's own words that expresses it, with what the model must then say.
STRUCTURES = {
    "numbered sub-clauses": (re.compile(r"^\d+\.\d+\s", re.M), NESTED,
                             lambda v: v.clauses[0].number == "1.1"),
    "unnumbered document": (None, "numbering: none\n" + NESTED,
                            lambda v: all(c.number == "" for c in v.clauses)),
    "nested headings": (None, NESTED, lambda v: v.sections[1].clauses == () and len(v.sections[1].sections) == 2),
    "an \"Or\" alternative": (re.compile(r"^\s*Or\s*$", re.M), OPTIONS.format(chosen=""),
                              lambda v: v.clauses[0].unresolved),
    "a placeholder": (re.compile(r"\[[A-Z][^\]\n]{2,80}\]|school/trust"), BLANKS,
                      lambda v: len(v.clauses[0].placeholders) == 2),
    "a definition that widens a term": (re.compile(r"\bincludes?\b|collectively|Definitions", re.I), TERMS,
                                        lambda v: v.clauses[0].terms == ("staff",)),
    "role-by-role responsibilities": (re.compile(r"^.{3,40} (?:should|are responsible for|is responsible for):\s*$", re.M), NESTED,
                                      lambda v: [c.applies_to for c in v.clauses[1:]] == [("teacher",), ("dsl",)]),
    "a non-binding appendix": (re.compile(r"^Appendix\b", re.M | re.I),
                               NESTED + "  - id: advice\n    title: Guidance\n    binding: false\n    clauses:\n      - id: tip\n        obligation: should\n        text: Pause before posting.\n",
                               lambda v: not v.sections[-1].binding and not v.clauses[-1].is_duty),
}


def _found(name: str, text: str) -> bool:
    pattern = STRUCTURES[name][0]
    if name == "unnumbered document":
        return not STRUCTURES["numbered sub-clauses"][0].search(text)
    if name == "nested headings":
        # A short heading line directly followed by another one: a heading with sub-headings.
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return any(_heading(a) and _heading(b) for a, b in zip(lines, lines[1:]))
    return bool(pattern.search(text))


def _heading(line: str) -> bool:
    return 3 < len(line) < 50 and line[0].isupper() and not line.endswith((".", ":", ";", ",")) and "\t" not in line and "|" not in line


def test_every_structure_of_the_reference_documents_can_be_expressed(handbook_dir):
    files = sorted(REFERENCE.glob("*.txt")) if REFERENCE.is_dir() else []
    if len(files) < 3:
        pytest.skip(f"the reference documents are not in {REFERENCE}")
    found = {name for path in files for name in STRUCTURES if _found(name, path.read_text(encoding="utf-8", errors="replace"))}
    # What the reference README says the three documents show.
    assert {"numbered sub-clauses", "unnumbered document", "an \"Or\" alternative", "a placeholder",
            "role-by-role responsibilities", "a non-binding appendix", "nested headings"} <= found
    for name in sorted(found):
        fragment, expresses = STRUCTURES[name][1:]
        result = load(handbook_dir, {"demo/v1.yaml": policy(fragment)})
        assert result.ok, (name, result.problems)
        assert expresses(result.handbook.policies[0].current), name
        page(result.handbook)  # and it builds


def test_a_clause_moved_from_a_removed_section_into_a_new_one_is_shown_once(handbook_dir):
    # The section's id changed and its clause was reworded: the row belongs to both section changes.
    renamed = NESTED.replace("id: for-teachers", "id: teachers-duties").replace("report worries", "report all worries")
    result = load(handbook_dir, {
        "demo/v1.yaml": policy(NESTED, status="superseded"),
        "demo/v2.yaml": policy(renamed, version="2", effective="2024-10-01"),
    })
    old, new = result.handbook.policies[0].versions
    comparison = compare_versions(old, new)
    assert [(s.kind, s.section.id, [c.clause_id for c in s.changes]) for s in comparison.sections] == [
        ("added", "teachers-duties", ["teachers-report"]), ("removed", "for-teachers", [])]
    site = build_site(result.handbook, SiteOptions(today=TODAY))
    markdown = next(p for p in site.pages if p.path == "policies/demo/compare-v1-v2.md").markdown
    assert markdown.count('id="change-teachers-report"') == 1


STEPS = """\
sections:
  - id: posting
    title: Posting
    clauses:
      - id: before-posting
        applies_to: [teacher]
        text: Before a post goes out, work through these steps.
        item_style: steps
        items:
          - Write the post.
          - text: Check the photo consent list.
            obligation: must
            checklist: Check consent before posting
          - text: Ask the safeguarding lead to approve it.
            obligation: {approval}
            applies_to: [dsl]
"""


def test_a_step_of_a_procedure_places_a_duty_of_its_own(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": policy(STEPS.format(approval="should"))})
    assert result.ok, result.problems
    clause = result.handbook.policies[0].current.clauses[0]
    assert clause.items[1] == "Check the photo consent list." and not clause.is_duty
    teacher = build_checklist(result.handbook, "teacher").groups[0].does
    assert [(d.clause.step, d.clause.label, d.wording) for d in teacher] == [(2, "1.1, step 2", "Check consent before posting")]
    dsl = build_checklist(result.handbook, "dsl").groups[0].does
    assert [(d.clause.step, d.clause.obligation.value) for d in dsl] == [(2, "must"), (3, "should")]  # dsl includes teacher
    assert '<span class="pb-step-duty"><span class="pb-ob pb-ob--must">must</span></span>' in page(result.handbook)
    assert "1.1, step 2" in page(result.handbook, "roles/teacher.md")


def test_a_stronger_step_is_a_strengthened_clause(handbook_dir):
    result = load(handbook_dir, {
        "demo/v1.yaml": policy(STEPS.format(approval="should"), status="superseded"),
        "demo/v2.yaml": policy(STEPS.format(approval="must"), version="2", effective="2024-10-01"),
    })
    old, new = result.handbook.policies[0].versions
    assert compare_versions(old, new).clauses[0].kinds == ("obligation-strengthened",)
    assert compare_versions(new, old).clauses[0].kinds == ("obligation-weakened",)


def test_the_per_role_impact_counts_the_duties_of_steps(handbook_dir):
    # v2: the DSL's step becomes a must, and a new step falls on the governing board.
    newer = STEPS.format(approval="must") + """\
          - text: Report it to the board each term.
            obligation: should
            applies_to: [governing-board]
"""
    result = load(handbook_dir, {
        "demo/v1.yaml": policy(STEPS.format(approval="should"), status="superseded"),
        "demo/v2.yaml": policy(newer, version="2", effective="2024-10-01"),
    })
    assert result.ok, result.problems
    handbook = result.handbook
    old, new = handbook.policies[0].versions
    comparison = compare_versions(old, new, handbook=handbook)
    rows = {impact.role.id: {name: len(getattr(impact, name)) for name in ("added", "removed", "strengthened", "weakened", "reworded")}
            for impact in comparison.roles}
    # The procedure gained a step, so its wording changed for everyone who holds part of it;
    # only the DSL's own step grew stronger, and the board holds a step for the first time.
    assert rows == {
        "teacher": {"added": 0, "removed": 0, "strengthened": 0, "weakened": 0, "reworded": 1},
        "dsl": {"added": 0, "removed": 0, "strengthened": 1, "weakened": 0, "reworded": 1},
        "governing-board": {"added": 1, "removed": 0, "strengthened": 0, "weakened": 0, "reworded": 0},
    }
    back = {impact.role.id: (len(impact.removed), len(impact.strengthened), len(impact.weakened))
            for impact in compare_versions(new, old, handbook=handbook).roles}
    assert back == {"teacher": (0, 0, 0), "dsl": (0, 0, 1), "governing-board": (1, 0, 0)}
    assert "Designated safeguarding lead: 0 / 0 / 1 / 0 / 1" in render_comparison(comparison, handbook, "text")


def test_a_term_can_widen_the_scope_of_the_whole_policy(handbook_dir):
    body = "definitions:\n  - term: Everyone\n    id: everyone\n    roles: [all-staff, governing-board]\n    meaning: Staff and governors.\n" + NESTED
    text = policy(body).replace("scope:\n  roles: [all-staff]\n", "scope:\n  roles: [everyone]\n")
    result = load(handbook_dir, {"demo/v1.yaml": text})
    assert result.ok, result.problems
    version = result.handbook.policies[0].current
    assert version.scope.roles == ("all-staff", "governing-board") and version.clauses[0].applies_to == version.scope.roles


def test_export_writes_sub_sections_and_commitments(handbook_dir, tmp_path):
    root = handbook_dir({"demo/v1.yaml": policy(TERMS + NESTED.split("sections:\n", 1)[1])})
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["export", str(out), "-p", str(root), "--today", "2026-01-01"])
    assert result.exit_code == 0, result.output
    markdown = (out / "policies" / "demo.md").read_text(encoding="utf-8")
    assert "### 3.1 Teachers {#section-for-teachers}" in markdown and "{#commitments}" in markdown


def test_a_clause_naming_a_term_shows_its_own_versions_definition(handbook_dir):
    # The same clause in three versions whose definitions name the term differently: each version's
    # page shows its own name, though the clause (and so its rendered body's key) is equal.
    files = {f"demo/v{n}.yaml": policy(TERMS.replace("term: Staff", f"term: {name}"), str(n), status, f"202{n + 4}-09-01")
             for n, name, status in ((1, "Staff", "superseded"), (2, "Staff members", "superseded"),
                                     (3, "Everyone at school", "adopted"))}
    result = load(handbook_dir, files)
    assert result.ok, result.problems
    for path, name in (("policies/demo/v1.md", "Staff"), ("policies/demo/v2.md", "Staff members"),
                       ("policies/demo.md", "Everyone at school")):
        assert f'href="#term-staff">{name}</a> (as this policy defines it:' in page(result.handbook, path), path
