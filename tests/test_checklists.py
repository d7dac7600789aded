"""Role checklists: the view, the role pages and the ``checklist`` command."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from policybook.cli import cli
from policybook.load import load_handbook
from policybook.render import css_string
from policybook.pages import SiteOptions, build_site
from policybook.views.checklists import build_checklist, build_checklists, find_role
from tests.conftest import SETTINGS, version_text

TODAY = dt.date(2026, 11, 21)

# A second policy in a second category, so handbook order can be checked.
CONDUCT = """\
policy: conduct
version: "1"
title: Aardvark conduct policy
category: conduct
status: adopted
effective: 2024-09-01
approval:
  body: Governing board
  date: 2024-07-01
owner: governing-board
review:
  lead: dsl
  next: 2030-01-01
scope:
  roles: [all-staff]
sections:
  - id: dress
    title: Dress
    clauses:
      - id: badge
        obligation: must-not
        text: Staff must not take their lanyard off on site.
        checklist: Keep your lanyard on
"""

SETTINGS_TWO_CATEGORIES = SETTINGS.replace(
    "categories:\n  - id: safeguarding\n    title: Safeguarding\n",
    "categories:\n  - id: safeguarding\n    title: Safeguarding\n  - id: conduct\n    title: Conduct\n",
)

# Version 2 adds a clause; used as a draft and as the adopted successor of v1.
EXTRA_CLAUSE = """\
      - id: new-duty
        obligation: must
        text: Staff complete the new online module.
"""


def load(policies: Path):
    result = load_handbook(policies)
    assert result.ok, result.problems
    return result.handbook


def clause_ids(duties) -> list[str]:
    return [duty.clause.id for duty in duties]


@pytest.fixture
def demo(handbook_dir):
    return load(handbook_dir())


# The view -----------------------------------------------------------------


def test_teacher_gets_all_staff_duties_through_includes(demo):
    checklist = build_checklist(demo, "teacher")
    (group,) = checklist.groups
    assert clause_ids(group.does) == ["report-concerns", "keep-records"]
    assert group.does[0].via == ("all-staff",), "inherited: says which role it came through"
    assert group.does[1].via == ("teacher",)
    assert [role.id for role in checklist.includes] == ["all-staff"]


def test_includes_are_followed_through_several_levels(demo):
    checklist = build_checklist(demo, "dsl")
    assert clause_ids(checklist.groups[0].does) == ["report-concerns", "keep-records"]
    assert [role.id for role in checklist.includes] == ["teacher", "all-staff"]


def test_responsible_role_gets_an_acts_on_group(demo):
    dsl = build_checklist(demo, "dsl").groups[0]
    assert clause_ids(dsl.acts_on) == ["report-concerns"]
    assert dsl.acts_on[0].clause.deadline == "the same day"
    teacher = build_checklist(demo, "teacher").groups[0]
    assert teacher.acts_on == ()


def test_count_adds_both_groups(demo):
    assert build_checklist(demo, "dsl").count == 3
    assert build_checklist(demo, "all-staff").count == 1


def test_role_without_duties_has_an_empty_checklist(demo):
    checklist = build_checklist(demo, "governing-board")
    assert checklist.groups == ()
    assert checklist.count == 0


def test_drafts_are_left_out_unless_previewing(handbook_dir):
    draft = version_text(version="2", status="draft") + EXTRA_CLAUSE
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(), "demo/v2.yaml": draft}))
    assert "new-duty" not in clause_ids(build_checklist(handbook, "teacher").groups[0].does)
    preview = build_checklist(handbook, "teacher", include_drafts=True).groups[0]
    assert "new-duty" in clause_ids(preview.does)
    assert preview.version.version == "2"


def test_a_policy_that_is_only_a_draft_appears_only_in_preview(handbook_dir):
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(status="draft")}))
    assert build_checklist(handbook, "teacher").groups == ()
    assert build_checklist(handbook, "teacher", include_drafts=True).count == 2


def test_superseded_versions_never_appear(handbook_dir):
    old = version_text(status="superseded") + EXTRA_CLAUSE
    new = version_text(version="2", effective="2025-09-01", approved="2025-07-01")
    handbook = load(handbook_dir({"demo/v1.yaml": old, "demo/v2.yaml": new}))
    for include_drafts in (False, True):
        checklist = build_checklist(handbook, "teacher", include_drafts=include_drafts)
        assert [g.version.version for g in checklist.groups] == ["2"]
        assert "new-duty" not in clause_ids(checklist.groups[0].does)


def test_groups_follow_handbook_category_order_not_titles(handbook_dir):
    files = {"demo/v1.yaml": version_text(), "conduct/v1.yaml": CONDUCT}
    handbook = load(handbook_dir(files, settings=SETTINGS_TWO_CATEGORIES))
    checklist = build_checklist(handbook, "teacher")
    assert [g.version.policy_id for g in checklist.groups] == ["demo", "conduct"]


def test_checklist_wording_is_preferred_to_the_clause_text(handbook_dir):
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(), "conduct/v1.yaml": CONDUCT},
                                 settings=SETTINGS_TWO_CATEGORIES))
    duty = build_checklist(handbook, "all-staff").groups[1].does[0]
    # The badge is the clause's own, as on the policy page; "MUST NOT Keep your lanyard on"
    # would invert the clause, so a positive wording gives way to the clause text there.
    assert duty.badge.label == "must not"
    assert duty.wording == "Staff must not take their lanyard off on site."
    prohibition = load(handbook_dir({"demo/v1.yaml": version_text(), "conduct/v1.yaml": CONDUCT.replace(
        "Keep your lanyard on", "Never take your lanyard off")}, settings=SETTINGS_TWO_CATEGORIES))
    duty = build_checklist(prohibition, "all-staff").groups[1].does[0]
    assert (duty.badge.label, duty.wording) == ("must not", "Never take your lanyard off")
    demo = build_checklist(handbook, "teacher").groups[0].does[0]
    assert demo.badge.label == "should" and demo.wording == demo.clause.text


def test_clause_text_keeps_its_negative_badge(handbook_dir):
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(obligation="should-not")}))
    duty = build_checklist(handbook, "teacher").groups[0].does[0]
    assert duty.badge.label == "should not"


def test_find_role_accepts_id_name_and_alias(demo):
    assert find_role(demo, "dsl").id == "dsl"
    assert find_role(demo, "Designated Safeguarding Lead").id == "dsl"
    assert find_role(demo, "safeguarding lead").id == "dsl"
    assert find_role(demo, "caretaker") is None


# Pages --------------------------------------------------------------------


def site_pages(handbook, **options) -> dict[str, str]:
    site = build_site(handbook, SiteOptions(today=TODAY, **options))
    return {page.path: page.markdown for page in site.pages}


def test_roles_without_duties_get_no_page_but_are_listed_on_the_index(demo):
    pages = site_pages(demo)
    assert "roles/dsl.md" in pages
    assert "roles/governing-board.md" not in pages
    index = pages["roles/index.md"]
    row = index[index.index('id="role-governing-board"'):].split("</tr>")[0]
    assert "no duties yet" in row
    dsl_row = index[index.index('id="role-dsl"'):].split("</tr>")[0]
    assert "Teacher, All staff" in dsl_row, "what the role includes"
    assert '<td data-label="Duties">3</td>' in dsl_row


def test_role_page_has_print_parts_and_every_duty(demo):
    page = site_pages(demo)["roles/dsl.md"]
    assert page.count('class="pb-tick"') == 3, "a tick box per item"
    assert "What you must do" in page and "What you act on when others report to you" in page
    assert "Testing School" in page and "21 November 2026" in page
    assert "I have read and understood the duties above." in page
    assert "Printed copies are uncontrolled." in page
    assert 'href="../policies/demo.html#report-concerns"' in page
    assert "Demo policy 1.1" in page, "policy and clause number beside each duty"
    # An acts-on item is worded from the receiver's side, without a badge of the holder's own.
    acts_on = page[page.index("pb-duties--acts-on"):].split("</ul>")[0]
    assert "Receive</span> reports from All staff: you are named as the person to tell." in acts_on
    assert "Their duty (should): Staff report every concern" in acts_on and 'class="pb-ob' not in acts_on
    assert "\n\n" not in page[page.index("<ul"):page.index("</ul>")], "no blank line inside an HTML block"


def test_preview_build_marks_draft_groups(handbook_dir):
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(status="draft")}))
    assert "roles/teacher.md" not in site_pages(handbook)
    page = site_pages(handbook, preview_drafts=True)["roles/teacher.md"]
    assert "Draft version 1: not yet in force." in page
    assert "Preview: includes draft policies" in page


def test_author_text_is_escaped_in_role_pages(handbook_dir):
    hostile = CONDUCT.replace("Keep your lanyard on", "'<script>alert(1)</script>'")
    settings = SETTINGS_TWO_CATEGORIES.replace("name: Testing School", "name: \"Testing </style><b>School\"")
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(), "conduct/v1.yaml": hostile}, settings=settings))
    page = site_pages(handbook)["roles/teacher.md"]
    assert "<script>" not in page
    assert "</style><b>" not in page


def test_css_string_cannot_close_the_string_or_the_element():
    value = css_string('a"b</style>;}')
    assert value.startswith('"') and value.endswith('"')
    assert '"' not in value[1:-1] and "<" not in value and "}" not in value
    assert str(css_string("A b")) == '"A b"'


# The command --------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_checklist_prints_to_the_terminal(handbook_dir):
    policies = handbook_dir()
    result = run("checklist", "DSL", "-p", str(policies), "--today", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "Designated safeguarding lead: checklist" in result.output
    assert "[ ] SHOULD: Staff report every concern to the safeguarding lead. [deadline: the same day] (Demo policy 1.1)" in result.output
    assert "What you act on when others report to you" in result.output
    assert "I have read and understood the duties above." in result.output


def test_checklist_unknown_role_is_a_clean_error(handbook_dir):
    result = CliRunner().invoke(cli, ["checklist", "dls", "-p", str(handbook_dir())])
    assert result.exit_code == 1
    assert "no role 'dls'; did you mean 'dsl'?" in result.output
    assert "Traceback" not in result.output


def test_checklist_role_without_duties_is_an_error(handbook_dir):
    result = CliRunner().invoke(cli, ["checklist", "governing-board", "-p", str(handbook_dir())])
    assert result.exit_code == 1
    assert "has no duties" in result.output


def test_checklist_needs_a_role_or_all(handbook_dir):
    result = CliRunner().invoke(cli, ["checklist", "-p", str(handbook_dir())])
    assert result.exit_code == 2
    assert "give either a ROLE or --all" in result.output


@pytest.mark.parametrize("fmt, marker", [("markdown", "# Teacher: checklist"), ("html", "<!DOCTYPE html>"), ("text", "[ ] MUST")])
def test_checklist_writes_a_file(handbook_dir, tmp_path, fmt, marker):
    target = tmp_path / f"teacher.{fmt}"  # the folder must exist: -o never creates folders
    result = run("checklist", "teacher", "-p", str(handbook_dir()), "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert marker in text
    assert "Teachers keep a written record" in text


def test_html_export_is_standalone_with_the_print_css_inlined(handbook_dir, tmp_path):
    target = tmp_path / "dsl.html"
    run("checklist", "dsl", "-p", str(handbook_dir()), "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert "@media print" in html and "@page" in html
    assert "<link" not in html and "<script" not in html
    assert '<h2 id="policy-demo">Demo policy</h2>' in html


def test_checklist_all_writes_one_file_per_role_with_duties(handbook_dir, tmp_path):
    folder = tmp_path / "pack"
    result = run("checklist", "--all", "-p", str(handbook_dir()), "--format", "markdown", "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["all-staff.md", "dsl.md", "teacher.md"]
    assert "No duties, so no file: Governing board" in result.output


def test_checklist_preview_drafts(handbook_dir):
    draft = version_text(version="2", status="draft") + EXTRA_CLAUSE
    policies = handbook_dir({"demo/v1.yaml": version_text(), "demo/v2.yaml": draft})
    assert "new online module" not in run("checklist", "teacher", "-p", str(policies)).output
    preview = run("checklist", "teacher", "-p", str(policies), "--preview-drafts").output
    assert "new online module" in preview
    assert "DRAFT, not yet in force" in preview


def test_pdf_without_a_browser_is_a_clean_error(handbook_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("policybook.outputs.printing.find_chromium", lambda: None)
    target = tmp_path / "dsl.pdf"
    result = CliRunner().invoke(cli, ["checklist", "dsl", "-p", str(handbook_dir()), "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 1
    assert "PDF output needs Chromium" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not target.exists()


def test_every_sample_role_has_duties():
    """The sample handbook is meant to show a checklist for every role."""
    handbook = load_handbook(Path(__file__).resolve().parent.parent / "policies").handbook
    empty = [c.role.id for c in build_checklists(handbook) if not c.count]
    assert empty == []


def test_an_induction_pack_compiles_each_template_once(tmp_path, monkeypatch):
    import jinja2

    from tests.conftest import SAMPLE_POLICIES

    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting_compile(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    result = CliRunner().invoke(cli, ["checklist", "--all", "--format", "html", "-o", str(tmp_path),
                                      "-p", str(SAMPLE_POLICIES), "--today", "2026-11-01"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.html"))) > 5
    assert "role.md.j2" in compiled and len(compiled) == len(set(compiled)), sorted(compiled)


# Issue 20: checklists as evidence, the short form --------------------------------


def test_short_form_keeps_must_and_must_not_duties_only(handbook_dir):
    from policybook.views.checklists import short_form

    handbook = load(handbook_dir({"demo/v1.yaml": version_text(), "conduct/v1.yaml": CONDUCT},
                                 settings=SETTINGS_TWO_CATEGORIES))
    teacher = build_checklist(handbook, "teacher")
    assert (teacher.count, teacher.short_count) == (3, 2), "should, must (demo); must-not (conduct)"
    assert [d.badge.value for g in short_form(teacher).groups for d in (*g.does, *g.acts_on)] == ["must", "must-not"]
    full = build_checklist(handbook, "all-staff")
    short = short_form(full)
    assert (full.count, short.count, full.short_count) == (2, 1, 1)
    assert short.must_only and not full.must_only
    assert [g.version.policy_id for g in short.groups] == ["conduct"], "a policy left with no must duty is dropped"
    assert not full.groups[0].in_short_form and full.groups[1].in_short_form


def test_fingerprint_changes_with_what_is_signed_for_and_nothing_else(handbook_dir):
    from policybook.views.checklists import fingerprint, short_form

    base = build_checklist(load(handbook_dir()), "dsl")
    assert re.fullmatch(r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}", fingerprint(base))
    assert fingerprint(base) == fingerprint(build_checklist(load(handbook_dir()), "dsl")), "stable from build to build"
    assert fingerprint(base) != fingerprint(build_checklist(load(handbook_dir()), "teacher"))
    assert fingerprint(base) != fingerprint(short_form(base))
    reworded = handbook_dir({"demo/v1.yaml": version_text().replace("Staff report every concern", "Staff report each concern")})
    assert fingerprint(base) != fingerprint(build_checklist(load(reworded), "dsl")), "wording"
    newer = handbook_dir({"demo/v1.yaml": version_text(effective="2024-10-01")})
    assert fingerprint(base) != fingerprint(build_checklist(load(newer), "dsl")), "effective date"
    stronger = handbook_dir({"demo/v1.yaml": version_text(obligation="must")})
    assert fingerprint(base) != fingerprint(build_checklist(load(stronger), "dsl")), "strength"


def test_reads_as_prohibition():
    from policybook.views.checklists import reads_as_prohibition

    for wording in ("Never share your password", "Do not post photos", "Don't", "No phones in class", "**Never** lend it"):
        assert reads_as_prohibition(wording), wording
    for wording in ("Keep your lanyard on", "Notify the DSL", "Nothingness", "Check the consent list"):
        assert not reads_as_prohibition(wording), wording


def test_role_page_stamps_each_policy_version_and_signs_off_with_a_fingerprint(demo):
    page = site_pages(demo)["roles/dsl.md"]
    heading = page.index("{#policy-demo}")
    assert page.index('<p class="pb-group-version">Version 1, effective from 1 September 2024</p>') > heading
    signoff = page[page.index('class="pb-signoff"'):]
    checklist = build_checklist(demo, "dsl")
    assert "from the handbook built on 21 November 2026" in signoff
    assert f'<strong class="pb-fingerprint">{checklist.fingerprint}</strong>' in signoff
    assert "On the printed copy, tick each one" in page, "print and tick: the screen has no boxes to tick"


def test_role_page_offers_the_short_form_only_when_it_differs(handbook_dir):
    handbook = load(handbook_dir({"demo/v1.yaml": version_text(), "conduct/v1.yaml": CONDUCT},
                                 settings=SETTINGS_TWO_CATEGORIES))
    page = site_pages(handbook)["roles/teacher.md"]
    assert 'id="pb-must-only"' in page and "show only the 2 must and must-not duties" in page
    assert "pb-fingerprint--short" in page
    staff = site_pages(handbook)["roles/all-staff.md"]
    demo = staff[staff.index("Demo policy"):staff.index("Aardvark conduct policy")]
    assert "pb-no-must" in demo, "hidden in the short form: all staff have no must duty in the demo policy"
    assert "pb-no-must" not in staff[staff.index("Aardvark conduct policy"):staff.index("pb-signoff")]


def test_no_short_form_where_it_would_be_empty(handbook_dir):
    assert 'id="pb-must-only"' not in site_pages(load(handbook_dir()))["roles/all-staff.md"]
    none = CliRunner().invoke(cli, ["checklist", "all-staff", "-p", str(handbook_dir()), "--must-only"])
    assert none.exit_code == 1 and "no must or must-not duties" in none.output


def test_checklist_must_only_in_the_terminal(handbook_dir):
    policies = handbook_dir({"demo/v1.yaml": version_text(), "conduct/v1.yaml": CONDUCT}, settings=SETTINGS_TWO_CATEGORIES)
    full = run("checklist", "teacher", "-p", str(policies), "--today", "2026-11-21").output
    short = run("checklist", "teacher", "-p", str(policies), "--today", "2026-11-21", "--must-only").output
    assert "[ ] SHOULD" in full and "[ ] SHOULD" not in short
    assert "[ ] MUST NOT: Staff must not take their lanyard off on site." in short
    assert "short form: must and must-not duties only" in short
    assert "Aardvark conduct policy (version 1, effective from 2024-09-01)" in short
    assert re.search(r"Checklist fingerprint [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\.", short)
