"""Whatever text a document holds, the importer refuses it with a message or writes a draft the schema accepts."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from policybook.importer import ImportRefused, import_document
from policybook.load import load_handbook
from policybook.load.schema import Schemas, schema_problems
from policybook.load.yaml_source import parse_yaml
from tests.conftest import SAMPLE_POLICIES

SCHEMAS = Schemas.load()
PIECES = ["1.", "2.1", "4.2**", "- ", "a) ", "i. ", "• ", "Or", "Appendix", "Definitions", "Review record", "\t", "#",
          "Staff must", "should not", "the headteacher", "within 24 hours", "[name]", "school/trust", "**", "<b>", ":",
          ".", "January | 16", "Contents", "\x1b[2J", "\u202e", "\"", "'", "- id: x", "&a *a", "  ", "é", "\u2028"]
# A fixture, not a module global: tests/test_memory.py counts the model objects still alive.
@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


line = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=8).map("".join)
document = st.lists(line, min_size=1, max_size=25).map("\n".join)


@settings(max_examples=int(os.environ.get("PB_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=document, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_text_gives_a_schema_valid_draft_or_a_message(sample, tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("doc") / f"policy{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        result = import_document(path, sample, policy_id="fuzzed")
    except ImportRefused as refused:
        assert str(refused).strip() and "\n" not in str(refused)
        return
    doc, problems = parse_yaml(result.yaml.encode("utf-8"), "fuzzed.yaml")
    assert doc is not None and not problems, problems
    assert not schema_problems(doc, SCHEMAS.policy), schema_problems(doc, SCHEMAS.policy)
    assert result.words_kept == result.words_in, result.lost_words
