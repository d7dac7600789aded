"""Builds do not depend on the hash seed: every ordering of pages, links and rows is total.

Python salts the hashes of strings per process (``PYTHONHASHSEED``), so the
order of a set of ids differs from one run to the next; any sort whose key
ties (two titles that differ only in capitals) then left the set's order in
the output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SETTINGS, version_text, write_handbook

SEEDS = ("0", "1", "2", "3", "4", "5")


def _tied_handbook(root: Path) -> Path:
    """Policies, laws and terms whose titles tie when compared without capitals."""
    settings = SETTINGS.replace(
        "legislation:\n  - id: kcsie\n    title: Keeping children safe in education\n",
        "legislation:\n  - id: kcsie\n    title: Keeping children safe in education\n"
        "  - id: kcsie-old\n    title: Keeping Children Safe in Education\n",
    )
    files = {}
    for policy_id, title in (("alpha", "Online safety"), ("beta", "Online Safety"), ("gamma", "ONLINE SAFETY"), ("delta", "Behaviour")):
        others = [p for p in ("alpha", "beta", "gamma", "delta") if p != policy_id]
        files[f"{policy_id}/v1.yaml"] = (
            version_text().replace("policy: demo", f"policy: {policy_id}").replace("title: Demo policy", f"title: {title}")
            .replace("legislation: [kcsie]", f"legislation: [kcsie, kcsie-old]\nrelated: [{', '.join(others)}]\n"
                     "definitions:\n  - term: Concern\n    meaning: Anything.\n  - term: E-safety\n    meaning: Safety.\n"
                     "  - term: E safety\n    meaning: The same.")
        )
    return write_handbook(root, files, settings=settings)


def _export(policies: Path, out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "POLICYBOOK_JOBS": "1"}
    subprocess.run(
        [sys.executable, "-m", "policybook", "export", str(out), "-p", str(policies), "--today", "2026-01-01"],
        env=env, check=True, capture_output=True, timeout=120,
    )
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def test_export_is_byte_identical_under_every_hash_seed(tmp_path):
    policies = _tied_handbook(tmp_path / "project")
    first = _export(policies, tmp_path / "out-0", SEEDS[0])
    assert "policies/alpha.md" in first
    for seed in SEEDS[1:]:
        other = _export(policies, tmp_path / f"out-{seed}", seed)
        differ = sorted(name for name in first.keys() | other.keys() if first.get(name) != other.get(name))
        assert not differ, f"PYTHONHASHSEED={seed} changed {differ}"


def _build(project: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"}
    site = project / f"site-{seed}"
    subprocess.run(
        [sys.executable, "-m", "policybook", "build", "-d", str(site), "--today", "2026-01-01"],
        cwd=project, env=env, check=True, capture_output=True, timeout=300,
    )
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_site_is_byte_identical_under_two_hash_seeds(tmp_path):
    """The whole site (MkDocs' pages, search index, sitemap) as well as the generated Markdown."""
    import shutil

    project = tmp_path / "project"
    _tied_handbook(project)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    first, second = _build(project, "1"), _build(project, "2")
    assert "policies/alpha.html" in first
    differ = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert not differ, differ
