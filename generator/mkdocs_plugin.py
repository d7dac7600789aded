"""The MkDocs plugin: load the handbook and add its pages in memory.

Handlers stay thin: ``on_config`` loads and builds the site once per build,
``on_files`` adds the pages with ``File.generated`` (nothing is written into
``docs/``), each with a ``GeneratedPage`` that renders it without Markdown
where that is exact (``generator.mkdocs_page``), and ``on_serve`` watches the
policies folder so every YAML save rebuilds.

The ``edition`` option filters the handbook before any page is built (see
``generator.edition``). When Material's offline plugin is on, ``on_files``
swaps its CDN polyfill for a vendored copy, so the site needs no network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import secrets
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from . import nav_memo, pagefind_search
from .background_pages import BackgroundPages
from .edition import Edition, select_edition
from .errors import format_problems
from .html_blocks import stash_html_blocks
from .load import ParseCache, load_handbook
from .memory import return_freed_memory
from .mkdocs_page import GeneratedPage
from .pagefind_search import SearchEngine
from .parallel import fork_map
from .render import Renderer, asset_text
from .site import STYLESHEET, Site, SiteOptions, build_site, html_nav, html_text
from .skeleton_html import heading_style
from .theme_cache import CompiledTemplates

# Material's offline plugin asks for this shim from a CDN; a shared drive in
# a school may have no internet, so the plugin serves a vendored copy.
IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER_SHIM = "assets/policybook/iframe-worker-shim.js"
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'

log = get_plugin_logger(__name__)


class PolicybookConfig(base.Config):
    policies_dir = c.Type(str, default="policies")
    """The folder of handbook YAML, relative to mkdocs.yml."""
    preview_drafts = c.Type(bool, default=False)
    """Include draft policies in role checklists (a preview build)."""
    today = c.Optional(c.Type(str))
    """Build date (YYYY-MM-DD) for the review schedule; defaults to SOURCE_DATE_EPOCH or today."""
    edition = c.Choice([e.value for e in Edition], default=Edition.STAFF.value)
    """``staff`` (everything) or ``public`` (only what is marked ``visibility: public``)."""
    public_site_name = c.Optional(c.Type(str))
    """``site_name`` of the public edition; default: the organisation's name and "policies"."""
    search = c.Choice([e.value for e in SearchEngine], default=SearchEngine.AUTO.value)
    """``material`` (Lunr, in the browser), ``pagefind`` (prebuilt index) or ``auto`` (Pagefind for big handbooks)."""


class PolicybookPlugin(BasePlugin[PolicybookConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.policies_dir: Path | None = None
        self.boosts: dict[str, float] = {}
        """Page URL -> search boost for its clauses and sections (see ``SitePage.parts_boost``)."""
        self.cache = ParseCache()
        """Parsed files, reused while unchanged: across serve rebuilds, or from ``policybook build``'s validation."""
        self.renderer: Renderer | None = None
        """Compiled templates and converted clause texts, reused across serve rebuilds."""
        self.serving = False
        """Set by on_startup under ``mkdocs serve``: only then is the cache worth its memory."""
        self.compiled_templates = CompiledTemplates()
        """The theme's templates, compiled once for every serve rebuild."""
        self.generated: list[File] = []
        """Every page the plugin made (each with a ``GeneratedPage``)."""
        self.unsearched: list[File] = []
        """Generated pages out of the search index: the ones a child process may build."""
        self.nav = None
        self.background: BackgroundPages | None = None
        self.engine = SearchEngine.MATERIAL
        self.indexed: dict[str, str] = {}
        """Under Pagefind: source path -> written file of the pages Material would have indexed."""

    # Defining on_startup makes MkDocs keep this instance for the whole of
    # `mkdocs serve` instead of making a new one per rebuild, so the cache
    # above survives rebuilds without any module-level state.
    def on_startup(self, *, command, dirty) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        self.policies_dir = Path(config.config_file_path or ".").resolve().parent / self.config.policies_dir
        result = load_handbook(self.policies_dir, cache=self.cache)
        if not self.serving:
            # A one-off build: free every parsed file, its source map and the model
            # (``policybook build`` still holds the cache its validation filled).
            self.cache.clear()
        if not result.ok:
            raise PluginError("Policybook found problems in the handbook:\n" + format_problems(result.problems))
        options = SiteOptions(
            today=build_date(self.config.today),
            directory_urls=config.use_directory_urls,
            preview_drafts=self.config.preview_drafts,
            edition=self.config.edition,
        )
        self.site = build_site(select_edition(result.handbook, self.config.edition), options,
                               self._renderer(options.directory_urls))
        self.engine = self._search_engine(config)
        # mkdocs.yml names the staff handbook; parents should not read "staff" in every header.
        if self.config.edition == Edition.PUBLIC.value:
            config.site_name = html_text(self.config.public_site_name or f"{result.handbook.organisation.name} policies")
        # Generated pages use attribute lists for their stable anchors.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        config.extra_css.append(STYLESHEET)
        if not config.nav:
            config.nav = html_nav(self.site.nav) + _hand_written_nav(config)
        return config

    def _search_engine(self, config) -> SearchEngine:
        # The Pagefind worker speaks Material's search protocol: other themes keep their own search.
        if config.theme.name != "material" or not any(name in config.plugins for name in ("material/search", "search")):
            return SearchEngine.MATERIAL
        offline = config.plugins.get("material/offline") or config.plugins.get("offline")
        offline_on = offline is not None and getattr(offline.config, "enabled", True)
        # Roughly one search entry per heading of a searchable page.
        entries = sum(1 + page.markdown.count("\n#") for page in self.site.pages if page.searchable)
        engine = pagefind_search.choose_engine(self.config.search, entries=entries, offline=offline_on)
        if engine is SearchEngine.PAGEFIND:
            log.info(f"Search uses a Pagefind index ({entries} search entries; see the plugin's `search` option)")
        return engine

    def _renderer(self, directory_urls: bool) -> Renderer:
        if self.renderer is None or self.renderer.directory_urls != directory_urls:
            self.renderer = Renderer(directory_urls=directory_urls)
        return self.renderer

    def on_files(self, files: Files, *, config) -> Files:
        self.boosts = {}
        self.generated = []
        self.unsearched = []
        self.indexed = {}
        if not self.serving:
            self.renderer = None  # a one-off build renders no clause text again
        token = "pbhtml" + secrets.token_hex(8)  # never in a page; it is replaced before anything reads the HTML
        style = heading_style(config.markdown_extensions, config.mdx_configs)
        nav_titles = _nav_titles(config.nav or [])
        stashes = fork_map(lambda page: stash_html_blocks(page.markdown, token), self.site.pages)
        for page, stash in zip(self.site.pages, stashes):
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(f"docs/{page.path} clashes with a page Policybook generates: rename or remove it")
            # Old versions and comparisons are linked from policy pages; keeping
            # them out of the nav keeps every page small (Material renders the
            # whole nav into each one) without MkDocs reporting them as omitted.
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            # Material inserts page titles into HTML unescaped (see html_text).
            # Markdown would only re-scan the HTML blocks to pass them through: hand it the rest.
            page = dataclasses.replace(page, title=html_text(page.title), markdown=stash.markdown)
            file = File.generated(config, page.path, content=page.with_front_matter(), inclusion=inclusion)
            GeneratedPage(nav_titles.get(page.path), file, config, meta=page.meta, stash=stash, style=style)
            files.append(file)
            self.generated.append(file)
            if not page.searchable:
                self.unsearched.append(file)
            if page.parts_boost is not None:
                self.boosts[file.url] = page.parts_boost
        for path, content in self.site.assets.items():
            files.append(File.generated(config, path, content=content))
        if self.engine is SearchEngine.PAGEFIND:
            files.append(File.generated(config, pagefind_search.WORKER, content=pagefind_search.worker_script()))
        # Runs after every on_config, so Material's offline plugin has added its polyfill.
        if _localise_iframe_worker(config):
            shim = asset_text("vendor/iframe-worker-shim.js")
            files.append(File.generated(config, IFRAME_WORKER_SHIM, content=shim))
        self.site = None  # the files now hold every page: drop our second copy of the Markdown
        return files

    @event_priority(-100)  # the nav as every plugin has left it
    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    @event_priority(-100)  # the environment as every plugin has left it
    def on_env(self, env, *, config, files):
        nav_memo.install(env, self.nav, config.theme)
        if self.serving:
            env.bytecode_cache = self.compiled_templates
        else:
            # Generating the pages peaked well above what they now hold: give
            # the difference back before a child shares this process's memory.
            return_freed_memory()
        self.background = BackgroundPages.start(self.unsearched, config=config, files=files, nav=self.nav, env=env)
        return env

    # Before Material's search plugin (priority 0) reads the page.
    @event_priority(10)
    def on_page_context(self, context, *, page, config, nav):
        if self.engine is SearchEngine.PAGEFIND:
            search = page.meta.get("search") or {}
            if not search.get("exclude"):
                self.indexed[page.file.src_uri] = page.file.abs_dest_path
            # Pagefind indexes the page instead: Material's index keeps only its settings.
            page.meta["search"] = {**search, "exclude": True}
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        # Material's search dialog has no accessible name (axe: aria-dialog-name).
        output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
        if self.engine is SearchEngine.PAGEFIND:
            output = pagefind_search.prepare_page(output, searchable=page.file.src_uri in self.indexed)
        return output

    @event_priority(100)  # every page is written (and indexed) before any plugin's on_post_build runs
    def _complete_pages(self, *, config):
        background, self.background = self.background, None
        if background is not None:
            background.finish()
        # After the child, not alongside it, and in the room the written pages leave:
        # Pagefind holds 350 MB at 500 policies, and the target is a build under 1 GB.
        if self.engine is SearchEngine.PAGEFIND:
            for file in self.generated:
                file.page.release()
            return_freed_memory()
            pagefind_search.index_pages(config.site_dir, self.indexed.values())

    # After the search plugin writes its index (priority 0), before Material's
    # offline plugin copies it into search_index.js (priority -100).
    @event_priority(-50)
    def _boost_search_parts(self, *, config):
        boost_search_parts(Path(config.site_dir) / "search" / "search_index.json", self.boosts)

    on_post_build = CombinedEvent(_complete_pages, _boost_search_parts)

    def on_build_error(self, *, error):
        background, self.background = self.background, None
        if background is not None:
            background.cancel()

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.policies_dir))
        return server


def build_date(configured: str | None = None) -> dt.date:
    """The date the handbook is built as of: config, SOURCE_DATE_EPOCH, or today."""
    if configured:
        return dt.date.fromisoformat(configured)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def boost_search_parts(index_file: Path, boosts: dict[str, float]) -> None:
    """Give the headed parts (``page.html#anchor``) of some pages a search boost.

    Args:
        index_file: Material's ``search_index.json``; nothing happens when absent.
        boosts: page URL -> boost for the entries that point inside that page.
    """
    if not boosts or not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for doc in index.get("docs", ()):
        page, _, anchor = doc.get("location", "").partition("#")
        if anchor and page in boosts:
            doc["boost"] = boosts[page]
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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
