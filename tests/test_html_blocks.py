"""Setting HTML blocks aside while Markdown renders a page changes nothing in the result."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest

from policybook.mkdocs_adapter.html_blocks import restore_html_blocks, stash_html_blocks
from policybook.load import load_handbook
from policybook.pages import SiteOptions, build_site
from tests.conftest import SAMPLE_POLICIES
from tests.hostile import write_hostile_project

TOKEN = "pbhtmltest"

PAGE = """# Title

<div class="pb-meta">
<p>Summary with <a href="x.html">a link</a>.</p><dl>
<dt>Version</dt><dd>2</dd></dl>
</div>

## 1. Section {#section-1}

### 1.1 <span class="pb-clause-of">Section</span> {#clause-1}

<div class="pb-clause" data-clause="clause-1">
<p>Staff <em>must</em> report it.</p>

<p class="pb-clause__meta"><span>must</span><br>
<img src="a.png" alt=""></p>
<!-- a comment <div> -->
</div>

Some *Markdown* text.

<details class="pb-picker"><summary>Compare</summary>
<table><tr><td>1 → 2</td></tr></table>
</details>
"""


def _render(text: str) -> str:
    return markdown.Markdown(extensions=["attr_list", "toc"]).convert(text)


def test_only_the_html_blocks_are_set_aside():
    stash = stash_html_blocks(PAGE, TOKEN)
    assert len(stash.blocks) == 3
    assert stash.blocks[1].startswith('<div class="pb-clause"') and stash.blocks[1].endswith("</div>")
    assert "Some *Markdown* text." in stash.markdown
    assert "### 1.1 <span" in stash.markdown, "headings stay for the table of contents"
    assert "data-clause" not in stash.markdown


def test_restored_page_is_what_markdown_makes_of_the_whole_page():
    stash = stash_html_blocks(PAGE, TOKEN)
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(PAGE)


@pytest.mark.parametrize("text", [
    "Text\n<div>\n<p>no blank line before</p>\n</div>\n",
    "<div>\n<p>no blank line after</p>\n</div>\nText\n",
    "<span>inline, not a block</span>\n",
    "<div>\n<p>never closed</p>\n",
    "<div><p>text after the close</p></div> tail\n",
])
def test_blocks_markdown_would_not_pass_through_stay_in_the_markdown(text):
    stash = stash_html_blocks(text, TOKEN)
    assert stash.blocks == () and stash.markdown == text
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(text)


def test_blocks_one_after_another_are_one_run():
    text = "## Changes\n\n<div id=\"a\">\n<p>x</p>\n</div>\n<div id=\"b\">\n<p>y</p>\n</div>\n\n## Next\n"
    stash = stash_html_blocks(text, TOKEN)
    assert len(stash.blocks) == 1
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(text)


def test_a_block_holding_blank_lines_is_one_block():
    text = "# T\n\n<div class=\"pb-clause\">\n<p>one</p>\n\n<p>two</p>\n</div>\n\n## Next {#next}\n"
    stash = stash_html_blocks(text, TOKEN)
    assert stash.blocks == ('<div class="pb-clause">\n<p>one</p>\n\n<p>two</p>\n</div>',)
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(text)


@pytest.mark.parametrize("text", [
    "<div>\n<p>a</p><!-- </div> -->\n</div>\n",  # a commented-out tag
    "<div>\n<p>a<br/>b</p>\n</div>\n",  # a tag that closes itself
    "<div title=\"a > b\">\n<p>a</p>\n</div>\n",  # an angle bracket in an attribute
])
def test_blocks_counting_cannot_read_are_read_tag_by_tag(text):
    stash = stash_html_blocks(text, TOKEN)
    assert len(stash.blocks) == 1
    assert restore_html_blocks(_render(stash.markdown), stash) == _render(text)


@pytest.mark.parametrize("source", ["sample", "hostile"])
def test_every_generated_page_renders_the_same_with_its_blocks_set_aside(source, tmp_path):
    policies = SAMPLE_POLICIES if source == "sample" else write_hostile_project(tmp_path)
    handbook = load_handbook(policies).handbook
    for page in build_site(handbook, SiteOptions(today=dt.date(2026, 11, 1))).pages:
        stash = stash_html_blocks(page.markdown, TOKEN)
        assert stash.blocks, page.path
        assert restore_html_blocks(_render(stash.markdown), stash) == _render(page.markdown), page.path
