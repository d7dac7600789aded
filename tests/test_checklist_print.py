"""Role checklists printed to A4 PDF by headless Chromium, read back as text.

The site's role page is printed the way a reader's Ctrl+P would (print
media, A4); the ``checklist --format pdf`` command is printed through its
own path. pdftotext (poppler-utils, installed by .ci/run) reads the PDFs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policybook.load import load_handbook
from policybook.views.checklists import build_checklist
from tests.browser import require_chromium
from tests.conftest import SAMPLE_POLICIES
from tests.test_site_build import TODAY, built  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser

# Text that only the site's chrome (header with the site name, navigation, table of contents, search,
# footer) or the screen-only hint prints. At A4 width Material already folds the sidebars away, so
# the site name in the header is the marker that the chrome was really hidden.
CHROME_TEXT = ("Elmbrook Primary School staff handbook", "Table of contents", "Skip to content", "Review schedule",
               "All roles", "Search", "Made with", "Material for MkDocs", "Print this page")
SIGN_OFF = "I have read and understood the duties above."


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, whitespace collapsed."""
    if shutil.which("pdftotext") is None:
        message = "pdftotext not found (install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run the print tests")
        pytest.skip(message)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [normalise(page) for page in text.split("\f") if page.strip()]


def normalise(text: str) -> str:
    """Whitespace collapsed; hyphens dropped, since pdftotext joins words hyphenated at a line end."""
    return re.sub(r"\s+", " ", re.sub("[-\u00ad\u2010]", "", text)).strip()


def plain(wording: str) -> str:
    """Duty wording as printed: Markdown links, emphasis and code marks removed."""
    return normalise(re.sub(r"[*`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", wording)))


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


def print_role_page(browser, site: Path, role_id: str, target: Path) -> list[str]:
    page = browser.new_page()
    try:
        page.goto((site / "roles" / f"{role_id}.html").as_uri())
        page.pdf(path=str(target), format="A4")
    finally:
        page.close()
    return pdf_pages(target)


def assert_printed_checklist(pages: list[str], checklist, organisation) -> None:
    whole = " ".join(pages)
    for group in checklist.groups:
        assert normalise(group.version.title) in whole
        for duty in (*group.does, *group.acts_on):
            item = plain(duty.wording)
            reference = normalise(f"{group.version.title} {duty.clause.number}")
            # The wording and its reference on the same page: the item was not split.
            assert any(item in page and reference in page for page in pages), f"{reference} missing or split: {item}"
    assert SIGN_OFF in pages[-1], "sign-off block at the end"
    assert "Name" in pages[-1] and "Signature" in pages[-1] and "Date" in pages[-1]
    # Not alone on its page: the last items come with the sign-off block.
    last = checklist.groups[-1]
    assert any(normalise(f"{last.version.title} {duty.clause.number}") in pages[-1].split(SIGN_OFF)[0]
               for duty in (*last.does, *last.acts_on)), "the sign-off block is alone on the last page"
    # What was signed for: each policy's version beside its group, and the checklist's fingerprint.
    for group in checklist.groups:
        version = group.version
        stamp = normalise(f"Version {version.version}, effective from {version.effective.label}")
        title = normalise(version.title)
        assert any(title in page and stamp in page[page.find(title):] for page in pages), f"{title}: no {stamp!r}"
    assert normalise(f"Checklist fingerprint {checklist.fingerprint}") in pages[-1]
    for text in CHROME_TEXT:
        assert text not in whole, f"site chrome printed: {text!r}"
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page, "running footer with page numbers"
        assert page.count("Printed copies are uncontrolled.") == 1, f"page {number}: once, in the running footer"
        assert normalise(organisation.name) in page and normalise(checklist.role.name) in page, "running header"
    assert "21 November 2026" in pages[0], "build date in the header"


@pytest.mark.parametrize("role_id", ["teaching-assistant", "dsl", "governing-board"])
def test_site_role_page_prints_every_duty_on_a4(browser, built, sample, tmp_path, role_id):  # noqa: F811
    checklist = build_checklist(sample, role_id)
    pages = print_role_page(browser, built, role_id, tmp_path / f"{role_id}.pdf")
    assert_printed_checklist(pages, checklist, sample.organisation)
    # About 9-15 items fit a page; a much longer print means the layout broke.
    assert 1 <= len(pages) <= checklist.count // 6 + 2, f"{len(pages)} pages for {checklist.count} duties"


def test_each_policy_group_starts_with_its_title(browser, built, sample, tmp_path):  # noqa: F811
    checklist = build_checklist(sample, "headteacher")
    pages = print_role_page(browser, built, "headteacher", tmp_path / "headteacher.pdf")
    for group in checklist.groups:
        first = (*group.does, *group.acts_on)[0]
        title = normalise(group.version.title)
        page = next(p for p in pages if plain(first.wording) in p and f"{title} {first.clause.number}" in p)
        heading = page.find(title)
        assert heading != -1 and heading < page.find(plain(first.wording)), f"{title}: heading not on the page of its first item"


def test_cli_pdf_uses_the_same_print_css(sample, tmp_path):
    # A subprocess: the real command line, and its own Playwright (one sync
    # Playwright per thread, and the session fixture holds this one's).
    target = tmp_path / "dsl.pdf"
    command = [sys.executable, "-m", "policybook", "checklist", "dsl", "-p", str(SAMPLE_POLICIES),
               "--format", "pdf", "-o", str(target), "--today", TODAY]
    result = subprocess.run(command, capture_output=True, text=True, cwd=SAMPLE_POLICIES.parent,
                            env={**os.environ, "CHROMIUM": require_chromium()})
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF")
    assert_printed_checklist(pdf_pages(target), build_checklist(sample, "dsl"), sample.organisation)


def test_a_must_not_duty_is_badged_must_not(browser, built, tmp_path):  # noqa: F811
    pages = print_role_page(browser, built, "teacher", tmp_path / "teacher.pdf")
    whole = " ".join(pages)
    assert "MUST NOT Never connect with pupils" in whole, "the clause's own strength, as on the policy page"
    assert "MUST Never" not in whole


def test_short_form_toggle_prints_must_and_must_not_duties_only(browser, built, sample, tmp_path):  # noqa: F811
    from policybook.views.checklists import short_form

    checklist = build_checklist(sample, "teacher")
    page = browser.new_page()
    try:
        page.goto((built / "roles" / "teacher.html").as_uri())
        shown = "() => [...document.querySelectorAll('.pb-duty')].filter(item => item.checkVisibility()).length"
        assert page.evaluate(shown) == checklist.count
        page.locator("#pb-must-only").check()
        assert page.evaluate(shown) == checklist.short_count < checklist.count
        page.pdf(path=str(tmp_path / "short.pdf"), format="A4")
    finally:
        page.close()
    pages = pdf_pages(tmp_path / "short.pdf")
    whole = " ".join(pages)
    short = short_form(checklist)
    for group in checklist.groups:
        for duty in (*group.does, *group.acts_on):
            reference = normalise(f"{group.version.title} {duty.clause.number}")
            assert (reference in whole) == duty.short_form, reference
    assert normalise(f"Checklist fingerprint {short.fingerprint}") in pages[-1], "the short form's own fingerprint"
    assert normalise(checklist.fingerprint) not in whole


def test_cli_pdf_short_form(sample, tmp_path):
    from policybook.views.checklists import short_form

    target = tmp_path / "teacher.pdf"
    command = [sys.executable, "-m", "policybook", "checklist", "teacher", "-p", str(SAMPLE_POLICIES), "--must-only",
               "--format", "pdf", "-o", str(target), "--today", TODAY]
    result = subprocess.run(command, capture_output=True, text=True, cwd=SAMPLE_POLICIES.parent,
                            env={**os.environ, "CHROMIUM": require_chromium()})
    assert result.returncode == 0, result.stderr
    short = short_form(build_checklist(sample, "teacher"))
    pages = pdf_pages(target)
    assert_printed_checklist(pages, short, sample.organisation)
    assert normalise("Short form: the must and must-not duties only.") in pages[0]
    assert "SHOULD" not in " ".join(pages) and "MAY " not in " ".join(pages)
