"""Issue 19: a titled clause is listed in its page's contents, under its section.

The sample's Data Protection Policy titles every clause, the other policies
none. The contents (Material's "Table of contents" beside the page, and in
the navigation drawer on a phone) list the sections, as ``toc_depth: 2``
says, and each titled clause as "number title" under its section; untitled
clauses stay out, and nothing else on the page changes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.structure.toc import get_toc

from policybook.edition import select_edition
from policybook.load import load_handbook
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.mkdocs_adapter.contents import listed_headings, with_listed_headings
from policybook.render import Heading, PageBody
from tests.conftest import SAMPLE_POLICIES
from tests.test_site_build import TODAY, built, copy_project  # noqa: F401  (module fixture)


def _token(level: int, id: str, children=()) -> dict:
    return {"level": level, "id": id, "name": id, "children": list(children)}


def _shape(items) -> list:
    return [(link.title, _shape(link.children)) if link.children else link.title for link in items]


def test_a_titled_heading_joins_the_contents_under_its_section_in_page_order():
    toc = get_toc([_token(1, "top", [_token(2, "one"), _token(2, "two", [_token(3, "sub")]), _token(2, "end")])])
    headings = [Heading(1, "Top", "top"), Heading(2, "One", "one"),
                Heading(3, "1.1", "a", contents="1.1 First"), Heading(3, "1.2", "b"),  # untitled: not listed
                Heading(3, "1.3", "c", contents="1.3  Third\n"),
                Heading(2, "Two", "two"), Heading(3, "2.1", "d", contents="2.1 Before the sub-section"),
                Heading(3, "Sub", "sub"), Heading(4, "2.1.1", "e", contents="2.1.1 Inside it"),
                Heading(2, "End", "end")]
    assert listed_headings(PageBody(tuple(headings))) == tuple(headings)
    assert _shape(with_listed_headings(toc, headings)) == [("top", [
        ("one", ["1.1 First", "1.3 Third"]),
        ("two", ["2.1 Before the sub-section", ("sub", ["2.1.1 Inside it"])]),
        "end",
    ])]


def test_a_page_without_titled_headings_keeps_its_contents_as_they_are():
    untitled = [Heading(2, "One", "one"), Heading(3, "1.1", "a"), Heading(3, "x", None, contents="no id")]
    assert listed_headings(PageBody(tuple(untitled))) is None


class _Contents(HTMLParser):
    """The page's "Table of contents" as nested (label, children) pairs, and the article's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tree: list = []
        self._stack = [self.tree]
        self._in_toc = 0  # nav depth inside the secondary nav
        self._label: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "nav" and ("md-nav--secondary" in classes or self._in_toc):
            self._in_toc += 1
        elif self._in_toc and tag == "li":
            entry = ["", []]
            self._stack[-1].append(entry)
            self._stack.append(entry[1])
        elif self._in_toc and tag == "a":
            self._label = []

    def handle_endtag(self, tag):
        if self._in_toc and tag == "nav":
            self._in_toc -= 1
        elif self._in_toc and tag == "li":
            self._stack.pop()
        elif self._label is not None and tag == "a":
            parent = self._stack[-2][-1]
            parent[0] = " ".join("".join(self._label).split())
            self._label = None

    def handle_data(self, data):
        if self._label is not None:
            self._label.append(data)


def contents(page: str) -> list:
    """The contents beside the page; on a phone Material shows a second copy in the navigation drawer: the same."""
    parser = _Contents()
    parser.feed(page)
    drawer, sidebar = parser.tree[:len(parser.tree) // 2], parser.tree[len(parser.tree) // 2:]
    assert drawer == sidebar
    return sidebar


@pytest.fixture(scope="module")
def public_markdown_site(tmp_path_factory) -> Path:
    """The sample's public edition rendered through Markdown: ``abbr`` is outside the skeleton's known extensions."""
    project = copy_project(tmp_path_factory.mktemp("contents"))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("markdown_extensions:\n", "markdown_extensions:\n  - abbr\n", 1)
    config.write_text(text, encoding="utf-8")
    return build_site_atomically(config, today=TODAY, edition="public")


@pytest.mark.parametrize("edition", ["staff", "public"])
def test_the_sample_lists_titled_clauses_under_their_sections(built, public_markdown_site, edition):  # noqa: F811
    site = built if edition == "staff" else public_markdown_site
    handbook = select_edition(load_handbook(SAMPLE_POLICIES).handbook, edition)
    version = handbook.policy("data-protection").adopted
    page = (site / "policies" / "data-protection.html").read_text(encoding="utf-8")
    sections = {label: [child for child, _ in children] for label, children in contents(page)}
    for section in version.sections:
        titled = [f"{clause.number} {clause.title}" for clause in section.clauses]
        assert sections[f"{section.number}. {section.title}"] == titled
    assert sections["Definitions"] == [] and "Version history" in sections
    if edition == "public":  # a staff-only clause's title is not in the public edition's contents either
        assert "Out-of-hours breach contacts" not in page
    # Social Media titles no clause: its contents are its sections and blocks only.
    social = contents((site / "policies" / "social-media.html").read_text(encoding="utf-8"))
    assert social and all(children == [] for _, children in social)
    assert [label for label, _ in social if re.match(r"\d+\. ", label)] == [
        f"{s.number}. {s.title}" for s in handbook.policy("social-media").adopted.sections if s.binding]


def test_the_contents_entry_is_escaped_author_text(tmp_path):
    from tests.conftest import SETTINGS, version_text, write_handbook

    text = version_text().replace("      - id: ", "      - title: Gifts <b>&amp; hospitality</b>\n        id: ", 1)
    project = tmp_path / "project"
    project.mkdir()
    write_handbook(project, {"demo/v1.yaml": text}, settings=SETTINGS)
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text("site_name: Demo\nuse_directory_urls: false\ntheme: {name: material}\n"
                                        "markdown_extensions: [attr_list, {toc: {toc_depth: 2}}]\n"
                                        "plugins: [search, policybook]\n", encoding="utf-8")
    site = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    page = (site / "policies" / "demo.html").read_text(encoding="utf-8")
    assert "<b>&amp;" not in page and "Gifts <b>" not in page
    labels = [child for _, children in contents(page) for child, _ in children]
    assert labels == ["1.1 Gifts <b>&amp; hospitality</b>"], "shown as the author typed it, as text"
