"""policybook import keeps a document's structure as the richer model holds it: sub-sections from Word's heading
levels, from numbered sub-headings ("3.2 Reporting" over "3.2.1 ...") and from Markdown's heading levels."""

from __future__ import annotations

import pytest
import yaml

from benchmarks.word_fixture import write_policy_docx
from policybook.importer import import_document
from policybook.importer.draft import written
from policybook.load import load_handbook
from tests.conftest import SAMPLE_POLICIES
from tests.test_import_formats import assert_validates_in_the_sample


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


def outline(version):
    return [(depth, s.title, s.number, [(c.number, " ".join(c.text.split())) for c in s.clauses]) for s, depth in version.walk()]


def test_word_heading_levels_are_sub_sections(sample, tmp_path):
    policy = next(p for p in sample.policies if p.id == "acceptable-use")
    version = next(v for v in policy.versions if any(s.sections for s in v.sections))
    result = import_document(write_policy_docx(version, tmp_path / "aup.docx"), sample, into=policy, version="9")
    assert [(depth, s.title) for s, depth in written(result.draft)] == [(depth, s.title) for s, depth in version.walk()]
    assert any(depth == 1 for _, depth in written(result.draft))
    assert outline(assert_validates_in_the_sample(tmp_path, result)) == outline(version)


TEXT = """Lettings Policy

1. Booking

1.1 Hirers must book at least two weeks ahead.

2. Using the hall

2.1 Keys

2.1.1 The site manager must give out the keys on the day.

2.1.2 Hirers must return the keys by ten o'clock.

2.2 Safety

2.2.1 Hirers must keep the fire exits clear.

3. Charges

3.1 Charges are set each year by the governing board.
"""


def test_numbered_sub_headings_are_sub_sections(sample, tmp_path):
    path = tmp_path / "lettings.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = import_document(path, sample)
    assert [(depth, s.title, [c.number for c in s.clauses]) for s, depth in written(result.draft)] == [
        (0, "Booking", ["1.1"]), (0, "Using the hall", []), (1, "Keys", ["2.1.1", "2.1.2"]), (1, "Safety", ["2.2.1"]),
        (0, "Charges", ["3.1"])]
    data = yaml.safe_load(result.yaml)
    assert "numbering" not in data, "the document's numbers are those the nesting derives"
    hall = data["sections"][1]
    assert "clauses" not in hall and [s["title"] for s in hall["sections"]] == ["Keys", "Safety"]
    version = assert_validates_in_the_sample(tmp_path, result)
    assert [(s.number, [c.number for c in s.clauses]) for s, _ in version.walk()] == [
        ("1", ["1.1"]), ("2", []), ("2.1", ["2.1.1", "2.1.2"]), ("2.2", ["2.2.1"]), ("3", ["3.1"])]


def test_a_short_numbered_clause_with_nothing_under_it_stays_a_clause(sample, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Lettings Policy\n\n1. Booking\n\n1.1 Book early\n\n1.2 Hirers must pay a deposit.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert [(s.title, [c.text for c in s.clauses]) for s in result.draft.sections] == [
        ("Booking", ["Book early", "Hirers must pay a deposit."])]


def test_markdown_heading_levels_are_sub_sections(sample, tmp_path):
    path = tmp_path / "clubs.md"
    path.write_text("# After-school Clubs Policy\n\n## Running a club\n\nClub leaders must take a register.\n\n"
                    "### Collection\n\nClub leaders must hand each child to a known adult.\n\n"
                    "## Paying\n\nParents pay each half term.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert [(depth, s.title) for s, depth in written(result.draft)] == [(0, "Running a club"), (1, "Collection"), (0, "Paying")]
    version = assert_validates_in_the_sample(tmp_path, result)
    assert [(s.title, depth) for s, depth in version.walk()] == [("Running a club", 0), ("Collection", 1), ("Paying", 0)]


NESTED = """Uniform Policy

1. Clothing

1.1 Pupils wear:
- a school jumper, in one of:
    - navy;
    - grey;
- black shoes.
"""


def test_nested_list_items_stay_a_list_inside_the_item_above(sample, tmp_path):
    path = tmp_path / "uniform.txt"
    path.write_text(NESTED, encoding="utf-8")
    result = import_document(path, sample)
    clause = result.draft.clauses[0]
    assert clause.items == ["a school jumper, in one of:\n\n- navy;\n- grey;", "black shoes."]
    assert result.words_kept == result.words_in
    version = assert_validates_in_the_sample(tmp_path, result)
    import jinja2

    from policybook.render import Renderer

    loader = jinja2.ChoiceLoader([jinja2.DictLoader({"t.html.j2": '{% from "_macros.html.j2" import items %}{{ items(clause) }}'}),
                                  jinja2.PackageLoader("policybook.render", "templates")])
    html = Renderer(loader=loader).render("t.html.j2", "p.md", clause=version.clauses[0])
    assert "<ul>\n<li>navy;</li>\n<li>grey;</li>\n</ul>" in html, html
    assert html.count("<li>") == 4


def test_word_nested_list_levels_stay_nested(sample, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Uniform Policy", style="Title")
    document.add_paragraph("Clothing", style="Heading 1")
    document.add_paragraph("Pupils wear:")
    document.add_paragraph("a school jumper, in one of:", style="List Bullet")
    document.add_paragraph("navy;", style="List Bullet 2")
    document.add_paragraph("grey;", style="List Bullet 2")
    document.add_paragraph("black shoes.", style="List Bullet")
    document.save(str(tmp_path / "uniform.docx"))
    result = import_document(tmp_path / "uniform.docx", sample)
    assert result.draft.clauses[0].items == ["a school jumper, in one of:\n\n- navy;\n- grey;", "black shoes."]


def test_a_clause_with_duties_of_two_strengths_is_split_in_two(sample, tmp_path):
    path = tmp_path / "photos.txt"
    path.write_text("Photographs Policy\n\n1. Taking photographs\n\n1.1 Staff must not take photographs of pupils on "
                    "their own phones. They should send a parent who asks for a photograph to the office. "
                    "The office keeps the consent list.\n\n1.2 Staff may use the school cameras.\n", encoding="utf-8")
    result = import_document(path, sample)
    first, rest, other = result.draft.clauses
    assert (first.number, first.text, first.obligation) == ("1.1", "Staff must not take photographs of pupils on their own phones.", "must-not")
    assert (rest.number, rest.continues, rest.obligation) == (None, True, "should")
    assert rest.text == "They should send a parent who asks for a photograph to the office. The office keeps the consent list."
    assert rest.applies_to == ["all-staff"], "'they' are the staff the part before names"
    assert (other.number, other.obligation) == ("1.2", "may")
    assert result.words_kept == result.words_in
    data = yaml.safe_load(result.yaml)
    assert data["numbering"] == "source", "the rest of 1.1 has no number of its own, so derived numbers would shift"
    version = assert_validates_in_the_sample(tmp_path, result)
    assert [(c.number, c.obligation.value) for c in version.clauses] == [("1.1", "must-not"), ("", "should"), ("1.2", "may")]


def test_a_clause_of_one_strength_is_not_split(sample, tmp_path):
    path = tmp_path / "photos.txt"
    path.write_text("Photographs Policy\n\n1. Taking photographs\n\n1.1 Staff must ask first. Staff must not use "
                    "their own phones. This keeps pupils safe.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert [c.text for c in result.draft.clauses] == [
        "Staff must ask first. Staff must not use their own phones. This keeps pupils safe."], "must and must-not are one strength"


def test_the_report_names_the_split_clauses(sample, tmp_path):
    import click

    from policybook.importer.report import review_report

    path = tmp_path / "photos.txt"
    path.write_text("Photographs Policy\n\n1. Taking photographs\n\n1.1 Staff must not post photographs. "
                    "They may share them with parents through the school app.\n", encoding="utf-8")
    report = click.unstyle(review_report(import_document(path, sample), "out.yaml"))
    assert "clauses split for their duties of different strengths (one obligation a clause): clause 1.1" in report


@pytest.mark.parametrize("organisation", ["Ashgrove Primary School", "Northshire County Council"])
def test_the_line_naming_the_policy_is_the_title_not_the_organisation_above_it(sample, tmp_path, organisation):
    path = tmp_path / "medicines.txt"
    path.write_text(f"{organisation}\n\nAdministering Medicines Policy\n\n1. Storing medicines\n\n"
                    "1.1 Staff must keep medicines in a locked cupboard.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert result.draft.title == "Administering Medicines Policy" and not result.draft.title_guessed
    assert "policy: administering-medicines-policy" in result.yaml
    kept = next(u for u in result.draft.unplaced if u.kind == "organisation")
    assert kept.lines == [organisation]                     # the organisation's name is kept, not dropped
    assert f"#   {organisation}" in result.yaml
    assert not any(u.kind == "nested-heading" for u in result.draft.unplaced)
    assert result.words_kept == result.words_in


def test_plain_text_definitions_with_quoted_terms_and_a_heading_after_them(sample, tmp_path):
    path = tmp_path / "medicines.txt"
    path.write_text("Administering Medicines Policy\n\nDefinitions\n\n"
                    "'Medication' means any medicine brought into school for a pupil.\n"
                    "Prescribed medicine: a medicine a doctor or nurse has prescribed for the pupil.\n"
                    "In this policy, 'parent' includes anyone with parental responsibility for the pupil.\n\n"
                    "Storing medicines\n\nStaff must keep medicines in a locked cupboard.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert [term for term, _, _ in result.draft.definitions] == ["Medication", "Prescribed medicine", "parent"]
    # The heading after the definitions is a section, not a term whose meaning is the paragraph below it.
    assert [s.title for s in result.draft.sections] == ["Definitions", "Storing medicines"]
    assert result.words_kept == result.words_in
    assert_validates_in_the_sample(tmp_path, result)
