"""What a page template calls to mark its parts: ``heading(...)`` and ``{% call html_block() %}``.

Jinja renders a template to one string, so each call records its part and
leaves a marker in the output in its place; :meth:`BodyRecorder.body` cuts
the output at the markers, and what lies between them becomes Markdown
text. Nothing is parsed but the markers, which hold a random token: author
text cannot forge one.
"""

from __future__ import annotations

import re
from typing import Callable

from markupsafe import Markup

from .body import Heading, HtmlBlock, MarkdownText, PageBody


class BodyRecorder:
    """The parts one render of one template writes; made afresh for each render.

    Args:
        token: letters and digits that no page holds (one random token per renderer).
        printed: how the template prints a value (``{{ value }}``), so a
            heading's text and id read exactly as they did written inline.
    """

    def __init__(self, token: str, printed: Callable[[object], Markup]) -> None:
        self._token = token
        self._printed = printed
        self._parts: list[Heading | HtmlBlock] = []

    def heading(self, level: int, text, id=None, classes: str = "") -> Markup:
        """A heading: ``{{ heading(2, "Definitions", "definitions") }}``; ``classes`` is space-separated."""
        anchor = None if id is None else str(self._printed(id))
        return self._mark(Heading(level, str(self._printed(text)), anchor, tuple(classes.split())))

    def html_block(self, caller) -> Markup:
        """An HTML block: ``{% call html_block() %}<div>...</div>{% endcall %}``.

        The line break that ends the block's last line stays in the page,
        outside the block, as the blank line after it does.
        """
        text = str(caller())
        end = "\n" if text.endswith("\n") else ""
        html = text[:-1] if end else text
        if self._token in html:
            raise ValueError("a heading or an HTML block inside an HTML block: the page would lose its structure")
        return self._mark(HtmlBlock(html)) + end

    def _mark(self, part: Heading | HtmlBlock) -> Markup:
        self._parts.append(part)
        return Markup(f"{self._token}{len(self._parts) - 1}:")

    def body(self, output: str) -> PageBody:
        """The page the template wrote as ``output``, cut into its parts."""
        if not self._parts:
            return PageBody.from_markdown(output)
        pieces = re.split(rf"{self._token}([0-9]+):", output)
        parts = []
        for index, piece in enumerate(pieces):
            if index % 2:
                parts.append(self._parts[int(piece)])
            elif piece:
                parts.append(MarkdownText(piece))
        return PageBody(tuple(parts))
