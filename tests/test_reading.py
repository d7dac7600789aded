"""Issue 20: reading a policy - marks for new and changed clauses, roles beside duties, badges, dark scheme."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from policybook.dates import PolicyDate
from policybook.model import Policy, Scope, Status
from policybook.mkdocs_adapter.palette import with_dark_scheme
from policybook.views.reading import MARK_CHANGES_DAYS, recent_changes, roles_shown
from tests.browser import serve_folder
from tests.test_compare import A, B, C, MAY, clause, version
from tests.test_site_build import built, handbook, read  # noqa: F401  (module fixtures)

EFFECTIVE_DAY = dt.date(2026, 9, 1)
EFFECTIVE = PolicyDate.of_day(EFFECTIVE_DAY)


def two_versions(old_clauses, new_clauses, *, old_roles=("all-staff",), new_roles=("all-staff",)) -> Policy:
    old = version(("s", old_clauses), label="1", roles=old_roles, status=Status.SUPERSEDED, effective=PolicyDate.of_day(dt.date(2025, 9, 1)))
    new = version(("s", new_clauses), label="2", roles=new_roles, effective=EFFECTIVE)
    return Policy("demo", (old, new))


# --- roles beside a duty -------------------------------------------------------


def test_roles_are_shown_only_where_they_differ_from_the_scope():
    scope = Scope(roles=("all-staff", "governor"))
    assert roles_shown(clause("a", A, applies_to=("all-staff", "governor")), scope) == ()
    assert roles_shown(clause("a", A, applies_to=("governor", "all-staff")), scope) == (), "order does not count"
    assert roles_shown(clause("a", A, applies_to=("dsl",)), scope) == ("dsl",)
    assert roles_shown(clause("a", A, applies_to=("all-staff", "governor", "dsl")), scope) == ("all-staff", "governor", "dsl")


# --- new and changed clauses -----------------------------------------------------


def test_new_and_changed_clauses_are_marked_against_the_previous_version():
    marks = recent_changes(two_versions([clause("a", A), clause("b", B, MAY)], [clause("a", A), clause("b", B), clause("c", C)]),
                           EFFECTIVE_DAY + dt.timedelta(days=10))
    assert set(marks) == {"b", "c"}, "an unchanged clause carries no mark"
    assert marks["c"].kind == "new" and marks["b"].kind == "changed"
    assert (marks["b"].version, marks["b"].previous, marks["b"].anchor) == ("2", "1", "change-b")


def test_editorial_changes_and_moves_alone_are_not_marked():
    old = [clause("a", A), clause("b", B)]
    new = [clause("b", B), clause("a", A.replace("same day", "same  day").replace("Staff", "staff"))]
    assert recent_changes(two_versions(old, new), EFFECTIVE_DAY) == {}


def test_marks_last_for_the_period_after_the_version_takes_effect():
    changed = two_versions([clause("a", A, MAY)], [clause("a", A)])
    assert recent_changes(changed, EFFECTIVE_DAY - dt.timedelta(days=3)), "adopted, not yet in force: already marked"
    assert recent_changes(changed, EFFECTIVE_DAY + dt.timedelta(days=MARK_CHANGES_DAYS - 1))
    assert recent_changes(changed, EFFECTIVE_DAY + dt.timedelta(days=MARK_CHANGES_DAYS)) == {}
    assert recent_changes(changed, EFFECTIVE_DAY + dt.timedelta(days=20), days=14) == {}, "the period is configurable"
    assert recent_changes(changed, EFFECTIVE_DAY, days=0) == {}, "0 turns marks off"


def test_a_first_version_or_one_without_a_date_is_not_marked():
    only = version(("s", [clause("a", A)]), effective=EFFECTIVE)
    assert recent_changes(Policy("demo", (only,)), EFFECTIVE_DAY) == {}
    undated = two_versions([clause("a", A, MAY)], [clause("a", A)])
    undated = Policy("demo", (undated.versions[0], dataclasses.replace(undated.versions[1], effective=None)))
    assert recent_changes(undated, EFFECTIVE_DAY) == {}


# --- on the built sample (TODAY is 81 days after child protection v2 took effect) -------------------


def test_policy_page_marks_new_and_changed_clauses_with_links_to_the_comparison(built, handbook):  # noqa: F811
    html = read(built, "policies/child-protection.html")
    marks = re.findall(r'<p class="pb-mark pb-mark--(new|changed)"><a href="([^"]+)"[^>]*>(New|Changed) in v2</a></p>', html)
    assert marks and {kind for kind, _, _ in marks} == {"new", "changed"}
    comparison = read(built, "policies/child-protection/compare-v1-v2.html")
    for _, href, _ in marks:
        page, anchor = href.split("#")
        assert page == "child-protection/compare-v1-v2.html" and f'id="{anchor}"' in comparison
    # The mark sits on its clause: just under the clause's heading.
    senco = html.split('id="senco-duties"')[1].split("</h3>")[1]
    assert senco.lstrip().startswith('<p class="pb-mark pb-mark--new">')
    old_version = read(built, "policies/child-protection/v1.html")
    assert "pb-mark" not in old_version and "pb-mark" not in read(built, "policies/social-media.html"), \
        "only the page in force, and only while its version is recent (social media v5: January 2026)"


def test_only_duties_are_badged_and_roles_shown_only_where_they_differ(built, handbook):  # noqa: F811
    html = read(built, "policies/social-media.html")
    assert "pb-ob--info" not in html and ">information<" not in html
    version = handbook.policy("social-media").adopted
    for clause in version.clauses:
        # A clause's block holds no other div: it ends at its own </div> (the page's commitments list follows the last one).
        body = html.split(f'data-clause="{clause.id}"')[1].split("</div>")[0]
        assert ('class="pb-ob ' in body) == clause.is_duty, clause.id
        assert ("Applies to" in body) == (clause.is_duty and set(clause.applies_to) != set(version.scope.roles)), clause.id


# --- dark scheme --------------------------------------------------------------------------------


def test_a_single_palette_gets_light_and_dark_schemes_with_a_toggle():
    light, dark = with_dark_scheme({"primary": "indigo"})
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")
    assert light["primary"] == dark["primary"] == "indigo"
    assert light["media"] == "(prefers-color-scheme: light)" and dark["media"] == "(prefers-color-scheme: dark)"
    assert light["toggle"]["name"] and dark["toggle"]["name"]
    assert [s["scheme"] for s in with_dark_scheme(None)] == ["default", "slate"]
    own = [{"scheme": "default"}]
    assert with_dark_scheme(own) is own, "an author's own list of schemes is kept"


def test_built_pages_carry_the_palette_toggle(built):  # noqa: F811
    html = read(built, "index.html")
    assert 'data-md-color-media="(prefers-color-scheme: dark)" data-md-color-scheme="slate"' in html
    assert 'title="Switch to dark mode"' in html


# --- in the browser -----------------------------------------------------------------------------

BACKGROUND = "(el) => getComputedStyle(el).backgroundColor"


def luminance(css_colour: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_deep_link_marks_its_clause(browser, built, scheme):  # noqa: F811
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto((built / "policies" / "social-media.html").as_uri() + "#no-pupil-contacts")
        target = page.locator('[data-clause="no-pupil-contacts"]')
        other = page.locator('[data-clause="consent-register"]')
        marked, plain = target.evaluate(BACKGROUND), other.evaluate(BACKGROUND)
        assert marked != plain and marked not in ("rgba(0, 0, 0, 0)", "transparent"), (marked, plain)
        assert page.locator("h3#no-pupil-contacts").evaluate("(el) => getComputedStyle(el).borderLeftWidth") != "0px"
        # The marked text still reads: 4.5:1 against its highlight.
        text = target.locator("p").first.evaluate("(el) => getComputedStyle(el).color")
        assert contrast(text, marked) >= 4.5
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_clearly_visible(browser, built, scheme):  # noqa: F811
    """WCAG 2.2 focus appearance: a ring at least 2 px thick with 3:1 contrast against what is behind it."""
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto((built / "policies" / "social-media.html").as_uri())
        seen = 0
        for _ in range(25):
            page.keyboard.press("Tab")
            style = page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
                // The ring is drawn outside the element, over its parent's background.
                let bg = 'rgba(0, 0, 0, 0)';
                for (let node = el.parentElement; node && bg.startsWith('rgba(0, 0, 0, 0') ; node = node.parentElement) bg = getComputedStyle(node).backgroundColor;
                if (bg.startsWith('rgba(0, 0, 0, 0')) bg = getComputedStyle(document.body).backgroundColor;
                return {tag: el.tagName, visible: el.checkVisibility(), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        colour: s.outlineColor, background: bg}; }""")
            if style["tag"] == "BODY" or not style["visible"]:
                continue
            seen += 1
            assert style["style"] == "solid" and style["width"] >= 2, style
            assert contrast(style["colour"], style["background"]) >= 3, style
        assert seen >= 5, "tabbing reaches the header, navigation and content links"
        permalink = page.locator("h3#no-pupil-contacts a.headerlink")
        permalink.focus()
        # Material fades the sign in with a CSS transition: read the colour it settles on, not one mid-fade.
        colour = permalink.evaluate("(el) => Promise.all(el.getAnimations().map((a) => a.finished))"
                                    ".then(() => getComputedStyle(el).color)")
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert contrast(colour, background) >= 4.5, "the permalink sign is not pale"
    finally:
        page.close()


@pytest.mark.browser
def test_the_palette_toggle_switches_schemes(browser, built):  # noqa: F811
    # Over http: from file:// a site built without --offline cannot load its search index, and Material's scripts stop.
    page = browser.new_page(color_scheme="light")
    try:
        with serve_folder(built) as url:
            page.goto(url + "index.html")
            scheme = "() => document.body.dataset.mdColorScheme"
            assert page.evaluate(scheme) == "default", "the system setting (light) chooses first"
            page.locator('label[title="Switch to dark mode"]').click()
            page.wait_for_function(scheme + ' === "slate"', timeout=5000)
            page.locator('label[title="Switch to light mode"]').click()
            page.wait_for_function(scheme + ' === "default"', timeout=5000)
    finally:
        page.close()
