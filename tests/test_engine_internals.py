"""A Material release that changed what the adapter relies on: a warning, and Material's plain path, never a wrong page.

Each test edits, as such a release would, the one Material file the startup
check reads (``internals._material_file``) or the name it looks for, and
builds the sample handbook. The rest of Material is the installed one, so
the site shows what the fallback writes.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from policybook.mkdocs_adapter import internals
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.mkdocs_adapter.plugin import IFRAME_WORKER_CDN, SEARCH_DIALOG
from policybook.mkdocs_adapter.search_workers import MATERIAL_WORKER, RESULT_WORDING
from tests.test_build_safety import tree
from tests.test_site_build import TODAY, copy_project

CHANGED = "changed in this release"


def _released(monkeypatch, path: str, old: str, new: str) -> None:
    """Material's ``path`` as a release that wrote ``new`` where this one writes ``old``."""
    real = internals._material_file

    def changed(name: str) -> str:
        text = real(name)
        if name == path:
            assert old in text, f"{old!r} is not in Material's {path}"
            text = text.replace(old, new)
        return text

    monkeypatch.setattr(internals, "_material_file", changed)


def _warnings(caplog, what: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if CHANGED in r.getMessage() and what in r.getMessage()]


def _with_search(project: Path, engine: str) -> Path:
    config = project / "mkdocs.yml"
    text, count = re.subn(r"(?m)^  - policybook:?\s*$", f"  - policybook:\n      search: {engine}",
                          config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    return config


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def usual(tmp_path_factory) -> Path:
    """The sample site as this Material builds it."""
    project = copy_project(tmp_path_factory.mktemp("usual"))
    return build_site_atomically(project / "mkdocs.yml", site_dir=project.parent / "usual", today=TODAY)


@pytest.fixture(scope="module")
def lunr(tmp_path_factory) -> Path:
    """The sample site with ``search: material``: Material's own index, ranked by Policybook's worker."""
    project = copy_project(tmp_path_factory.mktemp("lunr"))
    return build_site_atomically(_with_search(project, "material"), site_dir=project.parent / "lunr", today=TODAY)


def test_a_changed_worker_path_keeps_materials_own_search_box(tmp_path, monkeypatch, caplog):
    """Policybook's workers replace Material's by its path: not found, a Pagefind site would search nothing."""
    _released(monkeypatch, "templates/base.html", "workers/search.", "workers/find.")
    config = _with_search(copy_project(tmp_path), "pagefind")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "site", today=TODAY)
    assert _warnings(caplog, "search worker")
    assert not (site / "pagefind").exists() and not (site / "assets/policybook/pagefind-worker.js").exists()
    assert not (site / "assets/policybook/search-worker.js").exists()
    docs = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert '"location":"policies/social-media.html' in docs, "Material's index lists the pages"
    themed = {name: html for name, html in _pages(site).items() if '<script id="__config"' in html}
    assert len(themed) > 40
    for name, html in themed.items():
        config = html.rpartition('<script id="__config"')[2]
        assert MATERIAL_WORKER.search(config) and "policybook/" not in config, name
        assert "data-pagefind" not in html, name


@pytest.mark.parametrize("path, old, new", [
    ("templates/base.html", '<article class="md-content__inner md-typeset">', '<article class="md-content md-typeset">'),
    ("plugins/search/plugin.py", '"data-search-exclude"', '"data-search-skip"'),
], ids=["article", "search-exclude"])
def test_changed_markup_under_the_pages_keeps_materials_index(tmp_path, monkeypatch, caplog, lunr, path, old, new):
    """Pagefind marks what to index by Material's markup: changed, the site is the one Material's index gives."""
    _released(monkeypatch, path, old, new)
    config = _with_search(copy_project(tmp_path), "pagefind")
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(config, site_dir=tmp_path / "lunr", today=TODAY)
    assert _warnings(caplog, "article markup or data-search-exclude")
    assert not (site / "pagefind").exists()
    assert tree(site) == tree(lunr)


@pytest.mark.parametrize("path, old, new, what, plain", [
    ("templates/partials/search.html", SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="search"'),
     "search dialog", lambda html: html.replace(SEARCH_DIALOG[:-1] + ' aria-label="Search">', SEARCH_DIALOG)),
    ("templates/partials/languages/en.html", "1 matching document", "1 matching page", "result count",
     lambda html: _worded_as_material(html)),
], ids=["dialog", "wording"])
def test_changed_markup_policybook_adds_to_is_left_as_material_writes_it(tmp_path, monkeypatch, caplog, usual,
                                                                         path, old, new, what, plain):
    _released(monkeypatch, path, old, new)
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "site", today=TODAY)
    assert _warnings(caplog, what)
    expected = {name: plain(html) for name, html in _pages(usual).items()}
    assert len(expected) > 40 and expected != _pages(usual)
    assert _pages(site) == expected


def _worded_as_material(html: str) -> str:
    for material, ours in RESULT_WORDING.items():
        html = html.replace(ours, material)
    return html


def test_a_changed_event_origins_map_keeps_materials_search_handler(monkeypatch, caplog):
    monkeypatch.setattr(internals, "EVENT_ORIGINS", "_renamed_by_a_release")
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals().search_handler is False
    assert _warnings(caplog, "SearchPlugin.on_page_context")


def test_a_changed_offline_plugin_stops_an_offline_build_before_anything_is_written(tmp_path, monkeypatch, caplog):
    _released(monkeypatch, "plugins/offline/plugin.py", "self.config.enabled", "self.config.switched_on")
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING), pytest.raises(PluginError, match="--offline"):
        build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "offline", today=TODAY, offline=True)
    assert _warnings(caplog, "OfflinePlugin")
    assert not (tmp_path / "offline").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".offline")], "no staging folder is left"


def test_a_changed_offline_polyfill_is_left_as_material_adds_it(tmp_path, monkeypatch, caplog):
    _released(monkeypatch, "plugins/offline/plugin.py", IFRAME_WORKER_CDN, "https://cdn.example/iframe-worker/v2")
    project = copy_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        site = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "offline", today=TODAY, offline=True)
    assert _warnings(caplog, "polyfill")
    assert not (site / "assets/policybook/iframe-worker-shim.js").exists()
    assert IFRAME_WORKER_CDN in (site / "index.html").read_text(encoding="utf-8"), "Material's own polyfill"
    assert (site / "search" / "search_index.js").is_file(), "still an offline site"


def test_without_offline_the_offline_internals_are_not_probed(monkeypatch, caplog):
    _released(monkeypatch, "plugins/offline/plugin.py", IFRAME_WORKER_CDN, "https://cdn.example/iframe-worker/v2")
    with caplog.at_level(logging.WARNING):
        assert internals.check_internals().offline_polyfill is True
        assert internals.check_internals(offline=True).offline_polyfill is False
    assert len(_warnings(caplog, "polyfill")) == 1


def test_this_material_and_mkdocs_pass_every_check(caplog):
    with caplog.at_level(logging.WARNING):
        found = internals.check_internals(serving=True, offline=True)
        assert internals.check_offline_plugin()
    assert not [r for r in caplog.records if CHANGED in r.getMessage()]
    assert all((found.search_handler, found.search_worker, found.search_wording, found.pagefind_markup,
                found.search_dialog, found.search_entries, found.reload_browsers, found.offline_polyfill))
