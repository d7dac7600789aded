"""Pages stash their HTML blocks where they are rendered (a forked child too): the same site as stashing them later."""

from __future__ import annotations

from policybook.mkdocs_adapter import plugin as plugin_module
from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.pages import SitePage
from tests.test_build_safety import tree
from tests.test_site_build import TODAY, copy_project


def test_pages_the_map_made_are_not_stashed_again_and_the_site_is_the_same(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    real_stash = plugin_module.stash_html_blocks
    real_add_pages = plugin_module.PolicybookPlugin._add_pages
    stashed_in_on_files: list[int] = []
    calls: list[str] = []

    def counting_stash(body, token):
        calls.append(token)
        return real_stash(body, token)

    def counting_add_pages(self, files, config):
        before = len(calls)
        real_add_pages(self, files, config)
        stashed_in_on_files.append(len(calls) - before)

    monkeypatch.setattr(plugin_module, "stash_html_blocks", counting_stash)
    monkeypatch.setattr(plugin_module.PolicybookPlugin, "_add_pages", counting_add_pages)
    with monkeypatch.context() as later_only:  # every page stashed in on_files, as before the map did it
        later_only.setattr(plugin_module, "_stashing", lambda map_items, token, stashes: map_items)
        later = tree(build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "later", today=TODAY))
    pages = stashed_in_on_files.pop()
    assert pages == len(calls) > 40

    # The policies' and roles' pages come stashed from the map (some from a forked child); on_files
    # stashes the few others (home, indexes).
    usual = tree(build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "usual", today=TODAY))
    assert 0 < stashed_in_on_files.pop() < pages / 4
    assert usual == later


def test_only_the_page_objects_the_map_returned_take_its_stashes():
    stashes: dict = {}

    def pages_of(policy: str):
        return [page(f"{policy}.md"), page(f"{policy}/v1.md")]

    mapped = plugin_module._stashing(lambda function, items, **hints: [function(item) for item in items], "tok", stashes)
    results = mapped(pages_of, ["a", "b"])
    assert [p.path for result in results for p in result] == ["a.md", "a/v1.md", "b.md", "b/v1.md"]
    assert set(stashes) == {"a.md", "a/v1.md", "b.md", "b/v1.md"}
    body, stash, read = stashes["a/v1.md"]
    assert body is results[0][1].body and stash.blocks == ('<div id="x">a/v1.md</div>',)
    assert read.block_ids == {"x"} and read.heading_markup == "text"


def page(path: str) -> SitePage:
    from policybook.render import HtmlBlock, MarkdownText, PageBody

    return SitePage(path, path, PageBody((MarkdownText("\n"), HtmlBlock(f'<div id="x">{path}</div>'), MarkdownText("\n"))))
