"""Turn a generated page's skeleton into HTML without running Markdown.

Once its HTML blocks are set aside (see ``generator.html_blocks``), a
generated page is a skeleton of ATX headings with ``{#id .class}``
attributes and one-line placeholders. Python-Markdown spends most of a page's
render building, walking and serialising an element tree for those few
lines; this module writes the same HTML directly.

It is a fast path, never a second dialect: :func:`heading_style` reads the
heading markup (permalinks, their class and title, table-of-contents depth,
slugs) from the ``toc`` extension exactly as MkDocs configures it, and
returns ``None`` when an extension outside :data:`KNOWN_EXTENSIONS` could
change the result. :func:`render_skeleton` returns ``None`` for any line it
does not recognise, and the page then goes through Markdown as before. The
tests render every generated page both ways and require identical output.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

import markdown
from markdown.extensions.toc import nest_toc_tokens, strip_tags, unique

from .html_blocks import Stash, restore_html_blocks

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
_HEADING = re.compile(r"(#{1,6}) +(.+?)(?: +\{([^{}]*)\})?")
_ATTRIBUTE = re.compile(r"([#.])([A-Za-z0-9_-]+)")


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


def render_skeleton(skeleton: str, stash: Stash, style: HeadingStyle) -> RenderedSkeleton | None:
    """The page's HTML, table of contents and heading ids, or ``None`` if Markdown must render it.

    Args:
        skeleton: the page's Markdown as MkDocs holds it (``stash.markdown``
            after the front matter is read and other plugins had their say).
        stash: the HTML blocks that go back in place of the placeholders.
        style: from :func:`heading_style`.
    """
    headings: list[tuple[int, str, str | None, str]] = []
    pieces: list[str | int] = []  # heading index, or the placeholder's paragraph
    lines = skeleton.split("\n")
    placeholder = re.compile(rf"{re.escape(stash.token)}-[0-9]+")
    for index, line in enumerate(lines):
        if not line:
            continue
        if placeholder.fullmatch(line):
            # A paragraph of its own: a blank line or a heading on both sides.
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(lines) and lines[neighbour] and not lines[neighbour].startswith("#"):
                    return None
            pieces.append(f"<p>{line}</p>")
            continue
        parsed = _parse_heading(line, style.attribute_lists)
        if parsed is None:
            return None
        pieces.append(len(headings))
        headings.append(parsed)

    used_ids = {hid for _, _, hid, _ in headings if hid is not None}
    permalink_class = html.escape(style.permalink_class)
    permalink_title = f' title="{html.escape(style.permalink_title)}"' if style.permalink_title else ""
    counters: dict[str, int] = {}
    out: list[str] = []
    toc_tokens: list[dict] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        level, text, hid, classes = headings[piece]
        in_toc = style.toc_top <= level <= style.toc_bottom
        # Most headings are clauses, outside the table of contents and with an id: no name needed.
        name = (strip_tags(text) if "<" in text else " ".join(text.split())) if in_toc or hid is None else ""
        if hid is None:
            hid = unique(style.slugify(html.unescape(name), style.separator), used_ids, counters)
        if in_toc:
            toc_tokens.append({"level": level, "id": hid, "name": name, "html": text, "data-toc-label": ""})
        attributes = (f' class="{classes}"' if classes else "") + f' id="{html.escape(hid)}"'
        permalink = ""
        if style.permalink is not None:
            permalink = f'<a class="{permalink_class}" href="#{html.escape(hid)}"{permalink_title}>{style.permalink}</a>'
        out.append(f"<h{level}{attributes}>{text}{permalink}</h{level}>")
    content = restore_html_blocks("\n".join(out), stash)
    return RenderedSkeleton(content, nest_toc_tokens(toc_tokens), frozenset(used_ids))


def _parse_heading(line: str, attribute_lists: bool) -> tuple[int, str, str | None, str] | None:
    """(level, inner HTML, id, classes) of a heading the fast path reproduces exactly."""
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    hashes, text, attributes = match.groups()
    if attributes is not None and not attribute_lists:
        return None
    text = text.strip()
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    hid, classes = None, []
    if attributes is not None:
        tokens = attributes.split()
        for token in tokens:
            parsed = _ATTRIBUTE.fullmatch(token)
            if parsed is None:
                return None
            if parsed.group(1) == "#":
                hid = parsed.group(2)
            else:
                classes.append(parsed.group(2))
    return len(hashes), text, hid, " ".join(classes)
