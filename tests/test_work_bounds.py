"""Small inputs that used to run for minutes: the work per input is bounded.

Each test asserts the behaviour that bounds the work (the coarser method is
taken, the output stays proportional, the closures are computed once), never
a time: ``python3 -m benchmarks.hostile`` prints the figures, recorded in
``benchmarks/RESULTS.md``. The Hypothesis tests steer towards slow inputs
(``hypothesis.target`` on the seconds taken) and check the same properties;
PB_FUZZ_EXAMPLES sets how many inputs they try.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import os
import re
import time

from hypothesis import HealthCheck, given, settings, target

from benchmarks.hostile import (
    DIFF_UNITS, MARKDOWN_UNITS, budget_shaped_clauses, disjoint_clauses, lattice_roles, runs, unclosed_links,
    write_project,
)
from policybook import model
from policybook.load import load_handbook
from policybook.render.text import LINK_BRACKET_LIMIT, LINK_SCAN_LIMIT, ProseRenderer
from policybook.views import compare
from policybook.views.checklists import build_checklist, build_checklists
from policybook.views.compare import WORD_DIFF_BUDGET, diff_words, new_text, old_text
from tests.conftest import SAMPLE_POLICIES

FUZZ = settings(
    max_examples=int(os.environ.get("PB_FUZZ_EXAMPLES", "15")), deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _CountingMatcher(difflib.SequenceMatcher):
    """Records the size of every alignment the comparison asks difflib for."""

    sizes: list[tuple[int, int]] = []

    def __init__(self, isjunk=None, a="", b="", autojunk=True):
        type(self).sizes.append((len(a), len(b)))
        super().__init__(isjunk, a, b, autojunk)


def _matcher_sizes(monkeypatch) -> list[tuple[int, int]]:
    sizes: list[tuple[int, int]] = []
    monkeypatch.setattr(_CountingMatcher, "sizes", sizes)
    monkeypatch.setattr(compare.difflib, "SequenceMatcher", _CountingMatcher)
    return sizes


# Word diff -------------------------------------------------------------------------


def test_disjoint_long_clauses_are_one_deletion_and_one_insertion(monkeypatch):
    sizes = _matcher_sizes(monkeypatch)
    old, new = disjoint_clauses(2_000)
    segments = diff_words(old, new)
    assert [(s.op, s.text) for s in segments] == [("delete", old), ("insert", new)]
    assert all(a * b <= WORD_DIFF_BUDGET for a, b in sizes), sizes


def test_long_clause_with_edits_far_apart_is_still_diffed_word_by_word(monkeypatch):
    sizes = _matcher_sizes(monkeypatch)
    sentences = [f"Sentence {n} says staff keep record number {n} of the day. " for n in range(80)]
    edited = list(sentences)
    edited[3] = edited[3].replace("keep", "write")
    edited[77] = edited[77].replace("day", "week")
    old, new = "".join(sentences), "".join(edited)
    segments = diff_words(old, new)
    assert old_text(segments) == old and new_text(segments) == new
    assert [(s.op, s.text) for s in segments if s.op != "equal"] == [
        ("delete", "keep"), ("insert", "write"), ("delete", "day"), ("insert", "week"),
    ]
    assert all(a * b <= WORD_DIFF_BUDGET for a, b in sizes), sizes


def test_every_alignment_stays_within_the_budget(monkeypatch):
    sizes = _matcher_sizes(monkeypatch)
    old, new = budget_shaped_clauses()
    segments = diff_words(old, new)
    assert old_text(segments) == old and new_text(segments) == new
    assert sizes and all(a * b <= WORD_DIFF_BUDGET for a, b in sizes), sizes


@FUZZ
@given(runs(DIFF_UNITS, max_runs=6, max_count=2_000, max_size=12_000),
       runs(DIFF_UNITS, max_runs=6, max_count=2_000, max_size=12_000))
def test_any_diff_rebuilds_both_texts(old, new):
    started = time.perf_counter()
    segments = diff_words(old, new)
    target(time.perf_counter() - started, label="diff seconds")
    assert old_text(segments) == old and new_text(segments) == new
    assert all(a.op != b.op for a, b in zip(segments, segments[1:]))


# Markdown ---------------------------------------------------------------------------


def _shown(rendered: str) -> str:
    """The text a reader sees: tags dropped, references decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_unclosed_link_openers_are_shown_as_typed():
    text = unclosed_links(64)
    rendered = str(ProseRenderer().block(text))
    assert "<a" not in rendered
    assert _shown(rendered) == text


def test_a_link_still_works_beside_many_unclosed_openers():
    text = "[a](" * 100 + " see [the guidance](https://example.org/guide) today"
    rendered = str(ProseRenderer().block(text))
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">the guidance</a>' in rendered
    assert "[a](" * 100 in html.unescape(rendered)


def test_a_link_longer_than_the_scan_window_is_plain_text():
    target_url = "https://example.org/" + "x" * LINK_SCAN_LIMIT
    text = f"Read [this]({target_url}) now."
    rendered = str(ProseRenderer().block(text))
    assert "<a" not in rendered and _shown(rendered) == text


def test_past_the_bracket_limit_links_are_shown_as_typed():
    links = " ".join(f"[item {n}](https://example.org/{n})" for n in range(LINK_BRACKET_LIMIT + 1))
    rendered = str(ProseRenderer().block(links))
    assert "<a" not in rendered and _shown(rendered) == links
    below = " ".join(f"[item {n}](https://example.org/{n})" for n in range(LINK_BRACKET_LIMIT))
    assert str(ProseRenderer().block(below)).count("<a ") == LINK_BRACKET_LIMIT


@FUZZ
@given(runs(MARKDOWN_UNITS, max_runs=6, max_count=3_000, max_size=20_000))
def test_any_text_renders_to_bounded_safe_html(text):
    started = time.perf_counter()
    rendered = str(ProseRenderer().block(text))
    target(time.perf_counter() - started, label="markdown seconds")
    # Markup, escaping and the odd wrapping tag: a few times the text at most.
    assert len(rendered) <= 8 * len(text) + 100
    assert not re.search(r"<(?!/?(p|em|strong|code|ul|ol|li|a|br|span)\b)", rendered), rendered[:200]


# Role closures ----------------------------------------------------------------------


def test_role_closures_are_computed_once_per_handbook(tmp_path, monkeypatch):
    calls = []
    real = model._role_closures
    monkeypatch.setattr(model, "_role_closures", lambda roles: calls.append(len(roles)) or real(roles))
    policies = write_project(tmp_path / "project", extra_roles=lattice_roles(60))
    result = load_handbook(policies)
    assert result.ok, result.problems[:3]
    handbook = result.handbook
    built = len(calls)
    checklists = build_checklists(handbook)
    policy = next(p for p in handbook.policies if len(p.versions) > 1)
    compare.compare_versions(policy.versions[0], policy.versions[1], handbook=handbook)
    assert len(calls) == built, "a view recomputed the role closures"
    top = build_checklist(handbook, "l59")
    assert handbook.role_closure("l59") == ("l59", *(f"l{n}" for n in range(59)), "all-staff")
    assert [role.id for role in top.includes] == [*(f"l{n}" for n in range(59)), "all-staff"]
    assert handbook.role_takers("all-staff") >= {f"l{n}" for n in range(60)}
    assert len(checklists) == len(handbook.roles)


def test_role_closure_keeps_breadth_first_order_through_loops():
    roles = (
        model.Role(id="a", name="A", includes=("b", "c")),
        model.Role(id="b", name="B", includes=("d",)),
        model.Role(id="c", name="C", includes=("a", "d", "missing")),
        model.Role(id="d", name="D", includes=("b",)),
    )
    closures = model._role_closures(roles)
    assert closures == {"a": ("a", "b", "c", "d"), "b": ("b", "d"), "c": ("c", "a", "d", "b"), "d": ("d", "b")}


# Length limits ---------------------------------------------------------------------


def test_a_huge_title_is_refused_with_the_limit(tmp_path):
    policies = write_project(tmp_path / "project", title="Huge " + "x" * 900_000)
    result = load_handbook(policies)
    messages = {p.message for p in result.problems}
    assert messages == {"title is 900,005 characters long: shorten it to at most 5,000 characters"}


# Clause alignment ---------------------------------------------------------------


def _many(label: str, prefix: str, texts: list[str]) -> model.PolicyVersion:
    clauses = tuple(
        model.Clause(id=f"{prefix}{n}", text=text, number=f"1.{n + 1}", applies_to=("all-staff",))
        for n, text in enumerate(texts)
    )
    return model.PolicyVersion(
        policy_id="demo", version=label, title="Demo", category="general", status=model.Status.ADOPTED,
        owner="board", scope=model.Scope(roles=("all-staff",)),
        sections=(model.Section(id="s", title="S", number="1", clauses=clauses),), review=model.Review(None, 12),
    )


def test_hundreds_of_clauses_without_ids_meet_only_their_neighbours(monkeypatch):
    # 1,200 clauses whose ids all changed and whose texts all changed a little:
    # every pair scored would be 1.44 million; each meets its neighbours only.
    count = 1_200
    texts = [f"Clause {n} says the member of staff {n % 7} keeps record {n * 31 % 997} for the office." for n in range(count)]
    old = _many("1", "a", texts)
    new = _many("2", "b", [text.replace("keeps", "holds") for text in texts])
    calls = []
    real_ratio = compare.fuzz.ratio
    monkeypatch.setattr(compare.fuzz, "ratio", lambda *args, **kwargs: calls.append(1) or real_ratio(*args, **kwargs))
    comparison = compare.compare_versions(old, new)
    assert len(calls) <= count * (2 * compare.NEIGHBOURS + 1)
    paired = [(c.old.id[1:], c.new.id[1:]) for c in comparison.clauses if c.old and c.new]
    assert len(paired) == count and all(a == b for a, b in paired)
    assert all(c.matched_by == "similarity" for c in comparison.clauses)
    back = compare.compare_versions(new, old)
    assert sorted((c.new.id, c.old.id) for c in back.clauses) == sorted((c.old.id, c.new.id) for c in comparison.clauses)


def test_similarity_compares_the_opening_of_long_clauses(monkeypatch):
    seen = []
    real_ratio = compare.fuzz.ratio
    monkeypatch.setattr(compare.fuzz, "ratio", lambda a, b, **kwargs: seen.append((len(a), len(b))) or real_ratio(a, b, **kwargs))
    long_text = "Staff keep the record. " * 800
    comparison = compare.compare_versions(_many("1", "a", [long_text]), _many("2", "b", [long_text + "Also this."]))
    assert seen and max(max(pair) for pair in seen) <= compare.SIMILARITY_TEXT_LIMIT
    assert [c.matched_by for c in comparison.clauses] == ["similarity"]


def test_printed_checklists_do_not_rebuild_every_checklist(tmp_path, monkeypatch):
    from policybook.pages import site
    from policybook.outputs.printing import checklist_markdown

    policies = write_project(tmp_path / "project", extra_roles=lattice_roles(30))
    handbook = load_handbook(policies).handbook
    expected = {c.role.id for c in build_checklists(handbook) if c.count}
    assert site.roles_with_duties(handbook) == expected
    monkeypatch.setattr(site, "build_checklists", lambda *a, **k: (_ for _ in ()).throw(AssertionError("rebuilt")))
    for checklist in build_checklists(handbook)[:3]:
        assert checklist_markdown(handbook, checklist, today=dt.date(2026, 11, 1))


def test_a_law_title_is_stripped_of_its_glosses_once_per_law(monkeypatch):
    from policybook.views import indexes

    calls = []
    real = indexes._bare_title
    monkeypatch.setattr(indexes, "_bare_title", lambda law: calls.append(law.id) or real(law))
    handbook = load_handbook(SAMPLE_POLICIES).handbook
    groups = indexes.build_legislation_index(handbook)
    assert groups and sorted(calls) == sorted(law.id for law in handbook.legislation)
    assert real(model.Legislation(id="x", title="Counter-Terrorism Act 2015 (the Prevent duty)  ")) == "counter-terrorism act 2015"
    assert real(model.Legislation(id="x", title="Act " + "(" * 5_000)) == ("act " + "(" * 5_000)
