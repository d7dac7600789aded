"""The governance record: version log, dates with a precision, review record, committees, model release.

Loading each field, refusing malformed ones with a located message, showing
them on the policy page and the review schedule, and comparing them.
"""

from __future__ import annotations

import pytest

import datetime as dt
import html
import json

from click.testing import CliRunner

from policybook.cli import cli
from policybook.dates import Precision
from policybook.edition import public_edition
from policybook.load import load_handbook
from policybook.outputs.compare_formats import render_comparison
from policybook.pages import SiteOptions, build_site
from policybook.views.compare import compare_versions, comparison_data
from tests.conftest import SETTINGS, version_text

COMMITTEES = SETTINGS + """\
committees:
  - id: curriculum
    name: Curriculum and Community Committee
    description: Reviews the curriculum policies for the board.
"""

RECORD = """\
master_copy: Staffroom policies folder
signatories:
  - role: dsl
    name: Pat Example
    date: 18th January 2017
  - role: governing-board
    date: 2017-01-18
history:
  - version: "0.9"
    description: spelling corrections
  - version: "0.8"
    description: initial issue
    date: Spring 2016
"""


def governed(version="1", **changes) -> str:
    """A version whose owner is the committee, with a full review record."""
    text = version_text(version, effective=changes.pop("effective", "January 2017"), approved=changes.pop("approved", "18th January 2017"))
    text = text.replace("owner: governing-board\n", "owner: curriculum\n")
    text = text.replace("  next: 2030-01-01\n", f"""\
  next: {changes.pop("next", "January 2018")}
  with_staff: November 2016
  governors:
    committee: curriculum
    date: January 2017
""")
    text = text.replace("approval:\n  body: Governing board\n", f"approval:\n  body: Governing board\n  minute: {changes.pop('minute', 'FGB 17/3')}\n")
    return text + RECORD


def load(handbook_dir, files, settings=COMMITTEES):
    return load_handbook(handbook_dir(files, settings=settings))


def messages(result) -> list[str]:
    return [f"{p.path}:{p.line}:{p.column}: {p.message}" for p in result.problems]


# -- loading --------------------------------------------------------------------------------------


def test_the_review_record_loads(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": governed()})
    assert result.ok, messages(result)
    handbook = result.handbook
    version = handbook.policy("demo").current
    assert handbook.committee("curriculum").name == "Curriculum and Community Committee"
    assert handbook.body_name(version.owner) == "Curriculum and Community Committee"
    assert (version.effective.precision, version.effective.end) == (Precision.MONTH, dt.date(2017, 1, 31))
    assert version.approval.date.start == dt.date(2017, 1, 18) and version.approval.minute == "FGB 17/3"
    assert version.review.with_staff.label == "November 2016"
    assert (version.review.governors.committee, version.review.governors.date.label) == ("curriculum", "January 2017")
    assert version.master_copy == "Staffroom policies folder"
    assert [(s.role, s.name, s.date.label) for s in version.signatories] == [
        ("dsl", "Pat Example", "18 January 2017"), ("governing-board", None, "18 January 2017")]
    # The log is kept oldest first; a row may have no date.
    assert [(row.version, row.date.label if row.date else None) for row in handbook.policy("demo").log] == [
        ("0.8", "Spring term 2016"), ("0.9", None)]


def test_yaml_dates_and_a_bare_year_load(handbook_dir):
    text = version_text().replace("  next: 2030-01-01\n", "  next: 2030\n")
    result = load(handbook_dir, {"demo/v1.yaml": text})
    assert result.ok, messages(result)
    version = result.handbook.policy("demo").current
    assert version.effective.exact and version.effective.start == dt.date(2024, 9, 1)
    assert (version.review.next.precision, version.review.next.end) == (Precision.YEAR, dt.date(2030, 12, 31))


def test_a_model_release_is_kept_apart_from_the_adoption(handbook_dir):
    text = version_text() + 'based_on:\n  publisher: County council\n  version: "4"\n  released: Autumn term 2015\n'
    result = load(handbook_dir, {"demo/v1.yaml": text})
    assert result.ok, messages(result)
    version = result.handbook.policy("demo").current
    assert (version.based_on.version, version.based_on.released.label) == ("4", "Autumn term 2015")
    assert version.approval.date.start == dt.date(2024, 7, 1)


def test_logs_of_several_files_are_merged_newest_first_wins(handbook_dir):
    old = version_text("1", status="superseded") + 'history:\n  - version: "0.5"\n    description: first wording\n'
    new = version_text("2", effective="2025-09-01", approved="2025-07-01") + (
        'history:\n  - version: "0.5"\n    description: corrected wording\n  - version: "1.5"\n    description: interim\n')
    result = load(handbook_dir, {"demo/v1.yaml": old, "demo/v2.yaml": new})
    assert result.ok, messages(result)
    assert [(row.version, row.description) for row in result.handbook.policy("demo").log] == [
        ("0.5", "corrected wording"), ("1.5", "interim")]


def test_handbooks_without_the_new_fields_load_as_before(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": version_text()}, settings=SETTINGS)
    assert result.ok, messages(result)
    assert result.handbook.committees == () and result.handbook.policy("demo").log == ()


def problem_messages(handbook_dir, text, settings=COMMITTEES) -> list[str]:
    result = load(handbook_dir, {"demo/v1.yaml": text}, settings)
    assert not result.ok
    return messages(result)


def test_unknown_committee_is_located_and_suggested(handbook_dir):
    text = governed().replace("    committee: curriculum\n", "    committee: curriculm\n")
    (message,) = problem_messages(handbook_dir, text)
    assert ":17:16: unknown committee 'curriculm'; did you mean 'curriculum'?" in message


def test_an_owner_that_is_neither_role_nor_committee(handbook_dir):
    (message,) = problem_messages(handbook_dir, governed().replace("owner: curriculum", "owner: nobody"))
    assert "unknown role 'nobody'" in message


def test_a_committee_may_not_take_a_role_id(handbook_dir):
    settings = COMMITTEES.replace("  - id: curriculum\n", "  - id: dsl\n")
    result = load(handbook_dir, {"demo/v1.yaml": version_text()}, settings)
    assert any("committee id 'dsl' is also the id of a role" in m for m in messages(result))


def test_approval_needs_a_body_or_a_committee_not_both(handbook_dir):
    (message,) = problem_messages(handbook_dir, governed().replace("  body: Governing board\n", ""))
    assert "approval needs 'body' (who, in words) or 'committee'" in message
    both = governed().replace("  body: Governing board\n", "  body: Governing board\n  committee: curriculum\n")
    (message,) = problem_messages(handbook_dir, both)
    assert "approval gives both body and committee" in message


def test_a_logged_version_must_be_older_and_have_no_file(handbook_dir):
    text = governed().replace('  - version: "0.9"\n', '  - version: "3"\n')
    (message,) = problem_messages(handbook_dir, text)
    assert 'history lists version "3", which is not older than this version "1"' in message
    old = version_text("1", status="superseded")
    new = version_text("2", effective="2025-09-01", approved="2025-07-01") + 'history:\n  - version: "1"\n    description: x\n'
    result = load(handbook_dir, {"demo/v1.yaml": old, "demo/v2.yaml": new})
    assert any('history lists version "1", which has its own file' in m for m in messages(result))


def test_numbers_only_dates_are_refused_with_both_readings(handbook_dir):
    text = governed().replace("    date: 18th January 2017\n", "    date: 06.05.18\n")
    (message,) = problem_messages(handbook_dir, text)
    assert "signatories[1].date: '06.05.18' could be 6 May 2018 or 5 June 2018" in message
    assert "write it as 2018-05-06 or '6 May 2018'" in message


def test_the_handbooks_date_order_reads_numbers_only_dates(handbook_dir, tmp_path):
    text = governed(approved="10.01.17").replace("    date: 18th January 2017\n", "    date: 06.05.18\n")
    assert "06.05.18" in text and "10.01.17" in text
    assert not load(handbook_dir, {"demo/v1.yaml": text}).ok
    result = load(handbook_dir, {"demo/v1.yaml": text}, settings=COMMITTEES + "date_order: day-first\n")
    assert result.ok, messages(result)
    version = result.handbook.policy("demo").current
    assert version.signatories[0].date.start == dt.date(2018, 5, 6) and version.signatories[0].date.written == "06.05.18"
    assert version.approval.date.start == dt.date(2017, 1, 10)
    # Read month first, the approval (1 October 2017) comes after the version took effect (January 2017).
    (message,) = [m for m in messages(load(handbook_dir, {"demo/v1.yaml": text}, settings=COMMITTEES + "date_order: month-first\n"))]
    assert "approved on 10.01.17 but effective from January 2017" in message


def test_date_order_takes_only_its_two_values(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": governed()}, settings=COMMITTEES + "date_order: dmy\n")
    assert any("date_order" in m and "day-first" in m for m in messages(result)), messages(result)


def test_approximate_dates_are_checked_only_where_they_surely_conflict(handbook_dir):
    # Approved 18 January, in force from "January 2017": both may hold.
    assert load(handbook_dir, {"demo/v1.yaml": governed()}).ok
    (message,) = problem_messages(handbook_dir, governed(effective="2016"))
    assert "approved on 18th January 2017 but effective from 2016" in message
    assert load(handbook_dir, {"demo/v1.yaml": governed(next="January 2017")}).ok
    (message,) = problem_messages(handbook_dir, governed(next="2016"))
    assert "next review 2016 is not after the effective date January 2017" in message


# -- pages ----------------------------------------------------------------------------------------


def site_pages(handbook, today=dt.date(2017, 12, 1)) -> dict[str, str]:
    return {page.path: page.body.markdown for page in build_site(handbook, SiteOptions(today=today)).pages}


def test_policy_page_shows_the_review_record_and_the_log(handbook_dir):
    handbook = load(handbook_dir, {"demo/v1.yaml": governed()}).handbook
    page = html.unescape(site_pages(handbook)["policies/demo.md"])
    assert "<dt>Owner</dt><dd>Curriculum and Community Committee</dd>" in page  # no link: no checklist page
    assert "next by January 2018 (due by the end of the month: 31 January 2018)" in page
    assert "<dt>Reviewed with staff</dt><dd>November 2016</dd>" in page
    assert "<dt>Governors' review</dt><dd>by Curriculum and Community Committee, January 2017</dd>" in page
    assert "<dt>Signed by</dt><dd>Designated safeguarding lead (Pat Example), 18 January 2017; Governing board, 18 January 2017</dd>" in page
    assert "<dt>Master copy</dt><dd>Staffroom policies folder</dd>" in page
    rows = page.split('id="version-history"')[1] if 'id="version-history"' in page else page.split("Version history")[1]
    assert rows.index(">1</a>") < rows.index('<td data-label="Version">0.9</td><td data-label="Status">text not held</td><td data-label="Effective">no date given</td><td data-label="What changed">spelling corrections</td>')
    assert rows.index('<td data-label="Version">0.9</td>') < rows.index('<td data-label="Version">0.8</td><td data-label="Status">text not held</td><td data-label="Effective">Spring term 2016</td><td data-label="What changed">initial issue</td>')


def test_committees_get_no_checklist_page(handbook_dir):
    handbook = load(handbook_dir, {"demo/v1.yaml": governed()}).handbook
    assert not any("curriculum" in path for path in site_pages(handbook))


def test_the_organisations_master_copy_is_the_default(handbook_dir):
    settings = COMMITTEES.replace("  name: Testing School\n", "  name: Testing School\n  master_copy: School office\n")
    handbook = load(handbook_dir, {"demo/v1.yaml": version_text()}, settings).handbook
    assert "<dt>Master copy</dt><dd>School office</dd>" in site_pages(handbook)["policies/demo.md"]


def test_the_public_edition_leaves_out_the_policys_master_copy(handbook_dir):
    handbook = load(handbook_dir, {"demo/v1.yaml": governed()}).handbook
    assert public_edition(handbook).policies == () or public_edition(handbook).policies[0].current.master_copy is None
    text = governed().replace("status: adopted\n", "status: adopted\nvisibility: public\n")
    handbook = load(handbook_dir, {"demo/v1.yaml": text}).handbook
    version = public_edition(handbook).policies[0].current
    assert version.master_copy is None and version.signatories  # signatures are public record


def test_review_schedule_says_when_a_month_falls_due(handbook_dir):
    handbook = load(handbook_dir, {"demo/v1.yaml": governed()}).handbook
    page = site_pages(handbook, today=dt.date(2018, 1, 20))["review.md"]
    assert "January 2018: due by its end, 31 January 2018 (in 11 days)" in page
    assert '<td data-label="Owner">Curriculum and Community Committee</td>' in page
    overdue = site_pages(handbook, today=dt.date(2018, 2, 1))["review.md"]
    assert "(1 day overdue)" in overdue


def test_review_command_shows_the_period_and_its_due_day(handbook_dir):
    policies = handbook_dir({"demo/v1.yaml": governed()}, settings=COMMITTEES)
    result = CliRunner().invoke(cli, ["review", "-p", str(policies), "--today", "2018-01-20"])
    assert result.exit_code == 0, result.output
    assert "by January 2018 (due 2018-01-31) (in 11 days); owner Curriculum and Community Committee" in result.output


# -- comparisons ----------------------------------------------------------------------------------


def compared(handbook_dir, new_text):
    old = governed("1").replace("status: adopted", "status: superseded")
    handbook = load(handbook_dir, {"demo/v1.yaml": old, "demo/v2.yaml": new_text}).handbook
    assert handbook is not None
    policy = handbook.policy("demo")
    return handbook, compare_versions(policy.versions[0], policy.versions[1], handbook=handbook)


def test_governance_changes_are_compared(handbook_dir):
    new = governed("2", effective="2018-02-01", approved="2018-01-20", next="Spring 2019", minute="FGB 18/1")
    new = new.replace("    name: Pat Example\n", "    name: Sam Example\n").replace("Staffroom policies folder", "School office")
    new = new.replace('  - version: "0.9"\n    description: spelling corrections\n',
                      '  - version: "0.9"\n    description: spelling corrections\n  - version: "1.1"\n    description: formatting\n    date: 2017-06-01\n')
    new = new.replace("  governors:\n    committee: curriculum\n    date: January 2017\n", "  governors:\n    body: Full board\n    date: January 2018\n")
    new += 'based_on:\n  publisher: County council\n  version: "5"\n  released: 2017\n'
    handbook, comparison = compared(handbook_dir, new)
    fields = {change.key: (change.old, change.new) for change in comparison.fields}
    assert fields["effective"] == ("January 2017", "1 February 2018")
    assert fields["approval.date"] == ("18 January 2017", "20 January 2018")
    assert fields["approval.minute"] == ("FGB 17/3", "FGB 18/1")
    assert fields["review.next"] == ("January 2018", "Spring term 2019")
    assert fields["review.governors.committee"] == ("curriculum", None)
    assert fields["review.governors.body"] == (None, "Full board")
    assert fields["review.governors.date"] == ("January 2017", "January 2018")
    assert fields["master_copy"] == ("Staffroom policies folder", "School office")
    assert fields["signatories"][1][0] == "dsl (Sam Example) 18 January 2017"
    assert "1.1: formatting (1 June 2017)" in fields["history"][1] and "1.1: formatting (1 June 2017)" not in fields["history"][0]
    assert fields["based_on.version"] == (None, "5") and fields["based_on.released"] == (None, "2017")
    assert "review.with_staff" not in fields and "owner" not in fields  # unchanged
    data = comparison_data(comparison)
    assert {"field": "based_on.released", "label": "Model policy released", "old": None, "new": "2017"} in data["fields"]
    json.dumps(data)  # plain data throughout
    for fmt in ("text", "markdown", "html"):
        shown = html.unescape(render_comparison(comparison, handbook, fmt))
        for text in ("Spring term 2019", "FGB 18/1", "Sam Example", "1.1: formatting", "Model policy released", "Full board"):
            assert text in shown, (fmt, text)


def test_the_same_day_written_two_ways_is_no_change(handbook_dir):
    new = governed("2", approved="2017-01-18").replace("    date: 18th January 2017\n", "    date: 18 January 2017\n")
    _, comparison = compared(handbook_dir, new)
    assert not any(change.key in ("approval.date", "signatories") for change in comparison.fields)


def test_a_logged_version_has_no_comparison_and_real_versions_still_compare(handbook_dir):
    old = governed("1").replace("status: adopted", "status: superseded")
    new = governed("2", effective="2018-02-01", approved="2018-01-20", next="2019-02-01")
    pages = site_pages(load(handbook_dir, {"demo/v1.yaml": old, "demo/v2.yaml": new}).handbook)
    assert "policies/demo/compare-v1-v2.md" in pages
    assert not any("0.9" in path or "0.8" in path for path in pages)


@pytest.mark.parametrize("command", ["diff", "pack"])
def test_diff_or_pack_of_a_logged_version_says_its_text_is_not_held(handbook_dir, command, tmp_path):
    policies = handbook_dir({"demo/v1.yaml": governed()}, settings=COMMITTEES)
    output = ["-o", str(tmp_path / "pack.html"), "--format", "html"] if command == "pack" else []
    result = CliRunner().invoke(cli, [command, "demo", "0.9", "1", "-p", str(policies), *output])
    assert result.exit_code == 1
    assert "has no version '0.9'; it is in the version log only: its text is not held" in result.output


def test_an_approximate_date_reads_in_not_on(handbook_dir):
    text = version_text(effective="Autumn term 2024", approved="July 2024")
    handbook = load(handbook_dir, {"demo/v1.yaml": text}).handbook
    page = site_pages(handbook)["policies/demo.md"]
    assert "<dd>by Governing board in July 2024</dd>" in page and "<dd>Autumn term 2024</dd>" in page


# -- the amendment record -------------------------------------------------------------------------

AMENDMENTS = """\
amendments:
  - date: 2017-03-02
    description: new phone number for the safeguarding lead
    by: PE (headteacher)
    clause: report-concerns
  - date: May 2017
    description: room of the visitors' book
    page: 4
"""


def test_the_amendment_record_loads_and_names_its_clause(handbook_dir):
    result = load(handbook_dir, {"demo/v1.yaml": governed() + AMENDMENTS})
    assert result.ok, messages(result)
    first, second = result.handbook.policy("demo").current.amendments
    assert (first.date.start, first.by, first.clause, first.page) == (dt.date(2017, 3, 2), "PE (headteacher)", "report-concerns", None)
    assert (second.date.precision, second.clause, second.page) == (Precision.MONTH, None, "page 4")


def test_an_amendment_of_a_clause_the_version_has_not_is_refused(handbook_dir):
    text = governed() + AMENDMENTS.replace("clause: report-concerns", "clause: report-concern")
    (message,) = problem_messages(handbook_dir, text)
    assert "amendments[1]: unknown clause 'report-concern'; did you mean 'report-concerns'? (an amendment names a clause" in message
    (message,) = problem_messages(handbook_dir, governed() + AMENDMENTS.replace("date: May 2017", "date: 2017-13-01"))
    assert "amendments[2].date: '2017-13-01' is not a real date" in message


def test_a_clause_id_is_free_until_the_version_has_an_amendment_record(handbook_dir):
    text = governed().replace("id: keep-records", "id: amendment-record")
    assert load(handbook_dir, {"demo/v1.yaml": text}).ok
    (message,) = problem_messages(handbook_dir, text + AMENDMENTS)
    assert "clause id 'amendment-record' is taken by the policy page's own heading" in message


def test_the_policy_page_and_the_export_show_the_amendment_record(handbook_dir, tmp_path):
    handbook = load(handbook_dir, {"demo/v1.yaml": governed() + AMENDMENTS}).handbook
    page = html.unescape(site_pages(handbook)["policies/demo.md"])
    assert "Amendment record" in page and "{#amendment-record}" in page
    assert ('<td data-label="Date">2 March 2017</td><td data-label="What changed">new phone number for the safeguarding lead</td>'
            '<td data-label="By">PE (headteacher)</td><td data-label="Where"><a href="#report-concerns">1.1</a></td>') in page
    assert '<td data-label="Date">May 2017</td>' in page and '<td data-label="Where">page 4</td>' in page
    assert "Amendment record" not in site_pages(load(handbook_dir, {"demo/v1.yaml": governed()}).handbook)["policies/demo.md"]
    root = handbook_dir({"demo/v1.yaml": governed() + AMENDMENTS}, settings=COMMITTEES)
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["export", str(out), "-p", str(root), "--today", "2017-12-01"])
    assert result.exit_code == 0, result.output
    assert "new phone number for the safeguarding lead" in (out / "policies" / "demo.md").read_text(encoding="utf-8")


def test_amendments_are_compared_as_part_of_the_governance_record(handbook_dir):
    new = governed("2", effective="2018-02-01", approved="2018-01-20", next="2019-02-01") + AMENDMENTS
    handbook, comparison = compared(handbook_dir, new)
    (change,) = [c for c in comparison.fields if c.key == "amendments"]
    assert change.label == "Amendment record" and change.old == ()
    assert change.new == ("2 March 2017: new phone number for the safeguarding lead (PE (headteacher)) (report-concerns)",
                          "May 2017: room of the visitors' book (page 4)")
    assert any(f["field"] == "amendments" for f in comparison_data(comparison)["fields"])
    for fmt in ("text", "markdown", "html"):
        assert "room of the visitors" in html.unescape(render_comparison(comparison, handbook, fmt)), fmt


def test_the_public_edition_leaves_out_amendments_to_staff_only_clauses(handbook_dir):
    text = (governed() + AMENDMENTS).replace("      - id: report-concerns\n", "      - id: report-concerns\n        visibility: staff\n")
    text = text.replace("status: adopted", "status: adopted\nvisibility: public")
    handbook = load(handbook_dir, {"demo/v1.yaml": text}).handbook
    (kept,) = public_edition(handbook).policy("demo").current.amendments
    assert kept.page == "page 4"
    assert len(handbook.policy("demo").current.amendments) == 2

