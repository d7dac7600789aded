"""Build the pages nothing else reads in a forked child, while MkDocs builds the rest.

MkDocs builds pages one at a time, and at trust scale most of them are
archive pages: superseded versions and comparisons (and checklists), which
are in no search index. Once every page is read (``on_env``) their HTML
depends only on data this process already holds, so a child made with
``fork`` renders them with MkDocs' own page builder — theme, context and
every plugin's page events — while this process goes on with the pages the
search index needs, then takes its share of the archive pages the child has
not reached. MkDocs' loop skips the archive pages because they are marked
excluded until the build ends; :meth:`BackgroundPages.finish` restores them.

Nothing about the output may depend on which process wrote a page. The
child logs nothing: it counts what it would have logged. If it logged a
warning or an error, or failed in any other way, :meth:`finish` builds the
pages again here, so messages, strict-mode counts and exceptions are what
a serial build would give.

MkDocs writes ``sitemap.xml`` before the page loop, from the included
pages: the plugin gives it ``BackgroundPages.listed`` instead, so the
archive pages are listed as a build without the child (one CPU,
``POLICYBOOK_JOBS=1``) lists them.

Given a ``release`` function (a one-off build, when no other plugin reads a
written page), each process drops each page's HTML once the page is
written, and the memory goes back to the system: a page shared by both
processes is only freed once both have dropped it, so the child first drops
the pages it can never build, and this process drops each of the child's
pages as the child reports it written without a message (the pages a
failed child left unconfirmed keep their HTML, for building them here).
Without it, both processes held every page until the end of the loop, and
that was the build's peak.
"""

from __future__ import annotations

import logging
import os
import struct
from typing import Callable, Sequence

from mkdocs.structure.files import File, Files, InclusionLevel

from ..speed.parallel import ChildJob, Claims, can_fork, start_in_child
from .memory import trim_freed_memory

MIN_PAGES = 64
"""Below this many pages the fork costs more than it saves."""
TRIM_EVERY = 256
"""Released pages between two trims of the heap (a trim walks the allocator's free lists)."""


class BackgroundPages:
    """Pages being built in a child process; ``finish`` builds here what the child has not taken, then waits for it."""

    def __init__(self, files: Sequence[File], claims: Claims, job: ChildJob[int], build_page, check_anchors,
                 release: Callable[[File], None] | None = None, progress: int | None = None) -> None:
        self.files = files
        self.inclusions = [file.inclusion for file in files]
        self.listed: Sequence[File] = ()
        """MkDocs' included documentation pages as they were before the child's were excluded."""
        self.claims = claims
        self.job = job
        self._build_page = build_page
        self._check_anchors = check_anchors
        self._release = Releaser(release) if release is not None else None
        self._progress = progress
        """The read end of a pipe: the index of each page the child has written without a message."""
        self.confirmed: set[int] = set()
        """The indices (in ``files``) of the pages the child reported written without a message."""
        self.built_here: set[int] = set()

    @classmethod
    def start(cls, candidates: Sequence[File], *, config, files: Files, nav, env, build_page=None,
              release: Callable[[File], None] | None = None) -> BackgroundPages | None:
        """Start building ``candidates`` in a child, or return ``None`` when that is not worth it or not safe.

        The child takes the candidates one at a time from a queue (``speed.parallel.Claims``)
        while MkDocs' loop here builds the other pages; :meth:`finish` then takes
        from the same queue, so both processes end within a page of each other,
        however the pages' costs compare (a page in Material's search index costs
        about 1.7 others, under Pagefind about 1.4, and either moved with the
        machine's load when the child's share was fixed in advance).

        Args:
            candidates: documentation pages that no search index or later
                page reads; drafts that the build excludes are left out here.
            files, nav, env: the build's, after every plugin's ``on_env``.
            build_page: MkDocs' private page builder (``internals.check_internals``);
                without it every page is built in this process.
            release: drops a written page's HTML; the child calls it for the
                pages it cannot build, and for each page it has written.
        """
        # The page list every page's context gets, as MkDocs' own loop would give it.
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        eligible = [file for file in candidates if file.page is not None and file.inclusion.is_included()]
        if build_page is None or not can_fork(len(eligible), MIN_PAGES):
            return None
        claims = Claims.of(len(eligible))
        if claims is None:
            return None
        mkdocs_build_page = build_page

        def build_page(file: File) -> None:
            mkdocs_build_page(file.page, config, doc_files, nav, env)

        def check_anchors(file: File) -> None:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)

        progress, report = os.pipe()

        def build_all() -> int:
            counter = _silence_logging()
            os.close(progress)
            releaser = Releaser(release) if release is not None else None
            if releaser is not None:
                candidate = set(map(id, eligible))
                for file in doc_files:  # this process never builds them: it would only keep them alive
                    if id(file) not in candidate:
                        releaser(file)
                trim_freed_memory()
            for index in claims:
                build_page(eligible[index])
                if counter.messages:
                    break  # this process builds the rest, and that page again, so that the messages are its own
                if releaser is not None:
                    releaser(eligible[index])
                os.write(report, _INDEX.pack(index))
            return counter.messages

        job = start_in_child(build_all)
        os.close(report)
        background = cls(eligible, claims, job, build_page, check_anchors, release, progress)
        background.listed = doc_files  # the pages sitemap.xml lists, before the child's are marked excluded
        for file in eligible:
            file.inclusion = InclusionLevel.EXCLUDED  # MkDocs' page loop skips them now
        return background

    def poll(self) -> None:
        """Drop the HTML of the pages the child has written since the last call (returns at once)."""
        self._read_progress(block=False)

    def finish(self) -> None:
        """Build here the pages the child has not taken; wait for it; build again what it failed to write."""
        try:
            for index in self.claims:
                self._build_page(self.files[index])
                self.built_here.add(index)
                self._read_progress(block=False)
            self._read_progress(block=True)
            messages = self.job.result()
        finally:
            self._close_claims()
            self._restore()
        if messages != 0:
            # The pages the child confirmed are written and logged nothing: building them again would give the same.
            for index, file in enumerate(self.files):
                if index not in self.confirmed and index not in self.built_here:
                    self._build_page(file)
        for file in self.files:
            self._check_anchors(file)

    def cancel(self) -> None:
        """The build failed: stop the child."""
        self.job.cancel()
        self._close_progress()
        self._close_claims()
        self._restore()

    def _read_progress(self, *, block: bool) -> None:
        if self._progress is None:
            return
        os.set_blocking(self._progress, block)
        while True:
            try:
                written = os.read(self._progress, 4096)  # whole indices: each was one write of 4 bytes
            except BlockingIOError:
                return
            if not written:  # the child has exited
                self._close_progress()
                return
            for (index,) in _INDEX.iter_unpack(written):
                self.confirmed.add(index)
                if self._release is not None:
                    self._release(self.files[index])

    def _close_progress(self) -> None:
        if self._progress is not None:
            os.close(self._progress)
            self._progress = None

    def _close_claims(self) -> None:
        if self.claims is not None:
            self.claims.close()
            self.claims = None

    def _restore(self) -> None:
        for file, inclusion in zip(self.files, self.inclusions):
            file.inclusion = inclusion


_INDEX = struct.Struct("<I")


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
