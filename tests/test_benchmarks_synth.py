"""The synthetic handbook generator: deterministic and valid (no timings here)."""

from __future__ import annotations

from benchmarks.synth import Scale, write_handbook
from policybook.load import load_handbook


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_same_seed_same_bytes(tmp_path):
    scale = Scale(policies=3, versions=3, clauses=8)
    write_handbook(tmp_path / "a", scale)
    write_handbook(tmp_path / "b", scale)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_other_seed_other_text(tmp_path):
    write_handbook(tmp_path / "a", Scale(policies=2, versions=2, clauses=6, seed=1))
    write_handbook(tmp_path / "b", Scale(policies=2, versions=2, clauses=6, seed=2))
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


def test_handbook_is_valid_at_the_requested_scale(tmp_path):
    write_handbook(tmp_path, Scale(policies=4, versions=3, clauses=10))
    result = load_handbook(tmp_path / "policies")
    assert result.ok, result.problems[:3]
    assert len(result.handbook.policies) == 4
    assert all(len(p.versions) == 3 for p in result.handbook.policies)
    clauses = [len(v.clauses) for p in result.handbook.policies for v in p.versions]
    assert 8 <= sum(clauses) / len(clauses) <= 14


def test_versions_differ_by_realistic_edits(tmp_path):
    from policybook.views.compare import compare_versions

    write_handbook(tmp_path, Scale(policies=2, versions=3, clauses=20))
    policy = load_handbook(tmp_path / "policies").handbook.policies[0]
    kinds = set()
    for old, new in zip(policy.versions, policy.versions[1:]):
        kinds |= set(compare_versions(old, new).counts)
    assert {"added", "reworded"} <= kinds
