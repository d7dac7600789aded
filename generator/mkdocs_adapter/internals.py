"""The engine internals the adapter's speed devices rely on, checked at the start of every build.

No public API promises any of these; each device that uses one asks here
first. When a new MkDocs or Python-Markdown release changes one, the device
stands aside, the build takes MkDocs' plain path, and a warning names what
changed: the site is slower, never silently wrong.

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
source) and MkDocs' ``config.plugins.events``
=====================================================  ===================  ===================================

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
theme overrides it), ``plugin.on_post_page`` labels Material's search dialog
(nothing happens if its markup changed), the Pagefind worker answers in
Material's search-worker protocol, ``boost_search_parts`` edits
``search/search_index.json``, and the offline plugin's ``extra.polyfills``
are pointed at a vendored shim. ``serve.keep_serving`` wraps the
``builder`` attribute of MkDocs' ``LiveReloadServer`` (without it, a broken
save makes the preview wait, as plain MkDocs does, with a warning) and its
WSGI application (``get_app``/``set_app``, the standard library's API). Material prints ``site_name``, page titles
and navigation titles without escaping them, so the plugin escapes them.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import textwrap
from dataclasses import dataclass

# Not under MkDocs' logger: strict mode counts its warnings, and a slower
# build is no reason to fail one.
log = logging.getLogger("policybook")

BUILD_PAGE_PARAMETERS = ("page", "config", "doc_files", "nav", "env", "dirty", "excluded")
POPULATE_PAGE_PARAMETERS = ("page", "config", "files", "dirty")
PAGE_ATTRIBUTES = ("toc", "present_anchor_ids", "links_to_anchors", "_title_from_render")
TOC_SETTINGS = ("use_anchors", "permalink_leading", "base_level", "use_permalinks", "toc_top", "toc_bottom",
                "permalink_class", "permalink_title", "slugify", "sep")


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


def check_internals() -> EngineInternals:
    """Probe every internal once, warning about each that changed."""
    generated_pages = _check("MkDocs' Page.read_source and Page.render", _page_is_as_expected) and _check(
        "markdown.util's STX, ETX and BLOCK_LEVEL_ELEMENTS",
        lambda: all(hasattr(importlib.import_module("markdown.util"), name)
                    for name in ("STX", "ETX", "BLOCK_LEVEL_ELEMENTS")))
    skeleton = generated_pages and _check("markdown.extensions.toc's helpers and settings", _toc_is_as_expected)
    build_page = _build_page() if _check("mkdocs.commands.build._build_page", _build_page_is_as_expected) else None
    populate_page = (_populate_page() if _check("mkdocs.commands.build._populate_page", _populate_page_is_as_expected)
                     else None)
    search_handler = _check("Material's SearchPlugin.on_page_context", _search_handler_is_as_expected)
    return EngineInternals(build_page, generated_pages, skeleton, populate_page, search_handler)


def _check(what: str, probe) -> bool:
    try:
        ok = bool(probe())
    except Exception:  # noqa: BLE001 - any failure of a probe means the internal changed
        ok = False
    if not ok:
        log.warning(f"policybook: {what} changed in this release: Policybook takes MkDocs' plain path there "
                    "(slower, same pages)")
    return ok


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
    return source.strip() == MATERIAL_HANDLER.strip() and "page_context" in PluginCollection().events
