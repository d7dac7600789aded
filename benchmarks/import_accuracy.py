"""How well ``policybook import`` reads real policies: the three reference documents against answer keys.

    python3 -m benchmarks.import_accuracy        # one line of figures per document

The documents are real school policies kept beside the repository
(``../shared/reference/``, not in it); the keys below were written by hand
from reading them, and hold labels and counts only, never their sentences:
clauses per section in reading order, each clause's obligation, list
styles, who duties fall on and who acts on them, people the handbook has no
role for, the records today's schema has no field for, and the version's
fields the document-control records were mapped to.

A clause the importer splits for its duties of different strengths
(``continues``) is one clause of the document here: its obligation is
the one the whole would have had (``as_one``), and each role counts once for it.

Clause boundaries are scored by aligning the two sequences of section
breaks and clauses (difflib), so a missed heading costs one boundary, not
every clause after it; obligations are compared on the aligned clauses.
"""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"
SAMPLE_POLICIES = ROOT / "policies"

_ = None  # a clause of information, no obligation
KEYS = {
    # Kimpton Primary: an adopted county model; review record, amendments, signatories, an "Or" alternative.
    "000_d78c35f856c7d530.txt": {
        "sections": [
            [_, _, _, _],
            ["must-not", "should-not"],
            ["may"],
            ["must-not", "must-not", "must-not", "must-not", "should"],
            ["must", "should", _],
            ["should", "should", "should", "should", "should"],
            ["may", _],     # the school reserves the right: the organisation's own (holder: organisation)
            [_, "must"],
        ],
        "item_styles": ["bullet"],
        "applies_to": {"all-staff": 14},
        "responsible": {"headteacher": 4},
        "unknown": ["manager"],
        "unplaced": {"document-control": 1, "version-log": 1, "signatories": 1, "alternative": 1},
        "version_log_rows": 2,
        "mapped": ["approval", "changes", "master_copy", "review", "signatories"],
        "numbering": "source",  # 2.1 holds a should-not and a must-not: split in two, so the numbers after it are the document's

        "nested": [],
        "organisation": 1,      # duties whose holder is the organisation itself: 7.1 "the school reserves the right"
        "definitions": 0,
        "legislation": 0,
    },
    # Upland Primary: no numbering; headings, a heading over sub-headings, paragraphs and bullets.
    "001_bb353425d46281bf.txt": {
        "sections": [
            [_, _, _, _],
            [_, "must", _],
            ["should-not", "must", "must", "should", "must", "should-not", "should", "must-not", "should-not", "should",
             "should-not", "should"],
            [_, "must", "should", "should", "should", "must-not", "must", "should", "should-not"],
            ["should"],
            [_],
            ["must"],
            ["should"],
        ],
        "item_styles": ["bullet", "bullet"],
        "applies_to": {"all-staff": 16, "governor": 5},
        "responsible": {"dsl": 2, "senior-leader": 3, "headteacher": 1},
        "unknown": ["parental groups", "parents and carers"],
        "unplaced": {"nested-heading": 1},
        "version_log_rows": 0,
        "mapped": [],
        "numbering": "none",
        "nested": [2],
        "organisation": 0,          # sub-sections under each heading over sub-headings
        "definitions": 0,
        "legislation": 1,   # of the sample register's entries (its Data Protection Act is 2018, not 1998)
    },
    # A union's model policy: numbered sections, role-by-role duties, a definition, a non-binding appendix.
    "003_934bce893b6a825c.txt": {
        "sections": [
            [_],
            ["should"],
            [_, _, _, _, _],
            ["should", "must", "must"],
            ["should", "should-not", "should-not", "must-not"],
            [_, _, "should-not", _],
            ["must", "should", "should"],
            ["should-not", "should"],
            ["must", _, "must", "must", "must", _],  # "the senior manager will ...": the employer's people's duties
                                                      # (9.3's is the senior manager's, within 24 hours, not the school's)
            ["must", _, "should", _, "must"],   # "the school will report": the organisation's
            [_, _, _],
            ["must"],
            ["must", "should", "should", _],
            ["should"],
        ],
        "item_styles": ["bullet"] * 10,
        "applies_to": {"all-staff": 13},
        "responsible": {"dsl": 1},
        "unknown": ["managers", "hr", "senior manager"],
        "unplaced": {"document-date": 1},
        "version_log_rows": 0,
        "mapped": [],
        "nested": [],
        "organisation": 1,      # 10.5 "the school will report the matter to the police"
        "numbering": "source",   # its section 4 holds only definitions (under definitions:), so 5 follows 3
        "definitions": 1,
        "legislation": 5,   # the register has no entry named as this document names the GDPR
    },
}


def measure(name: str, handbook=None) -> dict:
    """Import one reference document and score it against its key."""
    from policybook.importer import import_document
    from policybook.importer.draft import numbering
    from policybook.importer.obligations import as_one
    from policybook.importer.structure import document_clauses
    from policybook.load import load_handbook

    handbook = handbook or load_handbook(SAMPLE_POLICIES).handbook
    result = import_document(REFERENCE / name, handbook)
    key = KEYS[name]
    groups = [document_clauses([c for c in s.clauses if "definition" not in c.notes]) for s in result.draft.sections]
    groups = [s for s in groups if s]
    found_sections = [[as_one(group) for group in section] for section in groups]
    pairs = _aligned(key["sections"], found_sections)
    key_clauses = sum(len(s) for s in key["sections"])
    found_clauses = sum(len(s) for s in found_sections)
    agree = sum(1 for want, clause in pairs if want == clause.obligation)
    # Each role once per clause of the document, however many parts it was split in.
    applies = Counter(r for s in found_sections for c in s for r in c.applies_to)
    responsible = Counter(r for s in found_sections for c in s for r in c.responsible)
    roles_key = sum(key["applies_to"].values()) + sum(key["responsible"].values())
    roles_found = (sum(min(n, applies[r]) for r, n in key["applies_to"].items())
                   + sum(min(n, responsible[r]) for r, n in key["responsible"].items()))
    unknown = {p.casefold() for c in result.draft.clauses for p, _ in c.unknown_roles}
    kinds = Counter(u.kind for u in result.draft.unplaced)
    log_rows = sum(len(u.lines) for u in result.draft.unplaced if u.kind == "version-log")
    return {
        "name": name,
        "result": result,
        "sections": (len(found_sections), len(key["sections"])),
        "clauses": (found_clauses, key_clauses),
        "boundaries": len(pairs) / max(key_clauses, found_clauses),
        "obligations": agree / len(pairs) if pairs else 0.0,
        "obligations_of_key": agree / key_clauses,
        "item_styles": sorted(c.item_style for s in found_sections for c in s if c.items) == sorted(key["item_styles"]),
        "roles": (roles_found, roles_key),
        "roles_extra": sum(applies.values()) + sum(responsible.values()) - roles_found,
        "unknown": (len(unknown & set(key["unknown"])), len(key["unknown"])),
        "unplaced": all(kinds[k] >= n for k, n in key["unplaced"].items()),
        "version_log_rows": (log_rows, key["version_log_rows"]),
        "nested": ([len(u.children) for u in result.draft.unplaced if u.kind == "nested-heading" and u.mapped], key["nested"]),
        "organisation": (sum(1 for c in result.draft.clauses if c.holder == "organisation"), key["organisation"]),
        "numbering": (numbering(result.draft)[0], key["numbering"]),
        "mapped": (sorted(line.split(":")[0] for line in result.mapped), key["mapped"]),
        "definitions": (len(result.draft.definitions), key["definitions"]),
        "legislation": (sum(value.count(",") + 1 for k, value in result.meta.extra if k == "legislation"), key["legislation"]),
        "words": (result.words_kept, result.words_in),
    }


def _aligned(key_sections, found_sections):
    """(key obligation, found clause) for each clause the two readings agree is a clause at the same place."""
    def tokens(sections):
        out = []
        for section in sections:
            out.append("S")
            out.extend("C" for _ in section)
        return out

    key_flat = [o for s in key_sections for o in ["S", *s]]
    found_flat = [c for s in found_sections for c in ["S", *s]]
    matcher = difflib.SequenceMatcher(None, tokens(key_sections), tokens(found_sections), autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(key_flat[i], found_flat[j]) for i, j in zip(range(i1, i2), range(j1, j2)) if key_flat[i] != "S"
                      or found_flat[j] != "S"]
    return [(want, clause) for want, clause in pairs if not isinstance(clause, str)]


def main() -> int:
    if not REFERENCE.is_dir():
        print(f"no reference documents at {REFERENCE}: nothing to measure")
        return 0
    print("| document | sections found / key | clauses found / key | clause boundaries | obligation agreement "
          "| roles matched / key (extra) | unknown people found / key | records kept | version-log rows | record fields mapped / key | numbering (key) | sub-sections / key | organisation's duties / key | words kept |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in KEYS:
        if not (REFERENCE / name).is_file():
            continue
        m = measure(name)
        print(f"| {name[:3]} | {m['sections'][0]} / {m['sections'][1]} | {m['clauses'][0]} / {m['clauses'][1]} "
              f"| {m['boundaries']:.0%} | {m['obligations']:.0%} | {m['roles'][0]} / {m['roles'][1]} ({m['roles_extra']}) "
              f"| {m['unknown'][0]} / {m['unknown'][1]} | {'all' if m['unplaced'] else 'NOT all'} "
              f"| {m['version_log_rows'][0]} / {m['version_log_rows'][1]} | {len(m['mapped'][0])} / {len(m['mapped'][1])} | {m['numbering'][0]} ({m['numbering'][1]}) "
              f"| {sum(m['nested'][0])} / {sum(m['nested'][1])} | {m['organisation'][0]} / {m['organisation'][1]} | {m['words'][0]:,} / {m['words'][1]:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
