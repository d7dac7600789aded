"""Turn the handbook model into pages: the engine-independent core.

``build_site`` returns :class:`SitePage` objects (path, title, the body
in parts, whether the page is in the navigation and the search index). The MkDocs
plugin and ``policybook export`` both consume them; nothing here imports
MkDocs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Hashable, Sequence, TypeVar

from .. import urls
from ..model import Handbook, Policy, PolicyVersion, Status, version_key
from ..mapping import MapItems, serial_map
from ..render import FragmentCache, PageBody, Renderer, stylesheet
from ..views.checklists import build_checklists, roles_with_duties
from ..views.compare import ALL_PAIRS_LIMIT, compare_versions, picker_pairs
from ..views.indexes import build_glossary, build_legislation_index
from ..views.reading import MARK_CHANGES_DAYS, clause_marks, recent_pair, roles_shown
from ..views.handbook import comparison_pairs, policy_index, related_index, superseded_on
from ..views.pack import build_pack, pack_pairs
from ..views.schedule import DUE_SOON_DAYS, SCHEDULE_BUCKETS, build_schedule, next_review
from ..vocabulary import search_vocabulary

STYLESHEET = "assets/policybook.css"
_HANDBOOK_NAME = {"staff": "staff handbook", "public": "policies"}
NAV_POLICY_LIMIT = 60
"""Above this many policies the navigation lists category pages, not policies.

Material renders the whole navigation into every page, so a navigation that
grows with the handbook makes the build quadratic: at 500 policies it was
most of the build time."""
NAV_ROLE_LIMIT = 20
"""Above this many role checklists the navigation links the roles index only.

A trust with many roles would otherwise get a long list in every page's
sidebar, and every page pays for rendering it; the roles index lists them all
with their descriptions."""
ALL_PAIRS_POLICY_LIMIT = NAV_POLICY_LIMIT
"""Above this many policies only consecutive versions (and drafts against the
adopted version) get comparison pages, however few versions a policy has.

Every pair of five versions is ten pages; consecutive pairs are four. At trust
scale the extra six per policy were over a third of all pages, and so of the
build time, for comparisons few readers open; ``policybook diff`` compares
any pair."""



@dataclass(frozen=True, slots=True)
class SitePage:
    """One generated page.

    Attributes:
        path: source path such as ``policies/social-media.md``.
        title: plain-text title (escaped by whoever writes it into HTML).
        body: the page's headings, HTML blocks and Markdown, as its template wrote them.
        in_nav: listed in the site navigation.
        searchable: included in the search index.
        answers_in_parts: see the attribute docstring.
    """

    path: str
    title: str
    body: PageBody
    in_nav: bool = True
    searchable: bool = True
    answers_in_parts: bool = False
    """The page's headed parts (clauses, sections) answer questions better than its top
    (title, summary, keywords): a search engine should rank them above it."""

    @property
    def markdown(self) -> str:
        """The body as one Markdown string, as ``policybook export`` writes it."""
        return self.body.markdown


@dataclass(frozen=True, slots=True)
class SiteOptions:
    today: dt.date
    directory_urls: bool = False
    preview_drafts: bool = False
    """Role checklists include draft policies (a preview build)."""
    edition: str = "staff"
    """``staff`` or ``public``: only wording depends on it here; the handbook
    passed to :func:`build_site` is already filtered (see ``policybook.edition``)."""
    mark_changes_days: int = MARK_CHANGES_DAYS
    """Days after a version takes effect that its page marks new and changed clauses (0: never)."""


@dataclass(frozen=True, slots=True)
class Site:
    pages: tuple[SitePage, ...]
    nav: list = field(default_factory=list)
    assets: dict = field(default_factory=dict)
    vocabulary: dict = field(default_factory=dict)
    """Search synonyms (``policybook.vocabulary.search_vocabulary``): word staff type -> terms it finds."""


T = TypeVar("T")
R = TypeVar("R")


@dataclass
class PageMemo:
    """The pages of the last :func:`build_site`, to reuse where what they are made of is unchanged.

    ``mkdocs serve`` keeps one between rebuilds. A policy's pages are a
    function of the policy, the policies it cross-references (their titles
    and clause numbers), and the handbook's settings; a role's checklist of
    the checklist (its duties). Each group is stored with those inputs and
    reused only when the new inputs are equal (the model's dataclasses
    compare by value; source lines are left out of the comparison and out
    of every page). Everything else (home, indexes, schedule) lists every
    policy and is rendered each time.
    """

    entries: dict = field(default_factory=dict)
    """Group (``policies``, ``roles``) -> item key -> (inputs, pages)."""
    made: dict = field(default_factory=dict)
    """Group -> how many of its items the last build rendered (for tests and benchmarks)."""
    duties: dict = field(default_factory=dict)
    """Each role's duties in each version, to build the checklists from (``build_checklists``' memo)."""
    remember: bool = True
    """False for a one-off build: no build comes after it to reuse its pages, so their inputs are not worked out."""

    def map(self, group: str, make: Callable[[T], R], items: Sequence[T], key: Callable[[T], Hashable],
            inputs: Callable[[T], object], map_items: MapItems, **hints) -> list[R]:
        """``map_items(make, items)``, with the stored result for each item whose inputs are unchanged."""
        if not self.remember:
            self.made[group] = len(items)
            return map_items(make, items, **hints)
        stored = self.entries.get(group, {})
        wanted = [(key(item), inputs(item)) for item in items]
        results: list = [None] * len(items)
        missing: list[int] = []
        for index, (name, given) in enumerate(wanted):
            entry = stored.get(name)
            if entry is not None and entry[0] == given:
                results[index] = entry[1]
            else:
                missing.append(index)
        for index, made in zip(missing, map_items(make, [items[i] for i in missing], **hints)):
            results[index] = made
        self.made[group] = len(missing)
        # Only this build's items: a removed policy's pages must not come back with its id.
        self.entries[group] = {name: (given, result) for (name, given), result in zip(wanted, results)}
        return results


def build_site(handbook: Handbook, options: SiteOptions, renderer: Renderer | None = None, *,
               map_items: MapItems = serial_map, memo: PageMemo | None = None) -> Site:
    """Every page of the handbook site, plus its navigation and assets.

    Args:
        renderer: may be kept between builds (``mkdocs serve``): its compiled
            templates and converted clause texts are reused.
        map_items: renders the pages of each policy and each role; pass
            ``speed.parallel.fork_map`` to put a share on a second core.
        memo: the pages of the previous build, kept between builds (``mkdocs
            serve``): policies and checklists whose inputs are unchanged are
            not rendered again (see :class:`PageMemo`).
    """
    if renderer is None or renderer.directory_urls != options.directory_urls:
        renderer = Renderer(directory_urls=options.directory_urls)
    memo = memo if memo is not None else PageMemo(remember=False)
    checklists = build_checklists(handbook, include_drafts=options.preview_drafts, memo=memo.duties)
    common = template_context(handbook, today=options.today, edition=options.edition, checklists=checklists)
    index = policy_index(handbook)
    pages: list[SitePage] = []

    next_reviews = {p.id: next_review(p.adopted) if p.adopted else None for p in handbook.policies}
    pages.append(SitePage(
        urls.HOME, f"{handbook.organisation.name} {_HANDBOOK_NAME[options.edition]}",
        renderer.render_body("home.md.j2", urls.HOME, index=index, next_reviews=next_reviews,
                        checklists=checklists, **common),
    ))
    related = related_index(handbook)
    pairs_limit = ALL_PAIRS_LIMIT if len(handbook.policies) <= ALL_PAIRS_POLICY_LIMIT else 1
    # Everything a policy's or a role's pages read besides the policy or the checklist: the settings
    # (roles and their includes, legislation, committees, organisation), the options and which roles
    # have a checklist page to link to.
    settings = (dataclasses.replace(handbook, policies=()), options, renderer.directory_urls,
                frozenset(common["role_pages"]), pairs_limit)
    # Each policy's pages depend on nothing but the model, so they may be rendered in any process.
    for policy_pages in memo.map(
        "policies",
        lambda policy: _policy_pages(handbook, policy, related[policy.id], renderer, common, pairs_limit,
                                     options.mark_changes_days),
        handbook.policies, key=lambda policy: policy.id,
        inputs=lambda policy: (policy, _related_shown(related[policy.id]), settings), map_items=map_items,
    ):
        pages.extend(policy_pages)

    if len(handbook.policies) > NAV_POLICY_LIMIT:
        for group in index:
            path = urls.category_page(group.category.id)
            pages.append(SitePage(path, group.category.title, renderer.render_body(
                "category.md.j2", path, group=group, next_reviews=next_reviews, **common)))
    # The roles index lists every role's name: as a search result it would answer every question naming a role.
    pages.append(SitePage(urls.ROLES_INDEX, "Roles", renderer.render_body("roles_index.md.j2", urls.ROLES_INDEX, checklists=checklists, **common),
                          searchable=False))

    def role_page(checklist) -> SitePage:
        path = urls.role_page(checklist.role.id)
        return SitePage(
            path, f"{checklist.role.name}: checklist",
            renderer.render_body("role.md.j2", path, checklist=checklist, preview=options.preview_drafts, **common),
            searchable=False,
        )

    # A role's checklist grows with the handbook (all staff: a duty from every policy): mapped too.
    pages.extend(memo.map("roles", role_page, [checklist for checklist in checklists if checklist.count],
                          key=lambda checklist: checklist.role.id,
                          inputs=lambda checklist: (_checklist_shown(checklist), settings),
                          map_items=map_items, min_items=4))

    schedule = build_schedule(handbook, options.today)
    pages.append(SitePage(
        urls.REVIEW_SCHEDULE, "Review schedule",
        renderer.render_body("schedule.md.j2", urls.REVIEW_SCHEDULE, schedule=schedule, due_soon_days=DUE_SOON_DAYS,
                        buckets=SCHEDULE_BUCKETS, **common),
        searchable=False,
    ))
    pages.append(SitePage(
        urls.LEGISLATION, "Legislation and guidance",
        renderer.render_body("legislation.md.j2", urls.LEGISLATION, groups=build_legislation_index(handbook), **common),
    ))
    # The glossary repeats definitions that are already searchable on their
    # policy pages; indexing it too would only double every result.
    pages.append(SitePage(
        urls.GLOSSARY, "Glossary",
        renderer.render_body("glossary.md.j2", urls.GLOSSARY, glossary=build_glossary(handbook), **common),
        searchable=False,
    ))
    assets = {STYLESHEET: stylesheet(), **version_redirects(handbook, renderer)}
    return Site(tuple(pages), _navigation(handbook, index, checklists), assets, search_vocabulary(handbook))


def version_redirects(handbook: Handbook, renderer: Renderer) -> dict[str, str]:
    """Output path -> HTML for the address of each version in force, sending readers to its policy page.

    The policy page shows the version in force, so a page of its own would
    repeat it (at trust scale a tenth of all pages). A small HTML redirect,
    not a MkDocs page, keeps the address valid until the version is
    superseded and gets a page of its own.
    """
    redirects = {}
    for policy in handbook.policies:
        for version in policy.versions:
            target = urls.version_link(version)
            source = urls.version_page(policy.id, version.version)
            if target != source:
                redirects[urls.output_path(source, renderer.directory_urls)] = renderer.render(
                    "version_redirect.html.j2", source, version=version, target=target)
    return redirects


def template_context(handbook: Handbook, *, today: dt.date, edition: str = "staff", checklists=None) -> dict:
    """What every page template may use: one definition for the site and for printing.

    ``role_pages`` names the roles that get a checklist page, so role links
    elsewhere point at a page that exists (or at the roles index).
    """
    role_pages = roles_with_duties(handbook) if checklists is None else {c.role.id for c in checklists if c.count}
    return {
        "organisation": handbook.organisation,
        "roles": {role.id: role for role in handbook.roles},
        "laws": {law.id: law for law in handbook.legislation},
        "committees": {committee.id: committee for committee in handbook.committees},
        "today": today,
        "edition": edition,
        "role_pages": role_pages,
        "roles_shown": roles_shown,
        "fragments": FragmentCache(),
    }


def _related_shown(related: tuple[Policy, ...]) -> tuple:
    """What a policy's pages show of the policies it cross-references (``policy.md.j2``): ids and titles."""
    return tuple((other.id, other.title) for other in related)


def _checklist_shown(checklist) -> tuple:
    """What ``role.md.j2`` shows of a checklist (its fingerprint included): the inputs of a role's page.

    A duty carries its whole policy version, but the page shows only the
    fields below: an edit elsewhere in the version (its summary, keywords,
    another role's clause) must not render every checklist that lists the
    policy again. A field the template starts to read belongs here too.
    """
    return (checklist.role, checklist.includes, checklist.must_only, tuple(
        (group.version.policy_id, group.version.title, group.version.version, group.version.status,
         group.version.effective,
         *(tuple((duty.version.policy_id, duty.version.title, duty.clause, duty.via) for duty in duties)
           for duties in (group.does, group.acts_on)))
        for group in checklist.groups))


def _policy_pages(handbook: Handbook, policy: Policy, related: tuple[Policy, ...], renderer: Renderer,
                  common: dict, pairs_limit: int = ALL_PAIRS_LIMIT, mark_changes_days: int = MARK_CHANGES_DAYS) -> list[SitePage]:
    pairs = comparison_pairs(policy)
    history = [
        {"version": v, "logged": None, "comparisons": [(old, new) for old, new in pairs if new is v]}
        for v in policy.versions
    ] + [{"version": None, "logged": row, "comparisons": ()} for row in policy.log]
    # Newest first; versions known only from the log sit among them by number.
    history.sort(key=lambda row: version_key((row["version"] or row["logged"]).version), reverse=True)
    current = policy.current
    # Every pair of versions while there are few; see picker_pairs and ALL_PAIRS_POLICY_LIMIT.
    page_pairs = list(picker_pairs(policy, pairs_limit))
    page_pairs += [pair for pair in pairs if pair not in page_pairs]
    picker = {
        "versions": sorted(policy.versions, key=lambda v: version_key(v.version)),
        "pairs": {(old.version, new.version) for old, new in page_pairs},
        "complete": len(page_pairs) == len(policy.versions) * (len(policy.versions) - 1) // 2,
        "limit": ALL_PAIRS_LIMIT,
        "big_handbook": pairs_limit < ALL_PAIRS_LIMIT,
        "policy_limit": ALL_PAIRS_POLICY_LIMIT,
    } if len(policy.versions) > 1 else None
    # The comparison behind "New in v5" marks is also a comparison page's: made once for both.
    marked = recent_pair(policy, common["today"], mark_changes_days)
    marked_comparison = compare_versions(*marked, handbook=handbook) if marked else None
    marks = clause_marks(marked_comparison) if marked else None
    banner = {Status.ADOPTED: None, Status.DRAFT: "draft", Status.WITHDRAWN: "withdrawn", Status.SUPERSEDED: "superseded"}

    def version_page(path: str, version: PolicyVersion, *, with_history: bool) -> PageBody:
        return renderer.render_body(
            "policy.md.j2", path, policy=policy, version=version, banner=banner[version.status],
            replaced_by=superseded_on(policy, version), related=related, next_review=next_review(version),
            history=history if with_history else None, picker=picker if with_history else None,
            marks=marks if with_history and version.status is Status.ADOPTED else None, **common,
        )

    main = urls.policy_page(policy.id)
    pages = [SitePage(main, current.title, version_page(main, current, with_history=True),
                      searchable=current.status is Status.ADOPTED, answers_in_parts=True)]
    for version in policy.versions:
        if urls.version_link(version) == main:
            continue  # the policy page is this version's page; see version_redirects
        path = urls.version_page(policy.id, version.version)
        pages.append(SitePage(path, f"{version.title} (version {version.version})",
                              version_page(path, version, with_history=False), in_nav=False, searchable=False))
    # The board's pack is for staff: the public edition's comparisons are for reading, not approving.
    # A big handbook keeps the drafts' packs only (see ALL_PAIRS_POLICY_LIMIT): at 100 policies the
    # adopted versions' packs were 120 more pages.
    packs = pack_pairs(policy, pairs, drafts_only=pairs_limit < ALL_PAIRS_LIMIT) if common["edition"] == "staff" else ()
    for old, new in page_pairs:
        path = urls.comparison_page(policy.id, old.version, new.version)
        # The comparison behind the "new in vN" marks is this page's: made once.
        comparison = (marked_comparison if marked and marked[0] is old and marked[1] is new
                      else compare_versions(old, new, handbook=handbook))
        pack = urls.pack_page(policy.id, old.version, new.version) if (old, new) in packs else None
        pages.append(SitePage(
            path, f"{new.title}: version {old.version} to {new.version}",
            renderer.render_body("compare.md.j2", path, comparison=comparison, pack_page=pack, **common),
            in_nav=False, searchable=False,
        ))
        if pack:
            pages.append(SitePage(
                pack, f"Governors' pack: {new.title}, version {old.version} to {new.version}",
                renderer.render_body("pack.md.j2", pack, pack=build_pack(comparison), printed=False, **common),
                in_nav=False, searchable=False,
            ))
    return pages


def _navigation(handbook: Handbook, index, checklists) -> list:
    """A small navigation: policies by category (only categories in a big handbook), roles (only the
    index when there are many), indexes.

    Old versions and comparisons are linked from each policy page only:
    Material renders the whole navigation into every page.
    """
    if len(handbook.policies) > NAV_POLICY_LIMIT:
        policies = [{group.category.title: urls.category_page(group.category.id)} for group in index]
    else:
        policies = [
            {group.category.title: [{p.title: urls.policy_page(p.id)} for p in group.policies]}
            for group in index
        ]
    role_pages = [{c.role.name: urls.role_page(c.role.id)} for c in checklists if c.count]
    roles = [{"All roles": urls.ROLES_INDEX}] + role_pages if len(role_pages) <= NAV_ROLE_LIMIT else urls.ROLES_INDEX
    return [
        {"Home": urls.HOME},
        {"Policies": policies},
        {"Roles": roles},
        {"Indexes": [
            {"Legislation and guidance": urls.LEGISLATION},
            {"Glossary": urls.GLOSSARY},
            {"Review schedule": urls.REVIEW_SCHEDULE},
        ]},
    ]
