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
Material's English result wording ("1 matching        ``search_workers``    Material's wording of the result
document", ...) in ``partials/languages/en.html``                           count
``<article class="md-content__inner md-typeset">`` in  ``pagefind_search``   Material's own search (no Pagefind)
``base.html``; ``data-search-exclude`` in Material's
search plugin
Material's search dialog, ``<div class="md-search"     ``plugin``            the dialog as Material writes it
data-md-component="search" role="dialog">`` in                              (without an accessible name)
``partials/search.html``
``SearchIndex.entries`` of Material's search plugin    ``incremental``       serve rebuilds every page after a save
(the list ``add_entry_from_context`` appends to)
``LiveReloadServer``'s ``_epoch_cond``,                ``serve``             Pagefind indexes a save within the
``_visible_epoch`` and ``_wanted_epoch`` (what                              rebuild; MkDocs reloads the browsers
``reload_browsers`` advances)                                               once, after it
Material's ``OfflinePlugin``: built from its config    ``build``             ``--offline`` stops with an error
(``load_config({"enabled": True})``) and switched on                        (Material's offline plugin can still
with ``config.enabled``, which its handlers read                            be listed in ``mkdocs.yml``)
the CDN URL its ``on_config`` adds to                  ``plugin``            the offline site loads Material's
``extra.polyfills`` (``plugin.IFRAME_WORKER_CDN``)                          polyfill from its CDN
=====================================================  ===================  ===================================

Material's markup is checked in Material's installed files (its templates,
its plugins' sources), read once per build; serve's and the offline plugin's
internals only when serving or building offline.

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

Material's own markup is relied on too, each time only to add to it:
``nav_memo`` wraps Material's ``partials/nav.html`` (it stands aside when a
theme overrides it), the Pagefind worker answers in Material's
search-worker protocol (pinned by ``tests/test_pagefind_search.py`` in a
browser), and ``boost_search_parts`` edits ``search/search_index.json``
(nothing happens without it). ``serve.keep_serving`` wraps the ``builder``
attribute of MkDocs' ``LiveReloadServer`` (checked when ``on_serve`` gets
the server: without it, a broken save makes the preview wait, as plain
MkDocs does, with a warning) and its WSGI application (``get_app``/``set_app``,
the standard library's API). Material prints ``site_name``, page titles
and navigation titles without escaping them, so the plugin escapes them.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import textwrap
from dataclasses import dataclass
from pathlib import Path

# Not under MkDocs' logger: strict mode counts its warnings, and a slower
# build is no reason to fail one.
log = logging.getLogger("policybook")

BUILD_PAGE_PARAMETERS = ("page", "config", "doc_files", "nav", "env", "dirty", "excluded")
POPULATE_PAGE_PARAMETERS = ("page", "config", "files", "dirty")
PAGE_ATTRIBUTES = ("toc", "present_anchor_ids", "links_to_anchors", "_title_from_render")
TOC_SETTINGS = ("use_anchors", "permalink_leading", "base_level", "use_permalinks", "toc_top", "toc_bottom",
                "permalink_class", "permalink_title", "slugify", "sep")
EVENT_ORIGINS = "_event_origins"
"""``PluginCollection``'s handler -> plugin name map, which names a swapped handler in MkDocs' debug log."""
RELOAD_ATTRIBUTES = ("_epoch_cond", "_visible_epoch", "_wanted_epoch")
"""What ``serve.reload_browsers`` reads and advances on MkDocs' ``LiveReloadServer``."""
SEARCH_EXCLUDE = "data-search-exclude"
"""Material's mark for blocks its search index leaves out (``pagefind_search`` leaves them out too)."""
OFFLINE_SWITCH = "self.config.enabled"
"""What the handlers of Material's offline plugin read, and ``build._enable_offline`` sets."""
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


def check_internals(*, serving: bool = False, offline: bool = False) -> EngineInternals:
    """Probe every internal once, warning about each that changed.

    Args:
        serving: under ``mkdocs serve``: also what only serve uses.
        offline: Material's offline plugin is on: also what only it uses.
    """
    generated_pages = _check("MkDocs' Page.read_source and Page.render", _page_is_as_expected) and _check(
        "markdown.util's STX, ETX and BLOCK_LEVEL_ELEMENTS",
        lambda: all(hasattr(importlib.import_module("markdown.util"), name)
                    for name in ("STX", "ETX", "BLOCK_LEVEL_ELEMENTS")))
    skeleton = generated_pages and _check("markdown.extensions.toc's helpers and settings", _toc_is_as_expected)
    build_page = _build_page() if _check("mkdocs.commands.build._build_page", _build_page_is_as_expected) else None
    populate_page = (_populate_page() if _check("mkdocs.commands.build._populate_page", _populate_page_is_as_expected)
                     else None)
    search_handler = _check("Material's SearchPlugin.on_page_context", _search_handler_is_as_expected)
    search_worker = _check("Material's search worker in its __config script", _search_worker_is_as_expected,
                           then="search uses Material's own worker and index (no Pagefind)")
    search_wording = _check("Material's wording of the search result count", _search_wording_is_as_expected,
                            then="the result count keeps Material's wording")
    pagefind_markup = _check("Material's article markup or data-search-exclude", _pagefind_markup_is_as_expected,
                             then="search uses Material's own index (no Pagefind)")
    search_dialog = _check("Material's search dialog markup", _search_dialog_is_as_expected,
                           then="the dialog keeps Material's markup, without an accessible name")
    search_entries = serving and _check("Material's SearchIndex.entries", _search_entries_are_as_expected)
    reload_browsers = serving and _check(
        "MkDocs' LiveReloadServer epochs", _reload_is_as_expected,
        then="Pagefind indexes each save before the browser reloads (a slower preview, the same pages)")
    offline_polyfill = not offline or _check(
        "The polyfill Material's offline plugin adds", _offline_polyfill_is_as_expected,
        then="the offline site loads Material's polyfill from its CDN (its search needs the network)")
    return EngineInternals(build_page, generated_pages, skeleton, populate_page, search_handler, search_worker,
                           search_wording, pagefind_markup, search_dialog, search_entries, reload_browsers,
                           offline_polyfill)


def check_offline_plugin() -> bool:
    """Whether Policybook can add and switch on Material's offline plugin (``build._enable_offline``); warns if not."""
    return _check("Material's OfflinePlugin", _offline_plugin_is_as_expected,
                  then="--offline cannot switch it on: list `offline` under plugins in mkdocs.yml instead")


def _check(what: str, probe, then: str = PLAIN_PATH) -> bool:
    try:
        ok = bool(probe())
    except Exception:  # noqa: BLE001 - any failure of a probe means the internal changed
        ok = False
    if not ok:
        log.warning(f"policybook: {what} changed in this release: {then}")
    return ok


def _material_file(path: str) -> str:
    """The text of ``path`` in the installed Material package (``templates/base.html``)."""
    root = Path(importlib.import_module("material").__file__).parent
    return (root / path).read_text(encoding="utf-8")


def _build_page():
    return importlib.import_module("mkdocs.commands.build")._build_page


def _build_page_is_as_expected() -> bool:
    return tuple(inspect.signature(_build_page()).parameters) == BUILD_PAGE_PARAMETERS


def _populate_page():
    return importlib.import_module("mkdocs.commands.build")._populate_page


def _populate_page_is_as_expected() -> bool:
    return tuple(inspect.signature(_populate_page()).parameters) == POPULATE_PAGE_PARAMETERS


def _page_is_as_expected() -> bool:
    from mkdocs.structure.pages import Page

    source = inspect.getsource(Page)
    return (tuple(inspect.signature(Page.read_source).parameters) == ("self", "config")
            and tuple(inspect.signature(Page.render).parameters) == ("self", "config", "files")
            and all(name in source for name in PAGE_ATTRIBUTES))


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


def _search_worker_is_as_expected() -> bool:
    from .search_workers import CONFIG_SCRIPT, MATERIAL_WORKER

    base = _material_file("templates/base.html")
    config = base.rpartition(CONFIG_SCRIPT)[2]
    return CONFIG_SCRIPT in base and MATERIAL_WORKER.search(config) is not None


def _search_wording_is_as_expected() -> bool:
    from .search_workers import RESULT_WORDING

    english = _material_file("templates/partials/languages/en.html")
    return all(material in english for material in RESULT_WORDING)


def _pagefind_markup_is_as_expected() -> bool:
    from .pagefind_search import ARTICLE

    return (ARTICLE in _material_file("templates/base.html")
            and f'"{SEARCH_EXCLUDE}"' in _material_file("plugins/search/plugin.py"))


def _search_dialog_is_as_expected() -> bool:
    from .plugin import SEARCH_DIALOG

    return SEARCH_DIALOG in _material_file("templates/partials/search.html")


def _search_entries_are_as_expected() -> bool:
    from material.plugins.search.plugin import SearchIndex

    return (isinstance(SearchIndex().entries, list)
            and "self.entries.append(" in _material_file("plugins/search/plugin.py"))


def _reload_is_as_expected() -> bool:
    from mkdocs.livereload import LiveReloadServer

    source = inspect.getsource(LiveReloadServer)
    return all(f"self.{name}" in source for name in RELOAD_ATTRIBUTES)


def _offline_polyfill_is_as_expected() -> bool:
    from .plugin import IFRAME_WORKER_CDN

    return IFRAME_WORKER_CDN in _material_file("plugins/offline/plugin.py")


def _offline_plugin_is_as_expected() -> bool:
    from material.plugins.offline.config import OfflineConfig
    from material.plugins.offline.plugin import OfflinePlugin
    from mkdocs.config.base import BaseConfigOption

    return (isinstance(getattr(OfflineConfig, "enabled", None), BaseConfigOption)
            and issubclass(OfflinePlugin.config_class, OfflineConfig)
            and OFFLINE_SWITCH in _material_file("plugins/offline/plugin.py"))
