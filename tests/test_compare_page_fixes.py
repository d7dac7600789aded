"""Comparison pages say what they do (issue 18, part 2's fixes on the way).

- the full text with changes always prints, and the page no longer says to open it first;
- a moved clause whose number stayed shows that number once, not "4.2 → 4.2";
- a standalone ``diff --format html`` file has no links to pages that are not beside it.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from policybook.outputs.compare_formats import render_comparison
from policybook.views.compare import compare_versions
from tests.browser import require_chromium
from tests.test_bad_inputs import run_cli
from tests.test_site_build import built, copy_project, handbook  # noqa: F401  (module fixtures)

def _comparison(handbook, old="2", new="3"):  # noqa: F811
    policy = handbook.policy("social-media")
    return compare_versions(policy.version(old), policy.version(new), handbook=handbook)


def _unchanged_text(handbook):  # noqa: F811
    """The first words of a clause that v2 -> v3 leaves unchanged: only the full text holds them."""
    comparison = _comparison(handbook)
    changed = {change.clause_id for change in comparison.clauses if change.changed}
    clause = next(c for c in handbook.policy("social-media").version("3").clauses if c.id not in changed)
    return " ".join(clause.text.split()[:6])


def test_a_moved_clause_that_kept_its_number_shows_it_once(handbook):  # noqa: F811
    change = next(c for c in _comparison(handbook).clauses if c.clause_id == "report-misuse")
    assert "moved" in change.kinds and change.old.number == change.new.number == "4.2", "the case this test is for"
    page = render_comparison(_comparison(handbook), handbook, "markdown")
    head = re.search(r'id="change-report-misuse".*?<strong class="pb-number">(.*?)</strong>', page, re.DOTALL).group(1)
    assert head == "4.2"
    # A clause that moved to another number still shows both.
    assert "→" in render_comparison(_comparison(handbook, "1", "5"), handbook, "markdown")


def test_the_page_no_longer_asks_readers_to_open_the_full_text_before_printing(built):  # noqa: F811
    page = (built / "policies" / "social-media" / "compare-v2-v3.html").read_text(encoding="utf-8")
    assert "before printing" not in page and "printed copies always include it" in page


def _pdf_text(browser, url, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian's poppler-utils)")
    page = browser.new_page()
    try:
        page.goto(url)
        page.pdf(path=str(tmp_path / "printed.pdf"), format="A4")
    finally:
        page.close()
    return subprocess.run(["pdftotext", str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.browser
def test_the_full_text_prints_from_the_site_and_from_a_standalone_file(browser, built, handbook, tmp_path):  # noqa: F811
    require_chromium()
    words = _unchanged_text(handbook)
    site = _pdf_text(browser, (built / "policies" / "social-media" / "compare-v2-v3.html").as_uri(), tmp_path)
    standalone = tmp_path / "diff.html"
    standalone.write_text(render_comparison(_comparison(handbook), handbook, "html"), encoding="utf-8")
    alone = _pdf_text(browser, standalone.as_uri(), tmp_path)
    for printed in (site, alone):
        flat = " ".join(printed.split())
        assert words in flat, "an unchanged clause prints: the full text is there"
        assert "Show every clause in order" not in flat, "the on-screen toggle does not print"


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'<a href="([^"]*)"', html))


def test_a_standalone_html_file_has_no_links_to_missing_pages(handbook):  # noqa: F811
    html = render_comparison(_comparison(handbook), handbook, "html")
    outside = {href for href in _hrefs(html) if not href.startswith(("#", "https:", "http:", "mailto:"))}
    assert outside == set()
    assert "Version 2 (superseded) compared with version 3 (superseded)" in html, "the links' text stays"
    anchors = {href[1:] for href in _hrefs(html) if href.startswith("#")}
    assert anchors and all(f'id="{anchor}"' in html for anchor in anchors), "links within the file still work"


def test_a_standalone_html_file_links_into_the_published_site(monkeypatch, capsys, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: https://handbook.example.org/staff/\n",
                      encoding="utf-8")
    code, output = run_cli(monkeypatch, capsys, project, "diff", "social-media", "2", "3", "--format", "html",
                           "-o", "diff.html")
    assert code == 0, output
    hrefs = _hrefs((project / "diff.html").read_text(encoding="utf-8"))
    assert "https://handbook.example.org/staff/policies/social-media/v2.html" in hrefs
    assert "https://handbook.example.org/staff/roles/index.html#role-all-staff" in hrefs
    assert all(href.startswith(("#", "https:", "http:", "mailto:")) for href in hrefs)
