"""Version comparison: hand-made cases for every kind, properties, the sample, the CLI."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policybook.cli import cli
from policybook.load import load_handbook
from policybook.model import (
    Clause, Definition, Handbook, Obligation, Organisation, PolicyVersion, Review, Role, Scope, Section, Status,
)
from policybook.views.compare import (
    ADDED, APPLIES_TO, BINDING, DEADLINE, EDITORIAL, KINDS, MERGED, MIRROR, MOVED, REMOVED, RESPONSIBLE,
    REWORDED, SPLIT, STRENGTHENED, WEAKENED, ClauseChange, Piece, Segment, clause_text, compare_versions,
    comparison_data, diff_words, item_label, _labelled_pieces, new_text, old_text, picker_pairs, redline_pieces,
    tokenize,
)
from tests.conftest import SAMPLE_POLICIES

MUST, SHOULD, MAY, MUST_NOT = Obligation.MUST, Obligation.SHOULD, Obligation.MAY, Obligation.MUST_NOT


# Small hand-built models ------------------------------------------------------


def clause(id: str, text: str, obligation: Obligation | None = MUST, **fields) -> Clause:
    return Clause(id=id, text=text, number="", obligation=obligation, **{"applies_to": ("all-staff",), **fields})


def version(*sections, label: str = "1", roles=("all-staff",), **fields) -> PolicyVersion:
    """``sections`` are ``(section id, [clauses])``; numbers follow position, as the loader does."""
    built = []
    for s_index, (section_id, clauses) in enumerate(sections, 1):
        numbered = tuple(dataclasses.replace(c, number=f"{s_index}.{c_index}") for c_index, c in enumerate(clauses, 1))
        built.append(Section(id=section_id, title=section_id.title(), number=str(s_index), clauses=numbered))
    base = dict(
        policy_id="demo", version=label, title="Demo", category="general", status=Status.ADOPTED,
        owner="board", scope=Scope(roles=roles), sections=tuple(built), review=Review(lead=None, cycle_months=12),
    )
    return PolicyVersion(**{**base, **fields})


def only(comparison, clause_id: str):
    found = [c for c in comparison.clauses if c.clause_id == clause_id]
    assert len(found) == 1, found
    return found[0]


A = "Staff report every concern to the safeguarding lead on the same day."
B = "Teachers keep a written record of what they saw and heard."
C = "Visitors sign in at reception and wear a badge at all times."
D = "The office keeps the photo consent list up to date every term."


# Hand-made cases: one per kind --------------------------------------------------


def test_same_version_reports_nothing():
    v = version(("s", [clause("a", A), clause("b", B)]))
    comparison = compare_versions(v, v)
    assert comparison.changed == () and comparison.fields == () and comparison.unchanged == 2


def test_added_and_removed():
    comparison = compare_versions(
        version(("s", [clause("a", A), clause("b", B)])),
        version(("s", [clause("a", A), clause("c", C)])),
    )
    assert only(comparison, "c").kinds == (ADDED,)
    assert only(comparison, "b").kinds == (REMOVED,)


def test_should_to_must_with_no_other_word_changed_is_only_strengthened():
    comparison = compare_versions(
        version(("s", [clause("p", "Staff should set privacy settings to the highest level.", SHOULD)])),
        version(("s", [clause("p", "Staff must set privacy settings to the highest level.", MUST)])),
    )
    change = only(comparison, "p")
    assert change.kinds == (STRENGTHENED,)
    assert [(s.op, s.text) for s in change.segments if s.op != "equal"] == [("delete", "should"), ("insert", "must")]


def test_weakened_and_polarity_flip():
    weaker = compare_versions(version(("s", [clause("a", A, MUST)])), version(("s", [clause("a", A, MAY)])))
    assert only(weaker, "a").kinds == (WEAKENED,)
    information = compare_versions(version(("s", [clause("a", A, MUST)])), version(("s", [clause("a", A, None)])))
    assert only(information, "a").kinds == (WEAKENED,)
    flipped = compare_versions(version(("s", [clause("a", A, MUST)])), version(("s", [clause("a", A, MUST_NOT)])))
    assert set(only(flipped, "a").kinds) == {STRENGTHENED, WEAKENED}


def test_reworded_and_editorial():
    comparison = compare_versions(
        version(("s", [clause("a", "If you recieve a message, tell the head."), clause("b", B), clause("c", C)])),
        version(("s", [clause("a", "If you receive a message tell the Head!"), clause("b", B.replace("written", "typed")),
                       clause("c", C.replace(" and", "  and"))])),
    )
    assert only(comparison, "a").kinds == (EDITORIAL,)
    assert only(comparison, "b").kinds == (REWORDED,)
    assert only(comparison, "c").kinds == (EDITORIAL,)
    assert comparison.material == (only(comparison, "b"),), "material changes come first"


@pytest.mark.parametrize("before, after", [
    ("Report within 24 hours.", "Report within 48 hours."),
    ("Fill in the form today.", "Fill in the from today."),
    ("Staff should tell the head.", "Staff would tell the head."),
])
def test_word_changes_that_are_not_spelling_fixes(before, after):
    comparison = compare_versions(version(("s", [clause("a", before)])), version(("s", [clause("a", after)])))
    assert REWORDED in only(comparison, "a").kinds


def test_item_style_only_is_editorial():
    old = clause("a", "Do not post content that:", items=("is abusive;", "is explicit."))
    comparison = compare_versions(version(("s", [old])), version(("s", [dataclasses.replace(old, item_style="lettered")])))
    assert only(comparison, "a").kinds == (EDITORIAL,)


def test_renumbering_by_an_insert_is_a_badge_not_a_change():
    comparison = compare_versions(
        version(("s", [clause("a", A), clause("b", B)])),
        version(("s", [clause("c", C), clause("a", A), clause("b", B)])),
    )
    b = only(comparison, "b")
    assert b.kinds == () and b.renumbered and b.number == "1.2 -> 1.3"
    assert [c.clause_id for c in comparison.changed] == ["c"]
    assert comparison_data(comparison)["renumbered"][1] == {"id": "b", "old_number": "1.2", "new_number": "1.3"}


def test_out_of_order_is_moved_and_only_the_mover_is():
    comparison = compare_versions(
        version(("s", [clause("a", A), clause("b", B), clause("c", C), clause("d", D)])),
        version(("s", [clause("b", B), clause("c", C), clause("d", D), clause("a", A)])),
    )
    assert [c.clause_id for c in comparison.changed] == ["a"]
    assert only(comparison, "a").kinds == (MOVED,)


def test_moved_to_another_section_and_reworded():
    comparison = compare_versions(
        version(("one", [clause("a", A), clause("b", B)]), ("two", [clause("c", C)])),
        version(("one", [clause("a", A)]), ("two", [clause("c", C), clause("b", B.replace("written", "typed"))])),
    )
    assert only(comparison, "b").kinds == (REWORDED, MOVED)
    assert only(comparison, "c").kinds == ()


def test_matched_by_similarity_when_the_id_changed():
    comparison = compare_versions(
        version(("s", [clause("old-id", A), clause("b", B)])),
        version(("s", [clause("new-id", A.replace("every", "each")), clause("b", B)])),
    )
    change = only(comparison, "new-id")
    assert change.old.id == "old-id" and change.matched_by == "similarity" and change.kinds == (REWORDED,)
    unrelated = compare_versions(version(("s", [clause("x", A)])), version(("s", [clause("y", C)])))
    assert sorted(k for c in unrelated.changed for k in c.kinds) == [ADDED, REMOVED], "below the cutoff"


def test_similarity_assignment_is_one_to_one_and_best_first():
    near_a = A.replace("every", "each")
    comparison = compare_versions(
        version(("s", [clause("x1", A), clause("x2", B)])),
        version(("s", [clause("y1", B), clause("y2", near_a)])),
    )
    pairs = {c.old.id: c.new.id for c in comparison.clauses if c.old and c.new}
    assert pairs == {"x1": "y2", "x2": "y1"}


SPLIT_OLD = "Staff must report every concern to the safeguarding lead. They must also keep a written record of what they saw."


def test_split_and_its_mirror_merge():
    old = version(("s", [clause("report", SPLIT_OLD), clause("b", B)]))
    new = version(("s", [
        clause("report", "Staff must report every concern to the safeguarding lead."),
        clause("record", "Staff must keep a written record of what they saw."),
        clause("b", B),
    ]))
    forward = compare_versions(old, new)
    parts = [c for c in forward.changed if SPLIT in c.kinds]
    assert {c.new.id for c in parts} == {"report", "record"} and {c.old.id for c in parts} == {"report"}
    assert not forward.count(ADDED) and not forward.count(REMOVED)
    assert only(forward, "record").partner_numbers == ("1.1",)
    backward = compare_versions(new, old)
    sources = [c for c in backward.changed if MERGED in c.kinds]
    assert {c.old.id for c in sources} == {"report", "record"} and {c.new.id for c in sources} == {"report"}
    assert not backward.count(ADDED) and not backward.count(REMOVED)


def test_merge_of_two_clauses_with_new_id():
    old = version(("s", [clause("r1", "Staff must report every concern to the safeguarding lead."),
                         clause("r2", "Staff must keep a written record of what they saw.")]))
    new = version(("s", [clause("together", SPLIT_OLD)]))
    comparison = compare_versions(old, new)
    assert [c.old.id for c in comparison.changed if MERGED in c.kinds] == ["r1", "r2"]
    assert all(c.new.id == "together" for c in comparison.changed)


def test_applies_to_responsible_deadline_binding():
    old = clause("a", A, applies_to=("teacher",), applies_to_explicit=True, responsible=("dsl",), deadline="today")
    new = dataclasses.replace(old, applies_to=("all-staff",), responsible=("head",), deadline="tomorrow", binding=False)
    change = only(compare_versions(version(("s", [old])), version(("s", [new]))), "a")
    assert change.kinds == (APPLIES_TO, RESPONSIBLE, DEADLINE, BINDING)
    assert change.roles_added == ("all-staff",) and change.roles_removed == ("teacher",) and not change.applies_inherited


def test_scope_change_inherited_by_a_clause_counts_as_applies_to_changed():
    # Decision: the duty now falls on other people, so it is material, marked as inherited.
    old = version(("s", [clause("a", A, applies_to=("all-staff",))]), roles=("all-staff",))
    new = version(("s", [clause("a", A, applies_to=("all-staff", "volunteer"))]), roles=("all-staff", "volunteer"))
    comparison = compare_versions(old, new)
    change = only(comparison, "a")
    assert change.kinds == (APPLIES_TO,) and change.applies_inherited and change.roles_added == ("volunteer",)
    assert [f.key for f in comparison.fields] == ["scope.roles"]


def test_information_clause_scope_is_not_a_duty_change():
    old = version(("s", [clause("a", A, None, applies_to=("all-staff",))]))
    new = version(("s", [clause("a", A, None, applies_to=("volunteer",))]), roles=("volunteer",))
    assert only(compare_versions(old, new), "a").kinds == ()


def test_policy_level_changes():
    old = version(("one", [clause("a", A)]), ("two", [clause("b", B)]),
                  definitions=(Definition("Staff", "Employees"),), related=("x",), legislation=("l1",))
    new = dataclasses.replace(
        version(("two", [clause("b", B)]), ("one", [clause("a", A)]), roles=("all-staff", "volunteer"),
                definitions=(Definition("Staff", "Employees and volunteers"), Definition("Pupil", "A child")),
                related=("y",), legislation=("l2",), title="Demo 2", owner="head",
                review=Review(lead=None, cycle_months=24), scope=Scope(("all-staff",), ("off-site",))),
    )
    renamed = dataclasses.replace(new, sections=(dataclasses.replace(new.sections[0], title="Renamed"), new.sections[1]))
    keys = {f.key for f in compare_versions(old, renamed).fields}
    assert {"title", "scope.contexts", "owner", "review.cycle_months", "related", "legislation", "definitions",
            "definition:Staff", "section-title:two", "section-order"} <= keys
    # Reordered sections move no clause: they are a policy-level change.
    assert not compare_versions(old, renamed).count(MOVED)


def handbook_with_roles() -> Handbook:
    roles = (Role("all-staff", "All staff"), Role("teacher", "Teacher", includes=("all-staff",)), Role("office", "Office"))
    return Handbook(Organisation("School"), roles, (), (), 12, ())


def test_role_impact_follows_includes():
    old = version(("s", [clause("a", A, SHOULD), clause("b", B, applies_to=("office",))]))
    new = version(("s", [clause("a", A.replace("every", "each"), MUST), clause("c", C)]))
    impacts = {i.role.id: i for i in compare_versions(old, new, handbook=handbook_with_roles()).roles}
    assert [c.clause_id for c in impacts["teacher"].added] == ["c"], "teacher includes all staff"
    assert [c.clause_id for c in impacts["teacher"].strengthened] == ["a"]
    assert [c.clause_id for c in impacts["office"].removed] == ["b"]
    assert not impacts["office"].added


# Word-level redline ------------------------------------------------------------


def test_tokens_are_words_punctuation_and_spaces():
    assert tokenize("Don't  stop, 24h!") == ["Don", "'", "t", "  ", "stop", ",", " ", "24h", "!"]


def test_redline_never_splits_a_word():
    segments = diff_words("the organisation must report", "the organization must record")
    assert [(s.op, s.text) for s in segments if s.op != "equal"] == [
        ("delete", "organisation"), ("insert", "organization"), ("delete", "report"), ("insert", "record"),
    ]


def test_long_clauses_are_not_hit_by_autojunk():
    old = " ".join(["the staff"] * 150) + " report it."
    new = " ".join(["the staff"] * 150) + " record it."
    changed = [s.text for s in diff_words(old, new) if s.op != "equal"]
    assert changed == ["report", "record"]


WORD = st.sampled_from(["staff", "must", "should", "report", "the", "lead", "pupil", "record", "day", "a", "safe", "24"])
PUNCT = st.sampled_from([".", ",", ";", ":", "!", "-"])
TEXT = st.lists(st.one_of(WORD, WORD, WORD, PUNCT), min_size=1, max_size=25).map(lambda ws: re.sub(r" ([.,;:!])", r"\1", " ".join(ws)))


@given(st.text(max_size=80), st.text(max_size=80))
def test_nothing_is_lost_for_any_text(a, b):
    segments = diff_words(a, b)
    assert old_text(segments) == a and new_text(segments) == b
    for side in ("insert", "delete"):
        pieces = [s.text for s in segments if s.op != side]
        for left, right in zip(pieces, pieces[1:]):
            assert not (re.match(r"\w", left[-1]) and re.match(r"\w", right[0])), "no word split between segments"


EDIT = st.sampled_from(["keep", "keep", "keep", "reword", "delete", "strengthen", "weaken", "rescope"])


@st.composite
def version_pairs(draw):
    """Two versions: clauses in three sections, then edited, deleted, inserted, reordered, maybe re-id'd."""
    count = draw(st.integers(min_value=0, max_value=12))
    texts = draw(st.lists(TEXT, min_size=count, max_size=count))
    obligations = [draw(st.sampled_from([MUST, SHOULD, MAY, None])) for _ in range(count)]
    sections = [draw(st.sampled_from(["s1", "s2", "s3"])) for _ in range(count)]
    old_clauses = [(sections[k], clause(f"c{k}", texts[k], obligations[k])) for k in range(count)]
    new_clauses = []
    for section, c in old_clauses:
        edit = draw(EDIT)
        if edit == "delete":
            continue
        if edit == "reword":
            c = dataclasses.replace(c, text=draw(TEXT))
        elif edit == "strengthen":
            c = dataclasses.replace(c, obligation=MUST)
        elif edit == "weaken":
            c = dataclasses.replace(c, obligation=MAY)
        elif edit == "rescope":
            c = dataclasses.replace(c, applies_to=("teacher",))
        if draw(st.booleans()) and draw(st.booleans()):
            section = draw(st.sampled_from(["s1", "s2", "s3"]))
        new_clauses.append((section, c))
    for k in range(draw(st.integers(min_value=0, max_value=3))):
        new_clauses.insert(draw(st.integers(0, len(new_clauses))), ("s1", clause(f"n{k}", draw(TEXT), MUST)))
    if draw(st.booleans()):
        new_clauses = draw(st.permutations(new_clauses))
    if draw(st.booleans()):  # imported text: ids all changed, so similarity matching runs
        new_clauses = [(s, dataclasses.replace(c, id=f"x-{c.id}")) for s, c in new_clauses]

    def build(items, label):
        return version(*[(s, [c for sec, c in items if sec == s]) for s in ("s1", "s2", "s3")], label=label)

    return build(old_clauses, "1"), build(new_clauses, "2")


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(version_pairs())
def test_every_clause_redline_rebuilds_both_texts(pair):
    old, new = pair
    comparison = compare_versions(old, new)
    for change in comparison.clauses:
        assert old_text(change.segments) == (clause_text(change.old) if change.old else "")
        assert new_text(change.segments) == (clause_text(change.new) if change.new else "")
        assert set(change.kinds) <= set(KINDS)
    seen_new = {c.new.id for c in comparison.clauses if c.new}
    seen_old = {c.old.id for c in comparison.clauses if c.old}
    assert seen_new == {c.id for c in new.clauses} and seen_old == {c.id for c in old.clauses}, "nothing is lost"


@PROPERTY
@given(version_pairs())
def test_a_redline_without_list_items_is_its_segments_joined_as_the_token_walk_joins_them(pair):
    # redline_pieces skips the token walk when neither side has items: it must give the walk's pieces.
    for change in compare_versions(*pair).clauses:
        assert redline_pieces(change) == _labelled_pieces(change, 0, 0)
        assert [piece.op for piece in redline_pieces(change)] == [op for op, _ in itertools.groupby(
            segment.op for segment in change.segments if segment.text)], "one piece per run of one op"



def token_walk(change: ClauseChange, old_count: int, new_count: int) -> tuple[Piece, ...]:
    """The labelled redline as it was first written, one Python step per token: what ``_labelled_pieces`` must give."""
    tokens = [(segment.op, token) for segment in change.segments for token in tokenize(segment.text)]

    def starts(skip, count):
        if not count:
            return {}
        found = [i for i in range(len(tokens) - 2)
                 if [text for _, text in tokens[i:i + 3]] == ["\n", "-", " "] and skip not in [op for op, _ in tokens[i:i + 3]]]
        return {start: position for position, start in enumerate(found[-count:], start=max(0, count - len(found)))}

    old_items, new_items = starts("insert", old_count), starts("delete", new_count)
    pieces, run_op, run, index = [], None, [], 0
    while index < len(tokens):
        op, text = tokens[index]
        clause, position = (change.new, new_items[index]) if index in new_items else (change.old, old_items.get(index))
        if position is not None:
            if run:
                pieces.append(Piece(run_op, "".join(run)))
            (newline, _), (dash, _), (space, _) = tokens[index:index + 3]
            pieces += [Piece(newline, "\n"), Piece(dash, item_label(clause.item_style, position), label=True)]
            run_op, run, index = space, [" "], index + 3
            continue
        if run and op != run_op:
            pieces.append(Piece(run_op, "".join(run)))
            run = []
        run_op = op
        run.append(text)
        index += 1
    if run:
        pieces.append(Piece(run_op, "".join(run)))
    return tuple(pieces)


# Segments as any comparison could hold them, and more: empty ones, two of one op in a row, markers
# cut across segments, line breaks and spaces in runs, non-ASCII white space.
REDLINE_TEXT = st.lists(st.sampled_from(["\n", "-", " ", "- ", "\n- ", "\n-  ", " \n- ", "\n\n- ", "word", "x.",
                                         "\u00a0", "\t", "2"]), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["equal", "insert", "delete"]), REDLINE_TEXT), max_size=10),
       st.integers(0, 4), st.integers(0, 4), st.sampled_from(["bullet", "lettered", "roman", "steps"]))
def test_labelled_pieces_are_the_token_walks(segments, old_count, new_count, style):
    # Item markers found by line break and grouped stretch by stretch, not token by token: the same pieces.
    def side(count):
        return clause("c", "text", items=("item",) * count, item_style=style)
    change = ClauseChange(side(old_count), side(new_count), (), tuple(Segment(op, text) for op, text in segments))
    assert _labelled_pieces(change, old_count, new_count) == token_walk(change, old_count, new_count)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["equal", "insert", "delete"]), REDLINE_TEXT, st.integers(0, 4), st.integers(0, 4),
       st.sampled_from(["bullet", "lettered", "roman", "steps"]))
def test_one_segment_pieces_are_the_token_walks(op, text, old_count, new_count, style):
    # A change of one segment finds its markers in its text, not its tokens: still the token walk's pieces.
    def side(count):
        return clause("c", "text", items=("item",) * count, item_style=style)
    change = ClauseChange(side(old_count), side(new_count), (), (Segment(op, text),))
    assert _labelled_pieces(change, old_count, new_count) == token_walk(change, old_count, new_count)


def test_labelled_pieces_are_the_token_walks_on_the_sample():
    for policy in load_handbook(SAMPLE_POLICIES).handbook.policies:
        for old, new in itertools.permutations(policy.versions, 2):
            for change in compare_versions(old, new).clauses:
                counts = (len(change.old.items) if change.old else 0, len(change.new.items) if change.new else 0)
                assert _labelled_pieces(change, *counts) == token_walk(change, *counts)

@PROPERTY
@given(version_pairs())
def test_a_version_compared_with_itself_has_no_change(pair):
    for v in pair:
        comparison = compare_versions(v, v, handbook=handbook_with_roles())
        assert not comparison.changed and not comparison.fields and not comparison.roles
        assert not any(c.renumbered for c in comparison.clauses)


@PROPERTY
@given(version_pairs())
def test_swapping_the_versions_mirrors_every_kind(pair):
    old, new = pair
    forward = compare_versions(old, new, handbook=handbook_with_roles())
    backward = compare_versions(new, old, handbook=handbook_with_roles())

    def kinds(comparison, swap):
        result = {}
        for c in comparison.clauses:
            key = (c.old.id if c.old else None, c.new.id if c.new else None)
            if swap:
                key = key[::-1]
            names = {MIRROR.get(k, k) for k in c.kinds} if swap else set(c.kinds)
            result[key] = names - {MOVED}
        return result

    assert kinds(forward, False) == kinds(backward, True)
    # Which of two swapped clauses "moved" is a choice; how many moved is not.
    assert forward.count(MOVED) == backward.count(MOVED)
    back_roles = {i.role.id: i for i in backward.roles}
    for impact in forward.roles:
        mirror = back_roles[impact.role.id]
        assert len(impact.added) == len(mirror.removed) and len(impact.removed) == len(mirror.added)
        assert len(impact.strengthened) == len(mirror.weakened) and len(impact.weakened) == len(mirror.strengthened)


# The sample handbook and the site ------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


def test_sample_v2_v3_finds_the_strengthened_and_the_moved_clause(sample):
    policy = sample.policy("social-media")
    comparison = compare_versions(policy.version("2"), policy.version("3"), handbook=sample)
    assert only(comparison, "privacy-settings").kinds == (STRENGTHENED,)
    assert MOVED in only(comparison, "report-misuse").kinds
    assert [c.clause_id for c in comparison.changed if MOVED in c.kinds] == ["report-misuse"]
    assert only(comparison, "post-approval").kinds == (REWORDED,)
    teacher = next(i for i in comparison.roles if i.role.id == "teacher")
    assert "privacy-settings" in [c.clause_id for c in teacher.strengthened]


@pytest.mark.parametrize("old, new", [("1", "2"), ("3", "4")])
def test_sample_spelling_and_formatting_versions_are_editorial_only(sample, old, new):
    policy = sample.policy("social-media")
    comparison = compare_versions(policy.version(old), policy.version(new))
    assert comparison.changed and not comparison.material
    assert {k for c in comparison.changed for k in c.kinds} == {EDITORIAL}


def test_all_pairs_up_to_the_limit(sample):
    policy = sample.policy("social-media")
    assert len(picker_pairs(policy)) == 10
    assert len(picker_pairs(policy, limit=4)) == 4, "consecutive only beyond the limit"


def test_cli_json_contract():
    result = CliRunner().invoke(cli, ["diff", "social-media", "2", "3", "-p", str(SAMPLE_POLICIES), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    privacy = next(c for c in data["changes"] if c["new_id"] == "privacy-settings")
    assert privacy["kind"] == ["obligation-strengthened"]
    assert (privacy["old_id"], privacy["old_number"], privacy["new_number"]) == ("privacy-settings", "2.1", "2.1")
    assert {"op": "insert", "text": "must"} in privacy["segments"]
    moved = next(c for c in data["changes"] if c["new_id"] == "report-misuse")
    assert "moved" in moved["kind"] and moved["old_id"] == "report-misuse"
    assert {k for c in data["changes"] for k in c["kind"]} <= set(KINDS)


@pytest.mark.parametrize("fmt, marker", [("text", "[-should-]{+must+}"), ("markdown", "<del>should</del>"), ("html", "<!DOCTYPE html>")])
def test_cli_formats(tmp_path, fmt, marker):
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", "social-media", "2", "3", "-p", str(SAMPLE_POLICIES), "--format", fmt])
    assert result.exit_code == 0 and marker in result.output
    target = tmp_path / "out"
    result = runner.invoke(cli, ["diff", "social-media", "v2", "v3", "-p", str(SAMPLE_POLICIES), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0 and marker in target.read_text(encoding="utf-8")
    assert "\x1b[" not in target.read_text(encoding="utf-8")


def test_comparison_pages_escape_author_text_and_have_no_blank_line_in_html(handbook_dir):
    from tests.conftest import version_text
    from policybook.pages import SiteOptions, build_site
    import datetime as dt

    evil = version_text("2").replace("Teachers keep a written record", "Teachers <script>alert(1)</script> keep a record")
    policies = handbook_dir({"demo/v1.yaml": version_text("1", status="superseded"), "demo/v2.yaml": evil})
    handbook = load_handbook(policies).handbook
    site = build_site(handbook, SiteOptions(today=dt.date(2026, 1, 1)))
    page = next(p for p in site.pages if p.path.endswith("compare-v1-v2.md"))
    assert "<script>" not in page.markdown and "&lt;script&gt;" in page.markdown
    assert not page.in_nav and not page.searchable
    depth = 0
    for line in page.markdown.splitlines():
        depth += len(re.findall(r"<(?:div|details|table)\b", line)) - len(re.findall(r"</(?:div|details|table)>", line))
        assert line.strip() or depth == 0, "blank line inside an HTML block"
    assert depth == 0
    main = next(p for p in site.pages if p.path == "policies/demo.md").markdown
    assert "compare-v1-v2.html" in main and 'id="compare-versions"' in main


# An id reused for a different clause (issue 14) ---------------------------------


def test_an_id_reused_for_the_text_of_another_clause_is_not_reworded():
    # "a" now holds what "b" said; "b"'s old text carries on nowhere, "a"'s old text under "c".
    old = version(("s", [clause("a", A, SHOULD), clause("b", B)]))
    new = version(("s", [clause("c", A, SHOULD), clause("a", B)]))
    comparison = compare_versions(old, new)
    rows = {(c.old.id if c.old else None, c.new.id if c.new else None): c for c in comparison.clauses}
    assert set(rows) == {("a", "c"), ("b", "a")}, "each text follows its wording, not the reused id"
    assert not any(kind in (REWORDED, STRENGTHENED) for c in comparison.clauses for kind in c.kinds)
    assert all(c.id_reused for c in comparison.clauses if c.old.id == "a" or c.new.id == "a")
    assert len({c.anchor for c in comparison.clauses}) == len(comparison.clauses)


def test_an_id_whose_texts_share_nothing_is_replaced_removed_and_added():
    comparison = compare_versions(version(("s", [clause("a", A, MAY)])), version(("s", [clause("a", D, MUST)])))
    assert [c.kinds for c in comparison.clauses] == [(ADDED,), (REMOVED,)] or [c.kinds for c in comparison.clauses] == [(REMOVED,), (ADDED,)]
    assert all(c.id_reused for c in comparison.clauses)
    anchors = [c.anchor for c in comparison.clauses]
    assert len(set(anchors)) == 2, anchors
    data = comparison_data(comparison)
    assert [change["id_reused"] for change in data["changes"]] == [True, True]


def test_a_heavy_rewording_under_one_id_stays_reworded():
    old = "Staff must tell the designated safeguarding lead about any concern straight away, in person."
    new = "Any concern about a child is reported in person to the designated safeguarding lead at once."
    comparison = compare_versions(version(("s", [clause("a", old)])), version(("s", [clause("a", new)])))
    (change,) = comparison.changed
    assert change.matched_by == "id" and REWORDED in change.kinds and not change.id_reused


def test_swapping_near_duplicate_clauses_mirrors_every_kind():
    old_texts = ["staff"] * 3 + ["must staff must", "staff", "must staff must"] + ["staff"] * 6
    new_texts = ["staff"] * 9 + ["staff must must staff"]
    old = version(("s1", [clause(f"c{k}", text) for k, text in enumerate(old_texts)]))
    new = version(("s1", [clause(f"x-c{k}", text) for k, text in zip([0, 1, 4, 5, 6, 7, 8, 9, 10, 11], new_texts)]))

    def pairs(comparison, swap):
        found = {(c.old.id if c.old else None, c.new.id if c.new else None) for c in comparison.clauses}
        return {key[::-1] for key in found} if swap else found

    assert pairs(compare_versions(old, new), False) == pairs(compare_versions(new, old), True)
