"""The document-control records an import finds, mapped onto the version's fields (issue 17's follow-up)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from policybook.dates import DateOrder
from policybook.importer import import_document
from policybook.importer.report import review_report
from policybook.load import load_handbook
from policybook.load.yaml_source import parse_yaml
from tests.conftest import ROOT, SAMPLE_POLICIES
from tests.test_import_formats import assert_validates_in_the_sample


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


def _data(result):
    doc, problems = parse_yaml(result.yaml.encode("utf-8"), "draft.yaml")
    assert doc is not None, problems
    return doc.data


LOGGED = ("Lost Property Policy\n\nVersion history\n\nVersion\tDescription\tDate\n1\tFirst issue\tSpring 2016\n"
          "1.1\tTypos put right\n2\tNew drop-off point\t06.05.18\n3\tReturned items go to the office\tJanuary 2019\n\n"
          "1. Handing in\n\n1.1 Staff must hand in anything found on the same day.\n")


def test_version_log_rows_become_history_and_the_newest_is_the_draft(sample, tmp_path):
    path = tmp_path / "lost.txt"
    path.write_text(LOGGED, encoding="utf-8")
    result = import_document(path, dataclasses.replace(sample, date_order=None))
    data = _data(result)
    assert data["version"] == "3" and data["status"] == "draft"
    assert data["history"] == [
        {"version": "1", "description": "First issue", "date": "Spring 2016"},
        {"version": "1.1", "description": "Typos put right"},           # a row without a date
        {"version": "2", "description": "New drop-off point"},          # 06.05.18 is ambiguous: a comment says so
    ]
    assert data["changes"] == "Returned items go to the office"
    assert "the log dates it 06.05.18" in result.yaml
    assert "history:  # guessed" in result.yaml
    assert result.words_kept == result.words_in
    assert_validates_in_the_sample(tmp_path, result)
    report = review_report(result, "out.yaml")
    assert "history: 3 version-log rows (2 without a date)" in report


def test_a_handbook_that_reads_dates_day_first_maps_numbers_only_dates(sample, tmp_path):
    assert sample.date_order is DateOrder.DAY_FIRST
    path = tmp_path / "lost.txt"
    path.write_text(LOGGED, encoding="utf-8")
    result = import_document(path, sample)
    assert _data(result)["history"][2] == {"version": "2", "description": "New drop-off point", "date": "06.05.18"}
    assert "could be read two ways" not in result.yaml
    assert_validates_in_the_sample(tmp_path, result)
    assert "history: 3 version-log rows (1 without a date)" in review_report(result, "out.yaml")


def test_a_given_version_keeps_newer_log_rows_unplaced(sample, tmp_path):
    path = tmp_path / "lost.txt"
    path.write_text(LOGGED, encoding="utf-8")
    result = import_document(path, sample, version="2")
    data = _data(result)
    assert [h["version"] for h in data["history"]] == ["1", "1.1"]
    assert data["changes"] == "New drop-off point"
    log = next(u for u in result.draft.unplaced if u.kind == "version-log")
    assert log.mapped and log.left == ["Version\tDescription\tDate", "3\tReturned items go to the office\tJanuary 2019"]
    assert "version-log 'Version history': 2 of its 5 lines not mapped" in review_report(result, "out.yaml")


CONTROL = ("Homework Policy\n\nReview record\n\nStaff responsible\tDate reviewed with staff\nHeadteacher\tMarch 2023\n"
           "Committee responsible for review\tDate of review\nTeaching and Learning\tApril 2023\n"
           "Date adoption minuted by the full governing board\tDate of next review\n3rd May 2023\tSummer term 2025\n"
           "Master copy of this policy kept in the school office\n\nSignatories\n\nHeadteacher: 3 May 2023\n"
           "Chair of governors: 4 May 2023\nWitness: 5 May 2023\n\n"
           "1. Setting homework\n\n1.1 Teachers should set homework each week.\n")


def test_the_review_record_and_signatories_map_to_their_fields(sample, tmp_path):
    path = tmp_path / "homework.txt"
    path.write_text(CONTROL, encoding="utf-8")
    result = import_document(path, sample)
    data = _data(result)
    assert data["status"] == "draft"
    assert data["review"] == {"lead": "headteacher", "with_staff": "March 2023", "next": "Summer term 2025",
                              "governors": {"body": "Teaching and Learning", "date": "April 2023"}}
    assert data["approval"] == {"body": "Full governing board", "date": "3rd May 2023"}
    assert data["master_copy"] == "School office"
    assert data["signatories"] == [{"role": "headteacher", "date": "3 May 2023"},
                                   {"role": "chair-of-governors", "date": "4 May 2023"}]
    signatories = next(u for u in result.draft.unplaced if u.kind == "signatories")
    assert signatories.left == ["Witness: 5 May 2023"]     # no such role: kept, not mapped to anyone
    assert "#   Witness: 5 May 2023" in result.yaml
    assert result.words_kept == result.words_in
    assert_validates_in_the_sample(tmp_path, result)


def test_a_record_with_nothing_to_map_stays_a_comment_block(sample, tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Plain Policy\n\nDocument control\n\nKept by the office\n\n1. Rules\n\n1.1 Staff must sign in.\n",
                    encoding="utf-8")
    result = import_document(path, sample)
    record = result.draft.unplaced[0]
    assert record.kind == "document-control" and not record.mapped
    assert "could not place (document-control record" in result.yaml and "review:" not in result.yaml


def _numbering(result):
    return _data(result).get("numbering", "derived")


def test_numbering_none_source_or_derived_as_the_document_has_it(sample, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("Visits Policy\n\nSigning in\n\nVisitors must sign in at the office.\n\n"
                     "Leaving\n\nVisitors must sign out.\n", encoding="utf-8")
    result = import_document(plain, sample)
    assert _numbering(result) == "none" and "number:" not in result.yaml
    assert_validates_in_the_sample(tmp_path / "a", result)

    gapped = tmp_path / "gapped.txt"
    gapped.write_text("Visits Policy\n\n1. Signing in\n\n1.1 Visitors must sign in.\n\n1.3 Visitors must wear a badge.\n\n"
                      "4. Leaving\n\n4.1 Visitors must sign out.\n", encoding="utf-8")
    result = import_document(gapped, sample)
    data = _data(result)
    assert data["numbering"] == "source"
    assert [(s["number"], [c["number"] for c in s["clauses"]]) for s in data["sections"]] == [("1", ["1.1", "1.3"]), ("4", ["4.1"])]
    assert "# source" not in result.yaml
    assert_validates_in_the_sample(tmp_path / "b", result)

    regular = tmp_path / "regular.txt"
    regular.write_text("Visits Policy\n\n1. Signing in\n\n1.1 Visitors must sign in.\n\n2. Leaving\n\n2.1 Visitors must sign out.\n",
                       encoding="utf-8")
    result = import_document(regular, sample)
    assert _numbering(result) == "derived" and "# source 2.1" in result.yaml and "number:" not in result.yaml


def test_an_or_alternative_becomes_options_for_the_school_to_choose(sample, tmp_path):
    path = tmp_path / "phones.txt"
    path.write_text("Phones Policy\n\n1. Use\n\n1.1 Staff may carry phones on silent.\n\nOr\n\n"
                    "Staff must leave phones in the staff room:\n\n- during lessons;\n- on trips.\n\n"
                    "1.2 Staff must report a lost phone.\n", encoding="utf-8")
    result = import_document(path, sample)
    clause = _data(result)["sections"][0]["clauses"][0]
    assert "text" not in clause and "chosen" not in clause
    assert clause["options"] == [
        {"text": "Staff may carry phones on silent.", "obligation": "may"},
        {"text": "Staff must leave phones in the staff room:", "items": ["during lessons;", "on trips."], "obligation": "must"},
    ]
    assert "item_style" not in clause and clause["applies_to"] == ["all-staff"]   # an option's items are bullets
    assert "# could not place" not in result.yaml
    assert result.words_kept == result.words_in
    assert "alternatives left in from a model ('Or'): clause 1.1" in review_report(result, "out.yaml")
    project = tmp_path / "project"
    assert_validates_in_the_sample(tmp_path, result)
    loaded = load_handbook(project / "policies")
    assert any("chosen" in str(w) for w in loaded.warnings), "an unresolved alternative is a warning"


def test_a_heading_over_sub_headings_becomes_a_section_with_sections(sample, tmp_path):
    path = tmp_path / "trips.txt"
    path.write_text("Trips Policy\n\nPlanning trips\n\nDay trips\n\nThe leader must book the coach.\n\n"
                    "Residential trips\n\nThe leader must hold a parents' meeting.\n\n"
                    "Insurance\n\nThe office keeps the insurance papers.\n", encoding="utf-8")
    result = import_document(path, sample)
    data = _data(result)
    assert data["numbering"] == "none"
    assert [(s["id"], [c["title"] for c in s.get("sections", [])]) for s in data["sections"]] == [
        ("planning-trips", ["Day trips", "Residential trips"]), ("insurance", [])]
    assert "sections:  # guessed" in result.yaml and "# could not place" not in result.yaml
    assert "'Planning trips' over 'Day trips', 'Residential trips'" in review_report(result, "out.yaml")
    assert result.words_kept == result.words_in
    assert_validates_in_the_sample(tmp_path, result)


def test_the_organisation_itself_holds_its_own_commitments(sample, tmp_path):
    path = tmp_path / "monitoring.txt"
    path.write_text("Monitoring Policy\n\n1. Monitoring\n\n1.1 The School reserves the right to check use of its network.\n\n"
                    "1.2 We will keep the records for a year.\n\n1.3 Brookside Primary School may search public websites.\n\n"
                    "1.4 Elmbrook Primary School will tell parents of any breach.\n\n1.5 Staff must log off.\n\n"
                    "1.6 Anyone who finds a fault must report it.\n\n1.7 This will help the office.\n", encoding="utf-8")
    result = import_document(path, sample)
    clauses = _data(result)["sections"][0]["clauses"]
    assert [(c.get("obligation"), c.get("holder"), c.get("applies_to")) for c in clauses] == [
        ("may", "organisation", None), ("must", "organisation", None), ("may", "organisation", None),
        ("must", "organisation", None),               # the handbook's own organisation name
        ("must", None, ["all-staff"]),
        ("must", None, None),                         # no holder found: on the scope, and the report says so
        (None, None, None),                           # "will" of anything but the organisation is no duty
    ]
    report = review_report(result, "out.yaml")
    assert "holder: organisation): clause 1.1, clause 1.2, clause 1.3, clause 1.4" in report
    assert "1 duty names no holder the handbook knows, so the policy's scope holds them: clause 1.6" in report
    assert_validates_in_the_sample(tmp_path, result)


def test_into_a_policy_its_own_versions_are_not_history(sample, tmp_path):
    path = tmp_path / "social.txt"
    path.write_text("Social Media Policy\n\nVersion history\n\n0.9\tConsultation draft\tSummer 2012\n"
                    "5\tLast year's model\tAutumn 2025\n6\tNew section on AI tools\tAutumn 2026\n"
                    "99999999999\tA number too long to be a version\n\n"
                    "1. Use\n\n1.1 Staff must not post about pupils.\n", encoding="utf-8")
    result = import_document(path, sample, into=sample.policy("social-media"))
    data = _data(result)
    assert data["version"] == "6" and data["changes"] == "New section on AI tools"
    assert data["history"] == [{"version": "0.9", "description": "Consultation draft", "date": "Summer 2012"}]
    log = next(u for u in result.draft.unplaced if u.kind == "version-log")
    assert log.left == ["5\tLast year's model\tAutumn 2025", "99999999999\tA number too long to be a version"]
    project = tmp_path / "project"
    shutil.copytree(SAMPLE_POLICIES, project / "policies")
    shutil.copytree(ROOT / "schema", project / "schema")
    (project / "policies" / "social-media" / "v6.yaml").write_text(result.yaml, encoding="utf-8")
    loaded = load_handbook(project / "policies")
    assert loaded.ok, [str(p) for p in loaded.problems]


SIDE_BY_SIDE = ("Uniform Policy\n\nDocument control\n\nPolicy owner | Headteacher\nApproved by | Full Governing Board\n"
                "Date approved | 14 March 2024\nReview date | March 2025\nLast reviewed | Autumn 2023\n"
                "Master copy held | School office\n\n1. Wearing uniform\n\n1.1 Pupils should wear the school jumper.\n")


def test_label_and_value_rows_side_by_side_map_with_their_wording(sample, tmp_path):
    path = tmp_path / "uniform.txt"
    path.write_text(SIDE_BY_SIDE, encoding="utf-8")
    result = import_document(path, sample)
    data = _data(result)
    assert data["review"] == {"lead": "headteacher", "next": "March 2025"}
    assert data["approval"] == {"body": "Full Governing Board", "date": "14 March 2024"}
    assert data["master_copy"] == "School office"
    assert "# 'Review date': 'March 2025'" in result.yaml and "# 'Policy owner': 'Headteacher'" in result.yaml
    record = next(u for u in result.draft.unplaced if u.kind == "document-control")
    assert record.left == ["Last reviewed | Autumn 2023"]   # no field says when it was last reviewed: kept
    assert result.words_kept == result.words_in
    assert_validates_in_the_sample(tmp_path, result)


def test_a_signatories_table_below_the_version_log_is_never_log_rows(sample, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Administering Medicines Policy", style="Title")
    document.add_paragraph("Version history", style="Heading 1")
    for rows in ([("Version", "Date", "Changes"), ("1", "May 2022", "First issue"), ("2", "March 2024", "New forms")],
                 [("Role", "Name", "Signature", "Date"), ("Headteacher", "R. Okafor", "", "14 March 2024"),
                  ("Chair of governors", "L. Brandt", "", "15 March 2024")]):
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, cells in zip(table.rows, rows):
            for cell, text in zip(row.cells, cells):
                cell.text = text
    document.add_paragraph("Storing medicines", style="Heading 1")
    document.add_paragraph("Staff must keep medicines in a locked cupboard.")
    document.save(str(tmp_path / "medicines.docx"))
    result = import_document(tmp_path / "medicines.docx", sample)
    data = _data(result)
    assert data["version"] == "2" and data["changes"] == "New forms"
    assert data["history"] == [{"version": "1", "description": "First issue", "date": "May 2022"}]
    assert data["signatories"] == [{"role": "headteacher", "name": "R. Okafor", "date": "14 March 2024"},
                                   {"role": "chair-of-governors", "name": "L. Brandt", "date": "15 March 2024"}]
    assert result.words_kept == result.words_in
    assert_validates_in_the_sample(tmp_path, result)
