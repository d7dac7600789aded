"""A page's table of contents with the headings the core lists whatever their depth.

MkDocs makes ``page.toc`` from the headings within the ``toc`` extension's
depth (``toc_depth: 2`` in the sample: sections, not clauses). A titled
clause asks to be listed too (``Heading.contents``, "4.2 Friend requests"),
under the section it belongs to. Python-Markdown has no per-heading say
over the contents, so the entries are added to ``page.toc`` after the page
is rendered, by whichever path rendered it (``skeleton_html``, Markdown on
the skeleton, or Markdown on the whole page): the page's HTML is untouched.
"""

from __future__ import annotations

from typing import Iterable

from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..render import Heading, PageBody


def listed_headings(body: PageBody) -> tuple[Heading, ...] | None:
    """The headings of ``body`` that :func:`with_listed_headings` needs (those with an id), or ``None`` when
    none asks to be listed."""
    return tuple(heading for heading in body.headings if heading.id is not None) if body.lists_headings else None


def with_listed_headings(toc: TableOfContents, headings: Iterable[Heading]) -> TableOfContents:
    """``toc`` with an entry for each heading that has ``contents`` and no entry yet.

    Each new entry goes under the nearest heading above it that is in the
    contents and of a lower level (its section), after that heading's
    entries so far, so the contents keep page order.

    Args:
        toc: the page's table of contents as MkDocs made it (changed in place).
        headings: the page's headings, in page order.
    """
    listed = {link.id: link for link in _links(toc.items)}
    seen: set[str] = set()
    ancestors: list[AnchorLink] = []  # the entries above the current heading, outermost first
    for heading in headings:
        link = listed.get(heading.id)
        if link is None and heading.contents is not None:
            link = AnchorLink(" ".join(heading.contents.split()), heading.id, heading.level)
            while ancestors and ancestors[-1].level >= link.level:
                ancestors.pop()
            siblings = ancestors[-1].children if ancestors else toc.items
            # After the entries of headings above it: a listed heading below it keeps its place after it.
            siblings.insert(max((i + 1 for i, other in enumerate(siblings) if other.id in seen), default=0), link)
            listed[link.id] = link
        if link is None:
            continue
        seen.add(link.id)
        while ancestors and ancestors[-1].level >= link.level:
            ancestors.pop()
        ancestors.append(link)
    return toc


def _links(items: list[AnchorLink]):
    for link in items:
        yield link
        yield from _links(link.children)
