"""Render Material's header once per folder, and put each page's title in.

Material writes its header (logo, site name, page title, palette toggle,
search box) into every page. It depends on the page only through the title
it shows and, like the navigation, through relative links, which read the
same from sibling folders that hold nothing they link to
(``nav_memo.FolderLinks``). So :class:`HeaderMemo` renders it once per folder
group with a stand-in page whose title is :data:`TITLE`, and gives each page
that HTML with its own title in the stand-in's place: at 500 policies, a
handful of renderings instead of 5,000, which were 4% of the build's CPU.

It runs only while the header is Material's own and reads the page only as
:data:`PAGE_READS` lists (``internals`` checks the templates at startup), the
sticky tabs (which read the page) are off, and the environment prints values
as plain ``str`` (MkDocs' own: no autoescape, no finalize). A rendering that
does not hold the stand-in's title exactly once falls back to the page's own.
"""

from __future__ import annotations

import jinja2

from ..render import FragmentCache

HEADER = "partials/header.html"
PAGE_READS = ("page.meta and page.meta.title", "page.meta.title", "page.title")
"""Every way Material's header reads the page (the first before the others it holds)."""
URL_READS = ("config.extra.homepage | d(nav.homepage.url, true) | url", "config.theme.logo | url", "alt.link | url")
"""Every relative link the header and its partials write (``nav_memo.theme_links`` lists their targets)."""
PARTS = ("partials/logo.html", "partials/palette.html", "partials/javascripts/palette.html",
         "partials/alternate.html", "partials/search.html", "partials/source.html")
"""The partials the header includes that must not read the page."""
NAMES = frozenset({*PARTS, "partials/tabs.html", ".icons/"})
"""Every template the header names: ``tabs.html`` reads the page, and is included only with sticky tabs."""
STICKY_TABS = "navigation.tabs.sticky"
TITLE = "\x00policybook-header-title\x00"
"""The stand-in page's title: no site name, logo or icon holds it."""


def applies(env: jinja2.Environment, theme) -> bool:
    """Whether the memo gives the theme's own header here (the templates are checked at startup)."""
    return (STICKY_TABS not in (theme.get("features") or ()) and env.finalize is None
            and env.autoescape is False)


class HeaderMemo:
    """The header HTML per folder group and kind of title, with each page's title put in."""

    def __init__(self, env: jinja2.Environment, links) -> None:
        self._env = env
        self._links = links
        self._shared = FragmentCache()

    def __call__(self, page, *, caller) -> str:
        meta_title = self._env.getattr(page.meta, "title") if page.meta else None
        titled = bool(meta_title)  # as the header's "if page.meta and page.meta.title"
        shared = self._shared.get((self._links.key(page.url), titled), caller, (_StandIn(page.url, titled),))
        before, found, after = shared.partition(TITLE)
        if not found or TITLE in after:
            return caller(page)
        return before + str(meta_title if titled else page.title) + after


class _StandIn:
    """A page as the header reads it (``PAGE_READS``), titled :data:`TITLE` in its front matter or not.

    Its ``url`` is the first page's of the group: MkDocs' ``url`` filter makes links relative to it.
    """

    def __init__(self, url: str, titled: bool) -> None:
        self.url = url
        self.title = TITLE
        self.meta = {"title": TITLE} if titled else {}
