"""``policybook serve`` after a save: render again only the pages whose inputs changed.

MkDocs' serve rebuilds every page after any save (76 s at 500 policies).
Policybook keeps, from the last complete build, MkDocs' own objects (the
configuration, files, navigation, theme environment) and the generated page
each file was made from. After a save :func:`rebuild_changed`:

1. loads the handbook and makes its pages again (``PageMemo`` reuses the
   pages of every policy and checklist whose inputs are unchanged);
2. compares the *frame*, what every page depends on (the page list, the
   navigation and the titles it shows, assets, search engine, site name,
   build date): if it changed, every page would change, so a full build runs;
3. otherwise re-renders, through MkDocs' own page reader and builder and so
   through every plugin's page events, only the pages that differ from the
   ones the folder holds, rewrites the search index from each page's
   entries, and runs ``on_post_build`` as a full build does; a Pagefind
   index is made again after the browser has reloaded, in the background
   (``pagefind_search.Reindex``: 4 s of CPU at 500 policies), or before it
   reloads where MkDocs' server epochs changed (``internals``).

Whatever it cannot vouch for gets a full build: a change to ``mkdocs.yml``
or ``docs/`` (anything serve watches outside the policies folder), a plugin
it does not know (its ``on_post_build`` may expect every page), an MkDocs
whose internals changed, any warning (a full build reports it, and strict
mode stops there), any failure. The property test ``tests/test_serve_
incremental.py`` compares the folder with a clean build after random edits.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.utils import get_build_date

from ..speed.parallel import fork_map
from .background_pages import MessageCounter
from .config import search_plugin
from .contents import listed_headings
from .html_blocks import stash_html_blocks
from .page import GeneratedPage
from .pagefind_search import SearchEngine

log = logging.getLogger("policybook")

KNOWN_PLUGINS = frozenset({"policybook", "search", "material/search", "material/offline"})
"""Plugins whose events give the same site when only some pages are built again.

Material's search collects each page's entries (kept per page here); its
offline plugin rewrites the index file it copies from. Any other plugin may
gather something from every page, so a site using one gets full builds."""


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild after a save did."""

    done: bool
    """True: the folder is what a clean build gives. False: a full build must run."""
    reason: str = ""
    """Why a full build is needed."""
    rendered: tuple[str, ...] = ()
    """The pages rendered again."""
    total: int = 0
    seconds: float = 0.0


def rebuild_changed(plugin, meta_and_content) -> Rebuilt:
    """Render again only what a save changed, starting from the build the serve session kept.

    Args:
        plugin: the ``PolicybookPlugin`` that made the last complete build.
        meta_and_content: (generated page, its HTML-block stash) -> (front
            matter, the file's text), as the plugin makes files.

    Raises:
        HandbookProblems: the handbook does not load; nothing was touched.
    """
    start = time.perf_counter()
    plugin.stop_reindexing()  # before anything writes the pages Pagefind reads
    stale_index = plugin.session.index_behind
    build = plugin.session.built
    if build is None:
        return Rebuilt(False, "the last build did not complete")
    config = build.config
    internals = build.internals
    if internals.populate_page is None or internals.build_page is None or not internals.generated_pages:
        return Rebuilt(False, "this MkDocs builds pages differently")
    unknown = sorted(set(config.plugins) - KNOWN_PLUGINS)
    if unknown:
        return Rebuilt(False, f"the {unknown[0]} plugin may read every page")
    if ((not internals.search_entries or search_entries(config) is None)
            and search_plugin(config) is not None):
        return Rebuilt(False, "this search plugin's index cannot be updated page by page")
    if watched_files(config, build.policies_dir) != build.watched:
        return Rebuilt(False, "mkdocs.yml or a file outside the policies folder changed")
    site = plugin._build_site(plugin._load(build.policies_dir), config, fork_map)
    engine = plugin._search_engine(site, config, internals)
    if engine is not build.engine or frame(site, config, engine) != build.frame:
        return Rebuilt(False, "the page list, the navigation or the site's settings changed")
    changed = [page for page in site.pages if not _same(build.sources.get(page.path), page)]
    try:
        with _counting_warnings() as counter:
            _render(changed, build, config, meta_and_content, stale_index)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, a full build reports it as MkDocs does
        return Rebuilt(False, f"the rebuild failed ({type(error).__name__}: {error})")
    if counter.messages:
        return Rebuilt(False, "MkDocs warned: a full build reports it")
    build.sources.update((page.path, page) for page in changed)
    seconds = time.perf_counter() - start
    log.info(f"Policybook rebuilt {len(changed)} of {len(site.pages)} pages in {seconds:.2f} seconds")
    return Rebuilt(True, rendered=tuple(page.path for page in changed), total=len(site.pages), seconds=seconds)


def _same(old, new) -> bool:
    # Reused pages are the very objects of the last build; the others compare by value.
    return old is new or old == new


def _render(changed, build, config, meta_and_content, stale_index: bool) -> None:
    """Read, render and write ``changed`` as MkDocs' build does, then finish the site as it does."""
    files = build.files
    listed = {id(file) for file in build.doc_files}
    token = "pbhtml" + secrets.token_hex(8)
    pages = []
    for page in changed:
        file = files.get_file_from_path(page.path)
        if not isinstance(file.page, GeneratedPage):
            raise TypeError(f"{page.path} is not a generated page")
        stash = stash_html_blocks(page.body, token)
        meta, content = meta_and_content(page, stash)
        file.content_string = content
        file.page.front_matter, file.page.stash = meta, stash
        # The page's contents get its titled clauses as MkDocs renders it (the plugin's on_page_content).
        headings = listed_headings(page.body)
        if headings is None:
            build.contents.pop(file.src_uri, None)
        else:
            build.contents[file.src_uri] = headings
        if id(file) in listed:  # MkDocs reads and writes only these
            pages.append(file.page)
    for page in pages:
        build.internals.populate_page(page, config, files, False)
    for page in pages:
        build.internals.build_page(page, config, build.doc_files, build.nav, build.env, False,
                                   page.file.inclusion.is_excluded())
    for file in build.doc_files:
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    entries = search_entries(config)
    if entries is not None:  # each page's entries, in page order, as a full build adds them
        entries[:] = [entry for file in build.doc_files for entry in build.search_entries.get(file.src_uri, ())]
    # Pagefind indexes the searchable pages' files: again only when one of them changed (or when
    # the index of an earlier save was stopped unfinished), and after the browser shows the change.
    build.reindex = build.engine is SearchEngine.PAGEFIND and (stale_index or any(page.searchable for page in changed))
    build.reindex_later = True
    try:
        config.plugins.on_post_build(config=config)
    finally:
        build.reindex, build.reindex_later = True, False


def search_entries(config) -> list | None:
    """The entry list of Material's search index in this build, or ``None`` without Material's search.

    Material's private ``SearchPlugin.search_index.entries`` (``internals.check_internals`` checks it under serve).
    """
    search = search_plugin(config)
    index = getattr(search, "search_index", None)
    entries = getattr(index, "entries", None)
    return entries if isinstance(entries, list) and type(search).__module__.startswith("material.") else None


def frame(site, config, engine: SearchEngine) -> tuple:
    """What every page of the site depends on, besides its own source.

    Material writes the navigation, with the titles of the pages it lists,
    into every page; MkDocs writes the page list into ``sitemap.xml``, with
    the build date; the assets, search words and engine go into every page's
    configuration or beside it.
    """
    listed = set(_nav_paths(site.nav))
    return (
        tuple((page.path, page.in_nav, page.searchable, page.answers_in_parts) for page in site.pages),
        tuple(page.title for page in site.pages if page.path in listed),
        site.nav, site.assets, site.vocabulary, engine, config.site_name, get_build_date(),
    )


def _nav_paths(nav):
    """Every page path the navigation (``Site.nav``: lists of ``{title: path or list}``) links to."""
    for entry in nav if isinstance(nav, list) else [nav]:
        for target in entry.values() if isinstance(entry, dict) else [entry]:
            if isinstance(target, (list, dict)):
                yield from _nav_paths(target)
            else:
                yield target


def watched_files(config, policies_dir: Path) -> dict[str, tuple[int, int]]:
    """Path -> (modification time, size) of every file serve watches outside the policies folder.

    ``mkdocs.yml``, ``docs/`` (hand-written pages, images), the theme's
    ``custom_dir`` and the ``watch`` list: a change to any of them may
    change every page.
    """
    roots = [config.config_file_path, config.docs_dir, getattr(config.theme, "custom_dir", None), *config.watch]
    skipped = str(Path(policies_dir).resolve())
    stamps: dict[str, tuple[int, int]] = {}
    for root in filter(None, roots):
        for folder, subfolders, names in os.walk(root) if os.path.isdir(root) else [("", [], [root])]:
            subfolders[:] = [name for name in subfolders if os.path.realpath(os.path.join(folder, name)) != skipped]
            for name in names:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                stamps[os.path.abspath(path)] = (stat.st_mtime_ns, stat.st_size)
    return stamps


@contextmanager
def _counting_warnings():
    """Count MkDocs' warnings and errors meanwhile (strict mode counts the same ones)."""
    counter = MessageCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
