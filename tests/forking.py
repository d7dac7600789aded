"""Tests of the forked paths: skip where this machine cannot fork, fail where a test left a thread.

``speed.parallel.can_fork`` refuses to fork while another thread runs (a
forked child inherits that thread's locks in whatever state they are in).
So a thread an earlier test leaves behind (a browser's event loop, a local
HTTP server) quietly turns every later build of the session serial, and the
tests of the child's work would skip or test the loop instead. Naming the
thread makes that a failure with its cause.
"""

from __future__ import annotations

import threading

import pytest

from policybook.speed import parallel


def require_fork(count: int, min_items: int = parallel.MIN_ITEMS) -> None:
    """Skip on a machine that never forks; fail if only a leftover thread stops the fork."""
    if parallel.can_fork(count, min_items):
        return
    with pytest.MonkeyPatch.context() as alone:  # would it fork without the other threads?
        alone.setattr(parallel.threading, "active_count", lambda: 1)
        stopped_by_threads = parallel.can_fork(count, min_items)
    if stopped_by_threads:
        others = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
        pytest.fail(f"an earlier test left threads running, so nothing forks: {', '.join(others)}")
    pytest.skip("this machine does not fork here (one CPU, no os.fork, or POLICYBOOK_JOBS=1)")


def stop_thread(thread: threading.Thread) -> None:
    """Wait for a server or event-loop thread told to stop, so the next test may fork."""
    thread.join(timeout=10)
    assert not thread.is_alive(), f"thread {thread.name} did not stop"
