"""GeneratedPage reads its front matter without YAML and gets what MkDocs would have read."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from markupsafe import escape
from mkdocs.utils.meta import get_data

from policybook.load import load_handbook
from policybook.pages import SitePage, SiteOptions, build_site
from policybook.outputs.export import markdown_file, page_meta
from policybook.render import PageBody
from tests.conftest import SAMPLE_POLICIES
from tests.hostile import write_hostile_project


def _site_pages(source, tmp_path):
    policies = SAMPLE_POLICIES if source == "sample" else write_hostile_project(tmp_path)
    return build_site(load_handbook(policies).handbook, SiteOptions(today=dt.date(2026, 11, 1))).pages


@pytest.mark.parametrize("source", ["sample", "hostile"])
def test_front_matter_read_back_is_what_the_page_keeps(source, tmp_path):
    for page in _site_pages(source, tmp_path):
        page = dataclasses.replace(page, title=str(escape(page.title)))  # as the plugin writes it
        assert get_data(markdown_file(page)) == (page.markdown.lstrip("\n"), page_meta(page)), page.path


@pytest.mark.parametrize("title", ["Emoji 😀 policy", "Line\u2028separator", "Quote \" and: colon", "#hash", "- dash"])
def test_awkward_titles_read_back_the_same(title):
    page = SitePage("a.md", title, PageBody.from_markdown("\n# Body\n"), searchable=False)
    assert get_data(markdown_file(page)) == ("# Body\n", {"title": title, "search": {"exclude": True}})


def _generated_page(tmp_path, body: PageBody):
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from policybook.mkdocs_adapter.html_blocks import stash_html_blocks
    from policybook.mkdocs_adapter.page import GeneratedPage
    from policybook.mkdocs_adapter.skeleton_html import heading_style

    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path), "markdown_extensions": ["toc", "attr_list"]})
    assert config.validate() == ([], [])
    meta = {"title": "T"}
    stash = stash_html_blocks(body, "pbhtmltest")
    file = File("a.md", src_dir=None, dest_dir=str(tmp_path / "site"), use_directory_urls=False)
    file.content_string = stash.markdown
    page = GeneratedPage("T", file, config, meta=meta, stash=stash,
                         style=heading_style(config.markdown_extensions, config.mdx_configs))
    page.read_source(config)
    return page, config, Files([file])


def test_a_page_renders_from_its_outline_as_markdown_would(tmp_path):
    import markdown

    from policybook.render import Heading, HtmlBlock, MarkdownText

    blank = MarkdownText("\n\n")
    body = PageBody((Heading(1, "Title"), blank, HtmlBlock('<div id="x">\n<p>a</p>\n</div>'), blank,
                     Heading(2, "Part", "part"), MarkdownText("\n")))
    page, config, files = _generated_page(tmp_path, body)
    page.render(config, files)
    assert page._title_from_render is None, "written from the outline, not by Markdown"
    assert page.content == markdown.markdown(body.markdown, extensions=["toc", "attr_list"])
    assert page.present_anchor_ids == {"title", "part", "x"}
    assert [item.id for item in page.toc.items] == ["title"]


def test_markdown_another_plugin_changed_goes_through_markdown(tmp_path):
    from policybook.render import Heading, HtmlBlock, MarkdownText

    blank = MarkdownText("\n\n")
    body = PageBody((Heading(1, "Title"), blank, HtmlBlock("<div>\n<p>a</p>\n</div>"), MarkdownText("\n")))
    page, config, files = _generated_page(tmp_path, body)
    page.markdown += "\nAdded *by a plugin*.\n"
    page.render(config, files)
    assert "<p>Added <em>by a plugin</em>.</p>" in page.content
    assert "<div>\n<p>a</p>\n</div>" in page.content
