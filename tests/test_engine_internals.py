"""A Material release that changed what the adapter relies on: a warning, and Material's plain path, never a wrong page.

Each test edits, as such a release would, the one Material file the startup
check reads (``internals._material_file``) or the name it looks for, and
builds the sample handbook. The rest of Material is the installed one, so
the site shows what the fallback writes. A theme's ``custom_dir`` that
overrides a checked template is checked as Material's own would be: there
the site itself shows the override.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from policybook.mkdocs_adapter import internals, nav_memo
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.mkdocs_adapter.pagefind_search import ARTICLE
from policybook.mkdocs_adapter.plugin import CLAUSE_SEARCH_BOOST, IFRAME_WORKER_CDN, SEARCH_DIALOG, boost_search_parts
from policybook.mkdocs_adapter.search_workers import MATERIAL_BUNDLE, MATERIAL_WORKER, RESULT_WORDING, WORKER_PROTOCOL
from tests.test_build_safety import tree
from tests.test_site_build import TODAY, copy_project

CHANGED = "changed in this release"
BOOSTED = f'"boost":{CLAUSE_SEARCH_BOOST}'


def _released(monkeypatch, path: str, old: str, new: str) -> None:
    """Material's ``path`` as a release that wrote ``new`` where this one writes ``old``."""
    real = internals._material_file

    def changed(name: str) -> str:
        text = real(name)
        if name == path:
            assert old in text, f"{old!r} is not in Material's {path}"
            text = text.replace(old, new)
        return text

    monkeypatch.setattr(internals, "_material_file", changed)


def _warnings(caplog, what: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if CHANGED in r.getMessage() and what in r.getMessage()]


def _with_search(project: Path, engine: str) -> Path:
    config = project / "mkdocs.yml"
    text, count = re.subn(r"(?m)^  - policybook:?\s*$", f"  - policybook:\n      search: {engine}",
                          config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    return config


def _with_overrides(project: Path, templates: dict[str, str]) -> Path:
    """``project`` with a theme ``custom_dir`` holding ``templates`` (name -> text)."""
    config = project / "mkdocs.yml"
    text, count = re.subn(r"(?m)^theme:\n", "theme:\n  custom_dir: overrides\n", config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    for name, body in templates.items():
        path = project / "overrides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return config


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _overridden(caplog, what: str, name: str) -> list[str]:
    """The warnings that ``what`` changed in the override ``name``."""
    return [r.getMessage() for r in caplog.records
            if f"{what} changed in " in r.getMessage() and f"overrides/{name} (the theme's own" in r.getMessage()]


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def usual(tmp_path_factory) -> Path:
    """The sample site as this Material builds it."""
    project = copy_project(tmp_path_factory.mktemp("usual"))
    return build_site_atomically(project / "mkdocs.yml", site_dir=project.parent / "usual", today=TODAY)


@pytest.fixture(scope="module")
def lunr(tmp_path_factory) -> Path:
    """The sample site with ``search: material``: Material's own index, ranked by Policybook's worker."""
    project = copy_project(tmp_path_factory.mktemp("lunr"))
    return build_site_atomically(_with_search(project, "material"), site_dir=project.parent / "lunr", today=TODAY)


def _bundle() -> str:
    """Material's page script, the side of the search-worker protocol Policybook's workers answer."""
    return "templates/" + MATERIAL_BUNDLE.search(internals._material_file("templates/base.html")).group()


def _protocol_released(message: int, old: str, new: str):
    """A release whose page script reads ``new`` where this one reads ``old``, in ``WORKER_PROTOCOL[message]``."""

    def release(monkeypatch):
        path = _bundle()
        found = WORKER_PROTOCOL[message].search(internals._material_file(path)).group()
        assert old in found, found
        _released(monkeypatch, path, found, found.replace(old, new))

    return release


@pytest.mark.parametrize("release, what", [
    (lambda monkeypatch: _released(monkeypatch, "templates/base.html", "workers/search.", "workers/find."),
     "search worker in its __config script"),
    (_protocol_released(0, "config:", "settings:"), "search-worker messages"),
    (_protocol_released(3, "===3", "===4"), "search-worker messages"),
    (_protocol_released(5, "items:", "results:"), "search-worker messages"),
], ids=["worker-path", "setup-message", "result-type", "result-items"])
def test_a_changed_search_worker_keeps_materials_own_search_box(tmp_path, monkeypatch, caplog, release, what):
    """Policybook's workers replace Material's by its path and answer its messages: a Material that names its
    worker or speaks to it otherwise would search nothing, or show nothing."""
    release(monkeypatch)
    config = _with_search(copy_project(tmp_path), "pagefind")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "site", today=TODAY)
    assert len(_warnings(caplog, what)) == 1
    assert not (site / "pagefind").exists() and not (site / "assets/policybook/pagefind-worker.js").exists()
    assert not (site / "assets/policybook/search-worker.js").exists()
    docs = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert '"location":"policies/social-media.html' in docs, "Material's index lists the pages"
    themed = {name: html for name, html in _pages(site).items() if '<script id="__config"' in html}
    assert len(themed) > 40
    for name, html in themed.items():
        config = html.rpartition('<script id="__config"')[2]
        assert MATERIAL_WORKER.search(config) and "policybook/" not in config, name
        assert "data-pagefind" not in html, name


@pytest.mark.parametrize("path, old, new", [
    ("templates/base.html", '<article class="md-content__inner md-typeset">', '<article class="md-content md-typeset">'),
    ("plugins/search/plugin.py", '"data-search-exclude"', '"data-search-skip"'),
], ids=["article", "search-exclude"])
def test_changed_markup_under_the_pages_keeps_materials_index(tmp_path, monkeypatch, caplog, lunr, path, old, new):
    """Pagefind marks what to index by Material's markup: changed, the site is the one Material's index gives."""
    _released(monkeypatch, path, old, new)
    config = _with_search(copy_project(tmp_path), "pagefind")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "lunr", today=TODAY)
    assert _warnings(caplog, "article markup or data-search-exclude")
    assert not (site / "pagefind").exists()
    assert tree(site) == tree(lunr)


@pytest.mark.parametrize("old, new", [('search.get("exclude")', 'search.get("hidden")'),
                                      ('"data-search-exclude"', '"data-search-skip"')], ids=["page", "block"])
def test_changed_search_exclusions_are_warned_about(monkeypatch, caplog, old, new):
    # Nothing can stand aside: Material's own index would list what Policybook marks as no answer.
    _released(monkeypatch, "plugins/search/plugin.py", old, new)
    with caplog.at_level(logging.WARNING):
        internals.check_internals()
    assert _warnings(caplog, "search exclusions")


@pytest.mark.parametrize("path, old, new, what, plain", [
    ("templates/partials/search.html", SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="search"'),
     "search dialog", lambda html: html.replace(SEARCH_DIALOG[:-1] + ' aria-label="Search">', SEARCH_DIALOG)),
    ("templates/partials/languages/en.html", "1 matching document", "1 matching page", "result count",
     lambda html: _worded_as_material(html)),
], ids=["dialog", "wording"])
def test_changed_markup_policybook_adds_to_is_left_as_material_writes_it(tmp_path, monkeypatch, caplog, usual,
                                                                         path, old, new, what, plain):
    _released(monkeypatch, path, old, new)
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "site", today=TODAY)
    assert _warnings(caplog, what)
    expected = {name: plain(html) for name, html in _pages(usual).items()}
    assert len(expected) > 40 and expected != _pages(usual)
    assert _pages(site) == expected


def test_a_changed_search_index_format_is_left_as_material_writes_it(tmp_path, monkeypatch, caplog, lunr):
    """The clause boost edits Material's ``search_index.json``: in a format it does not know, it edits nothing."""
    from material.plugins.search.plugin import SearchIndex

    real = SearchIndex.generate_search_index
    written = []

    def released(self, prev):  # as a release that renamed the index's entries
        data = real(self, prev)
        assert data.count('"docs":') == 1
        written.append(data.replace('"docs":', '"documents":'))
        return written[-1]

    monkeypatch.setattr(SearchIndex, "generate_search_index", released)
    config = _with_search(copy_project(tmp_path), "material")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "site", today=TODAY)
    assert len(_warnings(caplog, "search_index.json")) == 1
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert len(written) == 1 and index == written[0]
    assert '"location":"policies/social-media.html#' in index and BOOSTED not in index
    assert BOOSTED in (lunr / "search/search_index.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [
    '{"config":{},"docs":[["p.html#c","1.1",""]]}',
    '{"config":{},"docs":[{"url":"p.html#c","title":"1.1","text":""}]}',
    '{"docs":[{"location":"p.html#c","title":"1.1","text":""}]}',
    'var __index = {"config":{},"docs":[{"location":"p.html#c","title":"1.1","text":""}]}',
], ids=["entries-as-lists", "renamed-location", "no-config", "not-json"])
def test_a_search_index_in_another_format_is_not_touched(tmp_path, caplog, text):
    index = tmp_path / "search_index.json"
    index.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        boost_search_parts(index, {"p.html": 10.0})
    assert index.read_text(encoding="utf-8") == text
    assert len(_warnings(caplog, "search_index.json")) == 1


def test_a_changed_boost_in_materials_worker_leaves_the_index_unboosted(tmp_path, monkeypatch, caplog, lunr):
    worker = MATERIAL_WORKER.search(internals._material_file("templates/base.html")).group()
    _released(monkeypatch, f"templates/{worker}", "{boost:", "{weight:")
    config = _with_search(copy_project(tmp_path), "material")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "site", today=TODAY)
    assert len(_warnings(caplog, "boost Material's search worker reads")) == 1
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert '"location":"policies/social-media.html#' in index and BOOSTED not in index
    assert BOOSTED in (lunr / "search/search_index.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("path, old, new", [
    ("templates/partials/nav-item.html", "{% elif nav_item == page %}", "{% elif nav_item.url == page.url %}"),
    ("templates/partials/nav.html", '"partials/nav-item.html"', '"partials/nav-entry.html"'),
    ("templates/partials/logo.html", "{% if config.theme.logo %}", "{% if page.meta.logo %}"),
    # A link the memo does not know of could point into a folder it takes to hold nothing linked.
    ("templates/partials/nav.html", 'class="md-nav__button md-logo"',
     'data-help="{{ config.extra.help | url }}" class="md-nav__button md-logo"'),
], ids=["page-read", "renamed-partial", "page-in-a-partial", "another-link"])
def test_changed_navigation_templates_render_every_pages_navigation(tmp_path, monkeypatch, caplog, usual,
                                                                    path, old, new):
    """The nav memo gives unlisted pages their folder's navigation: right only while the navigation reads the
    page as Material's does now."""
    _released(monkeypatch, path, old, new)
    installed = []
    monkeypatch.setattr(nav_memo, "install", lambda *args, navigation=True, **kwargs: installed.append(navigation))
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "site", today=TODAY)
    assert len(_warnings(caplog, "navigation templates")) == 1
    assert True not in installed, "the header's memo may be installed, the navigation's not"
    assert _pages(site) == _pages(usual)


@pytest.mark.parametrize("path, old, new", [
    ("templates/partials/header.html", "{{ page.title }}", "{{ page.title }} ({{ page.url }})"),
    ("templates/partials/header.html", '{% include "partials/search.html" %}', '{% include "partials/finder.html" %}'),
    ("templates/partials/palette.html", '<form class="md-header__option"', '<form data-page="{{ page.url }}" class="md-header__option"'),
    ("templates/partials/alternate.html", "alt.link | url", "alt.href | url"),
], ids=["page-read", "renamed-partial", "page-in-a-partial", "another-link"])
def test_a_changed_header_renders_every_pages_header(monkeypatch, caplog, path, old, new):
    """The header memo gives every page of a folder group one header with the page's title put in: right only
    while the header reads the page and writes links as Material's does now."""
    _released(monkeypatch, path, old, new)
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals().header_memo is False
    assert len(_warnings(caplog, "header template")) == 1


OWN_ARTICLE = ARTICLE[:-2] + ' handbook">'
OWN_CONTAINER = f"""{{% extends "base.html" %}}
{{% block container %}}<div class="md-content" data-md-component="content">{OWN_ARTICLE}
{{% block content %}}{{% include "partials/content.html" %}}{{% endblock %}}</article></div>{{% endblock %}}
"""


@pytest.mark.parametrize("name, text", [
    ("base.html", lambda: internals._material_file("templates/base.html").replace(ARTICLE, OWN_ARTICLE)),
    ("main.html", lambda: OWN_CONTAINER),
], ids=["base", "main-block"])
def test_a_custom_dir_article_keeps_materials_index(tmp_path, caplog, name, text):
    """Pagefind indexes what Policybook marks in the article: a theme's own ``base.html``, or a ``main.html``
    writing its block anew, without Material's article would have Pagefind index every page whole."""
    pagefind = _with_search(copy_project(_folder(tmp_path / "pagefind")), "pagefind")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(_with_overrides(pagefind.parent, {name: text()}),
                                     site_dir=tmp_path / "site", today=TODAY)
    assert len(_overridden(caplog, "article markup or data-search-exclude", name)) == 1
    assert not (site / "pagefind").exists()
    assert OWN_ARTICLE in (site / "index.html").read_text("utf-8")
    material = _with_search(copy_project(_folder(tmp_path / "material")), "material")
    lunr = build_site_atomically(_with_overrides(material.parent, {name: text()}),
                                 site_dir=tmp_path / "lunr", today=TODAY)
    assert tree(site) == tree(lunr)


def _themed_with(tmp_path: Path, caplog, name: str, text: str) -> dict[str, str]:
    """The themed pages (not redirects) of the sample built with the theme's own ``name``."""
    config = _with_overrides(copy_project(tmp_path), {name: text})
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "site", today=TODAY)
    themed = {name: html for name, html in _pages(site).items() if '<script id="__config"' in html}
    assert len(themed) > 40
    return themed


def test_a_custom_dir_search_dialog_is_left_as_the_theme_writes_it(tmp_path, caplog):
    ours = SEARCH_DIALOG[:-1] + ' aria-modal="true">'
    search = internals._material_file("templates/partials/search.html").replace(SEARCH_DIALOG, ours)
    themed = _themed_with(tmp_path, caplog, "partials/search.html", search)
    assert len(_overridden(caplog, "search dialog markup", "partials/search.html")) == 1
    for name, html in themed.items():
        assert html.count(ours) == 1 and 'role="dialog" aria-label=' not in html, name


def test_a_custom_dir_navigation_part_that_reads_the_page_is_rendered_for_every_page(tmp_path, caplog):
    """A theme's own logo naming the page: the nav memo would give every unlisted page of a folder the logo of
    the first one rendered."""
    themed = _themed_with(tmp_path, caplog, "partials/logo.html", '<span class="pb-logo">{{ page.url }}</span>')
    assert len(_overridden(caplog, "navigation templates", "partials/logo.html")) == 1
    for name, html in themed.items():
        header, nav = re.findall(r'<span class="pb-logo">(.*?)</span>', html)  # the header's logo, then the nav's
        assert nav == header, name


def test_a_custom_dir_that_leaves_the_checked_templates_alone_changes_nothing(tmp_path, caplog, usual):
    main = '{% extends "base.html" %}\n{% block scripts %}{{ super() }}{% endblock %}\n'  # adding to Material's
    logo = internals._material_file("templates/partials/logo.html")
    config = _with_overrides(copy_project(tmp_path), {"main.html": main, "partials/logo.html": logo})
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "site", today=TODAY)
    assert not [r for r in caplog.records if "changed in" in r.getMessage()]
    assert _pages(site) == _pages(usual)


def _worded_as_material(html: str) -> str:
    for material, ours in RESULT_WORDING.items():
        html = html.replace(ours, material)
    return html


def test_a_changed_event_origins_map_keeps_materials_search_handler(monkeypatch, caplog):
    monkeypatch.setattr(internals, "EVENT_ORIGINS", "_renamed_by_a_release")
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals().search_handler is False
    assert _warnings(caplog, "SearchPlugin.on_page_context")


def test_a_changed_offline_plugin_stops_an_offline_build_before_anything_is_written(tmp_path, monkeypatch, caplog):
    _released(monkeypatch, "plugins/offline/plugin.py", "self.config.enabled", "self.config.switched_on")
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING), pytest.raises(PluginError, match="--offline"):
        build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "offline", today=TODAY, offline=True)
    assert _warnings(caplog, "OfflinePlugin")
    assert not (tmp_path / "offline").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".offline")], "no staging folder is left"


def test_a_changed_offline_polyfill_is_left_as_material_adds_it(tmp_path, monkeypatch, caplog):
    _released(monkeypatch, "plugins/offline/plugin.py", IFRAME_WORKER_CDN, "https://cdn.example/iframe-worker/v2")
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "offline", today=TODAY, offline=True)
    assert _warnings(caplog, "polyfill")
    assert not (site / "assets/policybook/iframe-worker-shim.js").exists()
    assert IFRAME_WORKER_CDN in (site / "index.html").read_text(encoding="utf-8"), "Material's own polyfill"
    assert (site / "search" / "search_index.js").is_file(), "still an offline site"


def test_without_offline_the_offline_internals_are_not_probed(monkeypatch, caplog):
    _released(monkeypatch, "plugins/offline/plugin.py", IFRAME_WORKER_CDN, "https://cdn.example/iframe-worker/v2")
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals().offline_polyfill is True
        assert internals.check_internals(offline=True).offline_polyfill is False
    assert len(_warnings(caplog, "polyfill")) == 1


def test_this_material_and_mkdocs_pass_every_check(caplog):
    with caplog.at_level(logging.WARNING):
        found = internals.check_internals(serving=True, offline=True)
        assert internals.check_offline_plugin()
    assert not [r for r in caplog.records if CHANGED in r.getMessage()]
    assert all((found.search_handler, found.search_worker, found.search_wording, found.pagefind_markup,
                found.search_dialog, found.search_entries, found.reload_browsers, found.offline_polyfill,
                found.nav_memo, found.search_boost, found.serve_builder, found.header_memo, found.native_watch))


@pytest.mark.parametrize("name, changed", [
    ("BUILD_ORDER", lambda order: tuple(reversed(order))),
    ("BUILD_COUNTS", lambda counts: counts.replace("'mkdocs'", "'mkdocs.commands'")),
], ids=["order", "strict-counts"])
def test_a_changed_build_order_builds_every_page_in_this_process(monkeypatch, caplog, name, changed):
    # As an MkDocs whose build() lists the pages before on_env, or counts strict mode's warnings elsewhere.
    monkeypatch.setattr(internals, name, changed(getattr(internals, name)))
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals().build_page is None
    assert _warnings(caplog, "the order of build()")


def test_a_search_plugin_that_writes_no_index_is_warned_about(tmp_path, monkeypatch, caplog):
    from material.plugins.search.plugin import SearchPlugin

    monkeypatch.setattr(SearchPlugin, "on_post_build", lambda self, *, config: None)
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(_with_search(project, "material"), site_dir=tmp_path / "site", today=TODAY)
    assert not (site / "search" / "search_index.json").exists()
    assert any("wrote no search/search_index.json" in r.getMessage() for r in caplog.records)


def test_a_theme_loader_changed_after_the_check_renders_every_pages_navigation(tmp_path, caplog):
    import jinja2
    from mkdocs.config import load_config

    from policybook.mkdocs_adapter import nav_memo

    config = load_config(str(copy_project(tmp_path) / "mkdocs.yml"))
    env = config.theme.get_env()
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"partials/nav.html": "another plugin's"}), env.loader])
    with caplog.at_level(logging.WARNING):
        assert nav_memo.install(env, nav=None, theme=config.theme) is False
    assert "policybook_nav" not in env.globals
    assert any("finds partials/nav.html elsewhere" in r.getMessage() for r in caplog.records)
