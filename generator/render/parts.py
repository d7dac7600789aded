"""What a page template uses to mark its parts: the ``heading`` and ``html_block`` filters.

``{{ "Definitions"|heading(2, "definitions") }}`` marks a heading (level, id,
space-separated classes); ``{% filter html_block %}<div>...</div>{% endfilter %}``
marks an HTML block. Jinja renders a template to one string, so each filter
records its part, in order, and leaves a marker in the output in its place;
:meth:`BodyRecorder.body` cuts the output at the markers, and what lies
between them becomes Markdown text. Nothing is parsed but the markers, which
are a random token: author text cannot forge one. The texts and the recorded
parts become the body as they are, interleaved (``PageBody.pieces``): no
object is made per part.

They are filters, not functions or ``{% call %}`` blocks, for speed: Jinja
calls a filter directly, but a function through its context and a call block
through a macro object made afresh each time; every clause is a heading and a
block, and at 100 policies those calls were a fifth of the rendering time.
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup

from .body import PageBody, _body_of


class BodyRecorder:
    """The parts one render of one template writes; made afresh for each render.

    Args:
        token: letters and digits that no page holds (one random token per renderer).
        printed: how the template prints a value (``{{ value }}``), so a
            heading's text and id read exactly as they did written inline.
    """

    def __init__(self, token: str, printed: Callable[[object], str]) -> None:
        self._token = token
        self._marker = Markup(token)
        self._marker_line = Markup(token + "\n")
        self._printed = printed
        self._parts: list[tuple | str] = []  # as PageBody.pieces holds them

    def heading(self, text, level: int, id=None, classes: str = "", contents=None) -> Markup:
        """A heading of ``text`` at ``level``, with the anchor ``id`` and ``classes`` (space-separated).

        ``contents``: the heading's label in the page's table of contents,
        when it should be there whatever its depth (see ``Heading.contents``).
        """
        html = self._html(text)
        anchor = None if id is None else str(self._printed(id))
        label = None if contents is None else self._html(contents)
        self._parts.append((level, html, anchor, tuple(classes.split()) if classes else (), label))
        return self._marker

    def _html(self, text) -> str:
        # Markup (a filter's output, a {% set %} block) prints as it is: no need to print it again.
        return str(text if isinstance(text, Markup) else self._printed(text))

    def html_block(self, text) -> Markup:
        """An HTML block of ``text``.

        The line break that ends the block's last line stays in the page,
        outside the block, as the blank line after it does.
        """
        # One copy of the block as a plain str, its last line break cut in the same copy.
        if text.endswith("\n"):
            self._parts.append(str.__getitem__(text, slice(None, -1)))
            return self._marker_line
        self._parts.append(str(text))
        return self._marker

    def body(self, output: str) -> PageBody:
        """The page the template wrote as ``output``, cut into its parts."""
        marked = self._parts
        if not marked:
            return _body_of((output,))
        pieces = output.split(self._token)
        if len(pieces) != len(marked) + 1:
            # Looked for only now: scanning every block as it is marked cost more than the scan of the page.
            if any(type(part) is str and self._token in part for part in marked):
                raise ValueError("a heading or an HTML block inside an HTML block: the page would lose its structure")
            raise ValueError("a marked part was printed twice or not at all: the page would lose its structure")
        # Each marker is one part, in the order the filters ran; text between them is Markdown.
        body = [None] * (2 * len(marked) + 1)
        body[0::2] = pieces
        body[1::2] = marked
        return _body_of(tuple(body))
