"""What a `mkdocs serve` session keeps between rebuilds, and that the pages are the same for it."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from policybook.mkdocs_adapter.build import build_site_atomically
from tests.test_site_build import TODAY, copy_project


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_a_serve_rebuild_reads_no_file_again_and_writes_the_same_pages(tmp_path):
    project = copy_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["policybook"]
    plugin.config.today = TODAY
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        config.site_dir = str(tmp_path / "first")
        build(config)
        misses = plugin.cache.misses
        # What serve does on every save: the configuration read again, the plugin kept.
        again = load_config(str(project / "mkdocs.yml"))
        assert again.plugins["policybook"] is plugin
        plugin.config.today = TODAY  # its options were read again too
        again.site_dir = str(tmp_path / "second")
        build(again)
    finally:
        config.plugins.on_shutdown()
        plugin.session = None
    assert misses > 10 and plugin.cache.misses == misses, "unchanged files come from the cache"
    first, second = _pages(tmp_path / "first"), _pages(tmp_path / "second")
    assert len(first) > 40 and first == second


def test_an_atomic_build_is_a_build_even_after_a_serve_session(tmp_path):
    # MkDocs keeps one plugin instance per process; the build must not act as serve.
    project = copy_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["policybook"]
    config.plugins.on_startup(command="serve", dirty=False)
    assert plugin.serving
    build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert not plugin.serving and plugin.cache.last_load is None, "a one-off build lets go of the model"
