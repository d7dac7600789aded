"""The engine internals the adapter's speed devices rely on, checked at the start of every build.

No public API promises any of these; each device that uses one asks here
first. When a new MkDocs, Material or Python-Markdown release changes one,
the device stands aside, the build takes MkDocs' (or Material's) plain path,
and a warning names what changed: the site is slower, or keeps Material's
own search, wording or markup, never silently wrong.

=====================================================  ===================  ===================================
internal                                               used by              when it changed
=====================================================  ===================  ===================================
``mkdocs.commands.build._build_page(page, config,      ``background_pages``, every page is built in this process;
doc_files, nav, env, dirty, excluded)``                ``incremental``       serve rebuilds every page after a save
MkDocs' ``build()``: ``on_env``, then the theme's      ``background_pages``  every page is built in this process
templates (``sitemap.xml``), then the page list
without excluded pages, then the loop
(``BUILD_ORDER``); strict mode counting the
``mkdocs`` logger's warnings, which the child
silences (``BUILD_COUNTS``)
``mkdocs.commands.build._populate_page(page, config,   ``incremental``       serve rebuilds every page after a save
files, dirty)``
``Page.read_source(config)``, ``Page.render(config,    ``page``              generated pages are plain MkDocs
files)`` and the attributes ``render`` sets (``toc``,                        pages, rendered by Markdown
``present_anchor_ids``, ``links_to_anchors``,
``_title_from_render``)
``markdown.util``: ``STX``, ``ETX`` (dropped from      ``html_blocks``       as above
blocks, as Markdown does), ``BLOCK_LEVEL_ELEMENTS``
(which tags start a block)
``markdown.extensions.toc``: ``nest_toc_tokens``,      ``skeleton_html``     Markdown renders every page's
``strip_tags``, ``unique`` and the settings of its                           headings
tree processor (what it makes of a heading)
Material's ``SearchPlugin.on_page_context`` (its       ``material_search``   Material's handler scans every page
source), MkDocs' ``config.plugins.events`` and
``PluginCollection._event_origins``
Material's ``__config`` script in ``base.html``,       ``search_workers``    Material's own search worker and
naming its hashed worker                                                    index (no Pagefind)
(``assets/javascripts/workers/search.*.min.js``)
Material's search-worker messages in its page script   ``search_workers``    as above
(``bundle.*.min.js``, as ``base.html`` names it):
SETUP, READY, QUERY, RESULT and the result fields
it renders (``search_workers.WORKER_PROTOCOL``)
Material's ``partials/nav.html`` and                   ``nav_memo``          every page renders its navigation
``nav-item.html``: Material's own, naming only
``nav_memo.NAV_NAMES``, reading the page only as
``nav_memo.PAGE_READS``, writing relative links only
as ``nav_memo.URL_READS``; the partials they include
(``logo.html``, ``source.html``) not reading it;
the theme environment's loader finding them there
when ``on_env`` wraps it (else a warning)
Material's ``partials/header.html``: its own, reading   ``header_memo``       every page renders its header
the page only as ``header_memo.PAGE_READS``, writing
relative links only as ``header_memo.URL_READS``,
naming only ``header_memo.NAMES``; the partials it
includes (``header_memo.PARTS``) not reading it
Material's English result wording ("1 matching        ``search_workers``    Material's wording of the result
document", ...) in ``partials/languages/en.html``                           count
``<article class="md-content__inner md-typeset">`` in  ``pagefind_search``   Material's own search (no Pagefind)
``base.html``; ``data-search-exclude`` in Material's
search plugin
Material's search dialog, ``<div class="md-search"     ``plugin``            the dialog as Material writes it
data-md-component="search" role="dialog">`` in                              (without an accessible name)
``partials/search.html``
Material's search index leaving out pages with        (nothing to turn off) a warning: its search may list
``search: {exclude: true}`` and blocks with                                  archive pages and the blocks marked
``data-search-exclude`` (``render.UNSEARCHED``)                              as no answer
``SearchIndex.entries`` of Material's search plugin    ``incremental``       serve rebuilds every page after a save
(the list ``add_entry_from_context`` appends to)
``search/search_index.json``: ``config``, and          ``plugin``            the index as Material writes it:
``docs`` whose entries have string ``location``,                             clauses keep Material's ranking,
``title`` and ``text`` (checked where                                        often under their page's top
``boost_search_parts`` reads it, once Material has
written it: its search plugin's ``on_post_build``,
priority 0, before its offline plugin's, -100,
copies it; a file missing there is warned about)
Material's search worker reading each entry's          ``plugin``            as above
``boost`` (``this.add(doc, {boost: doc.boost})``)
``LiveReloadServer``'s ``_epoch_cond``,                ``serve``             Pagefind indexes a save within the
``_visible_epoch`` and ``_wanted_epoch`` (what                              rebuild; MkDocs reloads the browsers
``reload_browsers`` advances)                                               once, after it
``LiveReloadServer.builder``: kept as                  ``serve``             a broken save makes the preview
``self.builder = builder``, called as                                        wait until it is fixed, as plain
``self.builder()``; its ``set_app`` (wsgiref's)                              MkDocs does
How a watched change asks ``LiveReloadServer`` for a    ``serve``             a save shows after MkDocs' next
rebuild (``self._want_rebuild = True`` and                                   poll of the files (0-0.5 s later),
``self._rebuild_cond.notify_all()``), the paths it                          as plain MkDocs does
watches (``_watched_paths``) and its ``shutdown``
Where MkDocs writes a page (``File.dest_uri``): as     ``plugin``            the build stops with an error: every
``urls.output_path`` says, checked for every                                 link between pages would be wrong
generated page as it is made
Material's ``OfflinePlugin``: built from its config    ``build``             ``--offline`` stops with an error
(``load_config({"enabled": True})``) and switched on                        (Material's offline plugin can still
with ``config.enabled``, which its handlers read                            be listed in ``mkdocs.yml``)
the CDN URL its ``on_config`` adds to                  ``plugin``            the offline site loads Material's
``extra.polyfills`` (``plugin.IFRAME_WORKER_CDN``)                          polyfill from its CDN
=====================================================  ===================  ===================================

Material's markup is checked in the files the build uses, each read once per
build: a template (or a theme asset, such as Material's scripts) where MkDocs
finds it, in the first of the theme's folders that has it (``config.theme.dirs``,
a ``custom_dir`` first), so that a theme's own ``base.html`` or
``partials/search.html`` is checked as Material's would be, a theme's own
navigation template turns the nav memo off, and a theme's own ``main.html``
that writes anew (without ``super()``) the block of ``base.html`` holding the
article, the ``__config`` script or the page script counts as a change of
it; the rest (its plugins' sources) in Material's package. A warning names
the theme's file where one was read.
Serve's and the offline plugin's internals are checked only when serving or
building offline, and the search index's format where the index is read.

Outside the adapter, the core renders clause text with Python-Markdown's
documented extension API (``render/text.py``: the processors it deregisters
by name, the link pattern it bounds, and a fast path for plain paragraphs),
pinned by ``tests/test_prose_fast_path.py`` and ``tests/test_safe_rendering.py``.

Behaviour no check can probe is pinned by tests instead: ``html_blocks`` does
to each block what Python-Markdown's whitespace preprocessor does to a page
(tabs to four columns), and ``skeleton_html`` writes what ``toc`` and
``attr_list`` write; ``tests/test_skeleton_html.py`` compares every generated
page with Markdown's rendering of its complete Markdown.

Dropping pages once written (``plugin._release_written``, ``background_pages``)
relies on MkDocs, Material's search and offline plugins reading no page's
HTML, Markdown or source after that page is rendered but the page being built;
a handler of any other module after rendering (``config.plugins.events``,
``plugin.KNOWN_READERS``) turns the device off, so a plugin that reads pages
late sees them whole.

What the workers make of the messages (Material renders their results) is
pinned in a browser too, by ``tests/test_pagefind_search.py``. Material
prints ``site_name``, page titles and navigation titles without escaping
them, so the plugin escapes them.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ..render import UNSEARCHED

# Not under MkDocs' logger: strict mode counts its warnings, and a slower
# build is no reason to fail one.
log = logging.getLogger("policybook")

BUILD_PAGE_PARAMETERS = ("page", "config", "doc_files", "nav", "env", "dirty", "excluded")
BUILD_ORDER = ("config.plugins.on_env(", "_build_theme_template(", "doc_files = files.documentation_pages(inclusion=",
               "_build_page(")
"""The steps of MkDocs' ``build()`` that ``background_pages`` relies on, in this order: ``on_env``, where it marks
the child's pages excluded; the theme's templates, where ``sitemap.xml`` gets the pages from before
(``on_template_context``); the page list the loop builds, without the excluded ones; the loop."""
BUILD_COUNTS = "logging.getLogger('mkdocs').addHandler(warning_counter)"
"""Strict mode counts the warnings of the ``mkdocs`` logger, which a forked child silences and counts itself."""
POPULATE_PAGE_PARAMETERS = ("page", "config", "files", "dirty")
PAGE_ATTRIBUTES = ("toc", "present_anchor_ids", "links_to_anchors", "_title_from_render")
TOC_SETTINGS = ("use_anchors", "permalink_leading", "base_level", "use_permalinks", "toc_top", "toc_bottom",
                "permalink_class", "permalink_title", "slugify", "sep")
EVENT_ORIGINS = "_event_origins"
"""``PluginCollection``'s handler -> plugin name map, which names a swapped handler in MkDocs' debug log."""
RELOAD_ATTRIBUTES = ("_epoch_cond", "_visible_epoch", "_wanted_epoch")
"""What ``serve.reload_browsers`` reads and advances on MkDocs' ``LiveReloadServer``."""
SEARCH_EXCLUDE = UNSEARCHED
"""The core's mark for blocks search leaves out: Material's search reads it (``pagefind_search`` maps it)."""
PAGE_EXCLUDE = 'search.get("exclude")'
"""Material's search index reading a page's ``search: {exclude: true}`` (the front matter of ``outputs.export``)."""
OFFLINE_SWITCH = "self.config.enabled"
"""What the handlers of Material's offline plugin read, and ``build._enable_offline`` sets."""
SERVE_BUILDER = ("self.builder = builder", "self.builder()")
"""How ``LiveReloadServer`` keeps and calls the build that ``serve.keep_serving`` wraps."""
REBUILD_REQUEST = ("self._want_rebuild = True", "self._rebuild_cond.notify_all()", "self._watched_paths[path] = 1",
                   "def shutdown(")
"""How ``LiveReloadServer``'s own watch asks for a rebuild, as ``file_watch.watch_natively`` does, and the paths it keeps."""
SEARCH_INDEX_KEYS = ("config", "docs")
SEARCH_ENTRY_KEYS = ("location", "title", "text")
"""What ``plugin.boost_search_parts`` reads of ``search_index.json``: its settings, and its entries' text fields."""
SEARCH_BOOST = re.compile(r"\{boost:(\w+)\.boost\}")
"""Material's search worker giving each entry the ``boost`` it has (``this.add(doc, {boost: doc.boost})``)."""
TEMPLATE_NAMES = re.compile(r"""\{%-?\s*(?:include|import|from|extends)\s+["']([^"']+)["']""")
"""The templates a template names (for ``include ".icons/" ~ icon``, its first part)."""
PAGE = re.compile(r"\bpage\b")
URL_FILTER = re.compile(r"\|\s*url\b")
"""The ``url`` filter: a link made relative to the page."""
PAGE_TEMPLATE = "main.html"
"""The template MkDocs renders a page with (none of the generated pages names another); it extends ``base.html``."""
PLAIN_PATH = "Policybook takes MkDocs' plain path there (slower, same pages)"


@dataclass(frozen=True, slots=True)
class EngineInternals:
    """Which speed devices this MkDocs and Python-Markdown let run."""

    build_page: object | None
    """MkDocs' page builder for ``background_pages``, or ``None``."""
    generated_pages: bool
    """``GeneratedPage`` with its HTML blocks set aside (``page``, ``html_blocks``); else MkDocs
    gets each page's complete Markdown (``PageBody.markdown``) and renders it."""
    skeleton_headings: bool
    """Headings written from the pages' ``Heading`` parts without Markdown (``skeleton_html``)."""
    populate_page: object | None = None
    """MkDocs' page reader and renderer for ``incremental``, or ``None``."""
    search_handler: bool = False
    """Material's search handler may be swapped for ``material_search``'s equivalent."""
    search_worker: bool = False
    """Material's ``__config`` names its search worker as ``search_workers`` expects: Policybook's workers
    may replace it; else Material's own worker and index answer (no Pagefind)."""
    search_wording: bool = False
    """Material's result count is worded as ``search_workers`` rewords it."""
    pagefind_markup: bool = False
    """Material's article and ``data-search-exclude`` are as ``pagefind_search`` marks them; else no Pagefind."""
    search_dialog: bool = False
    """Material's search dialog is as ``plugin`` labels it."""
    search_entries: bool = False
    """Serve only: Material's search index keeps its entries as ``incremental`` updates them page by page."""
    reload_browsers: bool = False
    """Serve only: ``serve.reload_browsers`` can reload the browsers when a background search index is in place;
    else Pagefind indexes a save within the rebuild."""
    offline_polyfill: bool = True
    """Offline builds only: Material's offline plugin adds the CDN polyfill that ``plugin`` serves locally."""
    nav_memo: bool = False
    """The navigation templates in use are Material's, reading the page only as ``nav_memo`` allows."""
    search_boost: bool = False
    """Material's search worker reads the entries' ``boost`` that ``plugin.boost_search_parts`` sets."""
    serve_builder: bool = False
    """Serve only: ``LiveReloadServer`` calls the build through ``builder``, which ``serve.keep_serving`` wraps."""
    header_memo: bool = False
    """The header template in use is Material's, reading the page only as ``header_memo`` allows."""
    native_watch: bool = False
    """Serve only: ``file_watch.watch_natively`` can ask ``LiveReloadServer`` for a rebuild as its own watch does."""


def check_internals(*, serving: bool = False, offline: bool = False, theme=None) -> EngineInternals:
    """Probe every internal once, warning about each that changed.

    Args:
        serving: under ``mkdocs serve``: also what only serve uses.
        offline: Material's offline plugin is on: also what only it uses.
        theme: MkDocs' ``config.theme``: Material's templates are read where
            the build finds them (a ``custom_dir`` first). ``None``, or
            another theme: Material's own.
    """
    files = _Sources(theme.dirs if theme is not None and theme.name == "material" else ())
    generated_pages = _check("MkDocs' Page.read_source and Page.render", _page_is_as_expected) and _check(
        "markdown.util's STX, ETX and BLOCK_LEVEL_ELEMENTS",
        lambda: all(hasattr(importlib.import_module("markdown.util"), name)
                    for name in ("STX", "ETX", "BLOCK_LEVEL_ELEMENTS")))
    skeleton = generated_pages and _check("markdown.extensions.toc's helpers and settings", _toc_is_as_expected)
    build_page = (_build_page() if _check("mkdocs.commands.build._build_page, or the order of build()",
                                          _build_page_is_as_expected, files) else None)
    populate_page = (_populate_page() if _check("mkdocs.commands.build._populate_page", _populate_page_is_as_expected)
                     else None)
    search_handler = _check("Material's SearchPlugin.on_page_context", _search_handler_is_as_expected)
    own_search = "search uses Material's own worker and index (no Pagefind)"
    worker_named = _check("Material's search worker in its __config script", _search_worker_is_as_expected, files,
                          then=own_search)
    search_worker = worker_named and _check("Material's search-worker messages", _worker_protocol_is_as_expected,
                                            files, then=own_search)
    search_wording = _check("Material's wording of the search result count", _search_wording_is_as_expected, files,
                            then="the result count keeps Material's wording")
    pagefind_markup = _check("Material's article markup or data-search-exclude", _pagefind_markup_is_as_expected,
                             files, then="search uses Material's own index (no Pagefind)")
    _check("Material's search exclusions", _search_exclusions_are_as_expected, files,
           then="its search may list archive pages and the blocks Policybook marks as no answer")
    search_dialog = _check("Material's search dialog markup", _search_dialog_is_as_expected, files,
                           then="the dialog keeps Material's markup, without an accessible name")
    nav_memo = _check("Material's navigation templates", _navigation_is_as_expected, files,
                      then="every page renders its navigation (slower, same pages)")
    header_memo = _check("Material's header template", _header_is_as_expected, files,
                         then="every page renders its header (slower, same pages)")
    search_boost = worker_named and _check(
        "The boost Material's search worker reads", _search_boost_is_as_expected, files,
        then="clauses and sections keep Material's ranking, often under their page's top")
    search_entries = serving and _check("Material's SearchIndex.entries", _search_entries_are_as_expected, files)
    reload_browsers = serving and _check(
        "MkDocs' LiveReloadServer epochs", _reload_is_as_expected, files,
        then="Pagefind indexes each save before the browser reloads (a slower preview, the same pages)")
    serve_builder = serving and _check(
        "MkDocs' LiveReloadServer.builder", _serve_builder_is_as_expected, files,
        then="a broken file makes the preview wait until it is fixed, as plain MkDocs does")
    native_watch = serving and _check(
        "How MkDocs' LiveReloadServer is asked for a rebuild", _rebuild_request_is_as_expected, files,
        then="a save shows after MkDocs' next poll of the files (up to half a second later)")
    offline_polyfill = not offline or _check(
        "The polyfill Material's offline plugin adds", _offline_polyfill_is_as_expected, files,
        then="the offline site loads Material's polyfill from its CDN (its search needs the network)")
    return EngineInternals(build_page, generated_pages, skeleton, populate_page, search_handler, search_worker,
                           search_wording, pagefind_markup, search_dialog, search_entries, reload_browsers,
                           offline_polyfill, nav_memo, search_boost, serve_builder, header_memo, native_watch)


def check_offline_plugin() -> bool:
    """Whether Policybook can add and switch on Material's offline plugin (``build._enable_offline``); warns if not."""
    return _check("Material's OfflinePlugin", _offline_plugin_is_as_expected,
                  then="--offline cannot switch it on: list `offline` under plugins in mkdocs.yml instead")


def search_index(text: str) -> dict | None:
    """Material's ``search_index.json`` parsed, when it is as ``plugin.boost_search_parts`` edits it; else
    ``None``, with a warning: the file is to be left as Material wrote it."""
    index = None

    def as_expected() -> bool:
        nonlocal index
        index = json.loads(text)
        return (isinstance(index, dict) and all(key in index for key in SEARCH_INDEX_KEYS)
                and isinstance(index["docs"], list)
                and all(isinstance(doc, dict) and all(isinstance(doc.get(key), str) for key in SEARCH_ENTRY_KEYS)
                        for doc in index["docs"]))

    ok = _check("The format of Material's search_index.json", as_expected,
                then="the index stays as Material wrote it (its clauses and sections keep Material's ranking)")
    return index if ok else None


def _check(what: str, probe, files: _Sources | None = None, then: str = PLAIN_PATH) -> bool:
    """Run ``probe`` (given ``files`` when there are any); warn when it fails, naming what changed and where."""
    if files is not None:
        files.overrides.clear()
    try:
        ok = bool(probe() if files is None else probe(files))
    except Exception:  # noqa: BLE001 - any failure of a probe means the internal changed
        ok = False
    if not ok:
        where = "this release" if files is None or not files.overrides else (
            f"{', '.join(sorted({str(path) for path in files.overrides}))} (the theme's own, over Material's)")
        log.warning(f"policybook: {what} changed in {where}: {then}")
    return ok


def _material_root() -> Path:
    return Path(importlib.import_module("material").__file__).parent


def _material_file(path: str) -> str:
    """The text of ``path`` in the installed Material package (``templates/base.html``)."""
    return (_material_root() / path).read_text(encoding="utf-8")


class _Sources:
    """The engines' files as one build uses them, each read once.

    A template (or a theme asset) is the first of the theme's folders that has
    it (``config.theme.dirs``, a ``custom_dir`` first), as MkDocs finds it;
    Material's own are read through :func:`_material_file`.
    """

    def __init__(self, dirs) -> None:
        templates = _material_root() / "templates"
        material = templates.resolve()
        self._dirs = [(Path(folder), Path(folder).resolve() == material) for folder in dirs] or [(templates, True)]
        self._templates: dict[str, tuple[str, Path | None]] = {}
        self._files: dict[str, str] = {}
        self.overrides: list[Path] = []
        """The theme's own files the probe being run read instead of Material's."""

    def material(self, path: str) -> str:
        """A file of Material's package that no theme folder overrides (its plugins' sources)."""
        if path not in self._files:
            self._files[path] = _material_file(path)
        return self._files[path]

    def module(self, name: str) -> str:
        """The source of module ``name``: read whole in a tenth of the time ``inspect`` takes to find a class in it."""
        key = f"module {name}"
        if key not in self._files:
            self._files[key] = Path(inspect.getsourcefile(importlib.import_module(name))).read_text(encoding="utf-8")
        return self._files[key]

    def template(self, name: str) -> str:
        """The text of ``name`` where the build finds it; :exc:`FileNotFoundError` if nowhere."""
        if name not in self._templates:
            self._templates[name] = self._find(name)
        text, override = self._templates[name]
        if override is not None:
            self.overrides.append(override)
        return text

    def overridden(self, name: str) -> bool:
        self.template(name)
        return self._templates[name][1] is not None

    def block_kept(self, block: str) -> bool:
        """Whether the page template keeps ``base.html``'s ``block``: not a theme's own that writes it anew."""
        if not self.overridden(PAGE_TEMPLATE):
            return True
        written = re.findall(r"\{%%-?\s*block\s+%s\s*-?%%\}(.*?)\{%%-?\s*endblock" % re.escape(block),
                             self.template(PAGE_TEMPLATE), flags=re.DOTALL)
        return all("super()" in body for body in written)

    def _find(self, name: str) -> tuple[str, Path | None]:
        for folder, materials in self._dirs:
            path = folder / name
            if path.is_file():
                return (_material_file(f"templates/{name}"), None) if materials else (
                    path.read_text(encoding="utf-8"), path)
        raise FileNotFoundError(name)


def _build_page():
    return importlib.import_module("mkdocs.commands.build")._build_page


def _build_page_is_as_expected(files: _Sources) -> bool:
    # From ``def build(`` to the end of the module: read whole, quicker than ``inspect`` finding the function.
    module = files.module("mkdocs.commands.build")
    build = module[module.index("\ndef build("):]
    steps = [build.find(step) for step in BUILD_ORDER]
    return (tuple(inspect.signature(_build_page()).parameters) == BUILD_PAGE_PARAMETERS
            and -1 not in steps and steps == sorted(steps) and BUILD_COUNTS in build)


def _populate_page():
    return importlib.import_module("mkdocs.commands.build")._populate_page


def _populate_page_is_as_expected() -> bool:
    return tuple(inspect.signature(_populate_page()).parameters) == POPULATE_PAGE_PARAMETERS


def _page_is_as_expected() -> bool:
    from mkdocs.structure.pages import Page

    # The method's source, not the class's: inspect finds a class by parsing its whole module (5 ms).
    render = inspect.getsource(Page.render)
    return (tuple(inspect.signature(Page.read_source).parameters) == ("self", "config")
            and tuple(inspect.signature(Page.render).parameters) == ("self", "config", "files")
            and all(f"self.{name} =" in render for name in PAGE_ATTRIBUTES))


def _toc_is_as_expected() -> bool:
    import markdown

    toc_module = importlib.import_module("markdown.extensions.toc")
    if not all(hasattr(toc_module, name) for name in ("nest_toc_tokens", "strip_tags", "unique")):
        return False
    # Called as skeleton_html calls them: unique's counters arrived in Markdown 3.11.
    try:
        if (toc_module.unique("a", {"a", "a_1"}, {}) != "a_2" or toc_module.strip_tags("<b>x</b> y") != "x y"
                or toc_module.nest_toc_tokens([{"level": 1, "id": "a", "name": "A"}])[0].get("children") != []):
            return False
    except Exception:  # noqa: BLE001 - any other signature or behaviour
        return False
    toc = markdown.Markdown(extensions=["toc"]).treeprocessors["toc"]
    return all(hasattr(toc, name) for name in TOC_SETTINGS)


def _search_handler_is_as_expected() -> bool:
    from material.plugins.search.plugin import SearchPlugin
    from mkdocs.plugins import PluginCollection

    from .material_search import MATERIAL_HANDLER

    source = textwrap.dedent(inspect.getsource(SearchPlugin.on_page_context))
    plugins = PluginCollection()
    return (source.strip() == MATERIAL_HANDLER.strip() and "page_context" in plugins.events
            and isinstance(getattr(plugins, EVENT_ORIGINS, None), dict))


def _search_worker_is_as_expected(files: _Sources) -> bool:
    return _material_worker(files) is not None


def _material_worker(files: _Sources) -> str | None:
    """The path of Material's search worker, as the ``__config`` script of ``base.html`` names it."""
    from .search_workers import CONFIG_SCRIPT, MATERIAL_WORKER

    base = files.template("base.html")
    found = MATERIAL_WORKER.search(base.rpartition(CONFIG_SCRIPT)[2]) if CONFIG_SCRIPT in base else None
    return found.group() if found and files.block_kept("config") else None


def _worker_protocol_is_as_expected(files: _Sources) -> bool:
    from .search_workers import MATERIAL_BUNDLE, WORKER_PROTOCOL

    bundle = files.template(MATERIAL_BUNDLE.search(files.template("base.html")).group())
    return files.block_kept("scripts") and all(message.search(bundle) for message in WORKER_PROTOCOL)


def _search_boost_is_as_expected(files: _Sources) -> bool:
    return SEARCH_BOOST.search(files.template(_material_worker(files))) is not None


def _search_wording_is_as_expected(files: _Sources) -> bool:
    from .search_workers import RESULT_WORDING

    english = files.template("partials/languages/en.html")
    return all(material in english for material in RESULT_WORDING)


def _pagefind_markup_is_as_expected(files: _Sources) -> bool:
    from .pagefind_search import ARTICLE

    return (ARTICLE in files.template("base.html") and files.block_kept("container")
            and f'"{SEARCH_EXCLUDE}"' in files.material("plugins/search/plugin.py"))


def _search_exclusions_are_as_expected(files: _Sources) -> bool:
    search = files.material("plugins/search/plugin.py")
    return PAGE_EXCLUDE in search and f'"{SEARCH_EXCLUDE}"' in search


def _search_dialog_is_as_expected(files: _Sources) -> bool:
    from .plugin import SEARCH_DIALOG

    return SEARCH_DIALOG in files.template("partials/search.html")


def _navigation_is_as_expected(files: _Sources) -> bool:
    from .nav_memo import NAV_NAMES, NAV_PARTS, NAV_TEMPLATES, PAGE_READS, URL_READS

    for name in (*NAV_TEMPLATES, *NAV_PARTS):
        text = files.template(name)
        if name in NAV_TEMPLATES:
            # A theme's own navigation may depend on the page in any way.
            if files.overridden(name):
                return False
            for read in PAGE_READS:
                text = text.replace(read, "")
        for read in URL_READS:
            text = text.replace(read, "")
        # Another relative link could point into a folder the memo takes to hold nothing it links to.
        if PAGE.search(text) or URL_FILTER.search(text) or not set(TEMPLATE_NAMES.findall(text)) <= NAV_NAMES:
            return False
    return NAV_TEMPLATES[1] in TEMPLATE_NAMES.findall(files.template(NAV_TEMPLATES[0]))


def _header_is_as_expected(files: _Sources) -> bool:
    from .header_memo import HEADER, NAMES, PAGE_READS, PARTS, URL_READS

    if files.overridden(HEADER):  # a theme's own header may depend on the page in any way
        return False
    for name in (HEADER, *PARTS):
        text = files.template(name)
        for read in (*PAGE_READS, *URL_READS) if name == HEADER else URL_READS:
            text = text.replace(read, "")
        if PAGE.search(text) or URL_FILTER.search(text) or not set(TEMPLATE_NAMES.findall(text)) <= NAMES:
            return False
    return True


def _search_entries_are_as_expected(files: _Sources) -> bool:
    from material.plugins.search.plugin import SearchIndex

    return (isinstance(SearchIndex().entries, list)
            and "self.entries.append(" in files.material("plugins/search/plugin.py"))


def _reload_is_as_expected(files: _Sources) -> bool:
    source = files.module("mkdocs.livereload")  # LiveReloadServer's
    return all(f"self.{name}" in source for name in RELOAD_ATTRIBUTES)


def _serve_builder_is_as_expected(files: _Sources) -> bool:
    from mkdocs.livereload import LiveReloadServer

    source = files.module("mkdocs.livereload")
    # get_app and set_app are wsgiref's WSGIServer, the standard library's API.
    return all(use in source for use in SERVE_BUILDER) and callable(getattr(LiveReloadServer, "set_app", None))


def _rebuild_request_is_as_expected(files: _Sources) -> bool:
    source = files.module("mkdocs.livereload")
    return all(use in source for use in REBUILD_REQUEST)


def _offline_polyfill_is_as_expected(files: _Sources) -> bool:
    from .plugin import IFRAME_WORKER_CDN

    return IFRAME_WORKER_CDN in files.material("plugins/offline/plugin.py")


def _offline_plugin_is_as_expected() -> bool:
    from material.plugins.offline.config import OfflineConfig
    from material.plugins.offline.plugin import OfflinePlugin
    from mkdocs.config.base import BaseConfigOption

    return (isinstance(getattr(OfflineConfig, "enabled", None), BaseConfigOption)
            and issubclass(OfflinePlugin.config_class, OfflineConfig)
            and OFFLINE_SWITCH in _material_file("plugins/offline/plugin.py"))
