"""Generated pages rendered without Markdown are exactly what Markdown makes of them."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synth import Scale, write_handbook
from policybook.mkdocs_adapter.html_blocks import restore_html_blocks, stash_html_blocks
from policybook.load import load_handbook
from policybook.render import Heading, HtmlBlock, MarkdownText, PageBody
from policybook.render.text import literal
from policybook.pages import SiteOptions, build_site
from policybook.mkdocs_adapter.skeleton_html import heading_markup, heading_style, render_skeleton
from tests.conftest import SAMPLE_POLICIES
from tests.hostile import write_hostile_project

TOKEN = "pbhtmltest"
BLANK = MarkdownText("\n\n")
BLOCK = HtmlBlock("<div>\n<p>block</p>\n</div>")
MKDOCS_BUILTINS = ["toc", "tables", "fenced_code"]
SAMPLE_CONFIG = {"toc": {"permalink": True, "toc_depth": 2}}
# What Material's documentation suggests switching on: the fast path must not be fooled by any of it.
MATERIAL_SET = MKDOCS_BUILTINS + ["attr_list", "md_in_html", "admonition", "def_list", "footnotes",
                                  "pymdownx.details", "pymdownx.superfences"]


def _markdown_render(skeleton: str, stash, extensions, configs):
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    return restore_html_blocks(md.convert(skeleton), stash), md.toc_tokens


def _whole_page_render(body: PageBody, extensions, configs):
    """What Markdown alone makes of the page's complete Markdown: nothing set aside."""
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    return md.convert(body.markdown), md.toc_tokens


def _pages(policies):
    result = load_handbook(policies)
    assert result.ok, result.problems[:3]
    return build_site(result.handbook, SiteOptions(today=dt.date(2026, 11, 1))).pages


def _assert_same_as_markdown(pages, extensions, configs):
    style = heading_style(extensions, configs)
    assert style is not None
    fast = 0
    for page in pages:
        stash = stash_html_blocks(page.body, TOKEN)
        rendered = render_skeleton(stash, style, heading_markup(stash))
        if rendered is None:
            continue
        fast += 1
        content, toc = _markdown_render(stash.markdown, stash, extensions, configs)
        assert rendered.content == content, page.path
        assert rendered.toc_tokens == toc, page.path
        assert (rendered.content, rendered.toc_tokens) == _whole_page_render(page.body, extensions, configs), page.path
    return fast


@pytest.mark.parametrize("extensions", [MKDOCS_BUILTINS + ["attr_list"], MATERIAL_SET], ids=["sample", "material"])
def test_sample_pages_match_markdown(extensions):
    pages = _pages(SAMPLE_POLICIES)
    assert _assert_same_as_markdown(pages, extensions, SAMPLE_CONFIG) == len(pages), "every page takes the fast path"


def test_hostile_pages_match_markdown(tmp_path):
    pages = _pages(write_hostile_project(tmp_path))
    assert _assert_same_as_markdown(pages, MKDOCS_BUILTINS + ["attr_list"], {"toc": {"permalink": True}}) > 0


def test_synthetic_pages_match_markdown(tmp_path):
    write_handbook(tmp_path, Scale(policies=6, versions=3, clauses=12, roles=8))
    pages = _pages(tmp_path / "policies")
    assert _assert_same_as_markdown(pages, MATERIAL_SET, {"toc": {"permalink": "#", "toc_depth": "2-3"}}) > 0


@settings(max_examples=300, deadline=None)
@given(title=st.text(min_size=1, max_size=40), level=st.integers(1, 6))
def test_any_title_written_by_literal_matches_markdown(title, level):
    body = PageBody((Heading(level, literal(title)), BLANK, BLOCK, BLANK, Heading(2, "Definitions", "definitions"), BLANK,
                     Heading(3, f'1.1 <span class="pb-clause-of">{literal(title)}</span>', "c1")))
    stash = stash_html_blocks(body, TOKEN)
    style = heading_style(MKDOCS_BUILTINS + ["attr_list"], SAMPLE_CONFIG)
    rendered = render_skeleton(stash, style, heading_markup(stash))
    if title.strip() and title.isprintable():
        assert rendered is not None, "printable titles take the fast path"
    if rendered is not None:
        content, toc = _markdown_render(stash.markdown, stash, MKDOCS_BUILTINS + ["attr_list"], SAMPLE_CONFIG)
        assert (rendered.content, rendered.toc_tokens) == (content, toc)
        assert (content, toc) == _whole_page_render(body, MKDOCS_BUILTINS + ["attr_list"], SAMPLE_CONFIG)


def test_a_title_slug_that_clashes_gets_markdowns_suffix():
    stash = stash_html_blocks(PageBody((Heading(1, "Definitions"), BLANK, Heading(2, "Definitions", "definitions"))), TOKEN)
    extensions = MKDOCS_BUILTINS + ["attr_list"]
    rendered = render_skeleton(stash, heading_style(extensions, {"toc": {"permalink": True}}), heading_markup(stash))
    assert '<h1 id="definitions_1">' in rendered.content
    assert rendered.content == _markdown_render(stash.markdown, stash, extensions, {"toc": {"permalink": True}})[0]


def test_attributes_without_attr_list_go_to_markdown():
    stash = stash_html_blocks(PageBody((Heading(2, "Definitions", "definitions"),)), TOKEN)
    assert render_skeleton(stash, heading_style(MKDOCS_BUILTINS, {}), heading_markup(stash)) is None


@pytest.mark.parametrize("extensions, configs", [
    (MKDOCS_BUILTINS + ["smarty"], {}),  # rewrites quotes and dashes in headings
    (MKDOCS_BUILTINS + ["abbr"], {}),  # may wrap words of a heading
    (MKDOCS_BUILTINS, {"toc": {"anchorlink": True}}),
    (MKDOCS_BUILTINS, {"toc": {"permalink": True, "permalink_leading": True}}),
    (MKDOCS_BUILTINS, {"toc": {"baselevel": 2}}),
    (MKDOCS_BUILTINS, {"toc": {"permalink": "<b>#</b>"}}),
])
def test_configurations_the_fast_path_cannot_promise_go_to_markdown(extensions, configs):
    assert heading_style(extensions, configs) is None


@pytest.mark.parametrize("parts", [
    (Heading(1, "Title"), MarkdownText("\n\nSome *Markdown* text.")),
    (Heading(1, "Title"), MarkdownText("\n\n- a list")),
    (Heading(1, "Title"), MarkdownText("\n"), BLOCK, MarkdownText(" and text")),
    (Heading(1, "Title with *emphasis*"),),
    (Heading(1, "Title", "id key=value"),),
    (Heading(1, "Title", "id", ("a.b",)),),
    (MarkdownText("    "), Heading(1, "indented code")),
    (Heading(1, "Title"), Heading(2, "on the same line")),
])
def test_anything_but_headings_and_placeholders_goes_to_markdown(parts):
    stash = stash_html_blocks(PageBody(parts), TOKEN)
    assert render_skeleton(stash, heading_style(MKDOCS_BUILTINS + ["attr_list"], {}), heading_markup(stash)) is None


@pytest.mark.parametrize("parts, markup", [
    ((Heading(1, "Title"), BLANK, Heading(2, "Scope")), "text"),
    ((Heading(1, "Title"), BLANK, Heading(2, "Definitions", "definitions")), "attributes"),
    ((Heading(1, "Title with *emphasis*"),), None),
    ((Heading(1, "Title", "id", ("a.b",)),), None),
    ((Heading(1, "Title"), MarkdownText("\n\nSome text.")), None),
])
def test_heading_markup_says_whether_the_skeleton_can_be_written_without_markdown(parts, markup):
    # Worked out where the page is rendered (plugin._stash_of), then handed to render_skeleton.
    stash = stash_html_blocks(PageBody(parts), TOKEN)
    assert heading_markup(stash) == markup
    style = heading_style(MKDOCS_BUILTINS + ["attr_list"], {"toc": {"permalink": True}})
    assert (render_skeleton(stash, style, markup) is None) == (markup is None)
