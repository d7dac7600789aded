"""Readers: one file format each, to the neutral :class:`~.blocks.Block` sequence.

Word is read with python-docx, plus a small reader of Word's numbering part
(``numbering.xml``), because most school policies number their clauses and
lists with Word's automatic numbering rather than typed numbers: neither
mammoth (lists become ``<ol>`` without their format, so ``a)`` and ``i.``
look alike) nor docx2python (no numbers for numbering set on a style, as
Word's own "List Number" style does) keeps what the structure stage needs.
PDF is read through its text layer with pypdf, whose layout mode keeps the
blank lines between paragraphs.

Every reader refuses what it cannot read with :class:`ImportRefused`, a
message that names the fix; nothing here lets a library's traceback out.
"""

from __future__ import annotations

import html.parser
import re
import zipfile
from pathlib import Path

from .blocks import BULLET, HEADING, ITEM, LETTERED, PARAGRAPH, ROMAN, ROW, STEPS, Block

MAX_BYTES = 50 * 1024 * 1024
"""Documents above this are refused before a byte is read: a policy with photos is a few MB."""
MAX_UNPACKED = 200 * 1024 * 1024
"""A .docx whose document part unpacks larger than this is a zip bomb, not a policy."""
FORMATS = {".docx": "docx", ".pdf": "pdf", ".txt": "text", ".text": "text", ".md": "markdown",
           ".markdown": "markdown", ".html": "html", ".htm": "html"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportRefused(Exception):
    """A file the importer cannot read; the message says why and what to do."""


def read_document(path: Path) -> tuple[str, list[Block]]:
    """The format's name and the document's blocks.

    Raises:
        ImportRefused: a missing, huge, unreadable, protected or empty file.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportRefused(f"{path}: cannot import a '{path.suffix or 'extensionless'}' file: give a .docx, .pdf, "
                            ".txt, .md or .html file (in Word: File > Save As > Word Document)")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportRefused(f"{path}: cannot read the file: {error.strerror}") from None
    if path.is_dir():
        raise ImportRefused(f"{path} is a folder: name one document (see README, 'Bringing your existing policies in')")
    if size > MAX_BYTES:
        raise ImportRefused(f"{path}: the file is {size / 1024 / 1024:,.0f} MB; documents up to {MAX_BYTES // 1024 // 1024} MB "
                            "are imported: save a copy without embedded images or attachments and import that")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportRefused(f"{path}: cannot read the file: {error.strerror}") from None
    blocks = {"docx": _read_docx, "pdf": _read_pdf, "html": _read_html}.get(fmt, _read_text)(path, raw)
    if not any(block.text.strip() for block in blocks):
        raise ImportRefused(f"{path}: the document holds no text: nothing to import")
    return fmt, blocks


# Plain text and Markdown --------------------------------------------------------

_BULLET = re.compile(r"^([-\u2022*\u2013\u00b7\u25aa\u25e6\u25cf\uf0b7])\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.|\))?(?:\*\*)?(?=\s)\s*(.*)$")
_ROMAN_ITEM = re.compile(r"^\(?(i{1,3}|iv|vi{0,3}|ix|xi{0,2})[.)]\s+(.*)$")
_LETTER_ITEM = re.compile(r"^\(?([a-z])\)\s+(.*)$|^([a-z])\.\s+(.*)$")
_LETTERED_HEADING = re.compile(r"^([A-Z])\.\s+(?=[A-Z])(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_MD_BOLD_LINE = re.compile(r"^(\*\*|__)(.+)\1$")


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise ImportRefused(f"{path}: this is not a text file (it holds binary data): import the original .docx or .pdf")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Text saved from Word on Windows is often in the Windows code page.
        return raw.decode("cp1252", errors="replace")


def _read_text(path: Path, raw: bytes) -> list[Block]:
    return text_blocks(_decode(path, raw), markdown=path.suffix.lower() in (".md", ".markdown"))


def text_blocks(text: str, *, markdown: bool = False, join_lines: bool = False) -> list[Block]:
    """Blocks from plain text: one paragraph per line, or per run of lines when ``join_lines``.

    Args:
        join_lines: lines wrap inside a paragraph (a PDF's text layer), a
            blank line ends it, and three or more spaces inside a line
            separate the cells of a table row (pypdf's layout mode).
    """
    blocks: list[Block] = []
    for number, raw_line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not raw_line.strip():
            if join_lines and blocks and blocks[-1].kind != "blank":
                blocks.append(Block("blank", "", number))
            continue
        previous = blocks[-1] if blocks else None
        indent = len(raw_line) - len(raw_line.lstrip(" "))
        if join_lines and previous is not None and previous.kind == ROW and (indent >= 20 or "   " not in raw_line.strip()):
            # A table cell's text wrapped onto the next line (no blank line between them).
            cells = (*previous.cells[:-1], f"{previous.cells[-1]} {' '.join(raw_line.split())}")
            blocks[-1] = Block(ROW, "\t".join(cells), previous.line, cells=cells)
            continue
        if join_lines:
            raw_line = re.sub(r"(?<=\S) {3,}(?=\S)", "\t", raw_line)
        block = line_block(raw_line, number, markdown=markdown)
        if (join_lines and previous is not None and previous.kind == PARAGRAPH and block.kind == PARAGRAPH
                and previous.text.endswith("-") and block.text[:1].islower()):
            # A word hyphenated at the end of a line.
            blocks[-1] = Block(PARAGRAPH, previous.text + block.text, previous.line, previous.level, previous.number)
        elif (join_lines and previous is not None and previous.kind == PARAGRAPH and block.kind == PARAGRAPH
                and (block.number is None or not re.search(r"[.:;!?]$", previous.text)) and not previous.heading_style):
            # A wrapped line; one that starts with a number ("24 hours.") carries on a sentence that has not ended.
            if block.number is not None:
                block = Block(PARAGRAPH, " ".join(raw_line.split()), number)
            blocks[-1] = Block(PARAGRAPH, f"{previous.text} {block.text}", previous.line, previous.level,
                               previous.number, bold=previous.bold and block.bold)
        elif join_lines and previous is not None and previous.kind == ITEM and block.kind == PARAGRAPH and block.number is None:
            blocks[-1] = Block(ITEM, f"{previous.text} {block.text}", previous.line, previous.level, marker=previous.marker)
        else:
            blocks.append(block)
    return [block for block in blocks if block.kind != "blank"]


def line_block(raw_line: str, line: int, *, markdown: bool = False) -> Block:
    """One line of text as a block: a row if it holds tabs, else by its marker."""
    if "\t" in raw_line.strip():
        cells = tuple(cell.strip() for cell in raw_line.split("\t") if cell.strip())
        return Block(ROW, "\t".join(cells), line, cells=cells)
    indent = len(raw_line) - len(raw_line.lstrip(" "))
    text = " ".join(raw_line.split())
    if markdown:
        heading = _MD_HEADING.match(text)
        if heading:
            return Block(HEADING, heading.group(2), line, level=len(heading.group(1)), heading_style=True)
        bold = _MD_BOLD_LINE.match(text)
        if bold:
            return Block(PARAGRAPH, bold.group(2), line, bold=True)
    bullet = _BULLET.match(text)
    if bullet:
        rest = bullet.group(2)
        numbered = _NUMBERED.match(rest)
        if numbered and numbered.group(3):
            # "- 1.1** text": a numbered clause that the extraction put in a list.
            return _numbered(numbered, line, fixes=(f"removed the list marker '{bullet.group(1)}' before {numbered.group(1)}",))
        return Block(ITEM, rest, line, level=1 if indent >= 4 else 0, marker=BULLET)
    numbered = _NUMBERED.match(text)
    if numbered and numbered.group(3):
        return _numbered(numbered, line)
    lettered = _LETTERED_HEADING.match(text)
    if lettered:
        # "A. Appendix: guidance": an appendix numbered with a letter.
        return Block(PARAGRAPH, lettered.group(2), line, number=lettered.group(1))
    roman = _ROMAN_ITEM.match(text)
    if roman:
        return Block(ITEM, roman.group(2), line, marker=ROMAN, number=roman.group(1))
    letter = _LETTER_ITEM.match(text)
    if letter:
        return Block(ITEM, letter.group(2) or letter.group(4), line, marker=LETTERED, number=letter.group(1) or letter.group(3))
    return Block(PARAGRAPH, text, line)


def _numbered(match: re.Match, line: int, fixes: tuple[str, ...] = ()) -> Block:
    number, rest = match.group(1), match.group(3)
    if "**" in match.group(0)[: match.start(3)]:
        fixes = (*fixes, f"removed a stray '**' after {number}")
    return Block(PARAGRAPH, rest, line, number=number, fixes=fixes)


# HTML -----------------------------------------------------------------------------

class _HtmlBlocks(html.parser.HTMLParser):
    """Headings, paragraphs, list items (with their list's style) and table rows."""

    _BREAKS = {"p", "div", "br", "section", "article", "header", "footer", "main", "blockquote", "dd", "dt"}
    _SKIP = {"script", "style", "head", "title", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._lists: list[str] = []
        self._kind, self._level, self._skip = PARAGRAPH, 0, 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._bold = 0
        self._bold_chars = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self._SKIP:
            self._skip += 1
        elif tag in ("b", "strong"):
            self._bold += 1
        elif tag in ("ul", "ol"):
            self._flush()
            kind = (attrs.get("type") or "").strip()
            self._lists.append(BULLET if tag == "ul" else LETTERED if kind in ("a", "A") else ROMAN if kind in ("i", "I") else STEPS)
        elif tag == "li":
            self._flush()
            self._kind, self._level = ITEM, max(len(self._lists) - 1, 0)
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._kind, self._level = HEADING, int(tag[1])
        elif tag == "tr":
            self._flush()
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in self._BREAKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skip = max(self._skip - 1, 0)
        elif tag in ("b", "strong"):
            self._bold = max(self._bold - 1, 0)
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            cells = tuple(cell for cell in self._row if cell)
            if cells:
                self.blocks.append(Block(ROW, "\t".join(cells), self.getpos()[0], cells=cells))
            self._row = None
        elif tag == "li" or re.fullmatch(r"h[1-6]", tag) or tag in self._BREAKS:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
            return
        self._text.append(data)
        if self._bold:
            self._bold_chars += len(data.strip())

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            line = self.getpos()[0]
            bold = self._bold_chars >= len(text.replace(" ", ""))
            if self._kind == HEADING:
                self.blocks.append(Block(HEADING, text, line, level=self._level, heading_style=True))
            elif self._kind == ITEM:
                self.blocks.append(Block(ITEM, text, line, level=self._level, marker=self._lists[-1] if self._lists else BULLET))
            else:
                block = line_block(text, line)
                self.blocks.append(Block(block.kind, block.text, line, block.level, block.number, block.marker,
                                         block.cells, bold=bold, fixes=block.fixes))
        self._text, self._bold_chars = [], 0
        self._kind, self._level = PARAGRAPH, 0


def _read_html(path: Path, raw: bytes) -> list[Block]:
    parser = _HtmlBlocks()
    parser.feed(_decode(path, raw))
    parser.close()
    parser._flush()
    return parser.blocks


# Word -----------------------------------------------------------------------------

_FORMATS = {"bullet": BULLET, "lowerLetter": LETTERED, "upperLetter": LETTERED, "lowerRoman": ROMAN,
            "upperRoman": ROMAN, "decimal": STEPS, "decimalZero": STEPS}


def _check_docx_container(path: Path, raw: bytes) -> None:
    if raw.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in raw:
            raise ImportRefused(f"{path}: the document is password-protected: open it in Word, remove the password "
                                "(File > Info > Protect Document > Encrypt with Password, then clear it), save and import again")
        raise ImportRefused(f"{path}: this is an old Word 97-2003 document, not a .docx: open it in Word and save it as "
                            "'Word Document (.docx)', then import that")
    if not raw.startswith(b"PK"):
        raise ImportRefused(f"{path}: this is not a Word document (.docx): open it in Word and save it as "
                            "'Word Document (.docx)', or import it as .pdf or .txt")
    import io
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, EOFError):
        raise ImportRefused(f"{path}: this is not a Word document (.docx) or it is damaged: open it in Word and save it "
                            "again as 'Word Document (.docx)'") from None
    if info.file_size > MAX_UNPACKED:
        raise ImportRefused(f"{path}: the document's text unpacks to {info.file_size / 1024 / 1024:,.0f} MB: it is not an "
                            "ordinary policy; save a copy from Word and import that")


def _read_docx(path: Path, raw: bytes) -> list[Block]:
    _check_docx_container(path, raw)
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ImportRefused(f"{path}: Word could have written this file, but it cannot be read ({error}): open it in "
                            "Word and save it again as 'Word Document (.docx)'") from None
    except Exception as error:  # lxml's XMLSyntaxError and friends: a damaged part
        raise ImportRefused(f"{path}: the document is damaged ({type(error).__name__}): open it in Word and save it "
                            "again as 'Word Document (.docx)'") from None
    return _WordReader(document).blocks()


class _WordReader:
    """Paragraphs and tables in document order, with heading levels and automatic numbers."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.document = document
        self.styles = {style.style_id: style for style in document.styles}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}   # abstractNumId -> ilvl -> (format, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}           # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, list[int]] = {}
        self._read_numbering()

    def _read_numbering(self) -> None:
        qn = self.qn
        try:
            root = self.document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iterchildren(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId"))
            overrides = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start.get(qn("w:val")))
            if abstract is not None:
                self.nums[num.get(qn("w:numId"))] = (abstract.get(qn("w:val")), overrides)

    def blocks(self) -> list[Block]:
        from docx.text.paragraph import Paragraph

        qn, out = self.qn, []
        body = self.document.element.body
        for position, child in enumerate(self._body_children(body), start=1):
            if child.tag == qn("w:p"):
                block = self._paragraph(Paragraph(child, self.document), position)
                if block is not None:
                    out.append(block)
            elif child.tag == qn("w:tbl"):
                for row in child.iterchildren(qn("w:tr")):
                    cells = tuple(
                        " ".join(" ".join(t.text or "" for t in tc.iter(qn("w:t"))).split())
                        for tc in row.iterchildren(qn("w:tc"))
                    )
                    cells = tuple(cell for cell in cells if cell)
                    if cells:
                        out.append(Block(ROW, "\t".join(cells), position, cells=cells))
            elif child.tag == "toc":
                out.append(Block(PARAGRAPH, "Table of contents", position, heading_style=True, level=1))
                for text in child.texts:
                    out.append(Block(ROW, text, position, cells=(text,)))
        return out

    def _body_children(self, body):
        """Body paragraphs and tables; content controls opened, a table of contents marked as one."""
        qn = self.qn
        for child in body.iterchildren():
            if child.tag == qn("w:sdt"):
                gallery = child.find(f".//{qn('w:docPartGallery')}")
                content = child.find(qn("w:sdtContent"))
                if gallery is not None and "Contents" in (gallery.get(qn("w:val")) or ""):
                    yield _Toc([" ".join("".join(t.text or "" for t in p.iter(qn("w:t"))).split())
                                for p in (content.iter(qn("w:p")) if content is not None else ())])
                elif content is not None:
                    yield from self._body_children(content)
            else:
                yield child

    def _paragraph(self, paragraph, position: int) -> Block | None:
        text = " ".join(paragraph.text.split())
        if not text:
            return None
        style = paragraph.style
        name = style.name if style is not None else ""
        heading = re.fullmatch(r"Heading (\d)", name or "")
        level = 0 if name == "Title" else int(heading.group(1)) if heading else None
        runs = [run for run in paragraph.runs if run.text.strip()]
        bold = bool(runs) and all(run.bold or (run.bold is None and _style_bold(style)) for run in runs)
        numbering = self._number(paragraph)
        if level is not None:
            number = numbering[1].rstrip(".") if numbering and numbering[0] != BULLET else None
            return Block(HEADING, text, position, level=level, number=number or None, heading_style=True)
        if numbering:
            marker, number_text = numbering
            if marker == STEPS and re.fullmatch(r"\d+(\.\d+)+\.?", number_text):
                return Block(PARAGRAPH, text, position, number=number_text.rstrip("."), bold=bold)
            # "List Bullet 2" is a list of its own one level in (Word nests by the style, not the list's level).
            styled = re.fullmatch(r"List (?:Bullet|Number) ([2-9])", name or "")
            level = max(self._ilvl, int(styled.group(1)) - 1 if styled else 0)
            return Block(ITEM, text, position, level=level, marker=marker, number=number_text or None)
        block = line_block(text, position)
        return Block(block.kind, block.text, position, block.level, block.number, block.marker, block.cells,
                     bold=bold, fixes=block.fixes)

    def _number(self, paragraph) -> tuple[str, str] | None:
        """(marker style, number as shown) of an automatically numbered paragraph, counting as Word does."""
        num_id, ilvl = self._num_pr(paragraph._p.pPr)
        style = paragraph.style
        while num_id is None and style is not None:
            style_num, style_ilvl = self._num_pr(style.element.pPr)
            if style_num is not None:
                num_id, ilvl = style_num, ilvl if ilvl is not None else style_ilvl
            style = style.base_style
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        ilvl = ilvl or 0
        self._ilvl = ilvl
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(num_id, [overrides.get(n, levels.get(n, ("", "", 1))[2]) - 1 for n in range(9)])
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = overrides.get(deeper, levels.get(deeper, ("", "", 1))[2]) - 1
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet" or fmt == "none":
            return (BULLET, "") if fmt == "bullet" else None
        shown = re.sub(r"%([1-9])", lambda m: _format_number(counters[int(m.group(1)) - 1],
                                                              levels.get(int(m.group(1)) - 1, ("decimal",))[0]), text)
        return _FORMATS.get(fmt, STEPS), shown

    def _num_pr(self, p_pr) -> tuple[str | None, int | None]:
        if p_pr is None or p_pr.numPr is None:
            return None, None
        num_pr = p_pr.numPr
        num_id = num_pr.numId.val if num_pr.numId is not None else None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else None
        return (str(num_id) if num_id is not None else None), ilvl


class _Toc:
    """A Word table of contents (a content control): dropped as noise, line by line."""

    tag = "toc"

    def __init__(self, texts: list[str]) -> None:
        self.texts = [text for text in texts if text]


def _style_bold(style) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        roman = ""
        for amount, numeral in numerals:
            while value >= amount:
                roman, value = roman + numeral, value - amount
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


# PDF ------------------------------------------------------------------------------

MIN_PDF_WORDS_PER_PAGE = 5
"""Fewer words than this per page on average: the PDF is a scan without a text layer."""


def _read_pdf(path: Path, raw: bytes) -> list[Block]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not raw.lstrip()[:5].startswith(b"%PDF"):
        raise ImportRefused(f"{path}: this is not a PDF file: import the original document, or save it as PDF again")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns about every small flaw of a file
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except FileNotDecryptedError:
        raise ImportRefused(f"{path}: the PDF is password-protected: import the original Word document, or save an "
                            "unprotected copy of the PDF") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ImportRefused(f"{path}: the PDF is damaged or unreadable ({type(error).__name__}): import the original "
                            "document, or save it as PDF again") from None
    words = sum(len(page.split()) for page in pages)
    if pages and words < MIN_PDF_WORDS_PER_PAGE * len(pages):
        raise ImportRefused(f"{path}: the PDF has no text layer ({len(pages)} pages, {words} words of text): it is "
                            "probably a scan. Run OCR on it first (for example 'ocrmypdf scan.pdf text.pdf') and "
                            "import the result, or import the original Word document")
    text = "\n\n".join(pages)  # a page break also ends a paragraph
    return text_blocks(text.translate(_LIGATURES), join_lines=True)


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
"""Typographic ligatures that PDF text layers keep as one character ("staﬀ")."""
