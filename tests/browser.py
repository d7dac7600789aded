"""Headless Chromium for browser tests, driven by Playwright.

Playwright drives the system's Chromium (Debian's ``chromium`` package),
never a browser it downloads itself. Where no browser is found the tests
skip with the reason, except in CI (``CI=true``), where a missing browser
is a failure: CI installs it, so its absence means the set-up broke.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading

import pytest

# One definition of how to find and start Chromium, shared with `checklist --format pdf`.
from policybook.outputs.printing import CHROMIUM_ARGS, find_chromium
from tests.forking import stop_thread


def require_chromium() -> str:
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's 'chromium' package or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run the browser tests")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    """A Playwright Browser on the system Chromium, shared by a test module.

    Not by the session: Playwright's event loop keeps threads running while
    it is open, and no build forks beside them (``tests/forking.py``), so
    every later module's builds would run serially and its tests of the
    forked paths would fail.
    """
    executable = require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    before = set(threading.enumerate())
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)
        yield launched
        launched.close()
    for thread in set(threading.enumerate()) - before:  # the loop's executor, told to stop, may lag
        stop_thread(thread)


@contextlib.contextmanager
def serve_folder(folder):
    """``folder`` over HTTP on 127.0.0.1 (search workers need http, not file://); yields the base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        stop_thread(thread)
