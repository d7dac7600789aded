"""The MkDocs plugin: load the handbook and add its pages in memory.

Handlers stay thin: ``on_config`` loads the handbook and builds the site
(:class:`_Build` holds everything one build knows, :class:`_ServeSession`
what ``policybook serve`` keeps from one build to the next), ``on_files`` adds the
pages with ``File.generated`` (nothing is written into ``docs/``), each with
a ``GeneratedPage`` that renders it without Markdown where that is exact
(``page``), and ``on_serve`` watches the policies folder so every YAML save
rebuilds.

The ``edition`` option filters the handbook before any page is built (see
``policybook.edition``). When Material's offline plugin is on, ``on_files``
swaps its CDN polyfill for a vendored copy, so the site needs no network.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .. import urls
from ..clock import DateError, build_date
from ..edition import select_edition
from ..errors import format_problems
from ..load import ParseCache, load_handbook
from ..model import Handbook
from ..outputs.export import front_matter, html_nav, html_text, page_meta
from ..pages import STYLESHEET, PageMemo, Site, SiteOptions, SitePage, build_site
from ..render import Heading, Renderer
from ..speed.collector import FrozenHeap, collector_paused
from ..speed.compiled_templates import cache_setting, template_cache
from ..speed.parallel import fork_map
from . import asset_text, incremental, material_search, nav_memo, pagefind_search, search_workers
from .background_pages import BackgroundPages, Releaser
from .config import PolicybookConfig, offline_plugin, search_plugin
from .contents import listed_headings, with_listed_headings
from .html_blocks import stash_html_blocks
from .internals import EngineInternals, check_internals, search_index
from .internals import log as internals_log
from .memory import return_freed_memory
from .page import GeneratedPage, StashRead
from .palette import add_dark_scheme
from .pagefind_search import SearchEngine
from .file_watch import watch_natively
from .serve import keep_serving, reload_browsers
from .skeleton_html import heading_style

# Material's offline plugin asks for this shim from a CDN; a shared drive in
# a school may have no internet, so the plugin serves a vendored copy.
# Both markers are Material's, checked in its files at startup (``internals``).
IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER_SHIM = "assets/policybook/iframe-worker-shim.js"
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'

# Material shows a page's search results only while they score as well as
# its best one, and the page top (title, summary, policy keywords) usually
# wins: the clause that answers the question would hide under "1 more on
# this page". Boosting the clauses and sections lets them outrank their top.
CLAUSE_SEARCH_BOOST = 10.0

log = get_plugin_logger(__name__)


@dataclass
class _Build:
    """What one build knows: made afresh in each ``on_config``; under serve, the rebuilds after a save
    (``incremental``) bring the one the site folder holds up to date."""

    site: Site | None
    """The generated pages, until ``on_files`` has handed them to MkDocs."""
    engine: SearchEngine
    worker: str | None
    """Policybook's search worker (a site path), or None where Material's search box is not used."""
    policies_dir: Path
    internals: EngineInternals
    """Which speed devices this MkDocs and Python-Markdown allow."""
    boosts: dict[str, float] = field(default_factory=dict)
    """Page URL -> search boost for its clauses and sections (see ``SitePage.answers_in_parts``)."""
    contents: dict[str, tuple[Heading, ...]] = field(default_factory=dict)
    """Source path -> the headings of a page where some are listed in its contents whatever their depth."""
    generated: list[File] = field(default_factory=list)
    """Every page the plugin made (each with a ``GeneratedPage``)."""
    unsearched: list[File] = field(default_factory=list)
    """Generated pages out of the search index: the ones a child process may build."""
    indexed: dict[str, str] = field(default_factory=dict)
    """Under Pagefind: source path -> written file of the pages Material would have indexed."""
    nav: object = None
    background: BackgroundPages | None = None
    # What ``policybook serve`` keeps to render only changed pages after a save (see ``incremental``).
    config: object = None
    files: Files | None = None
    env: object = None
    doc_files: list = field(default_factory=list)
    """The page list MkDocs handed every page's context."""
    sources: dict[str, SitePage] = field(default_factory=dict)
    """Path -> the generated page each file was made from."""
    frame: tuple = ()
    """What every page depends on (``incremental.frame``)."""
    watched: dict = field(default_factory=dict)
    """The files outside the policies folder that serve watches, as they were when the build started."""
    search_entries: dict[str, list] = field(default_factory=dict)
    """Source path -> the entries Material's search index got from that page."""
    entries_before: int = 0
    reindex: bool = True
    """Whether Pagefind must index the pages again (a rebuild that changed no searchable page: no)."""
    token: str = ""
    """The prefix of the placeholders of stashed HTML blocks: never in a page."""
    stashes: dict[str, tuple] = field(default_factory=dict)
    """Source path -> (body, its stash, the blocks' ids), made where the page was rendered (see ``_stashing``)."""
    reindex_later: bool = False
    """A rebuild after a save: Pagefind indexes into a new folder (``pagefind_search.Reindex``), in the background
    where the browsers can be reloaded when it is done (``EngineInternals.reload_browsers``)."""
    vocabulary: dict = field(default_factory=dict)
    """The search synonyms (``Site.vocabulary``): under Pagefind, their phrases are counted beside its index."""
    releaser: Releaser | None = None
    """Drops each page's HTML once it is written (a one-off build that no other plugin reads pages after), else None."""
    frozen: FrozenHeap | None = None
    """A one-off build's long-lived objects, out of the collector's passes until the build ends (speed/collector.py)."""


@dataclass
class _ServeSession:
    """What ``policybook serve`` keeps from one build to the next; made in ``on_startup``."""

    memo: PageMemo = field(default_factory=PageMemo)
    """The pages of the last build, reused where their inputs are unchanged."""
    built: _Build | None = None
    """The build the site folder holds, complete: what a rebuild after a save starts from."""
    last_rebuild: incremental.Rebuilt | None = None
    """What the last rebuild after a save did (for tests and benchmarks)."""
    status: object = None
    """What the preview shows of the last rebuild (``serve.ServeStatus``), once serving."""
    reindexing: pagefind_search.Reindex | None = None
    """Pagefind indexing the pages of the last rebuild after a save, in the background."""
    index_behind: bool = False
    """The search index in the folder is not yet the pages' (a background index is unfinished or failed)."""
    reload_browsers: object = lambda: None
    """Tells the browsers to reload (set by ``on_serve``): when the new search index is in place."""

    def full_build_started(self) -> None:
        self.index_behind = False  # a full build indexes every page
        self.built = None  # and replaces the site folder: what was kept of it no longer holds


class PolicybookPlugin(BasePlugin[PolicybookConfig]):
    def __init__(self) -> None:
        self.cache = ParseCache(map_items=fork_map)
        """Parsed files, reused while unchanged: across serve rebuilds, or from ``policybook build``'s validation."""
        self.renderer: Renderer | None = None
        """Compiled templates and converted clause texts, reused across serve rebuilds."""
        self.compiled_templates = None
        """Policybook's and the theme's templates compiled by an earlier run, on disk (None: compile each time)."""
        self.session: _ServeSession | None = None
        """Set by on_startup under ``mkdocs serve``: what a serve keeps from one build to the next."""
        self.build: _Build | None = None
        """The build under way (or the last one), made in ``on_config``."""

    # Defining on_startup makes MkDocs keep this instance for the whole of
    # `mkdocs serve` instead of making a new one per rebuild, so the cache
    # above survives rebuilds without any module-level state.
    def on_startup(self, *, command, dirty) -> None:
        self.session = _ServeSession() if command == "serve" else None

    @property
    def serving(self) -> bool:
        return self.session is not None

    def on_config(self, config):
        self.stop_reindexing()  # before MkDocs cleans the folder it reads and writes
        # Looked up at each build (MkDocs keeps this instance for the whole
        # process), and made again only when the setting changed.
        if self.compiled_templates is None or self.compiled_templates.setting != cache_setting():
            self.compiled_templates = template_cache()
        if self.build is not None:  # a build run without MkDocs' on_shutdown (mkdocs.commands.build.build)
            _release_frozen(self.build)
        self.build = None  # until this build's is made: an error now must not act on the last one
        if self.session is not None:
            self.session.full_build_started()
        # Serve rebuilds for hours and drops each build's model: it collects as usual.
        frozen = FrozenHeap() if self.session is None else None
        with ExitStack() as if_this_fails:
            if frozen is not None:
                if_this_fails.callback(frozen.release)
            policies_dir = Path(config.config_file_path or ".").resolve().parent / self.config.policies_dir
            watched = incremental.watched_files(config, policies_dir) if self.serving else {}
            handbook = self._load(policies_dir, frozen)
            internals = check_internals(serving=self.serving, offline=_offline_on(config), theme=config.theme)
            token = "pbhtml" + secrets.token_hex(8)  # never in a page; it is replaced before anything reads the HTML
            stashes: dict = {}
            site = self._build_site(handbook, config, _stashing(fork_map, token, stashes) if internals.generated_pages
                                    else fork_map)
            engine = self._search_engine(site, config, internals)
            if_this_fails.pop_all()
        worker = None
        if _material_search(config) and internals.search_worker:
            worker = search_workers.PAGEFIND_WORKER if engine is SearchEngine.PAGEFIND else search_workers.INDEX_WORKER
        self.build = _Build(site, engine, worker, policies_dir, internals, token=token, stashes=stashes,
                            config=config, watched=watched, vocabulary=site.vocabulary, frozen=frozen)
        # Generated pages use attribute lists for their stable anchors.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        config.extra_css.append(STYLESHEET)
        add_dark_scheme(config)
        if not config.nav:
            config.nav = html_nav(site.nav) + _hand_written_nav(config)
        return config

    def _load(self, policies_dir: Path, frozen: FrozenHeap | None = None) -> Handbook:
        with collector_paused():
            result = load_handbook(policies_dir, cache=self.cache)
            if frozen is not None:
                frozen.keep()  # the model lives to the end of the build
        if not self.serving:
            # A one-off build: free every parsed file, its source map and the model
            # (``policybook build`` still holds the cache its validation filled).
            self.cache.clear()
        if not result.ok:
            raise HandbookProblems(result.problems)
        return result.handbook

    def _build_site(self, handbook: Handbook, config, map_items) -> Site:
        try:
            today = build_date(self.config.today)  # a string when set by build_site_atomically
        except DateError as error:
            raise PluginError(str(error)) from None
        options = SiteOptions(
            today=today,
            directory_urls=config.use_directory_urls,
            preview_drafts=self.config.preview_drafts,
            edition=self.config.edition,
            mark_changes_days=self.config.mark_changes_days,
        )
        # mkdocs.yml names the staff handbook; parents should not read "staff" in every header.
        if options.edition == "public":
            config.site_name = html_text(self.config.public_site_name or f"{handbook.organisation.name} policies")
        return build_site(select_edition(handbook, options.edition), options,
                          self._renderer(options.directory_urls), map_items=map_items,
                          memo=self.session.memo if self.session is not None else None)

    def _search_engine(self, site: Site, config, internals: EngineInternals) -> SearchEngine:
        # The Pagefind worker speaks Material's search protocol: other themes keep their own search,
        # and so does a Material whose markup the worker and the index rely on changed.
        if not (_material_search(config) and internals.search_worker and internals.pagefind_markup):
            return SearchEngine.MATERIAL
        # Roughly one search entry per heading of a searchable page.
        entries = sum(1 + page.markdown.count("\n#") for page in site.pages if page.searchable)
        engine = pagefind_search.choose_engine(self.config.search, entries=entries, offline=_offline_on(config))
        if engine is SearchEngine.PAGEFIND:
            log.info(f"Search uses a Pagefind index ({entries} search entries; see the plugin's `search` option)")
        return engine

    def _renderer(self, directory_urls: bool) -> Renderer:
        if (self.renderer is None or self.renderer.directory_urls != directory_urls
                or self.renderer.env.bytecode_cache is not self.compiled_templates):
            self.renderer = Renderer(directory_urls=directory_urls, bytecode_cache=self.compiled_templates)
        return self.renderer

    def on_files(self, files: Files, *, config) -> Files:
        if not self.serving:
            self.renderer = None  # a one-off build renders no clause text again
        self._add_pages(files, config)
        for path, content in self.build.site.assets.items():
            files.append(File.generated(config, path, content=content))
        build = self.build
        if build.worker is not None:
            worker = "pagefind-worker.js" if build.engine is SearchEngine.PAGEFIND else "index-worker.js"
            files.append(File.generated(config, build.worker,
                                        content=search_workers.worker_script(worker, build.site.vocabulary)))
        # Runs after every on_config, so Material's offline plugin has added its polyfill.
        if build.internals.offline_polyfill and _localise_iframe_worker(config):
            shim = asset_text("vendor/iframe-worker-shim.js")
            files.append(File.generated(config, IFRAME_WORKER_SHIM, content=shim))
        if self.serving:
            build.files = files
            build.sources = {page.path: page for page in build.site.pages}
            build.frame = incremental.frame(build.site, config, build.engine)
        if not self.serving and not _pages_read_after_rendering(config):
            build.releaser = Releaser(_release_page)
        self.build.site = None  # the files now hold every page: drop our second copy of the Markdown
        return files

    def _add_pages(self, files: Files, config) -> None:
        build = self.build
        internals = build.internals
        style = heading_style(config.markdown_extensions, config.mdx_configs) if internals.skeleton_headings else None
        nav_titles = _nav_titles(config.nav or [])
        pages = build.site.pages
        # Markdown would only re-scan the HTML blocks to pass them through: hand it the rest.
        stashed = build.stashes
        for page in pages:
            if not internals.generated_pages:
                stash, read = None, None
            elif stashed.get(page.path, (None,))[0] is page.body:  # the very page the map stashed
                _, stash, read = stashed.pop(page.path)
            else:
                stash, read = stash_html_blocks(page.body, build.token), None
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(f"docs/{page.path} clashes with a page Policybook generates: rename or remove it")
            # Old versions and comparisons are linked from policy pages; keeping
            # them out of the nav keeps every page small (Material renders the
            # whole nav into each one) without MkDocs reporting them as omitted.
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            meta, content = _meta_and_content(page, stash)
            file = File.generated(config, page.path, content=content, inclusion=inclusion)
            if file.dest_uri != urls.output_path(page.path, config.use_directory_urls):
                raise PluginError(f"MkDocs writes {page.path} to {file.dest_uri}, and Policybook's links lead to "
                                  f"{urls.output_path(page.path, config.use_directory_urls)}: install an MkDocs "
                                  f"release within the range pyproject.toml names")
            if stash is not None:  # else MkDocs makes a plain page of the file
                GeneratedPage(nav_titles.get(page.path), file, config, meta=meta, stash=stash, style=style, read=read)
            files.append(file)
            build.generated.append(file)
            if not page.searchable:
                build.unsearched.append(file)
            if page.answers_in_parts:
                build.boosts[file.url] = CLAUSE_SEARCH_BOOST
            headings = listed_headings(page.body)
            if headings is not None:
                build.contents[file.src_uri] = headings
        stashed.clear()

    @event_priority(-100)  # the nav as every plugin has left it
    def on_nav(self, nav, *, config, files):
        self.build.nav = nav
        return nav

    @event_priority(-100)  # the environment as every plugin has left it
    def on_env(self, env, *, config, files):
        build = self.build
        build.env = env
        # Set before the theme's first template loads (the nav memo loads some).
        env.bytecode_cache = self.compiled_templates
        if build.internals.nav_memo or build.internals.header_memo:
            nav_memo.install(env, build.nav, config.theme, config.extra, navigation=build.internals.nav_memo,
                             header=build.internals.header_memo)
        if build.internals.search_handler:
            material_search.skip_needless_scans(config.plugins)
        if not self.serving:
            # Generating the pages peaked well above what they now hold: give
            # the difference back before a child shares this process's memory.
            return_freed_memory()
        build.background = BackgroundPages.start(build.unsearched, config=config, files=files, nav=build.nav, env=env,
                                                 build_page=build.internals.build_page,
                                                 release=_release_page if build.releaser is not None else None)
        return env

    def _list_headings(self, html, *, page, config, files):
        # Every rendering path made the page's contents from the headings within toc_depth: add the titled clauses.
        headings = self.build.contents.get(page.file.src_uri)
        if headings is not None:
            page.toc = with_listed_headings(page.toc, headings)
        return html

    @event_priority(-1000)  # after every plugin's handler: only the page's HTML is read from now on
    def _drop_source(self, html, *, page, config, files):
        if self.build.releaser is not None and isinstance(page, GeneratedPage):
            # Dropped as each page is rendered, the sources leave room for the HTML of the next.
            page.file.content_bytes = b""  # its text was read by ``read_source`` alone (the setter takes no None)
            page.markdown = None
        return html

    on_page_content = CombinedEvent(_list_headings, _drop_source)

    def on_template_context(self, context, *, template_name, config):
        # MkDocs renders the sitemap before its page loop, while the child's pages are marked excluded.
        background = self.build.background
        if template_name == "sitemap.xml" and background is not None:
            context["pages"] = background.listed
        return context

    # Before Material's search plugin (priority 0) reads the page.
    @event_priority(10)
    def _before_search(self, context, *, page, config, nav):
        build = self.build
        if self.serving:
            build.doc_files = context["pages"]
            build.entries_before = len(incremental.search_entries(config) or ())
        if build.engine is SearchEngine.PAGEFIND:
            search = page.meta.get("search") or {}
            if not search.get("exclude"):
                build.indexed[page.file.src_uri] = page.file.abs_dest_path
            # Pagefind indexes the page instead: Material's index keeps only its settings.
            page.meta["search"] = {**search, "exclude": True}
        return context

    @event_priority(-100)
    def _after_search(self, context, *, page, config, nav):
        entries = incremental.search_entries(config) if self.serving else None
        if entries is not None:
            self.build.search_entries[page.file.src_uri] = entries[self.build.entries_before:]
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    def _prepare_output(self, output: str, *, page, config) -> str:
        internals = self.build.internals
        if internals.search_dialog:  # Material's search dialog has no accessible name (axe: aria-dialog-name)
            output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
        if self.build.worker is not None:
            output = search_workers.use_worker(output, self.build.worker, wording=internals.search_wording)
        if self.build.engine is SearchEngine.PAGEFIND:
            output = pagefind_search.prepare_page(output, searchable=page.file.src_uri in self.build.indexed)
        return output

    @event_priority(-1000)  # after every plugin's handler: MkDocs now only writes ``output``
    def _release_written(self, output: str, *, page, config) -> str:
        build = self.build
        if build.releaser is not None:
            build.releaser(page.file)
            if build.background is not None:
                build.background.poll()  # and the pages the child has written meanwhile
        return output

    on_post_page = CombinedEvent(_prepare_output, _release_written)

    @event_priority(100)  # every page is written (and indexed) before any plugin's on_post_build runs
    def _complete_pages(self, *, config):
        build = self.build
        background, build.background = build.background, None
        if background is not None:
            background.finish()
        # After the child, not alongside it, and in the room the written pages leave:
        # Pagefind holds 350 MB at 500 policies, and the target is a build under 1 GB.
        if build.engine is SearchEngine.PAGEFIND and build.reindex:
            if not self.serving:  # serve keeps the pages: the navigation of a page built again reads their titles
                for file in build.generated:
                    if isinstance(file.page, GeneratedPage):
                        file.page.release()
                return_freed_memory()
            if build.reindex_later and build.internals.reload_browsers:
                log.info("Policybook updates the search index in the background")
                self.session.index_behind = True
                self.session.reindexing = pagefind_search.Reindex(config.site_dir, build.indexed.values(), self._reindexed,
                                                          vocabulary=build.vocabulary)
            elif build.reindex_later:
                # No way to reload the browsers once it is done: the new index is in place before MkDocs reloads them.
                reindex = pagefind_search.Reindex(config.site_dir, build.indexed.values(), lambda reindex: None,
                                                  vocabulary=build.vocabulary)
                reindex.wait()
                if reindex.error is not None:
                    raise reindex.error
            else:
                pagefind_search.index_pages(config.site_dir, build.indexed.values(), vocabulary=build.vocabulary,
                                            map_items=fork_map)

    # After the search plugin writes its index (priority 0), before Material's
    # offline plugin copies it into search_index.js (priority -100).
    @event_priority(-50)
    def _boost_search_parts(self, *, config):
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if _material_search(config) and not index_file.is_file():
            # Under Policybook's logger, as every changed internal: a slower or plainer site fails no strict build.
            internals_log.warning("policybook: Material's search plugin wrote no search/search_index.json before "
                                  "its on_post_build ended: clauses and sections keep Material's ranking")
        elif self.build.internals.search_boost:
            boost_search_parts(index_file, self.build.boosts)

    @event_priority(-1000)  # after every plugin: the site folder is complete
    def _keep_for_rebuilds(self, *, config):
        if self.session is not None:
            self.session.built = self.build

    on_post_build = CombinedEvent(_complete_pages, _boost_search_parts, _keep_for_rebuilds)

    def on_build_error(self, *, error):
        build = self.build
        if build is None:  # on_config failed, and let go of what it held
            return
        _release_frozen(build)
        if build.background is not None:
            build.background, background = None, build.background
            background.cancel()

    def _reindexed(self, reindex: pagefind_search.Reindex) -> None:
        # In Pagefind's thread: the rebuild that started it has returned.
        if reindex.error is not None:
            log.error(f"{reindex.error}\nSearch answers from the index of an earlier save until the next one.")
            return
        self.session.index_behind = False
        log.info("Policybook updated the search index")
        self.session.reload_browsers()  # a loaded page may ask for parts of the index just replaced

    def stop_reindexing(self) -> None:
        """Stop a background search index: a new build is starting (``index_behind`` says what is left)."""
        if self.session is None:
            return
        reindexing, self.session.reindexing = self.session.reindexing, None
        if reindexing is not None:
            reindexing.cancel()

    def wait_for_search_index(self) -> None:
        """Wait until the search index of the last rebuild is in place (tests, benchmarks)."""
        if self.session is not None and self.session.reindexing is not None:
            self.session.reindexing.wait()

    def on_shutdown(self) -> None:
        self.stop_reindexing()
        if self.build is not None:
            _release_frozen(self.build)

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.build.policies_dir))
        internals = self.build.internals
        # A save rebuilds at once, not at MkDocs' next poll.
        inputs = watch_natively(server, config.watch) if internals.serve_builder and internals.native_watch else None
        self.session.reload_browsers = lambda: reload_browsers(server, inputs)
        # A broken save must not freeze the preview: the last good site stays, with the problems on top.
        if internals.serve_builder:
            self.session.status = keep_serving(
                server, problems_of=lambda error: error.problems if isinstance(error, HandbookProblems) else None,
                rebuild_changed=self.rebuild_changed, inputs=inputs)
        return server

    def rebuild_changed(self) -> bool:
        """After a save under serve: render again only the pages whose inputs changed.

        Returns:
            True when the site folder is now what a clean build gives; False
            when only a full build can tell (see ``incremental``).

        Raises:
            HandbookProblems: the handbook does not load; the site is untouched.
        """
        self.session.last_rebuild = incremental.rebuild_changed(self, _meta_and_content)
        return self.session.last_rebuild.done


class HandbookProblems(PluginError):
    """The handbook does not load: MkDocs prints the message; ``policybook serve`` shows ``problems`` in the browser."""

    def __init__(self, problems) -> None:
        self.problems = tuple(problems)
        super().__init__("Policybook found problems in the handbook:\n" + format_problems(self.problems))


# Handlers after the page loop that read no page's HTML or Markdown but the one being built.
KNOWN_READERS = ("policybook.", "material.plugins.search.", "material.plugins.offline.", "mkdocs.")
AFTER_RENDERING = ("page_context", "post_page", "post_template", "post_build", "build_error", "shutdown")


def _pages_read_after_rendering(config) -> bool:
    """Whether a plugin we do not know handles an event after the pages are rendered (it may read any page)."""
    return any(not (getattr(handler, "__module__", None) or "").startswith(KNOWN_READERS)
               for event in AFTER_RENDERING for handler in config.plugins.events.get(event, ()))


def _release_frozen(build: _Build) -> None:
    frozen, build.frozen = build.frozen, None
    if frozen is not None:
        frozen.release()


def _release_page(file: File) -> None:
    if isinstance(file.page, GeneratedPage):
        file.page.release()


def _meta_and_content(page: SitePage, stash) -> tuple[dict, str]:
    """A generated page's front matter, and the file MkDocs reads (its HTML blocks set aside in ``stash``)."""
    # Material inserts page titles into HTML unescaped (see html_text).
    meta = page_meta(dataclasses.replace(page, title=html_text(page.title)))
    body = stash.markdown if stash is not None else page.markdown
    return meta, front_matter(meta) + body


def _stashing(map_items, token: str, stashes: dict):
    """``map_items`` that also stashes the HTML blocks of the pages it makes, in the process that made them.

    Stashing a page and reading its blocks' ids took 0.8 ms a page in this
    process, alone, between generating the pages and building them (4 s at
    500 policies), and checking its headings for the fast path another 0.8 s
    in all: done where each page is rendered, the forked child does its
    share on the second core. ``stashes`` gets source path -> (body, stash,
    ``StashRead``) of every page in the results; a page it lacks is stashed in ``on_files``.
    """

    def stashing_map(function, items, **hints):
        def made_and_stashed(item):
            result = function(item)
            return result, [_stash_of(page, token) for page in _site_pages(result)]

        results = []
        for result, stashed in map_items(made_and_stashed, items, **hints):
            for page, (stash, read) in zip(_site_pages(result), stashed):
                stashes[page.path] = (page.body, stash, read)
            results.append(result)
        return results

    return stashing_map


def _site_pages(result) -> list[SitePage]:
    return [page for page in (result if isinstance(result, list) else [result]) if isinstance(page, SitePage)]


def _stash_of(page: SitePage, token: str) -> tuple:
    stash = stash_html_blocks(page.body, token)
    return stash, StashRead.of(stash)


def boost_search_parts(index_file: Path, boosts: dict[str, float]) -> None:
    """Give the headed parts (``page.html#anchor``) of some pages a search boost.

    Args:
        index_file: Material's ``search_index.json``; nothing happens when absent, or
            in a format other than ``internals.search_index`` expects (with a warning).
        boosts: page URL -> boost for the entries that point inside that page.
    """
    if not boosts or not index_file.is_file():
        return
    index = search_index(index_file.read_text(encoding="utf-8"))
    if index is None:
        return
    for doc in index["docs"]:
        page, _, anchor = doc.get("location", "").partition("#")
        if anchor and page in boosts:
            doc["boost"] = boosts[page]
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _material_search(config) -> bool:
    """Whether the site has Material's search box, which Policybook's workers answer."""
    return config.theme.name == "material" and search_plugin(config) is not None


def _offline_on(config) -> bool:
    """Whether Material's offline plugin is in the configuration and on."""
    offline = offline_plugin(config)
    return offline is not None and bool(getattr(offline.config, "enabled", True))


def _localise_iframe_worker(config) -> bool:
    """Point Material's CDN polyfill at the local shim; True when one was found."""
    polyfills = config.extra.get("polyfills") or []
    local = [IFRAME_WORKER_SHIM if str(url).startswith(IFRAME_WORKER_CDN) else url for url in polyfills]
    config.extra["polyfills"] = local
    return local != polyfills


def _nav_titles(nav: list) -> dict[str, str]:
    """Source path -> title for every page the navigation names with a title.

    MkDocs gives a page its navigation title only when it makes the page
    itself; generated pages are made earlier (``GeneratedPage``), so they get
    it here.
    """
    titles: dict[str, str] = {}
    for entry in nav:
        if not isinstance(entry, dict):
            continue
        for title, target in entry.items():
            if isinstance(target, list):
                titles.update(_nav_titles(target))
            elif isinstance(target, str):
                titles[target] = title
    return titles


def _hand_written_nav(config) -> list:
    """Hand-written pages under docs/, after the generated sections."""
    docs = Path(config.docs_dir)
    if not docs.is_dir():
        return []
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    return [{"About": pages}] if pages else []
