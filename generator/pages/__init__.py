"""Views to pages: what the site holds, engine-independent.

``build_site`` turns the (edition's) handbook into :class:`SitePage` objects,
the navigation and the assets; the MkDocs adapter and ``policybook export``
both write them out.
"""

from .site import STYLESHEET, PageMemo, Site, SiteOptions, SitePage, build_site, template_context

__all__ = ["STYLESHEET", "PageMemo", "Site", "SiteOptions", "SitePage", "build_site", "template_context"]
