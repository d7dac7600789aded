"""A one-off build keeps its long-lived objects out of the garbage collector's passes, and gives them back."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap

import pytest

from policybook.speed import parallel
from policybook.speed.collector import FrozenHeap, collector_paused
from policybook.mkdocs_adapter import plugin as plugin_module
from policybook.mkdocs_adapter.build import build_site_atomically
from tests.test_site_build import TODAY, copy_project


@pytest.fixture(autouse=True)
def nothing_frozen_around():
    gc.unfreeze()  # whatever an earlier test left: each test starts and must end with nothing frozen
    yield
    assert gc.get_freeze_count() == 0, "the test left objects frozen"


def test_a_heap_freezes_what_is_alive_and_gives_it_back():
    alive = [object() for _ in range(100)]
    with FrozenHeap() as heap:
        heap.keep()
        assert gc.get_freeze_count() >= len(alive)
    assert gc.get_freeze_count() == 0


def test_an_inner_heap_leaves_the_outer_one_frozen():
    with FrozenHeap() as outer:
        outer.keep()
        frozen = gc.get_freeze_count()
        with FrozenHeap() as inner:
            inner.keep()
        assert gc.get_freeze_count() >= frozen
    assert gc.get_freeze_count() == 0


def test_a_paused_collector_is_restored_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            pass
        assert not gc.isenabled(), "a nested pause does not resume the outer one"
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="start_in_child needs os.fork (POSIX)")
def test_a_fork_leaves_a_frozen_heap_frozen_and_an_unfrozen_one_unfrozen():
    # start_in_child itself, not fork_map: fork_map stays serial while any thread runs, as one
    # left by an earlier test may, and this would then test nothing.
    assert parallel.start_in_child(lambda: 1).result() == 1
    assert gc.get_freeze_count() == 0
    with FrozenHeap() as heap:
        heap.keep()
        frozen = gc.get_freeze_count()
        made_since = [[i] for i in range(1000)]  # tracked objects made after the keep
        assert parallel.start_in_child(lambda: 2).result() == 2
        assert gc.get_freeze_count() >= frozen + len(made_since), "what the build held at the fork stays frozen"


def _record(monkeypatch, module, name: str, what) -> list:
    """What ``what()`` says at each call of ``module.name``."""
    seen = []
    original = getattr(module, name)

    def recording(*args, **kwargs):
        seen.append(what())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return seen


def _record_freezes(monkeypatch) -> list[int]:
    return _record(monkeypatch, plugin_module, "build_site", gc.get_freeze_count)


def _serve_build(project, site) -> None:
    """The first build of ``mkdocs serve``, in this process."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins["policybook"].config.today = TODAY
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def test_a_one_off_build_generates_with_the_model_frozen_and_ends_with_nothing_frozen(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    seen = _record_freezes(monkeypatch)
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert seen and seen[0] > 0, "the loaded handbook is frozen while the pages are generated"
    assert gc.isenabled()


def test_a_failed_build_gives_the_frozen_objects_back(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    seen = _record_freezes(monkeypatch)
    with pytest.raises(Exception):
        build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert seen and seen[0] > 0
    assert gc.isenabled()


def test_a_handbook_that_does_not_load_gives_the_frozen_objects_back(tmp_path):
    # The model is frozen as soon as it is loaded, before the build object that releases it exists.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    project = copy_project(tmp_path)
    policy = next((project / "policies").glob("*/v1.yaml"))
    policy.write_text(policy.read_text(encoding="utf-8") + "\nnot: [closed\n", encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):  # MkDocs' answer to the plugin's HandbookProblems
        mkdocs_build(config)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_serve_collects_as_usual(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    seen = _record_freezes(monkeypatch)
    _serve_build(project, tmp_path / "site")
    assert seen == [0], "a long-running serve freezes nothing"


def test_every_load_of_a_build_or_a_serve_runs_with_the_collector_paused(tmp_path, monkeypatch):
    # The core's load_handbook leaves the collector alone; its callers pause it (speed/collector.py).
    from policybook import cli as cli_module

    project = copy_project(tmp_path)
    plugin_loads = _record(monkeypatch, plugin_module, "load_handbook", gc.isenabled)
    cli_loads = _record(monkeypatch, cli_module, "load_handbook", gc.isenabled)
    cli_module.cli.main(["validate", str(project / "policies")], standalone_mode=False)
    assert cli_loads == [False]
    _serve_build(project, tmp_path / "site")
    assert plugin_loads == [False]
    assert gc.isenabled()


def test_policybook_build_ends_with_nothing_frozen(tmp_path, monkeypatch):
    from policybook.cli import cli

    project = copy_project(tmp_path)
    seen = _record_freezes(monkeypatch)
    cli.main(["build", "-f", str(project / "mkdocs.yml"), "--today", TODAY], standalone_mode=False)
    assert seen and seen[0] > 0, "what validation loaded is frozen while the pages are generated"
    assert gc.isenabled()


@pytest.mark.parametrize("command", [False, True])
def test_the_command_leaves_what_is_alive_at_exit_to_the_system(command):
    # A reference cycle that only a collection frees: Python's last one at exit finalizes it, unless frozen.
    script = textwrap.dedent(f"""
        import os
        if {command}:
            from policybook.speed.collector import skip_last_collection
            skip_last_collection()
        class Cycle:
            def __del__(self):
                os.write(1, b"collected at exit\\n")
        cycle = Cycle()
        cycle.itself = cycle
        del cycle
        print("done", flush=True)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out == ("done\n" if command else "done\ncollected at exit\n")

