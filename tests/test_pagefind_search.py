"""Pagefind behind Material's search box: which pages it indexes, how, and what a reader gets."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from policybook.mkdocs_adapter import pagefind_corpus, pagefind_search
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.mkdocs_adapter.pagefind_search import AUTO_MIN_ENTRIES, SearchEngine, choose_engine, prepare_page
from policybook.mkdocs_adapter.search_workers import PAGEFIND_WORKER, use_worker
from policybook.speed.parallel import fork_map
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



@contextmanager
def worker_functions(browser, site: Path):
    """A page of the site holding the Pagefind worker's functions (its message listener hears nothing)."""
    script = (site / PAGEFIND_WORKER).read_text(encoding="utf-8")
    with serve_folder(site) as url:
        page = browser.new_page()
        try:
            page.goto(url + "index.html")
            page.add_script_tag(content=script.replace('"use strict"', "", 1))
            yield page
        finally:
            page.close()


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


# --- the worker's answers, asked directly (no typing) -------------------------

_ASK_WORKER = """async ([worker, queries]) => {
  const search = new Worker(worker)
  const next = () => new Promise(resolve => { search.onmessage = event => resolve(event.data) })
  const docs = worker.includes("pagefind") ? {} : { docs: (await (await fetch("search/search_index.json")).json()).docs }
  search.postMessage({ type: 0, data: docs })
  await next()
  const answers = []
  for (const query of queries) {
    search.postMessage({ type: 2, data: query })
    answers.push((await next()).data.items)
  }
  search.terminate()
  return answers
}"""


def visible_clauses(items) -> list[str]:
    """The clause results Material shows unfolded: a page's parts scoring at least its head's score.

    Pagefind names the home page "/", Material "index.html": the same page, named here as Pagefind does.
    """
    return [doc["location"].removeprefix("index.html") for item in items for doc in item[1:]
            if doc["score"] >= item[0]["score"]]


def worker_answers(browser, site: Path, worker: str, queries, *, scored=False) -> list:
    """The visible clauses of each answer; ``scored``: every clause listed, with its score."""
    with serve_folder(site) as url:
        page = browser.new_page()
        try:
            page.goto(url + "index.html")
            answers = page.evaluate(_ASK_WORKER, [worker, list(queries)])
            if scored:
                return [{doc["location"]: doc["score"] for item in items for doc in item[1:]} for items in answers]
            return [visible_clauses(items) for items in answers]
        finally:
            page.close()


# Questions whose clauses Pagefind's own excerpts used to rank otherwise: a
# synonym of several words credited for one of them ("LADO", "KCSIE"), an
# untitled clause's first words counted as a title, long parts never
# shortened; and typos, which Pagefind never matches.
SAME_AS_MATERIAL = (
    "alone with a child", "who do I tell about a safeguarding concern", "when do we call the LADO",
    "do I have to read KCSIE", "email sent to the wrong parent", "DSL training how often", "USB stick",
    "volunteer without a DBS", "can I accept a gift from a parent", "safegaurding training", "pasword",
)


@pytest.mark.browser
def test_pagefind_ranks_a_pages_parts_as_materials_index_does(browser, pagefind_site, lunr_site):
    pagefind = worker_answers(browser, pagefind_site, PAGEFIND_WORKER, SAME_AS_MATERIAL)
    material = worker_answers(browser, lunr_site, "assets/policybook/search-worker.js", SAME_AS_MATERIAL)
    for query, ours, theirs in zip(SAME_AS_MATERIAL, pagefind, material):
        assert theirs, query
        assert ours[:3] == theirs[:3], query
    assert any("strong-passwords" in location for location in pagefind[-1][:3]), "a typo alone still finds its word"


@pytest.mark.browser
def test_a_page_is_split_into_the_parts_materials_index_lists(browser, pagefind_site, lunr_site):
    material = json.loads((lunr_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    with worker_functions(browser, pagefind_site) as page:
        # Material's index runs the words of a table's cells together ("approvaladopted"): letters are compared.
        read = "entry => [entry.location, words(plainText(entry.title)).join(''), words(plainText(entry.text)).join('')]"
        ours = page.evaluate(f"""async () => {{
          const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href)
          await pagefind.init()
          const everything = await pagefind.search(null)
          const entries = []
          for (const result of everything.results) entries.push(...fragmentEntries(await result.data()))
          return entries.map({read})
        }}""")
        theirs = page.evaluate(f"docs => docs.map({read})", material)
    theirs = [[location.removeprefix("index.html"), *rest] for location, *rest in theirs]  # see visible_clauses
    assert sorted(ours) == sorted(theirs)
    assert any(location == "policies/social-media.html#no-pupil-contacts" and "friendrequests" in text
               for location, _title, text in ours)


@pytest.mark.browser
def test_of_queries_sent_while_it_searches_only_the_newest_is_answered(browser, pagefind_site):
    # Material sends the box's text at every keystroke: answering each in turn
    # kept the reader's last query waiting behind the half-typed ones.
    typed = ["fr", "fri", "frie", "frien", "friend", "friend r", "friend re", "friend request"]
    with serve_folder(pagefind_site) as url:
        page = browser.new_page()
        try:
            page.goto(url + "index.html")
            answers = page.evaluate("""async ([worker, typed]) => {
              const search = new Worker(worker)
              const replies = []
              let answered = null
              const last = new Promise(resolve => { answered = resolve })
              search.onmessage = event => {
                replies.push(event.data)
                if (event.data.type === 3 && JSON.stringify(event.data.data.items).includes("no-pupil-contacts")) answered()
              }
              search.postMessage({ type: 0, data: {} })
              await new Promise(resolve => { const wait = () => replies.length ? resolve() : setTimeout(wait, 10); wait() })
              search.postMessage({ type: 2, data: "friend request" })  // the index's chunks and pages fetched once
              await last
              replies.length = 0
              for (const query of typed) search.postMessage({ type: 2, data: query })
              await new Promise(resolve => setTimeout(resolve, 3000))
              search.terminate()
              return replies.map(reply => JSON.stringify(reply.data.items))
            }""", [PAGEFIND_WORKER, typed])
        finally:
            page.close()
    # A half-typed query may be answered before the next keystroke reaches the
    # worker (it was the newest then); the ones queued behind the newest are not.
    assert "no-pupil-contacts" in answers[-1], [answer[:80] for answer in answers]
    assert len(answers) < len(typed), [answer[:80] for answer in answers]


@pytest.mark.browser
def test_pages_where_the_question_stands_together_are_ranked_first(browser, pagefind_site):
    # Ten pages are fetched of the hundreds a big handbook's words are on: the
    # ones whose matches stand within a clause's length of each other first.
    script = (pagefind_site / PAGEFIND_WORKER).read_text(encoding="utf-8")
    page = browser.new_page()
    try:
        page.add_script_tag(content=script.replace('"use strict"', "", 1))
        assert page.evaluate("() => closest([[0, 0], [500, 1], [510, 0]], [1, 2])") == 3
        assert page.evaluate("() => closest([[0, 0], [500, 1]], [1, 2])") == 2
        chosen = page.evaluate("""() => {
          const result = (id, score, words) => ({ id, score, words })
          const groups = [{ word: "friend" }, { word: "request" }]
          const searches = [{ g: 0, term: "friend" }, { g: 1, term: "request" }]
          const answers = [
            { results: [result("apart", 9, [10, 20, 30]), result("together", 1, [400]), result("once", 5, [7])] },
            { results: [result("apart", 9, [900]), result("together", 1, [402])] },
          ]
          return choosePages(groups, searches, answers).map(page => page.id)
        }""")
    finally:
        page.close()
    assert chosen == ["together", "apart", "once"]


# --- the whole handbook's word counts (pagefind_corpus) -----------------------

def _write_fragments(bundle: Path, fragments) -> None:
    folder = bundle / "fragment"
    folder.mkdir(parents=True)
    for number, fragment in enumerate(fragments):
        data = b"pagefind_dcd" + json.dumps(fragment).encode()
        (folder / f"en_{number}.pf_fragment").write_bytes(gzip.compress(data))


def test_the_counts_are_of_the_parts_the_worker_ranks(tmp_path):
    # Two pages as Pagefind keeps them: whole text, and where (in words) each heading starts.
    content = ("Trips Policy. Photos of pupils on trips. 1 Consent Parents give consent for photos. "
               "Empty 2 Staff Designated safeguarding lead. The designated safeguarding lead decides.")
    anchors = [{"element": "h1", "id": "trips", "text": "Trips Policy", "location": 0},
               {"element": "h2", "id": "consent", "text": "1 Consent", "location": 7},
               {"element": "h2", "id": "empty", "text": "Empty", "location": 14},  # nothing under it
               {"element": "h2", "id": "staff", "text": "2 Staff", "location": 15}]
    _write_fragments(tmp_path, [
        {"url": "/policies/trips.html", "content": content, "anchors": anchors, "meta": {"title": "Trips Policy"}},
        {"url": "/index.html", "content": "Welcome to the handbook.", "anchors": [], "meta": {"title": "Home"}},
    ])
    pagefind_corpus.write_corpus(tmp_path, {"DSL": ["designated safeguarding lead"]}, ["", "policies/trips.html"])
    pages = json.loads((tmp_path / "policybook" / "pages.json").read_text())
    assert pages == {"order": ["", "policies/trips.html"]}  # as given: Material's order
    shards = {path.stem: json.loads(path.read_text()) for path in (tmp_path / "policybook").glob("?.json")}
    assert set(shards) == set("abcdefghijklmnopqrstuvwxyz0123456789")
    # The two pages' tops, "1 Consent" and "2 Staff" (not "Empty", with no text), of 4, 5, 6 and 3 stems.
    assert {(shard["count"], shard["average"]) for shard in shards.values()} == {(4, 18 / 4)}
    df = {key: count for shard in shards.values() for key, count in shard["df"].items()}
    assert df["photo"] == 2  # "Photos", "photos": stemmed, counted once per part
    assert df["parent"] == df["pupil"] == df["handbook"] == df["welcom"] == 1
    assert df["trip"] == 1 and df["policy"] == 1  # the page's title counts with its top
    assert df["designat safeguard lead"] == 1  # a phrase of the vocabulary, counted whole
    assert "of" not in df and "empty" not in df  # a stop word; a title with nothing under it
    assert all(key.startswith(letter) for letter, shard in shards.items() for key in shard["df"])


def test_the_counts_are_the_same_with_a_share_counted_in_a_child(pagefind_site):
    bundle = pagefind_site / pagefind_search.BUNDLE
    vocabulary = {"DSL": ["designated safeguarding lead"], "sacked": ["dismissal"]}
    files = pagefind_corpus.fragment_files(bundle)
    assert len(files) > 2
    shared = pagefind_corpus.counts(files, vocabulary, map_items=lambda f, items, **_: fork_map(f, items, min_items=2))
    assert shared == pagefind_corpus.counts(pagefind_corpus.read_fragments(bundle), vocabulary)
    assert shared["count"] > len(files) and shared["df"]["designat safeguard lead"] > 0


@pytest.mark.browser
def test_the_counts_split_and_stem_as_the_worker_does(browser, pagefind_site):
    # pagefind_corpus.py writes again the worker's splitting and ranking.js's
    # words and stems: on every page and word of the sample, they must agree.
    fragments = pagefind_corpus.read_fragments(pagefind_site / pagefind_search.BUNDLE)
    texts = [text for fragment in fragments for part in pagefind_corpus.page_parts(fragment) for text in part[1:]]
    vocabulary = ["children", "hugging", "hoping", "using", "disclosure", "harassment", "notes", "care", "bullied",
                  "agreed", "classes", "boxes", "misses", "buses", "parent\u2019s", "Caf\u00e9", "dm'd", "2026s"]
    with worker_functions(browser, pagefind_site) as page:
        theirs = page.evaluate("""async () => {
          const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href)
          await pagefind.init()
          const everything = await pagefind.search(null)
          const parts = []
          for (const result of everything.results) parts.push(...fragmentEntries(await result.data()))
          return parts.map(part => [part.location, plainText(part.title), plainText(part.text)])
        }""")
        their_words = page.evaluate("texts => texts.map(text => words(text).map(word => [word, stem(word)]))",
                                    texts + vocabulary)
    ours = [list(part) for fragment in fragments for part in pagefind_corpus.page_parts(fragment)]
    assert sorted(ours) == sorted(theirs)
    our_words = [[[word, pagefind_corpus.stem(word)] for word in pagefind_corpus.words(text)] for text in texts + vocabulary]
    assert our_words == their_words
    assert sum(map(len, our_words)) > 5000


@pytest.mark.browser
def test_pagefind_weighs_words_by_the_whole_handbook(browser, pagefind_site):
    # The pages a question fetches are ranked with the whole handbook's counts:
    # each part scores exactly as in an index of every part of the handbook.
    queries = [*SAME_AS_MATERIAL, "friend request", "photos of pupils", "lock my screen", "governors"]
    answers = worker_answers(browser, pagefind_site, PAGEFIND_WORKER, queries, scored=True)
    with worker_functions(browser, pagefind_site) as page:
        whole = page.evaluate("""async queries => {
          const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href)
          await pagefind.init()
          const everything = await pagefind.search(null)
          const docs = []
          for (const result of everything.results) docs.push(...fragmentEntries(await result.data()))
          const rank = localIndex(docs)  // nothing fetched here: its own counts, over every part
          return queries.map(query => rank(query))
        }""", queries)
    for query, ours, items in zip(queries, answers, whole):
        theirs = {doc["location"]: doc["score"] for item in items for doc in item[1:]}
        assert ours, query
        assert {location: theirs.get(location) for location in ours} == ours, query


def test_the_pages_are_listed_in_the_order_of_materials_index(pagefind_site, lunr_site):
    # Parts that score alike come in the index's order: the worker puts its pages in Material's.
    order = json.loads((pagefind_site / pagefind_search.BUNDLE / "policybook" / "pages.json").read_text())["order"]
    docs = json.loads((lunr_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    material = list(dict.fromkeys(doc["location"].partition("#")[0].removesuffix("index.html") for doc in docs))
    assert order == material and len(order) > 5


@pytest.mark.browser
def test_without_the_counts_the_worker_ranks_by_the_fetched_pages(browser, pagefind_site, tmp_path):
    # An index written without them (or a failed fetch): the pages' own counts stand in.
    site = tmp_path / "site"
    shutil.copytree(pagefind_site, site)
    shutil.rmtree(site / pagefind_search.BUNDLE / "policybook")
    [answer] = worker_answers(browser, site, PAGEFIND_WORKER, ["friend request"])
    assert "policies/social-media.html#no-pupil-contacts" in answer[:3], answer
