"""The fast matching of patterns that start with whitespace gives exactly the plain patterns' results."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policybook.mkdocs_adapter.leading_space import after_space, strip_optionally_spaced
from policybook.mkdocs_adapter.material_search import _SEARCH_ATTRIBUTE, SEARCH_ATTRIBUTE_CORE
from policybook.mkdocs_adapter.page import ID_CORE, block_anchor_ids

# The characters the patterns turn on, a Unicode space, and a letter: every way to start, stop or nest a match.
PIECES = st.sampled_from(["id=", "data-search-", "x", "-", "=", '"', "'", " ", "\t", "\n", "\u2003", "\x1c", "ab", "é"])
TEXTS = st.lists(PIECES, max_size=40).map("".join)

SPACED_ID = re.compile(r"""\sid=["']([^"']+)["']""")  # the pattern page.py used before leading_space


@settings(max_examples=2000, deadline=None)
@given(TEXTS)
def test_after_space_finds_what_the_leading_space_pattern_finds(text):
    assert [m.group(1) for m in after_space(ID_CORE, text)] == [m.group(1) for m in SPACED_ID.finditer(text)]


@settings(max_examples=2000, deadline=None)
@given(TEXTS)
def test_stripping_is_materials_substitution(text):
    assert _SEARCH_ATTRIBUTE.pattern == r"\s?" + SEARCH_ATTRIBUTE_CORE.pattern  # Material's pattern, unchanged
    assert strip_optionally_spaced(SEARCH_ATTRIBUTE_CORE, text) == _SEARCH_ATTRIBUTE.sub("", text)


def test_a_match_inside_a_rejected_one_is_found():
    # "id=" after "x" is no anchor id, but the match it starts runs past one that is.
    text = """xid="a id='b'" <p\tid="c">"""
    assert [m.group(1) for m in after_space(ID_CORE, text)] == ["b", "c"] == SPACED_ID.findall(text)


def test_block_ids_read_as_mkdocs_reads_them():
    class Stash:
        blocks = ('<div id="one"><p\nid=\'two\'>x</p></div>', '<a href="#" data-id="not-this">', "<span\u2003id='three'>")

    assert block_anchor_ids(Stash) == {"one", "two", "three"}


def test_the_space_before_a_search_attribute_goes_with_it():
    html = '<div class="pb-history" data-search-exclude="true">x</div><p data-search-x="1"data-search-y="2">'
    assert strip_optionally_spaced(SEARCH_ATTRIBUTE_CORE, html) == '<div class="pb-history">x</div><p>'
