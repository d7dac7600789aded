"""Render author text safely.

Author text is untrusted. Clause text gets a small Markdown subset
(paragraphs, emphasis, code, lists, links) through Python-Markdown with every
raw-HTML path removed; links keep only http, https, mailto and internal
targets. Text that sits inside the page's own Markdown (headings) is turned
into character references so the outer Markdown pass reads it as plain text.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")

# Block and inline processors that would let authors write headings, code
# blocks, images, rules or raw HTML into a clause.
_BLOCKS_REMOVED = ("code", "hashheader", "setextheader", "hr", "quote", "reference")
_INLINE_REMOVED = ("html", "image_link", "image_reference", "short_image_ref", "reference", "short_reference")


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and scheme-less (internal) targets."""
    # Browsers read a backslash as a slash, so "/\\host" is "//host": another site.
    cleaned = _CONTROL.sub("", html.unescape(url)).replace("\\", "/")
    if cleaned.startswith("//"):
        return False
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme == "" or scheme in SAFE_SCHEMES


LINK_SCAN_LIMIT = 2_000
"""Characters after a ``[`` in which its link must end (text and target together)."""
LINK_BRACKET_LIMIT = 200
"""A text with more ``[`` than this is rendered with no links: each is shown as typed."""
LIST_MARKERS_PER_LINE = 8
"""List markers at the start of one line (``- - - x`` nests a list in a list) kept as markers."""

_LIST_MARKER = r"(?:[-+*]|\d+[.)])[ \t]+"
_STACKED_MARKERS = re.compile(rf"^([ \t]*(?:{_LIST_MARKER}){{{LIST_MARKERS_PER_LINE}}})((?:{_LIST_MARKER})+)", re.M)
_MARKER = re.compile(r"[-+*.)]")


def _unstack_markers(text: str) -> str:
    """Escape the list markers past :data:`LIST_MARKERS_PER_LINE` on a line: they are shown as typed.

    Each marker opens a list inside the last one, and Python-Markdown
    recurses once per level: a few hundred on one line overflowed the stack.
    """
    return _STACKED_MARKERS.sub(lambda m: m.group(1) + _MARKER.sub(r"\\\g<0>", m.group(2)), text)


class _BoundedLink(LinkInlineProcessor):
    """Python-Markdown's link pattern, looking for the closing ``]`` and ``)`` nearby only.

    It scans from every ``[`` to the matching bracket, to the end of the text
    if there is none, so thousands of unclosed ``[a](`` took minutes. With
    the window and :data:`LINK_BRACKET_LIMIT` a text costs at most about
    200 x 2,000 character steps.
    """

    def handleMatch(self, m, data):
        # A prefix of the text: indexes into it are indexes into the text.
        return super().handleMatch(m, data[:m.end(0) + LINK_SCAN_LIMIT])


class _LinkGuard(Treeprocessor):
    """Unwrap links to unsafe targets into their plain text."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag != "a":
                    continue
                href = child.get("href", "")
                if is_safe_url(href):
                    if urlsplit(href).scheme in ("http", "https"):
                        child.set("rel", "noopener noreferrer")
                    continue
                span = etree.Element("span")
                span.text, span.tail = child.text, child.tail
                span.extend(list(child))
                parent.remove(child)
                parent.insert(index, span)


# One line that Markdown turns into exactly "<p>line</p>": no character that
# an inline pattern or HTML escaping acts on, no line break of any kind, no
# block marker at its start (lists, headings, quotes, rules), no whitespace
# at either end (an indent, a trailing-spaces line break).
# tests/test_prose_fast_path.py compares it with Markdown.
_NEVER = r"\\`*_{}\[\]<>&#~|\x00-\x1f\x7f\x85\u2028\u2029"
_PLAIN_PARAGRAPH = re.compile(rf"(?![-+*>#=!]|\d+[.)])[^\s{_NEVER}](?:[^{_NEVER}]*[^\s{_NEVER}])?")


class ProseRenderer:
    """A reusable restricted Markdown converter (not thread-safe, like Markdown)."""

    def __init__(self) -> None:
        self._md = _restricted_markdown(links=True)
        self._md_without_links: markdown.Markdown | None = None
        # The same clause text appears on every version page, the policy page,
        # comparisons and checklists: convert each distinct text once.
        self._blocks: dict[str, Markup] = {}
        self._inlines: dict[str, Markup] = {}  # checklist wordings and change summaries repeat too

    def block(self, text: str) -> Markup:
        """Paragraphs and lists, as HTML with no blank lines."""
        text = text or ""
        cached = self._blocks.get(text)
        if cached is None:
            cached = self._blocks[text] = self._convert(text)
        return cached

    def _convert(self, text: str) -> Markup:
        plain = text.strip("\n")
        if _PLAIN_PARAGRAPH.fullmatch(plain):
            # Most clauses are a sentence or two of plain words; Markdown would only wrap them.
            return Markup(f"<p>{plain}</p>")
        return self._markdown(text)

    def _markdown(self, text: str) -> Markup:
        md = self._md
        if text.count("[") > LINK_BRACKET_LIMIT:
            if self._md_without_links is None:
                self._md_without_links = _restricted_markdown(links=False)
            md = self._md_without_links
        md.reset()
        rendered = md.convert(_unstack_markers(text))
        return Markup("\n".join(line for line in rendered.splitlines() if line.strip()))

    def inline(self, text: str) -> Markup:
        """One line of inline Markdown, without the wrapping paragraph."""
        text = text or ""
        cached = self._inlines.get(text)
        if cached is None:
            rendered = str(self.block(" ".join(text.split())))
            if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
                rendered = rendered[3:-4]
            cached = self._inlines[text] = Markup(rendered)
        return cached


def _restricted_markdown(*, links: bool) -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    for name in _BLOCKS_REMOVED:
        md.parser.blockprocessors.deregister(name)
    for name in _INLINE_REMOVED:
        md.inlinePatterns.deregister(name)
    md.inlinePatterns.deregister("link")
    if links:
        md.inlinePatterns.register(_BoundedLink(LINK_RE, md), "link", 160)
    md.treeprocessors.register(_LinkGuard(md), "link_guard", 1)
    return md


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!<>&|~:\"'=]")


def literal(text: str) -> Markup:
    """Plain text that survives a later Markdown pass unchanged.

    Every character Markdown or HTML could read as syntax becomes a numeric
    character reference, which both pass through as the character itself.
    """
    flat = " ".join(str(text or "").split())
    return Markup(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", flat))


LEAD_WORDS = 8
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")


def lead(text: str, words: int = LEAD_WORDS) -> str:
    """The first few words of a clause's text, as plain text: what a clause without a title is about."""
    if "[" in text or "*" in text or "_" in text or "`" in text:
        plain = _EMPHASIS.sub("", _LINK.sub(r"\1", text)).split()
    else:
        # No link or emphasis to take out (most texts): only the words needed are split off, not
        # every word of a long clause. Either way the same words; the last piece may be the rest.
        plain = text.split(None, words + 2)
    if len(plain) <= words + 2:
        return " ".join(plain)
    return " ".join(plain[:words]).rstrip(",;:.") + "…"
