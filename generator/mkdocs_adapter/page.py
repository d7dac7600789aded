"""The MkDocs page class of generated pages.

MkDocs renders every page with a fresh Python-Markdown instance. A
generated page's Markdown is only a skeleton of headings around HTML blocks
(see ``html_blocks``), so :class:`GeneratedPage` writes its HTML directly
from the page's outline when ``skeleton_html`` can reproduce Markdown's
output exactly, and hands the page to Markdown otherwise (also when another
plugin changed its Markdown). Either way the HTML blocks are back in place
before any ``on_page_content`` handler sees the page.

MkDocs supports plugins giving a file its own ``Page`` subclass (Material's
blog plugin does the same for posts); the page must exist before MkDocs
builds the navigation, so the plugin makes it in ``on_files``.
"""

from __future__ import annotations

import copy
import re
from typing import NamedTuple

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from .html_blocks import Stash, restore_html_blocks
from .leading_space import after_space
from .skeleton_html import HeadingStyle, heading_markup, render_skeleton

ID_CORE = re.compile(r"""id=["']([^"']+)["']""")
"""An element's id in a block's HTML, after the whitespace that ends the tag's name or attribute before it
(``leading_space.after_space`` looks for that)."""


class GeneratedPage(Page):
    """A page Policybook generated, with its HTML blocks set aside in ``stash``."""

    def __init__(self, title: str | None, file: File, config, *, meta: dict, stash: Stash,
                 style: HeadingStyle | None, read: StashRead | None = None) -> None:
        super().__init__(title, file, config)
        self.front_matter = meta
        """The front matter written into the file, so reading it back needs no YAML parser."""
        self.stash: Stash | None = stash
        self.read = read
        """What the process that stashed the page read of it already, if it did."""
        self.style = style
        """How headings are marked up; ``None`` when only Markdown may render the page."""

    def read_source(self, config) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is not None:  # another plugin supplied the page: read it as MkDocs would
            self.markdown, self.meta = get_data(source)
            return
        # What get_data makes of the file: MkDocs' pure-Python YAML took a
        # millisecond a page for two keys the plugin has just written.
        self.markdown, self.meta = self.stash.markdown.lstrip("\n"), copy.deepcopy(self.front_matter)

    def render(self, config, files: Files) -> None:
        stash = self.stash
        if stash is None:
            return  # rendered already: the blocks were freed and the content is complete
        # The outline is the skeleton as handed over: another plugin's edits go through Markdown.
        untouched = self.markdown == stash.markdown.lstrip("\n")
        rendered = None
        if self.style is not None and untouched:
            markup = self.read.heading_markup if self.read else heading_markup(stash)
            rendered = render_skeleton(stash, self.style, markup)
        if rendered is None:
            super().render(config, files)
            self.content = restore_html_blocks(self.content, stash)
            heading_ids = self.present_anchor_ids or set()
        else:
            self.content = rendered.content
            self.toc = get_toc(rendered.toc_tokens)
            self._title_from_render = None  # the front matter always gives the title
            self.links_to_anchors = {}
            heading_ids = set(rendered.anchor_ids)
        # Markdown saw placeholders, not the blocks: collect the blocks' ids
        # too, so links from hand-written pages to a clause can be checked.
        self.present_anchor_ids = heading_ids | (self.read.block_ids if self.read else block_anchor_ids(stash))
        self.stash = self.read = None  # the content holds the blocks now

    def release(self) -> None:
        """The page is written and its links are checked: drop its Markdown and HTML."""
        self.markdown = self.content = None


class StashRead(NamedTuple):
    """What a page's stash gives Markdown's fast path, read where the page is rendered (``plugin._stash_of``)."""

    block_ids: frozenset[str]
    """``block_anchor_ids(stash)``"""
    heading_markup: str | None
    """``skeleton_html.heading_markup(stash)``"""

    @classmethod
    def of(cls, stash: Stash) -> StashRead:
        return cls(block_anchor_ids(stash), heading_markup(stash))


def block_anchor_ids(stash: Stash) -> frozenset[str]:
    """The ids of elements in the page's stashed HTML blocks."""
    return frozenset(m.group(1) for block in stash.blocks for m in after_space(ID_CORE, block))
