"""The neutral form every reader produces: a document as a sequence of blocks.

Readers (``readers.py``) know one file format each and nothing about
policies; the stages after them (noise, structure, obligations) know
policies and nothing about file formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

HEADING, PARAGRAPH, ITEM, ROW = "heading", "paragraph", "item", "row"

BULLET, LETTERED, ROMAN, STEPS = "bullet", "lettered", "roman", "steps"
"""List styles, named as the schema's ``item_style`` names them."""


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like unit of a document.

    Attributes:
        kind: heading, paragraph, item (of a list) or row (of a table).
        text: the words, with markup and list markers removed.
        line: where it starts in the source (a line, or a paragraph's position
            for Word and PDF), for the review report.
        level: heading level (1 = top) or list nesting (0 = outermost).
        number: a number the document gives it, typed or automatic: ``4.2``, ``3``.
        marker: an item's list style (bullet, lettered, roman, steps).
        cells: a table row's cells (``text`` holds them joined by tabs).
        bold: the whole text is bold (an unstyled heading in Word).
        heading_style: the format itself says this is a heading (Word style, ``#``, ``<h2>``).
    """

    kind: str
    text: str
    line: int = 0
    level: int = 0
    number: str | None = None
    marker: str | None = None
    cells: tuple[str, ...] = ()
    bold: bool = False
    heading_style: bool = False
    fixes: tuple[str, ...] = field(default=())
    """What the noise stage changed in this block's text (shown in the report)."""

    def with_text(self, text: str, fix: str) -> Block:
        return replace(self, text=text, fixes=(*self.fixes, fix))


@dataclass(frozen=True, slots=True)
class Dropped:
    """A line the noise stage removed, listed in the report with why."""

    line: int
    text: str
    reason: str
