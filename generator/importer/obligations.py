"""Obligations: how strongly a clause binds, whom, who acts on it, and by when.

Everything here is read from the words real policies use and is a guess
for a person to check: the draft marks each one with a comment.

- **Strength** from the modal wording (``CUES``): the strongest cue in the
  clause's text wins (its items only when the text has none); ``may`` counts
  only when a person is its subject ("Staff may", not "a breach may result"),
  and so do the cues of ``PERSON_CUES`` ("Staff have to", "Staff can ask",
  not "The aim is to", "Abuse can happen"). "No member of staff may" and
  "Under no circumstances should" forbid (must-not); "It is the
  responsibility of all staff to" names its holder inside the cue.
- **Holder** (``applies_to``): the subject of the sentence holding the cue,
  matched against the handbook's role names and aliases (plurals too).
- **Responsible**: who receives a report, approves or is told ("report it to
  the designated person for Child Protection").
- **Deadline**: "within 24 hours", "immediately", "the same working day",
  "no later than one month".

A person named in the subject or after "report to" whom the handbook has no
role for is listed with a suggestion, never mapped to anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Handbook, role_key
from .structure import DraftClause

_S = r"(?:strongly\s+|strictly\s+|also\s+|therefore\s+|still\s+|always\s+|generally\s+)?"
_NO_ONE = r"(?:under|in)\s+no\s+circumstances|at\s+no\s+time|on\s+no\s+account"
_NO_PERSON = (r"no(?=\s+(?:one|person|member|employee|pupil|child|student|visitor|parent|adult|teacher|governor|volunteer|"
              r"contractor|staff|individual|body)\b)\s+(?:one\b)?|nobody\b|no-one\b")
"""A subject that excludes everyone it names ("No member of staff", "No one"): what it may or should do is forbidden."""
CUES: tuple[tuple[str, str], ...] = (
    # (obligation, pattern); within one strength the earliest match wins.
    ("must-not", rf"\bmust\s+{_S}(?:not|never|avoid|refrain)\b|\bmustn[’']t\b|\bshall\s+(?:not|never)\b|\bshan[’']t\b"
                 rf"|\b(?:is|are)\s+{_S}(?:prohibited|forbidden)\b|\b(?:is|are)\s+{_S}not\s+(?:permitted|allowed)\b"
                 rf"|\b(?:{_NO_ONE})\b(?:,?\s+(?:should|must|may|can|shall|will|are|is)\s+(?P<inverted>(?:the\s+|a\s+|an\s+|any\s+)?"
                 r"(?!(?:the|a|an|any)\b)[\w-]+(?![\w-])(?:\s+of\s+[\w-]+(?![\w-]))?)(?!\s+be\s+(?:\w+ed|left|given|taken|sent|shown|seen|told|kept|made)\b))?"
                 rf"|^\s*(?:{_NO_PERSON})[^.;,]{{0,40}}?\s+(?:may|can|should|must|shall)\s+be\b"
                 r"|^(?:never|do\s+not|don[’']t)\b"),
    ("must", rf"\bmust\b|\bshall\b|\bwill(?!\s+(?:not|be|also|need|have|help|result|lead|depend|usually|often)\b)\b|\b(?:is|are)\s+{_S}required\s+to\b|\b(?:is|are)\s+{_S}responsible\s+for\b|\b(?:will|may|can)\s+be\s+(?:expected|required|obliged)\s+to\b"
             rf"|\b(?:is|are)\s+{_S}(?:obliged|obligated)\s+to\b|\b(?:is|are)\s+(?:mandatory|compulsory)\b"
             r"|\bit\s+is\s+(?:the\s+)?(?:responsibility|duty)\s+of\s+(?P<of>[^.;:]{2,60}?)\s+to\b"),
    ("should-not", rf"\bshould\s+{_S}(?:not|never|avoid|refrain)\b|\bshouldn[’']t\b|\bought\s+not\s+to\b"
                   r"|\bnot\s+(?:advisable|recommended|(?:good|best)\s+practice)\b"
                   rf"|\b(?:is|are)\s+{_S}(?:advised|asked|encouraged|urged|recommended)\s+(?:not\s+to|to\s+avoid|against)\b"
                   rf"|\b(?:is|are)\s+{_S}discouraged\b|^avoid\b"),
    ("should", rf"\bshould\b|\bought\s+to\b|\b(?:is|are)\s+{_S}(?:advised|encouraged|recommended|asked|urged|reminded)\s+to\b"
               r"|\bit\s+is\s+(?:strongly\s+)?(?:advisable|recommended)\b|\bit\s+is\s+(?:good|best)\s+practice\b"
               r"|\b(?:we|the\s+school|the\s+trust)\s+would\s+(?:ask|encourage|urge|advise|recommend)\b"),
    ("may", r"\bmay(?!\s+(?:also\s+)?(?:be|find|result|lead|need|have|well|affect|cause|constitute|include|not|wish|"
            r"impact|contain|amount|mean|change|vary|form)\b)\b|\b(?:is|are)\s+permitted\b|\b(?:is|are)\s+allowed\s+to\b"
            r"|\breserves?\s+the\s+right\s+to\b|\bat\s+(?:the\s+)?(?:[\w-]+[’']s\s+|their\s+|his\s+or\s+her\s+|his\s+|her\s+|its\s+)?"
            r"(?:own\s+|sole\s+|absolute\s+)?discretion\b"),
)
PERSON_CUES: tuple[tuple[str, str], ...] = (
    # Cues that bind only when a person is their subject: "Staff have to", not "The aim is to"; "Staff can ask", not "Abuse can happen".
    ("must-not", rf"\b(?:is|are)\s+{_S}not\s+to\b|\bmay\s+{_S}not(?!\s+(?:be|have|always|need|know|want|wish|feel|like|realise|"
                 r"realize|understand|see|find)\b)\b|\b(?:cannot|can\s+not|can[’']t)(?!\s+(?:be|always|help)\b)\b"),
    ("must", rf"\b(?:is|are)\s+{_S}to\s+(?!be\s+(?:found|seen|read|used|kept\s+in\s+mind)\b)(?=\w)|\b(?:has|have)\s+{_S}to\s+(?!say\b)"
             rf"|(?<!may\s)(?<!might\s)(?<!could\s)\bneeds?\s+to\b|\b(?:is|are)\s+{_S}expected\s+to\b"
             r"|\b(?:is|are)\s+under\s+(?:a|an)\s+(?:duty|obligation)\s+to\b|\b(?:has|have)\s+(?:a|the)\s+(?:legal\s+|statutory\s+)?duty\s+to\b"
             r"|\bit\s+is\s+(?:essential|vital|imperative|crucial)\s+that\s+(?P<that>(?:\S+\s+){0,4}?\S+)\s+(?=\w)"),
    ("should", r"\bit\s+is\s+(?:very\s+)?important\s+that\s+(?P<that2>(?:\S+\s+){0,4}?\S+)\s+(?=\w)"),
    # "can" with a verb after it: "where you can", "as soon as they can" end a clause and grant nothing.
    ("may", rf"\bcan(?=\s+[a-z])(?!\s+(?:also\s+)?(?:be|lead|result|cause|take|happen|include|mean|affect|make|help|vary|change|become|"
            r"occur|impact|amount|form|seem|feel|appear|arise|come|get|go|give|often|sometimes|easily|quickly|always)\b)\b"
            rf"|\b(?:is|are)\s+{_S}(?:entitled|free|welcome|able)\s+to\b"),
)
_CUES = [(obligation, re.compile(pattern, re.I | re.M), False) for obligation, pattern in CUES] + [
    (obligation, re.compile(pattern, re.I | re.M), True) for obligation, pattern in PERSON_CUES]
IMPERATIVE = re.compile(
    r"^(?:always\s+|only\s+|please\s+)?(?:use|lock|tell|report|take|keep|check|record|declare|behave|treat|dress|pass|hide|"
    r"delete|follow|make\s+sure|ensure|speak|read|ask|get|seek|inform|contact|send|store|log|sign|return|remove|wear|"
    r"switch|look|raise|refer|act|give|write|set|turn|protect|respect|review|update|attend|complete|stop|think|"
    r"be|put|leave|choose|let|share|publish|post|answer|reply|consider|remember|limit|save|upload|agree|make|talk|"
    r"notify|phone|call|explain|note|listen|stay|wait)\b", re.I)
"""A sentence that starts with one of these verbs gives an instruction: must (should in guidance). ("Avoid ..." is a cue: should-not.)"""
_STRENGTH = {"must-not": 3, "must": 3, "should-not": 2, "should": 2, "may": 1}
ORGANISATION = re.compile(r"^\s*(?:(?:the|our)\s+(?:school|trust|academy)|we|(?-i:[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*)"
                          r"\s+(?-i:School|Academy|Trust|College))\s*$", re.I)
"""A subject that is the organisation itself: "The School", "we", "Upland Primary School" (then holder: organisation)."""
_PERMITTED = re.compile(r"\b(?:is|are)\s+permitted\b|\ballowed\b", re.I)

DEADLINE = re.compile(
    r"\bwithin\s+(?:\d+|one|two|three|four|five|six|seven|ten|fourteen|twenty[- ]four|forty[- ]eight|a|an)\s+"
    r"(?:working\s+|school\s+|calendar\s+|business\s+)?(?:hours?|days?|weeks?|months?|terms?)\b"
    r"|\bno\s+later\s+than\s+[^,.;:()]{3,40}"
    r"|\b(?:immediately|straight\s+away|without\s+delay|as\s+soon\s+as\s+(?:possible|identified|practicable|you\s+can)"
    r"|(?:on\s+)?the\s+same\s+(?:working\s+|school\s+)?day|as\s+a\s+matter\s+of\s+urgency|promptly)\b", re.I)
_RESPONSIBLE = re.compile(
    r"\b(?:report(?:ed|s)?|pass(?:ed|es)?|direct(?:ed|s)?|notif(?:y|ied|ies)|refer(?:red|s)?|sent|escalated?|give[ns]?|raised?)\b"
    r"[^.;:]{0,80}?\bto\s+(?P<who>(?:(?:the|a|an|their|your|any|our)\s+|(?-i:[A-Z]))[^.;:,()]{1,80})"
    r"|\b(?:contact|tell|inform|consult|ask)\s+(?P<who2>(?:the|a|an|their|your|any)\s+[^.;:,()]{2,60})"
    r"|\b(?:approval|authority|authorisation|permission|consent)\b[^.;:]{0,40}?\b(?:of|from|by)\s+(?P<who3>[^.;:,()]{2,60})"
    r"|\bdiscussed\s+it\s+with\s+(?P<who4>[^.;:,()]{2,60})", re.I)
PEOPLE = re.compile(
    r"\b(?:(?:senior|line|IT|HR|office|business|school|network)\s+)?(?:managers?|management)\b|\bhuman\s+resources\b|\bHR\b"
    r"|\bemployers?\b|\btrustees?\b|\bconsultants?\b|\bagency\s+(?:workers?|staff)\b|\bparental\s+groups?\b"
    r"|\bparents?(?:\s*(?:/|and|or)\s*carers?)?\b|\bcarers?\b|\bpupils?\b|\bstudents?\b|\bchild(?:ren)?\b"
    r"|\bclerk\b|\bcommittee\b|\bpolice\b|\bthe\s+(?:school|trust|academy)(?:/trust)?\b|\bwe\b|\bcolleagues?\b", re.I)
_WHO_ENDS = re.compile(r"\b(?:who|whom|which|that|before|after|if|when|where|within|unless|so|because|while|whilst|until|"
                       r"should|must|will|may|can|shall|immediately|as)\b.*$", re.I)
_ABOUT = re.compile(r"\b(?:against|about|concerning|regarding|involving)\s+(?:(?:the|a|an|any|other|their|your|our)\s+)?$", re.I)
"""A role named as what a thing is about, not as the one who acts ("a complaint about a teacher")."""
_AFTER_PREPOSITION = re.compile(r"\b(?:to|from|of|with|by|about|on|for|through|against|involving|between|via|into|"
                                r"onto|towards?|at|in|its|their|your|our)\s+(?:(?:the|a|an|any|all|other|its|their|your|our)\s+)?$", re.I)


@dataclass(frozen=True)
class RoleIndex:
    """Every name a role goes by in the handbook, longest first, as matching phrases."""

    phrases: tuple[tuple[str, str, re.Pattern], ...]   # (phrase, role id, pattern)
    names: dict[str, str]                               # role id -> name
    choices: dict[str, str]                             # phrase -> role id, for suggestions
    organisation: str = ""                              # the handbook's organisation name
    committees: tuple[tuple[str, str], ...] = ()        # (name, committee id) of the handbook's governance bodies

    @classmethod
    def of(cls, handbook: Handbook) -> RoleIndex:
        phrases: dict[str, str] = {}
        for role in handbook.roles:
            for name in (role.name, *role.aliases, role.id.replace("-", " ")):
                phrases.setdefault(role_key(name), role.id)
        ordered = sorted(phrases.items(), key=lambda item: (-len(item[0]), item[0]))
        return cls(
            tuple((phrase, role_id, re.compile(rf"\b{_plural(phrase)}\b", re.I)) for phrase, role_id in ordered),
            {role.id: role.name for role in handbook.roles},
            phrases,
            handbook.organisation.name,
            tuple((c.name, c.id) for c in handbook.committees),
        )

    def with_terms(self, terms: dict[str, tuple[str, tuple[str, ...]]]) -> RoleIndex:
        """This index with the policy's own terms for groups of people ("Staff" meaning staff, governors and
        volunteers): a term wins over a role of the same name, and "all Staff" is the term too."""
        if not terms:
            return self
        own = {role_key(term): ident for term, (ident, _) in terms.items()}
        phrases = [(phrase, role_id, pattern) for phrase, role_id, pattern in self.phrases if phrase not in own and phrase not in {f"all {p}" for p in own}]
        phrases += [(f"all {phrase}", ident, re.compile(rf"\b(?:all\s+)?{_plural(phrase)}\b", re.I)) for phrase, ident in own.items()]
        phrases.sort(key=lambda item: (-len(item[0]), item[0]))
        names = {**self.names, **{ident: term for term, (ident, _) in terms.items()}}
        return RoleIndex(tuple(phrases), names, {**self.choices}, self.organisation, self.committees)

    def committee(self, body: str) -> str | None:
        """The id of the committee ``body`` names ("Curriculum and Community" is the Curriculum and Community Committee)."""
        words = _body_words(body)
        return next((ident for name, ident in self.committees if words and words == _body_words(name)), None)

    def is_organisation(self, subject: str) -> bool:
        """Whether ``subject`` is the organisation itself (the school, we, a school's name, the handbook's name)."""
        subject = re.sub(r"(?i)^\s*(?:also|then)\s+|\s+(?:also|then|itself)\s*$", "", subject)
        return bool(ORGANISATION.match(subject)) or bool(self.organisation) and subject.strip().casefold() in (
            self.organisation.casefold(), f"the {self.organisation.casefold()}")

    def match(self, text: str, *, subject: bool = True) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(phrase as written, role id) for each role named in ``text``; (phrase, suggestion) for other people.

        Args:
            subject: ``text`` is a sentence's subject, where people after a
                preposition ("received from children") are not the ones it is about.
        """
        found: list[tuple[str, str]] = []
        taken: list[tuple[int, int]] = []
        for _, role_id, pattern in self.phrases:
            for hit in pattern.finditer(text):
                if any(start < hit.end() and hit.start() < end for start, end in taken):
                    continue
                taken.append(hit.span())
                if subject and _ABOUT.search(text[: hit.start()]):
                    continue  # "An allegation against the headteacher must be reported": the allegation, not the head
                if role_id not in [r for _, r in found]:
                    found.append((hit.group(), role_id))
        unknown = []
        for hit in PEOPLE.finditer(text):
            if any(start < hit.end() and hit.start() < end for start, end in taken):
                continue
            if subject and _AFTER_PREPOSITION.search(text[: hit.start()]):
                continue  # "received from children", "consent of parents": not who the duty is on
            phrase = " ".join(hit.group().split())
            if phrase.casefold() not in [u.casefold() for u, _ in unknown]:
                unknown.append((phrase, self.suggest(phrase)))
        order = {span: n for n, span in enumerate(sorted(taken))}
        found.sort(key=lambda item: min((order[s] for s in taken if text[s[0]:s[1]] == item[0]), default=0))
        return found, unknown

    def suggest(self, phrase: str) -> str:
        if re.fullmatch(r"(?i)the\s+(?:school|trust|academy)(?:/trust)?|we", phrase):
            return "the organisation itself, not a role (the richer model of issue 16 names it as a holder)"
        # A role sharing a word with the phrase ("senior manager" ~ Senior leader), the most shared first.
        words = {_singular(w) for w in re.findall(r"[a-z]{3,}", phrase.casefold())}
        best, shared = None, 0
        for choice, role_id in self.choices.items():
            overlap = len(words & {_singular(w) for w in re.findall(r"[a-z]{3,}", choice)})
            if overlap > shared:
                best, shared = role_id, overlap
        if best:
            return f"add '{phrase}' as an alias of {self.names[best]}, or a new role, in handbook.yaml"
        return f"add a role for '{phrase}' (or an alias of an existing one) in handbook.yaml"


def _body_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", name.casefold().replace("&", " and "))
                     if w not in {"the", "committee", "of", "governors", "governing", "board", "body", "sub"})


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _plural(phrase: str) -> str:
    words = [re.escape(word) for word in phrase.split()]
    if not words:
        return "(?!)"
    last = words[-1]
    if last.endswith("s") and len(last) > 3:
        last = f"{last[:-1]}s?"
    elif not last.endswith("staff"):
        last = f"{last}(?:s|es)?"
    return r"\s+".join([*words[:-1], last])


def find_obligation(clause: DraftClause, roles: RoleIndex, *, binding: bool = True) -> None:
    """Fill in the clause's obligation, holder, responsible and deadline, as guesses.

    Args:
        binding: the clause's section holds rules; in guidance an instruction is advice (should).
    """
    found = _strongest(clause.text, roles, binding) or (_strongest("", roles, binding, items=clause.items) if clause.items else None)
    if found:
        clause.obligation, clause.cue, subject = found[:3]
        holders, unknown = roles.match(subject)
        if roles.is_organisation(subject) and not holders:
            # "The School reserves the right to ...": a commitment of the organisation, on no one's checklist.
            clause.holder, clause.holder_phrase = "organisation", " ".join(subject.split())
            unknown = []
        elif not holders and not unknown and (re.fullmatch(r"(?i)\s*(?:they|he|she|he or she)\s*", subject) or _impersonal(subject)):
            # "If the employee is unsure, they should ...", "If the employee is contacted, the enquiry should be
            # passed on": the person named in the "If" clause; with no one there, a thing is the subject ("Any
            # misuse should be reported to ...") and the document does not say by whom (never everyone in scope).
            holders, unknown = roles.match(found[3])
            if not holders and not unknown and _impersonal(subject):
                clause.holder, clause.holder_phrase = "unnamed", " ".join(subject.split())
        clause.holder_phrases = holders
        clause.applies_to = [role for _, role in holders]
        clause.unknown_roles = unknown
    responsible_text = " ".join([clause.text, *clause.items])
    for hit in _RESPONSIBLE.finditer(responsible_text):
        who = _WHO_ENDS.sub("", next(group for group in hit.groups() if group))
        named, unknown = roles.match(who, subject=False)
        for phrase, role in named:
            if role not in clause.responsible:
                clause.responsible.append(role)
                clause.responsible_phrases.append((phrase, role))
        for phrase, suggestion in unknown:
            if phrase.casefold() not in [u.casefold() for u, _ in clause.unknown_roles] and not re.match(r"(?i)the\s+(school|trust)", phrase):
                clause.unknown_roles.append((phrase, suggestion))
    deadline = DEADLINE.search(responsible_text) if clause.obligation else None
    if deadline:
        clause.deadline = " ".join(deadline.group().split())


def split_duties(clause: DraftClause, roles: RoleIndex, *, binding: bool = True) -> list[DraftClause]:
    """The clause, or its sentences in runs of one strength each when it holds duties of different strengths.

    "Staff must not post photographs. They should ask the office if unsure"
    is two duties (must, should); "Do not keep it on a USB stick. Use the
    school's storage" is one (must-not and must are one strength). The model gives a clause one obligation, so it becomes two
    clauses, the second marked as the rest of the first (it has no number of
    its own). A sentence with no cue stays with the run before it; the items
    stay with the last run, whose last sentence leads them in.
    """
    if clause.options or "definition" in clause.notes:
        return [clause]
    sentences = _sentences(clause.text)
    runs: list[tuple[int | None, list[str]]] = []
    for sentence in sentences:
        found = _strongest(sentence, roles, binding)
        strength = _STRENGTH[found[0]] if found else None
        if runs and (strength is None or runs[-1][0] in (None, strength)):
            runs[-1] = (runs[-1][0] or strength, [*runs[-1][1], sentence])
        else:
            runs.append((strength, [sentence]))
    if len(runs) < 2 or len(sentences) < 2:
        return [clause]
    note = f"split from {('clause ' + clause.number) if clause.number else 'the clause above'}: it holds duties of different strengths"
    parts = [DraftClause(" ".join(words), clause.line, continues=True, notes=[note]) for _, words in runs[1:]]
    clause.text = " ".join(runs[0][1])
    parts[-1].items, parts[-1].item_style = clause.items, clause.item_style
    clause.items, clause.item_style = [], None
    return [clause, *parts]


def as_one(parts: list[DraftClause]) -> DraftClause:
    """A clause split by :func:`split_duties` as the document has it: its text whole, its items, and the
    obligation the whole would have had (a modal cue over an instruction, then the strongest)."""
    if len(parts) == 1:
        return parts[0]
    first = max(parts, key=lambda c: (bool(c.obligation) and "(an instruction)" not in (c.cue or ""),
                                      _STRENGTH.get(c.obligation, 0), c.obligation in ("must-not", "should-not")))
    return DraftClause(" ".join(p.text for p in parts), parts[0].line, parts[0].number, items=parts[-1].items,
                       item_style=parts[-1].item_style, obligation=first.obligation, cue=first.cue,
                       applies_to=list(dict.fromkeys(r for p in parts for r in p.applies_to)),
                       responsible=list(dict.fromkeys(r for p in parts for r in p.responsible)), holder=first.holder)


def _strongest(text: str, roles: RoleIndex, binding: bool, items: list[str] | None = None) -> tuple[str, str, str, str] | None:
    """(obligation, cue as written, the sentence's subject, the words before it) of the strongest cue; the earliest among equals.

    A clause with no modal cue whose sentence starts with an instruction
    ("Tell the DSL ...", "If a pupil contacts you, do not reply") is a duty
    of the reader: must, or should in guidance.
    """
    candidates, instructions = [], []
    for index, sentence in enumerate(items if items else _sentences(text)):
        found = None
        for order, (cue_obligation, pattern, of_someone) in enumerate(_CUES):
            for hit in pattern.finditer(sentence):
                obligation = cue_obligation
                # "It is the responsibility of all staff to", "It is essential that staff", "Under no circumstances should
                # staff": the subject is inside the cue.
                subject = next((g for g in hit.groups() if g), None) or _subject(sentence[: hit.start()])
                if of_someone and not _someone(subject, roles):
                    continue
                if obligation in ("may", "must", "should") and _NOBODY.match(subject):
                    obligation = "must-not"   # "No member of staff may ...", "No one should ...": forbidden to all
                    subject = _NOBODY.sub("", subject)
                elif obligation == "may" and not _PERMITTED.match(hit.group()) and not _person(subject, roles) \
                        and not roles.is_organisation(subject) and "discretion" not in hit.group().casefold():
                    continue
                if hit.group().casefold() == "will" and not roles.is_organisation(subject) and not (
                        _acts(subject, roles) and not _FORECAST.match(sentence[hit.end():])
                        and not _INNER.search(subject)):
                    # "will" is a commitment of the organisation ("The School will ...") or of one of its people
                    # ("the senior manager will conduct an investigation"); else a forecast ("pupils will learn").
                    continue
                # At one place "must not" beats "must": the order of CUES breaks the tie.
                # Among cues of one strength, "should be aware" gives way to the duty itself ("... and should not accept").
                aware = bool(_AWARE.match(sentence[hit.end():]))
                candidate = ((-_STRENGTH[obligation], aware, index, hit.start(), order), obligation, " ".join(hit.group().split()),
                             subject, sentence[: hit.start()])
                found = min(found, candidate) if found else candidate
                break
        # In a list, the lead-in says what the items are; an item's verb is not a duty of its own.
        instruction = _instruction(sentence) if found is None and not items else None
        if instruction:
            obligation = "must" if binding else "should"
            instructions.append(((index,), obligation, f"{instruction.group()} (an instruction)", "", ""))
        if found:
            candidates.append(found)
    # The modal wording, where there is any, says how strong the clause is; else its first instruction.
    return min(candidates or instructions)[1:] if candidates or instructions else None


def _instruction(sentence: str) -> re.Match | None:
    """The imperative verb that gives the sentence's instruction: at its start, or after an opening "If ...,"
    whose condition runs over commas ("If you have a concern, however small, speak to the DSL")."""
    rest = _subject(sentence)
    found = IMPERATIVE.match(rest)
    if found or not _SUBORDINATE.match(sentence):
        return found
    for part in re.split(r",\s*", rest)[1:4]:
        if found := IMPERATIVE.match(part):
            return found
    return None


_SUBORDINATE = re.compile(r"^(?:for example,\s*|however,\s*|therefore,\s*)?(?:if|when|where|whilst|while|although|unless|before|after|"
                          r"once|in order to|with regard to|following|in the course of)\b[^,]*,\s*", re.I)


def _subject(before: str) -> str:
    """The words before the cue, without an opening "If ...," clause: "If in doubt, staff should" -> "staff"."""
    before = re.sub(r"^(?:for example|however|therefore|also),\s*", "", before.strip(), flags=re.I)
    return _SUBORDINATE.sub("", before)


_ANYONE = re.compile(r"(?i)\b(?:you|your|yourself|they|we|us|he|she|anyone|everyone|someone|somebody|nobody|no\s+one|"
                     r"individuals?|persons?|people|members?|adults?|all|each|those|whoever|it|there|this|these|those|which|who|that|"
                     r"leaders?|leads?|officers?|managers?|heads?|co-?ordinators?|advis[eo]rs?|assistants?|workers?|employees?|chairs?|"
                     r"clerks?|secretar(?:y|ies)|administrators?|technicians?|supervisors?|directors?|principals?|deputy|deputies|"
                     r"caretakers?|nurses?|tutors?|mentors?|coaches|helpers?|representatives?|governors?|teachers?|volunteers?|"
                     r"contractors?|visitors?|staff|team|panel|board)\b")


def _impersonal(subject: str) -> bool:
    """A subject that is a thing, not a person ("Any misuse", "Personal data", "It"): a duty with no holder named."""
    words = subject.split()
    return bool(words) and len(words) <= 12 and not _ANYONE.search(subject) and not PEOPLE.search(subject)


_FORECAST = re.compile(r"\s*(?:receive|get|learn|find|see|feel|know|benefit|hear|enjoy|want|like|understand|grow|come|go|"
                       r"continue|remain|start|begin|probably|likely|soon)\b", re.I)
"""What follows "will" when it tells what someone will experience, not what they are to do."""
_ACTORS = re.compile(r"(?i)\b(?:managers?|management|HR|human\s+resources|leaders?|leadership|officers?|co-?ordinators?|"
                     r"clerks?|employers?|heads?)\b")
"""People of the organisation the handbook may not know, whose "will" is a duty (not pupils, parents or the police)."""


def _acts(subject: str, roles: RoleIndex) -> bool:
    """Whether ``subject`` is someone of the organisation who acts: a role of the handbook, or a manager, lead, HR..."""
    named, _ = roles.match(subject)
    return bool(named) or bool(_ACTORS.search(subject))


_INNER = re.compile(r"(?i)\b(?:that|which|whether|because)\b")
"""A cue after these is inside a clause of another verb ("promise a child that they will ...", "aware that they cannot")."""
# What follows a cue that asks for awareness rather than an act ("should be aware of ...").
_AWARE = re.compile(r"(?i)\s+(?:also\s+)?(?:be\s+(?:aware|mindful|conscious)|note|bear\s+in\s+mind|remember)\b")
_NOBODY = re.compile(rf"(?i)^\s*(?:{_NO_PERSON})\s*")
# Words for people that no handbook has as a role, but that can be a cue's subject ("Anyone who ...", "Employees").
_PERSON_WORDS = re.compile(r"(?i)\b(?:you|they|we|he|she|anyone|everyone|someone|somebody|individuals?|persons?|people|"
                           r"members?|adults?|whoever|employees?|staff|colleagues?)\b")


def _someone(subject: str, roles: RoleIndex) -> bool:
    """Whether ``subject`` names a person or people ("Staff", "The class teacher", "Each governor"), not a thing or an aim."""
    named, unknown = roles.match(subject)
    # Not a clause inside another ("aware that they cannot control ..."): "cannot" there is ability, not a ban.
    return bool(named or unknown or _PERSON_WORDS.search(subject)) and not roles.is_organisation(subject) \
        and not re.match(r"(?i)\s*(?:there|it|this|these|that|which)\b", subject) \
        and not _INNER.search(subject)


def _person(subject: str, roles: RoleIndex) -> bool:
    """Whether the last words before "may" name someone who is allowed to: a role, or you / they."""
    tail = " ".join(subject.split()[-4:])
    named, unknown = roles.match(tail)
    return bool(named or unknown or re.search(r"\b(?:you|they|staff)\s*$", tail, re.I))


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c])", text) if part]


def placeholders(clause: DraftClause) -> None:
    from .structure import PLACEHOLDER

    for text in (clause.text, *clause.items):
        for hit in PLACEHOLDER.finditer(text):
            if hit.group() not in clause.placeholders:
                clause.placeholders.append(hit.group())
