"""Set a page's HTML blocks aside before Markdown sees them, and put them back after.

Generated pages are mostly HTML blocks (clauses, tables, redlines) between
Markdown headings. Python-Markdown passes such blocks through untouched, but
only after scanning them twice with its pure-Python HTML parser (once to find
where each block ends, once more in MkDocs to collect anchor ids): at trust
scale that was most of the build. The page templates mark their blocks (see
``policybook.render.body``), so :func:`stash_html_blocks` replaces each
``HtmlBlock`` of a page's body with a one-line placeholder paragraph, and
Markdown reads only the headings (the table of contents and the search
sections come from them) and a few short lines; :func:`restore_html_blocks`
swaps the HTML back into the rendered page before anything else reads it.
Usually not even Markdown reads the skeleton: ``skeleton_html`` writes its
HTML from :attr:`Stash.outline`.

A block is set aside only where Markdown would read it as a block of its
own: at the start of a line after a blank line, starting with a block-level
tag, its last line ending a tag and followed by a blank line. A block the
templates wrote otherwise stays in the Markdown, and the page goes through
Markdown as before. The tests compare every generated page with Markdown's
rendering of the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS, ETX, STX

from ..render import Heading, PageBody

_BLOCK_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
# A void element ends where it starts: a block that opens with one is not one element.
_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS) - {"hr"}
_TAB_LENGTH = 4  # Python-Markdown's default; MkDocs has no setting for it
# Markdown's pattern is (?<=\n) +\n, tried at every character; starting at the line end, ``re`` looks
# for "\n " alone (0.24 against 0.016 ms on a 30 KB block), with the same result.
_WHITESPACE_LINE = re.compile(r"\n +(?=\n)")


@dataclass(frozen=True, slots=True)
class Stash:
    """A page's Markdown with its HTML blocks replaced by placeholders.

    Attributes:
        markdown: the skeleton handed to Markdown.
        token: the placeholders' prefix; placeholder ``n`` is ``<token>-<n>``.
        blocks: the HTML blocks, in order.
        outline: the skeleton as headings (as Markdown reads them) and block
            numbers, in page order; ``None`` when the skeleton holds anything
            else, so that only Markdown may render it.
    """

    markdown: str
    token: str
    blocks: tuple[str, ...]
    outline: tuple[Heading | int, ...] | None = None


def stash_html_blocks(body: PageBody, token: str) -> Stash:
    """Replace the HTML blocks of ``body`` with placeholder paragraphs.

    Args:
        body: the page as its template wrote it.
        token: letters and digits that never occur in the page (a random
            one per build); each placeholder is ``token``, a dash and a number.
    """
    pieces = body.pieces
    # Texts and parts alternate (see PageBody.pieces): part i lies between texts i and i + 1.
    texts = [_normalize_whitespace(text) for text in pieces[0::2]]
    # Where a text is empty, a neighbouring part or an end of the page meets the part: None for a part.
    present = [bool(text) for text in pieces[0::2]]
    last = len(texts) - 1
    out: list[str] = [texts[0]]
    blocks: list[str] = []
    outline: list[Heading | int] = []
    markdown_only = not texts[0].strip()  # nothing but headings, placeholders and blank lines
    for index, part in enumerate(pieces[1::2]):
        before = texts[index] if present[index] else "\n" if index == 0 else None
        after = texts[index + 1] if present[index + 1] else "\n" if index + 1 == last else None
        if type(part) is tuple:
            level, html, id, classes, _ = part
            heading = Heading(level, _normalize_whitespace(html), None if id is None else _normalize_whitespace(id), classes)
            out.append(heading.markdown)
            outline.append(heading)
            markdown_only = markdown_only and _line_of_its_own(before, after)
        else:
            html = _normalize_whitespace(part)
            if _starts_block(html) and _blank_line_before(before, index == 0) and _blank_line_after(after, index + 1 == last):
                outline.append(len(blocks))
                out.append(f"{token}-{len(blocks)}")
                blocks.append(html)
            else:
                out.append(html)
                markdown_only = False
        text = texts[index + 1]
        out.append(text)
        markdown_only = markdown_only and not text.strip()
    return Stash("".join(out), token, tuple(blocks), tuple(outline) if markdown_only else None)


def _normalize_whitespace(text: str) -> str:
    """What Python-Markdown's first preprocessor does to every page, blocks included.

    The blocks bypass Markdown, so they get it here: tabs expanded, line ends
    unified, Markdown's own placeholder markers (STX, ETX) dropped,
    whitespace-only lines emptied. Every part starts a line, so doing it part
    by part is doing it to the page.
    """
    text = text.replace(STX, "").replace(ETX, "").replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.expandtabs(_TAB_LENGTH)
    return _WHITESPACE_LINE.sub("\n", text) if " \n" in text else text


def _starts_block(html: str) -> bool:
    opening = _BLOCK_START.match(html)
    return opening is not None and opening.group(1).lower() in _BLOCK_LEVEL and html.rstrip().endswith(">")


# ``before`` and ``after``: the text on either side of a part; "\n" for an end
# of the page, None for another part.

def _line_of_its_own(before: str | None, after: str | None) -> bool:
    """The part starts a line and ends it."""
    return before is not None and before.endswith("\n") and after is not None and after.startswith("\n")


def _blank_line_before(before: str | None, first: bool) -> bool:
    """The part starts the page, or a line after a blank line (``first``: no part before it)."""
    if before is None or not before.endswith("\n"):
        return False  # right after a heading or another block
    _, newline, previous_line = before[:-1].rpartition("\n")
    # Without a line break before it the previous line began in an earlier part, unless that is the page start.
    return not previous_line.strip() and (bool(newline) or first)


def _blank_line_after(after: str | None, last: bool) -> bool:
    """The part ends the page, or a blank line follows its last line (``last``: no part after it)."""
    if after is None or not after.startswith("\n"):
        return False
    following_line, newline, _ = after[1:].partition("\n")
    # Without a line break of its own the following line runs on into the next part.
    return not following_line.strip() and (bool(newline) or last)


def restore_html_blocks(html: str, stash: Stash) -> str:
    """Put the stashed blocks back into the HTML that Markdown made of ``stash.markdown``."""
    if not stash.blocks:
        return html
    blocks = stash.blocks
    # Markdown leaves a blank line after each HTML block, except the last on the page.
    restored = re.sub(rf"<p>{re.escape(stash.token)}-(\d+)</p>", lambda m: blocks[int(m.group(1))] + "\n", html)
    return restored[:-1] if restored.endswith("\n") and not html.endswith("\n") else restored
