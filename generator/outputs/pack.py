"""The governors' pack outside the site: a standalone HTML document, or A4 PDF.

The pack is the site's pack page (``pack.md.j2``), so the file a clerk
sends and the page a governor prints from the site are one document; it is
printed by the same :class:`~policybook.outputs.printing.Printer` as role
checklists.
"""

from __future__ import annotations

import datetime as dt

from .. import urls
from ..model import Handbook
from ..pages.site import template_context
from ..render import Renderer
from ..views.compare import Comparison
from ..views.pack import build_pack
from .printing import document_html

__all__ = ["FORMATS", "pack_html", "pack_markdown"]

FORMATS = ("pdf", "html")


def pack_markdown(handbook: Handbook, comparison: Comparison, *, today: dt.date, full: bool = False,
                  renderer: Renderer | None = None) -> str:
    """The pack page as the site builds it, dated as printed on ``today``."""
    path = urls.pack_page(comparison.new.policy_id, comparison.old.version, comparison.new.version)
    # A file of its own: no checklist pages beside it (the pack names roles without linking them anyway).
    context = template_context(handbook, today=today, checklists=())
    return (renderer or Renderer()).render("pack.md.j2", path, pack=build_pack(comparison, full=full), printed=True,
                                           **context)


def pack_html(handbook: Handbook, comparison: Comparison, *, today: dt.date, full: bool = False) -> str:
    """A standalone, print-ready HTML document of the pack."""
    renderer = Renderer()
    path = urls.pack_page(comparison.new.policy_id, comparison.old.version, comparison.new.version)
    title = (f"Governors' pack: {comparison.new.title}, version {comparison.old.version} to "
             f"{comparison.new.version} · {handbook.organisation.name}")
    return document_html(renderer, pack_markdown(handbook, comparison, today=today, full=full, renderer=renderer),
                         path, title=title)
