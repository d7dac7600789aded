"""Material's search plugin, with its per-page scan done at the speed of a literal search.

On every page, Material's search plugin indexes the page, then drops any
``data-search-...="..."`` attribute from its HTML with a regular expression
that starts with an optional space, so ``re`` tries it at every character
of the page: 0.75 ms on a 30 KB version page. Policybook's pages hold such
an attribute (``render.UNSEARCHED`` on the version history and pickers), so
the scan ran on nearly every page: about 0.9 s of CPU at 500 policies.
:func:`skip_needless_scans` puts an equivalent handler in the plugin's place
that skips a page without ``data-search-`` at all, and drops the attributes
of one that has it with ``leading_space.strip_optionally_spaced`` (the same
result, 20 times faster; property-tested against Material's pattern).

It needs Material's handler to be exactly the one this module reproduces:
``internals.check_internals`` compares its source with
:data:`MATERIAL_HANDLER` (and checks MkDocs' ``_event_origins``, which names
the handler in its debug log), and when a release changes either the plugin
keeps Material's own handler.
"""

from __future__ import annotations

import re

from .internals import EVENT_ORIGINS
from .leading_space import strip_optionally_spaced

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
SEARCH_ATTRIBUTE_CORE = re.compile(_SEARCH_ATTRIBUTE.pattern.removeprefix(r"\s?"))
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
            page.content = strip_optionally_spaced(SEARCH_ATTRIBUTE_CORE, page.content)
        return None

    return on_page_context
