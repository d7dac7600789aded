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


def test_checklists_find_again_only_the_duties_of_a_changed_version(tmp_path):
    """serve keeps build_checklists' memo: an unchanged version's duties are the last build's very objects."""
    from policybook.views.checklists import build_checklists

    write_handbook(tmp_path, Scale(policies=4, versions=2, clauses=5, roles=5))
    root = tmp_path / "policies"
    cache, memo = ParseCache(), {}
    first = build_checklists(load_handbook(root, cache=cache).handbook, memo=memo)
    adopted = [path for path in sorted(root.glob("*/v*.yaml")) if "status: adopted\n" in path.read_text(encoding="utf-8")]
    edited = adopted[0]
    _save(edited, edited.read_text(encoding="utf-8").replace("text: ", "text: Reworded. ", 1))
    handbook = load_handbook(root, cache=cache).handbook
    again = build_checklists(handbook, memo=memo)
    assert again == build_checklists(handbook) and again != first
    groups = lambda checklists: {(c.role.id, g.version.policy_id): g for c in checklists for g in c.groups}  # noqa: E731
    before, after = groups(first), groups(again)
    reused = {key for key in after if before.get(key) is after[key]}
    assert reused and all(policy != edited.parent.name for _, policy in reused)
    assert set(after) - reused == {key for key in after if key[1] == edited.parent.name}
    # A role's new includes: its closure changed, so its duties are found again, and equal a fresh build's.
    path = root / "handbook.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    role = next(r for r in doc["roles"] if r["id"] != "all-staff" and not r.get("includes"))
    role["includes"] = [next(r["id"] for r in doc["roles"] if r["id"] not in ("all-staff", role["id"]))]
    _save(path, yaml.safe_dump(doc, sort_keys=False))
    handbook = load_handbook(root, cache=cache).handbook
    assert build_checklists(handbook, memo=memo) == build_checklists(handbook)


def _bodies(site):
    return {page.path: page.markdown for page in site.pages}


def test_serve_reuses_unchanged_pages_and_a_one_off_build_keeps_none(tmp_path):
    """A kept PageMemo renders only what changed; a one-off build (no memo) stores nothing and makes the same pages."""
    import datetime as dt

    from policybook.pages import SiteOptions, build_site
    from policybook.pages.site import PageMemo

    write_handbook(tmp_path, Scale(policies=3, versions=2, clauses=4, roles=4))
    root = tmp_path / "policies"
    options = SiteOptions(today=dt.date(2026, 11, 1))
    handbook = load_handbook(root).handbook
    memo = PageMemo()
    first = build_site(handbook, options, memo=memo)
    assert memo.made["policies"] == 3 and memo.entries["policies"]
    edited = sorted(root.glob("*/v1.yaml"))[0]
    _save(edited, edited.read_text(encoding="utf-8").replace("text: ", "text: Reworded. ", 1))
    changed = load_handbook(root).handbook
    again = build_site(changed, options, memo=memo)
    assert memo.made["policies"] == 1
    assert _bodies(again) == _bodies(build_site(changed, options)) != _bodies(first)

    one_off = PageMemo(remember=False)
    assert _bodies(build_site(changed, options, memo=one_off)) == _bodies(again)
    assert one_off.entries == {} and one_off.made["policies"] == 3
