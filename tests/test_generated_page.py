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
    page = SitePage("a.md", title, "\n# Body\n", searchable=False)
    assert get_data(markdown_file(page)) == ("# Body\n", {"title": title, "search": {"exclude": True}})
