"""How many parts of the whole handbook hold each word: written beside a Pagefind index for its ranking.

Under Pagefind the browser ranks only the parts of the ten or so pages a
question fetched (``assets/search/pagefind-worker.js``), with the ranking
of Material's own index (``index-worker.js``, ``ranking.js``), which weighs
each word of the question by how rare it is among the parts. Counted over
the fetched pages only, the weights were not those of Material's index, and
the two engines could rank alike pages differently ("when do we call the
LADO"). So, once Pagefind has indexed the pages, this module reads back the
pages' text from Pagefind's own fragments, splits each into the parts the
worker ranks, and counts, for every stem, the parts holding it: the number
of parts, their average number of distinct stems, and those counts go into
small files, one per first letter (``policybook/a.json``, ...), that the
worker fetches with the first question needing them, with the pages' order
(``policybook/pages.json``).

The splitting, the words and the stems are ``pagefind-worker.js``'s,
``index-worker.js``'s and ``ranking.js``'s, written again here (the build
has no JavaScript engine): ``tests/test_pagefind_search.py`` checks them
against the scripts themselves in Chromium, on every word of the sample.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..mapping import MapItems, serial_map
from ..vocabulary import stop_words

FOLDER = "policybook"
"""Under the Pagefind bundle: one JSON file per first character of a stem."""
_FRAGMENT_SIGNATURE = b"pagefind_dcd"  # what each decompressed fragment starts with

# JavaScript's \s (String.prototype.split(/\s+/) and /\s+/g in the scripts), not Python's.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPLIT = re.compile(f"[{_JS_SPACE}]+")
_JS_SPACES = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
_HEADING = re.compile("h[1-6]", re.I)
_NOT_BOTH_SPACE = re.compile("[\x1c-\x1f\x85\ufeff]")  # a space to Python only, or to JavaScript only

# --- ranking.js: words, stems, terms ---------------------------------------------

_ACCENTS = re.compile("[\u0300-\u036f]")
_CONTRACTION = re.compile(r"['\u2019](s|d|ll|re|ve|m)\b", re.ASCII)  # JavaScript's \b is ASCII
_WORD = re.compile(r"[a-z0-9]+")
_PLURALS = {"children": "child", "childrens": "child", "people": "person", "peoples": "person",
            "women": "woman", "men": "man"}
_VOWEL = re.compile("[aeiouy]")
_SHORT = re.compile("^[^aeiouy]*[aeiouy][^aeiouwxy]$")


# "IT" read as information technology (ranking.js's informationTechnology).
_IT_NOUNS = """support team technician technicians tech department dept helpdesk desk guy guys person people
  staff manager managers services service suite room equipment kit systems system network provider coordinator
  co-ordinator officer contractor rules policy account accounts issue issues problem problems fault faults
  office lesson lessons security admin""".split()
_IT_ANY = re.compile(r"\bit\b|I\.T", re.I | re.ASCII)
_IT_CAPITALS = re.compile(r"(^|[^A-Za-z0-9'\u2019.])(?:IT|I\.T\.?)(?![A-Za-z0-9'\u2019])")
_IT_AFTER = re.compile(rf"\b(the|an|our|your|their|school'?s?|schools'|any)([{_JS_SPACE}]+)it\b(?!['\u2019])", re.I | re.ASCII)
_IT_BEFORE = re.compile(rf"\bit(?=[{_JS_SPACE}]+(?:{'|'.join(_IT_NOUNS)})\b)", re.I | re.ASCII)


def _information_technology(text: str) -> str:
    if not _IT_ANY.search(text):
        return text
    return _IT_BEFORE.sub("ICT", _IT_AFTER.sub(r"\1\2ICT", _IT_CAPITALS.sub(r"\1ICT", text)))


def words(text: str) -> list[str]:
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", _information_technology(text).lower()))
    return _WORD.findall(_CONTRACTION.sub("", text).replace("'", "").replace("\u2019", ""))


@lru_cache(maxsize=None)
def stem(word: str) -> str:
    w = word
    if w in _PLURALS:
        return _PLURALS[w]
    if len(w) <= 3 or w[0].isdigit():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif re.search("(sh|ch|x|z)es$", w):
        w = w[:-2]
    elif w.endswith("eed") and len(w) > 4:
        w = w[:-1]
    elif re.search("[^su]s$", w) and not re.search("(ss|is|us)$", w):
        w = w[:-1]
    else:
        suffix = 3 if w.endswith("ing") else 2 if w.endswith("ed") else 0
        if suffix:
            base = w[:-suffix]
            if len(base) >= 3 and _VOWEL.search(base):
                if re.search(r"([^aeiouylsz])\1$", base):
                    w = base[:-1]
                else:
                    w = base + "e" if _SHORT.search(base) and len(base) <= 3 else base
            elif len(base) == 2 and re.search("^[aeiou][^aeiouy]$", base):
                w = base + "e"
    if w.endswith("osure"):
        w = w[:-3]
    elif w.endswith("ment") and len(w) >= 9:
        w = w[:-4]
    if len(w) >= 5 and re.search("[^e]e$", w):
        w = w[:-1]
    return w


def terms(text: str, stop: frozenset[str]) -> list[str]:
    return [stem(word) for word in words(text) if word not in stop]


# --- pagefind-worker.js: a page's parts; index-worker.js: a part's stems ---------


def page_parts(fragment: dict) -> list[tuple[str, str, str]]:
    """(location, title, text) of each part of a page, as ``fragmentEntries`` splits it, texts plain."""
    page = re.sub(r"[?#].*$", "", re.sub(r"^/+", "", str(fragment.get("raw_url") or fragment.get("url") or "")))
    content = _js_split(str(fragment.get("content") or ""))
    headings = sorted((anchor for anchor in fragment.get("anchors") or ()
                       if _HEADING.fullmatch(str(anchor.get("element", ""))) and anchor.get("id")
                       and str(anchor.get("text") or "").strip(_JS_SPACES)),
                      key=lambda anchor: anchor["location"])

    def text(start: int, end: int) -> str:
        # Joined by one space, and trimmed, as escapeHtml then plainText read a part
        # (of the words split, only the first and the last can be "").
        return " ".join(content[start:end]).strip(" ")

    def after(heading: dict) -> int:
        return heading["location"] + len(_SPLIT.split(heading["text"].strip(_JS_SPACES)))

    top = headings.pop(0) if headings and headings[0]["location"] == 0 and headings[0]["element"].lower() == "h1" else None
    title = (fragment.get("meta") or {}).get("title") or (top and top["text"]) or page
    parts = [(page, _plain(title), text(after(top) if top else 0, headings[0]["location"] if headings else len(content)))]
    for index, heading in enumerate(headings):
        end = headings[index + 1]["location"] if index + 1 < len(headings) else len(content)
        parts.append((f"{page}#{heading['id']}", _plain(heading["text"]), text(after(heading), end)))
    return parts


def part_stems(title: str, text: str, of_words) -> set[str]:
    """The stems ``index-worker.js`` indexes a part under: its text's, its heading's own and its context's.

    ``of_words(words)``: the stems of a set of the part's space-separated words
    (ranking.js's ``terms`` reads a text a word at a time: spaces only separate).
    """
    name, _, context = title.partition(" · ")
    lead = re.sub("…$", "", re.sub(r"^[A-Z]?[0-9.]+ ", "", name, count=1), count=1)
    own = "" if lead and text.startswith(lead) else name
    return of_words(set(f"{text} {context} {own}".split(" ")))


def _js_split(text: str) -> list[str]:
    """``text.split(/\\s+/)`` in JavaScript: str.split where the two agree on what a space is (10 times faster)."""
    if _NOT_BOTH_SPACE.search(text):
        return _SPLIT.split(text)
    words = text.split()
    return ([""] if text[:1].isspace() else []) + words + ([""] if text[-1:].isspace() else [])


def _plain(text: str) -> str:
    # escapeHtml then plainText, as the worker reads a part: the text itself, its spaces collapsed.
    return " ".join(word for word in _SPLIT.split(text) if word)


# --- the counts ------------------------------------------------------------------


def read_fragments(bundle: Path) -> list[dict]:
    """The pages Pagefind indexed, as its fragments hold them (whole text, headings, title)."""
    return [read_fragment(path) for path in fragment_files(bundle)]


def fragment_files(bundle: Path) -> list[Path]:
    return sorted((bundle / "fragment").glob("*.pf_fragment"))


def read_fragment(path: Path) -> dict:
    data = gzip.decompress(path.read_bytes())
    return json.loads(data[len(_FRAGMENT_SIGNATURE):] if data.startswith(_FRAGMENT_SIGNATURE) else data)


def phrases(vocabulary: dict[str, list[str]], stop: frozenset[str]) -> set[tuple[str, ...]]:
    """The alternatives of several stems a question can hold: the vocabulary's keys and terms (ranking.js's SYNONYMS)."""
    found = set()
    for key, listed in vocabulary.items():
        own = tuple(terms(key, stop))
        if not own:
            continue
        for alternative in (own, *(tuple(terms(phrase, stop)) for phrase in listed)):
            if len(alternative) > 1:
                found.add(alternative)
    return found


def counts(fragments: Sequence[dict | Path], vocabulary: dict[str, list[str]], *,
           map_items: MapItems = serial_map) -> dict:
    """{count, average, df}: the parts index-worker.js would index, and how many hold each stem and phrase.

    Args:
        fragments: Pagefind's pages, read (:func:`read_fragments`) or as their files.
        map_items: splits the pages' parts into stems (``speed.parallel.fork_map``
            puts half of them on a second core: 1.1 s of CPU at 500 policies).
    """
    stop = frozenset(stop_words())
    known: dict[str, list[str]] = {}  # a handbook says the same words again and again

    def of_words(words: set[str]) -> set[str]:
        for word in words:
            if word not in known:
                known[word] = terms(word, stop)
        return set().union(*map(known.__getitem__, words))

    def stems_of_parts(fragment: dict | Path) -> list[set[str]]:
        if isinstance(fragment, Path):
            fragment = read_fragment(fragment)
        # A heading with nothing under it is not a part (index-worker.js); a page's top always is.
        return [part_stems(title, text, of_words) for location, title, text in page_parts(fragment)
                if text or "#" not in location]

    indexed = [stems for page in map_items(stems_of_parts, list(fragments)) for stems in page]
    df = Counter(s for stems in indexed for s in stems)
    wanted = phrases(vocabulary, stop)
    holding: dict[str, set[int]] = {}
    for alternative in wanted:
        for s in alternative:
            holding.setdefault(s, set())
    for number, stems in enumerate(indexed):
        for s in stems & holding.keys():
            holding[s].add(number)
    for alternative in wanted:
        together = set.intersection(*(holding[s] for s in alternative))
        if together:
            df[" ".join(alternative)] = len(together)
    total = sum(len(stems) for stems in indexed)
    return {"count": len(indexed), "average": total / max(1, len(indexed)), "df": dict(df)}


def write_corpus(bundle: Path, vocabulary: dict[str, list[str]], order: list[str], *,
                 map_items: MapItems = serial_map) -> None:
    """Write ``bundle/policybook/<c>.json`` for each first character ``c`` of a stem, from Pagefind's fragments.

    Each file holds the part count and average (so any one file is enough)
    and the counts of the stems (and phrases) starting with ``c``; a stem
    absent from its file is in no part. ``pages.json`` lists the pages' URLs
    (``order``) in the order of Material's index: parts that score alike
    are listed in that order, so the worker ranks its pages in it too.
    """
    found = counts(fragment_files(bundle), vocabulary, map_items=map_items)
    shards: dict[str, dict[str, int]] = {}
    for key, number in found["df"].items():
        shards.setdefault(key[0], {})[key] = number
    folder = bundle / FOLDER
    folder.mkdir(exist_ok=True)
    for first in "abcdefghijklmnopqrstuvwxyz0123456789":
        data = {"count": found["count"], "average": found["average"], "df": dict(sorted(shards.get(first, {}).items()))}
        (folder / f"{first}.json").write_text(json.dumps(data, separators=(",", ":")), encoding="ascii")
    (folder / "pages.json").write_text(json.dumps({"order": order}, separators=(",", ":")), encoding="utf-8")
