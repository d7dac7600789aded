"""A load with a ParseCache checks and assembles again only the files that changed (serve's rebuild)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

from benchmarks.synth import Scale, write_handbook
from policybook.load import ParseCache, load_handbook


def _save(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 1000, before + 1000))


def _versions(handbook):
    return {(v.policy_id, v.version): v for p in handbook.policies for v in p.versions}


def test_unchanged_files_keep_their_versions_and_the_model_is_a_fresh_load(tmp_path):
    write_handbook(tmp_path, Scale(policies=3, versions=2, clauses=4, roles=4))
    root = tmp_path / "policies"
    cache = ParseCache()
    first = load_handbook(root, cache=cache)
    edited = sorted(root.glob("*/v1.yaml"))[0]
    _save(edited, edited.read_text(encoding="utf-8").replace("text: ", "text: Reworded. ", 1))
    again = load_handbook(root, cache=cache)
    assert again.ok and again.handbook == load_handbook(root).handbook
    assert again.handbook != first.handbook
    before, after = _versions(first.handbook), _versions(again.handbook)
    reused = [key for key in after if after[key] is before[key]]
    assert len(reused) == len(after) - 1 and (edited.parent.name, "1") not in reused


def test_a_change_to_handbook_yaml_checks_every_file_again(tmp_path):
    write_handbook(tmp_path, Scale(policies=3, versions=2, clauses=4, roles=4))
    root = tmp_path / "policies"
    cache = ParseCache()
    assert load_handbook(root, cache=cache).ok
    settings = root / "handbook.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    used = {role for path in root.glob("*/v*.yaml") for role in yaml.safe_load(path.read_text())["scope"]["roles"]}
    gone = next(role["id"] for role in data["roles"] if role["id"] in used)
    data["roles"] = [role for role in data["roles"] if role["id"] != gone]
    for role in data["roles"]:
        role["includes"] = [i for i in role.get("includes", ()) if i != gone]
    _save(settings, yaml.safe_dump(data, sort_keys=False))
    result = load_handbook(root, cache=cache)
    fresh = load_handbook(root)
    assert not result.ok and result.problems == fresh.problems
    assert any(gone in problem.message for problem in result.problems)


def test_a_new_date_order_reads_every_file_again(tmp_path):
    # The sample writes an amendment's date in numbers only: which day it is depends on handbook.yaml alone.
    root = tmp_path / "policies"
    shutil.copytree(Path(__file__).resolve().parent.parent / "policies", root)
    cache = ParseCache()
    first = load_handbook(root, cache=cache)
    assert first.ok
    settings = root / "handbook.yaml"
    _save(settings, settings.read_text(encoding="utf-8").replace("date_order: day-first", "date_order: month-first"))
    again = load_handbook(root, cache=cache)
    fresh = load_handbook(root)
    assert again.problems == fresh.problems and again.handbook == fresh.handbook
    assert again.handbook != first.handbook
