"""A page body as the templates write it: headings, HTML blocks and Markdown between them.

Every page is mostly HTML blocks (clauses, tables, redlines) between
headings with stable anchors. The templates say which is which as they
render (see :mod:`.parts`), so an engine adapter can use the structure
directly instead of parsing the Markdown back; :attr:`PageBody.markdown`
writes the same page as one Markdown string for any engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Union


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
        return _heading_markdown(self.level, self.html, self.id, self.classes)


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


class PageBody:
    """A page's parts, in page order.

    Held as the template wrote them, without an object per part: every
    page's clauses are a heading and a block each, and at 100 policies the
    128,000 part objects of the site, kept alive by it, made the garbage
    collector's passes a twentieth of generating. :attr:`parts` gives them
    as objects; the engine adapter reads :attr:`pieces`.

    Args:
        parts: the parts, in page order (consecutive Markdown texts are one text).
    """

    __slots__ = ("pieces",)

    pieces: tuple
    """The Markdown texts and the marked parts alternately, a text first and last:
    ``(text, part, text, ..., part, text)``, a text ``""`` where two parts meet or
    at an end. A part is an HTML block's ``html`` (a ``str``) or a heading's fields
    as a tuple (``level, html, id, classes, contents``, as :class:`Heading`)."""

    def __init__(self, parts: tuple[Part, ...] = ()) -> None:
        pieces: list = [""]
        for part in parts:
            if type(part) is MarkdownText:
                pieces[-1] += part.text
            else:
                pieces += (part.html if type(part) is HtmlBlock else _fields(part), "")
        object.__setattr__(self, "pieces", tuple(pieces))

    def __setattr__(self, name, value):
        raise AttributeError("a PageBody is immutable")

    @classmethod
    def from_markdown(cls, text: str) -> PageBody:
        """A body of Markdown only, for pages no template made (tests, hand-written bodies)."""
        return _body_of((text,))

    @property
    def parts(self) -> tuple[Part, ...]:
        """The parts as objects: each heading and HTML block, and each text between them but the empty ones."""
        pieces = self.pieces
        parts: list[Part] = [MarkdownText(pieces[0])] if pieces[0] else []
        for index in range(1, len(pieces), 2):
            part, text = pieces[index], pieces[index + 1]
            parts.append(HtmlBlock(part) if type(part) is str else Heading(*part))
            if text:
                parts.append(MarkdownText(text))
        return tuple(parts)

    @property
    def headings(self) -> Iterator[Heading]:
        """The page's headings, in page order."""
        return (Heading(*part) for part in self.pieces[1::2] if type(part) is tuple)

    @property
    def lists_headings(self) -> bool:
        """Whether a heading with an id asks for an entry in the page's contents (``Heading.contents``).

        Read from the fields, without a ``Heading`` per heading: asked of every
        page (5,600 at 500 policies), and few have one.
        """
        return any(type(part) is tuple and part[2] is not None and part[4] is not None for part in self.pieces[1::2])

    @property
    def markdown(self) -> str:
        """The page as one Markdown string: each part's Markdown, concatenated."""
        pieces = list(self.pieces)
        for index in range(1, len(pieces), 2):
            if type(pieces[index]) is tuple:
                pieces[index] = _heading_markdown(*pieces[index])
        return "".join(pieces)

    def __eq__(self, other) -> bool:
        return self.pieces == other.pieces if type(other) is PageBody else NotImplemented

    def __hash__(self) -> int:
        return hash(self.pieces)

    def __repr__(self) -> str:
        return f"PageBody({self.parts!r})"

    def __reduce__(self):
        # Pickled as built-in values: fork_map sends half the pages from a child.
        return _body_of, (self.pieces,)


def _fields(heading: Heading) -> tuple:
    return (heading.level, heading.html, heading.id, heading.classes, heading.contents)


def _heading_markdown(level: int, html: str, id: str | None, classes: tuple[str, ...], contents=None) -> str:
    attributes = ([f"#{id}"] if id is not None else []) + [f".{name}" for name in classes]
    attribute_list = f" {{{' '.join(attributes)}}}" if attributes else ""
    return f"{'#' * level} {html}{attribute_list}"


def _body_of(pieces: tuple) -> PageBody:
    """The body of ``pieces`` as :attr:`PageBody.pieces` holds them (from the recorder, or unpickled)."""
    body = object.__new__(PageBody)
    object.__setattr__(body, "pieces", pieces)
    return body
