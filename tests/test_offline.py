"""The offline build works opened straight from disk (file://): navigation, search, print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policybook.mkdocs_adapter.build import build_site_atomically
from tests.test_findability import run_search_queries
from tests.test_site_build import TODAY, copy_project


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("offline"))
    return build_site_atomically(project / "mkdocs.yml", today=TODAY, offline=True)


def test_offline_build_inlines_the_search_index_and_needs_no_network(offline):
    assert (offline / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    assert (offline / "assets" / "policybook" / "iframe-worker-shim.js").is_file()
    for page in offline.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="(https?:)?//[^"]*"', html)
        assert not remote, f"{page.relative_to(offline)} loads something from the network"


def test_normal_build_is_not_offline(tmp_path):
    project = copy_project(tmp_path)
    site = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert not (site / "search" / "search_index.js").exists()
    assert "iframe-worker" not in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_search_works_from_file_urls(browser, offline):
    run_search_queries(browser, (offline / "index.html").as_uri())


@pytest.mark.browser
def test_navigation_and_print_work_from_file_urls(browser, offline):
    page = browser.new_page()
    try:
        page.goto((offline / "index.html").as_uri())
        page.locator(".md-nav--primary a[href='legislation.html']").first.click()
        page.wait_for_url("**/legislation.html")
        assert page.locator("h1").inner_text().startswith("Legislation and guidance")
        page.locator("a[href='policies/child-protection.html#staff-training']").first.click()
        page.wait_for_url("**/policies/child-protection.html#staff-training")
        assert page.locator("h3#staff-training").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".md-sidebar--primary").is_visible(), "print hides the navigation"
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        page.close()
