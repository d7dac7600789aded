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
    frozen. :func:`policybook.parallel.start_in_child` freezes too (for the
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
