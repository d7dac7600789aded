"""``policybook serve`` renders only what a save changed, and the folder is byte for byte a clean build.

A serve session is driven as MkDocs' ``serve`` drives it (the plugin kept
across rebuilds, ``on_serve`` wrapping the server's builder), without the
HTTP server. After each edit the wrapped builder runs; the folder is then
compared, file by file, with a clean build of the same sources made in a
forked child whose plugins are fresh instances.

Set PB_FUZZ_EXAMPLES=50 for a longer hunt; the suite runs a few sequences.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from benchmarks.synth import Scale, write_handbook

SERVE_URL = "http://127.0.0.1:8000/"
EXAMPLES = int(os.environ.get("PB_FUZZ_EXAMPLES", "3"))
SCALE = Scale(policies=4, versions=3, clauses=6, roles=5)


class _Server:
    """What ``keep_serving`` uses of MkDocs' ``LiveReloadServer``."""

    def __init__(self, builder) -> None:
        self.builder = builder
        self.app = lambda environ, start_response: []
        # Live reload: browsers reload when the visible epoch moves on.
        self._epoch_cond = threading.Condition()
        self._visible_epoch = self._wanted_epoch = 0

    def watch(self, path) -> None:
        pass

    def get_app(self):
        return self.app

    def set_app(self, app) -> None:
        self.app = app


class Session:
    """A ``mkdocs serve`` of ``project`` into ``site``, as ``mkdocs.commands.serve.serve`` runs it."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["policybook"]
        self.full_builds = 0
        self._build(config)
        self.server = config.plugins.on_serve(_Server(self._build), config=config, builder=self._build)

    def _config(self):
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def _build(self, config=None) -> None:
        self.full_builds += 1
        build(config or self._config(), serve_url=SERVE_URL)

    def saved(self, *, wait: bool = True) -> tuple[str, ...]:
        """What the watcher does after a save; returns the problems the browser would show.

        Pagefind indexes the pages again after the browser has reloaded:
        unless ``wait`` is false, this waits until the new index is in place.
        """
        self.server.builder()
        if wait:
            self.plugin.wait_for_search_index()
        return self.plugin.session.status.problems

    def close(self) -> None:
        # MkDocs keeps the plugin for the process: later tests' builds must not act as serve.
        self.plugin.session = None


def clean_build(project: Path, site: Path) -> bool:
    """A fresh ``policybook serve``'s first build of ``project`` into ``site``, in a child process."""
    shutil.rmtree(site, ignore_errors=True)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            MkDocsConfig.plugins.plugin_cache.clear()  # new plugin instances: nothing kept from the session
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
            config.site_url = SERVE_URL
            config.plugins.on_startup(command="serve", dirty=False)
            build(config, serve_url=SERVE_URL)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def folder(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(served: Path, clean: Path) -> None:
    got, want = folder(served), folder(clean)
    assert sorted(got) == sorted(want), "the same files"
    different = [name for name in want if got[name] != want[name]]
    assert not different, f"{len(different)} files differ from a clean build, first {different[:5]}"


@contextmanager
def serving(project: Path, scratch: Path):
    """A serve session of ``project``; when it ends, its folder must be a clean build's."""
    session = Session(project, scratch / "served")
    try:
        yield session
    finally:
        session.plugin.wait_for_search_index()
        session.close()
    assert clean_build(project, scratch / "clean")
    assert_same_site(scratch / "served", scratch / "clean")


@pytest.fixture
def handbook(tmp_path) -> Path:
    project = tmp_path / "project"
    write_handbook(project, SCALE)
    return project


# -- edits ------------------------------------------------------------------------


def _versions(project: Path) -> list[Path]:
    return sorted((project / "policies").glob("*/v*.yaml"))


def _save(path: Path, text: str) -> None:
    """Write as an editor does; the modification time always moves (the parse cache keys on it)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 1000, before + 1000))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict) -> None:
    _save(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _clauses(doc: dict) -> list:
    return doc["sections"][0]["clauses"]


def reword(project, pick):
    path = pick(_versions(project))
    doc = _load(path)
    clause = pick(_clauses(doc))
    clause["text"] = clause["text"] + " Reworded at the last meeting."
    _dump(path, doc)


def resummarise(project, pick):
    """A field no checklist shows: the checklists listing the policy are reused."""
    path = pick(_versions(project))
    doc = _load(path)
    doc["summary"] = "What staff do, in short. " + doc.get("summary", "")
    doc["keywords"] = [*doc.get("keywords", ()), "Lanyards"]
    _dump(path, doc)


def add_clause(project, pick):
    path = pick(_versions(project))
    doc = _load(path)
    clauses = _clauses(doc)
    number = sum(1 for _ in clauses) + 100
    clauses.insert(pick(range(len(clauses) + 1)), {"id": f"added-{number}-{os.getpid() % 7}",
                                                   "text": "Staff log every visitor.", "obligation": "must"})
    _dump(path, doc)


def remove_clause(project, pick):
    path = pick(_versions(project))
    doc = _load(path)
    if len(_clauses(doc)) > 1:
        _clauses(doc).pop(pick(range(len(_clauses(doc)))))
    _dump(path, doc)


def move_clause(project, pick):
    path = pick(_versions(project))
    doc = _load(path)
    clauses = _clauses(doc)
    clauses.insert(pick(range(len(clauses))), clauses.pop(pick(range(len(clauses)))))
    _dump(path, doc)


def change_includes(project, pick):
    path = project / "policies" / "handbook.yaml"
    doc = _load(path)
    role = pick([role for role in doc["roles"] if role["id"] != "all-staff"])
    others = [r["id"] for r in doc["roles"] if r["id"] != role["id"] and role["id"] not in r.get("includes", ())]
    role["includes"] = [] if role.get("includes") else [pick(others)]
    if not role["includes"]:
        del role["includes"]
    _dump(path, doc)


def add_version(project, pick):
    folder_ = pick(sorted(p for p in (project / "policies").iterdir() if p.is_dir()))
    paths = sorted(folder_.glob("v*.yaml"), key=lambda p: int(p.stem[1:]))
    doc = _load(paths[-1])
    if doc["status"] == "draft":  # one draft at a time: edit it instead
        doc["summary"] = doc.get("summary", "") + " Revised draft."
        _dump(paths[-1], doc)
        return
    number = int(doc["version"]) + 1
    doc.update(version=str(number), status="draft")
    for field in ("effective", "approval"):
        doc.pop(field, None)
    _clauses(doc)[0]["text"] += " New in this draft."
    _dump(folder_ / f"v{number}.yaml", doc)


def retitle_clause(project, pick):
    """A titled clause is listed in its page's contents, which MkDocs makes as it renders the page."""
    path = pick(_versions(project))
    doc = _load(path)
    clause = pick(_clauses(doc))
    if clause.pop("title", None) is None:
        clause["title"] = "Visitors"
    _dump(path, doc)


def rename_title(project, pick):
    folder_ = pick(sorted(p for p in (project / "policies").iterdir() if p.is_dir()))
    for path in folder_.glob("v*.yaml"):
        doc = _load(path)
        doc["title"] = doc["title"] + " (renamed)"
        _dump(path, doc)


EDITS = {f.__name__: f for f in (reword, resummarise, add_clause, remove_clause, move_clause, change_includes, add_version,
                                  retitle_clause, rename_title)}


# -- tests ------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 3,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from([*sorted(EDITS), "break_file"]), min_size=1, max_size=4), data=st.data())
def test_after_any_edits_the_served_folder_is_a_clean_build(tmp_path_factory, edits, data):
    scratch = tmp_path_factory.mktemp("serve")
    project = scratch / "project"
    write_handbook(project, SCALE)
    session = Session(project, scratch / "served")
    try:
        assert clean_build(project, scratch / "clean")
        assert_same_site(scratch / "served", scratch / "clean")
        broken: dict[Path, str] = {}
        for name in edits:
            pick = lambda items: data.draw(st.sampled_from(list(items)))  # noqa: E731
            if name == "break_file":
                path = pick(_versions(project))
                broken[path] = path.read_text(encoding="utf-8")
                _save(path, broken[path].replace("status: ", "status: adoptedd", 1))
            else:
                for path, text in broken.items():  # the fix comes with the next edit
                    _save(path, text)
                broken.clear()
                EDITS[name](project, pick)
            problems = session.saved()
            if broken:
                assert problems, "a broken file is reported"
                assert_same_site(scratch / "served", scratch / "clean")  # the last good site stays
                continue
            assert clean_build(project, scratch / "clean") == (not problems), problems
            if not problems:
                assert_same_site(scratch / "served", scratch / "clean")
    finally:
        session.close()


def test_a_reworded_clause_renders_only_the_pages_that_show_it(handbook, tmp_path):
    with serving(handbook, tmp_path) as session:
        policy = sorted(p for p in (handbook / "policies").iterdir() if p.is_dir())[0]
        others = [p.name for p in (handbook / "policies").iterdir() if p.is_dir() and p != policy]
        path = sorted(policy.glob("v*.yaml"), key=lambda p: int(p.stem[1:]))[0]  # an old version
        doc = _load(path)
        _clauses(doc)[0]["text"] += " Reworded."
        _dump(path, doc)
        assert session.saved() == ()
        rebuilt = session.plugin.session.last_rebuild
        assert rebuilt.done and session.full_builds == 1, rebuilt.reason
        assert rebuilt.rendered and all(policy.name in page for page in rebuilt.rendered), rebuilt.rendered
        assert not any(other in page for page in rebuilt.rendered for other in others)
        assert len(rebuilt.rendered) < rebuilt.total / 4


def test_a_clause_given_a_title_is_listed_in_the_rendered_pages_contents(handbook, tmp_path):
    with serving(handbook, tmp_path) as session:
        path = _versions(handbook)[0]
        doc = _load(path)
        _clauses(doc)[0]["title"] = "Visitors"
        _dump(path, doc)
        assert session.saved() == ()
        assert session.plugin.session.last_rebuild.done and session.full_builds == 1, session.plugin.session.last_rebuild.reason


def test_a_title_in_the_navigation_or_mkdocs_yml_rebuilds_everything(handbook, tmp_path):
    with serving(handbook, tmp_path) as session:
        rename_title(handbook, lambda items: sorted(items)[0])
        assert session.saved() == ()
        assert not session.plugin.session.last_rebuild.done and session.full_builds == 2
        config = handbook / "mkdocs.yml"
        _save(config, config.read_text(encoding="utf-8").replace("primary: indigo", "primary: teal"))
        assert session.saved() == ()
        assert "mkdocs.yml" in session.plugin.session.last_rebuild.reason and session.full_builds == 3


def test_a_broken_save_touches_nothing_and_the_fix_is_rendered_incrementally(handbook, tmp_path):
    with serving(handbook, tmp_path) as session:
        before = folder(tmp_path / "served")
        path = _versions(handbook)[0]
        good = path.read_text(encoding="utf-8")
        _save(path, good.replace("status: ", "status: adoptedd", 1))
        problems = session.saved()
        assert problems and re.search(r"v\d+\.yaml:\d+:\d+: ", problems[0]), problems
        assert folder(tmp_path / "served") == before
        _save(path, good.replace("summary: ", "summary: Fixed. ", 1))
        assert session.saved() == ()
        assert session.plugin.session.last_rebuild.done and session.full_builds == 1


def _use_pagefind(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("policies_dir: policies",
                                                                 "policies_dir: policies\n      search: pagefind"))


def _adopted_and_old(project: Path) -> tuple[Path, Path]:
    """A policy's adopted version (searchable) and an older one (not searchable)."""
    for folder_ in sorted(p for p in (project / "policies").iterdir() if p.is_dir()):
        paths = sorted(folder_.glob("v*.yaml"), key=lambda p: int(p.stem[1:]))
        adopted = [path for path in paths if "status: adopted\n" in path.read_text(encoding="utf-8")]
        if adopted and paths[0] != adopted[-1]:
            return adopted[-1], paths[0]
    raise AssertionError("the synthetic handbook has a policy with an old version")


def test_under_pagefind_the_browser_shows_a_save_first_and_reloads_again_with_its_index(handbook, tmp_path):
    _use_pagefind(handbook)
    with serving(handbook, tmp_path) as session:
        adopted, _ = _adopted_and_old(handbook)
        doc = _load(adopted)
        _clauses(doc)[0]["text"] += " Zebracrossing duties."
        _dump(adopted, doc)
        assert session.saved(wait=False) == ()
        assert session.plugin.session.last_rebuild.done, session.plugin.session.last_rebuild.reason
        assert session.plugin.session.reindexing is not None, "indexed after the rebuild returned, not within it"
        session.plugin.wait_for_search_index()
        assert session.plugin.session.reindexing.finished and not session.plugin.session.index_behind
        assert session.server._visible_epoch > 0, "browsers reload once the new index is in place"
        assert not [p.name for p in (tmp_path / "served").iterdir() if p.name.startswith(".pagefind")]


def test_under_pagefind_a_save_during_indexing_leaves_the_index_of_both_saves(handbook, tmp_path):
    """The second save stops the first one's indexing: its own (of no searchable page) must index again."""
    _use_pagefind(handbook)
    with serving(handbook, tmp_path) as session:
        adopted, old = _adopted_and_old(handbook)
        doc = _load(adopted)
        _clauses(doc)[0]["text"] += " Zebracrossing duties."
        _dump(adopted, doc)
        assert session.saved(wait=False) == ()
        doc = _load(old)
        _clauses(doc)[0]["text"] += " Reworded long ago."
        _dump(old, doc)
        assert session.saved(wait=False) == ()
        assert session.plugin.session.last_rebuild.done and session.full_builds == 1, session.plugin.session.last_rebuild.reason
        assert all("." in page and adopted.parent.name in page for page in session.plugin.session.last_rebuild.rendered)


def test_under_pagefind_a_searchable_change_is_indexed_again_as_a_clean_build_indexes_it(handbook, tmp_path):
    _use_pagefind(handbook)
    with serving(handbook, tmp_path) as session:
        assert (tmp_path / "served" / "pagefind").is_dir()
        adopted = next(path for path in _versions(handbook) if "status: adopted\n" in path.read_text(encoding="utf-8"))
        doc = _load(adopted)
        _clauses(doc)[0]["text"] += " Zebracrossing duties."
        _dump(adopted, doc)
        assert session.saved() == ()
        assert session.plugin.session.last_rebuild.done, session.plugin.session.last_rebuild.reason


def test_under_pagefind_a_failed_background_index_is_reported_and_made_again_by_the_next_save(
        handbook, tmp_path, monkeypatch, caplog):
    import subprocess
    import sys

    from policybook.mkdocs_adapter import pagefind_search

    _use_pagefind(handbook)
    with serving(handbook, tmp_path) as session:
        adopted, old = _adopted_and_old(handbook)
        start = pagefind_search._start
        monkeypatch.setattr(pagefind_search, "_start", lambda staging, output: subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.exit('Pagefind ran out of disk')"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        doc = _load(adopted)
        _clauses(doc)[0]["text"] += " Zebracrossing duties."
        _dump(adopted, doc)
        assert session.saved() == ()
        assert session.plugin.session.reindexing.error is not None and session.plugin.session.index_behind
        assert "ran out of disk" in caplog.text
        monkeypatch.setattr(pagefind_search, "_start", start)
        doc = _load(old)  # no searchable page changes: the index is made again all the same
        _clauses(doc)[0]["text"] += " Reworded long ago."
        _dump(old, doc)
        assert session.saved() == ()
        assert session.plugin.session.reindexing.finished and not session.plugin.session.index_behind


def test_under_pagefind_changed_reload_epochs_index_a_save_before_the_browser_reloads(
        handbook, tmp_path, monkeypatch, caplog):
    """Without the epochs ``reload_browsers`` moves on, a background index would never reach an open page."""
    import logging

    from policybook.mkdocs_adapter import internals

    # As an MkDocs release that renamed the server's epochs.
    monkeypatch.setattr(internals, "RELOAD_ATTRIBUTES", (*internals.RELOAD_ATTRIBUTES, "_renamed_by_a_release"))
    _use_pagefind(handbook)
    with caplog.at_level(logging.WARNING), serving(handbook, tmp_path) as session:
        assert any("LiveReloadServer epochs changed in this release" in r.getMessage() for r in caplog.records)
        _reword_first_clause(_adopted_and_old(handbook)[0], " Zebracrossing duties.")
        assert session.saved(wait=False) == ()
        assert session.plugin.session.last_rebuild.done, session.plugin.session.last_rebuild.reason
        assert session.plugin.session.reindexing is None and not session.plugin.session.index_behind, "indexed within the rebuild"
        assert session.server._visible_epoch == 0, "MkDocs' own reload after the rebuild is the only one"


def test_a_changed_search_index_rebuilds_every_page_after_a_save(handbook, tmp_path, monkeypatch, caplog):
    import logging

    from policybook.mkdocs_adapter import internals

    real = internals._material_file
    # As a Material release whose search index keeps its entries in another way.
    monkeypatch.setattr(internals, "_material_file", lambda path: real(path).replace("self.entries.append(", "add("))
    with caplog.at_level(logging.WARNING), serving(handbook, tmp_path) as session:
        assert any("SearchIndex.entries changed in this release" in r.getMessage() for r in caplog.records)
        _reword_first_clause(_versions(handbook)[0], " Reworded.")
        assert session.saved() == ()
        assert not session.plugin.session.last_rebuild.done
        assert "cannot be updated page by page" in session.plugin.session.last_rebuild.reason
        assert session.full_builds == 2


def test_a_changed_server_builder_leaves_serving_as_mkdocs_does(handbook, tmp_path, monkeypatch, caplog):
    """Without the ``builder`` MkDocs' server calls, nothing is wrapped: every save is MkDocs' full build, and a
    broken one reaches MkDocs' build loop (which logs it and waits) instead of a banner."""
    import logging

    from mkdocs.exceptions import Abort

    from policybook.mkdocs_adapter import internals
    from policybook.mkdocs_adapter.plugin import HandbookProblems

    # As an MkDocs release whose server calls its build in another way.
    monkeypatch.setattr(internals, "SERVE_BUILDER", (*internals.SERVE_BUILDER, "self.build_site()"))
    with caplog.at_level(logging.WARNING), serving(handbook, tmp_path) as session:
        assert any("LiveReloadServer.builder changed in this release" in r.getMessage() for r in caplog.records)
        assert session.server.builder == session._build, "MkDocs' own build, unwrapped"
        last_rebuild = session.plugin.session.last_rebuild  # (the plugin is the process's, as under MkDocs)
        path = _versions(handbook)[0]
        good = path.read_text(encoding="utf-8")
        _save(path, good.replace("status: ", "status: adoptedd", 1))
        with pytest.raises(Abort) as aborted:
            session.server.builder()
        assert isinstance(aborted.value.__context__, HandbookProblems)
        _save(path, good.replace("summary: ", "summary: Fixed. ", 1))
        session.server.builder()
        assert session.full_builds == 3 and session.plugin.session.last_rebuild is last_rebuild, "no incremental rebuild"


def _reword_first_clause(path: Path, added: str) -> None:
    doc = _load(path)
    _clauses(doc)[0]["text"] += added
    _dump(path, doc)
