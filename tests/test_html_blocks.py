"""Setting HTML blocks aside while Markdown renders a page changes nothing in the result."""

from __future__ import annotations

import datetime as dt

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policybook.load import load_handbook
from policybook.mkdocs_adapter.html_blocks import restore_html_blocks, stash_html_blocks
from policybook.pages import SiteOptions, build_site
from policybook.render import Heading, HtmlBlock, MarkdownText, PageBody
from tests.conftest import SAMPLE_POLICIES
from tests.hostile import write_hostile_project

TOKEN = "pbhtmltest"
BLANK = MarkdownText("\n\n")

PAGE = PageBody((
    Heading(1, "Title"), BLANK,
    HtmlBlock('<div class="pb-meta">\n<p>Summary with <a href="x.html">a link</a>.</p><dl>\n<dt>Version</dt><dd>2</dd></dl>\n</div>'),
    BLANK, Heading(2, "1. Section", "section-1"), BLANK,
    Heading(3, '1.1 <span class="pb-clause-of">Section</span>', "clause-1"), BLANK,
    HtmlBlock('<div class="pb-clause" data-clause="clause-1">\n<p>Staff <em>must</em> report it.</p>\n\n'
              '<p class="pb-clause__meta"><span>must</span><br>\n<img src="a.png" alt=""></p>\n'
              '<!-- a comment <div> -->\n</div>'),
    MarkdownText("\n\nSome *Markdown* text.\n\n"),
    HtmlBlock('<details class="pb-picker"><summary>Compare</summary>\n<table><tr><td>1 → 2</td></tr></table>\n</details>'),
    MarkdownText("\n"),
))


def _render(text: str) -> str:
    return markdown.Markdown(extensions=["attr_list", "toc"]).convert(text)


def test_the_body_writes_the_markdown_it_was_made_of():
    assert PAGE.markdown.startswith("# Title\n\n<div class=\"pb-meta\">")
    assert "\n\n### 1.1 <span class=\"pb-clause-of\">Section</span> {#clause-1}\n\n" in PAGE.markdown
    assert PAGE.markdown.endswith("</details>\n")


def test_only_the_html_blocks_are_set_aside():
    stash = stash_html_blocks(PAGE, TOKEN)
    assert len(stash.blocks) == 3
    assert stash.blocks[1].startswith('<div class="pb-clause"') and stash.blocks[1].endswith("</div>")
    assert "Some *Markdown* text." in stash.markdown
    assert "### 1.1 <span" in stash.markdown, "headings stay for the table of contents"
    assert "data-clause" not in stash.markdown
    assert stash.outline is None, "the Markdown text leaves the page to Markdown"


def test_restored_page_is_what_markdown_makes_of_the_whole_page():
    stash = stash_html_blocks(PAGE, TOKEN)
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(PAGE.markdown)


@pytest.mark.parametrize("parts", [
    (MarkdownText("Text\n"), HtmlBlock("<div>\n<p>no blank line before</p>\n</div>"), MarkdownText("\n")),
    (HtmlBlock("<div>\n<p>no blank line after</p>\n</div>"), MarkdownText("\nText\n")),
    (HtmlBlock("<span>inline, not a block</span>"), MarkdownText("\n")),
    (HtmlBlock("<div><p>text after the close</p></div> tail"), MarkdownText("\n")),
    (Heading(2, "Heading"), MarkdownText("\n"), HtmlBlock("<div>\n<p>right under a heading</p>\n</div>")),
    (HtmlBlock("<div>\n<p>a</p>\n</div>"), HtmlBlock("<div>\n<p>b</p>\n</div>")),
])
def test_blocks_markdown_would_not_pass_through_stay_in_the_markdown(parts):
    body = PageBody(parts)
    stash = stash_html_blocks(body, TOKEN)
    assert stash.blocks == () and stash.markdown == body.markdown
    assert stash.outline is None
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(body.markdown)


def test_a_block_holding_blank_lines_is_one_block():
    body = PageBody((Heading(1, "T"), BLANK, HtmlBlock('<div class="pb-clause">\n<p>one</p>\n\n<p>two</p>\n</div>'),
                     BLANK, Heading(2, "Next", "next"), MarkdownText("\n")))
    stash = stash_html_blocks(body, TOKEN)
    assert stash.blocks == ('<div class="pb-clause">\n<p>one</p>\n\n<p>two</p>\n</div>',)
    assert stash.outline == (Heading(1, "T"), 0, Heading(2, "Next", "next"))
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(body.markdown)


def test_blocks_get_what_markdown_does_to_whitespace():
    body = PageBody((HtmlBlock("<div>\n<p>\ta\x02b</p>\r\n   \n</div>"), MarkdownText("\n")))
    stash = stash_html_blocks(body, TOKEN)
    assert stash.blocks == ("<div>\n<p> ab</p>\n\n</div>",)
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(body.markdown)


@pytest.mark.parametrize("source", ["sample", "hostile"])
def test_every_generated_page_renders_the_same_with_its_blocks_set_aside(source, tmp_path):
    policies = SAMPLE_POLICIES if source == "sample" else write_hostile_project(tmp_path)
    handbook = load_handbook(policies).handbook
    for page in build_site(handbook, SiteOptions(today=dt.date(2026, 11, 1))).pages:
        stash = stash_html_blocks(page.body, TOKEN)
        assert stash.blocks, page.path
        assert len(stash.blocks) == sum(isinstance(part, HtmlBlock) for part in page.body.parts), page.path
        assert stash.outline is not None, page.path
        assert restore_html_blocks(_render(stash.markdown), stash) == _render(page.markdown), page.path


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\n", "\t", "x", "\r\n"]), max_size=30).map("".join))
def test_whitespace_lines_emptied_as_markdown_empties_them(text):
    from policybook.mkdocs_adapter import html_blocks

    # Python-Markdown's NormalizeWhitespace, after its tab and line-end steps (which _normalize_whitespace shares).
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    unified = unified.expandtabs(4) if "\t" in unified else unified
    assert html_blocks._normalize_whitespace(text) == re.sub(r"(?<=\n) +\n", "\n", unified)
