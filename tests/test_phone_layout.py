"""Issue 20: the sample site on a phone.

One Chromium page visits every built page once and measures it at 360 and
390 CSS pixels wide (the viewport is resized in place, no reload), so the
suite starts one browser for the whole site, not one per page.
"""

from __future__ import annotations

import pytest

from tests.test_site_build import built  # noqa: F401  (module fixture)

pytestmark = pytest.mark.browser

# (width, height) of two common phones; "two screen heights" is measured with the height.
PHONES = ((360, 760), (390, 844))

MEASURE = """() => {
  const width = window.innerWidth;
  // Words of letters only: a hyphen or a slash is a fair place to break a line.
  const broken = [];
  const content = document.querySelector('.md-content') || document.body;
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || !node.parentElement.checkVisibility()) continue;
    for (const match of node.data.matchAll(/\\p{L}{2,}/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  const clause = document.querySelector('.pb-clause');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    broken: broken.slice(0, 5),
    firstClause: clause ? clause.getBoundingClientRect().top + window.scrollY : null,
  };
}"""


def site_pages(site) -> list[str]:
    """Every page a reader can open: HTML files other than the theme's assets and the small version redirects."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("assets/") or 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue
        pages.append(relative)
    return pages


@pytest.fixture(scope="module")
def measured(browser, built):  # noqa: F811
    """page -> {(width, height): measurements}, one visit per page."""
    page = browser.new_page(viewport={"width": PHONES[0][0], "height": PHONES[0][1]})
    results = {}
    try:
        for relative in site_pages(built):
            page.set_viewport_size({"width": PHONES[0][0], "height": PHONES[0][1]})
            page.goto((built / relative).as_uri())
            results[relative] = {}
            for width, height in PHONES:
                page.set_viewport_size({"width": width, "height": height})
                results[relative][(width, height)] = page.evaluate(MEASURE)
    finally:
        page.close()
    return results


def test_every_page_is_measured(measured):
    assert len(measured) > 40, "the sample site has home, policy, version, comparison, role and index pages"
    assert "index.html" in measured and "roles/teacher.html" in measured
    assert "policies/social-media/compare-v4-v5.html" in measured


def test_no_page_scrolls_sideways_on_a_phone(measured):
    wide = [f"{page} at {width}px: {m['scrollWidth']}px wide"
            for page, sizes in measured.items() for (width, _), m in sizes.items() if m["scrollWidth"] > width]
    assert not wide, "\n".join(wide)


def test_no_word_is_broken_inside_on_a_phone(measured):
    broken = [f"{page} at {width}px: {m['broken']}"
              for page, sizes in measured.items() for (width, _), m in sizes.items() if m["broken"]]
    assert not broken, "\n".join(broken)


def test_first_clause_starts_within_two_screen_heights(measured):
    policy_pages = {page: sizes for page, sizes in measured.items()
                    if any(m["firstClause"] is not None for m in sizes.values())}
    assert "policies/social-media.html" in policy_pages and "policies/child-protection/v1.html" in policy_pages
    late = [f"{page} at {width}x{height}: first clause at {m['firstClause']:.0f}px"
            for page, sizes in policy_pages.items() for (width, height), m in sizes.items()
            if m["firstClause"] > 2 * height]
    assert not late, "\n".join(late)


def test_metadata_is_folded_on_a_phone_and_open_on_a_desktop(browser, built):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto((built / "policies" / "social-media.html").as_uri())
        owner = page.locator(".pb-meta__list dt", has_text="Owner")
        summary = page.locator(".pb-meta__details > summary")
        assert summary.is_visible() and "version 5" in summary.inner_text()
        assert not owner.is_visible(), "folded on a phone"
        summary.click()
        assert owner.is_visible(), "one tap opens it"
        page.set_viewport_size({"width": 1280, "height": 900})
        page.reload()
        assert owner.is_visible() and not summary.is_visible(), "always open on a desktop"
    finally:
        page.close()


@pytest.mark.parametrize("path, table", [
    ("index.html", "pb-index"),
    ("policies/social-media.html", "pb-history"),
    ("policies/social-media/compare-v4-v5.html", "pb-role-impact"),
    ("review.html", "pb-schedule"),
])
def test_tables_become_cards_on_a_phone(browser, built, path, table):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto((built / path).as_uri())
        rows = page.locator(f"table.{table} tbody tr")
        assert rows.count() > 0
        cards = page.evaluate(f"""() => [...document.querySelectorAll('table.{table} tbody tr')].map(row => ({{
            display: getComputedStyle(row).display, right: row.getBoundingClientRect().right,
            labels: [...row.querySelectorAll('td[data-label]')].filter(td => td.checkVisibility())
                .map(td => getComputedStyle(td, '::before').content)}}))""")
        for card in cards:
            assert card["display"] == "block" and card["right"] <= 390, card
            assert card["labels"] and all(label not in ("none", "normal", '""') for label in card["labels"]), card
        heads = page.evaluate(f"() => [...document.querySelectorAll('table.{table} thead')].map(h => h.getBoundingClientRect().width)")
        assert heads and max(heads) <= 1, "column heads are read out by screen readers, not shown"
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.evaluate(f"() => getComputedStyle(document.querySelector('table.{table} tbody tr')).display") == "table-row"
    finally:
        page.close()
