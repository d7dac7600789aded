"""``policybook serve`` keeps answering through a broken save and shows what is wrong (issue 18, part 3)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from policybook.starter import write_starter
from tests.browser import require_chromium
from tests.test_bad_inputs import run_cli

BANNER = "policybook-serve-problems"
BROKEN_STATUS = "status: adoptedd"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def starter(tmp_path) -> Path:
    import datetime as dt

    folder = tmp_path / "handbook"
    write_starter(folder, organisation="Test School", today=dt.date(2026, 11, 2))
    return folder


@contextlib.contextmanager
def _serving(project: Path, launcher: tuple[str, ...] = ("-m", "policybook")):
    """``policybook serve`` in a child process on a free port; yields the base URL once it answers."""
    port = _free_port()
    log = open(project.parent / "serve.log", "w+", encoding="utf-8")
    child = subprocess.Popen([sys.executable, *launcher, "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                             stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}/"
    try:
        _poll(lambda: _get(url, timeout=5)[0] == 200, what="the first build", log=log)
        yield url
    finally:
        child.terminate()
        child.wait(timeout=30)
        log.close()


def _get(url: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _poll(condition, *, what: str, log=None, limit: float = 120) -> None:
    """Wait for ``condition``; the limit only ends a test that would hang, it measures nothing."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            log_text = (log.seek(0) or log.read()) if log else ""
            pytest.fail(f"gave up waiting for {what}\n{log_text}")
        time.sleep(0.2)


def _break(policy: Path) -> str:
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("status: adopted", BROKEN_STATUS, 1), encoding="utf-8")
    return text


def test_a_broken_save_keeps_every_page_answering_with_the_problems_on_top(starter):
    policy = starter / "policies" / "code-of-conduct" / "v1.yaml"
    with _serving(starter) as url:
        pages = [url, url + "policies/code-of-conduct.html", url + "roles/headteacher.html", url + "about.html"]
        assert all(BANNER not in _get(page)[1] for page in pages)
        original = _break(policy)
        _poll(lambda: BANNER in _get(url)[1], what="the problems banner")
        for page in pages:
            status, html = _get(page, timeout=30)  # it hung for ever before: every request waited for a good build
            assert status == 200 and BANNER in html, page
            assert "policies/code-of-conduct/v1.yaml:6:9: status: &#39;adoptedd&#39; is not allowed" in html
            assert "Staff Code of Conduct" in html or page.endswith(("headteacher.html", "about.html"))
        status, missing = _get(url + "no-such-page.html")
        assert status == 404 and BANNER in missing
        # Fixed, with a visible change: the banner goes and the page shows the new text.
        policy.write_text(original.replace("title: Staff Code of Conduct", "title: Staff Code of Behaviour"),
                          encoding="utf-8")
        _poll(lambda: "Staff Code of Behaviour" in _get(pages[1])[1], what="the fixed page")
        assert all(BANNER not in _get(page)[1] for page in pages)


def test_the_problems_are_escaped_in_the_banner(starter):
    policy = starter / "policies" / "code-of-conduct" / "v1.yaml"
    with _serving(starter) as url:
        text = policy.read_text(encoding="utf-8")
        policy.write_text(text.replace("status: adopted", "status: <script>alert(1)</script>", 1), encoding="utf-8")
        _poll(lambda: BANNER in _get(url)[1], what="the problems banner")
        html = _get(url)[1]
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.browser
def test_the_open_tab_shows_the_problem_and_then_the_fix(starter, browser):
    require_chromium()
    policy = starter / "policies" / "code-of-conduct" / "v1.yaml"
    with _serving(starter) as url:
        page = browser.new_page()
        try:
            page.goto(url + "policies/code-of-conduct.html")
            assert page.locator(f".{BANNER}").count() == 0
            original = _break(policy)
            # Live reload brings the banner into the open tab; no reload by hand.
            page.wait_for_selector(f".{BANNER}", timeout=120_000)
            assert "adoptedd" in page.locator(f".{BANNER}").inner_text()
            assert page.locator("h1").first.inner_text().startswith("Staff Code of Conduct"), "the last good page stays"
            policy.write_text(original.replace("title: Staff Code of Conduct", "title: Staff Code of Behaviour"),
                              encoding="utf-8")
            page.wait_for_function("document.querySelector('h1') && "
                                   "document.querySelector('h1').innerText.startsWith('Staff Code of Behaviour')",
                                   timeout=120_000)
            assert page.locator(f".{BANNER}").count() == 0
        finally:
            page.close()


def test_a_busy_port_says_so_before_any_build(monkeypatch, capsys, starter):
    _break(starter / "policies" / "code-of-conduct" / "v1.yaml")  # a build would report this instead
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = run_cli(monkeypatch, capsys, starter, "serve", "-a", f"127.0.0.1:{port}")
    assert code == 1
    assert output.strip() == f"Error: port {port} is in use: try `policybook serve -a 127.0.0.1:{port + 1}`"


@pytest.mark.parametrize("command", [
    ["validate"], ["build"], ["serve"], ["review"], ["export", "out"], ["diff", "a", "1", "2"], ["checklist", "dsl"],
    ["new-version", "a"], ["adopt", "a", "1", "--body", "Board", "--date", "2026-12-09"],
    ["new-policy", "a", "--title", "A", "--category", "b"],
])
def test_a_command_outside_a_handbook_says_where_to_run_it(monkeypatch, capsys, tmp_path, command):
    code, output = run_cli(monkeypatch, capsys, tmp_path, *command)
    assert code == 1
    assert output.strip() == ("Error: no mkdocs.yml here: run this in your handbook's folder, "
                              "or start one with `policybook new`")


def test_a_broken_mkdocs_yml_is_shown_too(starter):
    config = starter / "mkdocs.yml"
    with _serving(starter) as url:
        original = config.read_text(encoding="utf-8")
        config.write_text(original + "site_name: [unclosed\n", encoding="utf-8")
        _poll(lambda: BANNER in _get(url)[1], what="the problems banner")
        status, html = _get(url + "policies/code-of-conduct.html")
        assert status == 200 and "the site could not be built: ParserError" in html and "Staff Code of Conduct" in html
        log = (starter.parent / "serve.log").read_text(encoding="utf-8")
        assert "ERROR" in log and "ParserError" in log, "the terminal says what is wrong too"
        config.write_text(original, encoding="utf-8")
        _poll(lambda: BANNER not in _get(url)[1], what="the banner to go")


# MkDocs' poll of the watched files, made an hour long: only the platform's own watcher can see a save.
_WITHOUT_THE_POLL = ("-c", "import sys, mkdocs.livereload as livereload; init = livereload.LiveReloadServer.__init__; "
                     "livereload.LiveReloadServer.__init__ = lambda self, *a, **k: init(self, *a, **{**k, "
                     "'polling_interval': 3600}); sys.argv[0] = 'policybook'; from policybook.cli import console; "
                     "console()")


def _native_watcher() -> bool:
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    return Observer is not PollingObserver


def test_a_save_is_rebuilt_at_once_not_at_mkdocs_next_poll(starter):
    if not _native_watcher():
        pytest.skip("this platform has no native file watcher: MkDocs' poll finds each save")
    policy = starter / "policies" / "code-of-conduct" / "v1.yaml"
    with _serving(starter, _WITHOUT_THE_POLL) as url:
        page = url + "policies/code-of-conduct.html"
        assert "Staff Code of Behaviour" not in _get(page)[1]
        text = policy.read_text(encoding="utf-8")
        policy.write_text(text.replace("title: Staff Code of Conduct", "title: Staff Code of Behaviour"),
                          encoding="utf-8")
        _poll(lambda: "Staff Code of Behaviour" in _get(page)[1], what="the saved change, without MkDocs' poll")


def test_a_save_the_poll_also_reports_is_built_and_reloaded_once(starter):
    if not _native_watcher():
        pytest.skip("this platform has no native file watcher: MkDocs' poll alone asks for each rebuild")
    policy = starter / "policies" / "code-of-conduct" / "v1.yaml"
    log_file = starter.parent / "serve.log"
    with _serving(starter) as url:
        page = url + "policies/code-of-conduct.html"
        def builds() -> int:
            text = log_file.read_text(encoding="utf-8")
            return text.count("Building documentation") + text.count("Policybook rebuilt")

        before = builds()
        text = policy.read_text(encoding="utf-8")
        policy.write_text(text.replace("title: Staff Code of Conduct", "title: Staff Code of Behaviour"),
                          encoding="utf-8")
        _poll(lambda: "Staff Code of Behaviour" in _get(page)[1], what="the saved change")
        # MkDocs polls every half second: by now it has seen the save too and, unless its request came
        # within the native one's 0.1 s wait (then the two are one), asked for a rebuild of its own.
        time.sleep(1.5)
        assert builds() == before + 1
        assert "Staff Code of Behaviour" in _get(page)[1]
