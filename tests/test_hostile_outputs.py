"""The hostile handbook through every output that is not the built site.

``policybook export`` in both editions, ``diff`` and ``checklist`` in every
format, the governors' pack (``pack``) as HTML and PDF, and the terminal output of ``diff``, ``checklist`` and ``review``
(coloured, and through a real pipe). Markdown is rendered by a second,
CommonMark engine (markdown-it-py) as well as by Python-Markdown, since other
engines end HTML blocks and read links where Python-Markdown does not; the
HTML is scanned for live markup (``tests/html_scan.py``) and standalone
documents are loaded in Chromium.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from policybook.cli import cli
from policybook.outputs.printing import find_chromium
from tests.conftest import ROOT
from tests.hostile import record_payload_runs, write_hostile_project
from tests.html_scan import scan_html

TODAY = "2026-01-01"
#: The SGR codes of the project's own styles: reset, bold, underline, strikethrough, red, green, cyan.
OWN_STYLES = {"0", "1", "4", "9", "31", "32", "36"}
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_DRIVES_A_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Where CommonMark starts an HTML block that lasts to the next blank line (types 1 and 6).
_HTML_BLOCK_START = re.compile(
    r" {0,3}<(/?)(address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog"
    r"|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe"
    r"|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table"
    r"|tbody|td|tfoot|th|thead|title|tr|track|ul|pre|script|style|textarea)(\s|/?>|$)", re.I)


@pytest.fixture(scope="module")
def policies(tmp_path_factory) -> Path:
    return write_hostile_project(tmp_path_factory.mktemp("hostile-outputs"))


def run(*args: str, color: bool = False) -> str:
    result = CliRunner().invoke(cli, list(args), color=color, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # The hostile handbook's placeholders and open alternatives are warned about, on standard error.
    assert "warning: clause" in result.stderr and not _DRIVES_A_TERMINAL.search(result.stderr)
    return result.stdout


def piped(*args: str) -> str:
    """The command's standard output through a real pipe, as `policybook ... | less` sees it."""
    done = subprocess.run([sys.executable, "-m", "policybook", *args], cwd=ROOT, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def commonmark(text: str) -> str:
    """Markdown as a CommonMark engine renders it, raw HTML on and every link target allowed:
    the most trusting engine a handbook could be exported to."""
    engine = MarkdownIt("commonmark", {"html": True})
    engine.validateLink = lambda url: True
    return engine.render(text)


def assert_terminal_safe(output: str, *, coloured: bool | None, shows_texts: bool = True) -> None:
    """Only the project's own colours drive the terminal; author escapes are shown, not obeyed.

    Args:
        coloured: whether the project's colours must be there (``None``: either).
        shows_texts: the output quotes clause texts, where the terminal payloads
            are (one-line fields refuse control characters at load).
    """
    codes = {code for match in _SGR.finditer(output) for code in match.group(1).split(";")}
    assert codes <= OWN_STYLES, codes - OWN_STYLES
    if coloured is not None:
        assert bool(codes) == coloured
    rest = _SGR.sub("", output)
    assert not _DRIVES_A_TERMINAL.search(rest), repr(_DRIVES_A_TERMINAL.search(rest).group())
    if shows_texts:
        assert "\\x1b[8mconcealed" in rest  # shown, not silently dropped


def assert_safe_markdown(text: str, name: str) -> None:
    """Safe in any engine: no live markup from either engine, and every HTML block starts as one."""
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    lines = body.split("\n")
    for number, line in enumerate(lines[1:], 2):
        if line.strip() and not lines[number - 2].strip():
            assert line.startswith("#") or _HTML_BLOCK_START.match(line), f"{name}:{number}: {line[:80]!r}"
    for engine, html in (("commonmark", commonmark(text)), ("python-markdown", markdown.markdown(body, extensions=["attr_list"]))):
        findings = scan_html(html, f"{name} ({engine})")
        assert not findings, "\n".join(findings[:20])


def test_the_commonmark_engine_trusts_everything():
    """The second engine really is permissive, so the tests below would see a live link."""
    assert len(scan_html(commonmark("[x](javascript:alert(1))\n\n<div>\n\n<img src=x onerror=alert(1)>\n"))) == 2


# -- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["staff", "public"])
def test_exported_markdown_is_safe_in_any_engine(policies, tmp_path, edition):
    run("export", str(tmp_path), "-p", str(policies), "--today", TODAY, "--edition", edition)
    pages = sorted(tmp_path.rglob("*.md"))
    assert len(pages) >= 10 and (tmp_path / "policies" / "hostile.md").is_file()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0]
        assert not re.search(r"[<>\[\]`]", front), f"{page.name}: markup in the front matter"
        assert_safe_markdown(text, page.relative_to(tmp_path).as_posix())
    # Engines print navigation titles as they are (MkDocs with Material does): they are escaped.
    nav = (tmp_path / "policybook-nav.json").read_text(encoding="utf-8")
    assert "<" not in json.dumps(json.loads(nav), ensure_ascii=False) and "&lt;script&gt;" in nav


# -- diff -----------------------------------------------------------------------------------------


def test_diff_markdown_is_safe_in_any_engine(policies):
    text = run("diff", "hostile", "1", "2", "-p", str(policies), "--format", "markdown")
    assert "javascript:" in text and "onerror" in text  # the payloads are there, as text
    assert_safe_markdown(text, "diff.md")
    assert_terminal_safe(text, coloured=False)


def test_diff_html_is_safe(policies, tmp_path):
    printed = run("diff", "hostile", "1", "2", "-p", str(policies), "--format", "html")
    assert not scan_html(printed, "diff.html", document=True)
    assert_terminal_safe(printed, coloured=False)
    run("diff", "hostile", "1", "2", "-p", str(policies), "--format", "html", "-o", str(tmp_path / "diff.html"))
    assert not scan_html((tmp_path / "diff.html").read_text(encoding="utf-8"), "diff.html", document=True)


def test_diff_json_is_exact_and_terminal_safe(policies):
    printed = run("diff", "hostile", "1", "2", "-p", str(policies), "--format", "json")
    assert not _DRIVES_A_TERMINAL.search(printed)
    data = json.loads(printed)
    # The escapes read back as the author's characters: the contract stays exact.
    assert "\x1b[8mconcealed" in data["author_summary"] and "\u202e" in data["author_summary"] and "\x9b" in data["author_summary"]
    assert any("\x1b]0;" in segment["text"] for change in data["changes"] for segment in change["segments"])


@pytest.mark.parametrize("color", [True, False], ids=["coloured", "plain"])
def test_diff_redline_cannot_drive_the_terminal(policies, color):
    output = run("diff", "hostile", "1", "2", "-p", str(policies), color=color)
    assert_terminal_safe(output, coloured=color)
    assert "{+" in output and "[-" in output


def test_terminal_outputs_through_a_pipe(policies, tmp_path):
    for args, texts in ((("diff", "hostile", "1", "2"), True), (("checklist", "lead"), True),
                        (("review", "--today", TODAY), False),
                        (("checklist", "--all", "--format", "markdown", "-o", str(tmp_path)), False)):
        assert_terminal_safe(piped(*args, "-p", str(policies)), coloured=False, shows_texts=texts)


def test_error_messages_cannot_drive_the_terminal(policies):
    """A message quoting what was typed (or author text) shows its escapes too."""
    done = subprocess.run([sys.executable, "-m", "policybook", "checklist", "\x1b[8mconcealed\x1b]0;x\x07", "-p", str(policies)],
                          cwd=ROOT, capture_output=True)
    assert done.returncode == 1
    assert_terminal_safe(done.stderr.decode("utf-8"), coloured=False)


#: The governance record's texts, version 2's (tests/hostile.py): each is told apart by its first word.
GOVERNANCE_TEXTS = ("Signer 2 <script>", "Copy 2 <script>", "Logged 2 <script>", "Governors <script>")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_governance_changes_reach_every_diff_format(policies, fmt):
    printed = run("diff", "hostile", "1", "2", "-p", str(policies), "--format", fmt)
    shown = json.dumps(json.loads(printed), ensure_ascii=False) if fmt == "json" else html.unescape(printed)
    for text in GOVERNANCE_TEXTS:
        assert text in shown, (fmt, text)
    assert "January 2030" in shown and "March 2024" in shown
    if fmt != "json":
        assert_terminal_safe(printed, coloured=False, shows_texts=fmt != "text")


def test_committee_names_reach_the_exported_pages(policies, tmp_path):
    run("export", str(tmp_path), "-p", str(policies), "--today", TODAY)
    page = html.unescape((tmp_path / "policies" / "hostile.md").read_text(encoding="utf-8"))
    for text in ("Committee <script>", "Signer 2 <script>", "Copy 2 <script>", "Logged 2 <script>", "Logged 1 <script>"):
        assert text in page, text
    assert "Committee <script>" in html.unescape((tmp_path / "review.md").read_text(encoding="utf-8"))


# -- checklist ------------------------------------------------------------------------------------


@pytest.mark.parametrize("color", [True, False], ids=["coloured", "plain"])
def test_checklist_text_cannot_drive_the_terminal(policies, color):
    output = run("checklist", "lead", "-p", str(policies), "--today", TODAY, color=color)
    assert "[ ]" in output
    assert_terminal_safe(output, coloured=None if color else False)


def test_checklist_files_are_safe(policies, tmp_path):
    for fmt, ext in (("text", "txt"), ("markdown", "md"), ("html", "html")):
        run("checklist", "lead", "-p", str(policies), "--today", TODAY, "--format", fmt, "-o", str(tmp_path / f"lead.{ext}"))
    assert_terminal_safe((tmp_path / "lead.txt").read_text(encoding="utf-8"), coloured=False)
    assert_safe_markdown((tmp_path / "lead.md").read_text(encoding="utf-8"), "lead.md")
    assert not scan_html((tmp_path / "lead.html").read_text(encoding="utf-8"), "lead.html", document=True)


def test_checklist_pdf_shows_payloads_as_text(policies, tmp_path):
    if find_chromium() is None:
        pytest.skip("no Chromium: PDF checklists cannot be printed here")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # A subprocess: one sync Playwright per thread, and the session's browser fixture may hold this one's.
    piped("checklist", "lead", "-p", str(policies), "--today", TODAY, "--format", "pdf", "-o", str(tmp_path / "lead.pdf"))
    assert (tmp_path / "lead.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "lead.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "onerror" in text and "<script>" in text


# -- governors' pack --------------------------------------------------------------------------------


@pytest.mark.parametrize("versions", [("2",), ("1", "3")], ids=["adopted-with-approval", "draft"])
def test_pack_html_is_safe(policies, tmp_path, versions):
    # Cover (changes, based_on, owner), summary, every clause in full, the approval block: every field it prints.
    run("pack", "hostile", *versions, "-p", str(policies), "--today", TODAY, "--full", "--format", "html",
        "-o", str(tmp_path / "pack.html"))
    html = (tmp_path / "pack.html").read_text(encoding="utf-8")
    assert not scan_html(html, "pack.html", document=True)
    assert "&lt;script&gt;" in html and f"Title {versions[-1]}" in html


def test_pack_pdf_shows_payloads_as_text(policies, tmp_path):
    if find_chromium() is None:
        pytest.skip("no Chromium: the pack cannot be printed here")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    piped("pack", "hostile", "2", "-p", str(policies), "--today", TODAY, "--full", "-o", str(tmp_path / "pack.pdf"))
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        # In the order the text was printed (-raw): the hostile running footer, many lines long, overlaps the page
        # body in Chromium 156, and pdftotext's reading by position interleaves the two ("Chair of the governing[plain").
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "pack.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "onerror" in text and "<script>" in text
        words = " ".join(text.split())
        assert "Printed copies are uncontrolled." in words and "Chair of the governing board" in words


# -- review ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("color", [True, False], ids=["coloured", "plain"])
def test_review_cannot_drive_the_terminal(policies, color):
    output = run("review", "-p", str(policies), "--today", TODAY, color=color)
    assert "Title 2" in output and "owner Committee <script>" in output and "by January 2030" in output
    assert_terminal_safe(output, coloured=color, shows_texts=False)


# -- standalone documents in a browser ------------------------------------------------------------


@pytest.mark.browser
def test_standalone_documents_run_no_payload(policies, tmp_path, browser):
    run("diff", "hostile", "1", "2", "-p", str(policies), "--format", "html", "-o", str(tmp_path / "diff.html"))
    run("checklist", "lead", "-p", str(policies), "--today", TODAY, "--format", "html", "-o", str(tmp_path / "lead.html"))
    run("pack", "hostile", "2", "-p", str(policies), "--today", TODAY, "--full", "--format", "html", "-o", str(tmp_path / "pack.html"))
    # The exported Markdown as the trusting CommonMark engine would publish it.
    run("export", str(tmp_path / "export"), "-p", str(policies), "--today", TODAY)
    exported = (tmp_path / "export" / "policies" / "hostile.md").read_text(encoding="utf-8")
    (tmp_path / "export.html").write_text(commonmark(exported), encoding="utf-8")
    context = browser.new_context()
    ran: list[str] = []
    try:
        page = context.new_page()
        record_payload_runs(page, ran)
        for name in ("diff.html", "lead.html", "pack.html", "export.html"):
            page.goto((tmp_path / name).as_uri())
            page.wait_for_load_state("load")
            if page.evaluate("() => window.__pbPwned === 1"):
                ran.append(f"flag set on {name}")
    finally:
        context.close()
    assert not ran, ran
