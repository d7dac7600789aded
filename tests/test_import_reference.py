"""The three real policies in ../shared/reference/, imported and checked against answer keys.

The keys (benchmarks/import_accuracy.py) hold labels and counts, never the
documents' sentences. Skipped cleanly where the reference folder is absent
(a user's fresh clone has no ../shared).
"""

from __future__ import annotations

import shutil

import pytest

from benchmarks.import_accuracy import KEYS, REFERENCE, measure
from policybook.load import load_handbook
from tests.conftest import ROOT, SAMPLE_POLICIES

assert REFERENCE == ROOT.parent / "shared" / "reference"

pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason=f"no reference documents at {REFERENCE}")


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


@pytest.fixture(scope="module")
def measured(sample):
    found = {name: measure(name, sample) for name in KEYS if (REFERENCE / name).is_file()}
    if not found:
        pytest.skip("the reference documents are not there")
    print()
    for name, m in found.items():
        print(f"{name[:3]}: clauses {m['clauses'][0]}/{m['clauses'][1]}, boundaries {m['boundaries']:.0%}, "
              f"obligations {m['obligations']:.0%}, roles {m['roles'][0]}/{m['roles'][1]}, "
              f"words kept {m['words'][0]}/{m['words'][1]}")
    return found


def test_each_draft_validates_in_the_sample_handbook(measured, tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(SAMPLE_POLICIES, policies)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    for m in measured.values():
        result = m["result"]
        folder = policies / result.meta.policy
        folder.mkdir()
        (folder / "v1.yaml").write_text(result.yaml, encoding="utf-8")
        assert result.yaml.startswith("# yaml-language-server: $schema=../../schema/policy.schema.json\n")
        assert "\nstatus: draft\n" in result.yaml
    loaded = load_handbook(policies)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert len(loaded.handbook.policies) == len(load_handbook(SAMPLE_POLICIES).handbook.policies) + len(measured)


def test_no_word_is_lost(measured):
    for m in measured.values():
        kept, total = m["words"]
        assert kept == total and total > 1000, (m["name"], m["result"].lost_words)


def test_structure_matches_the_keys(measured):
    for name, m in measured.items():
        assert m["boundaries"] >= 0.95, (name, m["clauses"], m["sections"])
        assert m["item_styles"], name
        assert m["definitions"][0] == m["definitions"][1], name
        assert m["legislation"][0] == m["legislation"][1], name
        assert m["numbering"][0] == m["numbering"][1], name
        assert m["nested"][0] == m["nested"][1], name


def test_obligations_and_roles_match_the_keys(measured):
    for name, m in measured.items():
        assert m["obligations"] >= 0.9, name
        found, wanted = m["roles"]
        assert found >= 0.85 * wanted and m["roles_extra"] <= 2, (name, m["roles"], m["roles_extra"])
        assert m["unknown"][0] == m["unknown"][1], (name, "people with no role must be listed, not mapped")
        assert m["organisation"][0] == m["organisation"][1], (name, "the organisation's own commitments")


def test_records_the_schema_cannot_hold_are_kept(measured):
    for name, m in measured.items():
        assert m["unplaced"], name
        rows, wanted = m["version_log_rows"]
        assert rows == wanted, (name, "every version-log row kept")
        found, wanted = m["mapped"]
        assert found == wanted, (name, "the record fields mapped")
        for unplaced in m["result"].draft.unplaced:
            if unplaced.kind == "nested-heading" and unplaced.mapped:
                assert f"  - id: {unplaced.id}\n    title: \"{unplaced.lines[0]}\"\n    sections:" in m["result"].yaml, name
                continue
            if unplaced.kind == "alternative" and unplaced.mapped:
                # Now the clause's second option (test_import_records), in the draft as a value.
                assert all(f'- text: "{line}"' in m["result"].yaml for line in unplaced.lines[1:2]), name
                continue
            # Each is a comment block in the draft, with every line of it.
            for line in unplaced.lines:
                assert f"#   {' '.join(line.split())}" in m["result"].yaml
