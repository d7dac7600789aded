"""Words that agree with their numbers and nouns ("1 duty", "2 duties", "a superseded version"), and list markers.

Every count and article shown to a reader (pages, the terminal, messages)
goes through here, so none reads "1 duties from 1 policies".
"""

from __future__ import annotations

#: Plurals that adding "s" (or "y" -> "ies") does not make.
_IRREGULAR = {"entry": "entries", "policy": "policies", "duty": "duties", "is": "are", "was": "were", "has": "have"}
_VOWELS = "aeiou"


def plural(word: str, count: int = 2) -> str:
    """``word`` as it reads beside ``count``: plural unless ``count`` is one.

    Only the last word of a phrase changes ("material change" -> "material changes").
    """
    if count == 1:
        return word
    head, space, last = word.rpartition(" ")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith("y") and len(last) > 1 and last[-2] not in _VOWELS:
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return head + space + last


def counted(count: int, word: str, plural_form: str | None = None) -> str:
    """``"1 duty"``, ``"2 duties"``, ``"0 policies"``, with thousands separated (``"1,000 clauses"``).

    Args:
        count: how many.
        word: the singular noun or phrase.
        plural_form: for a plural :func:`plural` does not make.
    """
    noun = word if count == 1 else (plural_form or plural(word, count))
    return f"{count:,} {noun}"


def article(word: str) -> str:
    """``"a"`` or ``"an"`` before ``word``, by its first letter: "an adopted", "a superseded".

    The words Policybook puts this before are its own (statuses, field
    names), none of which starts with a silent "h" or a "u" read as "you".
    """
    return "an" if word[:1].lower() in _VOWELS else "a"


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def item_marker(style: str, position: int) -> str:
    """How item ``position`` (from 1) of a list in ``style`` is marked in plain text: "3.", "c.", "iii.", "-".

    The same as the page's list (``item_style``): steps read 1-7 on a
    checklist as on the policy page.
    """
    if style == "steps":
        return f"{position}."
    if style == "lettered":
        letters = ""
        while position:
            position, remainder = divmod(position - 1, 26)
            letters = chr(ord("a") + remainder) + letters
        return f"{letters}."
    if style == "roman":
        numeral = ""
        for value, letters in _ROMAN:
            count, position = divmod(position, value)
            numeral += letters * count
        return f"{numeral}."
    return "-"
