"""A page body as the templates write it: headings, HTML blocks and Markdown between them.

Every page is mostly HTML blocks (clauses, tables, redlines) between
headings with stable anchors. The templates say which is which as they
render (see :mod:`.parts`), so an engine adapter can use the structure
directly instead of parsing the Markdown back; :attr:`PageBody.markdown`
writes the same page as one Markdown string for any engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX heading with an optional attribute list (``{#id .class}``).

    Attributes:
        level: 1 to 6.
        html: inner HTML, as written in the Markdown (author text escaped).
        id: the anchor, as written after ``#``; ``None`` lets the engine make one.
        classes: class names, as written after ``.``.
        contents: inner HTML of this heading's entry in the page's table of
            contents, for a heading deeper than the contents go (a titled
            clause: "4.2 Friend requests"); ``None`` leaves the contents to
            the engine's depth setting. Not part of the Markdown: the engine
            adapter adds the entry.
    """

    level: int
    html: str
    id: str | None = None
    classes: tuple[str, ...] = ()
    contents: str | None = None

    @property
    def markdown(self) -> str:
        attributes = ([f"#{self.id}"] if self.id is not None else []) + [f".{name}" for name in self.classes]
        attribute_list = f" {{{' '.join(attributes)}}}" if attributes else ""
        return f"{'#' * self.level} {self.html}{attribute_list}"


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """Raw HTML that a template wrote as one block: it starts a line and a blank line follows it.

    Attributes:
        html: the block, without the line break that ends it.
    """

    html: str

    @property
    def markdown(self) -> str:
        return self.html


@dataclass(frozen=True, slots=True)
class MarkdownText:
    """Anything else the template wrote: usually only the blank lines between parts."""

    text: str

    @property
    def markdown(self) -> str:
        return self.text


Part = Union[Heading, HtmlBlock, MarkdownText]


@dataclass(frozen=True, slots=True)
class PageBody:
    """A page's parts, in page order."""

    parts: tuple[Part, ...]

    @property
    def markdown(self) -> str:
        """The page as one Markdown string: each part's Markdown, concatenated."""
        return "".join(part.markdown for part in self.parts)

    @classmethod
    def from_markdown(cls, text: str) -> PageBody:
        """A body of Markdown only, for pages no template made (tests, hand-written bodies)."""
        return cls((MarkdownText(text),) if text else ())

    def __reduce__(self):
        # Pickled as built-in values: fork_map sends half the pages from a
        # child, and at 100 policies their parts as objects took 1.2 s to
        # pickle and load, as tuples and strings 0.1 s.
        return _decoded_body, (tuple(_encoded(part) for part in self.parts),)


def _encoded(part: Part):
    if type(part) is HtmlBlock:
        return part.html
    if type(part) is MarkdownText:
        return (part.text,)
    if part.contents is None:
        return (part.level, part.html, part.id, part.classes)
    return (part.level, part.html, part.id, part.classes, part.contents)


def _decoded_body(encoded: tuple) -> PageBody:
    parts = [HtmlBlock(item) if type(item) is str else MarkdownText(item[0]) if len(item) == 1 else Heading(*item)
             for item in encoded]
    return PageBody(tuple(parts))
