"""Use a second core for independent work: a share of it in a forked child process.

A big handbook's build is mostly per-file parsing and per-policy page
rendering, each item independent of the others. :func:`fork_map` computes
some of the items in a child process made with ``fork`` (so the child
already has the handbook, compiled templates and schemas in memory: nothing
is sent to it) and reads the child's results back from a temporary file.

It never changes a result, only when it is computed. Whenever forking is not
safe or not worth it (no ``fork``, one CPU, other threads running, as under
``mkdocs serve``, few items, or ``POLICYBOOK_JOBS=1``) it is a plain loop;
if the child fails in any way, this process computes the child's share
itself, so errors surface exactly as they would without it.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import tempfile
import threading
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

JOBS_VARIABLE = "POLICYBOOK_JOBS"
MIN_ITEMS = 16
"""Below this many items the fork costs more than it saves."""


#: How the core maps a function over many items: :func:`serial_map` unless a
#: caller (the MkDocs adapter, ``policybook build`` and ``export``) injects
#: :func:`fork_map`. The keywords are hints a serial map ignores.
MapItems = Callable[..., list]


def serial_map(function: Callable[[T], R], items: Sequence[T], **_hints) -> list[R]:
    """``[function(item) for item in items]``: the default, in this process."""
    return [function(item) for item in items]


def fork_map(function: Callable[[T], R], items: Sequence[T], *, child_share: float = 0.5,
             min_items: int = MIN_ITEMS) -> list[R]:
    """``[function(item) for item in items]``, with a share of the items computed in a forked child.

    Args:
        function: may be a closure (the child inherits it); its results must pickle.
        items: the child takes items spread evenly over the sequence, so
            neither side gets all of a run of big ones.
        child_share: the fraction for the child; below one half when its
            results are slow to pickle, so both sides finish together.
        min_items: fewer items are computed in this process alone.
    """
    spool = _spool_file() if can_fork(len(items), min_items) else None
    if spool is None:
        return [function(item) for item in items]
    to_child = [int((i + 1) * child_share) > int(i * child_share) for i in range(len(items))]
    mine = [item for item, child in zip(items, to_child) if not child]
    theirs = [item for item, child in zip(items, to_child) if child]
    # The child's results go through a temporary file, one item at a time:
    # returned as one pickle, they were in memory four times at once (the
    # child's objects and its pickle, this process's copy of the pickle and
    # what it loads), and at trust scale that was the build's peak.
    with spool:
        job = start_in_child(lambda: _spool_results(function, theirs, spool))
        try:
            my_results = [function(item) for item in mine]
        finally:
            written = job.result()
        if written == len(theirs):
            spool.seek(0)  # the child moved the file position this process shares
            their_results = [pickle.load(spool) for _ in theirs]
        else:
            their_results = [function(item) for item in theirs]
    mine_iter, theirs_iter = iter(my_results), iter(their_results)
    return [next(theirs_iter) if child else next(mine_iter) for child in to_child]


def _spool_file():
    """A temporary file for the child's results, or ``None`` (work serially) when none can be made."""
    try:
        return tempfile.TemporaryFile()
    except OSError:  # no writable temporary folder: slower, not broken
        return None


def _spool_results(function: Callable[[T], R], items: Sequence[T], spool) -> int:
    """In the child: pickle ``function(item)`` for each item into ``spool``, each one as soon as it is made."""
    with open(spool.fileno(), "wb", closefd=False) as out:
        for item in items:
            pickle.dump(function(item), out, protocol=pickle.HIGHEST_PROTOCOL)
    return len(items)


class ChildJob(Generic[R]):
    """A computation running in a forked child; :meth:`result` waits for it."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self.read_end = read_end

    def result(self) -> R | None:
        """The child's result, or ``None`` if it failed in any way (an exception, a crash, a kill)."""
        with os.fdopen(self.read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        return pickle.loads(payload) if status == 0 and payload else None

    def cancel(self) -> None:
        """Stop the child and reap it; its result is dropped."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.read_end)
        os.waitpid(self.pid, 0)


def start_in_child(compute: Callable[[], R]) -> ChildJob[R]:
    """Run ``compute()`` in a forked child and return at once.

    Call only when :func:`can_fork` says so. ``compute`` may be a closure
    (the child inherits it); its result must pickle.
    """
    read_end, write_end = os.pipe()
    # The child shares this process's memory until either writes to it; a
    # garbage collection in the child would write to every object it scans.
    # A build that keeps its long-lived objects frozen (``collector.FrozenHeap``)
    # keeps them so, with what it holds now: that lives to the end of the build too.
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    pid = os.fork()
    if pid != 0 and not frozen_before:
        gc.unfreeze()
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return ChildJob(pid, read_end)


def can_fork(count: int, min_items: int = MIN_ITEMS) -> bool:
    """Whether forking a child for ``count`` items is safe and worth it."""
    if count < max(min_items, 2) or not hasattr(os, "fork"):
        return False
    if os.environ.get(JOBS_VARIABLE, "").strip() == "1":
        return False
    # Forking a process with other threads copies their locks in whatever
    # state they are in; mkdocs serve runs a server thread, so it stays serial.
    if threading.active_count() > 1:
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus >= 2
