"""Extraction noise: lines to drop and marks to remove, each one recorded for the report.

What is dropped is listed line by line; what is changed inside a line (a
stray ``**``, ``<b>`` tags, a word split as "school - sanctioned") is kept
as a fix on the block. Nothing else is touched: the structure stage sees the
document's own words.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import HEADING, ITEM, PARAGRAPH, ROW, Block, Dropped

_PAGE_HEADER = re.compile(r"^(?:[A-Z][a-z]+ ?\| ?\d{1,4}|(?:page )?\d{1,4}(?: (?:of|/) \d{1,4})?|\d{1,4} ?\| ?[A-Z][a-z]+)$", re.I)
_STRAY = re.compile(r"^[*#_|\-\u2013\u2014.\s]+$")
_TOC_START = re.compile(r"^(?:table of )?contents\b", re.I)
_TOC_ENTRY = re.compile(r"(?:\.{3,}|\s)\d{1,3}$")
_TAGS = re.compile(r"</?(?:b|strong|i|em|u|span|font|br|p)\b[^>]{0,200}>", re.I)
_SPLIT_WORD = re.compile(r"(?<=[a-z]) - (?=[a-z])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_BADGE = re.compile(r"^(?:MUST(?: NOT)?|SHOULD(?: NOT)?|MAY|INFORMATION|GUIDANCE)(?:\s+(?:Applies to|Acted on by|Deadline)\b.*"
                    r"|\s+guidance, not a rule)?$")
"""The obligation badge under each clause of a policy page printed from a Policybook site."""
_NUMBER_ONLY = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$|^[A-Z]\.\d{1,3}$")
_ENDS_SENTENCE = re.compile(r"[.!?:;)\"'\u201d\u2019]$")
REPEATED_LINE = 3
"""A short line seen this often is a running header or footer (a PDF repeats them on every page)."""
REPEATED_WORDS = 40
_DIGITS = re.compile(r"\d+")


def _masked(text: str) -> str:
    """``text`` with its numbers masked, so page 3 of 9 and page 4 of 9 are one footer.

    Only in lines of four words or more: "4.2" or "Appendix 2" alone are a
    clause number or a heading, not the same line as "4.3" or "Appendix 3".
    """
    return _DIGITS.sub("#", text) if len(text.split()) >= 4 else text


def clean(blocks: list[Block]) -> tuple[list[Block], list[Dropped]]:
    """The blocks without noise lines, with in-line fixes; and the dropped lines with reasons."""
    dropped: list[Dropped] = []
    # A running header or footer names the organisation, the policy, its version and the page, so
    # lines are compared with their numbers masked, and may run to a sentence or two.
    repeated = Counter(_masked(b.text) for b in blocks if b.kind == PARAGRAPH and len(b.text.split()) <= REPEATED_WORDS)
    kept: list[Block] = []
    in_toc = in_badge = False
    for block in blocks:
        block = _fix_text(block)
        text = block.text.strip()
        if in_toc:
            if block.kind == ROW or _TOC_ENTRY.search(text) and len(text.split()) <= 12:
                dropped.append(Dropped(block.line, block.text, "table of contents"))
                continue
            in_toc = False
        reason = None
        if in_badge and block.kind == ROW:
            dropped.append(Dropped(block.line, block.text, "an obligation badge of a page printed from Policybook (continued)"))
            continue
        in_badge = False
        if not text or _STRAY.match(text) and block.number is None:
            reason = "stray marks"
        elif _TOC_START.match(text) and block.kind in (ROW, PARAGRAPH, HEADING) and len(text.split()) <= 4:
            reason, in_toc = "table of contents", True
        elif block.kind in (PARAGRAPH, ROW) and block.number is None and _PAGE_HEADER.match(text):
            reason = "page header or footer"
        elif block.kind in (PARAGRAPH, ROW) and _BADGE.match(" ".join(text.split())):
            reason, in_badge = "an obligation badge of a page printed from Policybook", True
        elif block.kind == PARAGRAPH and repeated[_masked(block.text)] >= REPEATED_LINE and block.number is None:
            reason = f"running header or footer (repeated {repeated[_masked(block.text)]} times)"
        if reason:
            dropped.append(Dropped(block.line, block.text, reason))
            continue
        kept.append(block)
    return _join_split_paragraphs(_join_lone_numbers(kept)), dropped


def _join_lone_numbers(blocks: list[Block]) -> list[Block]:
    """A clause number on a line of its own ("4.2", as a PDF lays out a numbered column) numbers the paragraph after it."""
    out: list[Block] = []
    pending: Block | None = None
    for block in blocks:
        if block.kind == PARAGRAPH and block.number is None and _NUMBER_ONLY.match(block.text.strip()):
            if pending is not None:
                out.append(pending)
            pending = block
            continue
        if pending is not None:
            if block.kind == PARAGRAPH and block.number is None:
                block = Block(PARAGRAPH, block.text, block.line, number=pending.text.strip().rstrip("."), bold=block.bold,
                              fixes=(*block.fixes, f"joined the number {pending.text.strip()} on line {pending.line} to its paragraph"))
            else:
                out.append(pending)
            pending = None
        out.append(block)
    if pending is not None:
        out.append(pending)
    return out


def _fix_text(block: Block) -> Block:
    """The block with control characters, HTML tags and split words fixed, in its text and its cells alike."""
    text, fixes = _fixed(block.text)
    if not fixes:
        return block
    cells = tuple(_fixed(cell)[0] for cell in block.cells)
    if cells:
        text = "\t".join(cell for cell in cells if cell)
        cells = tuple(cell for cell in cells if cell)
    return Block(block.kind, text, block.line, block.level, block.number, block.marker, cells, block.bold,
                 block.heading_style, (*block.fixes, *fixes))


def _fixed(text: str) -> tuple[str, list[str]]:
    fixes = []
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
        fixes.append("removed control characters")
    if _TAGS.search(text):
        text = " ".join(_TAGS.sub(" ", text).split())
        fixes.append("removed HTML tags such as <b>")
    if _SPLIT_WORD.search(text):
        words = re.findall(r"\w+ - \w+", text)
        text = _SPLIT_WORD.sub("-", text)
        fixes.append(f"joined split words: {', '.join(words[:5])}")
    return text, fixes


def _join_split_paragraphs(blocks: list[Block]) -> list[Block]:
    """A paragraph cut in two by a page break: the first half has no final stop, the second starts in lower case."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (previous is not None and block.kind == PARAGRAPH and previous.kind == PARAGRAPH
                and block.number is None and block.text[:1].islower()
                and not _ENDS_SENTENCE.search(previous.text) and len(previous.text.split()) > 6):
            out[-1] = previous.with_text(f"{previous.text} {block.text}", f"joined a paragraph split at line {block.line}")
        else:
            out.append(block)
    return out
