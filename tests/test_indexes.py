"""Legislation index and glossary views, on small handbooks."""

from __future__ import annotations

from policybook.load import load_handbook
from policybook.views.indexes import build_glossary, build_legislation_index
from tests.conftest import version_text


def test_legislation_index_names_citing_policies_and_clauses(handbook_dir):
    text = version_text().replace(
        "Staff report every concern to the safeguarding lead.",
        "Staff follow *Keeping children safe in education* and report every concern.",
    )
    handbook = load_handbook(handbook_dir({"demo/v1.yaml": text})).handbook
    (group,) = build_legislation_index(handbook)
    assert group.kind == "other"  # the test register gives no kind
    (entry,) = group.entries
    (citation,) = entry.citations
    assert citation.version.policy_id == "demo"
    assert [c.id for c in citation.clauses] == ["report-concerns"]


def test_indexes_ignore_versions_not_in_force(handbook_dir):
    draft = version_text(version="2", status="draft").replace(
        "sections:", "definitions:\n  - term: Concern\n    meaning: Any worry about a child.\nsections:")
    handbook = load_handbook(handbook_dir({"demo/v1.yaml": version_text(), "demo/v2.yaml": draft})).handbook
    assert build_glossary(handbook) == ()
    (group,) = build_legislation_index(handbook)
    assert [c.version.version for c in group.entries[0].citations] == ["1"]


def test_glossary_merges_terms_case_insensitively(handbook_dir):
    one = version_text().replace("sections:", "definitions:\n  - term: Concern\n    meaning: Any worry.\nsections:")
    other = one.replace("policy: demo", "policy: other").replace("title: Demo policy", "title: Other policy").replace(
        "term: Concern\n    meaning: Any worry.", "term: concern\n    meaning: A doubt.")
    handbook = load_handbook(handbook_dir({"demo/v1.yaml": one, "other/v1.yaml": other})).handbook
    (entry,) = build_glossary(handbook)
    assert entry.anchor == "term-concern"
    assert [u.definition.meaning for u in entry.uses] == ["Any worry.", "A doubt."]


def test_glossary_anchors_are_unique_when_terms_slug_alike(handbook_dir):
    definitions = ("definitions:\n  - term: E-safety\n    meaning: One.\n  - term: E safety\n    meaning: Two.\n"
                   "  - term: Ελληνικά\n    meaning: Three.\n  - term: 日本\n    meaning: Four.\n  - term: e-safety 2\n    meaning: Five.")
    text = version_text().replace("legislation: [kcsie]", "legislation: [kcsie]\n" + definitions)
    glossary = build_glossary(load_handbook(handbook_dir({"demo/v1.yaml": text})).handbook)
    anchors = [entry.anchor for entry in glossary]
    assert len(glossary) == 5 and len(set(anchors)) == 5, anchors
