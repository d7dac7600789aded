"""The MkDocs plugin: load the handbook and add its pages in memory.

Handlers stay thin: ``on_config`` loads and builds the site once per build,
``on_files`` adds the pages with ``File.generated`` (nothing is written into
``docs/``), ``on_serve`` watches the policies folder so every YAML save
rebuilds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .errors import format_problems
from .load import load_handbook
from .site import STYLESHEET, Site, SiteOptions, build_site

log = get_plugin_logger(__name__)


class PolicybookConfig(base.Config):
    policies_dir = c.Type(str, default="policies")
    """The folder of handbook YAML, relative to mkdocs.yml."""
    preview_drafts = c.Type(bool, default=False)
    """Include draft policies in role checklists (a preview build)."""
    today = c.Optional(c.Type(str))
    """Build date (YYYY-MM-DD) for the review schedule; defaults to SOURCE_DATE_EPOCH or today."""


class PolicybookPlugin(BasePlugin[PolicybookConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.policies_dir: Path | None = None

    def on_config(self, config):
        self.policies_dir = Path(config.config_file_path or ".").resolve().parent / self.config.policies_dir
        result = load_handbook(self.policies_dir)
        if not result.ok:
            raise PluginError("Policybook found problems in the handbook:\n" + format_problems(result.problems))
        options = SiteOptions(
            today=build_date(self.config.today),
            directory_urls=config.use_directory_urls,
            preview_drafts=self.config.preview_drafts,
        )
        self.site = build_site(result.handbook, options)
        # Generated pages use attribute lists for their stable anchors.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        config.extra_css.append(STYLESHEET)
        if not config.nav:
            config.nav = _html_nav(self.site.nav) + _hand_written_nav(config)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        for page in self.site.pages:
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(f"docs/{page.path} clashes with a page Policybook generates: rename or remove it")
            # Material inserts page titles into HTML unescaped: escape them here.
            page = dataclasses.replace(page, title=str(escape(page.title)))
            files.append(File.generated(config, page.path, content=page.with_front_matter()))
        for path, content in self.site.assets.items():
            files.append(File.generated(config, path, content=content))
        return files

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.policies_dir))
        return server


def build_date(configured: str | None = None) -> dt.date:
    """The date the handbook is built as of: config, SOURCE_DATE_EPOCH, or today."""
    if configured:
        return dt.date.fromisoformat(configured)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def _html_nav(nav: list) -> list:
    """The navigation with HTML-escaped titles: Material writes nav titles unescaped."""
    escaped = []
    for entry in nav:
        (title, target), = entry.items()
        escaped.append({str(escape(title)): _html_nav(target) if isinstance(target, list) else target})
    return escaped


def _hand_written_nav(config) -> list:
    """Hand-written pages under docs/, after the generated sections."""
    docs = Path(config.docs_dir)
    if not docs.is_dir():
        return []
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    return [{"About": pages}] if pages else []
