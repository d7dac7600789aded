"""Pages as Markdown files with YAML front matter: ``policybook export`` and the MkDocs adapter.

The front matter holds what MkDocs-style engines read: the page ``title``,
and ``search: {exclude: true}`` on pages the search index leaves out (the
key Material for MkDocs reads; other engines ignore it).
"""

from __future__ import annotations

import json
import re

from ..pages import SitePage

# Characters YAML will not read raw (controls, line separators, non-characters).
_NOT_YAML_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def page_meta(page: SitePage) -> dict:
    """The page's front matter: its title, and whether search leaves it out."""
    meta: dict = {"title": page.title}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return meta


def front_matter(meta: dict) -> str:
    """``meta`` as a YAML front matter block, ready to put before a page's Markdown."""
    lines = ["---", *(f"{key}: {_yaml_value(value)}" for key, value in meta.items()), "---", ""]
    return "\n".join(lines)


def markdown_file(page: SitePage) -> str:
    """The page as a Markdown file with YAML front matter."""
    return front_matter(page_meta(page)) + page.markdown


def _yaml_value(value) -> str:
    """``value`` as YAML front matter that MkDocs reads back exactly.

    JSON is YAML, but ``json.dumps`` escapes an emoji as a surrogate pair,
    which PyYAML cannot join: MkDocs then drops the whole front matter and
    shows it as page text. So keep characters raw, escaping only those YAML
    cannot read raw (all in the Basic Multilingual Plane).
    """
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
