"""policybook import for PDF: the sample's policy page printed through Chromium (as a reader's Ctrl+P), imported back."""

from __future__ import annotations

import pytest

from policybook.importer import import_document
from policybook.load import load_handbook
from tests.conftest import SAMPLE_POLICIES
from tests.test_import_word import document_clauses
from tests.test_site_build import built  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser


def words(text: str) -> str:
    return " ".join(text.split())


def print_page(browser, site, page_path: str, target):
    page = browser.new_page()
    try:
        page.goto((site / page_path).as_uri())
        page.pdf(path=str(target), format="A4")
    finally:
        page.close()
    return target


def test_a_printed_policy_page_imports_with_its_sections_clauses_and_lists(browser, built, tmp_path):  # noqa: F811
    # Playwright keeps the frames that call it alive, locals and all, and tests/test_memory.py
    # counts the model objects alive in the session: the model lives in check_import's frame only.
    check_import(print_page(browser, built, "policies/social-media.html", tmp_path / "social-media.pdf"))


def check_import(pdf):
    handbook = load_handbook(SAMPLE_POLICIES).handbook
    version = handbook.policy("social-media").current
    result = import_document(pdf, handbook, policy_id="printed")
    assert result.fmt == "pdf" and result.draft.title == version.title
    assert result.words_kept == result.words_in
    found = {s.number: s for s in result.draft.sections if s.number}
    agree = 0
    for section in version.sections:
        imported = found[section.number]
        assert imported.title == section.title and imported.binding == section.binding
        clauses = {c.number: c for c in document_clauses(imported) if c.number}
        for clause in section.clauses:
            got = clauses[clause.number]
            assert got.text == words(clause.text), clause.number
            assert got.items == [words(i) for i in clause.items] and (got.item_style if got.items else None) == (
                clause.item_style if clause.items else None), clause.number
            agree += got.obligation == (clause.obligation.value if clause.obligation else None)
    assert [t for t, _, _ in result.draft.definitions] == [d.term for d in version.definitions]
    # Page footers and the badges under each clause are listed as dropped, not read as clauses.
    reasons = {d.reason for d in result.dropped}
    assert any("header or footer" in reason for reason in reasons), reasons
    assert "an obligation badge of a page printed from Policybook" in reasons
    # The running header and footer (organisation, policy, version; page X of Y) are not the document's text.
    kept = " ".join([result.draft.title, *(c.text for s in result.draft.sections for c in s.clauses)])
    assert "uncontrolled" not in kept and "Page 1 of" not in kept
    print(f"\nobligations from the printed wording: {agree} of {len(version.clauses)}")
    assert agree >= 0.8 * len(version.clauses)
