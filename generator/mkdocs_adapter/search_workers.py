"""Policybook's search workers: Material's search box, ranked by ``assets/search/ranking.js``.

Material lets a site bring its own search worker (the page's ``__config``
names it). Policybook brings one for each engine: ``index-worker.js`` over
Material's own ``search_index.json`` and ``pagefind-worker.js`` over a
Pagefind index (``pagefind_search``). Both rank with ``ranking.js``, which
the build prefixes with the handbook's vocabulary (stop words and
synonyms, from ``policybook.vocabulary``) as one script: a worker opened
from ``file://`` (Material's offline plugin) cannot fetch a second file.

The worker's path and the result wording are found in Material's
``__config`` script by the markers below; ``internals.check_internals``
looks for them in Material's templates at the start of every build, and
without them the build keeps Material's own worker (and wording). Both
workers answer in the messages Material's page script sends its worker
(:data:`WORKER_PROTOCOL`), which Material documents nowhere: the same check
looks for each in Material's script, and without one of them the build
keeps Material's own worker too.
"""

from __future__ import annotations

import json
import re

from ..vocabulary import light_words, stop_words
from . import asset_text

INDEX_WORKER = "assets/policybook/search-worker.js"
PAGEFIND_WORKER = "assets/policybook/pagefind-worker.js"
MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
CONFIG_SCRIPT = '<script id="__config"'
MATERIAL_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
"""Material's page script, as ``base.html`` names it: the side of the protocol Policybook's workers answer."""

# What the workers (assets/search/*.js) rely on of that script, as it reads
# minified: its four message types, and the fields of the results it renders.
# Each starts with a literal, so that the search of 110 kB is quick.
WORKER_PROTOCOL = tuple(re.compile(pattern) for pattern in (
    r"\{type:0,data:\{config:\w+,docs:\w+",  # SETUP, sent with search_index.json's settings and entries
    r"\{return \w+\.type===1\}",  # READY, awaited before the first query
    r"\(\{value:(\w+)\}\)=>\w+\.next\(\{type:2,data:\1\}\)",  # QUERY, sent with the search box's text
    r"\{return \w+\.type===3\}",  # RESULT
    r"\(\{data:(\w+)\}\)=>\1\)",  # its data: {items}
    r"\(\{items:\w+\}\)=>",
    r"new URL\(\w+\.location,",  # an item is a page's entries: location, score, terms, title and text
    r"\[0\]\.score,",
    r"Object\.entries\(\w+\.terms\)",
    r'"h1",null,\w+\.title\)',
    r"\.text\.length>0&&\w+\.text",
))

# Material's result count says "documents" and counts pages; the list shows clauses, headed by their policy.
RESULT_WORDING = {
    '"search.result.one": "1 matching document"': '"search.result.one": "Matches on 1 page"',
    '"search.result.other": "# matching documents"': '"search.result.other": "Matches on # pages"',
    '"search.result.none": "No matching documents"': '"search.result.none": "No matches"',
}


def worker_script(worker: str, vocabulary: dict[str, list[str]]) -> str:
    """The script of ``worker`` (``index-worker.js`` or ``pagefind-worker.js``) with the ranking and vocabulary.

    The Pagefind worker ranks the parts of the pages Pagefind finds with
    ``index-worker.js`` itself, so that both engines rank alike: it gets that
    script as a function, ``indexWorker(addEventListener, postMessage)``,
    whose messages it sends and receives in memory.
    """
    data = json.dumps({"stop": stop_words(), "light": light_words(), "synonyms": synonym_rows(vocabulary)},
                      ensure_ascii=True, sort_keys=True)
    scripts = ['"use strict"', f"const VOCABULARY = {data}", asset_text("search/ranking.js")]
    if worker == "pagefind-worker.js":
        scripts.append(f"function indexWorker(addEventListener, postMessage) {{\n{asset_text('search/index-worker.js')}\n}}")
    return "\n".join([*scripts, asset_text(f"search/{worker}")])


def synonym_rows(vocabulary: dict[str, list[str]]) -> list[list[list[str]]]:
    """The vocabulary as ``[[words typed...], [terms...]]`` rows, the words that find the same terms together.

    Most words typed share their terms with others of their row ("sacked",
    "fired", "dismissed"): listed once per row, the worker carries half the bytes.
    """
    rows: dict[tuple[str, ...], list[str]] = {}
    for word, terms in vocabulary.items():
        rows.setdefault(tuple(terms), []).append(word)
    return [[words, list(terms)] for terms, words in rows.items()]


def use_worker(output: str, worker: str, *, wording: bool = True) -> str:
    """Point the page's search box at ``worker`` (a site path) and, with ``wording``, word its result count
    for what it lists.

    Both live in Material's ``__config`` script at the end of the page: only
    that is searched and edited (four passes over the whole page were
    0.2 ms of every page), and a page's own text is never touched.
    """
    page, script, config = output.rpartition(CONFIG_SCRIPT)
    if not script:  # a theme without it: the whole page, as before
        page, config = "", output
    config = MATERIAL_WORKER.sub(worker, config, count=1)
    if wording:
        for material, ours in RESULT_WORDING.items():
            config = config.replace(material, ours, 1)
    return page + script + config
