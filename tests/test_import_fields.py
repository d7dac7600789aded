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
    version = assert_validates_in_the_sample(tmp_path, visits, "loaded")
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
    version = assert_validates_in_the_sample(tmp_path, visits, "loaded")
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


def test_the_samples_own_term_for_a_group_comes_back_from_word(sample, tmp_path):
    from benchmarks.word_fixture import write_policy_docx

    version = next(v for p in sample.policies for v in p.versions if any(d.roles for d in v.definitions))
    term = next(d for d in version.definitions if d.roles)
    result = import_document(write_policy_docx(version, tmp_path / "policy.docx"), sample, policy_id="imported-copy")
    written = next(d for d in yaml.safe_load(result.yaml)["definitions"] if d["term"] == term.term)
    assert (written["id"], written["roles"]) == (term.id, list(term.roles))
    on_term = [c for c in result.draft.clauses if term.id in c.applies_to]
    assert on_term, "duties on the term name it"
