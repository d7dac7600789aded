"""policybook import for text, Markdown and HTML, and document text that attacks the YAML or the terminal."""

from __future__ import annotations

import re
import shutil

import click
import pytest

from policybook.importer import import_document
from policybook.importer.report import review_report
from policybook.load import load_handbook
from policybook.load.yaml_source import parse_yaml
from tests import hostile
from tests.conftest import ROOT, SAMPLE_POLICIES


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


def assert_validates_in_the_sample(tmp_path, result, folder="project"):
    """The draft, as policies/<its id>/v<version>.yaml of a copy of the sample handbook, validates with it.

    Returns the draft's version as the loader builds it.
    """
    project = tmp_path / folder
    shutil.copytree(SAMPLE_POLICIES, project / "policies")
    shutil.copytree(ROOT / "schema", project / "schema")
    (project / "policies" / result.meta.policy).mkdir(exist_ok=True)  # exists for a version imported --into
    (project / "policies" / result.meta.policy / f"v{result.meta.version}.yaml").write_text(result.yaml, encoding="utf-8")
    loaded = load_handbook(project / "policies")
    assert loaded.ok, [str(p) for p in loaded.problems]
    return next(p for p in loaded.handbook.policies if p.id == result.meta.policy).version(result.meta.version)


def sections(result):
    return [(s.title, [(c.text, c.items, c.item_style, c.obligation) for c in s.clauses]) for s in result.draft.sections]


def test_markdown_headings_lists_and_bold(sample, tmp_path):
    path = tmp_path / "trips.md"
    path.write_text("# School trips policy\n\n## Planning\n\nThe trip leader must complete a risk assessment:\n\n"
                    "- before booking;\n- and again a week before.\n\n**Photographs**\n\nStaff should not post photos.\n",
                    encoding="utf-8")
    result = import_document(path, sample)
    assert result.draft.title == "School trips policy"
    assert sections(result) == [
        ("Planning", [("The trip leader must complete a risk assessment:", ["before booking;", "and again a week before."],
                       "bullet", "must")]),
        ("Photographs", [("Staff should not post photos.", [], None, "should-not")]),
    ]


def test_html_list_types_tables_and_tags(sample, tmp_path):
    path = tmp_path / "visitors.html"
    path.write_text(
        "<html><head><title>x</title><style>p{}</style></head><body><h1>Visitors policy</h1>"
        "<table><tr><th>Version</th><th>Date</th><th>Changes</th></tr><tr><td>2</td><td>May 2024</td><td>New sign-in</td></tr></table>"
        "<h2>Signing in</h2><p><b>Visitors must:</b></p><ol type=\"a\"><li>sign in;</li><li>wear a badge.</li></ol>"
        "<p>The office <b>may</b> refuse entry, and then:</p><ol type=\"i\"><li>records why;</li><li>tells the head.</li></ol>"
        "<p>Steps to follow when the alarm sounds:</p><ol><li>Leave by the nearest exit.</li><li>Go to the field.</li></ol>"
        "</body></html>", encoding="utf-8")
    result = import_document(path, sample)
    assert result.draft.title == "Visitors policy"
    styles = [c.item_style for c in result.draft.clauses]
    assert styles == ["lettered", "roman", "steps"]
    assert [u.kind for u in result.draft.unplaced] == ["version-log"]
    assert result.draft.unplaced[0].lines == ["Version | Date | Changes", "2 | May 2024 | New sign-in"]


def test_extraction_noise_is_dropped_and_listed(sample, tmp_path):
    path = tmp_path / "noise.txt"
    path.write_text("Lunchtime Policy\n\nMarch | 4\n\nContents\nSupervision\t2\nFood\t3\n\n1. Supervision\n\n"
                    "1.1** Staff on duty <b>must</b> stay on the school - field side.\n\n**\n\n2. Food\n\n"
                    "2.1 Pupils may bring a packed lunch. This\n\ncontinues after a page break.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert [(d.text, d.reason) for d in result.dropped] == [
        ("March | 4", "page header or footer"), ("Contents", "table of contents"), ("Supervision\t2", "table of contents"),
        ("Food\t3", "table of contents"), ("**", "stray marks")]
    texts = [c.text for c in result.draft.clauses]
    assert texts == ["Staff on duty must stay on the school-field side.",
                     "Pupils may bring a packed lunch. This continues after a page break."]
    fixes = " ".join(fix for _, fix in result.fixes)
    assert "stray '**'" in fixes and "HTML tags" in fixes and "school - field" in fixes and "split at line" in fixes
    assert result.words_kept == result.words_in


def test_an_alternative_and_a_placeholder_are_kept_and_reported(sample, tmp_path):
    path = tmp_path / "alt.txt"
    path.write_text("Phones Policy\n\n1. Use\n\n1.1 Staff may use phones in the staff room.\n\nOr\n\n"
                    "Phones are not permitted anywhere on site.\n\n1.2 Report a lost phone to [Office Manager].\n",
                    encoding="utf-8")
    result = import_document(path, sample)
    assert [c.text for c in result.draft.clauses] == ["Staff may use phones in the staff room.",
                                                        "Report a lost phone to [Office Manager]."]
    alternative = result.draft.unplaced[0]
    assert alternative.kind == "alternative" and alternative.after_clause is result.draft.clauses[0]
    assert [o.text for o in result.draft.clauses[0].options] == ["Phones are not permitted anywhere on site."]
    assert '  - text: "Phones are not permitted anywhere on site."' in result.yaml
    assert "placeholder to fill in: [Office Manager]" in result.yaml
    report = review_report(result, "out.yaml")
    assert "alternative" in report and "placeholders to fill in: '[Office Manager]'" in report


def test_document_text_cannot_break_the_yaml_or_drive_the_terminal(sample, tmp_path):
    attacks = [*hostile.PAYLOADS[:12], *hostile.TERMINAL, hostile.BIDI, "\"\n- id: injected", "key: value # comment",
               "*alias &anchor !!python/object:os.system", "'; DROP TABLE", "--- ...", "{{ jinja }} {% raw %}"]
    lines = ["Hostile Policy \x1b[8m", "", "1. Rules \u202e", ""]
    for n, attack in enumerate(attacks, start=1):
        lines += [f"1.{n} Staff must read this: {attack}", ""]
    lines += ["Or", "", "An alternative \x1b]0;owned\x07 here.", "", "Signatories", "Head\t\x1b[2J"]
    path = tmp_path / "hostile.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = import_document(path, sample, policy_id="hostile")
    doc, problems = parse_yaml(result.yaml.encode("utf-8"), "hostile.yaml")
    assert doc is not None and not problems
    clauses = [c for s in doc.data["sections"] for c in s["clauses"]]
    assert len(clauses) == len(attacks), "no text became a clause, key or document of its own"
    assert all(c.get("text", c.get("options", [{}])[0].get("text")).startswith("Staff must read this:") for c in clauses)
    assert clauses[-1]["options"][1]["text"] == "An alternative ]0;owned here."   # the "Or": an option, controls removed
    for line in result.yaml.splitlines():
        assert re.match(r"^(#|\s*#|\s*- |\s*[a-z_]+:)", line), line
    report = click.unstyle(review_report(result, "out.yaml"))  # the report's own bold is the only escape code
    assert not re.search("[\x1b\x07\u202a-\u202e\u2066-\u2069]", report)
    assert "removed control characters" in report
    assert_validates_in_the_sample(tmp_path, result)


def test_a_paragraph_too_long_for_one_clause_and_a_hostile_file_name(sample, tmp_path):
    sentence = "Staff must keep the register up to date and check it every morning before the first lesson. "
    path = tmp_path / "Register\x1b[2J\u202epolicy.txt"
    path.write_text("1. Registers\n\n" + sentence * 600 + "\n", encoding="utf-8")
    result = import_document(path, sample, policy_id="registers")
    texts = [c.text for c in result.draft.clauses]
    assert len(texts) == 3 and all(len(t) <= 20_000 for t in texts)
    assert " ".join(texts) == (sentence * 600).strip() and result.words_kept == result.words_in
    assert result.draft.title == "Register[2Jpolicy"
    assert_validates_in_the_sample(tmp_path, result)


def test_a_heading_with_nothing_under_it_is_kept(sample, tmp_path):
    path = tmp_path / "short.md"
    path.write_text("# Short policy\n\n## Rules\n\nStaff must sign in.\n\n## Further reading\n", encoding="utf-8")
    result = import_document(path, sample)
    assert [s.title for s in result.draft.sections] == ["Rules"]
    assert [(u.kind, u.lines) for u in result.draft.unplaced] == [("empty-heading", ["Further reading"])]
    assert "#   Further reading" in result.yaml and result.words_kept == result.words_in
