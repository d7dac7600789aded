"""benchmarks/miss_table.py sorts a question's miss by where the worker ranked the answer and what came first.

Made-up worker answers (groups as ``worker_ranks.js --matched`` prints them:
[location, score, words matched], each page's top first), no browser.
"""

from __future__ import annotations

import pytest

from benchmarks.miss_table import sort_miss

QUESTION = {"query": "q", "answers": ["a#answer"]}
TITLES = {"policies/a.html#purpose": "1.1 Why · Purpose · A", "policies/b.html#other": "3.2 Other · Rules · B"}


def _filler(n, score):
    return [[f"policies/f{n}.html", score, 1], [f"policies/f{n}.html#c{n}", score, 1]]


def test_an_answer_the_worker_ranks_third_but_the_grouping_folds_is_class_a():
    groups = [
        [["policies/a.html", 0.9, 0], ["policies/a.html#best", 1.0, 2], ["policies/a.html#answer", 0.5, 1]],
        [["policies/b.html", 0.4, 0], ["policies/b.html#other", 0.9, 2]],
    ]
    miss = sort_miss(QUESTION, groups, TITLES)
    assert (miss.shown, miss.ranked, miss.depth) == (None, 3, "a")
    assert miss.first == ("same page", "clause", "more words") and miss.first_key == "a#best"


@pytest.mark.parametrize("place, depth", [(4, "b"), (10, "b"), (11, "c"), (None, "d")])
def test_a_hit3_miss_is_sorted_by_the_answers_rank_among_all_clauses(place, depth):
    scores = [2.0 - n / 100 for n in range(20)]
    groups = [_filler(n, score) for n, score in enumerate(scores)]
    if place:
        groups.insert(place - 1, [["policies/a.html", scores[place - 1], 1], ["policies/a.html#answer", scores[place - 1], 1]])
    miss = sort_miss(QUESTION, groups, TITLES)
    assert (miss.ranked, miss.depth) == (place, depth)
    assert miss.first == ("other page", "clause", "as many words" if place else "more words")


def test_an_answer_shown_second_is_a_hit1_miss_only_and_names_what_came_first():
    groups = [
        [["policies/b.html", 1.0, 0], ["policies/b.html#other", 1.0, 2]],
        [["policies/a.html", 0.8, 0], ["policies/a.html#purpose", 0.9, 3], ["policies/a.html#answer", 0.8, 3]],
    ]
    miss = sort_miss(QUESTION, groups, TITLES)
    assert (miss.shown, miss.depth) == (3, None)
    assert miss.first == ("other page", "clause", "fewer words")
    assert sort_miss({"query": "q", "answers": ["b#other"]}, groups, TITLES) is None


def test_a_purpose_clause_definitions_and_a_reference_page_are_named_as_such():
    def first(location):
        groups = [[[location.split("#")[0], 1.0, 0], [location, 1.0, 1]],
                  [["policies/a.html", 0.5, 0], ["policies/a.html#answer", 0.5, 1]]]
        return sort_miss(QUESTION, groups, TITLES).first[1]
    assert first("policies/a.html#purpose") == "purpose or scope"
    assert first("policies/b.html#definitions") == "definitions"
    assert first("legislation.html#gdpr") == "reference page"
    assert sort_miss(QUESTION, [], TITLES).first is None
