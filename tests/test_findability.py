"""Issue 5: clause-level search, indexes, home page, navigation, accessibility.

One sample build (the ``built`` module fixture) serves every test here; the
browser tests serve it over http on 127.0.0.1, because Material's search runs
in a web worker that a plain ``file://`` page cannot start (the offline build
is tested in test_offline.py).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import serve_folder
from tests.test_site_build import built, handbook, read  # noqa: F401  (module fixtures)

AXE = Path(__file__).resolve().parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"


def search_docs(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


# --- search index ------------------------------------------------------------


def test_every_current_clause_is_its_own_search_entry(built, handbook):  # noqa: F811
    locations = {doc["location"]: doc for doc in search_docs(built)}
    for policy in handbook.policies:
        if policy.adopted is None:
            continue
        for clause in policy.adopted.clauses:
            doc = locations.get(f"policies/{policy.id}.html#{clause.id}")
            assert doc, f"{policy.id}#{clause.id} missing from the search index"
            assert doc["title"].startswith(clause.number + " ")
            assert policy.adopted.title in doc["title"], "the result names its policy"
            assert doc.get("boost", 1) > 1, "clauses outrank their page top"


def test_definitions_and_section_titles_are_searchable(built):  # noqa: F811
    docs = {doc["location"]: doc for doc in search_docs(built)}
    definitions = docs["policies/social-media.html#definitions"]["text"]
    assert "Digital footprint" in definitions
    # A term is a word of its own in the index, not run into its meaning ("footprintEverything").
    assert re.search(r"\bfootprint\b", definitions)
    assert docs["policies/social-media.html#section-personal-use"]["title"] == "2. Personal use of social media"


def test_superseded_draft_comparison_and_checklist_pages_are_not_indexed(built):  # noqa: F811
    pages = {doc["location"].partition("#")[0] for doc in search_docs(built)}
    assert not [p for p in pages if p.startswith("policies/") and p.count("/") > 1], "versions and comparisons"
    assert not [p for p in pages if p.startswith("roles/") and p != "roles/index.html"]
    for old in ("v1", "v4", "compare-v4-v5"):
        assert f"policies/social-media/{old}.html" not in pages
    # A draft-only wording must not be findable: the draft AUP's new clause.
    texts = " ".join(doc["text"] for doc in search_docs(built))
    assert "authenticator app" not in texts.lower()


def test_keywords_are_indexed_with_their_clause_and_policy(built):  # noqa: F811
    docs = {doc["location"]: doc for doc in search_docs(built)}
    assert "befriend" in docs["policies/social-media.html#no-pupil-contacts"]["text"]
    assert "WhatsApp" in docs["policies/social-media.html"]["text"]
    html = read(built, "policies/social-media.html")
    assert '<p class="pb-keywords"><span class="pb-label">Search keywords</span> befriend' in html


# --- pages -------------------------------------------------------------------


def test_legislation_index_lists_policies_and_clauses(built):  # noqa: F811
    html = read(built, "legislation.html")
    assert 'id="law-kcsie"' in html and "Statutory guidance" in html
    section = html.split('id="law-kcsie"')[1].split("<h3")[0]
    assert 'href="policies/child-protection.html"' in section
    assert 'href="policies/child-protection.html#staff-training"' in section, "clause naming KCSIE in its text"
    assert "ripa-2000" in html, "an act cited only by a policy still appears"


def test_glossary_collects_definitions_of_policies_in_force(built):  # noqa: F811
    html = read(built, "glossary.html")
    assert 'id="term-digital-footprint"' in html
    assert 'href="policies/social-media.html#definitions"' in html


def test_home_has_what_applies_to_me_by_role(built):  # noqa: F811
    html = read(built, "index.html")
    assert 'id="what-applies-to-me"' in html
    assert 'href="roles/teacher.html"' in html and 'href="roles/dsl.html"' in html
    assert 'href="legislation.html"' in html and 'href="glossary.html"' in html


def test_policy_page_metadata_is_complete(built):  # noqa: F811
    html = read(built, "policies/social-media.html")
    for label in ("Version", "Effective from", "Approved", "Owner", "Review lead", "Review", "Based on", "Applies to",
                  "Related policies", "Legislation and guidance"):
        assert f"<dt>{label}</dt>" in html, label
    assert "minute FGB 2025/10 item 5" in html
    assert 'id="version-history"' in html and 'href="social-media/compare-v4-v5.html"' in html


def test_superseded_banner_wording(built):  # noqa: F811
    html = read(built, "policies/social-media/v4.html")
    assert "superseded on 5 January 2026: <a" in html and "see the current version</a>" in html


def test_navigation_lists_policies_roles_and_indexes_only(built):  # noqa: F811
    html = read(built, "index.html")
    nav = html.split('<nav class="md-nav md-nav--primary"')[1].split("</nav>\n</div>")[0]
    hrefs = set(re.findall(r'href="([^"#]+)"', nav))
    assert "policies/social-media.html" in hrefs and "legislation.html" in hrefs and "glossary.html" in hrefs
    assert not [h for h in hrefs if re.match(r"policies/[^/]+/", h)], "old versions and comparisons stay out of the nav"
    assert len(hrefs) < 40


# --- browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def served(built):  # noqa: F811
    """The built site over http on 127.0.0.1, for the length of the module."""
    with serve_folder(built) as url:
        yield url


def search(page, query: str) -> None:
    """Type ``query`` into Material's search box, as a reader would."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.keyboard.type(query)
    # The worker builds its index on first use: slow on a busy CI machine.
    page.wait_for_selector(".md-search-result__item", timeout=20000)


def first_results(page, first: int = 5) -> list[str]:
    """The addresses of the first visible results, read in one go: the list re-renders as results arrive."""
    return page.eval_on_selector_all(
        ".md-search-result__list a.md-search-result__link",
        "links => links.filter(link => link.checkVisibility()).map(link => link.getAttribute('href'))",
    )[:first]


# (query, page, clause anchor); "befriend" and "misdirected" match only through clause keywords.
QUERIES = [
    ("befriend", "policies/social-media.html", "no-pupil-contacts"),
    ("misdirected", "policies/data-protection.html", "report-breach"),
    ("lock your screen", "policies/acceptable-use.html", "lock-screen"),
    ("photo consent list", "policies/social-media.html", "consent-register"),
    ("take down content", "policies/social-media.html", "remove-content"),
    ("friend request", "policies/social-media.html", "no-pupil-contacts"),
]


def run_search_queries(browser, start_url: str, queries=QUERIES) -> None:
    page = browser.new_page()
    try:
        for query, target, anchor in queries:
            page.goto(start_url)
            search(page, query)
            # Results for a half-typed query may still be on screen: look again
            # for a few seconds before calling the clause missing.
            for _attempt in range(20):
                results = first_results(page)
                match = [href for href in results
                         if urlsplit(href).path.endswith(target) and urlsplit(href).fragment == anchor]
                if match:
                    break
                page.wait_for_timeout(250)
            assert match, f"{query!r}: {target}#{anchor} not among the first results {results}"
            # By target, not by the whole address: its highlight (?h=) changes as the last word completes.
            page.locator(f'.md-search-result__list a.md-search-result__link[href*="{target}"][href$="#{anchor}"]:visible').first.click()
            page.wait_for_url(f"**/{target}*#{anchor}")
            heading = page.locator(f"h3#{anchor}")
            assert heading.is_visible()
            box = heading.bounding_box()
            assert box is not None and 0 <= box["y"] < page.viewport_size["height"], "landed on the clause"
    finally:
        page.close()


@pytest.mark.browser
def test_search_box_finds_clauses_and_lands_on_them(browser, served):
    run_search_queries(browser, served + "index.html")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("path", [
    "index.html",
    "policies/social-media.html",
    "roles/teacher.html",
    "policies/social-media/compare-v4-v5.html",
    "policies/social-media/pack-v4-v5.html",
    "legislation.html",
    "review.html",
])
# Both of Material's schemes: the reader's system setting chooses (prefers-color-scheme).
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, served, path, scheme):
    if not AXE.is_file():
        message = f"axe-core not installed: npm install --prefix tests/.node axe-core (looked for {AXE})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(served + path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected
        violations = axe_violations(page)
        assert not violations, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations
        )
    finally:
        page.close()


def test_boost_search_parts_touches_only_anchored_entries_of_given_pages(tmp_path):
    from policybook.mkdocs_adapter.plugin import boost_search_parts

    index = tmp_path / "search_index.json"
    docs = [{"location": "p.html", "title": "P", "text": ""}, {"location": "p.html#c", "title": "1.1", "text": ""},
            {"location": "q.html#c", "title": "1.1", "text": ""}]
    index.write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    boost_search_parts(index, {"p.html": 10.0})
    boosts = [doc.get("boost") for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]]
    assert boosts == [None, 10.0, None]
    boost_search_parts(tmp_path / "missing.json", {"p.html": 10.0})  # no index, no error
