"""The governors' pack and the printed identity of pages, printed to A4 PDF by headless Chromium.

``policybook pack`` is run as a clerk would; the site's pack, policy and
comparison pages are printed as a reader's Ctrl+P would. pdftotext reads the
PDFs back, and pdftoppm leaves each page of the pack as a PNG in the test's
folder for a person to look at (the path is printed: ``pytest -s``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import require_chromium
from tests.conftest import SAMPLE_POLICIES
from tests.test_checklist_print import CHROME_TEXT, normalise, pdf_pages
from tests.test_site_build import built  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser

ORGANISATION = "Elmbrook Primary School"
UNCONTROLLED = "Printed copies are uncontrolled."
# Headings of the pack, none of which may end a page with its text on the next.
HEADINGS = ("Summary", "Policy details changed", "The changes", "Material changes", "Editorial changes",
            "Full text with changes", "Approval")


def print_pack(tmp_path: Path, *args: str) -> Path:
    # A subprocess: the real command line, with its own Playwright (the session fixture holds this thread's).
    target = tmp_path / "pack.pdf"
    done = subprocess.run([sys.executable, "-m", "policybook", "pack", "acceptable-use", "2", "-p", str(SAMPLE_POLICIES),
                           "-o", str(target), "--today", "2026-12-01", *args],
                          capture_output=True, text=True, env={**os.environ, "CHROMIUM": require_chromium()})
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")
    return target


def body_of(page: str) -> str:
    """A page's text without its running footer (pdftotext puts the margin boxes' text last)."""
    return page[:page.rfind(UNCONTROLLED)].strip() if UNCONTROLLED in page else page


def assert_identity(pages: list[str], *, versions: str, draft: bool, dated: str) -> None:
    """The running header and footer on every page, DRAFT on every page of a draft only, no site chrome."""
    for number, page in enumerate(pages, start=1):
        assert ORGANISATION in page and "Acceptable Use of IT Policy" in page and normalise(versions) in page, f"header, page {number}"
        assert ("DRAFT" in page) is draft, f"DRAFT mark, page {number}"
        assert f"Page {number} of {len(pages)}" in page, f"page numbers, page {number}"
        assert UNCONTROLLED in page and dated in page, f"footer, page {number}"
    for text in CHROME_TEXT:
        assert text not in " ".join(pages), f"site chrome printed: {text!r}"


def test_pack_prints_cover_summary_changes_and_approval(tmp_path):
    pages = pdf_pages(print_pack(tmp_path))
    assert_identity(pages, versions="version 1 → version 2 (draft)", draft=True, dated="Printed 1 December 2026")
    cover, summary = pages[0], pages[1]
    assert "GOVERNORS' PACK" in cover and "What the author says changed" in cover and "Model policy followed" in cover
    assert "Summary" not in body_of(cover) and "Summary" in summary, "the summary starts page 2"
    assert "Material changes: the board decides" in summary and "New duties" in summary and "IT lead" in summary
    assert "Chair of the governing board" in pages[-1] and "Headteacher" in pages[-1] and "Signature" in pages[-1]
    # Cover, summary, the changes (four clauses and the policy details) and the approval: a short pack.
    assert 3 <= len(pages) <= 5, len(pages)
    for number, page in enumerate(pages, start=1):
        assert not body_of(page).endswith(HEADINGS), f"a heading alone at the foot of page {number}"
    png = save_pngs(pages, tmp_path / "pack.pdf", tmp_path / "pack-pages")
    print(f"\nThe pack's pages, for a person to look at: {png}")


def test_full_pack_adds_the_text_by_section(tmp_path):
    (tmp_path / "short").mkdir()
    short = len(pdf_pages(print_pack(tmp_path / "short")))
    pages = pdf_pages(print_pack(tmp_path, "--full"))
    assert len(pages) > short
    whole = " ".join(pages)
    assert "Full text with changes" in whole and "1. Purpose and scope" in whole and "7. Signing the agreement and breaches" in whole
    assert_identity(pages, versions="version 1 → version 2 (draft)", draft=True, dated="Printed 1 December 2026")
    for number, page in enumerate(pages, start=1):
        assert not body_of(page).endswith(HEADINGS), f"a heading alone at the foot of page {number}"
    save_pngs(pages, tmp_path / "pack.pdf", tmp_path / "full-pack-pages")


def save_pngs(pages: list[str], pdf: Path, folder: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not found (install poppler-utils)")
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / "page")], check=True)
    assert len(list(folder.glob("page-*.png"))) == len(pages)
    return folder


@pytest.mark.parametrize("page, versions, draft", [
    ("policies/acceptable-use/pack-v1-v2.html", "version 1 → version 2 (draft) · Prepared", True),
    ("policies/acceptable-use/compare-v1-v2.html", "version 1 → version 2 (draft)", True),
    ("policies/acceptable-use/v2.html", "version 2 (draft)", True),
    ("policies/acceptable-use.html", "version 1 (adopted)", False),
])
def test_site_pages_print_with_the_running_header_and_footer(browser, built, tmp_path, page, versions, draft):  # noqa: F811
    tab = browser.new_page()
    try:
        tab.goto((built / page).as_uri())
        tab.pdf(path=str(tmp_path / "page.pdf"), format="A4")
    finally:
        tab.close()
    pages = pdf_pages(tmp_path / "page.pdf")
    versions, _, dated = versions.partition(" · ")
    assert_identity(pages, versions=versions, draft=draft, dated=f"{dated or 'Handbook built'} 21 November 2026")
    if "pack-" in page:
        assert "Summary" not in body_of(pages[0]) and "Summary" in pages[1], "the summary starts page 2"
