"""Pages as Markdown files with YAML front matter: ``policybook export`` and the MkDocs adapter.

The front matter holds what MkDocs-style engines read: the page ``title``,
and ``search: {exclude: true}`` on pages the search index leaves out (the
key Material for MkDocs reads; other engines ignore it).
"""

from __future__ import annotations

import dataclasses
import json
import re

from markupsafe import Markup, escape

from ..pages import SitePage

# Characters YAML will not read raw (controls, line separators, non-characters),
# and those a Markdown engine without front matter support would read as markup.
_NOT_YAML_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[<>\\[\\]`]")


def html_text(text: str) -> Markup:
    """Author text for a value a site engine's theme prints: site name, page and navigation titles.

    MkDocs' templates do not autoescape, and Material prints these values raw
    in most places (``{{ config.site_name }}`` in the header and ``<title>``)
    but with ``| e`` in a few attributes. Escaped once, as ``Markup``, the
    text prints the same in both: ``| e`` leaves ``Markup`` alone. An engine
    that escapes titles itself shows an ampersand as ``&amp;``: the price of
    never running an author's markup.
    """
    return escape(text)


def html_nav(nav: list) -> list:
    """The navigation with every title escaped by :func:`html_text`."""
    escaped = []
    for entry in nav:
        (title, target), = entry.items()
        escaped.append({html_text(title): html_nav(target) if isinstance(target, list) else target})
    return escaped


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
    """The page as a Markdown file with YAML front matter, its title as it is."""
    return front_matter(page_meta(page)) + page.markdown


def exported_file(page: SitePage) -> str:
    """The page as ``policybook export`` writes it for any engine: its title escaped (see :func:`html_text`)."""
    return markdown_file(dataclasses.replace(page, title=html_text(page.title)))


def _yaml_value(value) -> str:
    """``value`` as YAML front matter that MkDocs reads back exactly.

    JSON is YAML, but ``json.dumps`` escapes an emoji as a surrogate pair,
    which PyYAML cannot join: MkDocs then drops the whole front matter and
    shows it as page text. So keep characters raw, escaping only those YAML
    cannot read raw (all in the Basic Multilingual Plane), and the few that
    make HTML or links: an engine that knows no front matter renders it as
    Markdown.
    """
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
