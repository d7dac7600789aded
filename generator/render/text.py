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
        md = markdown.Markdown(output_format="html")
        md.preprocessors.deregister("html_block")
        for name in _BLOCKS_REMOVED:
            md.parser.blockprocessors.deregister(name)
        for name in _INLINE_REMOVED:
            md.inlinePatterns.deregister(name)
        md.treeprocessors.register(_LinkGuard(md), "link_guard", 1)
        self._md = md
        # The same clause text appears on every version page, the policy page,
        # comparisons and checklists: convert each distinct text once.
        self._blocks: dict[str, Markup] = {}

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
        self._md.reset()
        rendered = self._md.convert(text)
        return Markup("\n".join(line for line in rendered.splitlines() if line.strip()))

    def inline(self, text: str) -> Markup:
        """One line of inline Markdown, without the wrapping paragraph."""
        rendered = str(self.block(" ".join((text or "").split())))
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(rendered)


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!<>&|~:\"'=]")


def literal(text: str) -> Markup:
    """Plain text that survives a later Markdown pass unchanged.

    Every character Markdown or HTML could read as syntax becomes a numeric
    character reference, which both pass through as the character itself.
    """
    flat = " ".join(str(text or "").split())
    return Markup(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", flat))
