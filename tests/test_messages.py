"""Messages for authors: suggestions that help, and fields named as the page shows them (issue 16)."""

from __future__ import annotations

import pytest

from policybook.load.schema import did_you_mean, field_name

POLICY_FIELDS = ["approval", "based_on", "category", "changes", "definitions", "effective", "keywords", "legislation",
                 "owner", "policy", "related", "review", "scope", "sections", "status", "summary", "title", "version"]
ROLES = ["all-staff", "teacher", "dsl", "governing-board"]
OBLIGATIONS = ["must", "must-not", "should", "should-not", "may"]


@pytest.mark.parametrize("word, choices, suggested", [
    ("titel", POLICY_FIELDS, "title"),          # two letters swapped
    ("ownr", POLICY_FIELDS, "owner"),           # one missing
    ("teachers", ROLES, "teacher"),             # one extra
    ("dls", ROLES, "dsl"),
    ("Organization", ["organisation", "roles"], "organisation"),  # spelling and capitals
    ("governors", ROLES, "governing-board"),    # the same stem
    ("safeguard", ["safeguarding", "behaviour"], "safeguarding"),
    ("shall", OBLIGATIONS, "must"),             # a known synonym
    ("Must", OBLIGATIONS, "must"),
    ("record_of_amendments", [*POLICY_FIELDS, "amendments"], "amendments"),
    ("date_format", ["organisation", "roles", "date_order", "default_review_months"], "date_order"),
])
def test_a_close_choice_is_suggested(word, choices, suggested):
    assert did_you_mean(word, choices) == f"; did you mean '{suggested}'?"


@pytest.mark.parametrize("word, choices", [
    ("version_history", POLICY_FIELDS),          # not "version": the history is what is meant
    ("organisation", POLICY_FIELDS),             # not "legislation"
    ("governing-board", ["all-staff", "teacher", "dsl"]),
    ("x", POLICY_FIELDS),
    ("history", ["version", "title"]),           # a synonym whose target is not allowed here
    ("cat", ["car", "hat"]),                     # two choices equally close: neither
])
def test_nothing_is_suggested_unless_really_close(word, choices):
    assert did_you_mean(word, choices) == ""


DATA = {
    "sections": [
        {"id": "intro", "title": "Introduction", "clauses": [{"id": "a"}]},
        {"id": "guide", "title": "Guidance", "binding": False, "clauses": [{"id": "b"}]},
        {"id": "monitoring", "title": "Monitoring", "clauses": [{"id": "c"}, {"id": "d", "applies_to": ["x", "y"]}]},
    ],
    "roles": [{"id": "teacher", "name": "Teacher", "aliases": ["class teacher"]}],
    "definitions": [{"term": "Pupil"}],
    "scope": {"roles": ["all-staff"]},
    "review": {"next": "2030-01-01"},
}


@pytest.mark.parametrize("path, shown", [
    (("sections", 2, "clauses", 1, "applies_to", 1), "section 2 'Monitoring', clause 2 (2.2), applies_to item 2"),
    (("sections", 1, "clauses", 0, "text"), "section A 'Guidance', clause 1 (A.1), text"),  # guidance is lettered
    (("sections", 1, "title"), "section A, title"),  # the title at fault is not quoted
    (("roles", 0, "aliases", 0), "role 1 'Teacher', aliases item 1"),
    (("definitions", 0, "term"), "definition 1, term"),
    (("scope", "roles", 0), "scope.roles item 1"),
    (("review", "next"), "review.next"),
    (("sections", 9, "clauses", 0), "section 10, clause 1 (10.1)"),  # past the end: still readable
])
def test_fields_are_named_as_the_page_shows_them(path, shown):
    assert field_name(path, DATA) == shown


def test_a_title_holding_a_control_character_is_not_quoted():
    data = {"sections": [{"title": "Rep\x00orting", "clauses": [{"id": "a"}]}]}
    assert field_name(("sections", 0, "clauses", 0, "deadline"), data) == "section 1, clause 1 (1.1), deadline"


# Text that YAML reads as something else ------------------------------------

from policybook.load.yaml_source import parse_yaml  # noqa: E402


def message(text: str) -> tuple[object, list[str]]:
    document, problems = parse_yaml(text.encode(), "f.yaml")
    return (document.data if document else None), [f"{p.line}:{p.column}: {p.message}" for p in problems]


@pytest.mark.parametrize("text, explained, quoted", [
    ("text: *Everyone* means all staff\n", "is read as an alias", "'*Everyone* means all staff'"),
    ("text: **Never** share it\n", "is read as an alias", "'**Never** share it'"),
    ("text: *Everyone\n", "is read as an alias", "'*Everyone'"),  # a well-formed alias with no anchor
    ("items:\n  - *Note* this\n", "is read as an alias", "'*Note* this'"),
    ("text: & more\n", "is read as an anchor", "'& more'"),
    ("text: !Note this\n", "is read as a YAML tag", "'!Note this'"),
    ("text: > see below\n", "'>' at the start of a value begins a block of text", "'> see below'"),
    ("text: [Draft] not yet\n", "is read as a list", "'[Draft] not yet'"),
    ("text: {name} replies\n", "is read as a mapping", "'{name} replies'"),
    ("text: 'Staff' report it\n", "ends at its closing quote", "\"'Staff' report it\""),
    ("text: @office\n", "YAML does not allow '@' at the start of a value", "'@office'"),
    ("text: `code` here\n", "YAML does not allow '`'", "'`code` here'"),
    ("text: %50 of staff\n", "YAML does not allow '%'", "'%50 of staff'"),
    ("text: - first\n", "'- ' at the start of a value begins a list", "'- first'"),
])
def test_text_that_yaml_reads_as_something_else_is_explained_with_the_fix(text, explained, quoted):
    _, problems = message(text)
    assert len(problems) == 1, problems
    line = text.count("\n") if text.startswith("items") else 1
    assert problems[0].startswith(f"{line}:"), problems  # at the value's first character, where the fix goes
    assert explained in problems[0] and "in quotes" in problems[0] and problems[0].endswith(f": {quoted}"), problems


@pytest.mark.parametrize("text, data", [
    ("text: -5 degrees\n", {"text": "-5 degrees"}),
    ("text: |\n  Kept as\n  written\n", {"text": "Kept as\nwritten\n"}),
    ("items: [a, b]\n", {"items": ["a", "b"]}),
    ("text: 'quoted' # a comment\n", {"text": "quoted"}),
    ("base: &roles [dsl]\nagain: *roles\n", {"base": ["dsl"], "again": ["dsl"]}),  # aliases as YAML means them
])
def test_what_yaml_means_by_these_characters_still_works(text, data):
    assert message(text) == (data, [])


def test_an_unclosed_list_is_still_reported_as_unclosed():
    _, problems = message("keywords: [a, b\n")
    assert problems == ["1:11: YAML syntax error: the list that opens with '[' here is never closed: add the closing ']' "
                        "(YAML: did not find expected ',' or ']' while parsing a flow sequence)"]
