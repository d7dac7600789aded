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

from ..render import Heading, HtmlBlock, MarkdownText, PageBody

_BLOCK_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
# A void element ends where it starts: a block that opens with one is not one element.
_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS) - {"hr"}
_TAB_LENGTH = 4  # Python-Markdown's default; MkDocs has no setting for it
_WHITESPACE_LINE = re.compile(r"(?<=\n) +\n")


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
    parts = body.parts
    texts = [_normalize_whitespace(part.text) if isinstance(part, MarkdownText) else None for part in parts]
    out: list[str] = []
    blocks: list[str] = []
    outline: list[Heading | int] = []
    markdown_only = True  # nothing but headings, placeholders and blank lines
    for index, part in enumerate(parts):
        if isinstance(part, Heading):
            heading = Heading(part.level, _normalize_whitespace(part.html),
                              None if part.id is None else _normalize_whitespace(part.id), part.classes)
            out.append(heading.markdown)
            outline.append(heading)
            markdown_only = markdown_only and _line_of_its_own(texts, index)
        elif isinstance(part, HtmlBlock):
            html = _normalize_whitespace(part.html)
            if _starts_block(html) and _blank_line_before(texts, index) and _blank_line_after(texts, index):
                outline.append(len(blocks))
                out.append(f"{token}-{len(blocks)}")
                blocks.append(html)
            else:
                out.append(html)
                markdown_only = False
        else:
            out.append(texts[index])
            markdown_only = markdown_only and not texts[index].strip()
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


def _line_of_its_own(texts: list[str | None], index: int) -> bool:
    """The part at ``index`` starts a line and ends it."""
    before = texts[index - 1] if index else "\n"
    after = texts[index + 1] if index + 1 < len(texts) else "\n"
    return before is not None and before.endswith("\n") and after is not None and after.startswith("\n")


def _blank_line_before(texts: list[str | None], index: int) -> bool:
    """The part at ``index`` starts the page, or a line after a blank line."""
    if index == 0:
        return True
    before = texts[index - 1]
    if before is None or not before.endswith("\n"):
        return False  # right after a heading or another block
    _, newline, previous_line = before[:-1].rpartition("\n")
    # Without a line break before it the previous line began in an earlier part, unless that is the page start.
    return not previous_line.strip() and (bool(newline) or index == 1)


def _blank_line_after(texts: list[str | None], index: int) -> bool:
    """The part at ``index`` ends the page, or a blank line follows its last line."""
    if index + 1 == len(texts):
        return True
    after = texts[index + 1]
    if after is None or not after.startswith("\n"):
        return False
    following_line, newline, _ = after[1:].partition("\n")
    # Without a line break of its own the following line runs on into the next part.
    return not following_line.strip() and (bool(newline) or index + 2 == len(texts))


def restore_html_blocks(html: str, stash: Stash) -> str:
    """Put the stashed blocks back into the HTML that Markdown made of ``stash.markdown``."""
    if not stash.blocks:
        return html
    blocks = stash.blocks
    # Markdown leaves a blank line after each HTML block, except the last on the page.
    restored = re.sub(rf"<p>{re.escape(stash.token)}-(\d+)</p>", lambda m: blocks[int(m.group(1))] + "\n", html)
    return restored[:-1] if restored.endswith("\n") and not html.endswith("\n") else restored
