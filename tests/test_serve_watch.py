"""serve's native file watcher: a save rebuilds at once, and MkDocs' poll reporting it again rebuilds nothing."""

from __future__ import annotations

import logging
import os
import threading

from policybook.mkdocs_adapter import internals
from policybook.mkdocs_adapter.file_watch import WatchedInputs
from policybook.mkdocs_adapter.serve import keep_serving, reload_browsers


class _Server:
    """What the native watch and ``keep_serving`` use of MkDocs' ``LiveReloadServer``."""

    def __init__(self, watched, builder) -> None:
        self._watched_paths = {str(path): 1 for path in watched}
        self.builder = builder
        self.app = lambda environ, start_response: []
        self._epoch_cond = threading.Condition()
        self._visible_epoch = self._wanted_epoch = 0

    def get_app(self):
        return self.app

    def set_app(self, app) -> None:
        self.app = app

    def rebuild(self) -> None:
        """As ``_build_loop`` does: a new wanted epoch, the build, then the browsers shown it."""
        self._wanted_epoch += 1
        self.builder()
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch


def _save(path, text: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 1000, before + 1000))


def test_a_rebuild_has_something_new_to_read_after_a_change_or_a_native_event(tmp_path):
    (tmp_path / "policies").mkdir()
    policy = tmp_path / "policies" / "a.yaml"
    _save(policy, "one")
    config = tmp_path / "mkdocs.yml"
    _save(config, "site_name: x")
    inputs = WatchedInputs(_Server([tmp_path / "policies", config], builder=None))
    assert not inputs.unchanged(), "the first rebuild always builds"
    assert inputs.unchanged(), "nothing changed since"
    _save(policy, "two")
    assert not inputs.unchanged()
    _save(config, "site_name: y")
    assert not inputs.unchanged(), "a watched file outside a folder"
    (tmp_path / "policies" / "b.yaml").write_text("new", encoding="utf-8")
    assert not inputs.unchanged(), "a new file"
    policy.unlink()
    assert not inputs.unchanged(), "a file gone"
    assert inputs.unchanged()
    inputs.event()  # a save within the file system's clock tick, the same size: only its event tells
    assert not inputs.unchanged()


def test_a_rebuild_with_nothing_new_is_skipped_and_reloads_no_browser(tmp_path):
    built = []
    server = _Server([tmp_path], builder=lambda: built.append(1))
    inputs = WatchedInputs(server)
    keep_serving(server, problems_of=lambda error: None, rebuild_changed=lambda: True, inputs=inputs)
    (tmp_path / "a.yaml").write_text("one", encoding="utf-8")
    server.rebuild()
    assert server._visible_epoch == 1, "the save's rebuild reloads the browsers"
    server.rebuild()  # MkDocs' poll, reporting the same save
    assert server._visible_epoch == 1, "no second reload"
    _save(tmp_path / "a.yaml", "two")
    server.rebuild()
    assert server._visible_epoch == 2, "the next save's rebuild reloads them"
    assert len(built) == 0, "each rebuild was the plugin's own (rebuild_changed), never MkDocs' full build"


def test_a_skipped_rebuild_still_reloads_for_a_search_index_put_in_place_meanwhile(tmp_path):
    server = _Server([tmp_path], builder=lambda: None)
    inputs = WatchedInputs(server)
    rebuilt = []

    def rebuild_changed():
        rebuilt.append(1)
        return True

    keep_serving(server, problems_of=lambda error: None, rebuild_changed=rebuild_changed, inputs=inputs)
    server.rebuild()
    wrapped = server.builder

    def index_done_while_starting():
        reload_browsers(server, inputs)  # a build is under way: nothing yet, but noted
        wrapped()

    server.builder = index_done_while_starting
    server.rebuild()
    assert len(rebuilt) == 1, "skipped: nothing changed"
    assert server._visible_epoch == 2, "the browsers reload for the new index"


def test_a_changed_rebuild_request_leaves_saves_to_mkdocs_poll(monkeypatch, caplog):
    monkeypatch.setattr(internals, "REBUILD_REQUEST", (*internals.REBUILD_REQUEST, "self._renamed_by_a_release"))
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals(serving=True).native_watch is False
        assert internals.check_internals(serving=False).native_watch is False
    assert any("asked for a rebuild" in record.getMessage() for record in caplog.records)


def test_a_change_counts_only_in_what_the_server_watches(tmp_path):
    from policybook.mkdocs_adapter.file_watch import _is_watched

    config, policies = str(tmp_path / "mkdocs.yml"), os.path.join(str(tmp_path / "policies"), "")
    assert _is_watched(config, frozenset({config}), (policies,))
    assert _is_watched(str(tmp_path / "policies" / "a" / "v1.yaml"), frozenset({config}), (policies,))
    for beside in (".mkdocs.yml.swp", "README.md", ".DS_Store", "policies-old.yaml"):
        assert not _is_watched(str(tmp_path / beside), frozenset({config}), (policies,)), beside


def test_a_save_renamed_over_the_file_with_its_time_and_size_is_a_change(tmp_path):
    policy = tmp_path / "a.yaml"
    policy.write_text("one", encoding="utf-8")
    inputs = WatchedInputs(_Server([tmp_path], builder=None))
    inputs.unchanged()
    stamp = policy.stat().st_mtime_ns
    (tmp_path / "a.yaml.new").write_text("two", encoding="utf-8")  # how many editors save
    os.utime(tmp_path / "a.yaml.new", ns=(stamp, stamp))
    os.replace(tmp_path / "a.yaml.new", policy)
    assert not inputs.unchanged()


def test_the_native_watcher_asks_for_a_rebuild_and_stops_with_the_server(tmp_path):
    import time

    import pytest
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    from policybook.mkdocs_adapter.file_watch import watch_natively

    if Observer is PollingObserver:
        pytest.skip("this platform has no native file watcher")
    (tmp_path / "policies").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x", encoding="utf-8")
    server = _Server([tmp_path / "policies", config], builder=None)
    server._rebuild_cond, server._want_rebuild = threading.Condition(), False
    stopped = []
    server.shutdown = lambda: stopped.append(True)
    before = set(threading.enumerate())
    inputs = watch_natively(server, [os.path.relpath(tmp_path / "policies")])  # config.watch, relative
    assert inputs is not None
    try:
        (tmp_path / "notes.txt").write_text("beside mkdocs.yml, not watched", encoding="utf-8")
        time.sleep(1)  # events come within milliseconds; one for notes.txt would have asked by now
        assert not server._want_rebuild and inputs._events == 0
        (tmp_path / "policies" / "a.yaml").write_text("one", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=60), "no rebuild asked for"
        assert inputs._events >= 1
    finally:
        server.shutdown()
    assert stopped == [True], "MkDocs' own shutdown still runs"
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=10)
        assert not thread.is_alive(), f"{thread.name} outlived the server"
