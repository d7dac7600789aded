"""Give memory the build has freed back to the operating system.

Python frees objects into its allocator, and glibc's ``malloc`` keeps
freed blocks in the middle of its heap for reuse: a process that has
generated a big handbook and dropped the model stays as large as at its
peak. That memory is only reused by this process, while a forked child or
the search indexer needs pages of its own. ``malloc_trim`` hands every
whole free page back; where it does not exist (not glibc) this does nothing.
"""

from __future__ import annotations

import ctypes
import gc


def return_freed_memory() -> None:
    """Collect garbage, then hand the allocator's free pages back to the system."""
    gc.collect()
    trim_freed_memory()


def trim_freed_memory() -> None:
    """Hand the allocator's free pages back to the system, without a garbage collection.

    For memory just freed by dropping references (no cycles to find): a
    collection of the whole heap costs far more than the trim.
    """
    try:
        process = ctypes.CDLL(None)  # the symbols already loaded: libc's among them
    except (OSError, TypeError):  # Windows has no such handle
        return
    malloc_trim = getattr(process, "malloc_trim", None)
    if malloc_trim is not None:
        malloc_trim(0)
