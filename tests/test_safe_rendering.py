"""Author text never becomes live markup: a hostile handbook, built for real.

Checked twice: by scanning every built HTML file, and by loading every page
in headless Chromium and asserting that no payload ran.
"""

from __future__ import annotations

import functools
import html
import re
import http.server
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest

from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.render.text import is_safe_url
from policybook.outputs.export import markdown_file
from tests.hostile import MARKER, PAYLOADS, write_hostile_project
from tests.html_scan import scan_html, scan_site


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    write_hostile_project(project)
    return build_site_atomically(project / "mkdocs.yml", today="2026-01-01")


def test_scanner_catches_live_markup():
    page = '<html><body><a href="JavaScript:alert(1)">x</a><img src=x onerror=alert(1)><script>alert(1)</script><iframe></iframe></body></html>'
    assert len(scan_html(page)) == 4


def test_no_live_author_markup_in_any_page(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) >= 10
    findings = scan_site(hostile_site)
    assert not findings, "\n".join(findings[:30])


def test_payloads_are_shown_as_text_not_dropped(hostile_site):
    page = html.unescape((hostile_site / "policies" / "hostile.html").read_text(encoding="utf-8"))
    for payload in PAYLOADS:
        # The visible words survive, whatever was done to the markup.
        assert "onerror" in page and "javascript:alert(1)" in page.lower()
    assert "<script>window.__pbPwned" in page  # as text, after unescaping
    roles = html.unescape((hostile_site / "roles" / "lead.html").read_text(encoding="utf-8"))
    assert "Lead <script>" in roles


def test_search_index_holds_escaped_text(hostile_site):
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script" not in index and "<img" not in index and "<iframe" not in index


@pytest.fixture
def served(hostile_site):
    """The hostile site over HTTP, so the search worker runs as it would live."""
    handler = functools.partial(_QuietHandler, directory=str(hostile_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(hostile_site, served, browser):
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    context = browser.new_context()
    ran: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: MARKER in message.text and ran.append(f"console: {message.text}"))
        page.on("frameattached", lambda frame: ran.append(f"frame: {frame.url}"))
        for path in pages:
            page.goto(served + path)
            # The address of a version in force redirects to its policy page: follow it to the end.
            refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', (hostile_site / path).read_text(encoding="utf-8"))
            if refresh:
                page.wait_for_url(urljoin(served + path, refresh.group(1)))
            page.wait_for_load_state("load")
            if page.evaluate("() => window.__pbPwned === 1"):
                ran.append(f"flag set on {path}")
            assert page.locator("body").count() == 1
            if ran:
                break
        # Search results render index text as HTML: search for a payload word.
        page.goto(served + "index.html")
        page.wait_for_load_state("load")
        page.keyboard.press("/")
        page.keyboard.type("onerror script iframe")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        page.wait_for_timeout(500)
        if page.evaluate("() => window.__pbPwned === 1"):
            ran.append("flag set by search results")
    finally:
        context.close()
    assert not ran, ran
    assert len(pages) >= 10


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java&#09;script:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript&#x3A;alert(1)",
    "javascript&colon;alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example", "/\\evil.example", "\\\\evil.example",
])
def test_unsafe_link_targets_are_refused(url):
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "http://example.org", "mailto:office@example.org", "#clause", "../roles/index.html"])
def test_safe_link_targets_are_kept(url):
    assert is_safe_url(url)


@pytest.mark.parametrize("title", [
    "Mobile phones 📱 and smart watches ⌚", "Line\u2028separator and next\x85line", "C1 control \x80 and BOM \ufeff",
    'Quotes " and \\ backslash', "Drugs & alcohol: <b>not bold</b>", "trailing newline\n",
])
def test_front_matter_reads_back_exactly(title):
    """MkDocs must read every title back; when it cannot, it shows the front matter as page text."""
    from mkdocs.utils import meta

    from policybook.pages import SitePage

    body, data = meta.get_data(markdown_file(SitePage("p.md", title, "Body.", searchable=False)))
    assert data == {"title": title, "search": {"exclude": True}}
    assert body == "Body."


def test_emoji_title_reaches_the_page_title(hostile_site):
    page = (hostile_site / "policies" / "hostile.html").read_text(encoding="utf-8")
    assert "📱" in page.split("</title>")[0]
    assert "title: " not in page
