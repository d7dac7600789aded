"""The browser harness itself: the sample site renders in headless Chromium."""

from __future__ import annotations

import pytest

from tests.test_site_build import built  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser


def test_policy_page_renders_in_chromium(browser, built):  # noqa: F811
    page = browser.new_page()
    try:
        page.goto((built / "policies" / "social-media.html").as_uri())
        assert "Social Media" in page.title()
        heading = page.locator("h3#no-pupil-contacts")
        assert heading.count() == 1
        assert heading.is_visible()
    finally:
        page.close()
