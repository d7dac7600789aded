"""Behaviour that keeps big handbooks fast: the parse cache and nav pruning."""

from __future__ import annotations

import datetime as dt
import os

from benchmarks.synth import Scale, write_handbook
from policybook import urls
from policybook.load import ParseCache, load_handbook
from policybook.pages.site import ALL_PAIRS_POLICY_LIMIT, NAV_POLICY_LIMIT, NAV_ROLE_LIMIT, SiteOptions, build_site
from tests.conftest import SAMPLE_POLICIES


def test_unchanged_files_come_from_the_cache(tmp_path):
    write_handbook(tmp_path, Scale(policies=2, versions=2, clauses=4))
    cache = ParseCache()
    first = load_handbook(tmp_path / "policies", cache=cache)
    assert cache.hits == 0
    second = load_handbook(tmp_path / "policies", cache=cache)
    assert cache.hits == 5  # handbook.yaml and four versions
    assert second.handbook == first.handbook


def test_an_edited_file_is_read_again(tmp_path):
    write_handbook(tmp_path, Scale(policies=2, versions=2, clauses=4))
    cache = ParseCache()
    load_handbook(tmp_path / "policies", cache=cache)
    edited = sorted((tmp_path / "policies").glob("*/v2.yaml"))[0]
    edited.write_text(edited.read_text().replace("title: ", "title: Edited ", 1))
    os.utime(edited, ns=(1, 1))
    result = load_handbook(tmp_path / "policies", cache=cache)
    assert cache.hits == 4
    assert result.handbook.policies[0].versions[1].title.startswith("Edited ")


def test_big_handbooks_list_categories_not_policies_in_the_nav(tmp_path):
    write_handbook(tmp_path, Scale(policies=NAV_POLICY_LIMIT + 1, versions=1, clauses=2, roles=4))
    handbook = load_handbook(tmp_path / "policies").handbook
    site = build_site(handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    policies_nav = site.nav[1]["Policies"]
    assert all(isinstance(target, str) for entry in policies_nav for target in entry.values())
    paths = {page.path for page in site.pages}
    assert {urls.category_page(c.id) for c in handbook.categories} & paths
    assert all(target in paths for entry in policies_nav for target in entry.values())


def test_relative_and_absolute_paths_share_the_cache(tmp_path, monkeypatch):
    write_handbook(tmp_path, Scale(policies=1, versions=1, clauses=2))
    monkeypatch.chdir(tmp_path)
    cache = ParseCache()
    load_handbook(tmp_path / "policies", cache=cache)
    load_handbook(os.path.relpath(tmp_path / "policies"), cache=cache)
    assert cache.hits == 2


def test_big_handbooks_prebuild_consecutive_comparisons_only(tmp_path):
    # Every pair of five versions is ten pages; at trust scale only the four
    # consecutive ones are built, and the picker says why the others are missing.
    write_handbook(tmp_path, Scale(policies=ALL_PAIRS_POLICY_LIMIT + 1, versions=5, clauses=2, roles=4))
    handbook = load_handbook(tmp_path / "policies").handbook
    site = build_site(handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    policy = next(p for p in handbook.policies if len(p.versions) == 5 and not p.drafts)
    prefix = urls.comparison_page(policy.id, "X", "Y").split("vX")[0]
    comparisons = {page.path for page in site.pages if page.path.startswith(prefix)}
    versions = [v.version for v in policy.versions]
    assert comparisons == {urls.comparison_page(policy.id, a, b) for a, b in zip(versions, versions[1:])}
    main = next(page for page in site.pages if page.path == urls.policy_page(policy.id))
    assert f"more than {ALL_PAIRS_POLICY_LIMIT} policies" in main.markdown


def test_many_roles_leave_only_the_roles_index_in_the_nav(tmp_path):
    write_handbook(tmp_path, Scale(policies=3, versions=1, clauses=30, roles=NAV_ROLE_LIMIT + 5))
    site = build_site(load_handbook(tmp_path / "policies").handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    assert site.nav[2] == {"Roles": urls.ROLES_INDEX}
    assert sum(page.path.startswith("roles/") for page in site.pages) > NAV_ROLE_LIMIT, "the pages are still built"


def test_few_roles_are_listed_in_the_nav():
    site = build_site(load_handbook(SAMPLE_POLICIES).handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    roles = site.nav[2]["Roles"]
    assert roles[0] == {"All roles": urls.ROLES_INDEX} and {"Designated safeguarding lead": urls.role_page("dsl")} in roles


def test_the_version_in_force_has_a_redirect_not_a_second_page():
    handbook = load_handbook(SAMPLE_POLICIES).handbook
    site = build_site(handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    paths = {page.path for page in site.pages}
    for policy in handbook.policies:
        adopted = policy.adopted
        assert urls.version_page(policy.id, adopted.version) not in paths
        redirect = site.assets[urls.output_path(urls.version_page(policy.id, adopted.version))]
        assert f'content="0; url=../{policy.id}.html"' in redirect
        for version in policy.versions:
            if version is not adopted:
                assert urls.version_page(policy.id, version.version) in paths, "superseded and draft versions keep pages"
    main = next(page for page in site.pages if page.path == urls.policy_page("social-media")).markdown
    assert '<a href="social-media.html">5</a>' in main and '<a href="social-media/v4.html">4</a>' in main


def test_loading_unchanged_files_again_returns_the_same_model(tmp_path, monkeypatch):
    write_handbook(tmp_path, Scale(policies=3, versions=2, clauses=3))
    monkeypatch.chdir(tmp_path)
    cache = ParseCache()
    first = load_handbook("policies", cache=cache)
    assert load_handbook(tmp_path / "policies", cache=cache) is first, "relative or absolute, the same files"
    version = tmp_path / "policies" / sorted(p.name for p in (tmp_path / "policies").iterdir() if p.is_dir())[0] / "v1.yaml"
    version.write_text(version.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    again = load_handbook(tmp_path / "policies", cache=cache)
    assert again is not first and again.handbook != first.handbook
