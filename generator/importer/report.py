"""The review report printed after an import: what was found, guessed, not placed and dropped.

Everything quoted from the document goes through ``TerminalText``, so a
document's text can never drive the terminal.
"""

from __future__ import annotations

import re
from collections import Counter

from ..terminal import TerminalText, styled
from . import ImportResult

SHOW_AT_MOST = 40
"""Lines of one list shown before "... and N more" (the draft holds them all)."""


def review_report(result: ImportResult, written: str) -> str:
    draft, names = result.draft, result.role_names
    out = TerminalText()
    out.line(styled(f"Imported {result.source.name} ({result.fmt}) as a DRAFT: {written}", bold=True))
    out.line(f"  policy '{result.meta.policy}' version {result.meta.version}, title {draft.title!r}"
             + (" (guessed from the file name)" if draft.title_guessed else ""))
    clauses = draft.clauses
    styles = Counter(c.item_style for c in clauses if c.items)
    out.blank()
    out.line(styled("Found", bold=True))
    appendix = sum(1 for s in draft.sections if not s.binding)
    out.line(f"  {len(draft.sections)} sections ({appendix} appendix, non-binding), {len(clauses)} clauses, "
             f"{sum(styles.values())} with lists ({', '.join(f'{n} {s}' for s, n in sorted(styles.items())) or 'none'})")
    strengths = Counter(c.obligation for c in clauses if c.obligation)
    out.line("  obligations: " + (", ".join(f"{strengths[k]} {k}" for k in ("must", "must-not", "should", "should-not", "may")
                                            if strengths[k]) or "none")
             + f"; {sum(1 for c in clauses if not c.obligation)} clauses of information")
    matched = Counter()
    phrases: dict[str, Counter] = {}
    for clause in clauses:
        for phrase, role in [*clause.holder_phrases, *clause.responsible_phrases]:
            matched[role] += 1
            phrases.setdefault(role, Counter())[phrase.casefold()] += 1
    if matched:
        out.line("  roles matched: " + "; ".join(
            f"{names.get(role, role)} {n} (by {', '.join(repr(p) for p, _ in phrases[role].most_common())})"
            for role, n in matched.most_common()))
    own = [c for c in clauses if c.holder == "organisation"]
    if own:
        out.line(f"  the organisation's own commitments (holder: organisation): {', '.join(_where(c) for c in own[:SHOW_AT_MOST])}")
    split = [before for before, c in zip(clauses, clauses[1:]) if c.continues and not before.continues]
    if split:
        out.line(f"  clauses split for their duties of different strengths (one obligation a clause): "
                 f"{', '.join(_where(c) for c in split[:SHOW_AT_MOST])} (the rest of each has no number of its own)")
    unnamed = [c for c in clauses if c.holder == "unnamed" and c.obligation]
    if unnamed:
        out.line(f"  {len(unnamed)} dut{'y names' if len(unnamed) == 1 else 'ies name'} no one (holder: unnamed), their subject "
                 f"a thing, not a person: {', '.join(_where(c) for c in unnamed[:SHOW_AT_MOST])} (say who, with applies_to)")
    deadlines = [(c, c.deadline) for c in clauses if c.deadline]
    if deadlines:
        out.line("  deadlines: " + "; ".join(f"{d!r} in {_where(c)}" for c, d in deadlines))
    laws = next((value for key, value in result.meta.extra if key == "legislation"), None)
    if laws and result.into is None:
        out.line(f"  legislation named that the register holds: {laws.split(']')[0].lstrip('[')}")
    if draft.definitions:
        out.line(f"  definitions: {', '.join(repr(t) for t, _, _ in draft.definitions)}")
    holes: dict[str, list[str]] = {}
    for clause in clauses:
        for placeholder in clause.placeholders:
            holes.setdefault(placeholder, []).append(_where(clause).removeprefix("clause "))
    if holes:
        out.line("  placeholders to fill in: " + "; ".join(
            f"{p!r} in clause{'s' if len(where) > 1 else ''} {', '.join(where[:SHOW_AT_MOST])}" for p, where in holes.items()))
    for parent in (u for u in draft.unplaced if u.kind == "nested-heading" and u.mapped):
        out.line(f"  a heading over sub-headings: {parent.lines[0]!r} over {', '.join(repr(s.title) for s in parent.children)} "
                 "(guessed from their shared words: check where it ends)")
    chooses = [c for c in clauses if c.options]
    if chooses:
        out.line(f"  alternatives left in from a model ('Or'): {', '.join(_where(c) for c in chooses)}, written as options "
                 "for the school to choose from (set chosen: validate warns until then)")
    if result.into is not None:
        by = Counter(result.carried.values())
        out.line(f"  carried on from version {result.into.version}: {len(result.carried)} clauses keep their ids "
                 f"({by['similarity']} matched by wording: check them); {len(clauses) - len(result.carried)} new")
    out.blank()
    out.line(styled("Guessed (each marked 'guessed' on its line in the draft)", bold=True))
    guesses = [f"{name}: {why}" for name, (_, why) in (("category", result.meta.category), ("owner", result.meta.owner),
                                                      ("scope", result.meta.scope)) if why]
    guesses += [f"section title {s.title!r}: the text before the first heading has none" for s in draft.sections if s.title_guessed]
    guesses.append(f"every obligation ({sum(strengths.values())}), holder, responsible and deadline, from the wording")
    nobody = [c for c in clauses if (c.obligation or any(o.obligation for o in c.options)) and not c.applies_to and not c.holder]
    if nobody:
        guesses.append(f"{len(nobody)} dut{'y names' if len(nobody) == 1 else 'ies name'} no holder the handbook knows, "
                       "so the policy's scope holds them: "
                       + ", ".join(_where(c) for c in nobody[:SHOW_AT_MOST]) + " (say applies_to, or holder: unnamed)")
    for guess in guesses:
        out.line(f"  {guess}")
    unknown = [(c, phrase, suggestion) for c in clauses for phrase, suggestion in c.unknown_roles]
    if unknown:
        out.blank()
        out.line(styled("People the handbook has no role for (not mapped to anyone)", bold=True))
        for clause, phrase, suggestion in unknown[:SHOW_AT_MOST]:
            out.line(f"  {phrase!r} in {_where(clause)}: {suggestion}")
        _more(out, unknown)
    if result.mapped:
        out.blank()
        out.line(styled("Mapped from the document-control records (marked 'guessed'; each record is also kept as written)", bold=True))
        for line in result.mapped:
            out.line(f"  {line}")
    out.blank()
    out.line(styled("Could not place (kept as comment blocks in the draft, word for word)", bold=True))
    for unplaced in draft.unplaced:
        if unplaced.mapped and unplaced.left:
            out.line(f"  line {unplaced.line}: {unplaced.kind} {unplaced.title!r}: {len(unplaced.left)} of its "
                     f"{len(unplaced.lines)} lines not mapped")
        elif not unplaced.mapped:
            out.line(f"  line {unplaced.line}: {unplaced.kind} {unplaced.title!r} ({len(unplaced.lines)} lines)")
    for section in draft.sections:
        if all("definition" in c.notes for c in section.clauses):
            out.line(f"  line {section.line}: the section {section.title!r} holds only definitions")
    if all(u.mapped and not u.left for u in draft.unplaced):
        out.line("  nothing")
    if result.fixes:
        out.blank()
        out.line(styled("Fixed in the text", bold=True))
        grouped: dict[str, list[int]] = {}
        for line, fix in result.fixes:
            grouped.setdefault(re.sub(r"\d+(?:\.\d+)*", "N", fix) if "after" in fix or "before" in fix else fix, []).append(line)
        for fix, lines in grouped.items():
            shown = ", ".join(map(str, lines[:SHOW_AT_MOST])) + (f" and {len(lines) - SHOW_AT_MOST} more" if len(lines) > SHOW_AT_MOST else "")
            out.line(f"  {fix}: line{'s' if len(lines) > 1 else ''} {shown}")
    out.blank()
    out.line(styled(f"Dropped lines ({len(result.dropped)})", bold=True))
    for item in result.dropped[:SHOW_AT_MOST]:
        out.line(f"  line {item.line}: {item.text!r} ({item.reason})")
    _more(out, result.dropped)
    out.blank()
    out.line(styled(f"Kept {result.words_kept:,} of {result.words_in:,} words", bold=True),
             (f" (missing: {', '.join(result.lost_words[:20])})" if result.lost_words else ""))
    return str(out)


def _where(clause) -> str:
    return f"clause {clause.number}" if clause.number else f"clause '{clause.id}'"


def _more(out: TerminalText, items: list) -> None:
    if len(items) > SHOW_AT_MOST:
        out.line(f"  ... and {len(items) - SHOW_AT_MOST} more")
