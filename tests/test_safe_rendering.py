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
from markupsafe import Markup, escape

from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.render.text import is_safe_url
from policybook.outputs.export import markdown_file
from tests.forking import stop_thread
from tests.hostile import PAYLOADS, record_payload_runs, write_hostile_project
from tests.html_scan import scan_html, scan_site


#: (edition, offline): every build readers get. Offline is the staff edition
#: on a shared drive, opened from file:// with the vendored search worker.
BUILDS = [("staff", False), ("public", False), ("staff", True)]


@pytest.fixture(scope="module")
def build_hostile(tmp_path_factory):
    """``build_hostile(edition, offline)``: the hostile handbook's site, built once per kind."""
    project = tmp_path_factory.mktemp("hostile")
    write_hostile_project(project)
    built: dict[tuple[str, bool], Path] = {}

    def build(edition: str = "staff", offline: bool = False) -> Path:
        if (edition, offline) not in built:
            built[edition, offline] = build_site_atomically(
                project / "mkdocs.yml", site_dir=project / f"site-{edition}{'-offline' if offline else ''}",
                today="2026-01-01", edition=edition, offline=offline)
        return built[edition, offline]

    return build


@pytest.fixture(scope="module", params=BUILDS, ids=lambda build: build[0] + ("-offline" if build[1] else ""))
def hostile_build(request, build_hostile) -> tuple[Path, str, bool]:
    """The hostile handbook built in each edition and offline: (site, edition, offline)."""
    return build_hostile(*request.param), *request.param


@pytest.fixture(scope="module")
def hostile_site(build_hostile) -> Path:
    """The staff edition, for the tests that need only one build."""
    return build_hostile()


def test_scanner_catches_live_markup():
    page = '<html><body><a href="JavaScript:alert(1)">x</a><img src=x onerror=alert(1)><script>alert(1)</script><iframe></iframe></body></html>'
    assert len(scan_html(page)) == 4


def test_no_live_author_markup_in_any_page(hostile_build):
    site, edition, offline = hostile_build
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 10
    # The hostile policy is public: the public edition shows its payloads too.
    assert (site / "policies" / "hostile.html").is_file()
    findings = scan_site(site)
    assert not findings, "\n".join(findings[:30])


def test_theme_values_are_escaped_once(hostile_build):
    """Site name and titles reach the theme escaped, and attributes Material escapes itself are not escaped twice."""
    site, edition, offline = hostile_build
    page = (site / "policies" / "hostile.html").read_text(encoding="utf-8")
    head = page.split("</title>")[0]
    assert "Title 2 📱 &lt;script&gt;window.__pbPwned" in head
    if edition == "public":  # the site name is the organisation's name, in the header and the logo's title
        assert '<title>Title 2' in head and head.endswith(" policies")
        assert 'title="Hostile &lt;script&gt;window.__pbPwned' in page
    assert "&amp;lt;img" not in page  # "<img" escaped twice would show as "&lt;img"
    # Nothing authors write reaches the description: mkdocs.yml's own, or none.
    assert not re.search(r'<meta name="description" content="[^"]*(Hostile|PB-PWNED)', page)


def test_payloads_are_shown_as_text_not_dropped(hostile_site):
    page = html.unescape((hostile_site / "policies" / "hostile.html").read_text(encoding="utf-8"))
    for payload in PAYLOADS:
        # The visible words survive, whatever was done to the markup.
        assert "onerror" in page and "javascript:alert(1)" in page.lower()
    assert "<script>window.__pbPwned" in page  # as text, after unescaping
    roles = html.unescape((hostile_site / "roles" / "lead.html").read_text(encoding="utf-8"))
    assert "Lead <script>" in roles
    # The governance record: committee, signatory, master copy, version log, governors' review.
    for text in ("Committee <script>", "Signer 2 <script>", "Copy 2 <script>", "Logged 1 <script>", "Logged 2 <script>"):
        assert text in page, text
    compared = html.unescape((hostile_site / "policies" / "hostile" / "compare-v1-v2.html").read_text(encoding="utf-8"))
    assert "Governors <script>" in compared and "Signer 1 <script>" in compared


def test_search_index_holds_escaped_text(hostile_build):
    site, edition, offline = hostile_build
    index = (site / "search" / ("search_index.js" if offline else "search_index.json")).read_text(encoding="utf-8")
    assert "<script" not in index and "<img" not in index and "<iframe" not in index


@pytest.fixture
def served(hostile_build):
    """The hostile site as readers open it: over HTTP (so the search worker runs as
    it would live), or offline straight from disk."""
    site, edition, offline = hostile_build
    if offline:
        yield site.as_uri() + "/"
        return
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    stop_thread(thread)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(hostile_build, served, browser):
    hostile_site = hostile_build[0]
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    context = browser.new_context()
    ran: list[str] = []
    try:
        page = context.new_page()
        # Offline, the theme's search runs in a blank frame (the vendored iframe-worker
        # shim); the scan above refuses every frame element in the pages themselves.
        record_payload_runs(page, ran, blank_frames=hostile_build[2])
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
    from policybook.render import PageBody

    body, data = meta.get_data(markdown_file(SitePage("p.md", title, PageBody.from_markdown("Body."), searchable=False)))
    assert data == {"title": title, "search": {"exclude": True}}
    assert body == "Body."


def test_emoji_title_reaches_the_page_title(hostile_site):
    page = (hostile_site / "policies" / "hostile.html").read_text(encoding="utf-8")
    assert "📱" in page.split("</title>")[0]
    assert "title: " not in page


def test_printed_author_text_keeps_off_blank_lines():
    """Whatever line breaks a value holds, it cannot end the HTML block it is printed in."""
    import jinja2

    from policybook.render import Renderer

    template = "<div>\n<p>{{ value }}</p>\n<p>{{ values|join(', ') }}</p>\n<p title=\"{{ value }}\">x</p>\n</div>\n"
    renderer = Renderer(loader=jinja2.DictLoader({"t.md.j2": template}))
    value = "a\n\n[x](javascript:alert(1))\r\r\u2028\u2029\x85\x0b\x0c<b>"
    page = renderer.render("t.md.j2", "p.md", value=value, values=[value, value])
    assert page.count("\n") == template.count("\n")
    assert "&#10;&#10;[x]" in page and "&lt;b&gt;" in page


class _Shown:
    def __html__(self):
        return "<i>shown</i>"


@pytest.mark.parametrize("value", [
    "plain", "a & b <c> \"d\" 'e'", "one\ntwo\r<b>", "", Markup("<b>kept</b>"), Markup("x\ny"), 3, 2.5, None,
    True, _Shown(), ["a", "<b>"], type("Text", (str,), {})("sub<class>"), "\u202e📱&amp;",
])
def test_printed_values_read_as_jinja_prints_them(value):
    """The renderer prints a value in one call (render._CodeGenerator): the text Jinja's escape(finalize()) prints."""
    import jinja2

    from policybook.render import Renderer, html_line, printed_text

    template = "<p>{{ value }}</p>{% set block %}[{{ value }}]{% endset %}{{ block }}{% macro m(v) %}({{ v }}){% endmacro %}{{ m(value) }}"
    ours = Renderer(loader=jinja2.DictLoader({"t.md.j2": template}))
    jinjas = jinja2.Environment(loader=jinja2.DictLoader({"t.md.j2": template}), autoescape=True, finalize=html_line)
    assert ours.render("t.md.j2", "p.md", value=value) == jinjas.get_template("t.md.j2").render(value=value)
    assert printed_text(value) == str(escape(html_line(value)))


def test_line_breaks_are_normalised_when_a_file_is_read():
    from policybook.load.yaml_source import parse_yaml

    parsed, problems = parse_yaml('a: "1\\r2\\r\\n3\\x854\\L5\\P6\\v7\\f8"\nb: |\r\n  one\r\n  two\r\n'.encode(), "x.yaml")
    assert not problems
    assert parsed.data == {"a": "1\n2\n3\n4\n5\n6\n7\n8", "b": "one\ntwo\n"}


@pytest.mark.parametrize("text, shown", [
    ("\x1b[8mhidden", "\\x1b[8mhidden"), ("\x1b]0;title\x07", "\\x1b]0;title\\x07"), ("\x9b31m", "\\x9b31m"),
    ("back\x08\x7f", "back\\x08\\x7f"), ("\u202eevil\u2066", "\\u202eevil\\u2066"), ("tab\tand\nnewline", "tab\tand\nnewline"),
])
def test_printable_shows_control_characters(text, shown):
    from policybook.terminal import printable

    assert printable(text) == shown
    assert printable("one\ntwo", newlines=False) == "one\\x0atwo"


def test_printed_values_compile_to_one_call_only_with_the_hooks_jinja_has_today(monkeypatch):
    import jinja2.compiler

    from policybook import render

    assert render._output_hooks_as_expected(), "this Jinja's code generator: the fast path is on"
    assert render._Environment.code_generator_class is render._CodeGenerator
    compiled = render.Renderer().env.compile("{{ title }}", raw=True)
    assert "environment.printed_text(" in compiled

    def renamed(self, node, frame, info):  # a release that changed the hook's parameters
        pass

    monkeypatch.setattr(jinja2.compiler.CodeGenerator, "_output_child_pre", renamed)
    assert not render._output_hooks_as_expected()


def test_macros_are_called_as_jinja_calls_them(monkeypatch):
    import jinja2
    from jinja2.utils import pass_context

    from policybook import render

    assert render._macros_take_the_eval_context(), "this Jinja: the fast path is on"
    assert render._Environment.context_class is render._Context

    @pass_context
    def who(context, name):  # a function that takes the context still gets it
        return f"{name} in {context['place']}"

    source = ('{% macro line(x, sep=", ") %}{{ x }}{{ sep }}{{ caller() if caller else "" }}{% endmacro %}'
              '{% for item in items %}{{ line(item) }}{% call line(item, sep="; ") %}[{{ item }}]{% endcall %}'
              '{{ who(item) }}{% endfor %}{{ line(undefined_thing is defined) }}'
              '{% autoescape false %}{{ line("<raw>") }}{% endautoescape %}')
    ours = render._Environment(autoescape=True).from_string(source)
    jinjas = jinja2.Environment(autoescape=True).from_string(source)
    values = dict(items=["<a>", "b & c"], who=who, place="the hall")
    assert ours.render(**values) == jinjas.render(**values)
    assert "&lt;a&gt;, " in ours.render(**values) and "b &amp; c in the hall" in ours.render(**values)

    original = jinja2.runtime.Macro.__call__

    def takes_the_context(self, *args, **kwargs):  # a wrapper: pass_context marks the function it is given
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.runtime.Macro, "__call__", pass_context(takes_the_context))
    assert not render._macros_take_the_eval_context(), "a release whose macros take the context: Jinja's own calls"
