"""Set a page's raw HTML blocks aside before Markdown sees them, and put them back after.

Generated pages are mostly HTML blocks (clauses, tables, redlines) between
Markdown headings. Python-Markdown passes such blocks through untouched, but
only after scanning them twice with its pure-Python HTML parser (once to find
where each block ends, once more in MkDocs to collect anchor ids): at trust
scale that was most of the build. :func:`stash_html_blocks` replaces each
top-level block with a one-line placeholder paragraph, so Markdown reads only
the headings (the table of contents and the search sections come from them)
and a few short lines; :func:`restore_html_blocks` swaps the HTML back into
the rendered page before anything else reads it. Usually not even Markdown
reads the skeleton: ``generator.skeleton_html`` writes its HTML directly.

Only blocks Markdown itself would pass through are set aside: one starting at
the beginning of a line after a blank line with a block-level tag, whose tags
balance at the end of a line followed by a blank line (or by another such
block). Anything else stays in
the Markdown, so the page renders as before, only sooner. Tags are counted
per paragraph at C speed and read one by one only where counting cannot
tell; counting takes a paragraph whose tags balance at its end as one block
even if they balanced earlier too, which the page templates never write (the
tests compare every generated page with Markdown's rendering).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS, ETX, STX

_BLOCK_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\"[^\"]*\"|'[^']*'|[^'\">])*?(/?)>|<!--.*?-->", re.S)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS) - _VOID - {"pre", "script", "style", "textarea"}
_RAW_TEXT_START = re.compile(r"<(pre|script|style|textarea)[\s>]", re.I)
_TAB_LENGTH = 4  # Python-Markdown's default; MkDocs has no setting for it
_WHITESPACE_LINE = re.compile(r"(?<=\n) +\n")
_VOID_TAG = re.compile(rf"<(?:{'|'.join(sorted(_VOID))})[\s/>]", re.I)


@dataclass(frozen=True, slots=True)
class Stash:
    """A page's Markdown with its HTML blocks replaced by placeholders.

    Attributes:
        markdown: the skeleton handed to Markdown.
        token: the placeholders' prefix; placeholder ``n`` is ``<token>-<n>``.
        blocks: the HTML blocks, in order.
    """

    markdown: str
    token: str
    blocks: tuple[str, ...]


def stash_html_blocks(markdown: str, token: str) -> Stash:
    """Replace the top-level HTML blocks of ``markdown`` with placeholder paragraphs.

    Args:
        markdown: the page as generated (front matter included or not).
        token: letters and digits that never occur in the page (a random
            one per build); each placeholder is ``token``, a dash and a number.
    """
    lines = _normalize_whitespace(markdown).split("\n")
    out: list[str] = []
    blocks: list[str] = []
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        end = _block_end(lines, index) if (line.startswith("<") and (index == 0 or not lines[index - 1].strip())) else None
        if end is None:
            out.append(line)
            index += 1
            continue
        out.append(f"{token}-{len(blocks)}")
        blocks.append("\n".join(lines[index:end + 1]))
        index = end + 1
    return Stash("\n".join(out), token, tuple(blocks))


def _normalize_whitespace(text: str) -> str:
    """What Python-Markdown's first preprocessor does to every page, blocks included.

    The blocks bypass Markdown, so they get it here: tabs expanded, line ends
    unified, Markdown's own placeholder markers (STX, ETX) dropped,
    whitespace-only lines emptied.
    """
    text = text.replace(STX, "").replace(ETX, "").replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.expandtabs(_TAB_LENGTH)
    return _WHITESPACE_LINE.sub("\n", text) if " \n" in text else text


def restore_html_blocks(html: str, stash: Stash) -> str:
    """Put the stashed blocks back into the HTML that Markdown made of ``stash.markdown``."""
    if not stash.blocks:
        return html
    blocks = stash.blocks
    # Markdown leaves a blank line after each HTML block, except the last on the page.
    restored = re.sub(rf"<p>{re.escape(stash.token)}-(\d+)</p>", lambda m: blocks[int(m.group(1))] + "\n", html)
    return restored[:-1] if restored.endswith("\n") and not html.endswith("\n") else restored


def _block_end(lines: list[str], start: int) -> int | None:
    """The last line of the HTML block starting at ``lines[start]``, or ``None`` if it is not one.

    Blocks that follow each other without a blank line (``</div>`` then
    ``<div>``) are one run: Markdown passes them through as they are.
    """
    if _RAW_TEXT_START.match(lines[start]):
        return _raw_text_end(lines, start)
    if not _starts_block(lines[start]):
        return None
    # Usually the tags balance only at the end of a paragraph (a clause's
    # block may hold blank lines): check paragraph by paragraph, counting.
    depth, index = 0, start
    while index < len(lines):
        stop = index + 1
        while stop < len(lines) and lines[stop].strip():
            stop += 1
        change = _depth_change_counted("\n".join(lines[index:stop]))
        if change is None:
            break
        depth += change
        if depth <= 0:
            if depth == 0 and lines[stop - 1].rstrip().endswith(">"):
                return stop - 1
            break
        index = stop + 1
    else:
        return None  # never closed
    depth = 0
    for index in range(start, len(lines)):
        line = lines[index]
        depth += _depth_change(line)
        if depth < 0:
            return None
        if depth == 0:
            if not line.rstrip().endswith(">"):
                return None
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not following.strip():
                return index
            if not _starts_block(following):
                return None
    return None


def _raw_text_end(lines: list[str], start: int) -> int | None:
    """The last line of a ``<style>`` (or script, pre, textarea) block, if it is one paragraph.

    Their content is not HTML, so tags cannot be counted in it; a paragraph
    that closes the element at its end and holds no other ``<`` is a block
    Markdown passes through whole. Anything else stays in the Markdown.
    """
    name = _RAW_TEXT_START.match(lines[start]).group(1).lower()
    stop = start + 1
    while stop < len(lines) and lines[stop].strip():
        stop += 1
    run = "\n".join(lines[start:stop]).rstrip()
    closing = f"</{name}>"
    if run.lower().endswith(closing) and run.count("<") == 2 and run.lower().count(closing) == 1:
        return stop - 1
    return None


def _depth_change_counted(text: str) -> int | None:
    """Opening minus closing tags in ``text``, counted at C speed; ``None`` when counting cannot tell.

    Counting ``<`` and ``</`` is exact when every angle bracket belongs to a
    tag (as many ``<`` as ``>``: escaped text has neither), nothing is
    commented out and no tag closes itself; otherwise the caller reads the
    tags one by one.
    """
    if "<!" in text or "/>" in text or text.count("<") != text.count(">"):
        return None
    closing = text.count("</")
    return text.count("<") - closing - len(_VOID_TAG.findall(text)) - closing


def _depth_change(line: str) -> int:
    """Opening minus closing tags on one line; void, self-closing and commented-out tags do not count."""
    change = 0
    for match in _TAG.finditer(line):
        closing, name, self_closing = match.group(1), match.group(2), match.group(3)
        if name is None or self_closing or name.lower() in _VOID:
            continue  # a comment, <br/>, <img>...
        change += -1 if closing else 1
    return change


def _starts_block(line: str) -> bool:
    opening = _BLOCK_START.match(line)
    return opening is not None and opening.group(1).lower() in _BLOCK_LEVEL
