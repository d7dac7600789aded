"""Material's search plugin, without its per-page scan where the scan would change nothing.

On every page, Material's search plugin indexes the page, then drops any
``data-search-...="..."`` attribute from its HTML with a regular expression
that starts with an optional space, so it is tried at every character of
the page (0.65 ms a page when measured first), and Policybook's pages hold
no such attribute. Today it saves 0.5 s of a 23 s build and 1 s of CPU at
500 policies, nothing measurable below (benchmarks/RESULTS.md, "Issue 15,
helper a"): kept while the full build's 30 s target (issue 21) wants every
second. :func:`skip_needless_scans` puts an equivalent
handler in the plugin's place that scans only a page that holds
``data-search-`` at all; a page that does gets Material's own substitution.

It needs Material's handler to be exactly the one this module reproduces:
``internals.check_internals`` compares its source with
:data:`MATERIAL_HANDLER` (and checks MkDocs' ``_event_origins``, which names
the handler in its debug log), and when a release changes either the plugin
keeps Material's own handler.
"""

from __future__ import annotations

import re

from .internals import EVENT_ORIGINS

MATERIAL_HANDLER = '''
def on_page_context(self, context, *, page, config, nav):
    if not self.config.enabled:
        return

    # Index page
    self.search_index.add_entry_from_context(page)
    page.content = re.sub(
        r"\\s?data-search-\\w+=\\"[^\\"]+\\"",
        "",
        page.content
    )
'''
"""The source of Material's ``SearchPlugin.on_page_context`` that :func:`_indexing` reproduces (dedented)."""

_SEARCH_ATTRIBUTE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # Material's pattern
_MARK = "data-search-"  # in every string the pattern matches


def skip_needless_scans(plugins) -> bool:
    """Swap the search plugin's ``page_context`` handler in ``plugins`` for :func:`_indexing`; True if it did.

    Args:
        plugins: MkDocs' ``config.plugins``, after every plugin registered its events.
    """
    from material.plugins.search.plugin import SearchPlugin

    handlers = plugins.events["page_context"]
    for index, handler in enumerate(handlers):
        plugin = getattr(handler, "__self__", None)
        if isinstance(plugin, SearchPlugin) and getattr(handler, "__func__", None) is SearchPlugin.on_page_context:
            handlers[index] = replacement = _indexing(plugin)
            origins = getattr(plugins, EVENT_ORIGINS, None)  # names the plugin in MkDocs' debug log
            if isinstance(origins, dict) and handler in origins:
                origins[replacement] = origins[handler]
            return True
    return False


def _indexing(plugin):
    """Material's handler of ``plugin``, scanning only pages that hold an attribute to drop."""

    def on_page_context(context, *, page, config, nav):
        if not plugin.config.enabled:
            return None
        plugin.search_index.add_entry_from_context(page)
        if _MARK in page.content:
            page.content = _SEARCH_ATTRIBUTE.sub("", page.content)
        return None

    return on_page_context
