"""Material's search handler swapped for one that scans only pages holding ``data-search-``: the same site."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

from material.plugins.search.plugin import SearchPlugin
from mkdocs.config import load_config

from policybook.mkdocs_adapter import internals, material_search
from policybook.mkdocs_adapter.build import build_site_atomically
from tests.test_build_safety import tree
from tests.test_site_build import TODAY, copy_project


def test_the_site_is_the_one_materials_own_handler_builds(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    materials_calls = []
    original = SearchPlugin.on_page_context

    def counted(self, *args, **kwargs):
        materials_calls.append(kwargs["page"].file.src_uri)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SearchPlugin, "on_page_context", counted)
    # As a Material release whose handler differs: the plugin keeps it.
    monkeypatch.setattr(internals, "_search_handler_is_as_expected", lambda: False)
    plain = tree(build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "plain", today=TODAY))
    assert len(materials_calls) > 40
    materials_calls.clear()
    # The counting handler stands in for Material's: the plugin swaps it, so it is never called.
    monkeypatch.setattr(internals, "_search_handler_is_as_expected", lambda: True)
    swapped = tree(build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "swapped", today=TODAY))
    assert materials_calls == []
    assert "search/search_index.json" in swapped and len(swapped) > 40
    assert swapped == plain


def test_a_page_with_a_search_attribute_is_scanned_as_material_scans_it(tmp_path):
    config = load_config(str(copy_project(tmp_path) / "mkdocs.yml"))
    plugin = config.plugins["material/search"]
    plugin.on_config(config)
    swapped = material_search._indexing(plugin)
    for content in ('<h2 id="a">A</h2>\n<p data-search-exclude="yes">hidden</p>\n<p>kept</p>',
                    '<h2 id="a">A</h2>\n<p data-search-exclude>no value: kept</p>',
                    '<h2 id="a">A</h2>\n<p>plain</p>'):
        theirs, ours = _page(content), _page(content)
        SearchPlugin.on_page_context(plugin, {}, page=theirs, config=config, nav=None)
        entries = copy.deepcopy(plugin.search_index.entries)
        plugin.search_index.entries.clear()
        swapped({}, page=ours, config=config, nav=None)
        assert ours.content == theirs.content
        assert plugin.search_index.entries == entries and entries
        plugin.search_index.entries.clear()
    assert _page('<p data-search-exclude="yes">x</p>').content != _scanned('<p data-search-exclude="yes">x</p>', swapped, config)


def _scanned(content: str, handler, config) -> str:
    page = _page(content)
    handler({}, page=page, config=config, nav=None)
    return page.content


def _page(content: str) -> SimpleNamespace:
    return SimpleNamespace(content=content, meta={}, toc=[], url="page.html", title="Page")


def test_a_changed_handler_is_not_swapped(monkeypatch):
    monkeypatch.setattr(material_search, "MATERIAL_HANDLER", material_search.MATERIAL_HANDLER.replace('""', '" "'))
    assert internals.check_internals().search_handler is False


def test_only_materials_handler_is_swapped():
    config = load_config(str(Path(__file__).resolve().parent.parent / "mkdocs.yml"))
    handlers = config.plugins.events["page_context"]
    before = list(handlers)
    assert material_search.skip_needless_scans(config.plugins) is True
    changed = [i for i, (old, new) in enumerate(zip(before, handlers)) if old is not new]
    assert len(changed) == 1 and before[changed[0]].__func__ is SearchPlugin.on_page_context
    assert material_search.skip_needless_scans(config.plugins) is False  # already swapped: never twice
