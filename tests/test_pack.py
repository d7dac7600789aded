"""The governors' pack: its view (read off the comparison), its page in the site, and `policybook pack`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policybook import urls
from policybook.cli import cli
from policybook.load import load_handbook
from policybook.outputs.compare_formats import render_comparison
from policybook.outputs.pack import pack_html
from policybook.pages import SiteOptions, build_site
from policybook.views.compare import FieldChange, compare_versions
from policybook.views.pack import build_pack, item_label, pack_pairs, redline_pieces
from policybook.views.handbook import comparison_pairs
from tests.conftest import SAMPLE_POLICIES, write_handbook

TODAY = dt.date(2026, 12, 1)

LISTED = """\
policy: listed
version: "{version}"
title: Listed policy
category: safeguarding
status: {status}
owner: governing-board
review:
  lead: dsl
  next: 2030-01-01
scope:
  roles: [all-staff]
{extra}sections:
  - id: first
    title: First things
    clauses:
      - id: steps
        obligation: must
        text: {text}
        items: [{items}]
        item_style: {style}
  - id: second
    title: Second things
    clauses:
{second}"""


def listed(version, status=None, *, text="Staff do these things.", items="call the lead, write it down, tell the head",
           style="lettered", second="      - id: later\n        text: Some information.\n", extra="") -> str:
    status = status or ("adopted" if version == "1" else "draft")
    if status == "adopted":
        extra = "effective: 2024-09-01\napproval:\n  body: Governing board\n  date: 2024-07-01\n" + extra
    text = LISTED.format(version=version, status=status, text=text, items=items, style=style, second=second, extra=extra)
    return text if items else text.replace(f"        items: []\n        item_style: {style}\n", "")


def comparison_of(tmp_path: Path, old: str, new: str, new_status="draft"):
    policies = write_handbook(tmp_path, {"listed/v1.yaml": old, "listed/v2.yaml": new})
    result = load_handbook(policies)
    assert result.ok, result.problems
    policy = result.handbook.policy("listed")
    return result.handbook, compare_versions(policy.version("1"), policy.version("2"), handbook=result.handbook)


def rendered(pieces) -> str:
    """The redline as a reader sees it: [-deleted-] {+inserted+}."""
    marks = {"equal": "{}", "insert": "{{+{}+}}", "delete": "[-{}-]"}
    return "".join(marks[p.op].format(p.text) for p in pieces)


# -- the view ------------------------------------------------------------------------------------


def test_item_labels_follow_the_list_style():
    assert [item_label("lettered", n) for n in (0, 1, 25, 26)] == ["a)", "b)", "z)", "aa)"]
    assert [item_label("roman", n) for n in (0, 3, 8)] == ["i.", "iv.", "ix."]
    assert [item_label("steps", n) for n in (0, 9)] == ["1.", "10."]
    assert item_label("bullet", 4) == "•"


def side(pieces, drop: str) -> str:
    """One version's text as the redline shows it: ``drop`` is ``delete`` for the new text."""
    return "".join(p.text for p in pieces if p.op != drop)


def test_an_inserted_item_takes_its_letter_and_renumbers_the_ones_after(tmp_path):
    _, comparison = comparison_of(tmp_path, listed("1"), listed("2", items="call the lead, keep calm, write it down, tell the head"))
    pieces = redline_pieces(next(c for c in comparison.clauses if c.clause_id == "steps"))
    # However the word diff aligns the markers, the new text reads with the new letters.
    assert side(pieces, "delete") == "Staff do these things.\na) call the lead\nb) keep calm\nc) write it down\nd) tell the head"
    assert any(p.label for p in pieces if p.op == "insert"), "the inserted item's letter is underlined with it"
    assert "- " not in rendered(pieces), "no item keeps the typed marker"


def test_a_deleted_item_keeps_its_old_number_struck_through(tmp_path):
    _, comparison = comparison_of(tmp_path, listed("1", style="roman"), listed("2", style="roman", items="call the lead, tell the head"))
    pieces = redline_pieces(next(c for c in comparison.clauses if c.clause_id == "steps"))
    assert side(pieces, "delete") == "Staff do these things.\ni. call the lead\nii. tell the head"
    deleted = [p.text for p in pieces if p.op == "delete" and p.label]
    assert deleted and set(deleted) <= {"ii.", "iii."}, rendered(pieces)


def test_a_sentence_made_into_a_list_shows_its_new_letters_inserted(tmp_path):
    # The word diff keeps the item words equal and inserts the line breaks and markers around them.
    old = listed("1", text="Staff call the lead, write it down and tell the head.", items="")
    new = listed("2", text="Staff", items="call the lead, write it down, tell the head")
    _, comparison = comparison_of(tmp_path, old, new)
    pieces = redline_pieces(next(c for c in comparison.clauses if c.clause_id == "steps"))
    assert side(pieces, "delete") == "Staff\na) call the lead\nb) write it down\nc) tell the head"
    assert [p.text for p in pieces if p.label] == ["a)", "b)", "c)"]
    assert all(p.op == "insert" for p in pieces if p.label), rendered(pieces)


def test_item_style_alone_changed_relabels_every_item(tmp_path):
    _, comparison = comparison_of(tmp_path, listed("1", style="bullet"), listed("2", style="steps"))
    pieces = redline_pieces(next(c for c in comparison.clauses if c.clause_id == "steps"))
    assert [p.text for p in pieces if p.label] == ["1.", "2.", "3."]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_diff_format_shows_list_items_numbered_and_an_inserted_step_as_one_insertion(tmp_path, fmt):
    handbook, comparison = comparison_of(tmp_path, listed("1", style="steps"),
                                         listed("2", style="steps", items="stay calm, call the lead, write it down, tell the head"))
    shown = render_comparison(comparison, handbook, fmt)
    if fmt == "text":
        shown = re.sub("\x1b\\[[0-9;]*m", "", shown)
        later, changed = "\n3. write it down\n4. tell the head", re.compile(r"\{\+[^+]*?\b[34]\.|\[-[^-]*?\b[34]\.")
    else:
        label = '<span class="pb-item-label">{}</span>'
        later = f"&#10;{label.format('3.')} write it down&#10;{label.format('4.')} tell the head"
        changed = re.compile(r"<(ins|del)>(?:(?!</\1>).)*pb-item-label\">[34]\.")
    assert later in shown, shown
    assert not changed.search(shown), "the steps after the inserted one are renumbered, not changed"
    assert "- call the lead" not in shown and "- write it down" not in shown


def test_a_list_in_the_clause_text_stays_as_typed(tmp_path):
    text = '"Before you start:\\n\\n- read this\\n- sign it"'
    _, comparison = comparison_of(tmp_path, listed("1", text=text), listed("2", text=text, items="call the lead, tell the head"))
    change = next(c for c in comparison.clauses if c.clause_id == "steps")
    shown = rendered(redline_pieces(change))
    assert "\n- read this\n- sign it" in shown and "\na) call the lead" in shown, shown


def test_editorial_only_means_no_material_clause_and_no_policy_detail(tmp_path):
    _, comparison = comparison_of(tmp_path, listed("1"), listed("2", text="Staff do these  things"))
    pack = build_pack(comparison)
    assert comparison.editorial and not comparison.material
    assert pack.editorial_only and not pack.duties_added and not pack.strengthened
    # The same wording fix beside a changed policy detail is not editorial only.
    _, comparison = comparison_of(tmp_path / "b", listed("1"), listed("2", text="Staff do these  things",
                                                                       extra="legislation: [kcsie]\n"))
    assert comparison.fields and not build_pack(comparison).editorial_only


def test_the_governance_record_alone_never_makes_a_change_material(tmp_path):
    # A draft always differs from the version in force in its approval and dates: that is not a change of policy.
    _, comparison = comparison_of(tmp_path, listed("1"), listed("2", text="Staff do these  things"))
    record = dataclasses.replace(comparison, fields=(FieldChange("approval.date", "Approval date", "1 July 2024", None),
                                                     FieldChange("effective", "Effective from", "1 September 2024", None)))
    assert build_pack(record).editorial_only and not build_pack(record).detail_changes
    owner = dataclasses.replace(comparison, fields=(FieldChange("owner", "Owner", "dsl", "governing-board"),))
    assert not build_pack(owner).editorial_only


def test_added_and_strengthened_duties_are_read_off_the_comparison(tmp_path):
    second = ("      - id: later\n        text: Some information.\n"
              "      - id: new-duty\n        obligation: must\n        text: Staff lock the door.\n        deadline: every evening\n")
    _, comparison = comparison_of(tmp_path, listed("1"), listed("2", second=second))
    pack = build_pack(comparison)
    assert [c.clause_id for c in pack.duties_added] == ["new-duty"]
    assert not pack.editorial_only
    html = pack_html(load_handbook(tmp_path / "policies").handbook, comparison, today=TODAY)
    assert "adds 1 duty" in html
    row = html[html.index('id="change-new-duty"'):]
    row = row[:row.index("</div>")]
    assert "pb-ob--must" in row and "every evening" in row, "an added clause shows its strength and deadline"


def test_full_text_is_grouped_under_section_headings(tmp_path):
    handbook, comparison = comparison_of(tmp_path, listed("1"), listed("2", text="Staff now do these things."))
    sections = build_pack(comparison, full=True).sections
    assert [(s.number, s.title, [c.clause_id for c in s.changes]) for s in sections] == [
        ("1", "First things", ["steps"]), ("2", "Second things", ["later"])]
    html = pack_html(handbook, comparison, today=TODAY, full=True)
    assert "1. First things" in html and "2. Second things" in html and "Full text with changes" in html
    assert "Full text with changes" not in pack_html(handbook, comparison, today=TODAY)


def test_packs_in_the_site_are_the_decisions_in_hand():
    handbook = load_handbook(SAMPLE_POLICIES).handbook
    social = handbook.policy("social-media")
    assert [(a.version, b.version) for a, b in pack_pairs(social, comparison_pairs(social))] == [("4", "5")]
    use = handbook.policy("acceptable-use")
    assert [(a.version, b.version) for a, b in pack_pairs(use, comparison_pairs(use))] == [("1", "2")]


# -- the site page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    handbook = load_handbook(SAMPLE_POLICIES).handbook
    return {page.path: page for page in build_site(handbook, SiteOptions(today=TODAY)).pages}


def test_comparison_page_links_its_pack(site):
    pack = urls.pack_page("acceptable-use", "1", "2")
    assert pack in site and not site[pack].in_nav and not site[pack].searchable
    assert "Download governors' pack" in site[urls.comparison_page("acceptable-use", "1", "2")].markdown
    assert 'href="pack-v1-v2.html"' in site[urls.comparison_page("acceptable-use", "1", "2")].markdown
    # An older pair has no pack page, and so no link.
    assert urls.pack_page("social-media", "1", "2") not in site
    assert "governors' pack" not in site[urls.comparison_page("social-media", "1", "2")].markdown


def test_pack_page_holds_cover_summary_changes_and_approval(site):
    page = site[urls.pack_page("acceptable-use", "1", "2")].markdown
    for text in ("Governors' pack", "Version 1 → version 2", "(draft)", "What the author says changed",
                 "Multi-factor", "Model policy followed", "Owner", "Review lead", "Prepared",
                 "Material changes: the board decides", "What it means for each role",
                 "Chair of the governing board", "Headteacher", "Signature", "Minute"):
        assert text in page, text
    assert page.index("pb-pack-cover") < page.index('{#summary}') < page.index('{#changes}') < page.index('{#approval}')
    # Every link stays inside the pack: it is a paper document.
    assert all(href.startswith("#") for href in _hrefs(page)), _hrefs(page)


def test_printed_pages_carry_the_identity(site):
    for path, header, draft in (
        (urls.policy_page("social-media"), "Social Media Policy", False),
        (urls.version_page("acceptable-use", "2"), "version 2 (draft)", True),
        (urls.comparison_page("acceptable-use", "1", "2"), "version 1 \u2192 version 2 (draft)", True),
        (urls.pack_page("acceptable-use", "1", "2"), "version 1 \u2192 version 2 (draft)", True),
    ):
        style = _print_style(site[path].markdown)
        assert _css_text(header) in style and _css_text("Printed copies are uncontrolled.") in style, path
        assert ('@top-right { content: "DRAFT"; }' in style) is draft, path


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def _print_style(markdown: str) -> str:
    start = markdown.index("@media print { @page")
    return markdown[start:markdown.index("</style>", start)]


def _css_text(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):06x} " for ch in text)


# -- the command ---------------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_pack_html_defaults_old_to_the_version_before(tmp_path):
    target = tmp_path / "pack.html"
    result = run("pack", "social-media", "5", "-p", str(SAMPLE_POLICIES), "--format", "html", "-o", str(target), "--today", "2026-12-01")
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "Version 4 → version 5" in html and "Printed" in html and "1 December 2026" in html
    assert "<!DOCTYPE html>" in html and "policybook" in html.lower()


@pytest.mark.parametrize("args, message", [
    (("nope", "2"), "no policy 'nope'"),
    (("acceptable-use", "9"), "has no version '9'"),
    (("acceptable-use", "1"), "first version"),
    (("anti-bullying", "1"), "no earlier version to compare it with"),
    (("acceptable-use", "2", "2"), "two different versions"),
    (("acceptable-use", "2", "1"), "give the older version first"),
    (("acceptable-use", "1", "2", "3"), "at most two versions"),
])
def test_refusals_are_clear_and_exit_1(tmp_path, args, message):
    done = subprocess.run([sys.executable, "-m", "policybook", "pack", *args, "-p", str(SAMPLE_POLICIES), "--format", "html",
                           "-o", str(tmp_path / "p.html")], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr and "Internal error" not in done.stderr, done.stderr
    assert not (tmp_path / "p.html").exists()


def test_an_unwritable_output_is_refused_before_any_work(tmp_path):
    targets = [tmp_path / "missing" / "pack.pdf", tmp_path]
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() != 0:  # root writes anywhere
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        targets.append(locked / "pack.pdf")
    try:
        for target in targets:
            done = subprocess.run([sys.executable, "-m", "policybook", "pack", "acceptable-use", "2", "-p", str(SAMPLE_POLICIES),
                                   "-o", str(target)], capture_output=True, text=True)
            assert done.returncode == 1 and ("cannot write" in done.stderr or "is a folder" in done.stderr), done.stderr
            assert "Traceback" not in done.stderr
    finally:
        locked.chmod(stat.S_IRWXU)
