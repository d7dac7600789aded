"""Checklists show duties under headings by strength, and lists numbered as on the policy page (issue 16)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from policybook.load import load_handbook
from policybook.outputs.printing import checklist_html, checklist_text
from policybook.views.checklists import build_checklist
from policybook.words import item_marker
from tests.conftest import ROOT, version_text, write_handbook

TODAY = dt.date(2026, 11, 21)

# One clause of each strength on teachers, one with numbered steps, and one acted on.
CLAUSES = """\
      - id: may-leave-early
        obligation: may
        applies_to: [teacher]
        text: Teachers may leave early on the last day of term.
      - id: should-tidy
        obligation: should-not
        applies_to: [teacher]
        text: Teachers should not leave the room untidy.
      - id: lockdown-steps
        obligation: must
        applies_to: [teacher]
        text: In a lockdown, teachers follow these steps.
        item_style: steps
        items: [Lock the door, Close the blinds, Keep the class quiet]
      - id: trip-forms
        obligation: must
        applies_to: [teacher]
        text: Trip forms need the lead's signature.
        item_style: {style}
        items: [Fill in the form, Sign it, Hand it in]
"""


def policy(style: str = "lettered") -> str:
    return version_text() + CLAUSES.format(style=style)


@pytest.fixture
def teacher(handbook_dir):
    result = load_handbook(handbook_dir({"demo/v1.yaml": policy()}))
    assert result.ok, result.problems
    return result.handbook, build_checklist(result.handbook, "teacher")


def test_duties_are_grouped_by_strength_strongest_first(teacher):
    _, checklist = teacher
    (group,) = checklist.groups
    assert [(part.title, [d.clause.id for d in part.duties]) for part in group.parts] == [
        ("What you must do", ["keep-records", "lockdown-steps", "trip-forms"]),
        ("What you should do", ["report-concerns", "should-tidy"]),
        ("What you may do", ["may-leave-early"]),
    ]


def test_a_responsible_role_gets_its_own_heading_and_no_empty_ones(handbook_dir):
    result = load_handbook(handbook_dir())
    (group,) = build_checklist(result.handbook, "dsl").groups
    assert [part.title for part in group.parts] == [
        "What you must do", "What you should do", "What you act on when others report to you"]


def test_text_checklist_numbers_items_as_the_policy_does(teacher):
    handbook, checklist = teacher
    text = checklist_text(handbook, checklist, today=TODAY)
    assert "        1. Lock the door\n        2. Close the blinds\n        3. Keep the class quiet" in text
    assert "        a. Fill in the form\n        b. Sign it\n        c. Hand it in" in text
    may_heading, may_item = text.index("  What you may do"), text.index("MAY: Teachers may leave early")
    assert text.index("  What you must do") < text.index("  What you should do") < may_heading < may_item
    assert "6 duties from 1 policy\n" in text


def test_counts_are_singular_for_one(handbook_dir):
    handbook = load_handbook(handbook_dir()).handbook
    text = checklist_text(handbook, build_checklist(handbook, "all-staff"), today=TODAY)
    assert "\n1 duty from 1 policy\n" in text


@pytest.mark.parametrize("style, markers", [
    ("steps", ["1.", "2.", "10.", "27."]),
    ("lettered", ["a.", "b.", "j.", "aa."]),
    ("roman", ["i.", "ii.", "x.", "xxvii."]),
    ("bullet", ["-", "-", "-", "-"]),
])
def test_item_markers(style, markers):
    assert [item_marker(style, n) for n in (1, 2, 10, 27)] == markers


# In a browser, with the theme's stylesheet: what a reader sees ----------------

MARKERS = {"steps": "decimal", "lettered": "lower-alpha", "roman": "lower-roman"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from policybook.mkdocs_adapter.build import build_site_atomically

    project = tmp_path_factory.mktemp("numbered")
    write_handbook(project, {"demo/v1.yaml": policy("roman")})
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    return build_site_atomically(project / "mkdocs.yml", today="2026-11-21")


def list_styles(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('ol.pb-items')].map(
        ol => [ol.querySelector('li').textContent, getComputedStyle(ol).listStyleType]))""")


@pytest.mark.browser
@pytest.mark.parametrize("address", ["policies/demo.html", "roles/teacher.html"])
def test_site_pages_number_steps_as_the_policy_does(browser, site, address):
    page = browser.new_page()
    try:
        page.goto((site / address).as_uri())
        assert list_styles(page) == {"Lock the door": "decimal", "Fill in the form": "lower-roman"}
    finally:
        page.close()


@pytest.mark.browser
def test_printed_checklist_numbers_steps_as_the_policy_does(browser, handbook_dir):
    result = load_handbook(handbook_dir({"demo/v1.yaml": policy("lettered")}))
    page = browser.new_page()
    try:
        page.set_content(checklist_html(result.handbook, build_checklist(result.handbook, "teacher"), today=TODAY))
        assert list_styles(page) == {"Lock the door": "decimal", "Fill in the form": "lower-alpha"}
    finally:
        page.close()
