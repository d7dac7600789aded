"""Turn a generated page's skeleton into HTML without running Markdown.

Once its HTML blocks are set aside (see ``html_blocks``), a generated page
is a skeleton of ATX headings with ``{#id .class}`` attributes and one-line
placeholders. Python-Markdown spends most of a page's render building,
walking and serialising an element tree for those few lines; this module
writes the same HTML directly, from the headings the page's template marked
(``Stash.outline``): nothing is parsed.

It is a fast path, never a second dialect: :func:`heading_style` reads the
heading markup (permalinks, their class and title, table-of-contents depth,
slugs) from the ``toc`` extension exactly as MkDocs configures it, and
returns ``None`` when an extension outside :data:`KNOWN_EXTENSIONS` could
change the result. :func:`render_skeleton` returns ``None`` for a skeleton
holding anything but headings and placeholders, or a heading whose text an
inline pattern could change, and the page then goes through Markdown as
before. The tests render every generated page both ways and require
identical output.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

import markdown
# The module, not its names: a Markdown without one of them must still import
# this module, so that internals.check_internals can send pages to Markdown.
from markdown.extensions import toc

from ..render import Heading
from .html_blocks import Stash

KNOWN_EXTENSIONS = frozenset({
    # MkDocs' built-ins, and extensions Material's documentation recommends,
    # none of which touches a heading or a one-line paragraph of letters.
    "toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "def_list", "footnotes",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight",
    "pymdownx.inlinehilite", "pymdownx.snippets",
})

# Heading text the fast path accepts: characters with no meaning to Markdown's
# inline patterns, numeric character references (how ``literal`` writes every
# other character) and the one inline tag the page templates write. Control
# characters are out: Markdown uses some as its own markers and drops them.
_PLAIN_TEXT = re.compile(
    r"(?:[^\\`*_\[\]<>!&|~{}#\s\x00-\x1f\x7f-\x9f]|[ ]|&#[0-9]+;|<span class=\"pb-clause-of\">|</span>)+")
_NAME = re.compile(r"[A-Za-z0-9_-]+")  # an id or class that attr_list reads as it is written


@dataclass(frozen=True, slots=True)
class HeadingStyle:
    """How the configured ``toc`` extension marks up a heading."""

    toc_top: int
    toc_bottom: int
    permalink: str | None
    """Inner HTML of the permalink anchor, or ``None`` for no permalink."""
    permalink_class: str
    permalink_title: str
    slugify: Callable[[str, str], str]
    separator: str
    attribute_lists: bool
    """``attr_list`` is on, so ``{#id .class}`` after a heading sets its attributes."""


@dataclass(frozen=True, slots=True)
class RenderedSkeleton:
    """What Markdown would have made of the page."""

    content: str
    toc_tokens: list
    anchor_ids: frozenset[str]


def heading_style(extensions: list, extension_configs: dict) -> HeadingStyle | None:
    """The heading markup of this Markdown configuration, or ``None`` when the fast path may differ."""
    if any(_extension_name(ext) not in KNOWN_EXTENSIONS for ext in extensions):
        return None
    md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    if toc is None or toc.use_anchors or toc.permalink_leading or toc.base_level:
        return None
    if toc.use_permalinks is True:
        permalink = "&para;"
    elif not toc.use_permalinks:
        permalink = None
    elif re.fullmatch(r"[^&<>]*", str(toc.use_permalinks)):
        permalink = str(toc.use_permalinks)
    else:
        return None  # markup in the permalink text: let Markdown decide what it becomes
    return HeadingStyle(
        toc_top=toc.toc_top, toc_bottom=toc.toc_bottom, permalink=permalink,
        permalink_class=toc.permalink_class, permalink_title=toc.permalink_title,
        slugify=toc.slugify, separator=toc.sep, attribute_lists="attr_list" in md.treeprocessors,
    )


def _extension_name(extension) -> str:
    if not isinstance(extension, str):
        return ""  # an extension object: nothing tells what it does
    name = extension.split(":")[0]
    return name[len("markdown.extensions."):] if name.startswith("markdown.extensions.") else name


def heading_markup(stash: Stash) -> str | None:
    """What the outline's headings need to come out of Markdown as written, or ``None`` if they may not.

    ``"text"``: plain text alone; ``"attributes"``: plain text, and an id or a
    class that only ``attr_list`` keeps; ``None``: no outline, or text an
    inline pattern could change. It depends on the page alone, so the process
    that renders the page works it out (``plugin._stash_of``).
    """
    if stash.outline is None:
        return None
    attributes = False
    for heading in stash.outline:
        if isinstance(heading, Heading):
            names = ((heading.id,) if heading.id is not None else ()) + heading.classes
            if not _PLAIN_TEXT.fullmatch(heading.html.strip()) or not all(_NAME.fullmatch(name) for name in names):
                return None
            attributes = attributes or bool(names)
    return "attributes" if attributes else "text"


def render_skeleton(stash: Stash, style: HeadingStyle, markup: str | None) -> RenderedSkeleton | None:
    """The page's HTML, table of contents and heading ids, or ``None`` if Markdown must render it.

    Args:
        stash: the page's skeleton, read from its outline: the headings as
            Markdown would read them, and the HTML blocks.
        style: from :func:`heading_style`.
        markup: ``heading_markup(stash)``, worked out where the page was rendered.
    """
    if markup is None or (markup == "attributes" and not style.attribute_lists):
        return None
    headings = [item for item in stash.outline if isinstance(item, Heading)]
    used_ids = {heading.id for heading in headings if heading.id is not None}
    permalink_class = html.escape(style.permalink_class)
    permalink_title = f' title="{html.escape(style.permalink_title)}"' if style.permalink_title else ""
    counters: dict[str, int] = {}
    # One join of every piece: the blocks are most of the page, and each extra concatenation copied them all.
    out: list[str] = []
    toc_tokens: list[dict] = []
    for item in stash.outline:
        if out:
            out.append("\n")
        if not isinstance(item, Heading):
            out += (stash.blocks[item], "\n")  # Markdown leaves a blank line after an HTML block ...
            continue
        level, text, hid = item.level, item.html.strip(), item.id
        in_toc = style.toc_top <= level <= style.toc_bottom
        # Most headings are clauses, outside the table of contents and with an id: no name needed.
        name = (toc.strip_tags(text) if "<" in text else " ".join(text.split())) if in_toc or hid is None else ""
        if hid is None:
            hid = toc.unique(style.slugify(html.unescape(name), style.separator), used_ids, counters)
        if in_toc:
            toc_tokens.append({"level": level, "id": hid, "name": name, "html": text, "data-toc-label": ""})
        classes = " ".join(item.classes)
        attributes = (f' class="{classes}"' if classes else "") + f' id="{html.escape(hid)}"'
        permalink = ""
        if style.permalink is not None:
            permalink = f'<a class="{permalink_class}" href="#{html.escape(hid)}"{permalink_title}>{style.permalink}</a>'
        out.append(f"<h{level}{attributes}>{text}{permalink}</h{level}>")
    if out and out[-1] == "\n":
        out.pop()  # ... except after the last one on the page
    return RenderedSkeleton("".join(out), toc.nest_toc_tokens(toc_tokens), frozenset(used_ids))
