"""Counts, plurals and articles read as English (issue 16: "1 duties from 1 policies", "an superseded")."""

from __future__ import annotations

import pytest

from policybook.words import article, counted, plural


@pytest.mark.parametrize("count, word, shown", [
    (0, "policy", "0 policies"), (1, "policy", "1 policy"), (2, "policy", "2 policies"),
    (1, "duty", "1 duty"), (7, "duty", "7 duties"), (1, "day", "1 day"), (3, "day", "3 days"),
    (1, "month", "1 month"), (12, "month", "12 months"), (2, "search entry", "2 search entries"),
    (1_000, "clause", "1,000 clauses"), (2, "class", "2 classes"), (1, "problem", "1 problem"),
])
def test_counted(count, word, shown):
    assert counted(count, word) == shown


def test_an_explicit_plural_wins():
    assert counted(2, "person", "people") == "2 people" and counted(1, "person", "people") == "1 person"


def test_plural_of_a_verb_agrees_with_its_count():
    assert [plural("is", n) for n in (1, 2)] == ["is", "are"]


@pytest.mark.parametrize("word, shown", [("adopted", "an"), ("superseded", "a"), ("draft", "a"), ("Effective", "an")])
def test_article(word, shown):
    assert article(word) == shown
