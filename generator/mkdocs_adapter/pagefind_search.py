"""Search for big handbooks: a Pagefind index behind Material's search box.

Material's search builds a Lunr index in the reader's browser from
``search_index.json`` before it can answer anything: at 500 policies that is
26,000 clause entries and eight seconds. Pagefind indexes the built pages
once, at build time, into small chunks, and a query fetches only the chunks
it needs.

Material lets a site bring its own search worker, so the reader sees the
same search box and result list either way: the pages' ``__config`` points
at ``assets/policybook/pagefind-worker.js`` (``search_workers``), which
answers Material's messages from Pagefind. Pages that Material would index get
``data-pagefind-body``; everything else (old versions, comparisons,
checklists, the navigation) stays out, as it does with Lunr.

Pagefind fetches its index over HTTP, so offline builds (opened from
``file://``) always keep Material's own search. So do builds with a
Material whose article markup (:data:`ARTICLE`) or ``data-search-exclude``
changed (``internals.check_internals`` looks for both in Material's files):
Pagefind would index every page whole.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from enum import Enum
from pathlib import Path
from typing import Iterable

from mkdocs.exceptions import PluginError

from ..mapping import MapItems, serial_map
from ..render import UNSEARCHED
from .pagefind_corpus import write_corpus

BUNDLE = "pagefind"
"""The folder under the site where Pagefind writes its index and script."""
AUTO_MIN_ENTRIES = 1500
"""Search entries from which ``auto`` picks Pagefind.

Measured in Chromium on this project's benchmarks, Material's first answer
takes 0.65 s at 300 entries and 2.2 s at 5,000, so past about 1,500 it
would keep readers waiting more than a second.
"""
IGNORED = (".headerlink",)
"""Inside indexed pages, left out of the index: the heading permalinks' ¶."""

# Clause headings carry their section and policy titles, hidden on screen,
# so a result reads "4.2 Personal use · Social Media Policy". Pagefind
# weighs heading words highly: at full weight a section's title would
# outrank the clause whose text matches.
_CLAUSE_LABEL = '<span class="pb-clause-of">'
_CLAUSE_LABEL_WEIGHT = "0.1"
# The mark for blocks search leaves out (Material's, render.UNSEARCHED): Pagefind's is its own.
_EXCLUDED = re.compile(rf"(<[a-z0-9]+\b[^<>]*?) {UNSEARCHED}\b")
ARTICLE = '<article class="md-content__inner md-typeset">'


class SearchEngine(str, Enum):
    AUTO = "auto"
    MATERIAL = "material"
    PAGEFIND = "pagefind"


def choose_engine(setting: str, *, entries: int, offline: bool) -> SearchEngine:
    """The engine a build uses: ``setting`` unless offline, with ``auto`` decided by size."""
    if offline:
        return SearchEngine.MATERIAL
    engine = SearchEngine(setting)
    if engine is SearchEngine.AUTO:
        return SearchEngine.PAGEFIND if entries >= AUTO_MIN_ENTRIES else SearchEngine.MATERIAL
    return engine


def prepare_page(output: str, *, searchable: bool) -> str:
    """Mark the page's content for indexing if searchable, leaving out what Material's index leaves out."""
    if searchable:
        output = output.replace(ARTICLE, ARTICLE[:-1] + " data-pagefind-body>", 1)
        output = output.replace(_CLAUSE_LABEL, f'{_CLAUSE_LABEL[:-1]} data-pagefind-weight="{_CLAUSE_LABEL_WEIGHT}">')
        output = _EXCLUDED.sub(rf"\1 {UNSEARCHED} data-pagefind-ignore", output)
    return output


def index_pages(site_dir: str, pages: Iterable[str], *, vocabulary: dict[str, list[str]], timeout: float = 900,
                map_items: MapItems = serial_map) -> None:
    """Index ``pages`` (paths of written pages) into ``site_dir/pagefind``, with the handbook's word counts.

    ``map_items`` counts the words (``speed.parallel.fork_map``: half on a second core).

    Pagefind parses every HTML file it is given, and nine pages in ten of a
    big handbook are never indexed: it gets a folder of hard links to the
    searchable pages only (4 s instead of 23 s at 500 policies). A failure
    stops the build with Pagefind's own message.
    """
    site = Path(site_dir)
    pages = list(pages)
    staging = _stage(site, pages)
    try:
        process = _start(staging, site / BUNDLE)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            process.kill()
            process.communicate()
            raise PluginError(f"Pagefind took more than {timeout:.0f} s to index the site") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _check(process.returncode, out, err)
    _count_words(site / BUNDLE, vocabulary, _urls(site, pages), map_items)


class Reindex:
    """Pagefind indexing the pages again in a thread, while the preview already shows the saved change.

    At 500 policies indexing takes 4 s of CPU, twice the 2 s a save may take
    to show (issue 21), and Pagefind cannot update an index in place. So a
    rebuild after a save starts this and returns: the browser reloads with
    the new pages and the old index, and when Pagefind is done its folder
    replaces ``site_dir/pagefind`` (two renames: a search meanwhile reads
    one whole index or the other) and ``done`` runs (it reloads the browser
    again). ``cancel`` stops it before anything writes the pages it reads.
    """

    def __init__(self, site_dir: str, pages: Iterable[str], done, *, vocabulary: dict[str, list[str]]) -> None:
        self._site = Path(site_dir)
        pages = list(pages)
        self._words = vocabulary, _urls(self._site, pages)
        self._staging = _stage(self._site, pages)  # links taken now: the pages as this rebuild wrote them
        self._output = Path(tempfile.mkdtemp(prefix=".pagefind-next-", dir=self._site))
        try:
            self._process = _start(self._staging, self._output)
        except PluginError:
            shutil.rmtree(self._output, ignore_errors=True)
            raise
        self._done = done
        self._cancelled = False
        self.error: PluginError | None = None
        self.finished = False
        """True once the new index is in place: the folder is then what a clean build gives."""
        self._thread = threading.Thread(target=self._run, name="policybook-pagefind", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        out, err = self._process.communicate()
        try:
            if self._cancelled:
                return
            try:
                _check(self._process.returncode, out, err)
                _count_words(self._output, *self._words)
            except PluginError as error:
                self.error = error  # the old index stays; ``done`` reports it
            else:
                old = self._site / f".pagefind-old-{secrets.token_hex(4)}"
                bundle = self._site / BUNDLE
                if bundle.exists():
                    os.rename(bundle, old)
                os.rename(self._output, bundle)
                shutil.rmtree(old, ignore_errors=True)
                self.finished = True
        finally:
            shutil.rmtree(self._staging, ignore_errors=True)
            shutil.rmtree(self._output, ignore_errors=True)
        self._done(self)

    def wait(self) -> None:
        self._thread.join()

    def cancel(self) -> bool:
        """Stop indexing; True when the new index was already in place."""
        self._cancelled = True
        if self._process.poll() is None:
            self._process.kill()
        self._thread.join()
        return self.finished


def _stage(site: Path, pages: Iterable[str]) -> Path:
    """A folder, under ``site``, of hard links to ``pages`` (copies where links fail)."""
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-input-", dir=site))
    for page in pages:
        target = staging / Path(page).relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(page, target)
    return staging


def _start(staging: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-path", str(output), "--silent"]
    for selector in IGNORED:
        command += ["--exclude-selectors", selector]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise PluginError(f"Pagefind could not start: {error}.{_HOW_TO_FIX}") from error


def _urls(site: Path, pages: list[str]) -> list[str]:
    """The pages' URLs as Pagefind's worker reads them (from the site's root, without index.html)."""
    urls = []
    for page in pages:
        url = Path(page).relative_to(site).as_posix()
        urls.append(url[:-len("index.html")] if url == "index.html" or url.endswith("/index.html") else url)
    return urls


def _count_words(bundle: Path, vocabulary: dict[str, list[str]], order: list[str],
                 map_items: MapItems = serial_map) -> None:
    """Write beside the index how many parts of the handbook hold each word (``pagefind_corpus``).

    ``order``: the pages' URLs in the order Material's index would list them.
    """
    try:
        write_corpus(bundle, vocabulary, order, map_items=map_items)
    except (OSError, ValueError) as error:  # an index this Pagefind wrote in a form it no longer reads back
        raise PluginError(f"Policybook could not read back Pagefind's index in {bundle}: {error}") from error


def _check(returncode: int, out: str, err: str) -> None:
    if returncode != 0:
        detail = (err or out).strip() or f"exit code {returncode}"
        raise PluginError(f"Pagefind could not index the site:\n{detail}{_HOW_TO_FIX}")


_HOW_TO_FIX = ("\nInstall it with `pip install 'pagefind[bin]'`, or give the policybook plugin"
               " `search: material` in mkdocs.yml.")
