"""The loader and every validation rule, each error located to line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from policybook.load import load_handbook
from policybook.model import Obligation, Status
from tests.conftest import SETTINGS, version_text


def messages(result):
    return [str(problem) for problem in result.problems]


def only_problem(result):
    assert result.handbook is None
    assert len(result.problems) == 1, messages(result)
    return result.problems[0]


def test_valid_handbook_builds_the_model(handbook_dir):
    result = load_handbook(handbook_dir())
    assert result.ok, messages(result)
    handbook = result.handbook
    policy = handbook.policy("demo")
    version = policy.adopted
    assert version.version == "1"
    assert version.status is Status.ADOPTED
    assert version.effective.start == dt.date(2024, 9, 1) and version.effective.exact
    first, second = version.clauses
    assert (first.number, second.number) == ("1.1", "1.2")
    assert first.obligation is Obligation.SHOULD
    # applies_to defaults to the policy scope when the clause names no roles
    assert first.applies_to == ("all-staff",) and not first.applies_to_explicit
    assert second.applies_to == ("teacher",) and second.applies_to_explicit
    assert handbook.role_closure("dsl") == ("dsl", "teacher", "all-staff")
    assert first.source.path.endswith("policies/demo/v1.yaml") and first.source.line == 21


def test_unknown_field_suggests_the_right_one(handbook_dir):
    text = version_text().replace("title: Demo policy", "titel: Demo policy")
    problem = result_problem(handbook_dir, text, expect=2)
    assert any(p.line == 3 and p.column == 1 and "unknown field 'titel'; did you mean 'title'?" in p.message for p in problem)
    assert any("missing required field 'title'" in p.message for p in problem)


def result_problem(handbook_dir, text, expect=1, name="demo/v1.yaml"):
    result = load_handbook(handbook_dir({name: text}))
    assert result.handbook is None
    assert len(result.problems) == expect, messages(result)
    return result.problems


def test_float_version_is_refused_with_the_fix(handbook_dir):
    text = version_text().replace('version: "1"', "version: 1.10")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (2, 10)
    assert 'write 1.10 in quotes, "1.10"' in problem.message
    assert "1.1" in problem.message


def test_yes_no_where_text_is_meant(handbook_dir):
    text = version_text().replace("title: Demo policy", "title: no")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (3, 8)
    assert 'YAML reads no as false' in problem.message and '"no"' in problem.message


def test_impossible_date(handbook_dir):
    (problem,) = result_problem(handbook_dir, version_text(effective="2024-02-30"))
    assert (problem.line, problem.column) == (6, 12)
    assert "'2024-02-30' is not a real date" in problem.message


def test_duplicate_yaml_key_is_reported_not_dropped(handbook_dir):
    text = version_text().replace("category: safeguarding\n", "category: safeguarding\ncategory: other\n")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (5, 1)
    assert "duplicate key 'category' (first at line 4)" in problem.message


def test_duplicate_clause_id(handbook_dir):
    text = version_text().replace("id: keep-records", "id: report-concerns")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (26, 13)
    assert "clause id 'report-concerns' is used twice" in problem.message and "first at line 21" in problem.message


def test_duplicate_section_id(handbook_dir):
    text = version_text() + "  - id: reporting\n    title: Again\n    clauses:\n      - id: other\n        text: More.\n"
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (30, 9)
    assert "section id 'reporting' is used twice" in problem.message


def test_unknown_role_suggests_by_alias(handbook_dir):
    text = version_text().replace("responsible: [dsl]", "responsible: [safeguarding-lead]")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (24, 23)
    assert "unknown role 'safeguarding-lead'; did you mean 'dsl'?" in problem.message


def test_unknown_role_suggests_by_spelling(handbook_dir):
    text = version_text().replace("applies_to: [teacher]", "applies_to: [teachr]")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (28, 22)
    assert "did you mean 'teacher'?" in problem.message


def test_unknown_related_policy_and_legislation(handbook_dir):
    text = version_text().replace("legislation: [kcsie]", "legislation: [kcsi]\nrelated: [demp]")
    problems = result_problem(handbook_dir, text, expect=2)
    by_line = {p.line: p for p in problems}
    assert "unknown legislation 'kcsi'; did you mean 'kcsie'?" in by_line[16].message and by_line[16].column == 15
    assert "unknown policy 'demp'; did you mean 'demo'?" in by_line[17].message and by_line[17].column == 11


def test_role_inheritance_cycle(handbook_dir):
    settings = SETTINGS.replace("    name: All staff\n", "    name: All staff\n    includes: [dsl]\n")
    result = load_handbook(handbook_dir(settings=settings))
    problem = only_problem(result)
    assert problem.path.endswith("policies/handbook.yaml")
    assert (problem.line, problem.column) == (6, 15)
    assert "loop" in problem.message and "all-staff -> dsl -> teacher -> all-staff" in problem.message


def test_duplicate_role_id(handbook_dir):
    settings = SETTINGS.replace(
        "  - id: governing-board\n", "  - id: teacher\n    name: Teacher again\n  - id: governing-board\n")
    problem = only_problem(load_handbook(handbook_dir(settings=settings)))
    assert (problem.line, problem.column) == (13, 9)
    assert "role id 'teacher' is used twice (first at line 6)" in problem.message


def test_two_adopted_versions(handbook_dir):
    files = {"demo/v1.yaml": version_text("1"), "demo/v2.yaml": version_text("2", effective="2025-09-01", approved="2025-07-01")}
    problem = only_problem(load_handbook(handbook_dir(files)))
    assert problem.path.endswith("demo/v2.yaml") and (problem.line, problem.column) == (5, 9)
    assert "more than one adopted version" in problem.message


def test_versions_out_of_date_order(handbook_dir):
    files = {
        "demo/v1.yaml": version_text("1", status="superseded", effective="2025-09-01", approved="2025-07-01"),
        "demo/v2.yaml": version_text("2", effective="2024-09-01", approved="2024-07-01"),
    }
    problem = only_problem(load_handbook(handbook_dir(files)))
    assert problem.path.endswith("demo/v2.yaml") and problem.line == 6
    assert "before the earlier version" in problem.message


def test_approved_after_effective(handbook_dir):
    (problem,) = result_problem(handbook_dir, version_text(approved="2024-10-01"))
    assert (problem.line, problem.column) == (9, 9)
    assert "cannot come into force before it is approved" in problem.message


def test_next_review_before_effective(handbook_dir):
    text = version_text().replace("next: 2030-01-01", "next: 2024-01-01")
    (problem,) = result_problem(handbook_dir, text)
    assert (problem.line, problem.column) == (13, 9)
    assert "is not after the effective date" in problem.message


def test_policy_id_must_match_its_folder(handbook_dir):
    (problem,) = result_problem(handbook_dir, version_text(), name="other/v1.yaml")
    assert (problem.line, problem.column) == (1, 9)
    assert "does not match its folder 'other'" in problem.message


def test_file_name_must_match_version(handbook_dir):
    (problem,) = result_problem(handbook_dir, version_text("2"), name="demo/v1.yaml")
    assert (problem.line, problem.column) == (2, 10)
    assert "rename the file to v2.yaml" in problem.message


def test_all_problems_are_reported_at_once(handbook_dir):
    text = version_text().replace("title: Demo policy", "titel: x").replace("applies_to: [teacher]", "applies_to: [nobody]")
    other = version_text().replace("category: safeguarding", "category: safe")
    result = load_handbook(handbook_dir({"demo/v1.yaml": text, "second/v1.yaml": other.replace("policy: demo", "policy: second")}))
    found = messages(result)
    assert any("demo/v1.yaml:3:1: unknown field 'titel'" in m for m in found)
    assert any("second/v1.yaml:4:11: unknown category 'safe'" in m for m in found)


@pytest.mark.parametrize("text, expected", [
    ("policy: [\n", "YAML syntax error"),
    ("policy: demo\n\tversion: '1'\n", "YAML allows only spaces: indent with spaces"),
    ("title: 'unclosed\n", "quoted text that starts here is never closed"),
    ("", "file is empty"),
])
def test_yaml_errors_are_located(handbook_dir, text, expected):
    (problem,) = result_problem(handbook_dir, text)
    assert problem.path.endswith("demo/v1.yaml") and problem.line >= 1
    assert expected in problem.message


def test_bom_and_crlf_simply_work(handbook_dir, tmp_path):
    policies = handbook_dir()
    path = policies / "demo" / "v1.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + version_text().replace("\n", "\r\n").encode())
    assert load_handbook(policies).ok


def test_sample_handbook_is_valid():
    from tests.conftest import SAMPLE_POLICIES

    result = load_handbook(SAMPLE_POLICIES)
    assert result.ok, "\n".join(messages(result))
    assert len(result.handbook.policies) >= 6
    assert len(result.handbook.roles) >= 12


# -- issue 14: what validate accepts must build, and mean one thing --------

def test_a_whole_number_written_as_12_0_is_the_integer_12(handbook_dir):
    text = version_text().replace("  lead: dsl\n", "  lead: dsl\n  cycle_months: 12.0\n")
    result = load_handbook(handbook_dir({"demo/v1.yaml": text}))
    assert result.ok, messages(result)
    months = result.handbook.policy("demo").adopted.review.cycle_months
    assert months == 12 and type(months) is int


@pytest.mark.parametrize("value", ['"all-staff\\n"', '"all-staff\\r"', '"all-staff\\x85"', '"all-staff\\u2028"'])
def test_an_id_ending_in_a_line_break_is_refused_where_it_is_written(handbook_dir, value):
    text = version_text().replace("scope:\n  roles: [all-staff]", f"scope:\n  roles: [{value}]")
    problem = only_problem(load_handbook(handbook_dir({"demo/v1.yaml": text})))
    assert (problem.line, problem.column) == (15, 11) and "is not a valid id" in problem.message


def test_both_schema_validators_end_a_pattern_at_the_end_of_the_text():
    # fastjsonschema answers "valid?" and jsonschema explains: if they
    # disagree, a file the first refuses is accepted with no message.
    from policybook.load import Schemas

    schemas = Schemas.load()
    validator = schemas.handbook.validator
    data = {"organisation": {"name": "School"}, "roles": [{"id": "a\n", "name": "A"}], "categories": [{"id": "c", "title": "C"}]}
    assert list(validator.iter_errors(data))
    assert list(schemas.handbook.iter_errors(data))


def test_both_schemas_compile_to_the_quick_check():
    # A schema the compiled check cannot take sends every file to jsonschema,
    # silently: validating 1,000 versions took twice as long (a $ref left
    # beside a maxLength of its own, with no $defs to resolve it in).
    from policybook.load import Schemas

    schemas = Schemas.load()
    assert schemas.policy.compiled and schemas.handbook.compiled


def _fixture_documents():
    from tests.conftest import ROOT

    for path in sorted([*(ROOT / "tests" / "bad_inputs").glob("*/policies/**/*.yaml"), *(ROOT / "policies").glob("**/*.yaml")]):
        yield path, path.name == "handbook.yaml"


def test_the_quick_check_and_jsonschema_agree_on_every_fixture():
    # The quick check passing a file means no message at all: it must refuse
    # whatever jsonschema refuses, here on every valid and invalid fixture.
    from policybook.load import Schemas
    from policybook.load.yaml_source import read_yaml

    schemas = Schemas.load()
    checked = refused = 0
    for path, is_settings in _fixture_documents():
        doc, _ = read_yaml(path, str(path))
        if doc is None:
            continue
        gate = schemas.handbook if is_settings else schemas.policy
        errors = list(gate.validator.iter_errors(doc.data))
        assert gate.passes(doc.data) == (not errors), (path, [e.message for e in errors[:3]])
        checked += 1
        refused += bool(errors)
    assert checked > 100 and refused > 20


def test_a_file_parsed_without_every_position_locates_as_a_full_walk_does():
    # A file with no parse problem keeps only where its lists and mappings
    # start; every other position is made on the first question and must be
    # what a walk keeping them all makes, on every fixture and on aliases,
    # typed values, nested lists and line breaks.
    from policybook.load.yaml_source import LazySourceMap, _Builder, _Loader, parse_yaml

    extra = [b"a: &x [1, {b: yes}]\nc: *x\nd: 1.0\ne:\n  - - 0x1f\n    - ~\n  - {}\n", b'f: "one\\rtwo"\ng: [3, 4]\n', b"- 1\n- [2]\n"]
    documents = [*((path.read_bytes(), str(path)) for path, _ in _fixture_documents()), *((raw, "x.yaml") for raw in extra)]
    lazy = full = 0
    for raw, name in documents:
        doc, problems = parse_yaml(raw, name)
        if doc is None:
            continue
        assert isinstance(doc.source, LazySourceMap) == (not problems), name
        if problems:
            full += 1
            continue
        lazy += 1
        text = raw.decode("utf-8-sig")
        walk = _Builder(name, text)
        walk.run(_Loader(text))
        expected = walk.source
        assert bool(doc.source.starts) == isinstance(doc.data, (dict, list)), name
        assert all(expected.values[path] == start for path, start in doc.source.starts.items())
        asked = [*expected.values, *expected.keys, ("no such field",), (*next(iter(expected.keys), ()), 99)]
        for path in asked:
            for key in (False, True):
                assert doc.source.locate(path, key=key) == expected.locate(path, key=key), (name, path, key)
        assert (doc.source.values, doc.source.keys, doc.source.typed) == (expected.values, expected.keys, expected.typed)
    assert lazy > 50 and full > 5


def test_a_clean_load_walks_each_file_once(handbook_dir):
    # The positions of every value are made only for messages: a handbook
    # with none leaves each file with the starts of its lists and mappings.
    from policybook.load import ParseCache

    cache = ParseCache()
    assert load_handbook(handbook_dir(), cache=cache).ok
    docs = [entry[1] for entry in cache.entries.values()]
    assert docs and all(doc.source._full is None for doc in docs)
    text = version_text().replace("title: Demo policy", "titel: Demo policy")
    cache = ParseCache()
    assert not load_handbook(handbook_dir({"demo/v1.yaml": text}), cache=cache).ok
    assert any(doc.source._full is not None for _, doc, *_ in cache.entries.values())


def test_a_limit_of_its_own_beside_a_shared_definition_is_kept(handbook_dir):
    # A clause title is a one-line field (at most 5,000 characters) with a
    # limit of 120 of its own: both apply, in the quick check too.
    text = version_text().replace("      - id: report-concerns\n", f"      - id: report-concerns\n        title: {'t' * 121}\n")
    problem = only_problem(load_handbook(handbook_dir({"demo/v1.yaml": text})))
    assert "at most 120 characters" in problem.message
    assert load_handbook(handbook_dir({"demo/v1.yaml": text.replace("t" * 121, "t" * 120)})).ok
    settings = SETTINGS + f"vocabulary:\n  sacked: [{'w' * 101}]\n"
    problem = only_problem(load_handbook(handbook_dir(settings=settings)))
    assert "at most 100 characters" in problem.message


@pytest.mark.parametrize("title, wanted", [
    ("Demo\\npolicy", "must be a single line of text"),
    ("Demo\\u2029policy", "must be a single line of text"),
    ("Demo \\u202Epolicy", "invisible text-direction control (U+202E)"),
    ("Demo \\u2066policy", "invisible text-direction control (U+2066)"),
    ("Demo\\0policy", "control character U+0000"),
    ("Demo\\epolicy", "control character U+001B"),
    ("\\t ", "must not be blank"),
])
def test_one_line_fields_refuse_breaks_controls_and_direction_overrides(handbook_dir, title, wanted):
    text = version_text().replace("title: Demo policy", f'title: "{title}"')
    problem = only_problem(load_handbook(handbook_dir({"demo/v1.yaml": text})))
    assert (problem.line, problem.column) == (3, 8) and wanted in problem.message, problem


def test_a_tab_and_accents_in_a_title_are_fine(handbook_dir):
    text = version_text().replace("title: Demo policy", 'title: "Démo\\tpolicy ✓"')
    assert load_handbook(handbook_dir({"demo/v1.yaml": text})).ok


@pytest.mark.parametrize("tagged", ["!!set {kcsie}", "!!omap [kcsie: 1]", "!foo [kcsie]"])
def test_tags_on_lists_and_mappings_are_refused_like_on_text(handbook_dir, tagged):
    text = version_text().replace("legislation: [kcsie]", f"legislation: {tagged}")
    result = load_handbook(handbook_dir({"demo/v1.yaml": text}))
    assert result.handbook is None
    assert any(p.line == 16 and p.column == 14 and "is not supported" in p.message for p in result.problems), messages(result)


def test_plain_collection_tags_are_accepted(handbook_dir):
    text = version_text().replace("legislation: [kcsie]", "legislation: !!seq [kcsie]").replace("review:\n", "review: !!map\n")
    assert load_handbook(handbook_dir({"demo/v1.yaml": text})).ok


def test_warnings_do_not_stop_the_build_and_validate_prints_them(handbook_dir, monkeypatch, capsys):
    from policybook.cli import main
    import sys

    settings = SETTINGS.replace("    name: Governing board\n", "    name: Governing board\n  - id: head\n    name: T\u0435acher\n")
    policies = handbook_dir({"demo/v1.yaml": version_text()}, settings=settings)
    result = load_handbook(policies)
    assert result.ok and len(result.warnings) == 1
    (warning,) = result.warnings
    assert (warning.line, warning.column) == (16, 11)
    assert "looks like 'teacher'" in warning.message and "CYRILLIC SMALL LETTER IE" in warning.message
    monkeypatch.setattr(sys, "argv", ["policybook", "validate", str(policies)])
    main()
    captured = capsys.readouterr()
    assert captured.out.startswith("OK:")
    assert captured.err.startswith(f"{warning.path}:16:11: warning: name 'T")


def test_lookup_by_id_wins_and_each_name_finds_one_role(handbook_dir):
    from policybook.views.checklists import find_role

    handbook = load_handbook(handbook_dir()).handbook
    assert find_role(handbook, "DSL").id == "dsl"
    assert find_role(handbook, "  designated   SAFEGUARDING lead ").id == "dsl"


def test_semantic_warnings_draft_approval_withdrawn_related_and_capitals(handbook_dir):
    files = {
        "demo/v1.yaml": version_text().replace("legislation: [kcsie]", "legislation: [kcsie]\nrelated: [old]"),
        "demo/v2.yaml": version_text(version="2", status="draft"),
        "old/v1.yaml": version_text(status="withdrawn").replace("policy: demo", "policy: old"),
        "other/v1.yaml": version_text().replace("policy: demo", "policy: other").replace("title: Demo policy", "title: Demo Policy"),
    }
    result = load_handbook(handbook_dir(files))
    assert result.ok, messages(result)
    found = {(p.path.split("policies/")[-1], p.line, p.message.split(":")[1].strip()[:27]) for p in result.warnings}
    assert found == {
        ("demo/v1.yaml", 17, "related policy 'old' has be"),
        ("demo/v2.yaml", 8, "a draft is not approved yet"),
        ("other/v1.yaml", 3, "title 'Demo Policy' differs"),
    }, [str(p) for p in result.warnings]
    # A withdrawn policy is no longer linked as related.
    from policybook.views.handbook import related_index

    assert [p.id for p in related_index(result.handbook)["demo"]] == []


def test_a_withdrawn_policy_may_leave_its_title_to_its_successor(handbook_dir):
    files = {
        "demo/v1.yaml": version_text(),
        "old/v1.yaml": version_text(status="withdrawn").replace("policy: demo", "policy: old"),
    }
    result = load_handbook(handbook_dir(files))
    assert result.ok and not result.warnings, messages(result)


@pytest.mark.parametrize("versions", [("1", "01"), ("2a", "2A"), ("1.0", "1.00")])
def test_one_version_written_two_ways_is_refused(handbook_dir, versions):
    first, second = versions
    files = {
        f"demo/v{first}.yaml": version_text(version=first),
        f"demo/v{second}.yaml": version_text(version=second, status="draft"),
    }
    problem = only_problem(load_handbook(handbook_dir(files)))
    assert "also appears in" in problem.message and "each version needs its own number" in problem.message


def test_versions_with_a_dash_v_are_fine_while_their_comparisons_stay_apart(handbook_dir):
    files = {
        "demo/v1.yaml": version_text(status="superseded"),
        "demo/v1-v2.yaml": version_text(version="1-v2"),
    }
    assert load_handbook(handbook_dir(files)).ok


def test_a_version_is_found_by_its_own_label_before_a_v_prefix(handbook_dir):
    files = {"demo/v1.yaml": version_text(status="superseded"), "demo/vv1.yaml": version_text(version="v1", effective="2024-10-01")}
    result = load_handbook(handbook_dir(files))
    assert result.ok, messages(result)
    policy = result.handbook.policy("demo")
    assert policy.version("v1").version == "v1" and policy.version("1").version == "1" and policy.version("vv1").version == "v1"


@pytest.mark.parametrize("name", ["con", "nul", "com1", "lpt9"])
def test_ids_that_name_a_page_file_are_not_windows_device_names(handbook_dir, name):
    settings = SETTINGS.replace("  - id: safeguarding\n", f"  - id: {name}\n    title: Devices\n  - id: safeguarding\n")
    files = {f"{name}/v1.yaml": version_text().replace("policy: demo", f"policy: {name}")}
    result = load_handbook(handbook_dir(files, settings=settings))
    assert {(p.path.split("policies/")[-1], p.line) for p in result.problems} == {("handbook.yaml", 16), (f"{name}/v1.yaml", 1)}, messages(result)
    assert all("device name on Windows" in p.message for p in result.problems)
