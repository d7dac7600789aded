"""policybook import writes the fields of the richer model that the text names: terms for groups of people,
placeholders, related policies, the model it is based on, duties with no holder, and the handbook's committees."""

from __future__ import annotations

import click
import pytest
import yaml

from policybook.importer import import_document
from policybook.importer.report import review_report
from policybook.load import load_handbook
from tests.conftest import SAMPLE_POLICIES
from tests.test_import_formats import assert_validates_in_the_sample

VISITS = """Educational Visits Policy

Review record
Staff Responsible for Review\tDate reviewed with staff
Headteacher\tFebruary 2025
Governors and Committee Responsible for Review\tDate of Review
Pupils and Safeguarding\tMarch 2025

Version history
Version\tDate\tDetails
1\tMay 2024\tAdopted the model policy from Fenwold Council
2\tMarch 2025\tNew coach firm

1. Who this policy covers

1.1 Teachers, teaching assistants, volunteers and contractors who help on a visit are collectively referred to as "Adults" in this policy.

1.2 Adults must carry the contact sheet for the visit at all times.

1.3 Any accident on a visit must be written in the visits log the same day.

2. Planning

2.1 The visit leader must book the coach through the school/trust office and give the [name of the coach firm] to the office.

2.2 Staff should read the Lunchtime Conduct Policy and the acceptable use policy before a residential visit.

2.3 The school will pay for one teacher's place on each visit.
"""


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


@pytest.fixture(scope="module")
def visits(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("visits") / "visits.txt"
    path.write_text(VISITS, encoding="utf-8")
    return import_document(path, sample)


def clause(result, number):
    return next(c for c in result.draft.clauses if c.number == number)


def test_a_group_the_policy_names_as_one_is_a_term_with_an_id_and_roles(visits, sample, tmp_path):
    data = yaml.safe_load(visits.yaml)
    adults = next(d for d in data["definitions"] if d["term"] == "Adults")
    assert adults["id"] == "adults"
    assert adults["roles"] == ["teacher", "teaching-assistant", "volunteer", "contractor"]
    # A duty on "Adults" names the term, not the roles one by one nor everyone in scope.
    assert clause(visits, "1.2").applies_to == ["adults"]
    assert_validates_in_the_sample(tmp_path, visits)
    version = _loaded(tmp_path, visits)
    carry = next(c for c in version.clauses if c.text.startswith("Adults must"))
    assert set(carry.applies_to) == {"teacher", "teaching-assistant", "volunteer", "contractor"}
    assert carry.terms == ("adults",)


def test_a_term_that_names_one_role_is_not_a_group(sample, tmp_path):
    path = tmp_path / "lunch.txt"
    path.write_text("Lunch Policy\n\n1. Duties\n\n1.1 Teachers on duty are referred to as Supervisors.\n\n"
                    "1.2 Supervisors must stay in the hall.\n", encoding="utf-8")
    result = import_document(path, sample)
    assert "definitions" not in yaml.safe_load(result.yaml)
    assert result.draft.terms == {}


def test_includes_names_a_group_too(sample, tmp_path):
    path = tmp_path / "trips.txt"
    path.write_text("Trips Policy\n\n1. Scope\n\n1.1 In this policy, Helpers includes volunteers and contractors.\n\n"
                    "1.2 Helpers should wear a badge.\n", encoding="utf-8")
    result = import_document(path, sample)
    helpers = yaml.safe_load(result.yaml)["definitions"][0]
    assert (helpers["term"], helpers["id"], helpers["roles"]) == ("Helpers", "helpers", ["volunteer", "contractor"])
    assert clause(result, "1.2").applies_to == ["helpers"]


def test_blanks_not_in_brackets_are_declared_as_placeholders(visits):
    data = yaml.safe_load(visits.yaml)
    assert data["placeholders"] == ["school/trust"]  # the bracketed one is found by the loader itself
    assert clause(visits, "2.1").placeholders == ["school/trust", "[name of the coach firm]"]


def test_policies_the_text_names_are_related_by_id_or_by_title(visits):
    assert yaml.safe_load(visits.yaml)["related"] == [{"title": "Lunchtime Conduct Policy"}, "acceptable-use"]


def test_a_duty_with_no_person_as_its_subject_is_held_by_no_one_named(visits, tmp_path):
    accident = clause(visits, "1.3")
    assert (accident.obligation, accident.holder, accident.applies_to) == ("must", "unnamed", [])
    assert "holder: unnamed" in visits.yaml
    # An instruction to the reader, or a named person, is not unnamed.
    assert clause(visits, "2.1").holder is None
    assert clause(visits, "2.3").holder == "organisation"
    version = _loaded(tmp_path, visits)
    held = next(c for c in version.clauses if c.text.startswith("Any accident"))
    assert held.holder.value == "unnamed" and held.applies_to == ()
    assert "1 duty names no one (holder: unnamed)" in click.unstyle(review_report(visits, "out.yaml"))


def test_the_governors_body_is_the_handbooks_committee_and_the_model_its_publisher(visits):
    data = yaml.safe_load(visits.yaml)
    assert data["review"]["governors"] == {"committee": "pupils-and-safeguarding", "date": "March 2025"}
    assert data["based_on"] == {"publisher": "Fenwold Council"}


def test_a_model_policy_names_its_publisher_and_its_release(sample, tmp_path):
    path = tmp_path / "model.txt"
    path.write_text("Lunchtimes Policy - Fenwold Council model policy for schools\n\n1. Purpose\n\n"
                    "1.1 Midday staff must record every first-aid case.\n\nMarch 2024\n", encoding="utf-8")
    result = import_document(path, sample)
    assert yaml.safe_load(result.yaml)["based_on"] == {"publisher": "Fenwold Council", "released": "March 2024"}
    assert_validates_in_the_sample(tmp_path, result)


def _loaded(tmp_path, result):
    import shutil

    from tests.conftest import ROOT

    project = tmp_path / "loaded"
    shutil.copytree(SAMPLE_POLICIES, project / "policies")
    shutil.copytree(ROOT / "schema", project / "schema")
    (project / "policies" / result.meta.policy).mkdir()
    (project / "policies" / result.meta.policy / f"v{result.meta.version}.yaml").write_text(result.yaml, encoding="utf-8")
    loaded = load_handbook(project / "policies")
    assert loaded.ok, [str(p) for p in loaded.problems]
    return next(p for p in loaded.handbook.policies if p.id == result.meta.policy).versions[-1]


def test_will_is_a_duty_of_the_organisations_people_not_a_forecast(sample, tmp_path):
    path = tmp_path / "alarms.txt"
    path.write_text("Site Policy\n\n1. Checks\n\n1.1 The site manager will test the fire alarm every week.\n\n"
                    "1.2 The headteacher, where needed, will tell parents the same day.\n\n"
                    "1.3 Pupils will learn the fire drill in their first week.\n\n"
                    "1.4 The headteacher will receive a copy of each check.\n\n"
                    "1.5 Where a check fails, the school will call the engineer.\n", encoding="utf-8")
    result = import_document(path, sample)
    got = {c.number: (c.obligation, c.applies_to, c.holder, [p for p, _ in c.unknown_roles]) for c in result.draft.clauses}
    assert got["1.1"] == ("must", [], None, ["manager"]), "a person the handbook lacks is listed, not the organisation"
    assert got["1.2"][:3] == ("must", ["headteacher"], None)
    assert got["1.3"][0] is None and got["1.4"][0] is None, "what someone will learn or receive is no duty"
    assert got["1.5"][:3] == ("must", [], "organisation")
