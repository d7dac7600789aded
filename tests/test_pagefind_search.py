"""Pagefind behind Material's search box: which pages it indexes, how, and what a reader gets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from policybook.mkdocs_adapter import pagefind_search
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.mkdocs_adapter.pagefind_search import AUTO_MIN_ENTRIES, SearchEngine, choose_engine, prepare_page
from policybook.mkdocs_adapter.search_workers import PAGEFIND_WORKER, use_worker
from tests.browser import serve_folder
from tests.hostile import MARKER, write_hostile_project
from tests.html_scan import scan_site
from tests.test_findability import QUERIES, run_search_queries, search
from tests.test_site_build import TODAY, copy_project

pytest.importorskip("pagefind", reason="pagefind is not installed (pip install -e .)")


def use_search(project: Path, engine: str) -> Path:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^  - policybook:?\s*$", f"  - policybook:\n      search: {engine}", text)
    assert count == 1
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("pagefind"))
    return build_site_atomically(use_search(project, "pagefind"), today=TODAY)


@pytest.fixture(scope="module")
def lunr_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("lunr"))
    return build_site_atomically(use_search(project, "material"), today=TODAY)


def indexed_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")
            if "data-pagefind-body" in p.read_text(encoding="utf-8")}


@pytest.mark.parametrize("setting, entries, offline, engine", [
    ("auto", AUTO_MIN_ENTRIES - 1, False, SearchEngine.MATERIAL),
    ("auto", AUTO_MIN_ENTRIES, False, SearchEngine.PAGEFIND),
    ("auto", 50_000, True, SearchEngine.MATERIAL),
    ("pagefind", 10, False, SearchEngine.PAGEFIND),
    ("pagefind", 10, True, SearchEngine.MATERIAL),  # file:// cannot fetch Pagefind's chunks
    ("material", 50_000, False, SearchEngine.MATERIAL),
])
def test_the_engine_follows_the_setting_size_and_offline(setting, entries, offline, engine):
    assert choose_engine(setting, entries=entries, offline=offline) is engine


def test_a_page_points_search_at_the_worker_and_marks_only_searchable_content():
    page = ('<script id="__config" type="application/json">{"search": "../assets/javascripts/workers/search.a7633da7.min.js"}'
            '</script><article class="md-content__inner md-typeset"><h3 id="c">1.1 <span class="pb-clause-of">S · P</span></h3>')
    searchable = prepare_page(use_worker(page, PAGEFIND_WORKER), searchable=True)
    assert '"search": "../assets/policybook/pagefind-worker.js"' in searchable
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in searchable
    assert '<span class="pb-clause-of" data-pagefind-weight="0.1">' in searchable
    archived = prepare_page(use_worker(page, PAGEFIND_WORKER), searchable=False)
    assert "pagefind-worker.js" in archived and "data-pagefind" not in archived


def test_only_materials_config_script_is_pointed_at_the_worker():
    # A hand-written page may show Material's settings as an example: its text stays as written.
    example = ('<pre><code>"search": "assets/javascripts/workers/search.a7633da7.min.js", '
               '"search.result.one": "1 matching document"</code></pre>')
    config = ('<script id="__config" type="application/json">{"search": "assets/javascripts/workers/search.a7633da7.min.js",'
              ' "search.result.one": "1 matching document"}</script>')
    page = use_worker(f"<article>{example}</article>{config}", PAGEFIND_WORKER)
    assert page.startswith(f"<article>{example}</article>")
    assert page.endswith('{"search": "assets/policybook/pagefind-worker.js", "search.result.one": "Matches on 1 page"}</script>')


def test_pagefind_indexes_exactly_the_pages_material_would(pagefind_site, lunr_site):
    material_docs = json.loads((lunr_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    material_pages = {doc["location"].partition("#")[0] for doc in material_docs}
    material_pages = {page or "index.html" for page in material_pages}
    assert indexed_pages(pagefind_site) == material_pages
    assert "policies/social-media.html" in material_pages
    # Material's own index keeps its settings and no entries: nobody downloads it twice.
    assert json.loads((pagefind_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"] == []
    assert (pagefind_site / "pagefind" / "pagefind.js").is_file()
    assert (pagefind_site / "assets/policybook/pagefind-worker.js").is_file()
    assert not list(pagefind_site.glob(".pagefind-input-*")), "the staging folder is removed"
    assert scan_site(pagefind_site) == []


def test_a_failed_index_fails_the_build_and_says_how_to_fix_it(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    monkeypatch.setattr(pagefind_search.sys, "executable", "/bin/false")
    with pytest.raises((PluginError, Abort)) as failure:
        build_site_atomically(use_search(project, "pagefind"), site_dir=tmp_path / "site", today=TODAY)
    assert "Pagefind could not index the site" in str(failure.value) or "Pagefind" in str(failure.value.__context__)
    assert not (tmp_path / "site").exists(), "no half-built site"


@pytest.fixture
def served_pagefind(pagefind_site):
    with serve_folder(pagefind_site) as url:
        yield url


@pytest.mark.browser
def test_search_box_finds_clauses_through_pagefind(browser, served_pagefind):
    run_search_queries(browser, served_pagefind + "index.html", QUERIES)


@pytest.fixture(scope="module")
def hostile_pagefind_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile-pagefind")
    write_hostile_project(project)
    return build_site_atomically(use_search(project, "pagefind"), today="2026-01-01")


@pytest.mark.browser
def test_hostile_text_in_pagefind_results_stays_text(browser, hostile_pagefind_site):
    ran: list[str] = []
    with serve_folder(hostile_pagefind_site) as url:
        page = browser.new_context().new_page()
        page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: MARKER in message.text and ran.append(f"console: {message.text}"))
        page.goto(url + "index.html")
        search(page, "onerror script iframe")
        page.wait_for_timeout(500)
        results = page.locator(".md-search-result__list")
        assert "onerror" in results.inner_text().lower(), "the payload is shown, as text"
        # Material's own markup only: a "more on this page" fold is the one details element it makes.
        planted = results.locator("img, script, iframe, svg, object, style, details:not(.md-search-result__more)")
        assert planted.count() == 0, [planted.nth(i).evaluate("e => e.outerHTML") for i in range(planted.count())]
        assert page.evaluate("() => window.__pbPwned") is None
        page.context.close()
    assert not ran, ran
