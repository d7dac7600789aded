"""Keep a build's long-lived objects out of the garbage collector's passes.

Loading a big handbook makes hundreds of thousands of small dicts, lists
and tuples, and a build keeps millions of objects until it is done (the
model, the compiled templates, the pages, MkDocs' files), with few
reference cycles among them. Each full collection walks every object
alive, and there are more of them at each one: at 500 policies the
collector took a tenth of the build process's CPU (benchmarks/RESULTS.md,
"Issue 21, the collector"). Frozen (``gc.freeze``), they sit in a
generation the collector never walks, and reference counting still frees
each one when it is dropped; what a freeze holds goes back to the collector
when the build ends.
"""

from __future__ import annotations

import atexit
import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside the ``with`` block (restored after it); nested pauses are free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class FrozenHeap:
    """From :meth:`keep` to :meth:`release`, the objects alive at each ``keep`` stay out of collections.

    Inside another ``FrozenHeap``, ``release`` leaves the outer one's objects
    frozen. :func:`policybook.speed.parallel.start_in_child` freezes too (for the
    child's sake) and leaves a frozen heap frozen.
    """

    def __init__(self) -> None:
        self._owner = gc.get_freeze_count() == 0

    def keep(self) -> None:
        gc.freeze()

    def release(self) -> None:
        if self._owner:
            self._owner = False
            gc.unfreeze()

    def __enter__(self) -> FrozenHeap:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def skip_last_collection() -> None:
    """At interpreter exit, leave what is still alive to the operating system instead of a last collection.

    A build of a big handbook ends with millions of objects, many in
    reference cycles (MkDocs' pages and files, Jinja contexts), and Python's
    last collection at exit walked them all: 1.5 s at 500 policies
    (benchmarks/RESULTS.md, "Issue 21, the cores share the work"). Frozen,
    they are skipped, and the process's memory goes back in one piece. Only
    for the ``policybook`` command, which exits after one run; call it
    first, so that it runs after every other exit handler (they run last
    registered, first): logs and open files are flushed and closed as usual.
    """
    atexit.register(gc.freeze)
