"""Clause text that is one plain line skips Markdown: the HTML must be what Markdown makes of it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policybook.render.text import _EMPHASIS, _LINK, _PLAIN_PARAGRAPH, LEAD_WORDS, ProseRenderer, lead

# Letters and the punctuation policy text is made of, plus every character
# Markdown or HTML gives a meaning to, and the odd line breaks.
ALPHABET = st.sampled_from(
    list("abc XYZ019") + list(".,;:?!'\"()-–—’%£/=+") + list("*_`[]<>&#\\~|{}")
    + ["\n", "\t", "\r", "\x85", "\u2028", "\xa0", "  ", "1. ", "- ", "> ", "    "]
)


@pytest.fixture(scope="module")
def prose():
    return ProseRenderer()


@settings(max_examples=600, deadline=None)
@given(text=st.lists(ALPHABET, max_size=30).map("".join))
def test_any_text_renders_as_markdown_would(text):
    prose = ProseRenderer()
    assert prose._convert(text) == prose._markdown(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab Z9.,;:?!'\"()-–’%£/=+\xa0\u3000")), min_size=1, max_size=40))
def test_plain_lines_render_as_markdown_would(text):
    prose = ProseRenderer()
    assert prose._convert(text) == prose._markdown(text)


@pytest.mark.parametrize("text, plain", [
    ("Staff report concerns to the designated safeguarding lead on the same day.", True),
    ("It's the head's \"final\" decision (see 4.2): 100% — no exceptions!\n", True),
    ("1. A numbered line is a list", False),
    ("- So is a dash", False),
    ("Keep *emphasis* and `code` and [links](https://example.org)", False),
    ("Two lines\nof text", False),
    ("Trailing spaces make a break  ", False),
    ("<script>alert(1)</script>", False),
])
def test_plain_sentences_take_the_fast_path(prose, text, plain):
    assert bool(_PLAIN_PARAGRAPH.fullmatch(text.strip("\n"))) is plain
    assert prose._convert(text) == prose._markdown(text)


def _lead_of_every_word(text: str) -> str:
    # lead() as it was before it split off only the words it needs.
    plain = _EMPHASIS.sub("", _LINK.sub(r"\1", text)).split()
    if len(plain) <= LEAD_WORDS + 2:
        return " ".join(plain)
    return " ".join(plain[:LEAD_WORDS]).rstrip(",;:.") + "…"


@settings(max_examples=600, deadline=None)
@given(text=st.lists(ALPHABET | st.sampled_from(["word ", " ", "end.", "\u3000"]), max_size=40).map("".join))
def test_a_clause_lead_is_its_first_words_however_they_are_spaced(text):
    assert lead(text) == _lead_of_every_word(text)
