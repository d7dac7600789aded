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
    assert version.effective == dt.date(2024, 9, 1)
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
