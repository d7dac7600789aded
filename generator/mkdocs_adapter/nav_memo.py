"""Render Material's navigation once per folder for the pages outside it.

Material writes the whole navigation into every page. For a page that is
not in the navigation (an old version, a comparison) nothing in it is marked
active, so its HTML depends on the page only through relative links: it is
the same for every such page in one folder. At trust scale that is most
pages, and the navigation was a quarter of each page's template time.

It is also the same for sibling folders that hold nothing the navigation
links to (``policies/<id>/`` of every policy): seen from such a folder, every
link first climbs to the parent, as MkDocs' ``get_relative_url`` counts the
common part, so the links read the same from each sibling. Those folders
share one rendering, which at 500 policies saves about 500 of them.

:func:`install` puts a wrapper ``partials/nav.html`` in front of the theme's
templates; the wrapper includes the theme's own file (as
``policybook-theme/partials/nav.html``) and keeps its output per folder.
It does so only while the navigation templates in use are Material's own:
a site that overrides them may make them depend on the page. At the start
of each build ``internals.check_internals`` reads those templates where the
build finds them, with the partials they include, and lets the memo run
only while they read the page in the ways listed below; otherwise every
page renders its navigation, with a warning.
"""

from __future__ import annotations

import logging
import posixpath
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from mkdocs.utils import get_theme_dir

from ..render import FragmentCache
from . import header_memo

NAV_TEMPLATES = ("partials/nav.html", "partials/nav-item.html")
NAV_PARTS = ("partials/logo.html", "partials/source.html")
"""The partials every navigation includes: whichever the theme uses, they must not read the page."""
NAV_NAMES = frozenset({*NAV_TEMPLATES, *NAV_PARTS, "partials/toc.html", ".icons/"})
"""Every template the navigation names (``toc.html`` only for the page it lists, ``.icons/`` its SVG icons)."""
PAGE_READS = ("page in nav_item.pages", "set nav_item = page", "index == page", "nav_item == page", "page.toc")
"""Every way Material's navigation templates read the page: each is false, or not reached, for a page the
navigation does not list, so that page's navigation is its folder's."""
URL_READS = ("config.extra.homepage | d(nav.homepage.url, true) | url", "first.url | url", "index.url | url",
             "nav_item.url | url", "config.theme.logo | url")
"""Every relative link Material's navigation writes: a navigation item's, the home page's and the logo's
(:func:`theme_links` lists them), so the folders that hold none of them are known."""
PREFIX = "policybook-theme"

log = logging.getLogger("policybook")  # as internals': a slower build is no reason to fail a strict one


class FolderLinks:
    """The folders that hold a target of the theme's relative links, and so what a page's links depend on."""

    def __init__(self, urls) -> None:
        self._holding = _folders_holding(urls)

    def key(self, url: str) -> str | tuple[str, str]:
        """What the relative links written into the page at ``url`` depend on: its folder, or its folder's parent."""
        folder = posixpath.dirname(url)
        if not folder or folder in self._holding:
            return folder
        return (posixpath.dirname(folder), "*")


class NavMemo:
    """The navigation HTML per folder, for pages the navigation does not list."""

    def __init__(self, nav, links: FolderLinks) -> None:
        self._listed = {id(page) for page in nav.pages}
        self._links = links
        self._by_folder = FragmentCache()

    def shared(self, page) -> bool:
        """Whether ``page`` gets the navigation its folder's other unlisted pages get."""
        return page is not None and id(page) not in self._listed

    def __call__(self, page, *, caller) -> str:
        return self._by_folder(self._links.key(page.url), caller=caller)


def theme_links(nav, theme, extra) -> FolderLinks:
    """Every relative link the navigation and the header write (``URL_READS``, ``header_memo.URL_READS``)."""
    homepage = getattr(nav, "homepage", None)
    alternates = (extra or {}).get("alternate") or ()
    linked = ((extra or {}).get("homepage"), homepage.url if homepage is not None else None, theme.get("logo"),
              *(alternate.get("link") for alternate in alternates if isinstance(alternate, dict)))
    return FolderLinks([*_item_urls(getattr(nav, "items", ())), *(url for url in linked if isinstance(url, str))])


def _item_urls(items):
    for item in items:
        if getattr(item, "url", None) is not None:
            yield item.url
        yield from _item_urls(getattr(item, "children", None) or ())


def _folders_holding(urls) -> frozenset[str]:
    """Every folder that is, or holds, a target of a relative link in ``urls`` (as MkDocs normalises them)."""
    folders = set()
    for url in urls:
        if not url or urlsplit(url).scheme or urlsplit(url).netloc or url.startswith(("/", "#")):
            continue  # MkDocs writes these as they are, from any folder
        parts = posixpath.normpath("/" + url.replace("\\", "/")).strip("/").split("/")
        folders.update("/".join(parts[:end]) for end in range(1, len(parts) + 1))
    return frozenset(folders)


def install(env: jinja2.Environment, nav, theme, extra=None, *, navigation: bool = True, header: bool = False) -> bool:
    """Wrap the navigation template of ``env`` (and with ``header`` the header's) when it is Material's own.

    Returns True if it wrapped any.

    Args:
        theme: MkDocs' ``config.theme``.
        extra: MkDocs' ``config.extra`` (its ``homepage`` and ``alternate`` links are written into every page).
        navigation, header: which the startup check found as the memos expect (``internals``).
    """
    theme_loader = env.loader
    if theme.name != "material" or theme_loader is None:
        return False
    theme_dir = Path(get_theme_dir(theme.name))
    if navigation and not _all_from(theme_loader, env, theme_dir, NAV_TEMPLATES):
        # The startup check read them in the theme's folders: another plugin changed the loader since.
        log.warning("policybook: the theme's environment finds partials/nav.html elsewhere than Material's "
                    "templates: every page renders its navigation (slower, same pages)")
        navigation = False
    header = header and header_memo.applies(env, theme) and _all_from(theme_loader, env, theme_dir, (header_memo.HEADER,))
    if not (navigation or header):
        return False
    overrides = jinja2.FileSystemLoader(str(resources.files(__package__).joinpath("assets", "theme")))
    env.loader = jinja2.ChoiceLoader([overrides, jinja2.PrefixLoader({PREFIX: theme_loader}), theme_loader])
    links = theme_links(nav, theme, extra)
    if navigation:
        env.globals["policybook_nav"] = NavMemo(nav, links)
    if header:
        env.globals["policybook_header"] = header_memo.HeaderMemo(env, links)
    return True


def _all_from(loader: jinja2.BaseLoader, env: jinja2.Environment, theme_dir: Path, names) -> bool:
    for name in names:
        try:
            _, filename, _ = loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            return False
        if filename is None or Path(filename).resolve().parent.parent != theme_dir.resolve():
            return False
    return True
