"""The document-control records, mapped onto the version's fields where their rows can be read.

A record (:class:`~.structure.Unplaced` of kind version-log, document-control
or signatories) is read as rows of cells (Word's table cells, or the tabs and
``|`` of a text layer). What a row maps to becomes YAML, marked ``guessed``;
the rows it cannot read stay a comment block word for word, so nothing is lost.

- version log: a row with a version number older than the draft's own goes to
  ``history:`` (its date as written, when the date module accepts it); the row
  of the draft's own version, or a row with no version number (an "amendments
  since the last review" record), is this version's ``changes:``;
- document-control: label rows over value rows ("Date of Next Review" over
  "January 2018") go to ``review.with_staff``, ``review.governors`` (the body
  in words), ``approval`` (its date when adoption was minuted; the status
  stays draft), ``review.next``; "copy ... kept in ..." is ``master_copy``;
- signatories: "Role: date" rows whose role the handbook knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import DateOrder, parse_date
from ..model import version_key
from .draft import comment, quote
from .obligations import RoleIndex
from .structure import Draft, Unplaced

_VERSION = re.compile(r"(?i)^(?:v|version|issue)?\s*(\d{1,6}(?:\.\d{1,6}){0,3})$")
_CELLS = re.compile(r"\t+|\s+\|\s+")
_LABELS = (
    ("with_staff", re.compile(r"(?i)reviewed with staff")),
    ("lead", re.compile(r"(?i)staff responsible|^(?:policy )?owner$|^(?:policy )?lead$|^responsible (?:officer|person)$")),
    ("governors_body", re.compile(r"(?i)(governor|committee).*responsible|responsible.*(governor|committee)")),
    ("governors_date", re.compile(r"(?i)^date of (governors'? )?review$")),
    ("approval_body", re.compile(r"(?i)^(?:approved|adopted|ratified|agreed) by$")),
    ("approval_date", re.compile(r"(?i)date.*(adopt|ratif|approv)|(adopt|ratif|approv).*date|minute")),
    ("next", re.compile(r"(?i)next review|^review (?:date|due)$|^(?:date )?(?:for|of|due for) review$")),
    ("master_copy", re.compile(r"(?i)^(?:location of )?(?:the )?(?:master|signed) cop(?:y|ies)(?: (?:held|kept|location))?$")),
    ("name", re.compile(r"(?i)^(name|title) of (the )?policy$")),
)
_BODY = re.compile(r"(?i)(?:full )?governing (?:body|board)|board of (?:governors|trustees)|trust board")
_COPY = re.compile(r"(?i)^(?:the )?(?:master |signed )?cop(?:y|ies) of (?:the |this )?policy (?:is |are )?kept (?:in|at|on) (?:the )?(.+?)\.?$")


@dataclass
class Records:
    """What the records map to: top-level YAML lines, the version the log names, and what was mapped."""

    lines: list[str] = field(default_factory=list)
    version: str | None = None
    mapped: list[str] = field(default_factory=list)
    """One line per field filled, for the report."""


def cells(line: str) -> list[str]:
    return [c.strip() for c in _CELLS.split(line) if c.strip()]


def _date(text: str, order: DateOrder | None) -> str | None:
    date, _ = parse_date(text, order)
    return text if date is not None else None


def _as_written(text: str) -> str:
    # A record typed in capitals ("POLICIES FOLDER IN STAFFROOM") reads as a sentence.
    return text[:1].upper() + text[1:].casefold() if text.isupper() else text


def map_records(draft: Draft, roles: RoleIndex, version: str | None, held: frozenset[str] = frozenset(),
                order: DateOrder | None = None) -> Records:
    """Map each record of ``draft`` that can be read; mark it ``mapped`` so it is not also a comment block.

    Args:
        version: the draft's version label when given; else the newest the log names (if any) becomes it.
        held: versions the policy has files for (``--into``): their rows are not history (the files say it).
        order: the handbook's ``date_order``: a date in numbers only is mapped when it says how to read one.
    """
    out = Records()
    logs = [u for u in draft.unplaced if u.kind == "version-log"]
    if version is None:
        numbered = [m[1] for u in logs for row in map(cells, u.lines) for c in row[:1] if (m := _VERSION.match(c))]
        if numbered:
            out.version = max(numbered, key=version_key)
    this = version or out.version or "1"
    history, changes = [], []
    review: dict[str, str] = {}
    wording: dict[str, str] = {}
    """The record's own label for a field read from a label-and-value row, kept as a comment."""
    signatories: list[tuple[str, str, str, str | None]] = []
    for unplaced in draft.unplaced:
        if unplaced.kind == "version-log":
            left = _version_log(unplaced, this, history, changes, held, order)
        elif unplaced.kind == "document-control":
            left = _control(unplaced, review, wording)
        elif unplaced.kind == "signatories":
            left = _signatories(unplaced, roles, signatories, order)
        else:
            continue
        if len(left) < len(unplaced.lines):
            unplaced.mapped = True
            unplaced.left = left
    out.lines += _review_yaml(review, roles, out, order, wording)
    if signatories:
        out.lines.append(f"signatories:  {comment('guessed: from the signatories record')}")
        for role, phrase, date, name in signatories:
            out.lines += [f"  - role: {role}  {comment(f'{phrase!r}')}", *([f"    name: {quote(name)}"] if name else []),
                          f"    date: {quote(date)}"]
        out.mapped.append(f"signatories: {len(signatories)}")
    if changes:
        text = "; ".join(d for d, _ in changes)
        dates = [when for _, when in changes if when]
        out.lines.append(f"changes: {quote(text)}  "
                         + comment("guessed: the version log's rows for this version" + (f", dated {', '.join(dates)}" if dates else "")))
        out.mapped.append(f"changes: {len(changes)} version-log row{'s' if len(changes) > 1 else ''} of this version")
    if history:
        out.lines.append(f"history:  {comment('guessed: the version log rows of earlier versions')}")
        for number, description, when, note in history:
            out.lines += [f"  - version: {quote(number)}", f"    description: {quote(description)}"]
            if when:
                out.lines.append(f"    date: {quote(when)}")
            if note:
                out.lines.append("    " + comment(note))
        out.mapped.append(f"history: {len(history)} version-log row{'s' if len(history) > 1 else ''}"
                          f" ({sum(1 for h in history if not h[2])} without a date)")
    return out


def _version_log(unplaced: Unplaced, this: str, history: list, changes: list, held: frozenset[str],
                 order: DateOrder | None) -> list[str]:
    left = []
    for line in unplaced.lines:
        row = cells(line)
        number = next((m[1] for c in row[:1] if (m := _VERSION.match(c))), None)
        rest = row[1:] if number else row
        when = next((c for c in rest if _date(c, order)), None)
        odd = next((c for c in rest if c != when and re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", c)), None)
        words = [c for c in rest if c not in (when, odd)]
        if not number and not when:
            left.append(line)  # the header row, or a row that names no version and no date
            continue
        description = " - ".join(words) or "not described in the log"
        note = (f"the log dates it {odd}, which could be read two ways: give it as a day, e.g. 6 May 2018, "
                "or set date_order in handbook.yaml") if odd else ""
        if number in held:
            left.append(line)
        elif number and version_key(number) < version_key(this):
            if number not in [h[0] for h in history]:
                history.append((number, description, when, note))
            else:
                left.append(line)  # logged twice: history may list a version once
        elif number is None or number == this:
            changes.append((description, when or odd))
        else:
            left.append(line)
    return left


def _control(unplaced: Unplaced, review: dict[str, str], wording: dict[str, str]) -> list[str]:
    rows = [cells(line) for line in unplaced.lines]
    left, index = [], 0
    while index < len(rows):
        row, line = rows[index], unplaced.lines[index]
        kinds = [next((k for k, pattern in _LABELS if pattern.search(c)), None) for c in row]
        below = rows[index + 1] if index + 1 < len(rows) else None
        if len(row) == 2 and kinds[0] and not kinds[1] and kinds[0] != "name":
            # A label and its value side by side ("Policy owner | Headteacher"): the label is kept as a comment.
            review.setdefault(kinds[0], row[1])
            wording.setdefault(kinds[0], row[0])
            index += 1
            continue
        if any(kinds) and below is not None and len(below) == len(row) and not any(
                pattern.search(c) for c in below for _, pattern in _LABELS):
            for kind, label, value in zip(kinds, row, below):
                if kind and kind != "name":
                    review.setdefault(kind, value)
                if kind == "approval_date" and (body := _BODY.search(label)):
                    review.setdefault("approval_body", body[0][:1].upper() + body[0][1:].casefold())
            if "name" in kinds:
                left += [line, unplaced.lines[index + 1]]  # the policy's name: the draft's title says it
            index += 2
            continue
        if copy := _COPY.match(line.strip()):
            review.setdefault("master_copy", _as_written(copy[1][:1].upper() + copy[1][1:]))
        else:
            left.append(line)
        index += 1
    return left


def _signatories(unplaced: Unplaced, roles: RoleIndex, out: list, order: DateOrder | None) -> list[str]:
    left = []
    for line in unplaced.lines:
        row = [c.rstrip(":").strip() for c in cells(line.replace(":", ":\t", 1))]
        found, _ = roles.match(row[0], subject=False) if row else ([], [])
        when = next((c for c in row[1:] if _date(c, order)), None)
        others = [c for c in row[1:] if c != when]
        if len(found) == 1 and when and len(others) <= 1:
            # "Role: date", or a table's Role | Name | (Signature) | Date row: a single other cell is the name.
            out.append((found[0][1], row[0], when, others[0] if others else None))
        else:
            left.append(line)
    return left


def _review_yaml(review: dict[str, str], roles: RoleIndex, out: Records, order: DateOrder | None,
                 wording: dict[str, str]) -> list[str]:
    lines: list[str] = []
    why = comment("guessed: from the document-control record")

    def said(key: str) -> str:
        # The record's own wording of a label-and-value row, so the reviewer sees what was read.
        return f"  {comment(repr(wording[key]) + ': ' + repr(review[key]))}" if key in wording else ""

    block = []
    if lead := review.get("lead"):
        found, _ = roles.match(lead, subject=False)
        if len(found) == 1:
            block.append(f"  lead: {found[0][1]}" + (said("lead") or f"  {comment(repr(lead))}"))
    for key in ("with_staff", "next"):
        if _date(review.get(key, ""), order):
            block.append(f"  {key}: {quote(review[key])}{said(key)}")
    if review.get("governors_body") and _date(review.get("governors_date", ""), order):
        committee = roles.committee(review["governors_body"])
        block += ["  governors:", f"    committee: {committee}  {comment(repr(review['governors_body']) + ' is this committee of handbook.yaml')}"
                  if committee else f"    body: {quote(review['governors_body'])}", f"    date: {quote(review['governors_date'])}"]
    if block:
        lines += [f"review:  {why}", *block]
        out.mapped.append("review: " + ", ".join(b.split(":")[0].strip() for b in block if not b.startswith("    ")))
    if _date(review.get("approval_date", ""), order):
        body = review.get("approval_body", "Governing board")  # "Approved by" names it, else the board
        committee = roles.committee(body)
        lines += [f"approval:  {comment('guessed: the record gives the date adoption was minuted; the status stays draft until it is adopted')}",
                  f"  committee: {committee}  {comment(repr(body) + ' is this committee of handbook.yaml')}" if committee
                  else f"  body: {quote(body)}{said('approval_body')}", f"  date: {quote(review['approval_date'])}{said('approval_date')}"]
        out.mapped.append("approval: date")
    if review.get("master_copy"):
        lines.append(f"master_copy: {quote(review['master_copy'])}  {why}{said('master_copy')}")
        out.mapped.append("master_copy")
    return lines
