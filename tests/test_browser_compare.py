"""Comparison pages in Chromium: printed without site chrome, with the key, clauses kept whole."""

from __future__ import annotations

import pytest

from tests.test_site_build import built  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser


def test_comparison_page_prints_cleanly(browser, built):  # noqa: F811
    page = browser.new_page()
    try:
        page.goto((built / "policies" / "social-media" / "compare-v2-v3.html").as_uri())
        page.emulate_media(media="print")
        assert not page.locator(".md-header").is_visible()
        assert not page.locator(".md-sidebar--primary").is_visible()
        assert page.locator(".pb-compare-key").is_visible()
        change = page.locator("#change-privacy-settings")
        assert change.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
        deleted = page.locator("#change-privacy-settings del").first
        assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
        moved = page.locator("#change-report-misuse .pb-moved").first
        assert moved.evaluate("e => getComputedStyle(e).textDecorationStyle") == "double"
        # Screen readers hear the kind of change before the words.
        assert "inserted" in page.locator("#change-privacy-settings ins").first.evaluate(
            "e => getComputedStyle(e, '::before').content")
    finally:
        page.close()


def test_version_picker_links_every_pair(browser, built):  # noqa: F811
    page = browser.new_page()
    try:
        page.goto((built / "policies" / "social-media.html").as_uri())
        page.locator("#compare-versions summary").click()
        link = page.locator("#compare-versions a", has_text="1 → 4")
        assert link.is_visible()
        link.click()
        assert "version 1 to 4" in page.title()
    finally:
        page.close()
