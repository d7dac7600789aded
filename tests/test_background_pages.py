"""Archive pages built in a forked child, and the navigation rendered once per folder: the same site, byte for byte."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from benchmarks.synth import Scale, write_handbook
from policybook.mkdocs_adapter import background_pages, internals, nav_memo
from tests.forking import require_fork
from tests.test_build_safety import tree

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the child process needs os.fork (POSIX)")

SCALE = Scale(policies=12, versions=4, clauses=5, roles=5)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    write_handbook(folder, SCALE)
    return folder


def build_keeping_config(project: Path, site: Path, **overrides):
    """Build into ``site``; the config, for reading what the plugin holds afterwards."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), site_url="https://handbook.example/",
                         **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config


def build_into(project: Path, site: Path, **overrides) -> Path:
    build_keeping_config(project, site, **overrides)
    return site


@pytest.fixture(scope="module")
def plain_site(project, tmp_path_factory) -> dict[str, bytes]:
    """Built the way MkDocs builds: every page in its loop, the theme's own navigation on every page."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(background_pages.BackgroundPages, "start", classmethod(lambda cls, *a, **k: None))
        patch.setattr(nav_memo, "install", lambda *a, **k: False)
        return tree(build_into(project, tmp_path_factory.mktemp("plain")))


def archive_pages(site: dict[str, bytes]) -> set[str]:
    return {name for name in site if name.startswith("policies/") and ("/v" in name or "/compare-" in name)
            and name.endswith(".html") and b"http-equiv=\"refresh\"" not in site[name]}


def test_pages_built_in_the_child_are_the_pages_mkdocs_builds(project, plain_site, tmp_path, monkeypatch):
    require_fork(background_pages.MIN_PAGES)
    built_by = tmp_path / "built-by"
    real_build_page = internals._build_page()

    @functools.wraps(real_build_page)  # the same signature, as the startup check requires
    def recording_build_page(page, *args, **kwargs):
        with built_by.open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {page.file.dest_uri}\n")
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(internals, "_build_page", lambda: recording_build_page)
    site = tree(build_into(project, tmp_path / "site"))

    by_child = {line.split()[1] for line in built_by.read_text().splitlines() if int(line.split()[0]) != os.getpid()}
    assert by_child, "the child took some of the pages (how many depends on how fast each side is)"
    searched = {doc["location"].partition("#")[0] for doc in json.loads(site["search/search_index.json"])["docs"]}
    assert archive_pages(site) & by_child, "old versions and comparisons are the child's"
    assert not by_child & searched, "pages in the search index are built here, where the search plugin runs"
    # The sitemap too: it lists the child's pages as a build without the child does.
    assert sorted(site) == sorted(plain_site)
    different = [name for name in site if site[name] != plain_site[name]]
    assert not different, different[:5]
    sitemap = site["sitemap.xml"].decode()
    assert all(f"/{name}<" in sitemap for name in by_child)
    assert all(f"/{name}<" in sitemap for name in searched if name.endswith(".html"))


def test_a_child_that_fails_leaves_its_pages_to_this_process(project, plain_site, tmp_path, monkeypatch):
    require_fork(background_pages.MIN_PAGES)
    parent = os.getpid()
    real_build_page = internals._build_page()

    @functools.wraps(real_build_page)  # the same signature, as the startup check requires
    def dies_in_the_child(page, *args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(internals, "_build_page", lambda: dies_in_the_child)
    site = tree(build_into(project, tmp_path / "site"))
    assert archive_pages(site) == archive_pages(plain_site)
    assert all(site[name] == plain_site[name] for name in archive_pages(site))


def test_a_warning_in_the_child_is_logged_once_by_this_process(project, plain_site, tmp_path, monkeypatch, caplog):
    require_fork(background_pages.MIN_PAGES)
    import logging
    real_build_page = internals._build_page()
    warned = logging.getLogger("mkdocs.plugins.test")

    @functools.wraps(real_build_page)  # the same signature, as the startup check requires
    def warns_on_one_page(page, *args, **kwargs):
        if page.file.dest_uri.endswith("/v1.html"):
            warned.warning("odd page %s", page.file.dest_uri)
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(internals, "_build_page", lambda: warns_on_one_page)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort, match="in strict mode"):
        build_into(project, tmp_path / "site")
    messages = [r.getMessage() for r in caplog.records if r.getMessage().startswith("odd page")]
    first_versions = {name for name in archive_pages(plain_site) if name.endswith("/v1.html")}
    # (Only the child's share goes through the patched builder.)
    assert messages and len(messages) == len(set(messages)), "each warning once, counted by strict mode here"
    assert set(messages) <= {f"odd page {name}" for name in first_versions}


def test_the_navigation_memo_stands_aside_for_an_overridden_navigation(project, tmp_path):
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "nav.html").write_text("<nav>{{ page.title }}</nav>", encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"), theme={"name": "material", "custom_dir": str(tmp_path / "overrides")})
    env = config.theme.get_env()
    assert nav_memo.install(env, nav=None, theme=config.theme) is False
    default = load_config(str(project / "mkdocs.yml")).theme
    env = default.get_env()

    class Nav:
        pages = []

    assert nav_memo.install(env, nav=Nav(), theme=default) is True
    wrapper = env.get_template("partials/nav.html").filename
    assert Path(wrapper).parent.parent == Path(nav_memo.__file__).parent / "assets" / "theme"


def generated_pages(config) -> list:
    from policybook.mkdocs_adapter.page import GeneratedPage

    return [file.page for file in config.plugins["policybook"].build.generated if isinstance(file.page, GeneratedPage)]


def test_each_page_is_dropped_once_written_here_and_in_the_child(project, plain_site, tmp_path):
    require_fork(background_pages.MIN_PAGES)
    config = build_keeping_config(project, tmp_path / "site")
    pages = generated_pages(config)
    # Material's search here: nothing drops the pages at the end, so the child's were dropped as it reported them.
    assert config.plugins["policybook"].build.engine.name == "MATERIAL"
    assert pages and all(page.content is None and page.markdown is None for page in pages)
    assert all(file.content_bytes == b"" for file in config.plugins["policybook"].build.generated
               if file.page in pages)
    assert tree(tmp_path / "site") == tree(build_into(project, tmp_path / "again"))
    assert archive_pages(tree(tmp_path / "site")) == archive_pages(plain_site)


def test_pages_are_kept_while_a_plugin_we_do_not_know_may_read_them(project, tmp_path):
    hooks = tmp_path / "hooks.py"
    hooks.write_text("def on_post_build(config):\n    pass\n", encoding="utf-8")
    config = build_keeping_config(project, tmp_path / "site", hooks=[str(hooks)])
    pages = generated_pages(config)
    assert pages and all(page.content is not None and page.markdown is not None for page in pages)


def test_a_child_that_dies_midway_leaves_only_its_unwritten_pages_to_this_process(project, plain_site, tmp_path,
                                                                                 monkeypatch):
    require_fork(background_pages.MIN_PAGES)
    parent = os.getpid()
    real_build_page = internals._build_page()
    built_by = tmp_path / "built-by"
    in_child = []

    @functools.wraps(real_build_page)  # the same signature, as the startup check requires
    def dies_after_ten_pages(page, *args, **kwargs):
        if os.getpid() != parent:
            if len(in_child) == 10:
                os._exit(3)
            in_child.append(page)
        with built_by.open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {page.file.dest_uri}\n")
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(internals, "_build_page", lambda: dies_after_ten_pages)
    site = tree(build_into(project, tmp_path / "site"))
    lines = [line.split() for line in built_by.read_text().splitlines()]
    by_child = [name for pid, name in lines if int(pid) != parent]
    here = {name for pid, name in lines if int(pid) == parent}
    assert len(by_child) == 10
    assert not set(by_child) & here, "the pages the child wrote are not built again"
    assert archive_pages(site) == archive_pages(plain_site)
    assert all(site[name] == plain_site[name] for name in archive_pages(site))


def test_sibling_folders_holding_nothing_the_theme_links_to_share_one_rendering():
    class Item:
        def __init__(self, url=None, children=()):
            self.url, self.children = url, list(children)

    class Nav:
        pages = []
        items = [Item("index.html"), Item(children=[Item("policies/p1/notes.html"), Item("https://x.example/a/")]),
                 Item("roles/")]
        homepage = items[0]

    memo = nav_memo.theme_links(Nav(), theme={"logo": "assets/../images/logo.png"}, extra={})
    assert memo.key("policies/p2/v1.html") == memo.key("policies/p3/compare-v1-v2.html") == ("policies", "*")
    assert memo.key("policies/p1/v1.html") == "policies/p1", "p1 holds a page the navigation links to"
    assert memo.key("roles/dsl/old.html") == ("roles", "*") and memo.key("roles/old.html") == "roles"
    assert memo.key("images/x/v1.html") == ("images", "*") and memo.key("images/v1.html") == "images"
    assert memo.key("x.example/a/v1.html") == ("x.example", "*"), "an absolute link climbs from nowhere"
    assert memo.key("old.html") == "" and memo.key("policies/p2/v1/") == ("policies/p2", "*")


def test_with_directory_urls_the_shared_navigation_is_the_one_each_page_renders(project, tmp_path, monkeypatch):
    memo = tree(build_into(project, tmp_path / "memo", use_directory_urls=True))
    monkeypatch.setattr(nav_memo, "install", lambda *a, **k: False)
    plain = tree(build_into(project, tmp_path / "plain", use_directory_urls=True))
    assert any(name.endswith("/v2/index.html") for name in memo), "old versions are pages of their own folders"
    assert sorted(memo) == sorted(plain)
    different = [name for name in memo if memo[name] != plain[name]]
    assert not different, different[:5]


def test_a_header_rendering_without_the_stand_in_title_once_is_the_pages_own():
    import jinja2

    from policybook.mkdocs_adapter import header_memo

    class Page:
        def __init__(self, url, title, meta):
            self.url, self.title, self.meta = url, title, meta

    env = jinja2.Environment()
    memo = header_memo.HeaderMemo(env, nav_memo.FolderLinks(()))
    renders = []

    def header(page):
        renders.append(page.title)
        title = page.meta["title"] if page.meta and page.meta.get("title") else page.title
        return f"<h>{title}|{page.url.count('/')}</h>"

    assert memo(Page("policies/a/v1.html", "A & <b>", {}), caller=header) == "<h>A & <b>|2</h>"
    assert memo(Page("policies/b/v2.html", "B", {"title": "Meta B"}), caller=header) == "<h>Meta B|2</h>"
    assert memo(Page("policies/c/v2.html", "C", {"title": ""}), caller=header) == "<h>C|2</h>", "as the header's if"
    assert memo(Page("policies/d/v9.html", None, {}), caller=header) == "<h>None|2</h>", "as Jinja prints None"
    assert renders == [header_memo.TITLE, header_memo.TITLE], "one rendering per folder group and kind of title"

    twice = header_memo.HeaderMemo(env, nav_memo.FolderLinks(()))
    shown = twice(Page("roles/x/a.html", "X", {}), caller=lambda page: f"{page.title}/{page.title}")
    assert shown == "X/X", "a header showing the title twice is rendered for the page itself"


def test_sticky_tabs_or_escaping_keep_every_pages_own_header():
    import jinja2

    from policybook.mkdocs_adapter import header_memo

    assert header_memo.applies(jinja2.Environment(), {"features": ["navigation.sections"]})
    assert not header_memo.applies(jinja2.Environment(), {"features": ["navigation.tabs", "navigation.tabs.sticky"]})
    assert not header_memo.applies(jinja2.Environment(autoescape=True), {})
    assert not header_memo.applies(jinja2.Environment(finalize=str), {})
