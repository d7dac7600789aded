"""Build the pages nothing else reads in a forked child, while MkDocs builds the rest.

MkDocs builds pages one at a time, and at trust scale most of them are
archive pages: superseded versions and comparisons (and checklists), which
are in no search index. Once every page is read (``on_env``) their HTML
depends only on data this process already holds, so a child made with
``fork`` renders them with MkDocs' own page builder — theme, context and
every plugin's page events — while this process goes on with the pages the
search index needs. MkDocs' loop skips the child's pages because they are
marked excluded until the build ends; :meth:`BackgroundPages.finish`
restores them.

Nothing about the output may depend on which process wrote a page. The
child logs nothing: it counts what it would have logged. If it logged a
warning or an error, or failed in any other way, :meth:`finish` builds the
pages again here, so messages, strict-mode counts and exceptions are what
a serial build would give.

Pages left to the child are not in ``sitemap.xml`` (MkDocs writes it before
the page loop, from the included pages): archive pages are not for crawlers.

Given a ``release`` function (a one-off build, when no other plugin reads a
written page), each process drops each page's HTML once the page is
written, and the memory goes back to the system: a page shared by both
processes is only freed once both have dropped it, so the child first drops
the pages it will never build, and this process drops each of the child's
pages as the child reports it written without a message (the pages a
failed child left unconfirmed keep their HTML, for building them here).
Without it, both processes held every page until the end of the loop, and
that was the build's peak.
"""

from __future__ import annotations

import logging
import os
from typing import Callable, Sequence

from mkdocs.structure.files import File, Files, InclusionLevel

from ..parallel import ChildJob, can_fork, start_in_child
from .memory import trim_freed_memory

MIN_PAGES = 64
"""Below this many pages the fork costs more than it saves."""
SEARCHED_PAGE_COST = 1.7
"""What a page in Material's search index costs to build, in pages out of it.

The search plugin parses each indexed page's HTML again, so these pages
cost more (measured on the 500-policy benchmark: 12.7 against 7.7 ms).
The child takes unsearched pages until both processes have about half
the work.
"""
PAGEFIND_PAGE_COST = 1.4
"""The same under Pagefind, where Material's index skips every page.

At 500 policies, page loop CPU seconds of this process / the child: 8.9 / 9.9
at 1.7, 10.3 / 9.7 at 1.2 (loaded machine); level at about 1.4.
"""
TRIM_EVERY = 256
"""Released pages between two trims of the heap (a trim walks the allocator's free lists)."""


class BackgroundPages:
    """Pages being built in a child process; ``finish`` waits for them."""

    def __init__(self, files: Sequence[File], job: ChildJob[int], build_page, check_anchors,
                 release: Callable[[File], None] | None = None, progress: int | None = None) -> None:
        self.files = files
        self.inclusions = [file.inclusion for file in files]
        self.job = job
        self._build_page = build_page
        self._check_anchors = check_anchors
        self._release = Releaser(release) if release is not None else None
        self._progress = progress
        """The read end of a pipe: one byte each time the child has written one more page without a message."""
        self.confirmed = 0
        """How many of ``files``, in order, the child reported written without a message."""

    @classmethod
    def start(cls, candidates: Sequence[File], *, config, files: Files, nav, env, build_page=None,
              release: Callable[[File], None] | None = None,
              searched_cost: float = SEARCHED_PAGE_COST) -> BackgroundPages | None:
        """Start building ``candidates`` in a child, or return ``None`` when that is not worth it or not safe.

        Args:
            candidates: documentation pages that no search index or later
                page reads; drafts that the build excludes are left out here.
            files, nav, env: the build's, after every plugin's ``on_env``.
            build_page: MkDocs' private page builder (``internals.check_internals``);
                without it every page is built in this process.
            release: drops a written page's HTML; the child calls it for the
                pages it does not build, and for each page it has written.
            searched_cost: what each page left here costs, in candidate pages
                (:data:`SEARCHED_PAGE_COST`, :data:`PAGEFIND_PAGE_COST`).
        """
        # The page list every page's context gets, as MkDocs' own loop would give it.
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        eligible = [file for file in candidates if file.page is not None and file.inclusion.is_included()]
        chosen = _half_the_work(eligible, searched=len(doc_files) - len(eligible), cost=searched_cost)
        if build_page is None or not can_fork(len(chosen), MIN_PAGES):
            return None
        mkdocs_build_page = build_page

        def build_page(file: File) -> None:
            mkdocs_build_page(file.page, config, doc_files, nav, env)

        def check_anchors(file: File) -> None:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)

        if release is not None:
            progress, report = os.pipe()
            mine = set(map(id, chosen))
            others = [file for file in doc_files if id(file) not in mine]

        def build_all() -> int:
            counter = _silence_logging()
            if release is None:
                for file in chosen:
                    build_page(file)
                return counter.messages
            os.close(progress)
            releaser = Releaser(release)
            for file in others:  # this process builds them: the child would only keep them alive
                releaser(file)
            trim_freed_memory()
            for file in chosen:
                build_page(file)
                if counter.messages == 0:
                    releaser(file)
                    os.write(report, b".")
            return counter.messages

        job = start_in_child(build_all)
        if release is not None:
            os.close(report)
        background = cls(chosen, job, build_page, check_anchors, release, progress if release is not None else None)
        for file in chosen:
            file.inclusion = InclusionLevel.EXCLUDED  # MkDocs' page loop skips them now
        return background

    def poll(self) -> None:
        """Drop the HTML of the pages the child has written since the last call (returns at once)."""
        self._read_progress(block=False)

    def finish(self) -> None:
        """Wait for the child; build here the pages it did not write, if it failed or had anything to say."""
        try:
            self._read_progress(block=True)
            messages = self.job.result()
        finally:
            self._restore()
        if messages != 0:
            # The pages the child confirmed are written and logged nothing: building them again would give the same.
            for file in self.files[self.confirmed:]:
                self._build_page(file)
        for file in self.files:
            self._check_anchors(file)

    def cancel(self) -> None:
        """The build failed: stop the child."""
        self.job.cancel()
        self._close_progress()
        self._restore()

    def _read_progress(self, *, block: bool) -> None:
        if self._progress is None:
            return
        os.set_blocking(self._progress, block)
        while True:
            try:
                written = os.read(self._progress, 4096)
            except BlockingIOError:
                return
            if not written:  # the child has exited
                self._close_progress()
                return
            for file in self.files[self.confirmed:self.confirmed + len(written)]:
                self._release(file)
            self.confirmed += len(written)

    def _close_progress(self) -> None:
        if self._progress is not None:
            os.close(self._progress)
            self._progress = None

    def _restore(self) -> None:
        for file, inclusion in zip(self.files, self.inclusions):
            file.inclusion = inclusion


class Releaser:
    """Calls ``release`` on written pages, and gives the freed memory back every ``TRIM_EVERY`` pages.

    Only in the process that made it: a forked child makes its own.
    """

    def __init__(self, release: Callable[[File], None]) -> None:
        self._release = release
        self._count = 0
        self._process = os.getpid()

    def __call__(self, file: File) -> None:
        if os.getpid() != self._process:
            return
        self._release(file)
        self._count += 1
        if self._count % TRIM_EVERY == 0:
            trim_freed_memory()


def _half_the_work(eligible: Sequence[File], *, searched: int, cost: float) -> list[File]:
    """The eligible pages a child should build so that it and this process finish together."""
    half = (len(eligible) + cost * searched) / 2
    count = min(len(eligible), round(half))
    # Spread the choice over the list: pages of one policy come together and vary in size.
    return [file for i, file in enumerate(eligible) if (i + 1) * count // len(eligible) > i * count // len(eligible)]


class MessageCounter(logging.Handler):
    """Counts the warnings and errors logged where it is installed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.messages += 1


def _silence_logging() -> MessageCounter:
    """In the child: log nothing, count warnings and errors.

    MkDocs, its plugins and the theme log under ``mkdocs`` or the root
    logger; a message from the child would appear once here and once again
    when the pages are rebuilt, and strict mode counts only this process's.
    """
    counter = MessageCounter()
    # A handler on the root too: with none, Python's last-resort handler prints warnings.
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        logger.handlers = [counter]
    logging.getLogger("mkdocs").propagate = False
    return counter
