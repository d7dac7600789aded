"""Word documents written from the sample handbook, the way schools' policies are laid out.

python-docx with Word's built-in styles: the title in "Title", sections in
"Heading 1" (sub-sections in "Heading 2" and "Heading 3") and clauses in "List Number", numbered by one multi-level list
in the numbering part (1., 1.1, 1.2, 2., ...) as Word's automatic numbering
does, so the numbers are not in the text; bullets in "List Bullet" (the
style's own numbering); lettered, roman and numbered step lists each a list
instance of their own; lead-ins in bold; a document-control table at the top.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from policybook.model import PolicyVersion

_MAIN, _LETTERED, _ROMAN, _STEPS = 90, 91, 92, 93
_ABSTRACT = {
    _MAIN: [("decimal", "%1."), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3"), ("decimal", "%1.%2.%3.%4")],
    _LETTERED: [("lowerLetter", "%1)")],
    _ROMAN: [("lowerRoman", "%1.")],
    _STEPS: [("decimal", "%1.")],
}
_LISTS = {"lettered": _LETTERED, "roman": _ROMAN, "steps": _STEPS}


def write_policy_docx(version: PolicyVersion, path: Path, *, organisation: str = "Elmbrook Primary School") -> Path:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for abstract_id, levels in _ABSTRACT.items():
        lvls = "".join(
            f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (n + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for n, (fmt, text) in enumerate(levels))
        element = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
        # Word wants every abstractNum before the first num.
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    next_num = [200]

    def new_list(abstract_id: int) -> int:
        next_num[0] += 1
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{next_num[0]}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
        return next_num[0]

    def numbered(paragraph, num_id: int, level: int = 0) -> None:
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    document.add_paragraph(version.title, style="Title")
    control = document.add_paragraph()
    control.add_run("Document control").bold = True
    rows = [("Policy", version.title), ("Version", version.version), ("Status", version.status.value),
            ("Organisation", organisation)]
    if version.approval:
        approver = version.approval.body or version.approval.committee
        rows.append(("Approved by", f"{approver}, {version.approval.date.label}"))
    if version.review.next:
        rows.append(("Next review", f"{version.review.next.start:%B %Y}"))
    table = document.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows):
        row.cells[0].text, row.cells[1].text = label, value
    if version.definitions:
        document.add_paragraph("Definitions", style="Heading 1")
        for definition in version.definitions:
            paragraph = document.add_paragraph()
            paragraph.add_run(definition.term).bold = True
            paragraph.add_run(f": {' '.join(definition.meaning.split())}")
    main = new_list(_MAIN)
    for section, depth in version.walk():
        # A sub-section is a "Heading 2" (3) numbered by the same list one level down, after its section's clauses.
        heading = document.add_paragraph(section.title, style=f"Heading {depth + 1}")
        if section.binding:
            numbered(heading, main, depth)
        for clause in section.clauses:
            paragraph = document.add_paragraph(style="List Number" if section.binding else None)
            paragraph.add_run(" ".join(clause.text.split())).bold = bool(clause.items)
            if section.binding:
                numbered(paragraph, main, depth + 1)
            if clause.items:
                instance = new_list(_LISTS[clause.item_style]) if clause.item_style in _LISTS else None
                for item in clause.items:
                    entry = document.add_paragraph(" ".join(item.split()), style="List Bullet" if instance is None else None)
                    if instance is not None:
                        numbered(entry, instance)
    document.save(str(path))
    return path
